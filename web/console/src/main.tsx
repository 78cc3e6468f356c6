// The agent console's entry point (served by Parley at /console).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { startSdkFrame } from './sdk/bridge.ts';
import { boot, prepare } from './state/session.ts';
import { part } from './state/part.ts';
import './styles/base.css';
import './styles/controls.css';
import './styles/layout.css';
import './styles/screens.css';
import './styles/chat.css';
import './styles/messages.css';
import './styles/composer.css';
import './styles/views.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// In the SDK's frame the partner's page signs the agent in (sdk/bridge.ts); elsewhere the console does.
if (part === 'sdk') {
  prepare();
  void startSdkFrame();
} else void boot();

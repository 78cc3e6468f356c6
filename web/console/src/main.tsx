// The agent console's entry point (served by Parley at /console).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { boot } from './state/session.ts';
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
void boot();

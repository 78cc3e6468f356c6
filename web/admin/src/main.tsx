// The control panel's entry point (served by Parley at /admin and the spec's page paths).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { boot } from './state/session.ts';
import '../../console/src/styles/base.css';
import '../../console/src/styles/controls.css';
import '../../console/src/styles/layout.css';
import '../../console/src/styles/screens.css';
import '../../console/src/styles/views.css';
import './styles/panel.css';
import './styles/pages.css';
import './styles/editors.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void boot();

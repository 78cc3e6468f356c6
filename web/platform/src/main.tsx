// The platform app's entry point: the public sign-up page at /apply, the platform admin at
// /platform and /platform/<page> (served by Parley, src/modules/web/web.routes.ts), and the partner
// portal at /partner and /partner/<page> (src/modules/sso/sso.apps.routes.ts), loaded on its own.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { ApplyPage } from './pages/ApplyPage.tsx';
import { boot } from './state/session.ts';
import '../../console/src/styles/base.css';
import '../../console/src/styles/controls.css';
import '../../console/src/styles/layout.css';
import '../../console/src/styles/screens.css';
import '../../console/src/styles/views.css';
import '../../admin/src/styles/panel.css';
import '../../admin/src/styles/pages.css';
import '../../admin/src/styles/editors.css';
import './styles/platform.css';

const path = location.pathname;
const root = createRoot(document.getElementById('root')!);
if (path === '/partner' || path.startsWith('/partner/')) {
  void import('./portal/main.tsx').then(({ startPortal }) => startPortal(root));
} else if (path === '/apply') {
  root.render(
    <StrictMode>
      <ApplyPage />
    </StrictMode>,
  );
} else {
  boot();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The partner portal's entry point (loaded by the platform app's main.tsx for /partner addresses).
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { PortalApp } from './components/PortalApp.tsx';
import { boot } from './session.ts';

export function startPortal(root: Root): void {
  boot();
  root.render(
    <StrictMode>
      <PortalApp />
    </StrictMode>,
  );
}

// The agent's alert preferences, kept in localStorage for this browser.
import { useSyncExternalStore } from 'react';

export interface AlertSettings {
  sound: boolean;
  notifications: boolean;
}

const KEY = 'parley.console.alerts';
const listeners = new Set<() => void>();

function load(): AlertSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<AlertSettings>;
    return { sound: saved.sound !== false, notifications: saved.notifications !== false };
  } catch {
    return { sound: true, notifications: true };
  }
}

let settings = load();

export function getAlertSettings(): AlertSettings {
  return settings;
}

export function setAlertSettings(change: Partial<AlertSettings>): void {
  settings = { ...settings, ...change };
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Kept for this page only.
  }
  for (const l of listeners) l();
}

export function useAlertSettings(): AlertSettings {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getAlertSettings,
  );
}

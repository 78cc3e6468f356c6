// The SDK frame's page (/sdk/console.html): the origin of the partner's page the server allowed
// to frame it (or why it refused), and the modules that page asked for.
import type { ModuleName } from '../../../sdk/agent-console.d.ts';
import { createStore } from '../state/createStore.ts';

interface SdkPage {
  /** The framing page's origin, as the server checked it. */
  origin: string;
  /** Why the server refused that origin, or null. */
  refused: string | null;
  /** The browser's session is on a site of this partner: the frame may resume it without a login. */
  resume: boolean;
  /** The partner whose frame this is (sign-ins are for its sites only). */
  partnerId: number | null;
}

function readPage(): SdkPage {
  const content = document.querySelector<HTMLMetaElement>('meta[name="parley-sdk"]')?.content;
  try {
    const v = JSON.parse(content ?? '') as Partial<SdkPage>;
    if (typeof v.origin === 'string') {
      return { origin: v.origin, refused: typeof v.refused === 'string' ? v.refused : null, resume: v.resume === true, partnerId: typeof v.partnerId === 'number' ? v.partnerId : null };
    }
  } catch {
    // No meta: not served as the SDK's frame.
  }
  return { origin: location.origin, refused: 'This page is the frame of the Agent Console SDK; open it through the SDK.', resume: false, partnerId: null };
}

export const sdkPage: SdkPage = readPage();

/** The modules the page shows (config.modules), both until the page says. */
export const modulesStore = createStore<ModuleName[]>(['visitors', 'chats']);

/**
 * Sets the modules (when given) and checks that `display` is one of them: the view may switch to
 * it. An empty or absent list keeps the current one.
 */
export function setModules(modules: ModuleName[] | null, display: unknown): boolean {
  if (modules && modules.length > 0) modulesStore.setState(() => modules);
  return modulesStore.getState().includes(display as ModuleName);
}

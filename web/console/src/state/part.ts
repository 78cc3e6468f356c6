// Which part of the console a page shows (spec "Agent Console UI"): the whole console at /console
// and /LiveChat/AgentConsole.html, or one part at /LiveChat/AgentConsole/{MyChats,Visitors,
// Settings}.html. With onlyDisplayBody=true a part is just its body, for a partner's frame. The
// Agent Console SDK's frame (/sdk/console.html) is body only, with the modules its page asked for.
import { onlyDisplayBody } from '../api/page.ts';
import type { View } from './model.ts';

export type Part = 'console' | 'chats' | 'visitors' | 'settings' | 'sdk';

const PARTS: Record<string, Part> = {
  '/LiveChat/AgentConsole/MyChats.html': 'chats',
  '/LiveChat/AgentConsole/Visitors.html': 'visitors',
  '/LiveChat/AgentConsole/Settings.html': 'settings',
  '/sdk/console.html': 'sdk',
};

export const part: Part = PARTS[location.pathname] ?? 'console';

/** The view the page opens on. */
export const startView: View = part === 'console' ? 'chats' : part === 'sdk' ? 'visitors' : part;

/**
 * A body-only settings page only edits this browser's alert settings: it starts no real-time
 * connection (which would chime for chats a second time beside the partner's other frames).
 */
export const live = !(part === 'settings' && onlyDisplayBody);

/**
 * The page works with chats (incoming ones, the panes and their keys): the whole console and My
 * chats do; a body-only visitors or settings page leaves them to those.
 */
export const hasChats = !onlyDisplayBody || part === 'console' || part === 'chats' || part === 'sdk';

// Two signed handles of the WebView chat, made with a secret of the server's and checked in
// constant time, so neither needs storing:
// - the page's ticket: what the app asked for when it opened the page (the page, skill, urgency,
//   the robot chat to continue), bound to the visitor the page was opened for; the page hands it
//   back when the app calls start(), and only then does the chat begin;
// - `chat_id_robot`: the robot page's chat, handed to the app on `event.ai.transfer_agent` and by
//   the app to the human page, which continues that chat (and its visitor) with people. A bare
//   chat id would let anyone who guesses one take over another customer's conversation.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type PageKind = 'agent' | 'robot';

export interface Ticket {
  siteId: number;
  visitorId: number;
  page: PageKind;
  skill: string | null;
  urgent: boolean;
  /** The robot chat the human page continues. */
  robotChatId: number | null;
}

/** A page stays open for a working day; a robot hand-off is used within minutes. */
const TICKET_TTL_SECONDS = 12 * 3600;
const HANDOFF_TTL_SECONDS = 30 * 60;

export function createTickets(secret: string) {
  const sign = (text: string) => createHmac('sha256', secret).update(text).digest('base64url');
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  const now = () => Math.floor(Date.now() / 1000);

  return {
    /** The page's ticket. */
    issue(t: Ticket): string {
      const body = Buffer.from(JSON.stringify({ ...t, exp: now() + TICKET_TTL_SECONDS })).toString('base64url');
      return `${body}.${sign(`ticket.${body}`)}`;
    },

    /** The ticket's content when it is ours and current; undefined otherwise. */
    read(ticket: string): Ticket | undefined {
      const [body, mac, extra] = ticket.split('.');
      if (!body || !mac || extra !== undefined || !same(mac, sign(`ticket.${body}`))) return undefined;
      try {
        const t = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Ticket & { exp: number };
        return t.exp > now() ? { siteId: t.siteId, visitorId: t.visitorId, page: t.page, skill: t.skill, urgent: t.urgent, robotChatId: t.robotChatId } : undefined;
      } catch {
        return undefined;
      }
    },

    /** `chat_id_robot` for a robot chat of a visitor: `{chatId}.{expiry}.{signature}`. */
    handoff(siteId: number, chatId: number, visitorId: number): string {
      const exp = now() + HANDOFF_TTL_SECONDS;
      return `${chatId}.${exp}.${sign(`handoff.${siteId}.${chatId}.${visitorId}.${exp}`)}`;
    },

    /** The robot chat a `chat_id_robot` names, to be checked against its visitor with `handoffFits`. */
    handoffChat(handle: string): { chatId: number; exp: number; mac: string } | undefined {
      const m = /^([1-9][0-9]{0,15})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/.exec(handle);
      if (!m) return undefined;
      const exp = Number(m[2]);
      return exp > now() ? { chatId: Number(m[1]), exp, mac: m[3]! } : undefined;
    },

    /** Whether the handle was made for this chat of this visitor of this site. */
    handoffFits(h: { chatId: number; exp: number; mac: string }, siteId: number, visitorId: number): boolean {
      return same(h.mac, sign(`handoff.${siteId}.${h.chatId}.${visitorId}.${h.exp}`));
    },
  };
}

export type Tickets = ReturnType<typeof createTickets>;

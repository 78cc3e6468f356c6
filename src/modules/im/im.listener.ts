// What an IM API customer's application is told, written into the webhook outbox by this listener
// of the event log once the change committed: every robot and agent reply, the close (with the
// survey when the site asks after a session), and each assignment or transfer to an agent. The
// deliveries of one event have ids derived from the event's id, so the relay handing the event
// over again (at least once) writes nothing twice; the worker then delivers them in order.
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { EventListener, StoredEvent } from '../../platform/events/index.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ChatService } from '../chat/index.ts';
import type { ParleyEvent } from '../events.ts';
import type { VisitorsService } from '../visitors/index.ts';
import type { Enqueue, NewDelivery } from '../webhooks/index.ts';
import type { ImSettingsStore } from './im.settings.ts';
import type { ImTables } from './im.tables.ts';

export interface ImListenerDeps {
  /** Where one event's deliveries are written in one transaction (the outbox is the webhooks module's). */
  db: Kysely<ImTables>;
  enqueue: Enqueue;
  /** Wakes the webhook worker once deliveries were written. */
  kick(): void;
  settings: ImSettingsStore;
  visitors: Pick<VisitorsService, 'contacts'>;
  agents: Pick<AgentsService, 'card'>;
  chats: Pick<ChatService, 'everWithPeople'>;
  /** Keys delivery ids: a secret of this installation. */
  deliveryIdKey: string;
}

type Delivery = Omit<NewDelivery, 'deliveryId'>;

/** Visitors whose customer token (or its absence) this node remembers. */
const TOKENS_REMEMBERED = 10_000;

/** The `im.webhooks` listener of the event log. */
export function createImListener(d: ImListenerDeps): EventListener<ParleyEvent> {
  /** A UUID-shaped delivery id, the same for the same event and index on every try. */
  function deliveryId(eventId: number, n: number): string {
    const h = createHmac('sha256', d.deliveryIdKey).update(`webhook-delivery:${eventId}:${n}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  // A visitor's customer token is set when it is created and never changes, so every message
  // event need not read it again: most visitors are the widget's, with none.
  const tokens = new Map<number, string | null>();
  async function customerToken(siteId: number, visitorId: number): Promise<string | null> {
    if (tokens.has(visitorId)) return tokens.get(visitorId)!;
    const token = (await d.visitors.contacts(siteId, [visitorId])).get(visitorId)?.customerToken ?? null;
    if (tokens.size >= TOKENS_REMEMBERED) tokens.delete(tokens.keys().next().value!);
    tokens.set(visitorId, token);
    return token;
  }

  async function agentCard(siteId: number, agentId: number | null) {
    const agent = agentId === null ? undefined : await d.agents.card(siteId, agentId);
    return { agent_id: agent?.id ?? null, agent_name: agent?.name ?? null, agent_avatar: agent?.avatarUrl ?? null };
  }

  /** What the customer's application is told of one event, if it is told anything. */
  async function deliveriesOf(event: ParleyEvent): Promise<Delivery[]> {
    if (event.name !== 'message.created' && event.name !== 'chat.assigned') return [];
    const token = await customerToken(event.siteId, event.visitorId);
    if (token === null) return []; // not an IM API customer
    const base = { siteId: event.siteId, visitorId: event.visitorId, chatId: event.chatId };
    if (event.name === 'chat.assigned') {
      const type = event.fromAgentId === null ? 'info_appoint' : 'transfer';
      const card = await agentCard(event.siteId, event.agentId);
      const data = event.fromAgentId === null ? { ...card } : { ...card, from_agent_id: event.fromAgentId };
      return [{ ...base, messageId: null, event: type, body: { customer_token: token, assign_type: 'agent', message: { type, message_id: null, im_sub_session_id: event.chatId, ...card, data } } }];
    }
    const m = event.message;
    // The customer's own messages, and the robot's hand-over note meant for agents, stay here.
    if (m.senderKind === 'visitor' || m.type === 'robot_transfer') return [];
    // A chat that never waited for people is a robot session; its close comes from the robot side.
    const robot = m.senderKind === 'bot' || (m.senderKind === 'system' && event.agentId === null && !(await d.chats.everWithPeople(event.siteId, event.chatId)));
    const message = { type: m.type, message_id: String(m.id), im_sub_session_id: event.chatId };
    const out: Delivery[] = [];
    if (robot) {
      out.push({ ...base, messageId: m.id, event: m.type, body: { customer_token: token, assign_type: 'robot', message: { ...message, data: m.data } } });
    } else {
      const card = await agentCard(event.siteId, m.senderKind === 'agent' ? m.senderId : event.agentId);
      out.push({ ...base, messageId: m.id, event: m.type, body: { customer_token: token, assign_type: 'agent', message: { ...message, ...card, data: m.data } } });
    }
    // After a conversation with an agent, the survey follows the close when the site asks for it.
    if (m.type === 'close' && event.agentId !== null) {
      const { survey } = await d.settings.get(event.siteId);
      const afterSession = survey.methods.some((x) => x.flag === 'after_session' && x.enabled);
      if (survey.enabled && afterSession) {
        const card = await agentCard(event.siteId, event.agentId);
        const body = { customer_token: token, assign_type: 'agent', message: { type: 'survey', message_id: null, im_sub_session_id: event.chatId, ...card, data: { survey_options: survey } } };
        out.push({ ...base, messageId: null, event: 'survey', body });
      }
    }
    return out;
  }

  return {
    name: 'im.webhooks',
    types: new Set(['message.created', 'chat.assigned']),
    async handle({ id, event }: StoredEvent<ParleyEvent>): Promise<void> {
      const deliveries = await deliveriesOf(event);
      if (deliveries.length === 0) return;
      await d.db.transaction().execute(async (trx) => {
        for (const [n, delivery] of deliveries.entries()) await d.enqueue(trx, { ...delivery, deliveryId: deliveryId(id, n) });
      });
      d.kick();
    },
  };
}

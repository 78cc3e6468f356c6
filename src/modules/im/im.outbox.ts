// What an IM API customer's application is told, through the webhook outbox: every robot and agent
// reply, the close (with the survey when the site asks after a session), and each assignment or
// transfer to an agent. Each delivery is written in the transaction that stored what it reports.
import type { Transaction } from 'kysely';
import type { Chat, DB, Message } from '../../platform/db/schema.ts';
import type { ChatHooks } from '../chat/index.ts';
import type { NewDelivery } from '../webhooks/index.ts';
import type { ImSettings } from './im.settings.ts';

type Enqueue = (trx: Transaction<DB>, input: NewDelivery) => Promise<string | null>;

interface Deps {
  enqueue: Enqueue;
  settings(trx: Transaction<DB>, siteId: number): Promise<ImSettings>;
}

async function customerToken(trx: Transaction<DB>, chat: Chat): Promise<string | null> {
  const row = await trx.selectFrom('visitors').select('customer_token').where('site_id', '=', chat.site_id).where('id', '=', chat.visitor_id).executeTakeFirst();
  return row?.customer_token ?? null;
}

async function agentCard(trx: Transaction<DB>, siteId: number, agentId: number | null) {
  const agent =
    agentId === null ? undefined : await trx.selectFrom('agents').select(['id', 'name', 'avatar_url']).where('site_id', '=', siteId).where('id', '=', agentId).executeTakeFirst();
  return { agent_id: agent?.id ?? null, agent_name: agent?.name ?? null, agent_avatar: agent?.avatar_url ?? null };
}

/** The chat hooks that write the IM webhook outbox. */
export function createImOutbox({ enqueue, settings }: Deps): ChatHooks {
  async function deliver(trx: Transaction<DB>, chat: Chat, event: string, messageId: number | null, body: unknown): Promise<void> {
    await enqueue(trx, { siteId: chat.site_id, visitorId: chat.visitor_id, chatId: chat.id, messageId, event, body });
  }

  return {
    async messageStored(trx, chat, message: Message) {
      // The customer's own messages, and the robot's hand-over note meant for agents, stay here.
      if (message.sender_kind === 'visitor' || message.type === 'robot_transfer') return;
      const token = await customerToken(trx, chat);
      if (token === null) return;
      const data = JSON.parse(message.body) as Record<string, unknown>;
      // A chat that never waited for people is a robot session; its close comes from the robot side.
      const robot = message.sender_kind === 'bot' || (message.sender_kind === 'system' && chat.agent_id === null && chat.queued_at === null);
      const base = { type: message.type, message_id: String(message.id), im_sub_session_id: chat.id };
      if (robot) {
        await deliver(trx, chat, message.type, message.id, { customer_token: token, assign_type: 'robot', message: { ...base, data } });
      } else {
        const agentId = message.sender_kind === 'agent' ? message.sender_id : chat.agent_id;
        const card = await agentCard(trx, chat.site_id, agentId);
        await deliver(trx, chat, message.type, message.id, { customer_token: token, assign_type: 'agent', message: { ...base, ...card, data } });
      }
      // After a conversation with an agent, the survey follows the close when the site asks for it.
      if (message.type === 'close' && chat.agent_id !== null) {
        const { survey } = await settings(trx, chat.site_id);
        const afterSession = survey.methods.some((m) => m.flag === 'after_session' && m.enabled);
        if (survey.enabled && afterSession) {
          const card = await agentCard(trx, chat.site_id, chat.agent_id);
          const body = { customer_token: token, assign_type: 'agent', message: { type: 'survey', message_id: null, im_sub_session_id: chat.id, ...card, data: { survey_options: survey } } };
          await deliver(trx, chat, 'survey', null, body);
        }
      }
    },

    async chatAssigned(trx, chat, fromAgentId) {
      const token = await customerToken(trx, chat);
      if (token === null) return;
      const type = fromAgentId === null ? 'info_appoint' : 'transfer';
      const card = await agentCard(trx, chat.site_id, chat.agent_id);
      const data = fromAgentId === null ? { ...card } : { ...card, from_agent_id: fromAgentId };
      const body = { customer_token: token, assign_type: 'agent', message: { type, message_id: null, im_sub_session_id: chat.id, ...card, data } };
      await deliver(trx, chat, type, null, body);
    },
  };
}

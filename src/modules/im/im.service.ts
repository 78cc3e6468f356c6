// The IM API's operations (spec/im-api.md) for a customer's application: customers by their
// `customer_token`, sessions with the robot or people, messages, the queue, surveys, robot answer
// ratings and offline messages. Each call acts in one site (its key's) as the customer's visitor.
import type { SiteContext } from '../../platform/context.ts';
import { BadRequest, Forbidden, InvalidState, NotFound, QueueFull } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ChatService, ChatView, MessageView } from '../chat/index.ts';
import type { RobotService } from '../robot/index.ts';
import type { CustomerFields, CustomerRecord, VisitorsService } from '../visitors/index.ts';
import { customerContent } from './im.content.ts';
import type { ImEvent } from './im.events.ts';
import * as repo from './im.repository.ts';
import type { ImSettingsStore } from './im.settings.ts';
import type { ImTables } from './im.tables.ts';

export interface CustomerInput {
  customer_token: string;
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  custom_fields?: Record<string, string | number | boolean | null> | undefined;
}

export interface CustomerView {
  customer_token: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  custom_fields: Record<string, unknown>;
  created_at: string;
}

function presentCustomer(v: CustomerRecord): CustomerView {
  return { customer_token: v.customerToken, name: v.name, email: v.email, phone: v.phone, custom_fields: v.info, created_at: v.createdAt };
}

/** The fields a customer input changes (null clears a field). */
function fieldsOf(c: CustomerInput): CustomerFields {
  return { name: c.name, email: c.email, phone: c.phone, info: c.custom_fields };
}

export interface SessionRequest {
  customer_token: string;
  assign_type?: 'robot' | 'agent' | undefined;
  agent_id?: number | undefined;
  group_id?: number | undefined;
  channel?: string | undefined;
}

/** The question a robot answer answers (0: small talk), as its data says. */
const questionOf = (m: MessageView): unknown => (m.data as { question_id?: unknown }).question_id;

/** The spec's queue statuses: queued, not queued, in a session, being assigned. */
export const queueStatuses = { queued: '排队中', none: '未排队', talking: '会话中', assigning: '分配中' } as const;

export interface ImServiceDeps {
  chats: ChatService;
  robot: RobotService;
  visitors: Pick<VisitorsService, 'customers' | 'contacts' | 'rename'>;
  agents: Pick<AgentsService, 'card'>;
  settings: ImSettingsStore;
  events: EventLog<ImTables, ImEvent>;
  /** Wakes the webhook worker after something was written to the outbox. */
  kick(): void;
}

/** The IM API operations: the spec's customers, sessions, messages, queue, surveys, ratings and offline messages. */
export interface ImService {
  /** Creates the customer, or updates the given fields of an existing one; `created` tells which. */
  saveCustomer(siteId: number, input: CustomerInput): Promise<{ customer: CustomerView; created: boolean }>;
  /** Updates an existing customer only. */
  updateCustomer(siteId: number, input: CustomerInput): Promise<CustomerView>;
  getCustomer(siteId: number, token: string): Promise<CustomerView>;
  /** Opens a session, or returns the customer's open one (the spec's answer to POST /im/sessions). */
  openSession(siteId: number, r: SessionRequest): Promise<SessionAssignment>;
  /** A customer's message or event in one of its sessions; `close` ends the session. */
  sendMessage(
    siteId: number,
    m: { customer_token: string; im_sub_session_id: number; type?: string | undefined; data: unknown; client_message_id?: string | undefined },
  ): Promise<{ message_id: string | null; im_sub_session_id: number }>;
  /** Where the customer stands: not queued, queued (with its place), being assigned, or talking. */
  queueStatus(siteId: number, token: string): Promise<{ status: string; count: number; im_sub_session_id: number | null }>;
  /** The customer's answer to the survey of a session that an agent took part in. */
  answerSurvey(siteId: number, a: { im_sub_session_id: number; option_id: number; remark?: string | undefined; customer_token?: string | undefined }): Promise<void>;
  /** A widget visitor's answer to the survey of its chat. */
  answerSurveyOf(siteId: number, visitorId: number, chatId: number, optionId: number, remark?: string): Promise<void>;
  /** The customer says whether one robot answer was useful. */
  rateAnswer(siteId: number, r: { customer_token: string; message_id: number; question_id: number; useful: boolean }): Promise<void>;
  /** A widget visitor says whether a robot answer in its chat was useful. */
  rateAnswerOf(siteId: number, visitorId: number, chatId: number, messageId: number, useful: boolean): Promise<void>;
  /** A message the customer leaves when nobody can take a chat. */
  leaveOfflineMessage(
    siteId: number,
    o: { customer_token: string; content: string; email?: string | undefined; phone?: string | undefined; group_id?: number | undefined },
  ): Promise<{ offline_message_id: number }>;
  /** A message a widget visitor leaves when nobody can take a chat; returns its id. */
  leaveOfflineMessageOf(siteId: number, visitorId: number, o: { content: string; name?: string | undefined; email?: string | undefined; phone?: string | undefined }): Promise<number>;
}

/** The spec's answer to POST /im/sessions. */
export type SessionAssignment =
  | { message: string; assign_type: 'robot'; assign_info: Record<string, unknown> }
  | { message: string; assign_type: 'agent'; assign_info: Record<string, unknown> };

/** The IM API operations. */
export function createImService({ chats, robot, visitors, agents, settings, events, kick }: ImServiceDeps): ImService {
  const asCustomer = (siteId: number, v: { id: number }): SiteContext => ({ siteId, actor: { kind: 'visitor', siteId, visitorId: v.id } });

  async function customer(siteId: number, token: string): Promise<CustomerRecord> {
    const v = await visitors.customers.find(siteId, token);
    if (!v) throw new NotFound('customer', token);
    if (v.isBanned) throw new Forbidden('This customer is banned.');
    return v;
  }

  /** A session (chat) of the site that belongs to the customer. */
  async function sessionOf(siteId: number, v: CustomerRecord, sessionId: number): Promise<ChatView> {
    try {
      return await chats.get(asCustomer(siteId, v), sessionId);
    } catch (err) {
      if (err instanceof NotFound) throw new NotFound('session', sessionId);
      throw err;
    }
  }

  /** The spec's answer to POST /im/sessions for a chat as it is now. */
  async function assignment(siteId: number, chat: ChatView): Promise<SessionAssignment> {
    const s = await settings.get(siteId);
    if (chat.status === 'bot') {
      const { robot: r, guide } = await robot.greeting(siteId);
      return {
        message: r.welcomeMessage,
        assign_type: 'robot' as const,
        assign_info: {
          robot_name: r.name,
          robot_avatar: r.avatar ?? '',
          welcome_message: r.welcomeMessage,
          unknow_message: r.unknownMessage,
          im_sub_session_id: chat.id,
          gus_list: guide,
        },
      };
    }
    const agent = chat.agentId === null ? undefined : await agents.card(siteId, chat.agentId);
    const count = chat.status === 'queued' ? (chat.queuePosition ?? 1) : 0;
    return {
      message: agent ? `${agent.name} is with you.` : `You are number ${count} in the queue; an agent will be with you shortly.`,
      assign_type: 'agent' as const,
      assign_info: {
        im_sub_session_id: chat.id,
        count,
        agent_id: agent?.id ?? null,
        agent_name: agent?.name ?? null,
        agent_avatar: agent?.avatarUrl ?? null,
        survey_options: s.survey,
      },
    };
  }

  async function answerSurvey(siteId: number, chatId: number, visitorId: number | undefined, optionId: number, remark: string | undefined) {
    const { survey } = await settings.get(siteId);
    const chat = await chats.findInSite(siteId, chatId);
    if (!chat || (visitorId !== undefined && chat.visitorId !== visitorId)) throw new NotFound('session', chatId);
    if (!survey.enabled) throw new InvalidState('Surveys are turned off on this site.');
    // Agents who only joined or watched are not who the visitor rates.
    const agentId = chat.agentId ?? (await chats.lastOwnerOf(siteId, chat.id));
    if (agentId === null) throw new InvalidState(`Session ${chat.id} has had no agent to rate.`);
    const option = survey.options.find((o) => o.id === optionId && o.enabled);
    if (!option) throw new BadRequest(`option_id ${optionId} is not an option of this site's survey.`);
    if (remark !== undefined && remark.trim() !== '' && !survey.remark_enabled) throw new BadRequest('Remarks are turned off on this site.');
    const answer = { siteId, chatId: chat.id, agentId, optionId: option.id, optionText: option.text, remark: remark?.trim() || null };
    const satisfied = survey.options.filter((o) => o.enabled).indexOf(option) < 2;
    await events.transaction(async (trx, emit) => {
      await repo.saveSurvey(trx, answer);
      emit({ name: 'survey.answered', visitorId: chat.visitorId, ...answer, satisfied });
    });
  }

  async function rateAnswer(siteId: number, visitorId: number, messageId: number, questionId: number, useful: boolean) {
    const m = await chats.robotAnswer(siteId, visitorId, messageId);
    if (!m) throw new NotFound('message', messageId);
    const answered = questionOf(m);
    if (questionId === 0 || answered !== questionId) {
      throw new BadRequest(`Message ${messageId} answers ${answered === 0 ? 'small talk, which is not rated' : `question ${String(answered)}`}, not question ${questionId}.`);
    }
    await robot.rate(siteId, { chatId: m.chatId, messageId: m.id, questionId, useful });
  }

  async function leaveOfflineMessage(
    siteId: number,
    v: { id: number; email: string | null; phone: string | null },
    o: { content: string; email?: string | undefined; phone?: string | undefined; group_id?: number | undefined },
    channel: 'im' | null,
  ): Promise<number> {
    if (o.group_id !== undefined) await chats.checkDestination(siteId, { groupId: o.group_id });
    const groupId = o.group_id ?? null;
    return events.transaction(async (trx, emit) => {
      const id = await repo.insertOfflineMessage(trx, { siteId, visitorId: v.id, groupId, content: o.content, email: o.email ?? v.email, phone: o.phone ?? v.phone });
      emit({ name: 'offlineMessage.left', siteId, visitorId: v.id, offlineMessageId: id, groupId, channel });
      return id;
    });
  }

  return {
    /** Creates the customer, or updates the given fields of an existing one; `created` tells which. */
    async saveCustomer(siteId: number, input: CustomerInput): Promise<{ customer: CustomerView; created: boolean }> {
      const { customer: saved, created } = await visitors.customers.save(siteId, input.customer_token, fieldsOf(input));
      return { customer: presentCustomer(saved), created };
    },

    /** Updates an existing customer only. */
    async updateCustomer(siteId: number, input: CustomerInput): Promise<CustomerView> {
      const v = await visitors.customers.update(siteId, input.customer_token, fieldsOf(input));
      if (!v) throw new NotFound('customer', input.customer_token);
      return presentCustomer(v);
    },

    async getCustomer(siteId: number, token: string): Promise<CustomerView> {
      const v = await visitors.customers.find(siteId, token);
      if (!v) throw new NotFound('customer', token);
      return presentCustomer(v);
    },

    /**
     * Opens a session, or returns the customer's open one. Precedence as the spec says: agent_id,
     * then group_id, then assign_type. A customer with the robot who asks for people is handed over
     * (robot_transfer); a customer already with people keeps the session they have.
     */
    async openSession(siteId: number, r: SessionRequest) {
      // A customer the application has not created yet is created, nameless, on first use; a
      // refusal takes it back (except a full queue: the customer may then leave an offline message).
      const { customer: visitor, created } = await visitors.customers.save(siteId, r.customer_token, {});
      if (visitor.isBanned) throw new Forbidden('This customer is banned.');
      const ctx = asCustomer(siteId, visitor);
      const to = r.agent_id !== undefined ? { agentId: r.agent_id } : r.group_id !== undefined ? { groupId: r.group_id } : {};
      const wantsPeople = r.agent_id !== undefined || r.group_id !== undefined || r.assign_type === 'agent';
      let chat: ChatView;
      try {
        const open = (await chats.list(ctx, { statuses: ['bot', 'queued', 'assigned', 'active'], limit: 1 }))[0];
        if (open?.status === 'bot' && wantsPeople) chat = await chats.switchToAgents(ctx, open.id, to, 'customer');
        else if (open) chat = open;
        else chat = (await chats.request(ctx, { assignType: wantsPeople ? 'agent' : 'robot', ...to, channel: r.channel ?? 'im' })).chat;
      } catch (err) {
        if (created && !(err instanceof QueueFull)) await visitors.customers.discardIfUnused(siteId, visitor.id, (ex) => chats.hasChats(siteId, visitor.id, ex));
        throw err;
      }
      kick();
      return assignment(siteId, chat);
    },

    /** A customer's message or event in one of its sessions; `close` ends the session. */
    async sendMessage(siteId: number, m: { customer_token: string; im_sub_session_id: number; type?: string | undefined; data: unknown; client_message_id?: string | undefined }) {
      const v = await customer(siteId, m.customer_token);
      const { type, data } = customerContent(m.type ?? 'message', m.data);
      const session = await sessionOf(siteId, v, m.im_sub_session_id);
      const ctx = asCustomer(siteId, v);
      if (type === 'close') {
        if (session.status === 'ended') throw new InvalidState(`Session ${session.id} has already ended.`);
        const ended = await chats.end(ctx, session.id);
        kick();
        return { message_id: null, im_sub_session_id: ended.id };
      }
      const { message } = await chats.send(ctx, session.id, { type, data, clientMessageId: m.client_message_id });
      kick();
      return { message_id: String(message.id), im_sub_session_id: session.id };
    },

    /** Where the customer stands: not queued, queued (with its place), being assigned, or talking. */
    async queueStatus(siteId: number, token: string) {
      const v = await customer(siteId, token);
      const open = (await chats.list(asCustomer(siteId, v), { statuses: ['bot', 'queued', 'assigned', 'active'], limit: 1 }))[0];
      if (!open || open.status === 'bot') return { status: queueStatuses.none, count: 0, im_sub_session_id: open?.id ?? null };
      if (open.status === 'queued') return { status: queueStatuses.queued, count: open.queuePosition ?? 1, im_sub_session_id: open.id };
      return { status: open.status === 'assigned' ? queueStatuses.assigning : queueStatuses.talking, count: 0, im_sub_session_id: open.id };
    },

    /** The customer's answer to the survey of a session that an agent took part in. */
    async answerSurvey(siteId: number, a: { im_sub_session_id: number; option_id: number; remark?: string | undefined; customer_token?: string | undefined }) {
      const visitorId = a.customer_token === undefined ? undefined : (await customer(siteId, a.customer_token)).id;
      await answerSurvey(siteId, a.im_sub_session_id, visitorId, a.option_id, a.remark);
    },

    /** A widget visitor's answer to the survey of its chat. */
    answerSurveyOf: (siteId: number, visitorId: number, chatId: number, optionId: number, remark?: string) => answerSurvey(siteId, chatId, visitorId, optionId, remark),

    /** The customer says whether one robot answer was useful. */
    async rateAnswer(siteId: number, r: { customer_token: string; message_id: number; question_id: number; useful: boolean }) {
      const v = await customer(siteId, r.customer_token);
      await rateAnswer(siteId, v.id, r.message_id, r.question_id, r.useful);
    },

    /** A widget visitor says whether a robot answer in its chat was useful (the message names the question). */
    async rateAnswerOf(siteId: number, visitorId: number, chatId: number, messageId: number, useful: boolean) {
      const m = await chats.robotAnswer(siteId, visitorId, messageId);
      if (!m || m.chatId !== chatId) throw new NotFound('message', messageId);
      const questionId = questionOf(m);
      if (typeof questionId !== 'number' || questionId === 0) throw new BadRequest(`Message ${messageId} is not an answer to a question, so it is not rated.`);
      await robot.rate(siteId, { chatId: m.chatId, messageId: m.id, questionId, useful });
    },

    /** A message the customer leaves when nobody can take a chat. */
    async leaveOfflineMessage(siteId: number, o: { customer_token: string; content: string; email?: string | undefined; phone?: string | undefined; group_id?: number | undefined }) {
      const v = await customer(siteId, o.customer_token);
      return { offline_message_id: await leaveOfflineMessage(siteId, v, o, 'im') };
    },

    /** A message a widget visitor leaves when nobody can take a chat; returns its id. */
    async leaveOfflineMessageOf(siteId: number, visitorId: number, o: { content: string; name?: string | undefined; email?: string | undefined; phone?: string | undefined }) {
      const v = (await visitors.contacts(siteId, [visitorId])).get(visitorId);
      if (!v) throw new NotFound('visitor', visitorId);
      if (o.name !== undefined) await visitors.rename(siteId, visitorId, o.name);
      return leaveOfflineMessage(siteId, v, o, null);
    },
  };
}


// The life of a chat: a visitor asks (the robot or a human), routing assigns or queues it, the
// agent accepts, both sides exchange messages, either side ends it. Transfers, the robot hand-over,
// message edits and read/typing signals live in their own files. Each change commits with the
// events that tell of it; they go out once it has committed.
import type { SiteContext } from '../../platform/context.ts';
import { type Executor, isUniqueViolation } from '../../platform/db/database.ts';
import type { Chat, ChatStatus } from './chat.tables.ts';
import { BadRequest, Forbidden, InvalidState, QueueFull } from '../../platform/errors.ts';
import type { Emit } from '../../platform/events/index.ts';
import { hasContent, sanitizeRichText } from '../../platform/text/rich-text.ts';
import { type ChatCore, type ChatDeps, createChatCore, type Destination, type WebviewTags } from './chat.core.ts';
import type { ChatEvent } from './chat.events.ts';

export type { Destination };
import { createChatConsole, type SearchResult, type WrapUp } from './chat.console.ts';
import { createChatEditing } from './chat.editing.ts';
import { createFileSettings, type FileSettingsStore } from './chat.files.settings.ts';
import { createChatFiles, type StoredFile } from './chat.files.ts';
import { createChatHandover } from './chat.handover.ts';
import { type AuditedMessageView, type ChatView, type MessageView, presentChat, presentMessage } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';
import { createChatSignals } from './chat.signals.ts';

export interface MessageInput {
  /** An IM API message type (message, image, audio, video, file, rich, struct) or customer event. */
  type: string;
  data: Record<string, unknown>;
  clientMessageId?: string | undefined;
}

/** Who a new chat starts with: the robot, or the agents (routing). */
export type AssignType = 'robot' | 'agent';

/** A WebView chat's skill and urgency come with the request (docs/mobile-webview.md). */
export interface ChatRequest extends Destination, WebviewTags {
  message?: MessageInput | undefined;
  assignType?: AssignType | undefined;
  channel?: string | undefined;
}

/** A visitor's open chat, as the visitor list shows it. */
export interface OpenChatView {
  id: number;
  status: ChatStatus;
  agentId: number | null;
}

/** The chat module's door. */
export interface ChatService {
  /**
   * A visitor asks for a chat: with the robot (the default), or with people — a named agent, a
   * group, or whoever the site's rule picks — optionally with a first message. A visitor with an
   * open chat on the site gets that chat back (the message, if any, is added to it).
   */
  request(ctx: SiteContext, input: ChatRequest): Promise<{ chat: ChatView; created: boolean }>;
  /** The assigned agent accepts the chat. */
  accept(ctx: SiteContext, chatId: number): Promise<ChatView>;
  /** Sends a message into a chat; a repeated client message id returns the first message. */
  send(ctx: SiteContext, chatId: number, input: MessageInput): Promise<{ message: MessageView; created: boolean }>;
  /** Ends a chat: its visitor, its agent or a site admin may. */
  end(ctx: SiteContext, chatId: number): Promise<ChatView>;
  /** Ends the chats that waited in a queue longer than their site allows; returns how many ended. */
  endOverdueQueuedChats(now?: Date): Promise<number>;
  /** One chat the caller may see, with the card of the agent who has it. */
  get(ctx: SiteContext, chatId: number): Promise<ChatView>;
  /** Chats the caller may see, newest first: a visitor's own, or all of the site for agents. */
  list(ctx: SiteContext, f: Omit<repo.ChatFilter, 'statuses'> & { status?: ChatStatus | undefined; statuses?: ChatStatus[] | undefined }): Promise<ChatView[]>;
  /** A chat's messages in order, after a sequence number. */
  messages(ctx: SiteContext, chatId: number, afterSeq: number, limit: number): Promise<MessageView[]>;
  /** Every message of a visitor's chats after a message id (the operator API's client history). */
  messagesOfVisitor(ctx: SiteContext, visitorId: number, afterId: number, limit: number): Promise<MessageView[]>;
  /** Chats of every site by status (for metrics). */
  countByStatus(): Promise<Record<string, number>>;
  /** The agent a chat is offered to declines it: back to the queue, never offered to that agent again. */
  refuse(ctx: SiteContext, chatId: number): Promise<ChatView>;
  /** Another agent joins the chat and may write in it. */
  join(ctx: SiteContext, chatId: number): Promise<ChatView>;
  /** An agent watches the chat silently. */
  monitor(ctx: SiteContext, chatId: number): Promise<ChatView>;
  /** A joined or monitoring agent leaves the chat. */
  leave(ctx: SiteContext, chatId: number): Promise<void>;
  /** Whether an agent joined a chat (and has not left). */
  hasJoined(siteId: number, chatId: number, agentId: number): Promise<boolean>;
  /** Records the wrap-up (category and note) of a chat. */
  wrapUp(ctx: SiteContext, chatId: number, w: WrapUp): Promise<ChatView>;
  /** The site's chat history matching a text, a visitor's name or e-mail, newest first. */
  search(ctx: SiteContext, q: string, limit: number, beforeId?: number): Promise<SearchResult[]>;
  /** The caller's own message, changed. */
  editMessage(ctx: SiteContext, chatId: number, messageId: number, content: string): Promise<MessageView>;
  /** The caller's own message, withdrawn. */
  deleteMessage(ctx: SiteContext, chatId: number, messageId: number): Promise<MessageView>;
  /** A chat's messages with what they were before each change (site admins). */
  auditedMessages(ctx: SiteContext, chatId: number, afterSeq: number, limit: number): Promise<AuditedMessageView[]>;
  /** Transfers a chat to one agent of the site, whatever that agent's load. */
  transferToAgent(ctx: SiteContext, chatId: number, toAgentId: number): Promise<ChatView>;
  /** Transfers a chat to a group: it waits for the group's next free member. */
  transferToGroup(ctx: SiteContext, chatId: number, groupId: number): Promise<ChatView>;
  /** Hands a chat to the robot. */
  switchToBot(ctx: SiteContext, chatId: number): Promise<ChatView>;
  /** Hands a robot chat to people (a named agent, a group, or the site's rule). */
  switchToAgents(ctx: SiteContext, chatId: number, to?: Destination, by?: 'customer' | 'robot', tags?: WebviewTags): Promise<ChatView>;
  /** Gives an unavailable agent's chats in these statuses back to the queue. */
  releaseAgent(siteId: number, agentId: number, statuses: ChatStatus[]): Promise<void>;
  rename(ctx: SiteContext, chatId: number, name: string): Promise<ChatView>;
  /** The caller read the chat up to `seq`. */
  markRead(ctx: SiteContext, chatId: number, seq: number): Promise<ChatView>;
  /** The caller is typing, or stopped (not kept). */
  typing(ctx: SiteContext, chatId: number, typing: boolean): Promise<void>;
  /** Rebalances a site: hands waiting chats to agents with room. */
  route(siteId: number): Promise<unknown>;
  /** Checks where a chat for people should go; returns the destination that wins. */
  checkDestination(siteId: number, to: Destination): Promise<Destination>;
  /** A chat of the site, whoever's it is (for callers that check ownership themselves). */
  findInSite(siteId: number, chatId: number): Promise<ChatView | undefined>;
  /** The open chat of each of these visitors. */
  openChatsOf(siteId: number, visitorIds: number[], ex?: Executor): Promise<Map<number, OpenChatView>>;
  /** Whether a visitor has any chat (read through `ex`, the caller's transaction). */
  hasChats(siteId: number, visitorId: number, ex?: Executor): Promise<boolean>;
  /** The agent who last owned a chat, if any did. */
  lastOwnerOf(siteId: number, chatId: number): Promise<number | null>;
  /** A robot answer in one of the visitor's chats. */
  robotAnswer(siteId: number, visitorId: number, messageId: number): Promise<MessageView | undefined>;
  /** Whether a chat ever waited for or had an agent (else it was the robot's alone). */
  everWithPeople(siteId: number, chatId: number): Promise<boolean>;
  /** Stores a file and sends it as a message in the chat. */
  uploadFile(ctx: SiteContext, chatId: number, f: { name: string; declaredType: string; data: Uint8Array; clientMessageId?: string | undefined }): Promise<{ message: MessageView; created: boolean }>;
  /** A file by its key, while its site is open. */
  downloadFile(key: string): Promise<StoredFile>;
  /** Who may send files in a site's chats, and how large. */
  fileSettings: FileSettingsStore;
  /** A site's chats (all, requested since `since`, open) and messages, for its partner's usage figures. */
  usage(siteId: number, since: string): Promise<repo.ChatUsage>;
}

/** The plain text of a message, for the robot (rich HTML loses its tags). */
function textOf(m: MessageInput): string {
  const content = m.data.content;
  return typeof content === 'string' ? content.replace(/<[^>]*>/g, ' ') : '';
}

/**
 * Appends a message unless the sender already sent one with this client id; returns the message
 * and whether it is new. A customer's text in a chat with the robot is answered in the same
 * transaction, so neither is stored without the other. A retry of a message stored before the
 * chat ended still gets its answer.
 */
async function append(core: ChatCore, chat: Chat, m: repo.NewMessage, input?: MessageInput): Promise<Appended> {
  const { db } = core;
  const earlier = await repo.findByClientId(db, chat.site_id, chat.id, m);
  if (earlier) return { message: presentMessage(earlier), created: false, replies: [] };
  if (chat.status === 'ended') throw new InvalidState(`Chat ${chat.id} has ended.`);
  const asksRobot = chat.status === 'bot' && m.senderKind === 'visitor' && input?.type === 'message' && core.robot;
  const reply = asksRobot ? await core.robot!.respond({ siteId: chat.site_id, robotMisses: chat.robot_misses }, textOf(input)) : undefined;
  try {
    return await core.events.transaction(async (trx, emit) => {
      const row = await core.appendMessage(trx, chat, m);
      const message = presentMessage(row);
      core.announceMessage(emit, chat, message);
      if (!reply) return { message, created: true, replies: [] };
      const answer = presentMessage(await core.appendMessage(trx, chat, { senderKind: 'bot', senderId: null, type: 'message', data: reply.data, clientMessageId: null }));
      core.announceMessage(emit, chat, answer);
      emit({
        name: 'robot.answered',
        siteId: chat.site_id,
        chatId: chat.id,
        visitorId: chat.visitor_id,
        messageId: message.id,
        answerId: answer.id,
        questionId: reply.questionId,
        answered: reply.answered,
        handover: reply.handover,
      });
      await repo.countRobotMiss(trx, chat.site_id, chat.id, !reply.answered);
      return { message, created: true, replies: [answer], handover: reply.handover };
    });
  } catch (err) {
    // A concurrent retry with the same client id won the race: answer with its message.
    const winner = isUniqueViolation(err) ? await repo.findByClientId(db, chat.site_id, chat.id, m) : undefined;
    if (winner) return { message: presentMessage(winner), created: false, replies: [] };
    throw err;
  }
}

interface Appended {
  message: MessageView;
  created: boolean;
  /** The robot's answers stored with the message. */
  replies: MessageView[];
  /** The robot hands the chat over to people. */
  handover?: boolean;
}

/**
 * Ends a chat (still held by `heldBy` when given, and still in one of `from`) with its `close`
 * message in one transaction and announces it; undefined if it had already ended or changed hands.
 */
async function endChat(
  core: ChatCore,
  chat: Chat,
  endedBy: 'visitor' | 'agent' | 'system',
  heldBy: number | undefined,
  extra: Record<string, unknown> = {},
  from: ChatStatus[] = repo.OPEN,
): Promise<ChatView | undefined> {
  const endedView = await core.events.transaction(async (trx, emit) => {
    const set = { status: 'ended' as const, ended_at: new Date().toISOString(), ended_by: endedBy };
    const ended = await repo.transitionChat(trx, chat.site_id, chat.id, from, set, heldBy);
    if (!ended) return undefined;
    const close = presentMessage(await core.appendMessage(trx, ended, { senderKind: 'system', senderId: null, type: 'close', data: { endedBy, ...extra }, clientMessageId: null }));
    core.announceMessage(emit, ended, close);
    const view = presentChat({ ...ended, last_seq: close.seq });
    const base = { siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id };
    emit({ name: 'chat.ended', ...base, agentId: ended.agent_id, endedBy, chat: view });
    return view;
  });
  if (!endedView) return undefined;
  // The queue moves: an agent may have room again (even if the chat was read as queued, routing
  // may have given it to one meanwhile), and a queued chat left its queue.
  if (chat.status !== 'bot') {
    const { rule } = await core.settings(chat.site_id);
    await core.routing(chat.site_id, async (trx, emit) => {
      const assigned = await core.drain(trx, emit, chat.site_id, rule);
      if (assigned.length === 0 && chat.status === 'queued') await core.announceQueue(trx, emit, chat.site_id);
    });
  }
  return endedView;
}

/** Chat operations, each scoped to the caller's site. */
export function createChatService(deps: ChatDeps): ChatService {
  const core = createChatCore(deps);
  const { db, events, view, visibleChat } = core;
  const handover = createChatHandover(core);
  const consoleOps = createChatConsole(core);

  async function findOpen(siteId: number, visitorId: number): Promise<Chat | undefined> {
    return repo.findOpenChatOfVisitor(db, siteId, visitorId);
  }

  /** Opens a chat for a visitor that has none; a concurrent request of the same visitor may win. */
  async function openChat(ctx: SiteContext, visitorId: number, input: ChatRequest): Promise<{ chat: Chat; created: boolean }> {
    // The native API's default is people; the IM API always says which it wants.
    const wantsPeople = input.agentId !== undefined || input.groupId !== undefined || (input.assignType ?? 'agent') === 'agent';
    const requested = (chat: Chat, emit: Emit<ChatEvent>) => emit({ name: 'chat.requested', siteId: ctx.siteId, chatId: chat.id, visitorId, chat: presentChat(chat) });
    try {
      if (!wantsPeople) {
        const chat = await events.transaction(async (trx, emit) => {
          const row = await repo.insertChat(trx, ctx.siteId, visitorId, { status: 'bot', channel: input.channel, skill: input.skill, urgent: input.urgent });
          requested(row, emit);
          return row;
        });
        return { chat, created: true };
      }
      const to = await core.checkDestination(ctx.siteId, input);
      const queued = await core.queueAndRoute(
        ctx.siteId,
        (trx) => repo.insertChat(trx, ctx.siteId, visitorId, { status: 'queued', groupId: to.groupId, requestedAgentId: to.agentId, channel: input.channel, skill: input.skill, urgent: input.urgent }),
        requested,
      );
      return { chat: queued!, created: true };
    } catch (err) {
      // A concurrent request of the same visitor opened the chat first (one open chat per visitor).
      const winner = isUniqueViolation(err) ? await findOpen(ctx.siteId, visitorId) : undefined;
      if (!winner) throw err;
      return { chat: winner, created: false };
    }
  }

  /** Stores a message and what the robot answers to it, announces both, and hands over if the robot says so. */
  async function store(ctx: SiteContext, chat: Chat, m: repo.NewMessage, input: MessageInput): Promise<{ message: MessageView; created: boolean }> {
    const appended = await append(core, chat, m, input);
    if (appended.handover) {
      // The answer that announced the handover is stored; a full queue leaves the chat with the robot.
      await handover.switchToAgents(ctx, chat.id, {}, 'robot').catch((err) => {
        if (!(err instanceof QueueFull || err instanceof InvalidState)) throw err;
      });
    }
    return { message: appended.message, created: appended.created };
  }

  /**
   * Refuses a writer who may not write in the chat: an agent must have it (or have joined it) and
   * have accepted it. An ended chat is left to the caller (a retry of a message stored before the
   * end still gets its answer from append()).
   */
  async function mayWrite(ctx: SiteContext, chat: Chat): Promise<void> {
    if (ctx.actor.kind !== 'agent') return;
    const agentId = ctx.actor.agentId;
    const joined = chat.agent_id !== agentId && (await consoleOps.hasJoined(ctx.siteId, chat.id, agentId));
    if (chat.agent_id !== agentId && !joined) throw new Forbidden("Only the chat's agent, or an agent who joined it, may write in it.");
    if (chat.status !== 'active' && chat.status !== 'ended') throw new InvalidState(`Chat ${chat.id} is ${chat.status}; accept it before writing.`);
  }

  const service = {
    route: core.route,
    checkDestination: core.checkDestination,
    /** A chat of the site, whoever's it is (for callers that check ownership themselves). */
    async findInSite(siteId: number, chatId: number) {
      const chat = await repo.findChat(db, siteId, chatId);
      return chat && presentChat(chat);
    },
    ...handover,
    ...consoleOps,
    ...createChatEditing(core),
    ...createChatSignals(core),

    /**
     * A visitor asks for a chat: with the robot (the default), or with people — a named agent, a
     * group, or whoever the site's rule picks — optionally with a first message. A visitor with an
     * open chat on the site gets that chat back (the message, if any, is added to it).
     */
    async request(ctx: SiteContext, input: ChatRequest): Promise<{ chat: ChatView; created: boolean }> {
      if (ctx.actor.kind !== 'visitor') throw new Forbidden('Only visitors request chats.');
      const visitorId = ctx.actor.visitorId;
      const existing = await findOpen(ctx.siteId, visitorId);
      const opened = existing ? { chat: existing, created: false } : await openChat(ctx, visitorId, input);
      const { chat, created } = opened;
      // The first message goes in after routing, so an agent just assigned receives it live.
      if (input.message) {
        const m = {
          senderKind: 'visitor' as const,
          senderId: visitorId,
          type: input.message.type,
          data: input.message.data,
          clientMessageId: input.message.clientMessageId ?? null,
        };
        await store(ctx, (await repo.findChat(db, ctx.siteId, chat.id)) ?? chat, m, input.message);
      }
      return { chat: await view(await visibleChat(ctx, chat.id)), created };
    },

    /** The assigned agent accepts the chat. */
    async accept(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const { agentId } = core.agentOf(ctx, 'accept chats');
      const chat = await visibleChat(ctx, chatId);
      if (chat.agent_id !== agentId) throw new Forbidden('This chat is not assigned to you.');
      // Still offered to this agent when it commits: a transfer may have moved it meanwhile.
      const accepted = await events.transaction(async (trx, emit) => {
        const row = await repo.transitionChat(trx, ctx.siteId, chatId, ['assigned'], { status: 'active', accepted_at: new Date().toISOString() }, agentId);
        if (!row) throw new InvalidState(`Chat ${chatId} is ${chat.status}; only an assigned chat can be accepted.`);
        emit({ name: 'chat.accepted', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId, chat: presentChat(row) });
        return row;
      });
      return presentChat(accepted);
    },

    /** Sends a message into a chat; a repeated client message id returns the first message. */
    async send(ctx: SiteContext, chatId: number, input: MessageInput): Promise<{ message: MessageView; created: boolean }> {
      if (ctx.actor.kind === 'site-client') throw new Forbidden('A partner client reads chats; only their visitor and agent write in them.');
      const chat = await visibleChat(ctx, chatId);
      await mayWrite(ctx, chat);
      const sender = ctx.actor.kind === 'agent' ? ctx.actor.agentId : ctx.actor.visitorId;
      let data = input.data;
      if (input.type === 'rich') {
        // Made safe here whoever sends it (the IM API's content check has done so already: idempotent).
        const content = sanitizeRichText(String(input.data.content ?? ''));
        if (!hasContent(content)) throw new BadRequest('The message has no content left once its HTML is made safe.');
        data = { ...input.data, content };
      }
      const m = { senderKind: ctx.actor.kind, senderId: sender, type: input.type, data, clientMessageId: input.clientMessageId ?? null };
      return store(ctx, chat, m, input);
    },

    /** Ends a chat: its visitor, its agent or a site admin may. */
    async end(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      const a = ctx.actor;
      if (a.kind === 'agent' && a.role !== 'admin' && chat.agent_id !== a.agentId) {
        throw new Forbidden("Only the chat's agent or a site admin may end it.");
      }
      // A plain agent ends the chat only if it still holds it when this commits.
      const heldBy = a.kind === 'agent' && a.role !== 'admin' ? a.agentId : undefined;
      const ended = await endChat(core, chat, a.kind === 'visitor' ? 'visitor' : 'agent', heldBy);
      if (!ended) {
        throw new InvalidState(heldBy !== undefined && chat.status !== 'ended' ? `Chat ${chatId} changed hands meanwhile.` : `Chat ${chatId} has already ended.`);
      }
      return ended;
    },

    /**
     * Ends the chats that waited in a queue longer than their site allows; each customer gets the
     * site's offline message with the close. Returns how many ended.
     */
    async endOverdueQueuedChats(now = new Date()): Promise<number> {
      let n = 0;
      for (const { siteId, seconds } of await core.tenancy.settings.withQueueWaitLimit()) {
        const before = new Date(now.getTime() - seconds * 1000).toISOString();
        const { offlineMessage } = await core.settings(siteId);
        for (const chat of await repo.queuedBefore(db, siteId, before, 200)) {
          // Only if still waiting: routing may have given it to an agent since it was read.
          if (await endChat(core, chat, 'system', undefined, { reason: 'queue_timeout', offlineMessage }, ['queued'])) n += 1;
        }
      }
      return n;
    },

    /** One chat the caller may see, with the card of the agent who has it. */
    async get(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      const agent = chat.agent_id === null ? null : ((await core.agents.card(ctx.siteId, chat.agent_id)) ?? null);
      return { ...(await view(chat)), agent };
    },

    /** Chats the caller may see, newest first: a visitor's own, or all of the site for agents. */
    async list(ctx: SiteContext, f: Omit<repo.ChatFilter, 'statuses'> & { status?: ChatStatus | undefined; statuses?: ChatStatus[] | undefined }): Promise<ChatView[]> {
      const visitorId = ctx.actor.kind === 'visitor' ? ctx.actor.visitorId : f.visitorId;
      const statuses = f.statuses ?? (f.status ? [f.status] : undefined);
      const chats = await repo.listChats(db, ctx.siteId, { ...f, statuses, visitorId });
      return Promise.all(chats.map((c) => view(c)));
    },

    /** A chat's messages in order, after a sequence number. */
    async messages(ctx: SiteContext, chatId: number, afterSeq: number, limit: number): Promise<MessageView[]> {
      await visibleChat(ctx, chatId);
      return (await repo.listMessages(db, ctx.siteId, chatId, afterSeq, limit)).map(presentMessage);
    },

    countByStatus: () => repo.countChatsByStatus(db),

    async openChatsOf(siteId: number, visitorIds: number[], ex?: Executor) {
      return repo.openChatsOf(ex ?? db, siteId, visitorIds);
    },

    async hasChats(siteId: number, visitorId: number, ex?: Executor): Promise<boolean> {
      return repo.hasChats(ex ?? db, siteId, visitorId);
    },

    lastOwnerOf: (siteId: number, chatId: number) => repo.lastOwnerOf(db, siteId, chatId),

    async robotAnswer(siteId: number, visitorId: number, messageId: number): Promise<MessageView | undefined> {
      const m = await repo.findRobotMessage(db, siteId, visitorId, messageId);
      return m && presentMessage(m);
    },

    usage: (siteId: number, since: string) => repo.siteUsage(db, siteId, since),

    async everWithPeople(siteId: number, chatId: number): Promise<boolean> {
      const chat = await repo.findChat(db, siteId, chatId);
      return chat !== undefined && (chat.agent_id !== null || chat.queued_at !== null);
    },
  };
  const fileSettings = createFileSettings(deps.tenancy, deps.fileMaxBytes);
  const files = createChatFiles(core, { publicUrl: deps.publicUrl ?? '', fileSettings, mayWrite, send: (ctx, chatId, input) => service.send(ctx, chatId, input) });
  return { ...service, uploadFile: files.upload, downloadFile: files.download, fileSettings };
}


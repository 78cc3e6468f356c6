// What each event of the log adds to the reports (docs/reports.md has every metric's definition).
// Counting is pure: it reads and changes the listener's remembered state (a chat's story, an
// agent's status, an earlier answer) and adds to rollups; the repository loads and stores both.
import type { DomainEvent, StoredEvent } from '../../platform/events/index.ts';
import type { ReportEvent } from './reports.events.ts';
import { QUARTER_MS, quarterOf } from './reports.time.ts';

/** The channels reports tell apart; a chat's recorded channel maps onto one (channelOf). */
export const CHANNELS = ['widget', 'im', 'webview', 'operator'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The chat's channel as the API records it, as reports count it: an IM customer's own labels are IM API chats. */
export function channelOf(recorded: string | null): Channel {
  if (recorded === null || recorded === 'widget') return 'widget';
  if (recorded === 'webview' || recorded === 'operator') return recorded;
  return 'im';
}

export const OUTCOMES = ['answered', 'missed', 'abandoned', 'robot'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One addition to a rollup row. */
export interface Addition {
  siteId: number;
  partnerId: number;
  bucket: number;
  metric: string;
  agentId: number;
  groupId: number;
  channel: string;
  bin: number;
  n: number;
  total: number;
}

/** A chat's story so far. Times are milliseconds since the epoch. */
export interface ChatStory {
  channel: Channel;
  requestedAt: number;
  /** When it was first handed to people (asked for at once, or switched from the robot). */
  peopleAt: number | null;
  queuedAt: number | null;
  inQueue: boolean;
  /** The first wait in the queue, once it ended with an assignment. */
  waitMs: number | null;
  agentId: number;
  groupId: number;
  acceptedAt: number | null;
  firstResponseMs: number | null;
  /** The first visitor message an agent has not answered yet. */
  awaitingSince: number | null;
  responses: number;
  responseMs: number;
}

interface AgentStatusState {
  status: string;
  since: number;
}

/** A survey answer or a robot rating as counted, so that answering again takes it back first. */
interface Answer {
  bucket: number;
  agentId: number;
  channel: string;
  metric: string;
  bin: number;
  extra: string | null;
}

/** The remembered state of one site, by key (`chat:12`…), as loaded for a batch of events; null: none. */
export interface StateCache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** The state keys an event reads (loaded before it is counted). */
export function keysOf(event: ReportEvent): string[] {
  switch (event.name) {
    case 'agent.statusChanged':
      return [`agent:${event.agentId}`];
    case 'survey.answered':
      return [`survey:${event.chatId}`];
    case 'robot.rated':
      return [`rating:${event.messageId}`, `chat:${event.chatId}`];
    case 'offlineMessage.left':
      return [];
    default:
      return 'chatId' in event ? [`chat:${event.chatId}`] : [];
  }
}

/** The bins of a duration histogram: its value's upper edge in seconds (1 s wide to 10 min, 10 s to 1 h, 1 min beyond). */
export function binOf(ms: number): number {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s <= 600) return s;
  if (s <= 3600) return Math.ceil(s / 10) * 10;
  return Math.ceil(s / 60) * 60;
}

/**
 * Counts one event: `add` receives its additions, `state` is read and changed. Events of sites
 * without a partner (none today) and events the reports do not use add nothing.
 */
export function count(stored: StoredEvent<DomainEvent>, state: StateCache, add: (a: Addition) => void): void {
  const event = stored.event as ReportEvent;
  if (event.siteId === null || stored.partnerId === null) return;
  const siteId = event.siteId;
  const partnerId = stored.partnerId;
  const at = Date.parse(stored.at);
  const put = (ms: number, metric: string, dims: { agentId?: number; groupId?: number; channel?: string; bin?: number; n?: number; total?: number }) =>
    add({ siteId, partnerId, bucket: quarterOf(ms), metric, agentId: dims.agentId ?? 0, groupId: dims.groupId ?? 0, channel: dims.channel ?? '', bin: dims.bin ?? 0, n: dims.n ?? 1, total: dims.total ?? 0 });

  if (event.name === 'agent.statusChanged') {
    const key = `agent:${event.agentId}`;
    const before = state.get(key) as AgentStatusState | null;
    if (before) {
      // The time in the status it leaves, split over the quarter hours it spans.
      for (let from = before.since; from < at; ) {
        const to = Math.min((quarterOf(from) + 1) * QUARTER_MS, at);
        put(from, `agents.${before.status}`, { agentId: event.agentId, n: 0, total: to - from });
        from = to;
      }
    }
    state.set(key, { status: event.status, since: at } satisfies AgentStatusState);
    return;
  }

  if (event.name === 'offlineMessage.left') {
    put(at, 'chats.offline', { groupId: event.groupId ?? 0, channel: channelOf(event.channel) });
    return;
  }

  if (event.name === 'survey.answered' || event.name === 'robot.rated') {
    const key = event.name === 'survey.answered' ? `survey:${event.chatId}` : `rating:${event.messageId}`;
    const before = state.get(key) as Answer | null;
    // Answering again replaces the answer: the old one is taken back where it was counted.
    if (before) {
      add({ siteId, partnerId, bucket: before.bucket, metric: before.metric, agentId: before.agentId, groupId: 0, channel: before.channel, bin: before.bin, n: -1, total: 0 });
      if (before.extra) add({ siteId, partnerId, bucket: before.bucket, metric: before.extra, agentId: before.agentId, groupId: 0, channel: before.channel, bin: 0, n: -1, total: 0 });
    }
    const answer: Answer =
      event.name === 'survey.answered'
        ? { bucket: quarterOf(at), agentId: event.agentId, channel: '', metric: 'survey.answers', bin: event.optionId, extra: event.satisfied ? 'survey.satisfied' : null }
        : { bucket: quarterOf(at), agentId: 0, channel: (state.get(`chat:${event.chatId}`) as ChatStory | null)?.channel ?? '', metric: event.useful ? 'robot.useful' : 'robot.useless', bin: 0, extra: null };
    add({ siteId, partnerId, bucket: answer.bucket, metric: answer.metric, agentId: answer.agentId, groupId: 0, channel: answer.channel, bin: answer.bin, n: 1, total: 0 });
    if (answer.extra) add({ siteId, partnerId, bucket: answer.bucket, metric: answer.extra, agentId: answer.agentId, groupId: 0, channel: answer.channel, bin: 0, n: 1, total: 0 });
    state.set(key, answer);
    return;
  }

  if (!('chatId' in event)) return;
  const key = `chat:${event.chatId}`;
  if (event.name === 'chat.requested') {
    const story: ChatStory = {
      channel: channelOf(event.chat.channel),
      requestedAt: at,
      peopleAt: event.chat.status === 'bot' ? null : at,
      queuedAt: null,
      inQueue: false,
      waitMs: null,
      agentId: 0,
      groupId: event.chat.groupId ?? 0,
      acceptedAt: null,
      firstResponseMs: null,
      awaitingSince: null,
      responses: 0,
      responseMs: 0,
    };
    state.set(key, story);
    return;
  }
  // A chat requested before the reports began counting has no story: only its messages count.
  const story = state.get(key) as ChatStory | null;
  const dims = story ? { agentId: story.agentId, groupId: story.groupId, channel: story.channel } : {};
  switch (event.name) {
    case 'message.created': {
      const kind = event.message.senderKind;
      if (kind === 'system') return;
      put(at, kind === 'visitor' ? 'messages.in' : 'messages.out', dims);
      if (!story || story.peopleAt === null) return;
      if (kind === 'visitor') story.awaitingSince ??= at;
      else if (kind === 'agent') {
        story.firstResponseMs ??= at - story.peopleAt;
        if (story.awaitingSince !== null) {
          story.responses++;
          story.responseMs += at - story.awaitingSince;
          story.awaitingSince = null;
        }
      }
      state.set(key, story);
      return;
    }
    case 'robot.answered':
      put(at, 'robot.questions', dims);
      put(at, event.handover ? 'robot.handovers' : event.answered ? 'robot.answered' : 'robot.unknown', dims);
      return;
  }
  if (!story) return;
  // What follows changes the story; it is kept (or, once the chat ends, forgotten).
  state.set(key, story);
  switch (event.name) {
    case 'chat.switchedToAgents':
      story.peopleAt ??= at;
      return;
    case 'chat.queued':
      story.peopleAt ??= at;
      story.queuedAt ??= at;
      story.inQueue = true;
      story.agentId = 0;
      story.groupId = event.chat.groupId ?? story.groupId;
      return;
    case 'chat.assigned':
      story.peopleAt ??= at;
      if (story.inQueue && story.waitMs === null && story.queuedAt !== null) story.waitMs = at - story.queuedAt;
      story.inQueue = false;
      story.agentId = event.agentId;
      story.groupId = event.chat.groupId ?? story.groupId;
      put(at, 'agents.chats', { agentId: event.agentId, groupId: story.groupId, channel: story.channel });
      return;
    case 'chat.accepted':
      story.acceptedAt ??= at;
      return;
    case 'chat.switchedToBot':
      story.agentId = 0;
      return;
    case 'chat.ended': {
      const outcome: Outcome = story.peopleAt === null ? 'robot' : story.firstResponseMs !== null ? 'answered' : story.inQueue || story.agentId === 0 ? 'abandoned' : 'missed';
      const counted = { agentId: story.agentId, groupId: story.groupId, channel: story.channel };
      const t = story.requestedAt;
      put(t, 'chats', counted);
      put(t, `chats.${outcome}`, counted);
      if (story.queuedAt !== null) {
        const wait = story.waitMs ?? at - story.queuedAt;
        put(t, 'queue.queued', counted);
        put(t, 'queue.wait', { ...counted, bin: binOf(wait), total: wait });
      }
      if (story.firstResponseMs !== null) put(t, 'firstResponse', { ...counted, bin: binOf(story.firstResponseMs), total: story.firstResponseMs });
      if (story.responses > 0) put(t, 'response', { ...counted, n: story.responses, total: story.responseMs });
      if (story.acceptedAt !== null) put(t, 'duration', { ...counted, total: at - story.acceptedAt });
      state.set(key, null);
      return;
    }
  }
}

// One chat of the reports benchmark's synthetic history (reports-history.ts): the events it leaves
// in the log from its request to its survey answer, with the ChatView and MessageView snapshots the
// chat module writes. Channels, the robot, the queue, missed, transferred and answered chats, and
// their timings are drawn here.
import type { HistorySite, LogRow } from './reports-history.ts';

/** One of the list, drawn uniformly. */
export const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
/** A whole number from `lo` up to (not including) `hi`. */
export const between = (rnd: () => number, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo));
/** Exponentially distributed, with the given mean, capped. */
const exponential = (rnd: () => number, mean: number, cap: number) => Math.min(cap, Math.round(-Math.log(1 - rnd()) * mean));

const VISITOR_LINES = [
  'Hi, I ordered last week and the parcel has not arrived yet. Can you check order 48213?',
  'Do you ship to Kaohsiung, and how long does it take?',
  'Hello? Is anyone there?',
  'The payment page keeps failing with my credit card.',
  'Can I change the size of the shoes I ordered?',
  'Thanks, that helps a lot!',
  'What are your opening hours on weekends?',
  'I would like a refund for the damaged item, photos attached earlier.',
];
const AGENT_LINES = [
  'Hello! Thanks for waiting, let me look into that for you.',
  'I can see the order; it left our warehouse yesterday and should arrive tomorrow.',
  'Could you tell me the e-mail address you ordered with?',
  'Sorry about that. I have asked the team to send a replacement today.',
  'Yes, we deliver everywhere in Taiwan within two working days.',
  'Is there anything else I can help you with?',
];
const BOT_LINES = ['We are open from 9:00 to 21:00 every day.', 'You can track your parcel under My orders.', 'Sorry, I did not get that. Could you say it differently?', 'Let me find a person for you.'];
// Where chats come from, as the chat records it (IM customers name their own channels).
const CHANNELS: [string, number][] = [
  ['widget', 0.62],
  ['line', 0.1],
  ['messenger', 0.06],
  ['im', 0.04],
  ['webview', 0.12],
  ['operator', 0.06],
];

/** One of `choices` (value and share, the shares adding up to 1). */
function pickWeighted<T>(rnd: () => number, choices: [T, number][]): T {
  let draw = rnd();
  for (const [value, share] of choices) {
    draw -= share;
    if (draw < 0) return value;
  }
  return choices.at(-1)![0];
}

/** Ids handed out across the whole history. */
export interface Counters {
  chat: number;
  visitor: number;
  message: number;
  offline: number;
}

/** Everything an event generator needs: the site, the randomness, ids, and where rows go. */
export interface Scene {
  site: HistorySite;
  rnd: () => number;
  ids: Counters;
  now: number;
  push(row: LogRow): void;
}

/** A chat's record as its ChatView snapshot shows it at each event. */
interface ChatRecord {
  id: number;
  siteId: number;
  visitorId: number;
  status: 'bot' | 'queued' | 'assigned' | 'active' | 'ended';
  agentId: number | null;
  groupId: number | null;
  queuePosition: number | null;
  lastSeq: number;
  requestedAt: string;
  assignedAt: string | null;
  acceptedAt: string | null;
  endedAt: string | null;
  endedBy: string | null;
  channel: string;
}

function chatView(c: ChatRecord) {
  return {
    id: c.id,
    siteId: c.siteId,
    visitorId: c.visitorId,
    status: c.status,
    agentId: c.agentId,
    groupId: c.groupId,
    name: null,
    queuePosition: c.queuePosition,
    lastSeq: c.lastSeq,
    visitorReadSeq: c.lastSeq,
    agentReadSeq: c.agentId === null ? 0 : c.lastSeq,
    requestedAt: c.requestedAt,
    assignedAt: c.assignedAt,
    acceptedAt: c.acceptedAt,
    endedAt: c.endedAt,
    endedBy: c.endedBy,
    wrapUp: null,
    channel: c.channel,
    skill: null,
    urgent: false,
  };
}

/** Plays one chat from its request at `start`; events after `now` are not written (the chat is still open). */
export function playChat(s: Scene, start: number): void {
  const { site, rnd } = s;
  const iso = (ms: number) => new Date(ms).toISOString();
  const channel = pickWeighted(rnd, CHANNELS);
  const group = site.groups.length > 0 && rnd() < 0.7 ? pick(rnd, site.groups) : null;
  const withRobot = (channel === 'widget' || channel === 'webview') && rnd() < 0.25;
  const c: ChatRecord = {
    id: ++s.ids.chat,
    siteId: site.siteId,
    visitorId: ++s.ids.visitor,
    status: withRobot ? 'bot' : 'queued',
    agentId: null,
    groupId: group?.id ?? null,
    queuePosition: null,
    lastSeq: 0,
    requestedAt: iso(start),
    assignedAt: null,
    acceptedAt: null,
    endedAt: null,
    endedBy: null,
    channel,
  };
  let t = start;
  const emit = (type: string, body: Record<string, unknown>) => {
    if (t < s.now) s.push({ siteId: site.siteId, partnerId: site.partnerId, type, at: t, payload: JSON.stringify({ chatId: c.id, visitorId: c.visitorId, ...body }) });
  };
  const message = (senderKind: 'visitor' | 'agent' | 'bot' | 'system', text: string) => {
    const id = ++s.ids.message;
    const senderId = senderKind === 'visitor' ? c.visitorId : senderKind === 'agent' ? c.agentId : null;
    c.lastSeq++;
    const view = { id, chatId: c.id, seq: c.lastSeq, senderKind, senderId, type: 'message', data: { content: text }, clientMessageId: null, createdAt: iso(t), editedAt: null, deletedAt: null };
    emit('message.created', { agentId: senderKind === 'agent' ? c.agentId : null, message: view });
    return id;
  };
  const end = (by: 'visitor' | 'agent' | 'system') => {
    c.status = 'ended';
    c.endedAt = iso(t);
    c.endedBy = by;
    c.queuePosition = null;
    emit('chat.ended', { agentId: c.agentId, endedBy: by, chat: chatView(c) });
  };
  emit('chat.requested', { chat: chatView(c) });

  if (withRobot) {
    const rounds = between(rnd, 1, 4);
    let handover = false;
    for (let r = 0; r < rounds && !handover; r++) {
      t += between(rnd, 5_000, 60_000);
      const question = message('visitor', pick(rnd, VISITOR_LINES));
      t += between(rnd, 300, 1500);
      const draw = rnd();
      handover = draw < (r === rounds - 1 ? 0.35 : 0.12);
      const answered = !handover && draw < 0.7;
      const answer = message('bot', pick(rnd, BOT_LINES));
      const questionId = answered ? between(rnd, 1, 40) : null;
      emit('robot.answered', { messageId: question, answerId: answer, questionId, answered, handover });
      if (answered && rnd() < 0.2) {
        t += between(rnd, 3_000, 30_000);
        emit('robot.rated', { messageId: answer, questionId, useful: rnd() < 0.7 });
      }
    }
    if (!handover) {
      t += between(rnd, 30_000, 300_000);
      end('visitor');
      return;
    }
    t += 1000;
    c.status = 'queued';
    emit('chat.switchedToAgents', { chat: chatView(c) });
  }

  // People: a queue when no agent is free, then an agent of the chat's group (or of the site).
  const agents = group && group.agentIds.length > 0 ? group.agentIds : site.agentIds;
  if (rnd() < 0.22) {
    c.queuePosition = between(rnd, 1, 6);
    t += 200;
    emit('chat.queued', { queuePosition: c.queuePosition, chat: chatView(c) });
    const wait = exponential(rnd, 100_000, 1_800_000);
    // About a fifth of those who wait give up first (or are ended by the queue's time limit).
    if (rnd() < 0.2) {
      t += Math.max(5_000, Math.round(wait * rnd()));
      if (rnd() < 0.5) message('visitor', pick(rnd, VISITOR_LINES));
      end(t - start > 900_000 && rnd() < 0.5 ? 'system' : 'visitor');
      return;
    }
    t += wait;
  } else t += between(rnd, 100, 1500);
  c.status = 'assigned';
  c.agentId = pick(rnd, agents);
  c.queuePosition = null;
  c.assignedAt = iso(t);
  emit('chat.assigned', { agentId: c.agentId, fromAgentId: null, chat: chatView(c) });

  // Visitors usually write first; some agents never answer (a missed chat).
  t += between(rnd, 2_000, 40_000);
  message('visitor', pick(rnd, VISITOR_LINES));
  if (rnd() < 0.06) {
    t += between(rnd, 60_000, 600_000);
    end('visitor');
    return;
  }
  t += between(rnd, 3_000, 45_000);
  c.status = 'active';
  c.acceptedAt = iso(t);
  emit('chat.accepted', { agentId: c.agentId, chat: chatView(c) });
  t += between(rnd, 5_000, 90_000);
  message('agent', pick(rnd, AGENT_LINES));
  emit('chat.read', { agentId: c.agentId, by: 'agent', seq: c.lastSeq });

  const turns = 1 + exponential(rnd, 2, 15);
  const transferAt = rnd() < 0.03 ? between(rnd, 0, turns) : -1;
  for (let turn = 0; turn < turns; turn++) {
    t += between(rnd, 15_000, 180_000);
    message('visitor', pick(rnd, VISITOR_LINES));
    if (rnd() < 0.2) {
      t += between(rnd, 5_000, 30_000);
      message('visitor', pick(rnd, VISITOR_LINES));
    }
    if (turn === transferAt && agents.length > 1) {
      const from: number | null = c.agentId;
      t += between(rnd, 10_000, 60_000);
      c.agentId = pick(
        rnd,
        agents.filter((a) => a !== from),
      );
      c.status = 'assigned';
      c.assignedAt = iso(t);
      message('system', 'The chat was transferred.');
      emit('chat.assigned', { agentId: c.agentId, fromAgentId: from, chat: chatView(c) });
      t += between(rnd, 3_000, 30_000);
      c.status = 'active';
      emit('chat.accepted', { agentId: c.agentId, chat: chatView(c) });
    }
    t += between(rnd, 8_000, 150_000);
    message('agent', pick(rnd, AGENT_LINES));
  }
  t += between(rnd, 20_000, 300_000);
  end(rnd() < 0.55 ? 'visitor' : 'agent');

  if (rnd() < 0.18) {
    const option = () => {
      const u = rnd();
      return u < 0.45 ? 1 : u < 0.75 ? 2 : u < 0.87 ? 3 : u < 0.95 ? 4 : 5;
    };
    const answer = (optionId: number) =>
      emit('survey.answered', { agentId: c.agentId, optionId, optionText: ['Very satisfied', 'Satisfied', 'Neutral', 'Unsatisfied', 'Very unsatisfied'][optionId - 1], satisfied: optionId <= 2, remark: null });
    t += between(rnd, 10_000, 300_000);
    answer(option());
    // Answering again replaces the first answer.
    if (rnd() < 0.05) {
      t += between(rnd, 10_000, 120_000);
      answer(option());
    }
  }
}

// From summed rollups to the figures a report shows: per report, the fields of a total and of each
// point of its series (docs/reports.md defines each one).
import { CHANNELS, OUTCOMES } from './reports.counting.ts';

/** The reports, each a family of figures over the same filter. */
export const REPORTS = ['chats', 'queue', 'first-response', 'response', 'duration', 'messages', 'availability', 'survey', 'robot'] as const;
export type ReportName = (typeof REPORTS)[number];

/** The rollup metrics each report reads. */
export const METRICS_OF: Record<ReportName, readonly string[]> = {
  chats: ['chats', ...OUTCOMES.map((o) => `chats.${o}`), 'chats.offline'],
  queue: ['queue.queued', 'queue.wait', 'chats.abandoned'],
  'first-response': ['firstResponse'],
  response: ['response'],
  duration: ['duration'],
  messages: ['messages.in', 'messages.out'],
  availability: ['agents.online', 'agents.away', 'agents.offline', 'agents.chats'],
  survey: ['survey.answers', 'survey.satisfied'],
  robot: ['robot.questions', 'robot.answered', 'robot.unknown', 'robot.handovers', 'robot.useful', 'robot.useless'],
};

/** What the rollups of one stretch of time add up to. */
export class Tally {
  readonly n = new Map<string, number>();
  readonly total = new Map<string, number>();
  /** Histograms and survey options: metric → bin → count. */
  readonly bins = new Map<string, Map<number, number>>();
  /** Chats per channel. */
  readonly channels = new Map<string, number>();

  add(metric: string, bin: number, channel: string, n: number, total: number): void {
    this.n.set(metric, (this.n.get(metric) ?? 0) + n);
    this.total.set(metric, (this.total.get(metric) ?? 0) + total);
    if (bin !== 0) {
      const bins = this.bins.get(metric) ?? new Map<number, number>();
      bins.set(bin, (bins.get(bin) ?? 0) + n);
      this.bins.set(metric, bins);
    }
    if (metric === 'chats') this.channels.set(channel, (this.channels.get(channel) ?? 0) + n);
  }

  /** Adds time (ms) spent in an agent status that the rollups do not hold yet. */
  addTime(metric: string, ms: number): void {
    this.total.set(metric, (this.total.get(metric) ?? 0) + ms);
  }

  count(metric: string): number {
    return this.n.get(metric) ?? 0;
  }
  sum(metric: string): number {
    return this.total.get(metric) ?? 0;
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const average = (t: Tally, metric: string) => (t.count(metric) === 0 ? null : seconds(t.sum(metric) / t.count(metric)));
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

/** The nearest-rank percentile of a histogram: the upper edge (seconds) of the bin holding it; null when empty. */
export function percentile(bins: Map<number, number> | undefined, p: number): number | null {
  if (!bins) return null;
  const sorted = [...bins].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const all = sorted.reduce((s, [, n]) => s + n, 0);
  if (all === 0) return null;
  const rank = Math.ceil(p * all);
  let seen = 0;
  for (const [edge, n] of sorted) {
    seen += n;
    if (seen >= rank) return edge;
  }
  return sorted.at(-1)![0];
}

export type Figures = Record<string, number | null>;

/** A report's figures from a tally. */
export function figuresOf(report: ReportName, t: Tally): Figures {
  switch (report) {
    case 'chats': {
      const f: Figures = { total: t.count('chats') };
      for (const o of OUTCOMES) f[o] = t.count(`chats.${o}`);
      f.offlineMessages = t.count('chats.offline');
      for (const c of CHANNELS) f[c] = t.channels.get(c) ?? 0;
      return f;
    }
    case 'queue': {
      const queued = t.count('queue.queued');
      const abandoned = t.count('chats.abandoned');
      return { queued, abandoned, abandonment: share(abandoned, queued), waitAverage: average(t, 'queue.wait'), waitP50: percentile(t.bins.get('queue.wait'), 0.5), waitP90: percentile(t.bins.get('queue.wait'), 0.9) };
    }
    case 'first-response':
      return { count: t.count('firstResponse'), average: average(t, 'firstResponse'), p50: percentile(t.bins.get('firstResponse'), 0.5), p90: percentile(t.bins.get('firstResponse'), 0.9) };
    case 'response':
      return { count: t.count('response'), average: average(t, 'response') };
    case 'duration':
      return { count: t.count('duration'), average: average(t, 'duration') };
    case 'messages':
      return { in: t.count('messages.in'), out: t.count('messages.out') };
    case 'availability':
      return { onlineSeconds: seconds(t.sum('agents.online')), awaySeconds: seconds(t.sum('agents.away')), offlineSeconds: seconds(t.sum('agents.offline')), chats: t.count('agents.chats') };
    case 'survey': {
      const answers = t.count('survey.answers');
      const f: Figures = { answers, satisfied: t.count('survey.satisfied'), csat: share(t.count('survey.satisfied'), answers) };
      // The options chosen (an answer changed to another option leaves its first choice at 0: not listed).
      for (const [option, n] of [...(t.bins.get('survey.answers') ?? [])].sort((a, b) => a[0] - b[0])) if (n !== 0) f[`option${option}`] = n;
      return f;
    }
    case 'robot':
      return {
        questions: t.count('robot.questions'),
        answered: t.count('robot.answered'),
        unknown: t.count('robot.unknown'),
        handovers: t.count('robot.handovers'),
        useful: t.count('robot.useful'),
        useless: t.count('robot.useless'),
      };
  }
}

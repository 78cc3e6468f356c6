// The robot's question matcher: which knowledge-base entry a visitor's message asks about, and
// whether the visitor wants a person instead. Pure and synchronous, so a site's index can be
// rebuilt whenever its knowledge base changes and the matching can be tested without a database.
//
// Similarity is a TF-IDF weighted cosine. Every phrasing (title or alternative) of every entry is
// a document; a feature's IDF is ln(1 + N / df) over those N phrasings, so words that many
// phrasings share ("password" in a password-heavy KB, "what") count less than the one that tells
// two questions apart. Words the index has never seen get the highest IDF: a message full of
// unknown words is about something else, and its score drops accordingly. An entry scores its best
// phrasing (per script, for messages mixing Chinese and English: see `rank`); a message equal to a
// phrasing once normalised scores exactly 1.
//
// Features: Intl.Segmenter words (English lightly stemmed, stop words dropped), plus, for Chinese,
// Japanese and Korean runs, single characters and character bigrams. The segmenter's dictionary
// splits CJK text inconsistently ("重置" comes out as 重 + 置), and people word the same question
// differently (怎么/如何, 忘了/忘记); characters and bigrams still overlap where words do not.

/** One knowledge-base entry of a site, as the matcher needs it. */
export interface KbEntry {
  id: number;
  /** `greeting` is small talk ("hello", "你好", "thanks"): answered only on a near-exact match. */
  kind: 'qa' | 'greeting';
  title: string;
  alternatives: string[];
  answer: string;
}

/** From this score a qa entry is answered outright. */
export const ANSWER_THRESHOLD = 0.6;
/** From this score a qa entry is plausible enough to offer as "did you mean…". */
export const SUGGEST_THRESHOLD = 0.3;
/** From this score small talk is answered: higher than for questions, as only a near-exact greeting should be. */
export const GREETING_THRESHOLD = 0.75;

const MAX_SUGGESTIONS = 5;
// Only the start of a message is read: a question is asked in its first 200 words, and this keeps
// a pasted 10 000-character log from costing more than a normal message.
const MAX_TOKENS = 200;
const MAX_CHARS = 4000;
// A Chinese character carries meaning on its own, so characters count fully; bigrams and the
// segmenter's words add what the order and the compounds say, at half weight, so that one differing
// character (忘了/忘记) does not outweigh the characters the two phrasings share.
const CHAR_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const CJK_WORD_WEIGHT = 0.5;

const state = Symbol('RobotIndex');

interface Posting {
  phrasing: number;
  weight: number;
  tf: number;
}

interface IndexState {
  /** Sorted by id, so that ranking ties go to the lower id. */
  entries: KbEntry[];
  /** Per phrasing: the index of its entry in `entries`, and the lengths of its TF-IDF and plain TF vectors. */
  phrasingEntry: number[];
  phrasingNorm: number[];
  phrasingPlainNorm: number[];
  /** Feature → the phrasings that have it, with its TF-IDF weight and plain TF there. */
  postings: Map<string, Posting[]>;
  idf: Map<string, number>;
  unseenIdf: number;
  /** Normalised phrasing → indexes (in `entries`) of the entries with that exact phrasing. */
  exact: Map<string, Set<number>>;
}

/** A site's knowledge base prepared for matching; opaque, and rebuilt when the knowledge base changes. */
export interface RobotIndex {
  readonly [state]: IndexState;
}

/** What the robot makes of a message. */
export type MatchOutcome =
  // Suggestions: the next-best other qa entries from SUGGEST_THRESHOLD, best first, at most five.
  | { kind: 'answer'; entry: KbEntry; score: number; suggestions: KbEntry[] }
  | { kind: 'greeting'; entry: KbEntry; score: number }
  // No confident match, but these qa entries are plausible: the robot asks "did you mean…".
  | { kind: 'suggest'; suggestions: KbEntry[] }
  | { kind: 'unknown' };

/** Indexes the entries' titles and alternatives; build once per version of a site's knowledge base. */
export function buildIndex(entries: KbEntry[]): RobotIndex {
  const sorted = [...entries].sort((a, b) => a.id - b.id);
  const bags: { entry: number; features: Map<string, number> }[] = [];
  const exact = new Map<string, Set<number>>();
  sorted.forEach((entry, i) => {
    for (const phrasing of [entry.title, ...entry.alternatives]) {
      const text = normalise(phrasing);
      if (text === '') continue;
      const same = exact.get(text) ?? new Set<number>();
      same.add(i);
      exact.set(text, same);
      const bag = features(text);
      if (bag.size > 0) bags.push({ entry: i, features: bag });
    }
  });

  const df = new Map<string, number>();
  for (const bag of bags) for (const feature of bag.features.keys()) df.set(feature, (df.get(feature) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [feature, count] of df) idf.set(feature, Math.log(1 + bags.length / count));

  const postings = new Map<string, Posting[]>();
  const phrasingNorm: number[] = [];
  const phrasingPlainNorm: number[] = [];
  bags.forEach((bag, phrasing) => {
    let sum = 0;
    let plainSum = 0;
    for (const [feature, tf] of bag.features) {
      const weight = tf * idf.get(feature)!;
      sum += weight * weight;
      plainSum += tf * tf;
      const list = postings.get(feature) ?? [];
      list.push({ phrasing, weight, tf });
      postings.set(feature, list);
    }
    phrasingNorm.push(Math.sqrt(sum));
    phrasingPlainNorm.push(Math.sqrt(plainSum));
  });

  return {
    [state]: {
      entries: sorted,
      phrasingEntry: bags.map((bag) => bag.entry),
      phrasingNorm,
      phrasingPlainNorm,
      postings,
      idf,
      unseenIdf: Math.log(1 + Math.max(bags.length, 1)),
      exact,
    },
  };
}

/** Finds the entry a visitor's message asks about: an answer, a greeting, suggestions, or nothing. */
export function matchQuestion(index: RobotIndex, text: string): MatchOutcome {
  const { entries } = index[state];
  const ranked = rank(index[state], text);
  const best = ranked[0];
  if (best === undefined) return { kind: 'unknown' };
  const bestEntry = entries[best.entry]!;
  if (bestEntry.kind === 'greeting' && best.score >= GREETING_THRESHOLD) {
    return { kind: 'greeting', entry: bestEntry, score: best.score };
  }

  const plausible = ranked.filter((r) => entries[r.entry]!.kind === 'qa' && r.score >= SUGGEST_THRESHOLD);
  const top = plausible[0];
  if (top === undefined) return { kind: 'unknown' };
  if (top.score >= ANSWER_THRESHOLD) {
    const suggestions = plausible.slice(1, 1 + MAX_SUGGESTIONS).map((r) => entries[r.entry]!);
    return { kind: 'answer', entry: entries[top.entry]!, score: top.score, suggestions };
  }
  return { kind: 'suggest', suggestions: plausible.slice(0, MAX_SUGGESTIONS).map((r) => entries[r.entry]!) };
}

// The entries that share anything with the text, best first; an entry is its index in `entries`.
//
// A bilingual knowledge base has its Chinese and its English phrasings apart, while a message may mix
// them ("我的order什么时候发货"). So the query is split into its CJK and its other features, each part
// takes its best phrasing, and the entry scores the cosine of the query with that combination:
// √(Σ best part dot²) / |query|. For a message in one script this is just the best phrasing's cosine.
//
// Small talk must match on the plain TF cosine as well: by IDF alone a rare "hello" would outweigh
// the common words of the rest of the message ("hello, about my order").
function rank(index: IndexState, text: string): { entry: number; score: number }[] {
  const { entries, phrasingEntry, phrasingNorm, phrasingPlainNorm, postings, idf, unseenIdf, exact } = index;
  const normalised = normalise(text);
  if (normalised === '') return [];

  const query: { feature: string; part: number; tf: number; weight: number }[] = [];
  let sum = 0;
  let plainSum = 0;
  for (const [feature, tf] of features(normalised)) {
    const weight = tf * (idf.get(feature) ?? unseenIdf);
    sum += weight * weight;
    plainSum += tf * tf;
    query.push({ feature, part: CJK.test(feature) ? 1 : 0, tf, weight });
  }
  // Per phrasing and part: the TF-IDF dot product, then the plain one.
  const dots = new Map<number, number[]>();
  for (const { feature, part, tf, weight } of query) {
    for (const posting of postings.get(feature) ?? []) {
      const sums = dots.get(posting.phrasing) ?? [0, 0, 0, 0];
      sums[part]! += weight * posting.weight;
      sums[2 + part]! += tf * posting.tf;
      dots.set(posting.phrasing, sums);
    }
  }
  // Per entry and part: the best phrasing's dot product over that phrasing's length.
  const best = new Map<number, number[]>();
  for (const [phrasing, sums] of dots) {
    const entry = phrasingEntry[phrasing]!;
    const parts = best.get(entry) ?? [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      const length = i < 2 ? phrasingNorm[phrasing]! : phrasingPlainNorm[phrasing]!;
      parts[i] = Math.max(parts[i]!, sums[i]! / length);
    }
    best.set(entry, parts);
  }
  const scores = new Map<number, number>();
  for (const [entry, [cjk, other, plainCjk, plainOther]] of best) {
    let score = Math.hypot(cjk!, other!) / Math.sqrt(sum);
    if (entries[entry]!.kind === 'greeting') score = Math.min(score, Math.hypot(plainCjk!, plainOther!) / Math.sqrt(plainSum));
    scores.set(entry, Math.min(1, score));
  }
  for (const entry of exact.get(normalised) ?? []) scores.set(entry, 1);

  // Entries are sorted by id, so comparing indexes breaks ties by the lower id.
  return [...scores].map(([entry, score]) => ({ entry, score })).sort((a, b) => b.score - a.score || a.entry - b.entry);
}

// NFKC folds full-width letters, digits and punctuation (？！，) to their usual forms; everything
// that is punctuation, a symbol (emoji included) or a control character then separates words.
function normalise(text: string): string {
  return text
    .slice(0, MAX_CHARS)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{C}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

// A fixed locale, so that matching does not depend on the server's default one; ICU splits Latin
// text the same way under it, and it brings the Chinese dictionary.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const SINGLE_LETTER = /^\p{L}$/u;

// Words that are in nearly every question and so say nothing about which one it is. Kept short:
// "when", "where", "what" do tell questions apart. Chinese entries are whole segments.
const STOP_WORDS = new Set(
  [
    'a an the is are am was were be been being do does did doing have has had',
    'i me my mine we us our you your yours it its this that these those there here',
    'to of in on at for from by with about as and or but if so than then just very much also',
    'can could would should will shall may might must how please pls plz',
    'der die das den dem ein eine und ist ich mein meine wie zu',
    'le la les un une des du de et est je mon ma mes comment',
    '的 了 吗 呢 吧 啊 呀 嘛 哦 么 我 我们 我的 我要 我想 你 你们 您 您的 是 在 请问 请 怎么 如何 怎样 怎么样 办 一下 什么 想 要 能 可以 会 有 和 跟 就 都 也 还 这个 那个 个',
  ]
    .join(' ')
    .split(' '),
);

// The features of a normalised text with their term frequencies, weighted by kind.
function features(text: string): Map<string, number> {
  // Words, each with whether a space (or punctuation) came before it: a CJK run stops there.
  const words: { word: string; spaced: boolean }[] = [];
  let spaced = false;
  for (const segment of segmenter.segment(text)) {
    if (!segment.isWordLike) {
      spaced = true;
      continue;
    }
    words.push({ word: segment.segment, spaced });
    spaced = false;
    if (words.length >= MAX_TOKENS) break;
  }
  const content = words.filter(({ word }) => !STOP_WORDS.has(word));
  // A message made only of stop words ("how are you") is still matched, on those words.
  const kept = content.length > 0 ? content : words;

  const bag = new Map<string, number>();
  const add = (feature: string, tf: number) => bag.set(feature, (bag.get(feature) ?? 0) + tf);
  let run: string[] = [];
  const endRun = () => {
    for (let i = 0; i < run.length; i++) {
      if (!STOP_WORDS.has(run[i]!)) add(`c:${run[i]}`, CHAR_WEIGHT);
      if (i > 0) add(`b:${run[i - 1]}${run[i]}`, BIGRAM_WEIGHT);
    }
    run = [];
  };
  for (const { word, spaced } of kept) {
    if (spaced) endRun();
    if (CJK.test(word)) {
      // Stop words are left out of the run, so 怎么重置密码 and 如何重置密码 make the same bigrams.
      run.push(...word);
      if ([...word].length > 1) add(`w:${word}`, CJK_WORD_WEIGHT);
      continue;
    }
    endRun();
    // Single letters are mostly what is left of contractions ("it's" → "it", "s").
    if (!SINGLE_LETTER.test(word)) add(`w:${stem(word)}`, 1);
  }
  endRun();
  return bag;
}

// Just enough English stemming for "resetting passwords" to meet "reset password": plural -s/-ies,
// then -ing/-ed, undoubling the consonant they leave ("resett"), then a final -e ("change" =
// "changed"). Only plain a–z words of four letters or more are touched.
function stem(word: string): string {
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
  let s = word;
  if (s.endsWith('ies') && s.length > 4) return `${s.slice(0, -3)}y`;
  if (s.endsWith('s') && !/(ss|us|is)$/.test(s)) s = s.slice(0, -1);
  let suffix = 0;
  if (s.endsWith('ing') && s.length >= 6) suffix = 3;
  else if (s.endsWith('ed') && s.length >= 5) suffix = 2;
  if (suffix > 0) {
    s = s.slice(0, -suffix);
    if (s.length >= 4 && /([b-df-hj-km-rtv-y])\1$/.test(s)) s = s.slice(0, -1);
  }
  if (s.endsWith('e') && s.length >= 4) s = s.slice(0, -1);
  return s;
}

// Asking for a person, in English. A message is a handover request when it either
//  - consists only of the words of such a request ("human", "agent please", "a real person", "customer
//    service"), at most six words; or
//  - has a request verb followed by a person word with only linking words between ("talk to a human",
//    "can I speak with someone", "connect me to an agent", "I want a real person"), not negated
//    ("I don't want a human").
// Mentioning people is not enough: "I am a human resources manager asking about refunds", "is this a
// human?" or "my delivery agent was rude" are questions for the robot, which can offer the handover.
const PERSON_NOUNS = new Set(
  'human humans agent agents person people operator operators representative representatives rep someone somebody staff advisor adviser'.split(
    ' ',
  ),
);
const REQUEST_VERBS = new Set(
  'talk speak chat connect transfer put get want need see reach contact escalate switch hand pass give call prefer'.split(' '),
);
const LINKING_WORDS = new Set(
  'to with me us a an the real live actual human some one your please speak talk chat another'.split(' '),
);
const REQUEST_ONLY_WORDS = new Set([...LINKING_WORDS, ...REQUEST_VERBS, ...'i can could may let now pls plz just hi hello hey'.split(' ')]);
const NEGATIONS = new Set('not no never don dont doesn didn won wont cant cannot without'.split(' '));
// What may stand between a negation and the verb it negates: "don't (really) want to talk".
const NEGATED_CHAIN = new Set([...REQUEST_VERBS, ...'to i t really even just do would wish like'.split(' ')]);
const NOT_A_PERSON_AFTER_HUMAN = new Set('resource resources rights right being beings error nature body'.split(' '));

// Asking for a person, in Chinese: 人工 (but not 人工智能 "AI", 人工费 "labour cost" …), or asking to
// be put through to / to find customer service or a real person; not when negated (不要转人工).
const ZH_NEGATED = /(不要|不用|不需要|不想|别|無需|无需|不必|没必要|沒必要)(转|轉|找|接|要)?(人工|客服|真人)/gu;
const ZH_PERSON =
  /人工(?!智能|费|費|成本|合成|降雨|湖|岛|島|呼吸|授精)|(转|轉)(接)?(客服|真人)|(找|要|叫|联系|聯繫|接|换|換)(个|個|一个|一個|一位|位)?(客服|真人|工作人员|工作人員|活人)|真人客服|客服在(吗|嗎|不)/u;

/** True when the customer asks for a human ("人工", "转人工", "人工客服", "agent", "human", "talk to a person", "operator", "representative", "real person" …), in Chinese or English. */
export function asksForPerson(text: string): boolean {
  const normalised = normalise(text);
  if (ZH_PERSON.test(normalised.replace(/\s/gu, '').replace(ZH_NEGATED, ''))) return true;

  const words = normalised.replace(/\bcustomer (service|support|care)\b/gu, 'agent').split(' ');
  const isPerson = (i: number) => PERSON_NOUNS.has(words[i]!) && !(words[i] === 'human' && NOT_A_PERSON_AFTER_HUMAN.has(words[i + 1]!));
  if (words.length <= 6 && words.every((word, i) => REQUEST_ONLY_WORDS.has(word) || isPerson(i)) && words.some((_, i) => isPerson(i))) {
    return true;
  }
  for (let v = 0; v < words.length; v++) {
    if (!REQUEST_VERBS.has(words[v]!)) continue;
    if (negated(words, v)) continue;
    for (let n = v + 1; n < words.length && n <= v + 6; n++) {
      if (isPerson(n)) return true;
      if (!LINKING_WORDS.has(words[n]!)) break;
    }
  }
  return false;
}

// Whether the request verb at `v` is negated: a negation before it with only verbs and fillers between,
// so "I don't want to talk to a human" is negated but "this is not working, I want a human" is not.
function negated(words: string[], v: number): boolean {
  for (let i = v - 1; i >= 0; i--) {
    if (NEGATIONS.has(words[i]!)) return true;
    if (!NEGATED_CHAIN.has(words[i]!)) return false;
  }
  return false;
}

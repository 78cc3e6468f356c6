import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANSWER_THRESHOLD,
  asksForPerson,
  buildIndex,
  GREETING_THRESHOLD,
  type KbEntry,
  type MatchOutcome,
  matchQuestion,
  SUGGEST_THRESHOLD,
} from './robot.matcher.ts';

const qa = (id: number, title: string, alternatives: string[]): KbEntry => ({ id, kind: 'qa', title, alternatives, answer: `answer ${id}` });
const greeting = (id: number, title: string, alternatives: string[]): KbEntry => ({ id, kind: 'greeting', title, alternatives, answer: `greeting ${id}` });

const PASSWORD = 1;
const HOURS = 2;
const REFUND = 3;
const SHIPPING = 4;
const CHANGE_ORDER = 5;
const HELLO = 10;
const THANKS = 11;

const KB: KbEntry[] = [
  // Out of id order on purpose: the index must not depend on the order it is given.
  greeting(THANKS, 'thanks', ['thank you', 'thx', '谢谢', '多谢']),
  qa(PASSWORD, 'How do I reset my password?', ['I forgot my password', 'Password reset', "can't log in", '如何重置密码', '忘记密码怎么办']),
  qa(HOURS, 'What are your opening hours?', ['When are you open?', 'business hours', "Quelles sont vos heures d'ouverture ?", '营业时间', '你们几点开门']),
  qa(REFUND, 'How do I get a refund for my order?', ['refund policy', 'I want my money back', '怎么申请退款', '退款']),
  qa(SHIPPING, 'When will my order ship?', ['shipping time', 'how long does delivery take', 'Wann wird meine Bestellung versendet?', '什么时候发货', '发货要多久']),
  qa(CHANGE_ORDER, 'How do I change my order?', ['modify my order', '修改订单']),
  greeting(HELLO, 'hello', ['hi', 'hey', 'good morning', '你好', '您好']),
];
const index = buildIndex(KB);

function answers(text: string): number | string {
  const outcome = matchQuestion(index, text);
  return outcome.kind === 'answer' ? outcome.entry.id : `${outcome.kind} instead of an answer`;
}

function greets(text: string): number | string {
  const outcome = matchQuestion(index, text);
  return outcome.kind === 'greeting' ? outcome.entry.id : `${outcome.kind} instead of a greeting`;
}

function suggested(outcome: MatchOutcome): number[] {
  return outcome.kind === 'suggest' || outcome.kind === 'answer' ? outcome.suggestions.map((e) => e.id) : [];
}

test('the thresholds are ordered: suggest below answer, small talk stricter than questions', () => {
  assert.ok(0 < SUGGEST_THRESHOLD && SUGGEST_THRESHOLD < ANSWER_THRESHOLD && ANSWER_THRESHOLD < GREETING_THRESHOLD && GREETING_THRESHOLD <= 1);
});

test('an exact title is answered with score 1, whatever its case, punctuation or width', () => {
  for (const text of ['How do I reset my password?', 'how do i reset my password', 'ＨＯＷ ＤＯ Ｉ ＲＥＳＥＴ ＭＹ ＰＡＳＳＷＯＲＤ？', '  How do I   reset my password!!  ']) {
    const outcome = matchQuestion(index, text);
    assert.equal(outcome.kind, 'answer', text);
    assert.equal(outcome.kind === 'answer' && outcome.entry.id, PASSWORD, text);
    assert.equal(outcome.kind === 'answer' && outcome.score, 1, text);
  }
  const chinese = matchQuestion(index, '如何重置密码？');
  assert.deepEqual(chinese.kind === 'answer' && [chinese.entry.id, chinese.score], [PASSWORD, 1]);
});

test('the answer is the entry itself, as given to the index', () => {
  const outcome = matchQuestion(index, 'refund policy');
  assert.equal(outcome.kind === 'answer' && outcome.entry, KB.find((e) => e.id === REFUND));
});

test('an alternative phrasing is answered', () => {
  assert.equal(answers('I forgot my password'), PASSWORD);
  assert.equal(answers('business hours'), HOURS);
  assert.equal(answers('I want my money back!'), REFUND);
  assert.equal(answers('shipping time?'), SHIPPING);
  assert.equal(answers('营业时间'), HOURS);
  assert.equal(answers('退款'), REFUND);
});

test('a reordered, partial or inflected English question is answered', () => {
  assert.equal(answers('resetting passwords'), PASSWORD);
  assert.equal(answers('password reset, how?'), PASSWORD);
  assert.equal(answers('how to reset the password'), PASSWORD);
  assert.equal(answers('I forgot the password'), PASSWORD);
  assert.equal(answers('opening hours?'), HOURS);
  assert.equal(answers('When do you open?'), HOURS);
  assert.equal(answers('how can I get my money back'), REFUND);
  assert.equal(answers('refund'), REFUND);
  assert.equal(answers('when does my order ship'), SHIPPING);
  assert.equal(answers('I need to modify my order'), CHANGE_ORDER);
});

test('other space-separated languages are matched on their words', () => {
  assert.equal(answers("Quelles sont vos heures d'ouverture"), HOURS);
  assert.equal(answers('heures d’ouverture ?'), HOURS);
  assert.equal(answers('Wann wird meine Bestellung versendet'), SHIPPING);
});

test('a Chinese paraphrase is answered through the characters and bigrams it shares', () => {
  assert.equal(answers('怎么重置密码'), PASSWORD);
  assert.equal(answers('密码忘了怎么办'), PASSWORD);
  assert.equal(answers('忘了密码'), PASSWORD);
  assert.equal(answers('请问你们营业时间是几点？'), HOURS);
  assert.equal(answers('我想退款'), REFUND);
  assert.equal(answers('订单什么时候发货'), SHIPPING);
  assert.equal(answers('发货要多久？'), SHIPPING);
  assert.equal(answers('我要修改订单'), CHANGE_ORDER);
});

test('a message mixing Chinese and English is answered', () => {
  assert.equal(answers('我的order什么时候发货'), SHIPPING);
  assert.equal(answers('重置 password'), PASSWORD);
  assert.equal(answers('refund 怎么申请'), REFUND);
});

test('a question the knowledge base does not cover is unknown, in each language', () => {
  for (const text of ['Do you sell gift cards?', '你们卖礼品卡吗？', 'Verkaufen Sie Geschenkkarten?', '今天天气怎么样', 'xyzzy']) {
    assert.deepEqual(matchQuestion(index, text), { kind: 'unknown' }, text);
  }
});

test('"I am a human resources manager asking about refunds" is at most a suggestion, not an answer', () => {
  assert.notEqual(matchQuestion(index, 'I am a human resources manager asking about refunds').kind, 'answer');
});

test('a vague question gets suggestions of plausible qa entries, not an answer', () => {
  for (const text of ['my order', 'order?']) {
    const outcome = matchQuestion(index, text);
    assert.equal(outcome.kind, 'suggest', text);
    assert.deepEqual(suggested(outcome).toSorted(), [REFUND, SHIPPING, CHANGE_ORDER], text);
  }
  const partial = matchQuestion(index, 'can I change the delivery address');
  assert.equal(partial.kind, 'suggest');
  assert.equal(suggested(partial)[0], CHANGE_ORDER);
  assert.ok(!suggested(partial).includes(HELLO));
});

test('an answer comes with the other plausible qa entries, never itself or small talk', () => {
  const outcome = matchQuestion(index, 'When do you open?');
  assert.equal(outcome.kind === 'answer' && outcome.entry.id, HOURS);
  assert.deepEqual(suggested(outcome), [SHIPPING]);
  const plain = matchQuestion(index, 'How do I reset my password?');
  assert.deepEqual(plain.kind === 'answer' && plain.suggestions, []);
});

test('at most five suggestions, best first', () => {
  const many = buildIndex([
    qa(1, 'Track my order', []),
    qa(2, 'Cancel my order', []),
    qa(3, 'Pay for my order', []),
    qa(4, 'Order confirmation email', []),
    qa(5, 'Order invoice', []),
    qa(6, 'Order history', []),
    qa(7, 'Gift wrap an order', []),
    qa(8, 'Reset password', []),
  ]);
  const outcome = matchQuestion(many, 'order');
  assert.equal(outcome.kind, 'suggest');
  assert.equal(suggested(outcome).length, 5);
  assert.ok(!suggested(outcome).includes(8));
  // "order" is half of the two-word phrasings but a third of 4 and 7; equal scores go to the lower id.
  assert.deepEqual(suggested(outcome), [1, 2, 3, 5, 6]);
});

test('greetings and thanks are small talk, in English and Chinese', () => {
  for (const text of ['hi', 'Hello!', 'hey', 'hi there', 'Good morning!', '你好', '您好！']) assert.equal(greets(text), HELLO, text);
  for (const text of ['thanks', 'Thank you very much!', 'thx', '谢谢', '谢谢你！', '多谢']) assert.equal(greets(text), THANKS, text);
  const outcome = matchQuestion(index, 'hello');
  assert.equal(outcome.kind === 'greeting' && outcome.score, 1);
});

test('a greeting followed by a real question gets the answer, not small talk', () => {
  assert.equal(answers('Hello, how do I reset my password?'), PASSWORD);
  assert.equal(answers('hi! when are you open?'), HOURS);
  assert.equal(answers('你好，我想退款'), REFUND);
  assert.notEqual(matchQuestion(index, 'hello there, about my order').kind, 'greeting');
  assert.notEqual(matchQuestion(index, 'thanks, but I still cannot reset my password').kind, 'greeting');
});

test('without greetings in the knowledge base, a greeting is unknown', () => {
  const questionsOnly = buildIndex(KB.filter((e) => e.kind === 'qa'));
  assert.deepEqual(matchQuestion(questionsOnly, 'hello!'), { kind: 'unknown' });
  assert.deepEqual(matchQuestion(questionsOnly, '你好'), { kind: 'unknown' });
  assert.deepEqual(matchQuestion(buildIndex([]), 'How do I reset my password?'), { kind: 'unknown' });
});

test('empty, blank, punctuation-only and stop-word-only messages are unknown', () => {
  for (const text of ['', '   ', '\n\t', '???', '。？！，', '…!!! ---', '🙂👍', 'how do I']) {
    assert.deepEqual(matchQuestion(index, text), { kind: 'unknown' }, JSON.stringify(text));
  }
});

test('a message made only of stop words still matches a phrasing made of the same words', () => {
  const smallTalk = buildIndex([greeting(1, 'how are you', []), qa(2, 'How do I reset my password?', [])]);
  assert.equal(matchQuestion(smallTalk, 'How are you?').kind, 'greeting');
});

test('ties go to the lower id, whatever the order of the entries', () => {
  const a = qa(7, 'Where is my parcel?', []);
  const b = qa(3, 'Where is my parcel?', []);
  for (const entries of [
    [a, b],
    [b, a],
  ]) {
    const outcome = matchQuestion(buildIndex(entries), 'where is my parcel');
    assert.equal(outcome.kind === 'answer' && outcome.entry.id, 3);
    assert.deepEqual(suggested(outcome), [7]);
  }
  assert.deepEqual(matchQuestion(index, 'my order'), matchQuestion(buildIndex(KB.toReversed()), 'my order'));
});

test('a 10 000-character message is matched quickly', () => {
  const question = 'I need to reset my password. '.repeat(350);
  const chinese = '我忘记密码了'.repeat(1700);
  const noise = 'lorem ipsum dolor sit amet '.repeat(400);
  assert.ok(question.length >= 10_000 && chinese.length >= 10_000 && noise.length >= 10_000);
  const started = performance.now();
  for (let i = 0; i < 20; i++) {
    assert.equal(answers(question), PASSWORD);
    assert.equal(answers(chinese), PASSWORD);
    assert.deepEqual(matchQuestion(index, noise), { kind: 'unknown' });
    assert.equal(asksForPerson(noise), false);
  }
  assert.ok(performance.now() - started < 2000, 'sixty long messages take well under two seconds');
});

test('asksForPerson: explicit requests for a person, in Chinese and English', () => {
  for (const text of [
    '人工',
    '转人工',
    '人工客服',
    '找人工！',
    '我要人工服务',
    '轉人工',
    '请帮我转接客服',
    '我想找真人',
    '客服在吗？',
    'agent',
    'Human!',
    'AGENT please',
    'operator',
    'representative',
    'a real person',
    'live agent',
    'customer service please',
    'talk to a person',
    'Can I speak with a real person?',
    'connect me to an agent',
    'I want to talk to someone',
    'This is not working, I want a human',
    "I don't want a bot, get me a human",
  ]) {
    assert.equal(asksForPerson(text), true, text);
  }
});

test('asksForPerson: mentioning people, asking what the robot is, or declining a person is not a request', () => {
  for (const text of [
    'I am a human resources manager asking about refunds',
    'Is this a human or a bot?',
    'my delivery agent was rude',
    'Where is the operator manual?',
    'What is the customer service phone number?',
    "I don't want to talk to a human",
    'I do not need an agent',
    '人工智能是什么？',
    '人工费怎么算',
    '不要转人工',
    '不用找人工客服',
    '客服电话是多少',
    'How do I reset my password?',
    '',
    '???',
  ]) {
    assert.equal(asksForPerson(text), false, text);
  }
});

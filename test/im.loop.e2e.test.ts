// The IM API's whole loop, as a customer's application lives it: the robot answers in English and
// Chinese, admits what it does not know and is rated; the customer asks for a person, waits with a
// falling queue position, is assigned when an agent frees up, talks with the agent and answers
// the survey. Every reply reaches a real HTTP receiver, signed, once per delivery id, in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventTables } from '../src/platform/events/index.ts';
import { client } from './helpers/api.ts';
import { createAgent } from './helpers/factories.ts';
import { FAST_WEBHOOKS, imSite, ok } from './helpers/im.ts';
import { startParley } from './helpers/parley.ts';
import { eventually } from './helpers/receiver.ts';

test('a customer goes from the robot to the queue to an agent and the survey, every reply delivered in order', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const { api, admin } = im;

  // The knowledge base: one question in English, one in Chinese, and small talk.
  const addQuestion = async (q: object) => {
    const res = await admin.post('/api/v1/robot/questions', q);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as number;
  };
  const hours = await addQuestion({ title: 'What are your opening hours?', alternatives: ['When are you open?'], answer: 'Every day from 9 to 17.' });
  const reset = await addQuestion({
    title: 'How do I reset my password?',
    alternatives: ['I forgot my password'],
    answer: 'Use "Forgot password" on the login page.',
    related: [hours],
    thirdUrl: 'https://help.example.com/password',
  });
  const refund = await addQuestion({ title: '如何申请退款', alternatives: ['退款怎么办理'], answer: '请在订单页面点击申请退款。' });
  await addQuestion({ kind: 'greeting', title: 'hello', alternatives: ['你好', 'hi'], answer: 'Hello! How can I help?' });

  // One agent with room for one chat, already busy with another customer.
  const agent = await createAgent(app, im.site, { maxConcurrentChats: 1, name: 'Alice' });
  assert.equal((await agent.api.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
  const first = ok(await api.post('/im/sessions', { customer_token: 'busy-1', assign_type: 'agent' }));
  assert.equal(first.assign_info.agent_id, agent.id);
  assert.equal(first.assign_info.agent_name, 'Alice');
  assert.equal((await agent.api.post(`/api/v1/chats/${first.assign_info.im_sub_session_id}/accept`)).status, 200);

  // The customer, created by the application, opens a session with the robot (the default).
  const token = 'customer-42';
  ok(await api.post('/im/customers', { customer_token: token, name: 'Zhang Wei', email: 'zw@example.com', phone: '+86 10 1234', custom_fields: { plan: 'gold' } }));
  const robot = ok(await api.post('/im/sessions', { customer_token: token }));
  assert.equal(robot.assign_type, 'robot');
  assert.equal(typeof robot.assign_info.robot_name, 'string');
  assert.equal(typeof robot.assign_info.welcome_message, 'string');
  assert.equal(typeof robot.assign_info.unknow_message, 'string');
  const sessionId = robot.assign_info.im_sub_session_id as number;
  const say = async (content: string) => ok(await api.post('/im/messages', { customer_token: token, im_sub_session_id: sessionId, data: { content } }));

  await say('hello');
  await say('how can I reset my password');
  await say('退款怎么申请');
  await say('What is the airspeed velocity of an unladen swallow?');
  await eventually(() => im.replies(token).length === 4, 'four robot replies');
  const [greeting, english, chinese, unknown] = im.replies(token);
  for (const r of [greeting, english, chinese, unknown]) {
    assert.equal(r.assign_type, 'robot');
    assert.equal(r.message.im_sub_session_id, sessionId);
  }
  assert.equal(greeting.message.data.question_id, 0, 'small talk is question 0');
  assert.equal(english.message.data.question_id, reset);
  assert.equal(english.message.data.answer, 'Use "Forgot password" on the login page.');
  assert.deepEqual(english.message.data.relate_list, [{ question_id: hours, question_title: 'What are your opening hours?' }]);
  assert.equal(english.message.data.third_url, 'https://help.example.com/password');
  assert.equal(chinese.message.data.question_id, refund);
  assert.equal(chinese.message.data.answer, '请在订单页面点击申请退款。');
  assert.equal(unknown.message.data.question_id, 0);
  assert.equal(unknown.message.data.answer, robot.assign_info.unknow_message);

  // The customer rates the English answer; the site's report counts it.
  ok(await api.post('/im/robot/answer_rating', { customer_token: token, message_id: english.message.message_id, question_id: reset, useful: true }));
  const ratings = (await admin.get('/api/v1/robot/ratings')).body;
  assert.deepEqual(
    ratings.find((r: { questionId: number }) => r.questionId === reset),
    { questionId: reset, title: 'How do I reset my password?', useful: 1, useless: 0 },
  );

  // Someone else already waits for a person; then our customer asks for one and queues second.
  const ahead = ok(await api.post('/im/sessions', { customer_token: 'waiting-1', assign_type: 'agent' }));
  assert.equal(ahead.assign_info.count, 1);
  await say('我要转人工');
  let status = ok(await api.get(`/im/queue_status?customer_token=${token}`));
  assert.deepEqual([status.status, status.count], ['排队中', 2]);
  const again = ok(await api.post('/im/sessions', { customer_token: token, assign_type: 'agent' }));
  assert.deepEqual([again.assign_type, again.assign_info.im_sub_session_id, again.assign_info.count], ['agent', sessionId, 2]);
  assert.equal(again.assign_info.survey_options.enabled, true);
  assert.equal(again.assign_info.survey_options.options.length, 5);

  // The one ahead gives up: our customer moves up to first.
  ok(await api.post('/im/messages', { customer_token: 'waiting-1', im_sub_session_id: ahead.assign_info.im_sub_session_id, type: 'close', data: {} }));
  status = ok(await api.get(`/im/queue_status?customer_token=${token}`));
  assert.deepEqual([status.status, status.count], ['排队中', 1]);

  // The agent finishes the busy chat: the freed slot takes our customer at once.
  assert.equal((await agent.api.post(`/api/v1/chats/${first.assign_info.im_sub_session_id}/end`)).status, 200);
  status = ok(await api.get(`/im/queue_status?customer_token=${token}`));
  assert.deepEqual([status.status, status.count], ['分配中', 0]);

  // The agent sees why the robot handed over: the robot session's id and its transcript.
  const history = (await agent.api.get(`/api/v1/chats/${sessionId}/messages`)).body;
  const transfer = history.find((m: { type: string }) => m.type === 'robot_transfer');
  assert.equal(transfer.data.robot_session_id, sessionId);
  assert.ok(transfer.data.transcript.some((line: { from: string; data: { content?: string } }) => line.from === 'customer' && line.data.content === '退款怎么申请'));

  // Agent and customer talk; the customer's rich text arrives sanitized.
  assert.equal((await agent.api.post(`/api/v1/chats/${sessionId}/accept`)).status, 200);
  status = ok(await api.get(`/im/queue_status?customer_token=${token}`));
  assert.equal(status.status, '会话中');
  const sent = await agent.api.post(`/api/v1/chats/${sessionId}/messages`, { type: 'message', data: { content: 'Hi, Alice here. How can I help?' } });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const mine = ok(await api.post('/im/messages', { customer_token: token, im_sub_session_id: sessionId, data: { content: '<b>Thanks</b><script>alert(1)</script>' } }));
  const stored = (await agent.api.get(`/api/v1/chats/${sessionId}/messages`)).body.find((m: { id: number }) => m.id === Number(mine.message_id));
  assert.equal(stored.data.content, '<b>Thanks</b>');
  assert.equal((await agent.api.post(`/api/v1/chats/${sessionId}/end`)).status, 200);

  // The customer answers the survey; the site sees it against the session and the agent.
  ok(await api.post('/im_sessions/survey', { im_sub_session_id: sessionId, option_id: 1, remark: 'Quick and kind' }));
  const surveys = (await client(app.url, im.site.admin.token).get('/api/v1/surveys')).body;
  assert.deepEqual(surveys[0], { chatId: sessionId, agentId: agent.id, optionId: 1, optionText: 'Very satisfied', remark: 'Quick and kind', answeredAt: surveys[0].answeredAt });
  // Both answers are in the event log, for reports to come (docs/events.md).
  const logged = await app.parley.database.db
    .withTables<EventTables>()
    .selectFrom('events')
    .select(['type', 'site_id', 'payload'])
    .where('type', 'in', ['survey.answered', 'robot.rated'])
    .orderBy('id')
    .execute();
  assert.deepEqual(
    logged.map((e) => ({ type: e.type, siteId: e.site_id, ...JSON.parse(e.payload) })),
    [
      { type: 'robot.rated', siteId: im.site.siteId, chatId: sessionId, messageId: Number(english.message.message_id), questionId: reset, useful: true },
      { type: 'survey.answered', siteId: im.site.siteId, chatId: sessionId, visitorId: (await agent.api.get(`/api/v1/chats/${sessionId}`)).body.visitorId, agentId: agent.id, optionId: 1, optionText: 'Very satisfied', remark: 'Quick and kind', satisfied: true },
    ],
  );

  // Everything the application heard about this customer, in order, each delivery once.
  await eventually(() => im.replies(token).at(-1)?.message.type === 'survey', 'the survey after the close');
  const heard = im.replies(token).map((r) => `${r.assign_type}:${r.message.type}${r.message.data.answer_type ? `:${r.message.data.answer_type}` : ''}`);
  assert.deepEqual(heard, [
    'robot:message:greeting',
    'robot:message:answer',
    'robot:message:answer',
    'robot:message:unknown',
    'robot:message:handover',
    'agent:info_appoint',
    'agent:message',
    'agent:close',
    'agent:survey',
  ]);
  const fromAgent = im.replies(token).find((r) => r.assign_type === 'agent' && r.message.type === 'message');
  assert.deepEqual(
    { id: fromAgent.message.agent_id, name: fromAgent.message.agent_name, session: fromAgent.message.im_sub_session_id, content: fromAgent.message.data.content },
    { id: agent.id, name: 'Alice', session: sessionId, content: 'Hi, Alice here. How can I help?' },
  );
  assert.equal(new Set(im.hook.seen.map((r) => r.deliveryId)).size, im.hook.seen.length, 'no delivery was sent twice');
});

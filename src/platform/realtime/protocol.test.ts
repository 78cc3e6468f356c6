// A publication frame put together around the data's JSON text is the very text encoding the
// whole push gives (clients and their parsers see no difference).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodePublication } from './protocol.ts';

test('a publication frame made around the JSON text of its data equals the encoded push', () => {
  const cases: unknown[] = [
    { event: 'chatMessage', message: { id: 7, data: { content: 'Hi "there" \u2028 \\ </script>' }, seq: 3 } },
    'plain text',
    42,
    null,
    [1, { a: [] }],
  ];
  for (const data of cases) {
    for (const channel of ['site:1', 'chat:"odd"\n']) {
      const pub = { channel, offset: 12, epoch: 'e', data };
      assert.equal(encodePublication({ ...pub, raw: JSON.stringify(data) }), encodePublication(pub));
    }
  }
});

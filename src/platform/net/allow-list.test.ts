import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AllowList, parseAllowListEntry, validateAllowList } from './allow-list.ts';

const value = (entry: string) => {
  const parsed = parseAllowListEntry(entry);
  assert.ok(parsed.ok, `${entry} should parse`);
  return parsed.value;
};
const reason = (entry: string) => {
  const parsed = parseAllowListEntry(entry);
  assert.ok(!parsed.ok, `${entry} should be refused`);
  return parsed.reason;
};
const checks = (entries: string[], inside: string[], outside: string[]) => {
  const list = AllowList.from(entries);
  for (const address of inside) assert.equal(list.allows(address), true, `${address} should be allowed by ${entries}`);
  for (const address of outside) assert.equal(list.allows(address), false, `${address} should be refused by ${entries}`);
};

test('a single IPv4 address allows only itself', () => {
  checks(['203.0.113.7'], ['203.0.113.7'], ['203.0.113.6', '203.0.113.8', '2001:db8::1']);
});

test('an IPv4 range allows its first and last address and nothing beyond', () => {
  checks(['10.0.0.0/8'], ['10.0.0.0', '10.1.2.3', '10.255.255.255'], ['9.255.255.255', '11.0.0.0']);
  checks(['192.0.2.1/32'], ['192.0.2.1'], ['192.0.2.0', '192.0.2.2']);
  checks(['192.0.2.10/31'], ['192.0.2.10', '192.0.2.11'], ['192.0.2.9', '192.0.2.12']);
  checks(['0.0.0.0/0'], ['0.0.0.0', '255.255.255.255', '::ffff:198.51.100.1'], ['2001:db8::1']);
});

test('a single IPv6 address allows itself in any spelling', () => {
  checks(['2001:db8::1'], ['2001:db8::1', '2001:DB8:0:0:0:0:0:0001'], ['2001:db8::2', '2001:db8::1:1', '203.0.113.7']);
});

test('an IPv6 range allows what is inside its prefix', () => {
  checks(
    ['2001:db8::/32'],
    ['2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db8:1::9'],
    ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db9::', '::1', '10.0.0.1'],
  );
  checks(['::/0'], ['::', '2001:db8::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], ['not-an-ip']);
});

test('an IPv4 peer seen on a dual-stack socket matches IPv4 entries', () => {
  checks(
    ['203.0.113.7', '198.51.100.0/24'],
    ['::ffff:203.0.113.7', '::FFFF:cb00:7107', '::ffff:198.51.100.255'],
    ['::ffff:203.0.113.8', '::ffff:198.51.101.0', '::203.0.113.7'],
  );
});

test('IPv4-mapped entries become their IPv4 equivalent', () => {
  assert.equal(value('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(value('::FFFF:c000:201'), '192.0.2.1');
  assert.equal(value('0:0:0:0:0:ffff:c000:201'), '192.0.2.1');
  assert.equal(value('::ffff:192.0.2.0/120'), '192.0.2.0/24');
  assert.equal(value('::ffff:192.0.2.1/128'), '192.0.2.1/32');
  assert.equal(value('::ffff:0:0/96'), '0.0.0.0/0');
  assert.equal(reason('::ffff:0:0/95'), '::ffff:0:0/95 is an IPv4-mapped range with a prefix below /96.');
  assert.equal(reason('::ffff:192.0.2.1/120'), '::ffff:192.0.2.1/120 has host bits set; did you mean 192.0.2.0/24?');
  checks(['::ffff:192.0.2.0/120'], ['192.0.2.77', '::ffff:192.0.2.77'], ['192.0.3.0']);
});

test('entries are trimmed and IPv6 is written in canonical compressed lower case', () => {
  assert.equal(value('  203.0.113.7\t'), '203.0.113.7');
  assert.equal(value('10.0.0.0/8'), '10.0.0.0/8');
  assert.equal(value(' 2001:0DB8:0000:0000:0000:0000:0000:0001 '), '2001:db8::1');
  assert.equal(value('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(value('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
  assert.equal(value('2001:DB8::/32'), '2001:db8::/32');
  assert.equal(value('::'), '::');
  assert.equal(value('::/0'), '::/0');
});

test('a range with host bits set is refused with the network it probably meant', () => {
  assert.equal(reason('10.0.0.1/8'), '10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?');
  assert.equal(reason('192.0.2.11/31'), '192.0.2.11/31 has host bits set; did you mean 192.0.2.10/31?');
  assert.equal(reason('1.2.3.4/0'), '1.2.3.4/0 has host bits set; did you mean 0.0.0.0/0?');
  assert.equal(reason('2001:db8::1/32'), '2001:db8::1/32 has host bits set; did you mean 2001:db8::/32?');
});

test('each kind of malformed entry is refused with a reason naming it', () => {
  assert.match(reason('fe80::1%eth0'), /^fe80::1%eth0 has a zone id/);
  assert.match(reason('fe80::%eth0/64'), /zone id/);
  assert.match(reason('010.0.0.1'), /^010\.0\.0\.1 has an octet with a leading zero/);
  assert.match(reason('10.0.0.01/32'), /leading zero/);
  assert.match(reason('example.com'), /^example\.com is a hostname/);
  assert.match(reason('localhost'), /hostname/);
  assert.match(reason(''), /empty/);
  assert.match(reason('   '), /empty/);
  for (const entry of ['10.0.0.0/08', '10.0.0.0/+8', '10.0.0.0/-8', '10.0.0.0/8.0', '10.0.0.0/', '10.0.0.0/33']) {
    assert.match(reason(entry), new RegExp(`^${entry.replace(/[.+]/g, '\\$&')} has an invalid prefix.* 0 to 32 `));
  }
  assert.match(reason('2001:db8::/129'), /^2001:db8::\/129 has an invalid prefix.* 0 to 128 /);
  assert.match(reason('2001:db8::/032'), /invalid prefix/);
  assert.equal(reason(`${'a'.repeat(61)}.com`), `${'a'.repeat(24)}… is longer than 64 characters.`);
  assert.equal(value(` ${'0:'.repeat(7)}0/128${' '.repeat(20)}`), '::/128');
  for (const entry of ['1.2.3', '1.2.3.4.5', '256.0.0.1', '10.0.0.0/8/8', '/8', '2001:db8:::1', '1.2.3.4 5', '0x7f.0.0.1']) {
    assert.equal(reason(entry), `${entry} is not an IP address or CIDR range.`);
  }
});

test('a list is validated entry by entry, normalised and deduplicated in first-seen order', () => {
  assert.deepEqual(
    validateAllowList([' 10.0.0.0/8', '2001:DB8::1', '192.0.2.1', '10.0.0.0/8', '2001:db8:0::1', '::ffff:192.0.2.1']),
    { ok: true, value: ['10.0.0.0/8', '2001:db8::1', '192.0.2.1'] },
  );
  assert.deepEqual(validateAllowList([]), { ok: true, value: [] });

  const result = validateAllowList(['10.0.0.0/8', '10.0.0.1/8', 42, 'example.com']);
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => [e.index, e.entry]),
    [
      [1, '10.0.0.1/8'],
      [2, ''],
      [3, 'example.com'],
    ],
  );
  assert.match(result.errors[1]!.reason, /not a string/);

  const notArray = validateAllowList('10.0.0.0/8');
  assert.ok(!notArray.ok);
  assert.equal(notArray.errors[0]!.index, -1);
});

test('a list holds at most 100 entries', () => {
  const entries = Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`);
  const full = validateAllowList(entries.slice(0, 100));
  assert.ok(full.ok);
  assert.equal(full.value.length, 100);

  const over = validateAllowList(entries);
  assert.ok(!over.ok);
  assert.equal(over.errors.length, 1);
  assert.equal(over.errors[0]!.index, 100);
  assert.match(over.errors[0]!.reason, /101 entries; at most 100/);
});

test('unparsable addresses are never allowed, and an empty list allows nothing', () => {
  const list = AllowList.from(['0.0.0.0/0', '::/0', 'fe80::/10']);
  for (const address of ['', 'not-an-ip', '010.0.0.1', '203.0.113.7:443', '[2001:db8::1]', 'fe80::1%eth0', ' 10.0.0.1']) {
    assert.equal(list.allows(address), false, address);
  }
  assert.equal(list.allows('fe80::1'), true);

  const empty = AllowList.from([]);
  assert.equal(empty.size, 0);
  assert.equal(empty.allows('203.0.113.7'), false);
  assert.equal(empty.allows('::1'), false);
});

test('a list counts distinct entries and refuses to build from an unvalidated one', () => {
  assert.equal(AllowList.from(['10.0.0.0/8', ' 10.0.0.0/8', '::ffff:192.0.2.1', '192.0.2.1']).size, 2);
  assert.throws(() => AllowList.from(['10.0.0.0/8', '10.0.0.1/8']), /10\.0\.0\.1\/8 has host bits set/);
});

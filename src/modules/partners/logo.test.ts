import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { checkLogo, createLogoStore, DEFAULT_LOGO_MAX_BYTES, LOGO_TYPES, sniffImage } from './logo.ts';

// Real 1×1 images (PNG, GIF, lossless WebP) and the start of a JFIF JPEG, small enough to read.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');
const HTML = Buffer.from('<!doctype html><script>alert(1)</script>');

/** 'ok' or the refusal code, so one assertion says which way checkLogo went. */
function outcome(r: ReturnType<typeof checkLogo>): string {
  return r.ok ? 'ok' : r.code;
}

test('the accepted types are PNG, JPEG, WebP and GIF, never SVG', () => {
  assert.deepEqual(LOGO_TYPES, { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' });
  assert.ok(!('image/svg+xml' in LOGO_TYPES));
  assert.equal(DEFAULT_LOGO_MAX_BYTES, 512 * 1024);
});

test('sniffImage knows each type by its magic bytes and nothing else', () => {
  assert.equal(sniffImage(PNG), 'image/png');
  assert.equal(sniffImage(JPEG), 'image/jpeg');
  assert.equal(sniffImage(GIF), 'image/gif');
  assert.equal(sniffImage(Buffer.from('GIF87a\x01\x00\x01\x00', 'latin1')), 'image/gif');
  assert.equal(sniffImage(WEBP), 'image/webp');
  for (const other of [SVG, HTML, Buffer.alloc(0), PNG.subarray(0, 7), Buffer.from('RIFF\x1a\0\0\0WAVEfmt ', 'latin1'), Buffer.from('GIF88a')]) {
    assert.equal(sniffImage(other), undefined);
  }
});

test('checkLogo accepts each type when the declared type matches the bytes, ignoring parameters and case', () => {
  assert.deepEqual(checkLogo(PNG, 'image/png', 1024), { ok: true, type: 'image/png', ext: 'png' });
  assert.deepEqual(checkLogo(JPEG, 'image/jpeg', 1024), { ok: true, type: 'image/jpeg', ext: 'jpg' });
  assert.deepEqual(checkLogo(GIF, 'image/gif', 1024), { ok: true, type: 'image/gif', ext: 'gif' });
  assert.deepEqual(checkLogo(WEBP, 'image/webp', 1024), { ok: true, type: 'image/webp', ext: 'webp' });
  assert.deepEqual(checkLogo(PNG, ' Image/PNG ; charset=binary', 1024), { ok: true, type: 'image/png', ext: 'png' });
});

test('checkLogo refuses empty and oversize uploads; the limit itself is allowed', () => {
  assert.deepEqual(checkLogo(Buffer.alloc(0), 'image/png', 1024), { ok: false, code: 'empty', reason: 'the logo is empty' });
  assert.equal(outcome(checkLogo(PNG, 'image/png', PNG.length)), 'ok');
  assert.equal(outcome(checkLogo(PNG, 'image/png', PNG.length - 1)), 'too-large');
  const huge = Buffer.concat([PNG, Buffer.alloc(DEFAULT_LOGO_MAX_BYTES)]);
  assert.equal(outcome(checkLogo(huge, 'image/png', DEFAULT_LOGO_MAX_BYTES)), 'too-large');
});

test('checkLogo refuses SVG, other and missing types, and bytes that are not what was declared', () => {
  const svg = checkLogo(SVG, 'image/svg+xml', 1024);
  assert.equal(outcome(svg), 'unsupported-type');
  assert.match(svg.ok ? '' : svg.reason, /SVG is not accepted because it can carry scripts/);
  for (const declared of [undefined, '', 'text/html', 'application/octet-stream', 'image/jpg', 'image/png+xml', 'image/x-icon']) {
    assert.equal(outcome(checkLogo(PNG, declared, 1024)), 'unsupported-type', String(declared));
  }
  for (const [buf, declared] of [
    [SVG, 'image/png'],
    [HTML, 'image/gif'],
    [JPEG, 'image/png'],
    [PNG, 'image/webp'],
    [GIF, 'image/jpeg; charset=binary'],
  ] as const) {
    assert.equal(outcome(checkLogo(buf, declared, 1024)), 'type-mismatch', declared);
  }
});

const tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-logo-'));
after(() => rm(tmp, { recursive: true, force: true }));

test('save writes a content-addressed file atomically in a directory it creates; read gives it back', async () => {
  const dir = path.join(tmp, 'store', 'logos');
  const store = createLogoStore(dir);
  const name = await store.save(42, PNG, 'png');
  assert.equal(name, `p42-${createHash('sha256').update(PNG).digest('hex').slice(0, 32)}.png`);
  assert.deepEqual(await store.read(name), { buf: PNG, type: 'image/png' });
  assert.equal(await store.save(42, PNG, 'png'), name, 'the same bytes give the same name');
  assert.notEqual(await store.save(7, PNG, 'png'), name, 'each partner has its own file');
  const webp = await store.save(42, WEBP, 'webp');
  assert.deepEqual(await store.read(webp), { buf: WEBP, type: 'image/webp' });
  assert.deepEqual((await readdir(dir)).sort(), [name, webp, name.replace('p42-', 'p7-')].sort(), 'no temp files are left');
});

test('remove deletes a logo; a missing or foreign name is a no-op', async () => {
  const store = createLogoStore(path.join(tmp, 'remove'));
  const name = await store.save(1, GIF, 'gif');
  await store.remove(name);
  assert.equal(await store.read(name), undefined);
  await store.remove(name);
  await store.remove('../outside.png');
});

test('read refuses every name save does not make, so nothing outside the directory can be read', async () => {
  const dir = path.join(tmp, 'traversal', 'logos');
  const store = createLogoStore(dir);
  const name = await store.save(3, JPEG, 'jpg');
  const hash = name.slice(3, 35);
  await writeFile(path.join(tmp, 'traversal', 'secret.png'), PNG);
  for (const bad of [
    '../secret.png',
    `../logos/${name}`,
    `./${name}`,
    `${name}/`,
    `${name}\0`,
    `${name}.png`,
    path.join(dir, name),
    `p3-${hash}.svg`,
    `p3-${hash.toUpperCase()}.jpg`,
    `p3-${hash.slice(1)}.jpg`,
    `p0-${hash}.jpg`,
    `p03-${hash}.jpg`,
    `p-1-${hash}.jpg`,
    `P3-${hash}.jpg`,
    `p3-${hash}.JPG`,
    `p3-${hash}.jpg\n`,
    `.p3-${hash}.jpg.tmp`,
    '..%2fsecret.png',
    'secret.png',
    '',
  ]) {
    assert.equal(await store.read(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(await store.read(`p3-${'0'.repeat(32)}.jpg`), undefined, 'a well-formed name of a missing file');
  assert.deepEqual(await store.read(name), { buf: JPEG, type: 'image/jpeg' });
});

test('save refuses bytes that are not the extension, unknown extensions and invalid partner ids', async () => {
  const store = createLogoStore(path.join(tmp, 'refuse'));
  await assert.rejects(store.save(1, SVG, 'svg'), TypeError);
  await assert.rejects(store.save(1, HTML, 'png'), TypeError);
  await assert.rejects(store.save(1, PNG, 'jpg'), TypeError);
  await assert.rejects(store.save(1, PNG, '../png'), TypeError);
  for (const id of [0, -1, 1.5, Number.NaN]) await assert.rejects(store.save(id, PNG, 'png'), TypeError);
});

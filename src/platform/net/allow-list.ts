// Partner IP allow-lists: entries are checked and normalised once when saved, then matched with
// Node's BlockList. Work is done on bigints so host bits and IPv4-mapped ranges can be reasoned about.
import { BlockList, isIP } from 'node:net';

export const MAX_ALLOW_LIST_ENTRIES = 100;
const MAX_ENTRY_LENGTH = 64;

type Family = 'ipv4' | 'ipv6';
interface Ip {
  family: Family;
  n: bigint;
}
/** A parsed entry; `prefix` is undefined for a single address. */
interface Entry {
  ip: Ip;
  prefix: number | undefined;
}

export type AllowListEntryResult = { ok: true; value: string } | { ok: false; reason: string };
export interface AllowListError {
  /** Position in the submitted array; -1 when the value is not an array at all. */
  index: number;
  entry: string;
  reason: string;
}
export type AllowListResult = { ok: true; value: string[] } | { ok: false; errors: AllowListError[] };

const width = (family: Family) => (family === 'ipv4' ? 32 : 128);
const MAPPED = 0xffffn; // ::ffff:0:0/96 is IPv4 space seen through an IPv6 socket
const isMapped = (ip: Ip) => ip.family === 'ipv6' && ip.n >> 32n === MAPPED;
const unmap = (ip: Ip): Ip => (isMapped(ip) ? { family: 'ipv4', n: ip.n & 0xffffffffn } : ip);

const v4ToBigInt = (text: string) => text.split('.').reduce((n, octet) => (n << 8n) | BigInt(octet), 0n);

function v6ToBigInt(text: string): bigint {
  const groups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [g];
          const n = v4ToBigInt(g);
          return [(n >> 16n).toString(16), (n & 0xffffn).toString(16)];
        });
  const [head = '', tail] = text.split('::');
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((n, g) => (n << 16n) | BigInt(`0x${g}`), 0n);
}

/** A bare address without prefix or zone id, or undefined. */
function parseIp(text: string): Ip | undefined {
  const kind = isIP(text);
  if (kind === 4) return { family: 'ipv4', n: v4ToBigInt(text) };
  if (kind === 6 && !text.includes('%')) return { family: 'ipv6', n: v6ToBigInt(text) };
  return undefined;
}

function format(ip: Ip): string {
  if (ip.family === 'ipv4') return [24n, 16n, 8n, 0n].map((shift) => (ip.n >> shift) & 0xffn).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((ip.n >> shift) & 0xffffn).toString(16));
  // The WHATWG URL serialiser writes IPv6 exactly as RFC 5952 asks (lower case, longest zero run as ::).
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

const formatEntry = ({ ip, prefix }: Entry) => (prefix === undefined ? format(ip) : `${format(ip)}/${prefix}`);
const shown = (text: string) => (text.length > 24 ? `${text.slice(0, 24)}…` : text);
const HOSTNAME = /^([a-z0-9-]+\.)*[a-z][a-z0-9-]*\.?$/i;

function parseEntry(entry: string): Entry | string {
  const text = entry.trim();
  if (text === '') return 'An allow-list entry cannot be empty.';
  if (text.length > MAX_ENTRY_LENGTH) return `${shown(text)} is longer than ${MAX_ENTRY_LENGTH} characters.`;
  const [address = '', prefixText, ...rest] = text.split('/');
  if (address.includes('%')) return `${text} has a zone id; zone ids are not allowed.`;
  if (/^\d+(\.\d+){3}$/.test(address) && /(^|\.)0\d/.test(address)) {
    return `${text} has an octet with a leading zero, which some tools read as octal.`;
  }
  const parsed = rest.length === 0 ? parseIp(address) : undefined;
  if (!parsed) {
    if (HOSTNAME.test(address)) return `${text} is a hostname; use an IP address or CIDR range.`;
    return `${text} is not an IP address or CIDR range.`;
  }
  if (prefixText === undefined) return { ip: unmap(parsed), prefix: undefined };

  const bits = width(parsed.family);
  if (!/^(0|[1-9]\d*)$/.test(prefixText) || Number(prefixText) > bits) {
    return `${text} has an invalid prefix; use a whole number from 0 to ${bits} without leading zeros or sign.`;
  }
  let ip = parsed;
  let prefix = Number(prefixText);
  if (isMapped(ip)) {
    if (prefix < 96) return `${text} is an IPv4-mapped range with a prefix below /96.`;
    ip = unmap(ip);
    prefix -= 96;
  }
  const hostMask = (1n << BigInt(width(ip.family) - prefix)) - 1n;
  if ((ip.n & hostMask) !== 0n) {
    const network = formatEntry({ ip: { ...ip, n: ip.n & ~hostMask }, prefix });
    return `${text} has host bits set; did you mean ${network}?`;
  }
  return { ip, prefix };
}

/** Checks one entry (address or CIDR range) and returns it in canonical form. */
export function parseAllowListEntry(entry: string): AllowListEntryResult {
  const parsed = parseEntry(entry);
  return typeof parsed === 'string' ? { ok: false, reason: parsed } : { ok: true, value: formatEntry(parsed) };
}

/** Checks a submitted allow-list and returns its canonical entries without duplicates, in order. */
export function validateAllowList(entries: unknown): AllowListResult {
  if (!Array.isArray(entries)) {
    return { ok: false, errors: [{ index: -1, entry: '', reason: 'The allow-list must be an array of strings.' }] };
  }
  if (entries.length > MAX_ALLOW_LIST_ENTRIES) {
    const reason = `The allow-list has ${entries.length} entries; at most ${MAX_ALLOW_LIST_ENTRIES} are allowed.`;
    return { ok: false, errors: [{ index: MAX_ALLOW_LIST_ENTRIES, entry: String(entries[MAX_ALLOW_LIST_ENTRIES]), reason }] };
  }
  const value = new Set<string>();
  const errors: AllowListError[] = [];
  entries.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string') {
      errors.push({ index, entry: '', reason: `Entry ${index} is a ${entry === null ? 'null' : typeof entry}, not a string.` });
      return;
    }
    const parsed = parseAllowListEntry(entry);
    if (parsed.ok) value.add(parsed.value);
    else errors.push({ index, entry, reason: parsed.reason });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: [...value] };
}

/** A partner's allow-list, ready to match peer addresses; an empty list allows nothing. */
export class AllowList {
  readonly #blocks = new BlockList();
  readonly #entries = new Set<string>();

  private constructor() {}

  /** Builds a list from already validated entries; throws on one that does not parse. */
  static from(entries: string[]): AllowList {
    const list = new AllowList();
    for (const raw of entries) {
      const entry = parseEntry(raw);
      // Entries are validated before they are stored, so a bad one here is a bug, not user input.
      if (typeof entry === 'string') throw new Error(`Invalid allow-list entry: ${entry}`);
      const address = format(entry.ip);
      if (entry.prefix === undefined) list.#blocks.addAddress(address, entry.ip.family);
      else list.#blocks.addSubnet(address, entry.prefix, entry.ip.family);
      list.#entries.add(formatEntry(entry));
    }
    return list;
  }

  /** Number of distinct entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether the address (IPv4, IPv6 or IPv4-mapped IPv6) is inside any entry; false when unparsable. */
  allows(address: string): boolean {
    // BlockList itself matches ::ffff:a.b.c.d (and its hex form) against IPv4 entries.
    const ip = parseIp(address);
    return ip !== undefined && this.#blocks.check(address, ip.family);
  }
}

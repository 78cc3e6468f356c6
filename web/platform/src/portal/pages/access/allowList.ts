// The browser's check of the Partner API allow-list before it is sent: one IPv4 or IPv6 address or
// CIDR range a line. It refuses what the server refuses (src/platform/net/allow-list.ts), so a
// mistake is named at its line at once; the server checks again and writes the canonical form.

export const MAX_ENTRIES = 100;
const MAX_ENTRY_LENGTH = 64;

/** What is wrong with one entry (the page words it). */
export type EntryProblem =
  | { kind: 'tooLong'; max: number }
  | { kind: 'zone' }
  | { kind: 'leadingZero' }
  | { kind: 'octet' }
  | { kind: 'v4Parts' }
  | { kind: 'hostname' }
  | { kind: 'notIp' }
  | { kind: 'prefix'; max: number }
  | { kind: 'mappedPrefix' }
  | { kind: 'hostBits'; network: string };

/** The entries of the text (blank lines left out) and the line (from 1) each is on. */
export function entriesOf(text: string): { entries: string[]; lines: number[] } {
  const entries: string[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const entry = raw.trim();
    if (entry === '') return;
    entries.push(entry);
    lines.push(i + 1);
  });
  return { entries, lines };
}

interface Ip {
  v6: boolean;
  n: bigint;
}

const width = (ip: Ip) => (ip.v6 ? 128 : 32);
const DOTTED = /^\d+(\.\d+){3}$/;

/** Four decimal numbers 0–255 without leading zeros, or undefined. */
function v4Number(text: string): bigint | undefined {
  if (!DOTTED.test(text)) return undefined;
  const parts = text.split('.');
  if (parts.some((p) => (p.length > 1 && p.startsWith('0')) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

/** The 16-bit groups of one side of `::`; an IPv4 address may end the last side. */
function groupsOf(part: string, v4Allowed: boolean): bigint[] | undefined {
  if (part === '') return [];
  const out: bigint[] = [];
  const groups = part.split(':');
  for (const [i, g] of groups.entries()) {
    if (v4Allowed && i === groups.length - 1 && g.includes('.')) {
      const n = v4Number(g);
      if (n === undefined) return undefined;
      out.push(n >> 16n, n & 0xffffn);
    } else if (/^[0-9a-f]{1,4}$/i.test(g)) {
      out.push(BigInt(`0x${g}`));
    } else {
      return undefined;
    }
  }
  return out;
}

/** An IPv6 address (RFC 4291 text forms, without a zone id), or undefined. */
function v6Number(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [head = '', tail] = halves;
  const left = groupsOf(head, tail === undefined);
  const right = tail === undefined ? [] : groupsOf(tail, true);
  if (!left || !right) return undefined;
  const count = left.length + right.length;
  if (tail === undefined ? count !== 8 : count > 7) return undefined;
  const all = [...left, ...Array<bigint>(8 - count).fill(0n), ...right];
  return all.reduce((n, g) => (n << 16n) | g, 0n);
}

function format(ip: Ip): string {
  if (!ip.v6) return [24n, 16n, 8n, 0n].map((shift) => (ip.n >> shift) & 0xffn).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((ip.n >> shift) & 0xffffn).toString(16));
  // The URL parser writes IPv6 as RFC 5952 asks (lower case, the longest run of zeros as ::).
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

const HOSTNAME = /^([a-z0-9-]+\.)*[a-z][a-z0-9-]*\.?$/i;
const MAPPED = 0xffffn;

/** Why an address is not one; what the server says, with a closer reason where the page can give one. */
function addressProblem(address: string): EntryProblem {
  if (DOTTED.test(address)) return address.split('.').some((p) => p.length > 1 && p.startsWith('0')) ? { kind: 'leadingZero' } : { kind: 'octet' };
  if (/^\d+(\.\d+)*$/.test(address)) return { kind: 'v4Parts' };
  if (HOSTNAME.test(address)) return { kind: 'hostname' };
  return { kind: 'notIp' };
}

/** What is wrong with one entry (an address or CIDR range), or null when it is fine. */
export function entryProblem(entry: string): EntryProblem | null {
  const text = entry.trim();
  if (text.length > MAX_ENTRY_LENGTH) return { kind: 'tooLong', max: MAX_ENTRY_LENGTH };
  const [address = '', prefixText, ...rest] = text.split('/');
  if (address.includes('%')) return { kind: 'zone' };
  if (rest.length > 0) return { kind: 'notIp' };
  const v4 = v4Number(address);
  const v6 = v4 === undefined && address.includes(':') ? v6Number(address) : undefined;
  let ip: Ip;
  if (v4 !== undefined) ip = { v6: false, n: v4 };
  else if (v6 !== undefined) ip = { v6: true, n: v6 };
  else return addressProblem(address);
  if (prefixText === undefined) return null;

  if (!/^(0|[1-9]\d*)$/.test(prefixText) || Number(prefixText) > width(ip)) return { kind: 'prefix', max: width(ip) };
  let prefix = Number(prefixText);
  // ::ffff:a.b.c.d is IPv4 seen through IPv6: the server keeps it as the IPv4 range.
  if (ip.v6 && ip.n >> 32n === MAPPED) {
    if (prefix < 96) return { kind: 'mappedPrefix' };
    ip = { v6: false, n: ip.n & 0xffffffffn };
    prefix -= 96;
  }
  const hostMask = (1n << BigInt(width(ip) - prefix)) - 1n;
  if ((ip.n & hostMask) !== 0n) return { kind: 'hostBits', network: `${format({ ...ip, n: ip.n & ~hostMask })}/${prefix}` };
  return null;
}

/** Each entry's problem with the line it is on; none when the list may be sent. */
export function listProblems(text: string): { line: number; entry: string; problem: EntryProblem }[] {
  const { entries, lines } = entriesOf(text);
  return entries.flatMap((entry, i) => {
    const problem = entryProblem(entry);
    return problem ? [{ line: lines[i] ?? i + 1, entry, problem }] : [];
  });
}

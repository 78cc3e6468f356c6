// SAML messages as they come in and go out: size caps, decoding of both bindings, parsing of
// untrusted XML (no DOCTYPE, no entities), the protocol's names, and signing redirect URLs the way
// a browser sends them on.
import { sign } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { BadRequest, Unauthorized } from '../../platform/errors.ts';

/** Posted Responses larger than this (base64) are refused unread. */
export const MAX_SAML_POST_BYTES = 256 * 1024;
/** Redirect-binding messages may inflate to at most this. */
export const MAX_SAML_INFLATED_BYTES = 64 * 1024;
/** How long an AuthnRequest may wait for its Response. */
export const SAML_REQUEST_TTL_MS = 10 * 60_000;
/** Clock skew allowed between Parley and an IdP. */
export const SAML_SKEW_MS = 180_000;

// SAML 2.0 names (saml-core): the protocol and assertion namespaces, bearer confirmation, success.
export const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** The signature algorithms a signed redirect-binding message may use. */
export const ALLOWED_SIG_ALGS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);

/** The error of a refused SAML message: 401, saying why. */
export const refused = (why: string) => new Unauthorized(`The SAML message was refused: ${why}.`, { reason: 'saml' });

/** Parses XML that came from outside: no DOCTYPE (so no entities), any parse error refuses it. */
export function parseUntrustedXml(xml: string): Element {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw refused('a DOCTYPE or entity declaration is not allowed');
  let root: Element | null;
  try {
    root = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml').documentElement;
  } catch {
    throw refused('it is not well-formed XML');
  }
  if (!root) throw refused('it is not XML');
  return root;
}

/** Decodes a posted (base64, not deflated) message with the size cap. */
export function decodePosted(b64: string): string {
  if (b64.length > MAX_SAML_POST_BYTES) throw new BadRequest(`The SAML message is larger than ${MAX_SAML_POST_BYTES} bytes.`, { reason: 'saml-size' });
  const xml = Buffer.from(b64, 'base64').toString('utf8');
  if (xml.includes('\uFFFD') || xml.includes('\u0000')) throw refused('it is not UTF-8 text');
  return xml;
}

/** Decodes a redirect-binding (deflated, base64) message with the size caps. */
export function decodeRedirect(b64: string): string {
  if (b64.length > MAX_SAML_POST_BYTES) throw new BadRequest(`The SAML message is larger than ${MAX_SAML_POST_BYTES} bytes.`, { reason: 'saml-size' });
  try {
    return inflateRawSync(Buffer.from(b64, 'base64'), { maxOutputLength: MAX_SAML_INFLATED_BYTES }).toString('utf8');
  } catch {
    throw refused(`it is not a deflated message, or it inflates beyond ${MAX_SAML_INFLATED_BYTES} bytes`);
  }
}

/** The child elements of `el` with this namespace and local name. */
export const children = (el: Element, ns: string, name: string): Element[] => {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) out.push(n as Element);
  }
  return out;
};
/** The trimmed text of an element, or null without one. */
export const text = (el: Element | undefined) => el?.textContent?.trim() ?? null;

// Strict RFC 3986 encoding, which a URL parser (a browser following the redirect) leaves as it is.
const encodeStrict = (v: string) => encodeURIComponent(v).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Signs a redirect-binding URL node-saml made again, over its parameters as they are sent. The
 * library signs one encoding and writes the URL in another (they differ on spaces and `!'()*~`),
 * and a browser re-encodes some characters on the way: with a RelayState holding those, the IdP
 * could not verify the signature. Strict encoding survives all of that.
 */
export function signedAsSent(url: string, privateKey: string): string {
  const u = new URL(url);
  const parts: string[] = [];
  for (const k of ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg']) {
    const v = u.searchParams.get(k);
    if (v !== null) parts.push(`${k}=${encodeStrict(v)}`);
  }
  for (const k of ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature']) u.searchParams.delete(k);
  const signed = parts.join('&');
  const signature = sign('sha256', Buffer.from(signed, 'utf8'), privateKey).toString('base64');
  const rest = u.search.slice(1);
  return `${u.origin}${u.pathname}?${rest ? `${rest}&` : ''}${signed}&Signature=${encodeStrict(signature)}`;
}

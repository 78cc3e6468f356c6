// A real SAML 2.0 Identity Provider for tests: RSA-2048 keys and self-signed certificates made in
// the test (no fixtures on disk), Responses and Assertions signed with XML-DSig (enveloped,
// exclusive c14n, rsa-sha256), the HTTP-Redirect and HTTP-POST bindings, IdP- and SP-initiated
// logout messages, and the attacks an SP must refuse: signature wrapping XSW1–XSW8 (Somorovsky et
// al., "On Breaking SAML", as named by SAML Raider), edits after signing, comment injection, an
// extra root, DOCTYPE entities and a signature by a key the SP does not trust.
import { randomBytes, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import zlib from 'node:zlib';
import { type Document, DOMParser, type Element, type Node, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { createSelfSigned } from '../../src/modules/sso/certificates.ts';

/** The XML namespaces of SAML 2.0 and XML-DSig. */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** The algorithm URIs the toolkit signs with. */
export const ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** NameID formats. */
export const NAMEID = {
  email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  entity: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
} as const;

/** A signer: a private key and the certificate put in KeyInfo. */
export interface Signer {
  keyPem: string;
  certPem: string;
}

/** An Identity Provider: its entity id, private key and self-signed certificate (PEM). */
export interface Idp extends Signer {
  entityId: string;
}

// ---------------------------------------------------------------------------------------------
// Keys and certificates

/** A fresh RSA-2048 key and a self-signed X.509 certificate for it (valid from an hour ago for `days`). */
export function createCertificate(commonName: string, opts: { days?: number; notBefore?: Date; notAfter?: Date } = {}): Promise<Signer> {
  const notBefore = opts.notBefore ?? new Date(Date.now() - 3600_000);
  return createSelfSigned({ commonName, notBefore, notAfter: opts.notAfter ?? new Date(notBefore.getTime() + (opts.days ?? 365) * 86400_000) });
}

/** A test Identity Provider: a unique entity id and a fresh key with its self-signed certificate. */
export async function createIdp(entityId = `https://idp-${randomBytes(4).toString('hex')}.example/saml/metadata`): Promise<Idp> {
  return { entityId, ...(await createCertificate(new URL(entityId).hostname)) };
}

/** An attacker's IdP, made the same way: its key is real, but no SP was ever told to trust it. */
export async function createAttackerIdp(entityId = `https://attacker-${randomBytes(4).toString('hex')}.example/saml`): Promise<Idp> {
  return createIdp(entityId);
}

// ---------------------------------------------------------------------------------------------
// Building messages

/** A new SAML ID (xs:ID: it starts with an underscore, never a digit). */
export const samlId = (): string => `_${randomBytes(16).toString('hex')}`;

/** An XML text or attribute value, escaped. */
export const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** xs:dateTime of a Date (UTC). */
const iso = (d: Date): string => d.toISOString();

/** ` Name="value"` or nothing when the value is null/undefined. */
const attr = (name: string, value: string | null | undefined): string => (value == null ? '' : ` ${name}="${xmlEscape(value)}"`);

/** A top-level status code URI: `Success`, `Requester`, `Responder`, `VersionMismatch` or a full URN. */
export const statusUri = (code: string): string => (code.startsWith('urn:') ? code : `urn:oasis:names:tc:SAML:2.0:status:${code}`);

/** What goes into a Response and its Assertion; anything left out gets a valid default. */
export interface ResponseOptions {
  /** Issuer of both the Response and the Assertion. */
  issuer: string;
  /** Overrides the Response's Issuer; null leaves it out (it is optional on a Response). */
  responseIssuer?: string | null;
  /** Overrides the Assertion's Issuer. */
  assertionIssuer?: string;
  /** The AuthnRequest ID answered; null: unsolicited (no InResponseTo anywhere). */
  inResponseTo?: string | null;
  /** Response Destination (the ACS URL); null leaves it out. */
  destination?: string | null;
  /** SubjectConfirmationData Recipient; defaults to `destination`. */
  recipient?: string | null;
  /** The AudienceRestriction's Audience (the SP entity id); null: no AudienceRestriction. */
  audience?: string | null;
  nameId: string;
  /** Defaults to the e-mail address format. */
  nameIdFormat?: string;
  /** Attribute name -> value (one string value each). */
  attributes?: Record<string, string>;
  /** AuthnStatement SessionIndex; defaults to a fresh one, null leaves it out. */
  sessionIndex?: string | null;
  /** Conditions NotBefore; defaults to a minute ago. */
  notBefore?: Date;
  /** Conditions and SubjectConfirmationData NotOnOrAfter; defaults to five minutes from now. */
  notOnOrAfter?: Date;
  /** SubjectConfirmationData NotOnOrAfter when it should differ from the Conditions'. */
  subjectNotOnOrAfter?: Date;
  /** IssueInstant of the Response and Assertion, and AuthnInstant; defaults to now. */
  issueInstant?: Date;
  responseId?: string;
  assertionId?: string;
  /** Top-level status code (see statusUri); defaults to Success. */
  status?: string;
  statusMessage?: string;
  /** Include an Assertion; defaults to true on Success, false otherwise. */
  withAssertion?: boolean;
}

/** An unsigned saml2:Assertion element (it declares its own namespace, so it stands alone). */
export function samlAssertion(o: ResponseOptions): string {
  const now = o.issueInstant ?? new Date();
  const notBefore = o.notBefore ?? new Date(now.getTime() - 60_000);
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
  const subjectNotOnOrAfter = o.subjectNotOnOrAfter ?? notOnOrAfter;
  const recipient = o.recipient === undefined ? o.destination : o.recipient;
  const sessionIndex = o.sessionIndex === undefined ? samlId() : o.sessionIndex;
  const attributes = Object.entries(o.attributes ?? {})
    .map(
      ([name, value]) =>
        `<saml2:Attribute Name="${xmlEscape(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml2:AttributeValue>${xmlEscape(value)}</saml2:AttributeValue></saml2:Attribute>`,
    )
    .join('');
  return [
    `<saml2:Assertion xmlns:saml2="${NS.assertion}" ID="${xmlEscape(o.assertionId ?? samlId())}" Version="2.0" IssueInstant="${iso(now)}">`,
    `<saml2:Issuer Format="${NAMEID.entity}">${xmlEscape(o.assertionIssuer ?? o.issuer)}</saml2:Issuer>`,
    '<saml2:Subject>',
    `<saml2:NameID Format="${xmlEscape(o.nameIdFormat ?? NAMEID.email)}">${xmlEscape(o.nameId)}</saml2:NameID>`,
    '<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">',
    `<saml2:SubjectConfirmationData${attr('InResponseTo', o.inResponseTo)} NotOnOrAfter="${iso(subjectNotOnOrAfter)}"${attr('Recipient', recipient)}/>`,
    '</saml2:SubjectConfirmation>',
    '</saml2:Subject>',
    `<saml2:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}">`,
    o.audience == null ? '' : `<saml2:AudienceRestriction><saml2:Audience>${xmlEscape(o.audience)}</saml2:Audience></saml2:AudienceRestriction>`,
    '</saml2:Conditions>',
    `<saml2:AuthnStatement AuthnInstant="${iso(now)}"${attr('SessionIndex', sessionIndex)}>`,
    '<saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext>',
    '</saml2:AuthnStatement>',
    attributes ? `<saml2:AttributeStatement>${attributes}</saml2:AttributeStatement>` : '',
    '</saml2:Assertion>',
  ].join('');
}

/** An unsigned saml2p:Response (with an Assertion unless told otherwise). */
export function samlResponse(o: ResponseOptions): string {
  const now = o.issueInstant ?? new Date();
  const status = o.status ?? 'Success';
  const withAssertion = o.withAssertion ?? statusUri(status) === statusUri('Success');
  const responseIssuer = o.responseIssuer === undefined ? o.issuer : o.responseIssuer;
  return [
    `<saml2p:Response xmlns:saml2p="${NS.protocol}" xmlns:saml2="${NS.assertion}" ID="${xmlEscape(o.responseId ?? samlId())}" Version="2.0" IssueInstant="${iso(now)}"`,
    `${attr('Destination', o.destination)}${attr('InResponseTo', o.inResponseTo)}>`,
    responseIssuer == null ? '' : `<saml2:Issuer Format="${NAMEID.entity}">${xmlEscape(responseIssuer)}</saml2:Issuer>`,
    `<saml2p:Status><saml2p:StatusCode Value="${xmlEscape(statusUri(status))}"/>`,
    o.statusMessage === undefined ? '' : `<saml2p:StatusMessage>${xmlEscape(o.statusMessage)}</saml2p:StatusMessage>`,
    '</saml2p:Status>',
    withAssertion ? samlAssertion(o) : '',
    '</saml2p:Response>',
  ].join('');
}

/** What goes into a LogoutRequest. */
export interface LogoutRequestOptions {
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string | null;
  /** The SP's logout endpoint. */
  destination?: string | null;
  id?: string;
  issueInstant?: Date;
  notOnOrAfter?: Date | null;
}

/** An unsigned saml2p:LogoutRequest. */
export function logoutRequestXml(o: LogoutRequestOptions): string {
  return [
    `<saml2p:LogoutRequest xmlns:saml2p="${NS.protocol}" xmlns:saml2="${NS.assertion}" ID="${xmlEscape(o.id ?? samlId())}" Version="2.0"`,
    ` IssueInstant="${iso(o.issueInstant ?? new Date())}"${attr('Destination', o.destination)}${attr('NotOnOrAfter', o.notOnOrAfter ? iso(o.notOnOrAfter) : null)}>`,
    `<saml2:Issuer Format="${NAMEID.entity}">${xmlEscape(o.issuer)}</saml2:Issuer>`,
    `<saml2:NameID Format="${xmlEscape(o.nameIdFormat ?? NAMEID.email)}">${xmlEscape(o.nameId)}</saml2:NameID>`,
    o.sessionIndex == null ? '' : `<saml2p:SessionIndex>${xmlEscape(o.sessionIndex)}</saml2p:SessionIndex>`,
    '</saml2p:LogoutRequest>',
  ].join('');
}

/** What goes into a LogoutResponse. */
export interface LogoutResponseOptions {
  issuer: string;
  inResponseTo: string | null;
  destination?: string | null;
  id?: string;
  issueInstant?: Date;
  status?: string;
}

/** An unsigned saml2p:LogoutResponse. */
export function logoutResponseXml(o: LogoutResponseOptions): string {
  return [
    `<saml2p:LogoutResponse xmlns:saml2p="${NS.protocol}" xmlns:saml2="${NS.assertion}" ID="${xmlEscape(o.id ?? samlId())}" Version="2.0"`,
    ` IssueInstant="${iso(o.issueInstant ?? new Date())}"${attr('Destination', o.destination)}${attr('InResponseTo', o.inResponseTo)}>`,
    `<saml2:Issuer Format="${NAMEID.entity}">${xmlEscape(o.issuer)}</saml2:Issuer>`,
    `<saml2p:Status><saml2p:StatusCode Value="${xmlEscape(statusUri(o.status ?? 'Success'))}"/></saml2p:Status>`,
    '</saml2p:LogoutResponse>',
  ].join('');
}

// ---------------------------------------------------------------------------------------------
// XML-DSig

/** Parses XML strictly (any error or warning throws). */
export function parseXml(xml: string): Document {
  return new DOMParser({
    onError: (level, msg) => {
      throw new Error(`XML ${level}: ${msg}`);
    },
  }).parseFromString(xml, 'text/xml');
}

/** Serialises a document (or element) back to text. */
export const serializeXml = (node: Node): string => new XMLSerializer().serializeToString(node);

/** The element children of a node. */
const childElements = (node: Node): Element[] => {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
};

/** The first element child with this namespace and local name. */
const child = (node: Node, ns: string, local: string): Element | undefined => childElements(node).find((e) => e.namespaceURI === ns && e.localName === local);

/** The first descendant with this namespace and local name. */
const descendant = (node: Document | Element, ns: string, local: string): Element | undefined => node.getElementsByTagNameNS(ns, local)[0] ?? undefined;

/** Signs one element by ID with an enveloped signature placed right after its Issuer (or first). */
function signElementById(xml: string, id: string, signer: Signer): string {
  const doc = parseXml(xml);
  const matches = [...doc.getElementsByTagNameNS('*', '*')].filter((e) => e.getAttribute('ID') === id);
  if (matches.length !== 1) throw new Error(`expected one element with ID ${id}, found ${matches.length}`);
  const el = matches[0]!;
  const target = `//*[local-name(.)='${el.localName}' and namespace-uri(.)='${el.namespaceURI}' and @ID='${id}']`;
  const sig = new SignedXml({ privateKey: signer.keyPem, publicCert: signer.certPem, signatureAlgorithm: ALG.rsaSha256, canonicalizationAlgorithm: ALG.excC14n });
  sig.addReference({ xpath: target, transforms: [ALG.enveloped, ALG.excC14n], digestAlgorithm: ALG.sha256 });
  const location = child(el, NS.assertion, 'Issuer')
    ? { reference: `${target}/*[local-name(.)='Issuer' and namespace-uri(.)='${NS.assertion}']`, action: 'after' as const }
    : { reference: target, action: 'prepend' as const };
  sig.computeSignature(xml, { prefix: 'ds', location });
  return sig.getSignedXml();
}

/** Signs the (first) Assertion: enveloped, after its Issuer, exc-c14n, rsa-sha256, KeyInfo with the signer's certificate. */
export function signAssertion(xml: string, signer: Signer): string {
  const assertion = descendant(parseXml(xml), NS.assertion, 'Assertion');
  if (!assertion) throw new Error('no Assertion to sign');
  return signElementById(xml, assertion.getAttribute('ID') ?? '', signer);
}

/** Signs the document element (Response, LogoutRequest, LogoutResponse) the same way. */
export function signRoot(xml: string, signer: Signer): string {
  return signElementById(xml, parseXml(xml).documentElement?.getAttribute('ID') ?? '', signer);
}

/** Signs a Response as a whole (sign its Assertion first to have both signed: the Response signature then covers it). */
export const signResponse = signRoot;

/** Which parts of a Response get signed. */
export type SignWhat = 'assertion' | 'response' | 'both' | 'none';

/** A Response built from `o` and signed by `signer` (the Assertion by default). */
export function issueResponse(signer: Signer, o: ResponseOptions, what: SignWhat = 'assertion'): string {
  let xml = samlResponse(o);
  if ((what === 'assertion' || what === 'both') && (o.withAssertion ?? true)) xml = signAssertion(xml, signer);
  if (what === 'response' || what === 'both') xml = signRoot(xml, signer);
  return xml;
}

/** The ID each ds:Signature of a document references, and whether it verifies with `certPem` (xml-crypto, exactly as signed). */
export function checkSignatures(xml: string, certPem: string): { reference: string; valid: boolean; error?: string }[] {
  const doc = parseXml(xml);
  return [...doc.getElementsByTagNameNS(NS.dsig, 'Signature')].map((node) => {
    const verifier = new SignedXml({ publicCert: certPem });
    const reference = descendant(node, NS.dsig, 'Reference')?.getAttribute('URI') ?? '';
    try {
      verifier.loadSignature(node as unknown as globalThis.Node);
      return { reference, valid: verifier.checkSignature(xml) };
    } catch (err) {
      return { reference, valid: false, error: (err as Error).message };
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Attacks

/** The NameID of an Assertion's own Subject. */
const subjectNameId = (assertion: Element): Element | undefined => {
  const subject = child(assertion, NS.assertion, 'Subject');
  return subject && child(subject, NS.assertion, 'NameID');
};

/** Replaces an element's content with text. */
const setText = (el: Element, text: string): void => {
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(el.ownerDocument!.createTextNode(text));
};

/** Makes an Assertion (not its nested ones) say `nameId`: the NameID and any attribute value equal to the old NameID. */
function impersonate(assertion: Element, nameId: string): void {
  const nameIdEl = subjectNameId(assertion);
  if (!nameIdEl) throw new Error('the Assertion has no Subject/NameID');
  const old = nameIdEl.textContent ?? '';
  setText(nameIdEl, nameId);
  const statement = child(assertion, NS.assertion, 'AttributeStatement');
  if (!statement) return;
  for (const a of childElements(statement)) {
    for (const v of childElements(a)) if (v.localName === 'AttributeValue' && v.textContent === old) setText(v, nameId);
  }
}

/** The first Assertion that is a child of the Response. */
const responseAssertion = (response: Element): Element => {
  const a = child(response, NS.assertion, 'Assertion');
  if (!a) throw new Error('the Response has no Assertion');
  return a;
};

/** The ds:Signature child of an element (an enveloped signature). */
const signatureOf = (el: Element, what: string): Element => {
  const sig = child(el, NS.dsig, 'Signature');
  if (!sig) throw new Error(`the ${what} is not signed`);
  return sig;
};

/**
 * XML Signature Wrapping, XSW1–XSW8 (Somorovsky et al. 2012; the SAML Raider variants), on a
 * genuinely signed Response. Every variant leaves the original signature mathematically valid for
 * the element it references, and puts an "evil" Assertion naming `evilNameId` (new ID, same
 * conditions) where a processor that reads "the first Assertion/NameID" would take it:
 *
 * - XSW1 (Response signed): a cloned evil Response becomes the root, carrying the original
 *   Signature; the original Response (its signature taken out) is moved inside that Signature.
 * - XSW2 (Response signed): as XSW1, but the original Response sits before the Signature, as
 *   its sibling (a detached signature).
 *   In both, the evil Response's Assertion keeps a copy of its signature when it had one: that
 *   signature references the original Assertion, now nested in the original Response.
 * - XSW3 (Assertion signed): an unsigned evil Assertion is inserted before the signed one.
 * - XSW4: the signed Assertion is moved inside the unsigned evil Assertion (as its last child).
 * - XSW5: the evil Assertion takes the signed one's place and keeps a copy of its Signature; the
 *   original (signature taken out) is appended to the end of the Response.
 * - XSW6: as XSW5, but the original Assertion is moved inside the evil Assertion's Signature.
 * - XSW7: a saml2p:Extensions element holding the unsigned evil Assertion is inserted before the
 *   Status; the signed original stays where it was.
 * - XSW8: as XSW6, but the original Assertion is wrapped in a ds:Object inside that Signature.
 */
export function xsw(n: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8, signedXml: string, evilNameId: string): string {
  const doc = parseXml(signedXml);
  const response = doc.documentElement;
  if (!response) throw new Error('empty document');
  if (n === 1 || n === 2) {
    const originalSig = signatureOf(response, 'Response');
    const evil = response.cloneNode(true) as Element;
    evil.setAttribute('ID', samlId());
    const evilAssertion = responseAssertion(evil);
    evilAssertion.setAttribute('ID', samlId());
    impersonate(evilAssertion, evilNameId);
    doc.replaceChild(evil, response);
    response.removeChild(originalSig);
    const evilSig = signatureOf(evil, 'Response');
    if (n === 1) evilSig.appendChild(response);
    else evil.insertBefore(response, evilSig);
    return serializeXml(doc);
  }
  const original = responseAssertion(response);
  const originalSig = signatureOf(original, 'Assertion');
  const evil = original.cloneNode(true) as Element;
  evil.setAttribute('ID', samlId());
  impersonate(evil, evilNameId);
  const evilSig = signatureOf(evil, 'Assertion');
  switch (n) {
    case 3:
      evil.removeChild(evilSig);
      response.insertBefore(evil, original);
      break;
    case 4:
      evil.removeChild(evilSig);
      response.replaceChild(evil, original);
      evil.appendChild(original);
      break;
    case 5:
      response.replaceChild(evil, original);
      original.removeChild(originalSig);
      response.appendChild(original);
      break;
    case 6:
      response.replaceChild(evil, original);
      original.removeChild(originalSig);
      evilSig.appendChild(original);
      break;
    case 7: {
      evil.removeChild(evilSig);
      const extensions = doc.createElementNS(NS.protocol, 'saml2p:Extensions');
      extensions.appendChild(evil);
      response.insertBefore(extensions, child(response, NS.protocol, 'Status') ?? original);
      break;
    }
    case 8: {
      response.replaceChild(evil, original);
      original.removeChild(originalSig);
      const object = doc.createElementNS(NS.dsig, 'ds:Object');
      object.appendChild(original);
      evilSig.appendChild(object);
      break;
    }
  }
  return serializeXml(doc);
}

/** The signed document with its (first) Assertion's NameID changed afterwards: the digest no longer matches. */
export function editNameId(signedXml: string, nameId: string): string {
  const doc = parseXml(signedXml);
  const assertion = descendant(doc, NS.assertion, 'Assertion');
  if (!assertion) throw new Error('no Assertion');
  impersonate(assertion, nameId);
  return serializeXml(doc);
}

/**
 * Inserts an empty comment into the signed NameID text right after `prefix` (e.g. NameID
 * `victim@x.example.evil.example`, prefix `victim@x.example`): canonicalisation without comments
 * drops it, so the signature stays valid, while a processor reading only the first text node sees
 * `victim@x.example`.
 */
export function injectComment(signedXml: string, prefix: string): string {
  const re = /(<(?:[\w.-]+:)?NameID\b[^>]*>)([^<]*)(<\/(?:[\w.-]+:)?NameID>)/;
  const m = re.exec(signedXml);
  if (!m) throw new Error('no NameID');
  const text = m[2]!;
  const escaped = xmlEscape(prefix);
  if (!text.startsWith(escaped) || text.length === escaped.length) throw new Error(`NameID ${text} does not extend ${prefix}`);
  return signedXml.replace(re, `$1${escaped}<!---->${text.slice(escaped.length)}$3`);
}

/** The (first) Assertion element of a document, standing alone. */
export function assertionOf(xml: string): string {
  const assertion = descendant(parseXml(xml), NS.assertion, 'Assertion');
  if (!assertion) throw new Error('no Assertion');
  return serializeXml(assertion);
}

/** A signed document followed by a second root element (not well-formed: lenient parsers read on). */
export const withExtraRoot = (signedXml: string, extraXml: string): string => signedXml + extraXml;

/** An Assertion appended as the last child of a (signed) Response, after the signature was made. */
export function withAppendedAssertion(signedXml: string, assertionXml: string): string {
  const end = signedXml.lastIndexOf('</');
  if (end < 0) throw new Error('no closing tag');
  return signedXml.slice(0, end) + assertionXml + signedXml.slice(end);
}

/**
 * A small "billion laughs": a DOCTYPE whose internal entities expand to `width^levels` copies of
 * "lol" (10^5 by default, 300 kB), referenced from the NameID (or, with `inNameId: false`, only declared).
 */
export function withDoctype(xml: string, opts: { levels?: number; width?: number; inNameId?: boolean } = {}): string {
  const levels = opts.levels ?? 5;
  const width = opts.width ?? 10;
  const root = /<([\w.-]+:[\w.-]+|[\w.-]+)[\s>]/.exec(xml.replace(/^<\?xml[^>]*\?>/, ''))?.[1] ?? 'Response';
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= levels; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(width)}">`);
  const doctype = `<!DOCTYPE ${root} [${entities.join('')}]>`;
  let body = xml.replace(/^<\?xml[^>]*\?>/, '');
  if (opts.inNameId !== false) body = body.replace(/(<(?:[\w.-]+:)?NameID\b[^>]*>)[^<]*/, `$1&lol${levels};`);
  return `<?xml version="1.0" encoding="UTF-8"?>${doctype}${body}`;
}

/** The document without any ds:Signature. */
export function stripSignatures(xml: string): string {
  const doc = parseXml(xml);
  for (const sig of [...doc.getElementsByTagNameNS(NS.dsig, 'Signature')]) sig.parentNode?.removeChild(sig);
  return serializeXml(doc);
}

// ---------------------------------------------------------------------------------------------
// Bindings

/** The application/x-www-form-urlencoded body of the HTTP-POST binding: base64 XML in `SAMLResponse` (or `param`), and RelayState. */
export function postBody(xml: string, relayState?: string, param: 'SAMLResponse' | 'SAMLRequest' = 'SAMLResponse'): string {
  const form = new URLSearchParams({ [param]: Buffer.from(xml, 'utf8').toString('base64') });
  if (relayState !== undefined) form.set('RelayState', relayState);
  return form.toString();
}

/** Options of an HTTP-Redirect binding URL. */
export interface RedirectOptions {
  relayState?: string;
  /** Signs the query (SigAlg rsa-sha256, Signature over `param=..&RelayState=..&SigAlg=..` as encoded). */
  signer?: Pick<Signer, 'keyPem'>;
}

// Strict RFC 3986 encoding: a URL parser would re-encode a bare `'` in a query (and browsers do),
// and a signature must be over the bytes that arrive.
const encodeStrict = (v: string) => encodeURIComponent(v).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** An HTTP-Redirect binding URL: the XML raw-deflated, base64'd and URL-encoded, optionally signed. */
export function redirectUrl(endpoint: string, param: 'SAMLRequest' | 'SAMLResponse', xml: string, opts: RedirectOptions = {}): string {
  const parts = [`${param}=${encodeURIComponent(zlib.deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`];
  if (opts.relayState !== undefined) parts.push(`RelayState=${encodeStrict(opts.relayState)}`);
  if (opts.signer) {
    parts.push(`SigAlg=${encodeURIComponent(ALG.rsaSha256)}`);
    const signature = rsaSign('sha256', Buffer.from(parts.join('&'), 'utf8'), opts.signer.keyPem).toString('base64');
    parts.push(`Signature=${encodeURIComponent(signature)}`);
  }
  return `${endpoint}${endpoint.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

/** A SAML message received through the HTTP-Redirect binding (a Location header). */
export interface RedirectMessage {
  /** The URL without its query. */
  endpoint: string;
  param: 'SAMLRequest' | 'SAMLResponse';
  xml: string;
  root: Element;
  relayState: string | null;
  sigAlg: string | null;
  signature: string | null;
  /** Whether Signature verifies, with `certPem`, over the parameters exactly as they were encoded in the URL. */
  signatureValid(certPem: string): boolean;
}

const SIG_HASH: Record<string, string> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
};

/** Reads an HTTP-Redirect binding URL (SAMLRequest or SAMLResponse). */
export function parseRedirect(location: string): RedirectMessage {
  const url = new URL(location);
  const raw = new Map<string, string>();
  for (const pair of url.search.slice(1).split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    if (raw.has(key)) throw new Error(`${key} is repeated in ${location}`);
    raw.set(key, eq < 0 ? '' : pair.slice(eq + 1));
  }
  const value = (key: string): string | null => {
    const v = raw.get(key);
    return v === undefined ? null : decodeURIComponent(v.replace(/\+/g, ' '));
  };
  const param = raw.has('SAMLRequest') ? 'SAMLRequest' : raw.has('SAMLResponse') ? 'SAMLResponse' : undefined;
  if (!param) throw new Error(`no SAMLRequest or SAMLResponse in ${location}`);
  const xml = zlib.inflateRawSync(Buffer.from(value(param) ?? '', 'base64')).toString('utf8');
  const root = parseXml(xml).documentElement;
  if (!root) throw new Error('empty SAML message');
  const sigAlg = value('SigAlg');
  const signature = value('Signature');
  return {
    endpoint: `${url.origin}${url.pathname}`,
    param,
    xml,
    root,
    relayState: value('RelayState'),
    sigAlg,
    signature,
    signatureValid(certPem: string) {
      const hash = sigAlg ? SIG_HASH[sigAlg] : undefined;
      if (!hash || !signature) return false;
      const signed = [param, 'RelayState', 'SigAlg']
        .filter((k) => raw.has(k))
        .map((k) => `${k}=${raw.get(k)}`)
        .join('&');
      return rsaVerify(hash, Buffer.from(signed, 'utf8'), certPem, Buffer.from(signature, 'base64'));
    },
  };
}

/** The text of the first saml2:Issuer child of an element. */
const issuerOf = (el: Element): string | null => child(el, NS.assertion, 'Issuer')?.textContent ?? null;

/** An AuthnRequest an SP sent by redirect, with what an IdP needs to answer it. */
export interface AuthnRequest {
  id: string;
  acsUrl: string | null;
  issuer: string | null;
  destination: string | null;
  protocolBinding: string | null;
  relayState: string | null;
  sigAlg: string | null;
  xml: string;
  signatureValid(certPem: string): boolean;
}

/** Reads the AuthnRequest of an SP's redirect (its Location). */
export function parseAuthnRequest(location: string): AuthnRequest {
  const m = parseRedirect(location);
  if (m.param !== 'SAMLRequest' || m.root.localName !== 'AuthnRequest' || m.root.namespaceURI !== NS.protocol) throw new Error(`not an AuthnRequest: ${m.xml}`);
  return {
    id: m.root.getAttribute('ID') ?? '',
    acsUrl: m.root.getAttribute('AssertionConsumerServiceURL'),
    issuer: issuerOf(m.root),
    destination: m.root.getAttribute('Destination'),
    protocolBinding: m.root.getAttribute('ProtocolBinding'),
    relayState: m.relayState,
    sigAlg: m.sigAlg,
    xml: m.xml,
    signatureValid: (cert) => m.signatureValid(cert),
  };
}

/** A LogoutRequest an SP sent by redirect. */
export interface SpLogoutRequest {
  id: string;
  issuer: string | null;
  destination: string | null;
  nameId: string | null;
  nameIdFormat: string | null;
  sessionIndexes: string[];
  relayState: string | null;
  sigAlg: string | null;
  endpoint: string;
  xml: string;
  signatureValid(certPem: string): boolean;
}

/** Reads the LogoutRequest of an SP's redirect (its Location). */
export function parseLogoutRequest(location: string): SpLogoutRequest {
  const m = parseRedirect(location);
  if (m.param !== 'SAMLRequest' || m.root.localName !== 'LogoutRequest' || m.root.namespaceURI !== NS.protocol) throw new Error(`not a LogoutRequest: ${m.xml}`);
  const nameId = child(m.root, NS.assertion, 'NameID');
  return {
    id: m.root.getAttribute('ID') ?? '',
    issuer: issuerOf(m.root),
    destination: m.root.getAttribute('Destination'),
    nameId: nameId?.textContent ?? null,
    nameIdFormat: nameId?.getAttribute('Format') ?? null,
    sessionIndexes: childElements(m.root)
      .filter((e) => e.namespaceURI === NS.protocol && e.localName === 'SessionIndex')
      .map((e) => e.textContent ?? ''),
    relayState: m.relayState,
    sigAlg: m.sigAlg,
    endpoint: m.endpoint,
    xml: m.xml,
    signatureValid: (cert) => m.signatureValid(cert),
  };
}

/** A LogoutResponse an SP sent by redirect. */
export interface SpLogoutResponse {
  id: string;
  inResponseTo: string | null;
  issuer: string | null;
  destination: string | null;
  status: string | null;
  relayState: string | null;
  sigAlg: string | null;
  endpoint: string;
  xml: string;
  signatureValid(certPem: string): boolean;
}

/** Reads the LogoutResponse of an SP's redirect (its Location). */
export function parseLogoutResponse(location: string): SpLogoutResponse {
  const m = parseRedirect(location);
  if (m.param !== 'SAMLResponse' || m.root.localName !== 'LogoutResponse' || m.root.namespaceURI !== NS.protocol) throw new Error(`not a LogoutResponse: ${m.xml}`);
  const status = child(m.root, NS.protocol, 'Status');
  return {
    id: m.root.getAttribute('ID') ?? '',
    inResponseTo: m.root.getAttribute('InResponseTo'),
    issuer: issuerOf(m.root),
    destination: m.root.getAttribute('Destination'),
    status: (status && child(status, NS.protocol, 'StatusCode')?.getAttribute('Value')) ?? null,
    relayState: m.relayState,
    sigAlg: m.sigAlg,
    endpoint: m.endpoint,
    xml: m.xml,
    signatureValid: (cert) => m.signatureValid(cert),
  };
}

/** An IdP-initiated LogoutRequest by the HTTP-Redirect binding: signed (rsa-sha256 over the query) unless `signed: false`. */
export function idpLogoutRedirect(idp: Idp, sloUrl: string, o: Omit<LogoutRequestOptions, 'issuer' | 'destination'> & { relayState?: string; signed?: boolean }): string {
  const xml = logoutRequestXml({ ...o, issuer: idp.entityId, destination: sloUrl });
  return redirectUrl(sloUrl, 'SAMLRequest', xml, { ...(o.relayState === undefined ? {} : { relayState: o.relayState }), ...(o.signed === false ? {} : { signer: idp }) });
}

/** An IdP-initiated LogoutRequest for the HTTP-POST binding: the form body, XML-signed (enveloped) unless `signed: false`. */
export function idpLogoutPost(idp: Idp, sloUrl: string, o: Omit<LogoutRequestOptions, 'issuer' | 'destination'> & { relayState?: string; signed?: boolean }): string {
  const xml = logoutRequestXml({ ...o, issuer: idp.entityId, destination: sloUrl });
  return postBody(o.signed === false ? xml : signRoot(xml, idp), o.relayState, 'SAMLRequest');
}

/** The IdP's answer to an SP-initiated LogoutRequest, by redirect to the SP's logout endpoint, signed. */
export function idpLogoutResponseRedirect(idp: Idp, request: SpLogoutRequest, spLogoutUrl: string, o: { status?: string; signed?: boolean } = {}): string {
  const xml = logoutResponseXml({ issuer: idp.entityId, inResponseTo: request.id, destination: spLogoutUrl, ...(o.status ? { status: o.status } : {}) });
  return redirectUrl(spLogoutUrl, 'SAMLResponse', xml, { ...(request.relayState == null ? {} : { relayState: request.relayState }), ...(o.signed === false ? {} : { signer: idp }) });
}

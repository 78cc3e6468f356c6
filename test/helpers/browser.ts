// Real-browser tests: an HTTPS front on one port that serves every `*.test` host with a
// certificate made for the test, and headless Chromium (Debian's, /usr/bin/chromium) that resolves
// `*.test` to 127.0.0.1 and trusts that certificate. The front passes Parley's hosts to the Parley
// node as a TLS-terminating reverse proxy would (X-Forwarded-Proto/Host/For), and answers other
// hosts with handlers the test gives (a customer's page, an attacker's page, an identity provider).
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { TestContext } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { createSelfSigned } from '../../src/modules/sso/certificates.ts';
import { type Running, startParley } from './parley.ts';

export const CHROMIUM = process.env.PARLEY_TEST_CHROMIUM ?? '/usr/bin/chromium';

export interface TestCertificate {
  /** PEM. */
  cert: string;
  /** PEM (PKCS#8). */
  key: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as --ignore-certificate-errors-spki-list wants it. */
  spkiSha256: string;
}

/** A self-signed certificate for `names` (DNS names; wildcards allowed), valid for a day. */
export async function testCertificate(names: string[] = ['*.test', '*.parley.test', 'parley.test']): Promise<TestCertificate> {
  const made = await createSelfSigned({ commonName: 'Parley test', notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 24 * 3600_000), dnsNames: names });
  const spki = new X509Certificate(made.certPem).publicKey.export({ type: 'spki', format: 'der' });
  return { cert: made.certPem, key: made.keyPem, spkiSha256: createHash('sha256').update(spki).digest('base64') };
}

/** Answers a request for a non-Parley host; `url` is the absolute https URL the browser asked for. */
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface Front {
  port: number;
  cert: TestCertificate;
  /** `https://{host}:{port}` */
  origin(host: string): string;
  /** Serves `host` with `handler` (replacing an earlier one). */
  serve(host: string, handler: Handler): void;
  /**
   * Sends Parley's hosts to this node from now on. The front starts first, so that its port can be
   * in Parley's configuration (PARLEY_PUBLIC_URL); until then those hosts get 502.
   */
  proxyTo(app: Running): void;
  /** Requests that went to Parley: method, host and path, in order (for diagnosing a failure). */
  proxied: string[];
}

export interface FrontOptions {
  /** Parley's base domain (PARLEY_BASE_DOMAIN); it and its subdomains go to Parley. Default parley.test. */
  baseDomain?: string;
  /** Handlers of other hosts (more with front.serve). */
  sites?: Record<string, Handler>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

function hostnameOf(hostHeader: string | undefined): string {
  return (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

function forwardedHeaders(req: IncomingMessage): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { ...req.headers };
  for (const h of HOP_BY_HOP) delete headers[h];
  const peer = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${prior}, ${peer}` : peer;
  headers['x-forwarded-proto'] = 'https';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  return headers;
}

/**
 * Starts the HTTPS front on 127.0.0.1 (an ephemeral port). Parley's hosts go to the node given to
 * proxyTo, which must trust 127.0.0.1 as a proxy (PARLEY_TRUSTED_PROXIES). Closed when the test ends.
 */
export async function startFront(t: TestContext, opts: FrontOptions = {}): Promise<Front> {
  const base = opts.baseDomain ?? 'parley.test';
  const cert = await testCertificate(['*.test', `*.${base}`, base]);
  let upstream: URL | undefined;
  const isParley = (h: string) => h === base || h.endsWith(`.${base}`);
  const sites = new Map<string, Handler>(Object.entries(opts.sites ?? {}));
  const proxied: string[] = [];
  // Upgraded connections (WebSockets) are not the HTTP server's to close: closing ends them here.
  const tunnels = new Set<Duplex>();

  function proxy(req: IncomingMessage, res: ServerResponse, upstream: URL): void {
    proxied.push(`${req.method} ${req.headers.host}${req.url}`);
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: forwardedHeaders(req) }, (answer) => {
      const headers = { ...answer.headers };
      for (const h of HOP_BY_HOP) delete headers[h];
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    out.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`front: Parley did not answer (${err.message})`);
    });
    req.pipe(out);
  }

  // WebSocket (and other upgrades) to Parley: the request head is re-sent with the forwarded
  // headers, then bytes flow both ways untouched.
  function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, upstream: URL): void {
    proxied.push(`UPGRADE ${req.headers.host}${req.url}`);
    const headers = forwardedHeaders(req);
    headers.connection = 'Upgrade';
    headers.upgrade = req.headers.upgrade ?? 'websocket';
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) lines.push(`${name}: ${v}`);
    }
    tunnels.add(socket);
    const conn = net.connect(Number(upstream.port), upstream.hostname, () => {
      conn.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) conn.write(head);
      conn.pipe(socket);
      socket.pipe(conn);
    });
    tunnels.add(conn);
    const end = () => {
      conn.destroy();
      socket.destroy();
      tunnels.delete(conn);
      tunnels.delete(socket);
    };
    conn.on('error', end);
    socket.on('error', end);
    conn.on('close', end);
    socket.on('close', end);
  }

  const server = https.createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const host = hostnameOf(req.headers.host);
    const site = sites.get(host);
    if (site) {
      const url = new URL(req.url ?? '/', `https://${req.headers.host}`);
      Promise.resolve(site(req, res, url)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`front: handler of ${host} failed: ${String(err)}`);
      });
      return;
    }
    if (isParley(host)) {
      if (upstream) return proxy(req, res, upstream);
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('front: no Parley node yet (proxyTo)');
      return;
    }
    res.writeHead(421, { 'content-type': 'text/plain' });
    res.end(`front: no site for host ${host}`);
  });
  server.on('upgrade', (req, socket, head) => {
    if (upstream && isParley(hostnameOf(req.headers.host))) proxyUpgrade(req, socket, head, upstream);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
      }),
  );
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    cert,
    origin: (host) => `https://${host}:${port}`,
    serve: (host, handler) => sites.set(host.toLowerCase(), handler),
    proxyTo: (app) => {
      upstream = new URL(app.url);
    },
    proxied,
  };
}

/** Sends an HTML page. */
export function html(res: ServerResponse, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>test page</title></head><body>${body}</body></html>`);
}

/** HTML-escapes text for attribute values and element content. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Launches headless Chromium that sends every `*.test` name to 127.0.0.1 and trusts the front's
 * certificate (by its public key); closed when the test ends. Fails, never skips, when Chromium is
 * missing: the browser tests are part of the suite.
 */
export async function launchChromium(t: TestContext, front: Front): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; install it (apt-get install -y chromium, as .ci/run does) or set PARLEY_TEST_CHROMIUM`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--host-resolver-rules=MAP *.test 127.0.0.1',
      `--ignore-certificate-errors-spki-list=${front.cert.spkiSha256}`,
      // Root in a container has no user namespace for the sandbox.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-dev-shm-usage',
    ],
  });
  t.after(() => browser.close());
  return browser;
}

/** A front for `*.parley.test`, a Parley node behind it (its login rate limit lifted; `env` adds to
 * or overrides the settings) and Chromium: what every control-panel browser test starts with. */
export async function startPanelStack(t: TestContext, env: Record<string, string> = {}): Promise<{ front: Front; app: Running; browser: Browser }> {
  const front = await startFront(t, { baseDomain: 'parley.test' });
  const app = await startParley(t, { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_PUBLIC_URL: front.origin('parley.test'), PARLEY_TRUSTED_PROXIES: '127.0.0.1', PARLEY_LOGIN_RATE_LIMIT: '1000', ...env });
  front.proxyTo(app);
  const browser = await launchChromium(t, front);
  return { front, app, browser };
}

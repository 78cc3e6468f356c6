// Self-signed X.509 certificates (RSA-2048, SHA-256): Parley's SAML signing certificate, and the
// test suites' identity providers and TLS front.
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import { KeyObject, randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface KeyAndCertificate {
  keyPem: string;
  certPem: string;
}

/** A new key pair and a self-signed certificate for it; `dnsNames` adds a subjectAltName (for TLS). */
export async function createSelfSigned(o: { commonName: string; notBefore: Date; notAfter: Date; dnsNames?: string[] }): Promise<KeyAndCertificate> {
  const webcrypto = globalThis.crypto;
  x509.cryptoProvider.set(webcrypto);
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true)];
  if (o.dnsNames?.length) {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
    extensions.push(new x509.SubjectAlternativeNameExtension(o.dnsNames.map((value) => ({ type: 'dns' as const, value }))));
  }
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    name: `CN=${o.commonName.replace(/[,+="\\<>;#]/g, '_')}`,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    signingAlgorithm: alg,
    keys,
    extensions,
  });
  const keyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { keyPem, certPem: cert.toString('pem') };
}

// `npm run demo`: creates (or finds) a demo partner, site, site admin and agent in the configured
// database, with an IM API key for the site and Partner API credentials for the partner, and
// prints one JSON object describing them on its last line.
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../config.ts';
import { createParley } from '../app.ts';

const DEMO_SLUG = 'demo';

try {
  const config = { ...loadConfig(), logLevel: 'warn' as const };
  const parley = await createParley(config);
  try {
    const { tenancy, agents, imKeys, partners } = parley.services;
    // Demo accounts get fresh passwords on every run, so the printed ones always work.
    const partner =
      (await partners.findBySlug(DEMO_SLUG)) ??
      (await partners.create({ name: 'Demo Partner', slug: DEMO_SLUG, contactName: 'Demo Contact', contactEmail: 'partner@demo.parley.local' }));
    const site = await tenancy.createSite(partner.id, { company: 'Demo Company', website: 'https://demo.example' });
    const admin = { email: `admin+${site.id}@demo.parley.local`, password: randomBytes(9).toString('base64url') };
    const agent = { email: `agent+${site.id}@demo.parley.local`, password: randomBytes(9).toString('base64url') };
    await agents.create({ siteId: site.id, system: true }, { ...admin, name: 'Demo Admin', role: 'admin' });
    await agents.create({ siteId: site.id, system: true }, { ...agent, name: 'Demo Agent' });
    const { key: imApiKey } = await imKeys.create(site.id, 'demo');
    // The spec's Partner API credentials: the partner's id as client_id, a fresh apiKey as secret.
    const { apiKey } = await partners.rotateApiKey(partner.id, { kind: 'system', id: null });
    const partnerCredentials = { clientId: String(partner.id), clientSecret: apiKey };
    process.stdout.write(`Demo site ${site.id} is ready at ${config.publicUrl} (API docs: ${config.publicUrl}/docs).\n`);
    process.stdout.write(`${JSON.stringify({ partnerId: partner.id, siteId: site.id, admin, agent, imApiKey, partner: partnerCredentials })}\n`);
  } finally {
    await parley.close();
  }
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

// Prometheus metrics at /metrics: HTTP latency, open real-time connections, chats by status.
import client from 'prom-client';
import { Type } from 'typebox';
import type { HttpServer } from './server.ts';

export interface MetricsSources {
  connections(): number;
  chatsByStatus(): Promise<Record<string, number>>;
}

/** Registers the HTTP latency hook and the /metrics route on a fresh registry. */
export function registerMetrics(app: HttpServer, sources: MetricsSources): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const latency = new client.Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'parley_realtime_connections',
    help: 'Open real-time (WebSocket) connections on this node',
    registers: [registry],
    collect() {
      this.set(sources.connections());
    },
  });
  const statuses = ['queued', 'assigned', 'active', 'ended'];
  new client.Gauge({
    name: 'parley_chats',
    help: 'Chats by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await sources.chatsByStatus();
      for (const status of statuses) this.set({ status }, counts[status] ?? 0);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, keeps label cardinality bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    { schema: { hide: true, response: { 200: Type.String() } }, config: { access: ['public'] }, logLevel: 'warn' },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}

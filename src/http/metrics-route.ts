import type { FastifyInstance } from 'fastify';
import { collectQueueDepths, registry } from '../metrics.js';
import type { HttpDeps } from './deps.js';

/**
 * `GET /metrics`, unauthenticated like /healthz: scrapers run inside the deployment, and every label is a
 * closed set (kind, channel, status, source, error code), so nothing about a buyer or an order is exposed.
 * Queue depths are read from Redis at scrape time; if Redis is down the process metrics are still served.
 */
export function registerMetricsRoute(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/metrics', async (_request, reply) => {
    try {
      await collectQueueDepths(deps.queues.all);
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'queue depths not collected for /metrics');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps.js';

export function registerOpsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.redis.ping();
      return { status: 'ready', redis: 'ok' };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', redis: (err as Error).message });
    }
  });
}

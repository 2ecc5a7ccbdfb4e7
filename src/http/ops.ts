import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps.js';

export function registerOpsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      // A Redis that is down makes ioredis queue the command and retry; answer within a second instead.
      await Promise.race([
        deps.redis.ping(),
        new Promise((_, fail) => setTimeout(() => fail(new Error('Redis did not answer PING within 1 s')), 1_000).unref()),
      ]);
      return { status: 'ready', redis: 'ok' };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', redis: (err as Error).message });
    }
  });
}

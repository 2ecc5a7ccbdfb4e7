/**
 * bull-board at `/admin/queues`, behind the admin session. Its UI is a same-origin React app, so its CSP
 * allows scripts and styles from 'self' and nothing from elsewhere. Its retry/clean actions are JSON
 * POSTs from that app; the SameSite=Strict session cookie is what keeps another site from making them.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { requireAdminSession } from './admin-session.js';
import type { HttpDeps } from './deps.js';

export const QUEUES_BASE_PATH = '/admin/queues';

const QUEUES_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
});

export function registerAdminQueues(app: FastifyInstance, deps: HttpDeps): void {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_BASE_PATH);
  createBullBoard({ queues: deps.queues.all.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'shipment-notifier' } } });
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(QUEUES_PAGE_HEADERS);
    });
    scope.addHook('onRequest', requireAdminSession(deps));
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUES_BASE_PATH });
  });
}

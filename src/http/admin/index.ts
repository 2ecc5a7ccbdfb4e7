/**
 * The admin pages under `/admin`, in their own scope so their CSP and the session check apply to them
 * alone. Sign-in (`/admin/login`) and bull-board (`/admin/queues`) are registered elsewhere.
 */
import type { FastifyInstance } from 'fastify';
import { ADMIN_PAGE_HEADERS, requireAdminSession } from '../admin-session.js';
import type { HttpDeps } from '../deps.js';
import { EDITOR_SCRIPT, EDITOR_SCRIPT_PATH } from './editor-script.js';
import { registerTemplatePages } from './template-routes.js';
import { registerLogPages } from './log-pages.js';
import { registerDefaultsPage } from './defaults-page.js';
import { registerShipmentPage } from './shipment-page.js';

export function registerAdminPages(app: FastifyInstance, deps: HttpDeps): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(ADMIN_PAGE_HEADERS);
    });
    // The script is no secret and the login page may be cached without it; it needs no session.
    scope.get(EDITOR_SCRIPT_PATH, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(EDITOR_SCRIPT));
    void scope.register(async (guarded) => {
      guarded.addHook('onRequest', requireAdminSession(deps));
      registerTemplatePages(guarded, deps);
      registerLogPages(guarded, deps);
      registerDefaultsPage(guarded, deps);
      registerShipmentPage(guarded, deps);
    });
  });
}

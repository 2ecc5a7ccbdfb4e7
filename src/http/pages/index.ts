/**
 * Public pages reached from links in messages. They sit in their own Fastify scope so that their headers
 * and the multipart parser (RFC 8058 lets mail clients send the one-click POST as multipart/form-data)
 * apply to them and to nothing else.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../deps.js';
import { PAGE_HEADERS } from './html.js';
import { registerPreferencePages } from './preferences-page.js';
import { registerUnsubscribeRoutes } from './unsubscribe.js';
import { registerPushPage } from './push-page.js';

export function registerPages(app: FastifyInstance, deps: HttpDeps): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(PAGE_HEADERS);
    });
    // The token in the URL is the whole request; a one-click body carries nothing else to read.
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, _body, done) => done(null, {}));
    registerUnsubscribeRoutes(scope, deps);
    registerPreferencePages(scope, deps);
    registerPushPage(scope, deps);
  });
}

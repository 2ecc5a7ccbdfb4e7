import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { IngestError, type IngestErrorCode } from '../ingest/errors.js';
import { UnknownShipmentError } from '../ingest/normalized.js';
import type { HttpDeps } from './deps.js';
import { ApiError, sendError } from './errors.js';
import { registerOpsRoutes } from './ops.js';
import { registerRecipientRoutes } from './api-recipients.js';
import { registerOrderRoutes } from './api-orders.js';
import { registerShipmentRoutes } from './api-shipments.js';
import { registerGenericWebhook } from './webhook-generic.js';
import { registerSourceWebhooks } from './webhook-sources.js';
import { registerUnmatchedRoutes } from './api-unmatched.js';
import { registerDefaultsRoutes } from './api-defaults.js';
import { registerTikTokShopWebhook } from './webhook-tiktok-shop.js';
import { registerMarketplaceRoutes } from './api-marketplace.js';
import { registerTwilioWebhooks } from './webhook-twilio.js';
import { WEBHOOK_SOURCES } from '../ingest/sources.js';
import { registerPages } from './pages/index.js';
import { registerPreferenceRoutes } from './api-preferences.js';
import { registerNotificationRoutes } from './api-notifications.js';
import { registerAlertRoutes } from './api-alerts.js';
import { registerTemplateRoutes } from './api-templates.js';
import { registerMetricsRoute } from './metrics-route.js';
import { registerAdminSessionRoutes } from './admin-session.js';
import { registerAdminQueues } from './admin-queues.js';
import { registerOpenApiRoute } from './openapi.js';
import { registerAdminPages } from './admin/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received: signatures are computed over them, never over re-serialised JSON. */
    rawBody?: Buffer;
  }
}

/** HTTP status for each ingest error code: forged → 401, malformed → 400, valid shape but unusable → 422. */
const INGEST_STATUS: Record<IngestErrorCode, number> = {
  invalid_signature: 401,
  invalid_payload: 400,
  invalid_tracking_number: 422,
  invalid_webhook_secret: 500,
};

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function buildServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ bodyLimit: deps.settings.bodyLimitBytes, logger: false, trustProxy: true });

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req: FastifyRequest, body: Buffer, done) => {
    req.rawBody = body;
    // Webhooks verify the signature over the raw bytes before anything reads them; they parse themselves.
    if (body.length === 0 || req.url.startsWith('/webhooks/')) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch {
      done(new ApiError(400, 'invalid_json', 'The body is not valid JSON.', [{ field: 'body', message: 'malformed JSON' }]), undefined);
    }
  });

  // Providers do not all say `application/json`; a webhook's bytes are kept whatever the type.
  const webhookBytesOnly = (req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
    if (!req.url.startsWith('/webhooks/')) {
      return done(new ApiError(415, 'unsupported_media_type', 'Send JSON with Content-Type: application/json.', [{ field: 'content-type', message: 'unsupported' }]), undefined);
    }
    req.rawBody = body;
    done(null, undefined);
  };
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, webhookBytesOnly);
  // Forms: Twilio's callbacks (signed over the parameters) and the pages' forms (RFC 8058 one-click POST).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req: FastifyRequest, body: Buffer, done) => {
    req.rawBody = body;
    done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, webhookBytesOnly);

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const token = deps.settings.adminToken;
    if (!token) return sendError(reply, new ApiError(401, 'api_locked', 'The API is locked: set ADMIN_TOKEN to use it.'));
    if (!bearerMatches(request.headers.authorization, token)) {
      return sendError(reply, new ApiError(401, 'unauthorized', 'Send "Authorization: Bearer <ADMIN_TOKEN>".', [{ field: 'authorization', message: 'missing or wrong token' }]));
    }
  });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof ApiError) return sendError(reply, err);
    if (err instanceof IngestError) {
      const status = INGEST_STATUS[err.code];
      return sendError(reply, new ApiError(status, err.code, err.message, { ...err.details, field: err.field }));
    }
    if (err instanceof UnknownShipmentError) return sendError(reply, new ApiError(422, err.code, err.message, [{ field: err.field, message: 'unknown' }]));
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) return sendError(reply, new ApiError(413, 'body_too_large', `The body is larger than ${deps.settings.bodyLimitBytes} bytes.`, [{ field: 'body', message: 'too large' }]));
    if (status === 415) return sendError(reply, new ApiError(415, 'unsupported_media_type', 'Send JSON with Content-Type: application/json.', [{ field: 'content-type', message: 'unsupported' }]));
    if (status >= 400 && status < 500) return sendError(reply, new ApiError(status, 'bad_request', (err as Error).message, []));
    deps.logger.error({ err: (err as Error).message, url: request.url }, 'request failed');
    return sendError(reply, new ApiError(500, 'internal', 'Something went wrong on our side; nothing was enqueued. Try again.'));
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, new ApiError(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)));

  registerOpsRoutes(app, deps);
  registerRecipientRoutes(app, deps);
  registerOrderRoutes(app, deps);
  registerShipmentRoutes(app, deps);
  registerGenericWebhook(app, deps);
  registerSourceWebhooks(app, deps, WEBHOOK_SOURCES);
  registerUnmatchedRoutes(app, deps);
  registerDefaultsRoutes(app, deps);
  registerTikTokShopWebhook(app, deps);
  registerMarketplaceRoutes(app, deps);
  registerPages(app, deps);
  registerPreferenceRoutes(app, deps);
  registerNotificationRoutes(app, deps);
  registerTwilioWebhooks(app, deps);
  registerAlertRoutes(app, deps);
  registerTemplateRoutes(app, deps);
  registerMetricsRoute(app, deps);
  registerAdminSessionRoutes(app, deps);
  registerAdminQueues(app, deps);
  registerOpenApiRoute(app, deps);
  registerAdminPages(app, deps);
  return app;
}

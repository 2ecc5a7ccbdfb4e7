import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { IngestError } from '../ingest/errors.js';
import { UnknownShipmentError } from '../ingest/normalized.js';
import type { HttpDeps } from './deps.js';
import { ApiError, sendError } from './errors.js';
import { registerOpsRoutes } from './ops.js';
import { registerRecipientRoutes } from './api-recipients.js';
import { registerOrderRoutes } from './api-orders.js';
import { registerShipmentRoutes } from './api-shipments.js';
import { registerGenericWebhook } from './webhook-generic.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received: signatures are computed over them, never over re-serialised JSON. */
    rawBody?: Buffer;
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function buildServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ bodyLimit: deps.settings.bodyLimitBytes, logger: false, trustProxy: true });

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req: FastifyRequest, body: Buffer, done) => {
    req.rawBody = body;
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch {
      done(new ApiError(400, 'invalid_json', 'The body is not valid JSON.', [{ field: 'body', message: 'malformed JSON' }]), undefined);
    }
  });

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
      const status = err.code === 'invalid_signature' ? 401 : 422;
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
  return app;
}

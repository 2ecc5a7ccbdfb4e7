import type { FastifyInstance } from 'fastify';
import { verifyStandardWebhook } from '../ingest/standard-webhooks.js';
import { resolveShipmentId, toTrackingUpdate } from '../ingest/normalized.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput, parseJsonBody } from './errors.js';
import { trackingUpdateSchema } from './schemas.js';

/**
 * `POST /webhooks/generic`: the project's own update format, signed as Standard Webhooks.
 * Order matters: signature, then validation, then the replay check, then enqueue — so a bad
 * request never burns its webhook id, and a replay of a good one enqueues nothing.
 */
export function registerGenericWebhook(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/webhooks/generic', async (request, reply) => {
    const secret = deps.settings.webhookSecret;
    if (!secret) throw new ApiError(503, 'not_configured', 'This endpoint is off: set WEBHOOK_SECRET to enable it.');
    const { id } = verifyStandardWebhook({ secret, headers: request.headers, rawBody: request.rawBody ?? Buffer.alloc(0), now: deps.now() });
    const input = parseInput(trackingUpdateSchema, parseJsonBody(request.rawBody), 'body');
    const shipmentId = await resolveShipmentId(deps.stores.shipments, input);
    const update = toTrackingUpdate(shipmentId, input, 'generic');
    if (!(await deps.receipts.firstSeen('generic', id))) return reply.code(200).send({ duplicate: true, webhookId: id });
    try {
      await deps.queues.addUpdate({ updateId: `generic-${id}`, update, receivedAt: deps.now().toISOString() });
    } catch (err) {
      await deps.receipts.forget('generic', id);
      throw err;
    }
    return reply.code(202).send({ webhookId: id, shipmentId });
  });
}

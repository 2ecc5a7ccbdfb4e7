import type { FastifyInstance } from 'fastify';
import { IngestError } from '../ingest/errors.js';
import type { SourceUpdate, WebhookRequest, WebhookSource } from '../ingest/source.js';
import { identifyTrackingNumber } from '../ingest/tracking-number.js';
import type { TrackingUpdate } from '../domain/types.js';
import type { HttpDeps } from './deps.js';
import { ApiError } from './errors.js';

export interface SourceWebhookResult {
  accepted: number;
  unmatched: number;
}

/**
 * `POST /webhooks/<source>` for every aggregator source. The order of checks is the guarantee:
 * signature (401) → parse (400) → replay check on the delivery id (200, nothing enqueued) → match each
 * parcel to a shipment → enqueue. A parcel we do not track is recorded and still answered 2xx, because
 * a provider that sees an error retries for hours and then disables the endpoint.
 */
export function registerSourceWebhooks(app: FastifyInstance, deps: HttpDeps, sources: readonly WebhookSource[]): void {
  for (const source of sources) {
    app.post(`/webhooks/${source.name}`, async (request, reply) => {
      const secrets = deps.settings.webhookSecrets;
      if (!source.secret(secrets)) throw new ApiError(503, 'not_configured', `/webhooks/${source.name} is off: set its secret to enable it (see the README).`);
      const req: WebhookRequest = {
        headers: request.headers,
        rawBody: request.rawBody ?? Buffer.alloc(0),
        query: request.query as Record<string, string | undefined>,
        now: deps.now(),
      };
      source.verify(req, secrets);
      const parsed = source.parse(req);
      if (!(await deps.receipts.firstSeen(source.name, parsed.deliveryId))) {
        return reply.code(200).send({ duplicate: true, deliveryId: parsed.deliveryId });
      }
      if (parsed.kind === 'ignored') return reply.code(200).send({ ignored: true, reason: parsed.reason });
      try {
        const result = await accept(deps, source.name, parsed.deliveryId, parsed.updates);
        return reply.code(202).send({ deliveryId: parsed.deliveryId, ...result });
      } catch (err) {
        // Nothing or only part was enqueued: let the provider's retry bring it again (enqueueing is idempotent).
        await deps.receipts.forget(source.name, parsed.deliveryId);
        throw err;
      }
    });
  }
}

async function accept(deps: HttpDeps, source: string, deliveryId: string, updates: SourceUpdate[]): Promise<SourceWebhookResult> {
  const result: SourceWebhookResult = { accepted: 0, unmatched: 0 };
  const receivedAt = deps.now().toISOString();
  for (const [i, u] of updates.entries()) {
    let shipmentId: string | null = null;
    let reason: 'unknown_tracking_number' | 'invalid_tracking_number' = 'unknown_tracking_number';
    try {
      const info = identifyTrackingNumber(u.trackingNumber, u.carrier);
      shipmentId = await deps.stores.shipments.findByTrackingNumber(info.carrier, info.trackingNumber);
    } catch (err) {
      if (!(err instanceof IngestError)) throw err;
      // A carrier's own number format we do not know (or a carrier we do not know) may still be ours.
      reason = 'invalid_tracking_number';
      shipmentId = u.carrier ? await deps.stores.shipments.findByTrackingNumber(u.carrier, u.trackingNumber.replace(/[\s-]/g, '').toUpperCase()) : null;
    }
    if (!shipmentId) {
      result.unmatched++;
      await deps.unmatched.add({ source, deliveryId, trackingNumber: u.trackingNumber, ...(u.carrier ? { carrier: u.carrier } : {}), status: u.status, reason, receivedAt });
      continue;
    }
    const update: TrackingUpdate = {
      shipmentId,
      status: u.status,
      ...(u.subStatus ? { subStatus: u.subStatus } : {}),
      ...(u.estimatedDelivery ? { estimatedDelivery: u.estimatedDelivery } : {}),
      events: u.events,
      ...(u.proof ? { proof: u.proof } : {}),
      source,
    };
    await deps.queues.addUpdate({ updateId: `${source}-${deliveryId}-${i}`, update, receivedAt });
    result.accepted++;
  }
  return result;
}

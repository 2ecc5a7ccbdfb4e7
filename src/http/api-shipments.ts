import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { newShipmentState } from '../domain/shipment.js';
import { InvalidTrackingNumberError } from '../ingest/errors.js';
import { failsCheckDigit, identifyTrackingNumber, normalizeTrackingNumber, type TrackingNumberInfo } from '../ingest/tracking-number.js';
import { contentUpdateId, resolveShipmentId, toTrackingUpdate } from '../ingest/normalized.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput } from './errors.js';
import { idParams, shipmentSchema, trackingUpdateSchema } from './schemas.js';

export function registerShipmentRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { shipments, orders } = deps.stores;

  app.post('/v1/shipments', async (request, reply) => {
    const input = parseInput(shipmentSchema, request.body, 'body');
    const info = await identifyOrAlert(deps, input.orderId, input.trackingNumber, input.carrier);
    if (!(await orders.get(input.orderId))) {
      throw new ApiError(422, 'unknown_order', `No order "${input.orderId}"; create it with POST /v1/orders first.`, [{ field: 'orderId', message: 'unknown order' }]);
    }
    // Derived from the number, so a retried POST finds the same shipment.
    const shipmentId = input.shipmentId ?? `shp_${createHash('sha256').update(`${info.carrier}:${info.trackingNumber}`).digest('hex').slice(0, 20)}`;
    const now = deps.now();
    const state = newShipmentState({ id: shipmentId, orderId: input.orderId, carrier: info.carrier, trackingNumber: info.trackingNumber, trackingUrl: info.trackingUrl }, now);
    const { owner, created } = await shipments.create({ ...state, carrierName: info.carrierName });
    if (owner === null || owner !== shipmentId) {
      throw new ApiError(409, 'conflict', owner ? `Tracking number ${info.trackingNumber} already belongs to shipment "${owner}".` : `Shipment "${shipmentId}" exists with another tracking number.`, [{ field: owner ? 'trackingNumber' : 'shipmentId', message: 'already registered' }]);
    }
    if (!created && (await shipments.get(shipmentId))?.orderId !== input.orderId) {
      throw new ApiError(409, 'conflict', `Tracking number ${info.trackingNumber} already belongs to another order's shipment.`, [{ field: 'trackingNumber', message: 'already registered' }]);
    }
    await orders.addShipment(input.orderId, shipmentId);
    // A tracking number issued is a label created: it travels the same pipeline as any carrier update.
    await deps.queues.addUpdate({
      updateId: `label-${shipmentId}`,
      update: {
        shipmentId,
        status: 'label_created',
        events: [{ time: now.toISOString(), status: 'label_created', description: 'Shipping label created', source: 'api' }],
        source: 'api',
      },
      receivedAt: now.toISOString(),
    });
    return reply.code(created ? 201 : 200).send({ shipmentId, carrier: info.carrier, trackingNumber: info.trackingNumber, trackingUrl: info.trackingUrl });
  });

  app.post('/v1/tracking-updates', async (request, reply) => {
    const input = parseInput(trackingUpdateSchema, request.body, 'body');
    const shipmentId = await resolveShipmentId(shipments, input);
    const update = toTrackingUpdate(shipmentId, input, 'api');
    const updateId = contentUpdateId(update);
    await deps.queues.addUpdate({ updateId, update, receivedAt: deps.now().toISOString() });
    return reply.code(202).send({ updateId, shipmentId });
  });

  app.get('/v1/shipments/:id', async (request) => {
    const { id } = parseInput(idParams, request.params, 'path');
    const state = await shipments.get(id);
    if (!state) throw new ApiError(404, 'not_found', `No shipment "${id}".`, [{ field: 'id', message: 'unknown' }]);
    const { events, ...shipment } = state;
    return { shipment, timeline: events };
  });
}

/**
 * Identifies the number, or refuses it as before; when the refusal is a check digit that disagrees and the
 * order exists, the seller is also alerted (issue "Ingest the real world", point 7), because a mistyped number
 * otherwise tracks nothing and nobody notices. The alert's discriminator is the normalized number, so the
 * same bad number posted again alerts once; nothing about the shipment is stored.
 */
async function identifyOrAlert(deps: HttpDeps, orderId: string, trackingNumber: string, carrier: string | undefined): Promise<TrackingNumberInfo> {
  try {
    return identifyTrackingNumber(trackingNumber, carrier);
  } catch (error) {
    if (error instanceof InvalidTrackingNumberError && failsCheckDigit(trackingNumber) && (await deps.stores.orders.get(orderId))) {
      await deps.queues.addNotify({
        subject: { type: 'order', orderId },
        kind: 'invalid_tracking_number',
        discriminator: normalizeTrackingNumber(trackingNumber),
        causedBy: 'POST /v1/shipments',
        triggeredAt: deps.now().toISOString(),
      });
    }
    throw error;
  }
}

/**
 * `POST /v1/alerts/:id/ack`: a seller (or the marketplace acting for them) says a seller alert was seen,
 * which stops its escalation by SMS (`src/queues/escalate.ts`). `:id` is the alert's notification id.
 * Acknowledging twice is harmless: the first acknowledgement stands and is returned again.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { acknowledgeAlert, isSellerAlert, SELLER_ALERT_KINDS } from '../queues/escalate.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput } from './errors.js';
import { idParams } from './schemas.js';

export const ackBody = z
  .object({
    /** Who acknowledged, for the trail: a user id or name. */
    by: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export function registerAlertRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/alerts/:id/ack', async (request, reply) => {
    const { id } = parseInput(idParams, request.params, 'path');
    const body = parseInput(ackBody, request.body ?? {}, 'body');
    const record = await deps.stores.notifications.get(id);
    if (!record) throw new ApiError(404, 'not_found', `No notification ${id}.`, [{ field: 'id', message: 'unknown notification' }]);
    if (!isSellerAlert(record)) {
      throw new ApiError(422, 'not_a_seller_alert', `Notification ${id} is a ${record.kind} to a ${record.role}; only seller alerts (${[...SELLER_ALERT_KINDS].join(', ')}) are acknowledged.`, [
        { field: 'id', message: 'not a seller alert' },
      ]);
    }
    const { entry, first } = await acknowledgeAlert(deps.stores.notifications, id, body.by ?? 'admin API', deps.now());
    return reply.code(200).send({
      alert: { id, kind: record.kind, acknowledged: true, acknowledgedAt: entry.at, acknowledgedBy: entry.detail?.replace(/^by /, '') ?? null, alreadyAcknowledged: !first },
    });
  });
}

import type { FastifyInstance } from 'fastify';
import type { Order } from '../domain/types.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput } from './errors.js';
import { orderSchema } from './schemas.js';

export function registerOrderRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/orders', async (request, reply) => {
    const input = parseInput(orderSchema, request.body, 'body');
    for (const field of ['buyerId', 'sellerId'] as const) {
      if (!(await deps.stores.recipients.get(input[field]))) {
        throw new ApiError(422, 'unknown_recipient', `No recipient "${input[field]}"; register it with PUT /v1/recipients/${input[field]} first.`, [{ field, message: 'unknown recipient' }]);
      }
    }
    const now = deps.now();
    const { order, created } = await deps.stores.orders.createIfAbsent({ ...input, createdAt: now.toISOString(), shipmentIds: [] } satisfies Order);
    if (!created && (order.buyerId !== input.buyerId || order.sellerId !== input.sellerId)) {
      throw new ApiError(409, 'conflict', `Order "${input.orderId}" exists with other recipients.`, [{ field: 'orderId', message: 'exists' }]);
    }
    // The job id is derived from the order: posting the same order twice confirms it once.
    await deps.queues.addNotify({
      subject: { type: 'order', orderId: order.orderId },
      kind: 'order_confirmed',
      discriminator: '-',
      causedBy: 'POST /v1/orders',
      triggeredAt: now.toISOString(),
    });
    return reply.code(202).send({ orderId: order.orderId, created });
  });
}

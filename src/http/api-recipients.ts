import type { FastifyInstance } from 'fastify';
import type { Recipient } from '../domain/types.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput } from './errors.js';
import { idParams, pushSubscriptionSchema, recipientSchema } from './schemas.js';

export function registerRecipientRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { recipients } = deps.stores;

  app.put('/v1/recipients/:id', async (request) => {
    const { id } = parseInput(idParams, request.params, 'path');
    const input = parseInput(recipientSchema, request.body, 'body');
    const existing = await recipients.get(id);
    // Subscriptions and suppressions are managed by their own flows (browser, STOP, bounces);
    // a profile update must not silently undo an opt-out.
    const recipient: Recipient = {
      id,
      role: input.role,
      name: input.name,
      ...(input.email ? { email: input.email } : {}),
      ...(input.phone ? { phone: input.phone } : {}),
      locale: input.locale,
      timezone: input.timezone,
      preferences: input.preferences,
      pushSubscriptions: existing?.pushSubscriptions ?? [],
      ...(existing?.suppressed ? { suppressed: existing.suppressed } : {}),
    };
    await recipients.put(recipient);
    return recipient;
  });

  app.get('/v1/recipients/:id', async (request) => {
    const { id } = parseInput(idParams, request.params, 'path');
    const recipient = await recipients.get(id);
    if (!recipient) throw new ApiError(404, 'not_found', `No recipient "${id}".`, [{ field: 'id', message: 'unknown' }]);
    return recipient;
  });

  app.post('/v1/recipients/:id/push-subscriptions', async (request, reply) => {
    const { id } = parseInput(idParams, request.params, 'path');
    const subscription = parseInput(pushSubscriptionSchema, request.body, 'body');
    const updated = await recipients.addPushSubscription(id, subscription);
    if (!updated) throw new ApiError(404, 'not_found', `No recipient "${id}".`, [{ field: 'id', message: 'unknown' }]);
    return reply.code(201).send({ recipientId: id, subscriptions: updated.pushSubscriptions.length });
  });
}

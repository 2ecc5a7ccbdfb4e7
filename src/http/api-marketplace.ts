import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MARKETPLACE_EVENT_STATUSES, MARKETPLACE_SOURCES } from '../store/marketplace-events.js';
import type { HttpDeps } from './deps.js';
import { parseInput } from './errors.js';

export const marketplaceQuery = z
  .object({
    source: z.enum(MARKETPLACE_SOURCES),
    status: z.enum(MARKETPLACE_EVENT_STATUSES).optional(),
    orderId: z.string().min(1).max(128).regex(/^[A-Za-z0-9._~-]+$/, 'use letters, digits and . _ ~ - only').optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/**
 * `GET /v1/marketplace-events?source=tiktok-shop[&status=unknown_order][&orderId=…][&limit=100]`: what each
 * marketplace delivery did, newest first — above all the ones about orders nobody registered, which are
 * answered 200 (so the marketplace stops retrying) and would otherwise vanish.
 */
export function registerMarketplaceRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/marketplace-events', async (request) => {
    const q = parseInput(marketplaceQuery, request.query, 'query');
    const events = await deps.stores.orders.marketplaceEvents.list({
      source: q.source,
      limit: q.limit,
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.orderId === undefined ? {} : { orderId: q.orderId }),
    });
    return { events };
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HttpDeps } from './deps.js';
import { parseInput } from './errors.js';

export const unmatchedQuery = z.object({ source: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }).strict();

/** `GET /v1/unmatched-updates`: webhook news about parcels no shipment was registered for. */
export function registerUnmatchedRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/unmatched-updates', async (request) => {
    const q = parseInput(unmatchedQuery, request.query, 'query');
    return { unmatched: await deps.unmatched.list(q.source, q.limit) };
  });
}

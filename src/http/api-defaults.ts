import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { KIND_DEFAULTS, kindDefault, type KindDefaultsTable } from '../domain/kinds.js';
import { CHANNELS, NOTIFICATION_KINDS } from '../domain/types.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput } from './errors.js';

const channelList = z.array(z.enum(CHANNELS)).max(3).refine((l) => new Set(l).size === l.length, 'list each channel once');
const overrideSchema = z
  .object({
    buyer: channelList.optional(),
    seller: channelList.optional(),
    urgent: z.boolean().optional(),
    fallback: z.object({ buyer: z.enum(CHANNELS).optional(), seller: z.enum(CHANNELS).optional() }).strict().optional(),
  })
  .strict();
export const defaultsTableSchema = z.partialRecord(z.enum(NOTIFICATION_KINDS), overrideSchema);

/**
 * `GET|PUT /v1/defaults`: per-kind defaults by role — default channels, urgency (bypasses quiet hours for
 * email and push), fallback channel. GET shows the effective table and the overrides; PUT replaces the
 * overrides (send `{}` to go back to the built-in table).
 */
export function registerDefaultsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const store = deps.kindDefaults;
  app.get('/v1/defaults', async () => {
    if (!store) throw new ApiError(503, 'not_configured', 'Defaults are not available in this process.');
    const overrides = await store.get();
    const effective = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, kindDefault(k, overrides)]));
    return { effective, overrides, builtIn: KIND_DEFAULTS };
  });
  app.put('/v1/defaults', async (request) => {
    if (!store) throw new ApiError(503, 'not_configured', 'Defaults are not available in this process.');
    const overrides = parseInput(defaultsTableSchema, request.body, 'body') as Partial<KindDefaultsTable>;
    await store.put(overrides);
    return { overrides, effective: Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, kindDefault(k, overrides)])) };
  });
}

/**
 * `GET /openapi.json`: an OpenAPI 3.1 document built from the very zod schemas the routes validate with,
 * so the document cannot drift from what the server accepts. OpenAPI 3.1 schema objects are JSON Schema
 * 2020-12, which is what `z.toJSONSchema` emits; request schemas use `io: 'input'` because a field with a
 * default is optional to the client.
 */
import { ackBody } from './api-alerts.js';
import { defaultsTableSchema } from './api-defaults.js';
import { marketplaceQuery } from './api-marketplace.js';
import { putSchema, previewSchema, rollbackSchema, templateParams, testSendSchema } from './api-templates.js';
import { unmatchedQuery } from './api-unmatched.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WEBHOOK_SOURCES } from '../ingest/sources.js';
import type { HttpDeps } from './deps.js';
import {
  idParams,
  notificationQuerySchema,
  orderSchema,
  preferencesPatchSchema,
  pushSubscriptionSchema,
  recipientSchema,
  shipmentSchema,
  trackingUpdateSchema,
} from './schemas.js';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Fastify form (`/v1/recipients/:id`); converted to `{id}`. */
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** Success status: @defaultValue 200 */
  status?: number;
  /** `/v1` routes need the bearer token; webhooks authenticate by signature. */
  auth?: 'bearer' | 'signature' | 'none';
}

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. invalid_request, not_found, unauthorized.'),
      message: z.string(),
      details: z.union([z.array(z.object({ field: z.string(), message: z.string() })), z.record(z.string(), z.unknown())]),
    }),
  })
  .describe('Every refusal has this body.');

/** The request schema of a route, as it appears in the document. */
export function requestJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

export const ROUTES: RouteDoc[] = [
  { method: 'put', path: '/v1/recipients/:id', summary: 'Create or replace a recipient', params: idParams, body: recipientSchema },
  { method: 'get', path: '/v1/recipients/:id', summary: 'Get a recipient', params: idParams },
  { method: 'patch', path: '/v1/recipients/:id/preferences', summary: 'Change part of a recipient\u2019s preferences (null removes)', params: idParams, body: preferencesPatchSchema },
  { method: 'post', path: '/v1/recipients/:id/push-subscriptions', summary: 'Add a web push subscription', params: idParams, body: pushSubscriptionSchema, status: 201 },
  { method: 'post', path: '/v1/orders', summary: 'Create an order (sends order_confirmed once)', body: orderSchema, status: 202 },
  { method: 'post', path: '/v1/shipments', summary: 'Register a shipment by tracking number', body: shipmentSchema, status: 201 },
  { method: 'get', path: '/v1/shipments/:id', summary: 'A shipment and its timeline', params: idParams },
  { method: 'post', path: '/v1/tracking-updates', summary: 'Submit a tracking update', body: trackingUpdateSchema, status: 202 },
  { method: 'get', path: '/v1/notifications', summary: 'Search the notification log', query: notificationQuerySchema },
  { method: 'get', path: '/v1/notifications/:id', summary: 'One notification with its trail', params: idParams },
  { method: 'post', path: '/v1/alerts/:id/ack', summary: 'Acknowledge an alert', params: idParams, body: ackBody },
  { method: 'get', path: '/v1/defaults', summary: 'Per-kind defaults (admin overrides and effective values)' },
  { method: 'put', path: '/v1/defaults', summary: 'Replace the per-kind default overrides', body: defaultsTableSchema },
  { method: 'get', path: '/v1/marketplace-events', summary: 'Marketplace order events received', query: marketplaceQuery },
  { method: 'get', path: '/v1/unmatched-updates', summary: 'Updates for tracking numbers we do not know', query: unmatchedQuery },
  { method: 'get', path: '/v1/templates', summary: 'Every kind × locale × part with its origin and version' },
  { method: 'get', path: '/v1/templates/:locale/:kind/:part', summary: 'One template part', params: templateParams },
  { method: 'put', path: '/v1/templates/:locale/:kind/:part', summary: 'Save an override (validated; 422 with line and column)', params: templateParams, body: putSchema },
  { method: 'delete', path: '/v1/templates/:locale/:kind/:part', summary: 'Remove the override (back to the file)', params: templateParams },
  { method: 'get', path: '/v1/templates/:locale/:kind/:part/versions', summary: 'Versions of an override', params: templateParams },
  { method: 'post', path: '/v1/templates/:locale/:kind/:part/rollback', summary: 'Make an earlier version current', params: templateParams, body: rollbackSchema },
  { method: 'post', path: '/v1/templates/preview', summary: 'Render a kind with sample data, a real shipment, or a draft', body: previewSchema },
  { method: 'post', path: '/v1/templates/test-send', summary: 'Send a preview through a real channel', body: testSendSchema },
  { method: 'post', path: '/webhooks/generic', summary: 'Tracking update signed as Standard Webhooks', body: trackingUpdateSchema, status: 202, auth: 'signature' },
  ...WEBHOOK_SOURCES.map((s): RouteDoc => ({ method: 'post', path: `/webhooks/${s.name}`, summary: `${s.name} tracking webhook (the provider\u2019s own payload)`, status: 202, auth: 'signature' })),
  { method: 'post', path: '/webhooks/tiktok-shop', summary: 'TikTok Shop order and package events', auth: 'signature' },
  { method: 'post', path: '/webhooks/twilio/inbound', summary: 'Twilio inbound SMS (STOP/START/HELP)', auth: 'signature' },
  { method: 'post', path: '/webhooks/twilio/status', summary: 'Twilio delivery status callback', auth: 'signature' },
  { method: 'get', path: '/healthz', summary: 'Liveness', auth: 'none' },
  { method: 'get', path: '/readyz', summary: 'Readiness (Redis reachable)', auth: 'none' },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', auth: 'none' },
];

const oapiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, '{$1}');

/** Path and query parameters from an object schema's properties. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = requestJsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s }));
}

function operation(route: RouteDoc): Record<string, unknown> {
  const auth = route.auth ?? 'bearer';
  const params = [...parameters(route.params, 'path'), ...parameters(route.query, 'query')];
  const error = { description: 'Refused', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    summary: route.summary,
    ...(params.length ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: requestJsonSchema(route.body) } } } } : {}),
    // Webhooks prove themselves by signature and ops routes are open: neither takes the bearer token.
    security: auth === 'bearer' ? [{ adminToken: [] }] : [],
    responses: { [String(route.status ?? 200)]: { description: 'OK' }, '4XX': error, '5XX': error },
  };
}

export function buildOpenApiDocument(routes: readonly RouteDoc[] = ROUTES): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[oapiPath(route.path)] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'shipment-notifier', version: '0.1.0', description: 'Tracking updates in; email, SMS and web push out.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Error: z.toJSONSchema(errorBodySchema) },
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
    },
    security: [{ adminToken: [] }],
  };
}

export function registerOpenApiRoute(app: FastifyInstance, _deps: HttpDeps): void {
  // Built once: the schemas do not change while the process runs.
  const document = buildOpenApiDocument();
  app.get('/openapi.json', async () => document);
}

/**
 * `/openapi.json` (issue "Admins and buyers at the controls", point 6): generated from the zod schemas that
 * validate requests, so each documented request schema is exactly `z.toJSONSchema` of the route's schema.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument, errorBodySchema, registerOpenApiRoute, ROUTES } from '../../src/http/openapi.js';
import { idParams, notificationQuerySchema, orderSchema, preferencesPatchSchema, pushSubscriptionSchema, recipientSchema, shipmentSchema, trackingUpdateSchema } from '../../src/http/schemas.js';
import { WEBHOOK_SOURCES } from '../../src/ingest/sources.js';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };
const doc = buildOpenApiDocument() as unknown as Doc;
const input = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const bodyOf = (path: string, method: string) => doc.paths[path]![method].requestBody.content['application/json'].schema;

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the error body and the bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.Error).toEqual(z.toJSONSchema(errorBodySchema));
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('has every /v1 route and webhook the server registers', () => {
    const expected = [
      'put /v1/recipients/{id}', 'get /v1/recipients/{id}', 'patch /v1/recipients/{id}/preferences', 'post /v1/recipients/{id}/push-subscriptions',
      'post /v1/orders', 'post /v1/shipments', 'get /v1/shipments/{id}', 'post /v1/tracking-updates', 'get /v1/notifications',
      'get /v1/notifications/{id}', 'post /v1/alerts/{id}/ack', 'get /v1/defaults', 'put /v1/defaults', 'get /v1/marketplace-events',
      'get /v1/unmatched-updates', 'post /webhooks/generic', 'post /webhooks/tiktok-shop', 'post /webhooks/twilio/inbound', 'post /webhooks/twilio/status',
      ...WEBHOOK_SOURCES.map((s) => `post /webhooks/${s.name}`),
    ];
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    for (const route of expected) expect(documented).toContain(route);
  });

  it('request bodies are the validating schemas, as JSON Schema', () => {
    expect(bodyOf('/v1/recipients/{id}', 'put')).toEqual(input(recipientSchema));
    expect(bodyOf('/v1/recipients/{id}/preferences', 'patch')).toEqual(input(preferencesPatchSchema));
    expect(bodyOf('/v1/recipients/{id}/push-subscriptions', 'post')).toEqual(input(pushSubscriptionSchema));
    expect(bodyOf('/v1/orders', 'post')).toEqual(input(orderSchema));
    expect(bodyOf('/v1/shipments', 'post')).toEqual(input(shipmentSchema));
    expect(bodyOf('/v1/tracking-updates', 'post')).toEqual(input(trackingUpdateSchema));
    expect(bodyOf('/webhooks/generic', 'post')).toEqual(input(trackingUpdateSchema));
    // A field with a default is optional to the client.
    expect((input(recipientSchema) as { required: string[] }).required).not.toContain('locale');
  });

  it('path and query parameters come from the same schemas', () => {
    const byId = doc.paths['/v1/shipments/{id}']!.get.parameters;
    expect(byId).toEqual([{ name: 'id', in: 'path', required: true, schema: (input(idParams) as any).properties.id }]);
    const query = doc.paths['/v1/notifications']!.get.parameters as { name: string; in: string }[];
    expect(query.map((p) => `${p.in}:${p.name}`).sort()).toEqual(Object.keys((input(notificationQuerySchema) as any).properties).map((n) => `query:${n}`).sort());
  });

  it('/v1 routes need the token; webhooks and ops routes do not', () => {
    expect(doc.paths['/v1/orders']!.post.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/webhooks/generic']!.post.security).toEqual([]);
    expect(doc.paths['/metrics']!.get.security).toEqual([]);
    expect(doc.paths['/v1/orders']!.post.responses['4XX'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('every documented route exists in the table once', () => {
    const keys = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is served at GET /openapi.json without a token', async () => {
    const app = Fastify();
    registerOpenApiRoute(app, {} as never);
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(doc)));
    await app.close();
  });
});

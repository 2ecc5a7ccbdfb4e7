/**
 * `/v1/templates`: the admin's view of every template (file default or override, with its version),
 * versioned overrides with rollback, previews and test sends. Every save is checked by the same rules the
 * files pass at start-up, so what is stored will render; a refusal stores nothing.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CHANNELS, NOTIFICATION_KINDS, type NotificationKind } from '../domain/types.js';
import type { TemplateEngine } from '../render/engine.js';
import { TEMPLATE_PARTS, type TemplatePart } from '../render/template-files.js';
import { TemplateVersionNotFoundError, type TemplateOverrideStore } from '../store/template-overrides.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput } from './errors.js';
import { pushSubscriptionSchema } from './schemas.js';
import { guarded, previewContext, renderPreview, templateRefusal } from './template-preview.js';

/** Marks what a test send carries: its id (Message-ID, outbox file name, provider reference) and visible titles. */
export const TEST_SEND_ID_PREFIX = 'test-send-';
export const TEST_SEND_TITLE_PREFIX = '[Test] ';

/** Who saved a version: the API has one admin token, so the editor can only say it was the admin. */
const ADMIN = 'admin';

const locale = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 tag such as en or es-MX');
export const templateParams = z.object({ locale, kind: z.enum(NOTIFICATION_KINDS), part: z.enum(TEMPLATE_PARTS) });
const source = z.string().max(20_000, 'at most 20000 characters');
export const putSchema = z.object({ source }).strict();
export const rollbackSchema = z.object({ version: z.number().int().min(1) }).strict();
export const previewSchema = z
  .object({ kind: z.enum(NOTIFICATION_KINDS), locale, part: z.enum(TEMPLATE_PARTS).optional(), source: source.optional(), shipmentId: z.string().min(1).max(200).optional() })
  .strict()
  .refine((b) => b.source === undefined || b.part !== undefined, { path: ['part'], message: 'name the part the draft source is for' });
export const testSendSchema = z
  .object({
    kind: z.enum(NOTIFICATION_KINDS),
    locale,
    channel: z.enum(CHANNELS),
    to: z.email().max(254).optional(),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +14155550123').optional(),
    subscription: pushSubscriptionSchema.optional(),
    shipmentId: z.string().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const needed = { email: 'to', sms: 'phone', push: 'subscription' } as const;
    const field = needed[b.channel];
    if (b[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `required to test-send by ${b.channel}` });
  });

interface Ready {
  engine: TemplateEngine;
  overrides: TemplateOverrideStore;
}

function ready(deps: HttpDeps): Ready {
  if (!deps.templates || !deps.templateOverrides) throw new ApiError(503, 'not_configured', 'Template management is not available in this process.');
  return { engine: deps.templates, overrides: deps.templateOverrides };
}

function describe(r: Ready, loc: string, kind: NotificationKind, part: TemplatePart) {
  const active = r.overrides.active(loc, kind, part);
  return active
    ? { locale: loc, kind, part, origin: 'override' as const, version: active.version, savedAt: active.savedAt, by: active.by }
    : { locale: loc, kind, part, origin: 'file' as const, version: null };
}

export function registerTemplateRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/templates', async () => {
    const r = ready(deps);
    const templates = [];
    for (const loc of r.engine.locales()) {
      for (const kind of NOTIFICATION_KINDS) for (const part of TEMPLATE_PARTS) templates.push(describe(r, loc, kind, part));
    }
    return { locales: r.engine.locales(), kinds: NOTIFICATION_KINDS, parts: TEMPLATE_PARTS, templates };
  });

  app.get('/v1/templates/:locale/:kind/:part', async (request) => {
    const r = ready(deps);
    const { locale: loc, kind, part } = parseInput(templateParams, request.params, 'path');
    const active = r.overrides.active(loc, kind, part);
    const file = r.engine.fileSource(loc, kind, part);
    if (!active && file === undefined) throw new ApiError(404, 'template_not_found', `No template for ${loc}/${kind}/${part}: the locale has no folder and no override.`, [{ field: 'locale', message: 'no templates' }]);
    return { ...describe(r, loc, kind, part), source: active?.source ?? file, fileSource: file ?? null };
  });

  app.put('/v1/templates/:locale/:kind/:part', async (request) => {
    const r = ready(deps);
    const { locale: loc, kind, part } = parseInput(templateParams, request.params, 'path');
    const body = parseInput(putSchema, request.body, 'body');
    const problems = r.engine.check(loc, kind, part, body.source);
    if (problems.length > 0) throw templateRefusal(problems);
    const saved = await r.overrides.save(loc, kind, part, body.source, ADMIN, deps.now());
    return { ...describe(r, loc, kind, part), version: saved.version, source: saved.source };
  });

  app.get('/v1/templates/:locale/:kind/:part/versions', async (request) => {
    const r = ready(deps);
    const { locale: loc, kind, part } = parseInput(templateParams, request.params, 'path');
    const versions = await r.overrides.versions(loc, kind, part);
    return { current: r.overrides.active(loc, kind, part)?.version ?? null, versions: versions.reverse() };
  });

  app.post('/v1/templates/:locale/:kind/:part/rollback', async (request) => {
    const r = ready(deps);
    const { locale: loc, kind, part } = parseInput(templateParams, request.params, 'path');
    const { version } = parseInput(rollbackSchema, request.body, 'body');
    const earlier = (await r.overrides.versions(loc, kind, part))[version - 1];
    if (!earlier) throw new ApiError(404, 'template_version_not_found', `There is no version ${version} of ${loc}/${kind}/${part}.`, [{ field: 'version', message: 'unknown version' }]);
    // Rules may have tightened since that version was saved: it is checked again like a new edit.
    const problems = r.engine.check(loc, kind, part, earlier.source);
    if (problems.length > 0) throw templateRefusal(problems);
    try {
      const saved = await r.overrides.rollback(loc, kind, part, version, ADMIN, deps.now());
      return { ...describe(r, loc, kind, part), version: saved.version, restored: version, source: saved.source };
    } catch (error) {
      if (error instanceof TemplateVersionNotFoundError) throw new ApiError(404, error.code, error.message, [{ field: 'version', message: 'unknown version' }]);
      throw error;
    }
  });

  app.delete('/v1/templates/:locale/:kind/:part', async (request) => {
    const r = ready(deps);
    const { locale: loc, kind, part } = parseInput(templateParams, request.params, 'path');
    if (!(await r.overrides.remove(loc, kind, part))) throw new ApiError(404, 'override_not_found', `${loc}/${kind}/${part} has no override; it already renders from the file.`, [{ field: 'part', message: 'no override' }]);
    return describe(r, loc, kind, part);
  });

  app.post('/v1/templates/preview', async (request) => {
    const r = ready(deps);
    const body = parseInput(previewSchema, request.body, 'body');
    const ctx = await previewContext(deps, body.kind, body.locale, body.shipmentId);
    const draft = body.source !== undefined && body.part ? { part: body.part, source: body.source } : undefined;
    const parts = renderPreview(r.engine, body.kind, body.locale, ctx, draft);
    const wanted = body.part && !draft ? parts.filter((p) => p.part === body.part) : parts;
    return { kind: body.kind, locale: body.locale, sample: body.shipmentId ? 'shipment' : 'sample', parts: wanted };
  });

  app.post('/v1/templates/test-send', async (request, reply) => {
    const r = ready(deps);
    if (!deps.channels) throw new ApiError(503, 'not_configured', 'Channels are not available in this process.');
    const body = parseInput(testSendSchema, request.body, 'body');
    const ctx = await previewContext(deps, body.kind, body.locale, body.shipmentId);
    ctx.recipient.locale = body.locale;
    // No notification record exists for a test: the id only has to be unique and recognisable.
    const notificationId = `${TEST_SEND_ID_PREFIX}${randomUUID()}`;
    const render = guarded;
    let result;
    if (body.channel === 'email') {
      const mail = render(() => r.engine.email(body.kind, ctx));
      result = await deps.channels.email.send({ notificationId, to: body.to!, ...mail, subject: `${TEST_SEND_TITLE_PREFIX}${mail.subject}`, unsubscribeUrl: ctx.links.unsubscribe });
    } else if (body.channel === 'sms') {
      const sms = render(() => r.engine.sms(body.kind, ctx));
      result = await deps.channels.sms.send({ notificationId, to: body.phone!, body: sms.body });
    } else {
      const push = render(() => r.engine.push(body.kind, ctx));
      result = await deps.channels.push.send({
        notificationId,
        subscription: body.subscription!,
        title: `${TEST_SEND_TITLE_PREFIX}${push.title}`,
        body: push.body,
        url: ctx.links.track,
        ttlSeconds: 3600,
        urgency: 'normal',
        topic: notificationId,
      });
    }
    return reply.code(200).send({ notificationId, channel: body.channel, via: deps.channels[body.channel].kind, providerId: result.providerId });
  });
}

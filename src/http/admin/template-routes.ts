/**
 * `/admin` template pages: the list, the editor (save, preview, rollback, back to the file) and the JSON
 * preview the editor's script calls. They call the template store and engine directly, with the same
 * checks as `/v1/templates`, so a page save and an API save cannot disagree.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NOTIFICATION_KINDS } from '../../domain/types.js';
import { TEMPLATE_PARTS } from '../../render/template-files.js';
import { csrfField, csrfToken, verifyCsrf } from '../admin-session.js';
import { previewSchema, putSchema, rollbackSchema, templateParams } from '../api-templates.js';
import type { HttpDeps } from '../deps.js';
import { ApiError, parseInput, type ErrorDetail } from '../errors.js';
import { sendPage } from '../pages/html.js';
import { previewContext, renderPreview, templateRefusal, type PartPreview } from '../template-preview.js';
import { adminPage } from './layout.js';
import { editorPath, editorView, listView, type TemplateRow } from './template-views.js';
import { EDITOR_SCRIPT_PATH } from './editor-script.js';

const ADMIN = 'admin';

function ready(deps: HttpDeps) {
  if (!deps.templates || !deps.templateOverrides) throw new ApiError(503, 'not_configured', 'Template management is not available in this process.');
  return { engine: deps.templates, overrides: deps.templateOverrides };
}

type Params = ReturnType<typeof templateParams.parse>;

async function showEditor(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  p: Params,
  extra: { status?: number; source?: string; preview?: PartPreview; problems?: readonly ErrorDetail[]; notice?: string } = {},
): Promise<FastifyReply> {
  const { engine, overrides } = ready(deps);
  const active = overrides.active(p.locale, p.kind, p.part);
  const file = engine.fileSource(p.locale, p.kind, p.part);
  if (!active && file === undefined) throw new ApiError(404, 'template_not_found', `No template for ${p.locale}/${p.kind}/${p.part}.`, [{ field: 'locale', message: 'no templates' }]);
  const html = editorView({
    ...p,
    origin: active ? 'override' : 'file',
    version: active?.version ?? null,
    source: extra.source ?? active?.source ?? file ?? '',
    csrf: csrfToken(deps, request.adminSession!),
    csrfField: csrfField(deps, request),
    versions: await overrides.versions(p.locale, p.kind, p.part),
    ...(extra.preview ? { preview: extra.preview } : {}),
    ...(extra.problems ? { problems: extra.problems } : {}),
    ...(extra.notice ? { notice: extra.notice } : {}),
  });
  const title = `${p.locale} · ${p.kind} · ${p.part}`;
  return sendPage(reply, extra.status ?? 200, adminPage(deps, request, title, html, `<script src="${EDITOR_SCRIPT_PATH}" defer></script>`));
}

/** The refusal's details, for showing inline instead of as a JSON error. */
function refusalDetails(error: unknown): readonly ErrorDetail[] | undefined {
  return error instanceof ApiError && error.statusCode === 422 ? (error.details as ErrorDetail[]) : undefined;
}

export function registerTemplatePages(scope: FastifyInstance, deps: HttpDeps): void {
  scope.get('/admin', async (request, reply) => {
    const { engine, overrides } = ready(deps);
    const rows: TemplateRow[] = [];
    for (const locale of engine.locales()) {
      for (const kind of NOTIFICATION_KINDS) {
        for (const part of TEMPLATE_PARTS) {
          const active = overrides.active(locale, kind, part);
          rows.push({ locale, kind, part, origin: active ? 'override' : 'file', version: active?.version ?? null });
        }
      }
    }
    return sendPage(reply, 200, adminPage(deps, request, 'Templates', listView(engine.locales(), rows)));
  });

  scope.get('/admin/templates/:locale/:kind/:part', async (request, reply) => {
    const p = parseInput(templateParams, request.params, 'path');
    const q = request.query as Record<string, unknown>;
    const notice = typeof q.saved === 'string' && /^\d+$/.test(q.saved) ? `Saved as version ${q.saved}. Every worker renders with it within seconds.` : q.reverted === '1' ? 'Back to the file default.' : undefined;
    return showEditor(deps, request, reply, p, notice ? { notice } : {});
  });

  scope.post('/admin/templates/:locale/:kind/:part', async (request, reply) => {
    verifyCsrf(deps, request);
    const p = parseInput(templateParams, request.params, 'path');
    const body = request.body as Record<string, unknown> | undefined;
    const { source } = parseInput(putSchema, { source: body?.source }, 'body');
    const { engine, overrides } = ready(deps);
    if (body?.action === 'preview') {
      try {
        const ctx = await previewContext(deps, p.kind, p.locale);
        const [preview] = renderPreview(engine, p.kind, p.locale, ctx, { part: p.part, source });
        return await showEditor(deps, request, reply, p, { source, ...(preview ? { preview } : {}) });
      } catch (error) {
        const problems = refusalDetails(error);
        if (!problems) throw error;
        return showEditor(deps, request, reply, p, { status: 422, source, problems });
      }
    }
    const problems = engine.check(p.locale, p.kind, p.part, source);
    if (problems.length > 0) return showEditor(deps, request, reply, p, { status: 422, source, problems: templateRefusal(problems).details as ErrorDetail[] });
    const saved = await overrides.save(p.locale, p.kind, p.part, source, ADMIN, deps.now());
    return reply.code(303).header('location', `${editorPath(p.locale, p.kind, p.part)}?saved=${saved.version}`).send();
  });

  scope.post('/admin/templates/:locale/:kind/:part/rollback', async (request, reply) => {
    verifyCsrf(deps, request);
    const p = parseInput(templateParams, request.params, 'path');
    const raw = (request.body as Record<string, unknown> | undefined)?.version;
    const { version } = parseInput(rollbackSchema, { version: Number(raw) }, 'body');
    const { engine, overrides } = ready(deps);
    const earlier = (await overrides.versions(p.locale, p.kind, p.part))[version - 1];
    if (!earlier) throw new ApiError(404, 'template_version_not_found', `There is no version ${version}.`, [{ field: 'version', message: 'unknown version' }]);
    const problems = engine.check(p.locale, p.kind, p.part, earlier.source);
    if (problems.length > 0) return showEditor(deps, request, reply, p, { status: 422, problems: templateRefusal(problems).details as ErrorDetail[] });
    const saved = await overrides.rollback(p.locale, p.kind, p.part, version, ADMIN, deps.now());
    return reply.code(303).header('location', `${editorPath(p.locale, p.kind, p.part)}?saved=${saved.version}`).send();
  });

  scope.post('/admin/templates/:locale/:kind/:part/revert', async (request, reply) => {
    verifyCsrf(deps, request);
    const p = parseInput(templateParams, request.params, 'path');
    await ready(deps).overrides.remove(p.locale, p.kind, p.part);
    return reply.code(303).header('location', `${editorPath(p.locale, p.kind, p.part)}?reverted=1`).send();
  });

  scope.post('/admin/templates/preview', async (request) => {
    verifyCsrf(deps, request);
    const body = parseInput(previewSchema, request.body, 'body');
    const ctx = await previewContext(deps, body.kind, body.locale, body.shipmentId);
    const draft = body.source !== undefined && body.part ? { part: body.part, source: body.source } : undefined;
    const parts = renderPreview(ready(deps).engine, body.kind, body.locale, ctx, draft);
    return { kind: body.kind, locale: body.locale, parts: body.part && !draft ? parts.filter((x) => x.part === body.part) : parts };
  });
}

/**
 * `/admin/defaults`: the per-kind defaults (`/v1/defaults`) as a table of what is in effect, and the
 * overrides as JSON to edit. JSON rather than a grid of selects because the table is small, sparse and
 * nested (fallbacks per role); the same schema as `PUT /v1/defaults` checks it, and a refusal stores nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { kindDefault, type KindDefaultsTable } from '../../domain/kinds.js';
import { NOTIFICATION_KINDS } from '../../domain/types.js';
import { csrfField, verifyCsrf } from '../admin-session.js';
import { defaultsTableSchema } from '../api-defaults.js';
import type { HttpDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { escapeHtml, sendPage } from '../pages/html.js';
import { adminPage } from './layout.js';

function effectiveTable(overrides: Partial<KindDefaultsTable>): string {
  const rows = NOTIFICATION_KINDS.map((kind) => {
    const d = kindDefault(kind, overrides);
    const list = (l: readonly string[]) => escapeHtml(l.join(', ') || '—');
    return `<tr><th scope="row">${escapeHtml(kind)}${overrides[kind] ? ' <span class="tag override">override</span>' : ''}</th><td>${list(d.buyer)}</td><td>${list(d.seller)}</td><td>${d.urgent ? 'yes' : 'no'}</td><td>${escapeHtml(JSON.stringify(d.fallback ?? {}))}</td></tr>`;
  }).join('\n');
  return `<table id="effective"><thead><tr><th>Kind</th><th>Buyer</th><th>Seller</th><th>Urgent</th><th>Fallback</th></tr></thead><tbody>${rows}</tbody></table>`;
}

async function show(deps: HttpDeps, request: FastifyRequest, reply: FastifyReply, extra: { status?: number; text?: string; errors?: string[]; notice?: string } = {}) {
  if (!deps.kindDefaults) throw new ApiError(503, 'not_configured', 'Defaults are not available in this process.');
  const overrides = await deps.kindDefaults.get();
  const errors = extra.errors?.length ? `<div class="error" role="alert" id="problems"><strong>Not saved.</strong><ul>${extra.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>` : '';
  const body = `${extra.notice ? `<p class="ok" role="status">${escapeHtml(extra.notice)}</p>` : ''}${errors}
<h2>In effect</h2>${effectiveTable(overrides)}
<h2>Overrides</h2>
<form method="post" action="/admin/defaults">${csrfField(deps, request)}
<p class="note">A JSON object by kind: <code>buyer</code>/<code>seller</code> channel lists, <code>urgent</code>, <code>fallback</code>. <code>{}</code> goes back to the built-in table.</p>
<textarea id="overrides" name="overrides" rows="12" spellcheck="false">${escapeHtml(extra.text ?? JSON.stringify(overrides, null, 2))}</textarea>
<p><button class="primary" type="submit">Save defaults</button></p></form>`;
  return sendPage(reply, extra.status ?? 200, adminPage(deps, request, 'Per-kind defaults', body));
}

export function registerDefaultsPage(scope: FastifyInstance, deps: HttpDeps): void {
  scope.get('/admin/defaults', async (request, reply) => show(deps, request, reply, (request.query as Record<string, unknown>).saved === '1' ? { notice: 'Defaults saved.' } : {}));

  scope.post('/admin/defaults', async (request, reply) => {
    verifyCsrf(deps, request);
    const text = String((request.body as Record<string, unknown> | undefined)?.overrides ?? '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return show(deps, request, reply, { status: 400, text, errors: [`overrides: not valid JSON (${(error as Error).message})`] });
    }
    const parsed = defaultsTableSchema.safeParse(json);
    if (!parsed.success) return show(deps, request, reply, { status: 400, text, errors: parsed.error.issues.map((i) => `${['overrides', ...i.path].join('.')}: ${i.message}`) });
    await deps.kindDefaults!.put(parsed.data as Partial<KindDefaultsTable>);
    return reply.code(303).header('location', '/admin/defaults?saved=1').send();
  });
}

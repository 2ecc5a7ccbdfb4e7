/**
 * `/admin/notifications`: search the notification log by recipient or shipment, and the trail of one
 * notification (the same steps `GET /v1/notifications/:id` returns), read from the stores directly.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../deps.js';
import { notificationTrail } from '../api-notifications.js';
import { escapeHtml, sendPage } from '../pages/html.js';
import { idParams, notificationQuerySchema } from '../schemas.js';
import { adminPage } from './layout.js';

const FIELDS = ['recipientId', 'shipmentId'] as const;

function searchForm(values: Record<string, string>): string {
  const inputs = FIELDS.map((f) => `<label>${f} <input name="${f}" value="${escapeHtml(values[f] ?? '')}" size="24"></label>`).join(' ');
  return `<form method="get" action="/admin/notifications"><p>${inputs} <button type="submit">Search</button></p></form>`;
}

export function registerLogPages(scope: FastifyInstance, deps: HttpDeps): void {
  scope.get('/admin/notifications', async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    // An empty search box means "not this field", not an invalid id.
    const given = Object.fromEntries(FIELDS.filter((f) => typeof raw[f] === 'string' && raw[f] !== '').map((f) => [f, raw[f] as string]));
    const render = (status: number, content: string) => sendPage(reply, status, adminPage(deps, request, 'Notification log', `${searchForm(given)}${content}`));
    if (Object.keys(given).length === 0) return render(200, '<p class="note">Give a recipient id or a shipment id.</p>');
    const parsed = notificationQuerySchema.safeParse(given);
    if (!parsed.success) return render(400, `<p class="error" role="alert">${escapeHtml(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))}</p>`);
    const list = await deps.stores.notifications.list(parsed.data);
    if (list.length === 0) return render(200, '<p>No notifications match.</p>');
    const rows = list
      .map(
        (n) =>
          `<tr><td><a href="/admin/notifications/${encodeURIComponent(n.id)}">${escapeHtml(n.createdAt)}</a></td><td>${escapeHtml(n.kind)}</td><td>${escapeHtml(n.channel)}</td><td>${escapeHtml(n.recipientId)}</td><td>${escapeHtml(n.shipmentId ?? '')}</td><td>${escapeHtml(n.status)}</td><td>${escapeHtml(n.reason ?? '')}</td></tr>`,
      )
      .join('\n');
    return render(200, `<table id="log"><thead><tr><th>Created</th><th>Kind</th><th>Channel</th><th>Recipient</th><th>Shipment</th><th>Status</th><th>Reason</th></tr></thead><tbody>${rows}</tbody></table>`);
  });

  scope.get('/admin/notifications/:id', async (request, reply) => {
    const parsed = idParams.safeParse(request.params);
    const record = parsed.success ? await deps.stores.notifications.get(parsed.data.id) : null;
    if (!record) return sendPage(reply, 404, adminPage(deps, request, 'Notification not found', '<p><a href="/admin/notifications">Back to the log</a></p>'));
    const steps = await notificationTrail(deps, record, await deps.stores.notifications.trail(record.id));
    const rows = steps.map((s) => `<tr><td>${escapeHtml(s.at ?? '—')}</td><td>${escapeHtml(s.step)}</td><td>${escapeHtml(s.detail)}</td></tr>`).join('\n');
    const summary = `<p>${escapeHtml(record.kind)} by ${escapeHtml(record.channel)} to ${escapeHtml(record.recipientId)}: <strong id="status">${escapeHtml(record.status)}</strong>${record.reason ? ` (${escapeHtml(record.reason)})` : ''}</p>`;
    return sendPage(reply, 200, adminPage(deps, request, `Notification ${record.id}`, `${summary}<table id="trail"><thead><tr><th>At</th><th>Step</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table>`));
  });
}

/**
 * `/admin/shipments/:id`: one shipment's state and timeline (what `GET /v1/shipments/:id` returns), next to
 * the notifications it caused, so an admin can see why a buyer heard what they heard.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../deps.js';
import { escapeHtml, sendPage } from '../pages/html.js';
import { idParams } from '../schemas.js';
import { adminPage } from './layout.js';

export function registerShipmentPage(scope: FastifyInstance, deps: HttpDeps): void {
  scope.get('/admin/shipments', async (request, reply) => {
    const id = (request.query as Record<string, unknown>).id;
    if (typeof id === 'string' && id !== '') return reply.code(303).header('location', `/admin/shipments/${encodeURIComponent(id)}`).send();
    const form = '<form method="get" action="/admin/shipments"><p><label>Shipment id <input name="id" size="40"></label> <button type="submit">Open</button></p></form>';
    return sendPage(reply, 200, adminPage(deps, request, 'Shipment timeline', form));
  });

  scope.get('/admin/shipments/:id', async (request, reply) => {
    const parsed = idParams.safeParse(request.params);
    const state = parsed.success ? await deps.stores.shipments.get(parsed.data.id) : null;
    if (!state) return sendPage(reply, 404, adminPage(deps, request, 'Shipment not found', '<p><a href="/admin/shipments">Look up another</a></p>'));
    const events = state.events
      .map((e) => `<tr><td>${escapeHtml(e.time)}</td><td>${escapeHtml(e.status)}</td><td>${escapeHtml(e.description)}</td><td>${escapeHtml(e.location ?? '')}</td></tr>`)
      .join('\n');
    const body = `<p>${escapeHtml(state.carrierName ?? state.carrier)} ${escapeHtml(state.trackingNumber)} · order ${escapeHtml(state.orderId)} · now <strong id="shipment-status">${escapeHtml(state.status)}</strong>${state.eta ? ` · ETA ${escapeHtml(state.eta)}` : ''}</p>
<table id="timeline"><thead><tr><th>Time</th><th>Status</th><th>Description</th><th>Location</th></tr></thead><tbody>${events}</tbody></table>
<p><a href="/admin/notifications?shipmentId=${encodeURIComponent(state.id)}">Notifications for this shipment</a></p>`;
    return sendPage(reply, 200, adminPage(deps, request, `Shipment ${state.id}`, body));
  });
}

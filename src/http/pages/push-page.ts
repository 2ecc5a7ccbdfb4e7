/**
 * "Get browser notifications": `GET /preferences/push?token=…` shows the button, `POST
 * /preferences/push-subscription?token=…` saves what the browser's push service returned. The preference
 * token is the credential, plus the per-form key only our page shows (as for the preference form).
 * This page needs JavaScript by nature, so it has its own CSP allowing same-origin scripts and workers;
 * the preference center itself stays script-free and links here.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { HttpDeps } from '../deps.js';
import { parseInput } from '../errors.js';
import { pushSubscriptionSchema } from '../schemas.js';
import { escapeHtml, page, sendPage, sendRefusal } from './html.js';
import { checkPageToken, formKey, formKeyMatches } from './page-token.js';
import { PUSH_PAGE_SCRIPT, PUSH_PAGE_SCRIPT_PATH, SERVICE_WORKER_PATH, SERVICE_WORKER_SCRIPT } from './push-scripts.js';


export const PUSH_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
});

const saveSchema = z.object({ form: z.string(), subscription: pushSubscriptionSchema }).strict();

function sendScript(reply: FastifyReply, source: string): FastifyReply {
  return reply.headers(PUSH_PAGE_HEADERS).header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(source);
}

export function registerPushPage(app: FastifyInstance, deps: HttpDeps): void {
  app.get(PUSH_PAGE_SCRIPT_PATH, async (_request, reply) => sendScript(reply, PUSH_PAGE_SCRIPT));
  app.get(SERVICE_WORKER_PATH, async (_request, reply) => sendScript(reply, SERVICE_WORKER_SCRIPT));

  app.get('/preferences/push', async (request, reply) => {
    const check = checkPageToken(deps, request, 'preferences');
    if (!check.ok) return sendRefusal(request, reply, check.status, check.code, check.message);
    const back = `/preferences?token=${encodeURIComponent(check.token)}`;
    const save = `/preferences/push-subscription?token=${encodeURIComponent(check.token)}`;
    const body = `<p>Get a notification in this browser when your parcel is on its way or out for delivery.</p>
<p><button class="primary" type="button" id="push-subscribe" disabled data-key="${escapeHtml(deps.settings.vapidPublicKey ?? '')}" data-worker="${SERVICE_WORKER_PATH}" data-save="${escapeHtml(save)}" data-form="${escapeHtml(formKey(check.secret, check.token))}">Get browser notifications</button></p>
<p id="push-status" class="note" role="status"><noscript>This needs JavaScript; email and text messages work without it.</noscript></p>
<p><a href="${escapeHtml(back)}">Back to your preferences</a></p>
<script src="${PUSH_PAGE_SCRIPT_PATH}" defer></script>`;
    return sendPage(reply.headers(PUSH_PAGE_HEADERS), 200, page('Browser notifications', body));
  });

  app.post('/preferences/push-subscription', async (request, reply) => {
    const check = checkPageToken(deps, request, 'preferences');
    if (!check.ok) return sendRefusal(request, reply, check.status, check.code, check.message);
    const body = parseInput(saveSchema, request.body, 'body');
    if (!formKeyMatches(check.secret, check.token, body.form)) {
      return sendRefusal(request, reply, 403, 'invalid_form', 'This request did not come from our page; open it again.', 'form');
    }
    const saved = await deps.stores.recipients.addPushSubscription(check.claims.recipientId, body.subscription);
    if (!saved) return sendRefusal(request, reply, 404, 'not_found', 'We no longer have any preferences for this link.');
    deps.logger.info({ recipientId: check.claims.recipientId }, 'push subscription saved from the preference page');
    return reply.code(200).send({ saved: true, subscriptions: saved.pushSubscriptions.length });
  });
}

/**
 * One-click unsubscribe (RFC 8058). The mail client POSTs `List-Unsubscribe=One-Click` to the link and
 * expects a plain 200, no redirect. A GET only asks for confirmation: mail scanners and link previews
 * fetch every URL in a message, and must not unsubscribe anyone by doing so.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signLinkToken } from '../../domain/links.js';
import { CHANNELS, type ChannelName, type Recipient } from '../../domain/types.js';
import type { HttpDeps } from '../deps.js';
import { escapeHtml, page, sendPage, sendRefusal, wantsHtml } from './html.js';
import { checkPageToken } from './page-token.js';
import { unsubscribeChannels } from './recipient-changes.js';

export const CHANNEL_LABELS: Record<ChannelName, string> = { email: 'email', sms: 'text messages (SMS)', push: 'browser notifications' };

function isChannel(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

type Target = { recipient: Recipient; channels: ChannelName[]; token: string; secret: string };

async function target(deps: HttpDeps, request: FastifyRequest, reply: FastifyReply): Promise<Target | null> {
  const check = checkPageToken(deps, request, 'unsubscribe');
  if (!check.ok) {
    sendRefusal(request, reply, check.status, check.code, check.message);
    return null;
  }
  const { channel, recipientId } = check.claims;
  if (channel !== undefined && !isChannel(channel)) {
    sendRefusal(request, reply, 400, 'invalid_link', `The link names an unknown channel "${channel}".`);
    return null;
  }
  const recipient = await deps.stores.recipients.get(recipientId);
  if (!recipient) {
    sendRefusal(request, reply, 404, 'not_found', 'We no longer have an address for this link; nothing to unsubscribe.');
    return null;
  }
  return { recipient, channels: channel ? [channel] : [...CHANNELS], token: check.token, secret: check.secret };
}

function describe(channels: readonly ChannelName[]): string {
  return channels.length === CHANNELS.length ? 'all messages (email, text messages and browser notifications)' : channels.map((c) => CHANNEL_LABELS[c]).join(', ');
}

function preferencesUrl(deps: HttpDeps, t: Target): string {
  return `/preferences?token=${encodeURIComponent(signLinkToken(t.secret, { recipientId: t.recipient.id, purpose: 'preferences' }, deps.now()))}`;
}

export function registerUnsubscribeRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/unsubscribe', async (request, reply) => {
    const t = await target(deps, request, reply);
    if (!t) return reply;
    const already = t.channels.every((c) => t.recipient.suppressed?.[c] !== undefined);
    const action = `/unsubscribe?token=${encodeURIComponent(t.token)}`;
    const body = already
      ? `<p class="ok">You are already unsubscribed from ${escapeHtml(describe(t.channels))}.</p>`
      : `<p>Stop sending ${escapeHtml(describe(t.channels))} about your orders to ${escapeHtml(t.recipient.name)}?</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button class="primary" type="submit">Unsubscribe</button></form>`;
    return sendPage(reply, 200, page('Unsubscribe', `${body}\n<p class="note">Or <a href="${escapeHtml(preferencesUrl(deps, t))}">choose which messages you get</a>.</p>`));
  });

  app.post('/unsubscribe', async (request, reply) => {
    const t = await target(deps, request, reply);
    if (!t) return reply;
    await unsubscribeChannels(deps, t.recipient.id, t.channels, deps.now());
    deps.logger.info({ recipientId: t.recipient.id, channels: t.channels }, 'unsubscribed via link');
    const message = `Unsubscribed from ${describe(t.channels)}.`;
    if (wantsHtml(request)) {
      return sendPage(reply, 200, page('Unsubscribed', `<p class="ok">${escapeHtml(message)}</p>\n<p class="note"><a href="${escapeHtml(preferencesUrl(deps, t))}">Changed your mind? Manage your preferences.</a></p>`));
    }
    return reply.code(200).type('text/plain; charset=utf-8').send(`${message}\n`);
  });
}

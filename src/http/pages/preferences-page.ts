/**
 * The preference center: `GET /preferences?token=…` shows the recipient's choices, `POST` saves them.
 * Plain HTML forms, so it works without JavaScript; the URL's signed token plus a per-form key derived
 * from it are the credential.
 */
import type { FastifyInstance } from 'fastify';
import { CHANNELS, type ChannelName, type NotificationKind, type Recipient } from '../../domain/types.js';
import type { HttpDeps } from '../deps.js';
import type { ErrorDetail } from '../errors.js';
import { escapeHtml, page, sendPage, sendRefusal } from './html.js';
import { checkPageToken, formKey, formKeyMatches } from './page-token.js';
import { applyPreferenceForm, defaultOn, kindFieldName, pageKinds, parsePreferenceForm } from './preferences-form.js';
import { changeRecipient, LINK_UNSUBSCRIBE_REASON, unsubscribeChannels } from './recipient-changes.js';
import { CHANNEL_LABELS } from './unsubscribe.js';

const KIND_LABELS: Partial<Record<NotificationKind, string>> = { in_transit_update: 'In-transit updates (daily digest)', not_scanned: 'Label not scanned' };

function kindLabel(kind: NotificationKind): string {
  const words = kind.replace(/_/g, ' ');
  return KIND_LABELS[kind] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

function timeZones(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort();
}

function suppressionNote(recipient: Recipient, channel: ChannelName): string {
  const s = recipient.suppressed?.[channel];
  if (!s) return '';
  if (s.reason === LINK_UNSUBSCRIBE_REASON) return ' <span class="note">(unsubscribed; tick to resubscribe)</span>';
  if (channel === 'sms') return ' <span class="note">(blocked after a STOP reply or a carrier opt-out; text START to us to resume)</span>';
  return ` <span class="note">(blocked: ${escapeHtml(s.reason)})</span>`;
}

function channelRows(recipient: Recipient): string {
  return CHANNELS.map((c) => {
    const on = recipient.preferences.channels?.[c]?.enabled !== false && recipient.suppressed?.[c]?.reason !== LINK_UNSUBSCRIBE_REASON;
    return `<p><label><input type="checkbox" name="channel.${c}" value="on"${on ? ' checked' : ''}> ${escapeHtml(CHANNEL_LABELS[c])}</label>${suppressionNote(recipient, c)}</p>`;
  }).join('\n');
}

function kindRows(recipient: Recipient): string {
  const rows = pageKinds(recipient).map((kind) => {
    const cells = CHANNELS.map((c) => {
      const override = recipient.preferences.kinds?.[kind]?.[c];
      const current = override === undefined ? 'default' : override ? 'on' : 'off';
      const name = kindFieldName(kind, c);
      const option = (value: string, label: string) => `<option value="${value}"${current === value ? ' selected' : ''}>${label}</option>`;
      return `<td><select name="${escapeHtml(name)}" aria-label="${escapeHtml(`${kindLabel(kind)}: ${CHANNEL_LABELS[c]}`)}">${option('default', `Default (${defaultOn(recipient, kind, c) ? 'on' : 'off'})`)}${option('on', 'On')}${option('off', 'Off')}</select></td>`;
    }).join('');
    return `<tr><th scope="row">${escapeHtml(kindLabel(kind))}</th>${cells}</tr>`;
  });
  return `<table><thead><tr><th scope="col">Message</th>${CHANNELS.map((c) => `<th scope="col">${escapeHtml(CHANNEL_LABELS[c])}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function quietHoursBlock(recipient: Recipient): string {
  const q = recipient.preferences.quietHours;
  const zones = timeZones(recipient.timezone)
    .map((z) => `<option value="${escapeHtml(z)}"${z === recipient.timezone ? ' selected' : ''}>${escapeHtml(z)}</option>`)
    .join('');
  return `<p><label><input type="checkbox" name="quiet" value="on"${q ? ' checked' : ''}> Hold messages during quiet hours</label></p>
<p><label>From <input type="time" name="quietStart" value="${escapeHtml(q?.start ?? '21:00')}"></label>
<label>to <input type="time" name="quietEnd" value="${escapeHtml(q?.end ?? '08:00')}"></label></p>
<p><label>Time zone <select name="timezone">${zones}</select></label></p>
<p class="note">Text messages are never sent between 21:00 and 08:00 in your time zone, whatever you choose here.</p>`;
}

export function renderPreferencePage(recipient: Recipient, action: string, key: string, notice?: { ok?: string; errors?: ErrorDetail[] }): string {
  const banner = notice?.errors?.length
    ? `<div class="error" role="alert"><p>Nothing was saved:</p><ul>${notice.errors.map((e) => `<li>${escapeHtml(e.field)}: ${escapeHtml(e.message)}</li>`).join('')}</ul></div>`
    : notice?.ok
      ? `<p class="ok" role="status">${escapeHtml(notice.ok)}</p>`
      : '';
  return page(
    'Your notification preferences',
    `${banner}
<p>Messages about your orders for ${escapeHtml(recipient.name)}.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="form" value="${escapeHtml(key)}">
<fieldset><legend>Channels</legend>
${channelRows(recipient)}
</fieldset>
<fieldset><legend>Which messages, on which channel</legend>
${kindRows(recipient)}
</fieldset>
<fieldset><legend>Quiet hours</legend>
${quietHoursBlock(recipient)}
</fieldset>
<p><button class="primary" type="submit" name="action" value="save">Save preferences</button></p>
<p><a href="${escapeHtml(action.replace('/preferences?', '/preferences/push?'))}">Get browser notifications on this device</a></p>
<fieldset><legend>Unsubscribe from everything</legend>
<p>Stop every email, text message and browser notification about your orders.</p>
<button type="submit" name="action" value="unsubscribe_all">Unsubscribe from everything</button>
</fieldset>
</form>`,
  );
}

export function registerPreferencePages(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/preferences', async (request, reply) => {
    const check = checkPageToken(deps, request, 'preferences');
    if (!check.ok) return sendRefusal(request, reply, check.status, check.code, check.message);
    const recipient = await deps.stores.recipients.get(check.claims.recipientId);
    if (!recipient) return sendRefusal(request, reply, 404, 'not_found', 'We no longer have any preferences for this link.');
    const action = `/preferences?token=${encodeURIComponent(check.token)}`;
    return sendPage(reply, 200, renderPreferencePage(recipient, action, formKey(check.secret, check.token)));
  });

  app.post('/preferences', async (request, reply) => {
    const check = checkPageToken(deps, request, 'preferences');
    if (!check.ok) return sendRefusal(request, reply, check.status, check.code, check.message);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!formKeyMatches(check.secret, check.token, body.form)) {
      return sendRefusal(request, reply, 403, 'invalid_form', 'This form did not come from our preference page; open the page again and resubmit.', 'form');
    }
    const { recipientId } = check.claims;
    const recipient = await deps.stores.recipients.get(recipientId);
    if (!recipient) return sendRefusal(request, reply, 404, 'not_found', 'We no longer have any preferences for this link.');
    const action = `/preferences?token=${encodeURIComponent(check.token)}`;
    const key = formKey(check.secret, check.token);

    const parsed = parsePreferenceForm(recipient, body);
    if (!parsed.ok) return sendPage(reply, 400, renderPreferencePage(recipient, action, key, { errors: parsed.errors }));

    let saved: Recipient | null;
    let message: string;
    if (parsed.form.action === 'unsubscribe_all') {
      saved = await unsubscribeChannels(deps, recipientId, CHANNELS, deps.now());
      message = 'You are unsubscribed from every message. Tick a channel and save to resubscribe.';
    } else {
      saved = await changeRecipient(deps, recipientId, (r) => {
        applyPreferenceForm(r, parsed.form);
        return true;
      });
      message = 'Your preferences are saved.';
    }
    if (!saved) return sendRefusal(request, reply, 404, 'not_found', 'We no longer have any preferences for this link.');
    deps.logger.info({ recipientId, action: parsed.form.action }, 'preferences changed from the preference page');
    return sendPage(reply, 200, renderPreferencePage(saved, action, key, { ok: message }));
  });
}

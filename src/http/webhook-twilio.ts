/**
 * Twilio's callbacks: replies people text to our number (`/webhooks/twilio/inbound`) and delivery
 * reports for what we sent (`/webhooks/twilio/status`). Both are form posts signed with
 * `X-Twilio-Signature` over the public URL Twilio called and the posted parameters
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { redactContacts } from '../log.js';
import { isSmsOptOut, SMS_OPT_OUT_REASON } from '../store/recipients.js';
import type { HttpDeps } from './deps.js';
import { ApiError } from './errors.js';

/**
 * The carriers' and Twilio's standard keywords (https://help.twilio.com/articles/223134027). Only a
 * message that is exactly one of them counts: "stop please" or "I want to STOP" is a conversation.
 */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
// INFO is the other help keyword carriers require an answer to.
const HELP = new Set(['HELP', 'INFO']);

export const HELP_REPLY =
  'Shipment Notifier: order and delivery updates for your purchases. Reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.';

/** Twilio's texts for the error codes a status callback carries (https://www.twilio.com/docs/api/errors). */
const ERROR_TEXT: Record<string, string> = {
  '21610': 'Attempt to send to unsubscribed recipient',
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
};
const OPTED_OUT_CODE = '21610';

type Params = Record<string, string | string[]>;

/** Twilio signs every value of a repeated parameter, so they are kept as arrays, not last-wins. */
function formParams(raw: Buffer | undefined): Params {
  const params: Params = {};
  for (const [name, value] of new URLSearchParams((raw ?? Buffer.alloc(0)).toString('utf8'))) {
    const seen = params[name];
    params[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

function param(params: Params, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

function required(params: Params, name: string): string {
  const value = param(params, name)?.trim();
  if (!value) throw new ApiError(400, 'invalid_request', `Twilio's request has no ${name}.`, [{ field: name, message: 'required' }]);
  return value;
}

/** Checks the signature before anything reads the parameters; returns them. */
function verified(request: FastifyRequest, deps: HttpDeps): Params {
  const settings = deps.settings.twilio;
  if (!settings) throw new ApiError(503, 'not_configured', 'This endpoint is off: set TWILIO_AUTH_TOKEN to enable it.');
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || signature === '') {
    throw new ApiError(401, 'invalid_signature', 'The request has no X-Twilio-Signature header.', [{ field: 'x-twilio-signature', message: 'missing' }]);
  }
  const params = formParams(request.rawBody);
  // Twilio signed the URL it called, which behind a proxy is the public one, not ours.
  const url = settings.publicBaseUrl.replace(/\/+$/, '') + request.url;
  if (!twilio.validateRequest(settings.authToken, signature, url, params)) {
    throw new ApiError(401, 'invalid_signature', `X-Twilio-Signature does not match a request to ${url}; check TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL.`, [
      { field: 'x-twilio-signature', message: 'does not match' },
    ]);
  }
  return params;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Twilio reads the answer as TwiML; an empty `<Response/>` means "send nothing back". */
function twiml(reply: FastifyReply, message?: string): FastifyReply {
  const body = message ? `<Response><Message>${escapeXml(message)}</Message></Response>` : '<Response/>';
  return reply.code(200).type('text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
}

/** One word, whatever its case and the spaces or full stop around it. */
function keywordOf(body: string): string | null {
  const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
  return /^[A-Z]+$/.test(word) ? word : null;
}

export function registerTwilioWebhooks(app: FastifyInstance, deps: HttpDeps): void {
  const { recipients, notifications } = deps.stores;

  async function optOut(recipientId: string, why: string, now: Date): Promise<void> {
    const current = (await recipients.get(recipientId))?.suppressed?.sms;
    // An admin's or a provider's block stays what it is, so that a later START cannot lift it.
    if (current && !isSmsOptOut(current)) return;
    await recipients.suppress(recipientId, 'sms', `${SMS_OPT_OUT_REASON}: ${why}`, now);
  }

  app.post('/webhooks/twilio/inbound', async (request, reply) => {
    const params = verified(request, deps);
    const from = required(params, 'From');
    const keyword = keywordOf(param(params, 'Body') ?? '');
    const who = { from: redactContacts(from), keyword, messageSid: param(params, 'MessageSid') };
    if (keyword && HELP.has(keyword)) {
      deps.logger.info(who, 'sms HELP answered');
      return twiml(reply, HELP_REPLY);
    }
    if (!keyword || (!OPT_OUT.has(keyword) && !OPT_IN.has(keyword))) return twiml(reply);

    const ids = await recipients.idsByPhone(from);
    const now = deps.now();
    if (OPT_OUT.has(keyword)) {
      for (const id of ids) await optOut(id, `replied ${keyword} by SMS`, now);
      deps.logger.info({ ...who, recipients: ids }, ids.length ? 'sms opt-out: SMS suppressed' : 'sms opt-out from a number no recipient has');
      // Twilio itself confirms an opt-out; a reply of ours would be refused (21610) anyway.
      return twiml(reply);
    }
    const lifted: string[] = [];
    for (const id of ids) if (await recipients.unsuppress(id, 'sms', isSmsOptOut)) lifted.push(id);
    deps.logger.info({ ...who, recipients: ids, lifted }, 'sms opt-in: SMS opt-outs lifted');
    return twiml(reply);
  });

  app.post('/webhooks/twilio/status', async (request, reply) => {
    const params = verified(request, deps);
    const sid = required(params, 'MessageSid');
    const status = required(params, 'MessageStatus').toLowerCase();
    const errorCode = param(params, 'ErrorCode')?.trim() || undefined;
    const id = await notifications.findByProviderId('sms', sid);
    if (!id) {
      deps.logger.info({ messageSid: sid, status }, 'twilio status for a message we do not know; ignored');
      return twiml(reply);
    }
    const now = deps.now();
    const said = `Twilio: ${status}${errorCode ? ` (error ${errorCode})` : ''}`;
    if (status === 'delivered') {
      await notifications.transition(id, (r) => r.status !== 'delivered', { status: 'delivered' }, now, said);
    } else if (status === 'failed' || status === 'undelivered') {
      const reason = errorCode ? `${errorCode}: ${ERROR_TEXT[errorCode] ?? status}` : status;
      // Callbacks can arrive out of order: a late "failed" must not undo "delivered".
      const { applied } = await notifications.transition(id, (r) => r.status === 'sent' || r.status === 'queued', { status: 'failed', reason }, now, said);
      if (!applied) await notifications.note(id, now, `provider ${status}`, `${said}; ignored, the message is already final`);
    } else {
      await notifications.note(id, now, `provider ${status}`, said);
    }
    if (errorCode === OPTED_OUT_CODE) {
      const record = await notifications.get(id);
      if (record) await optOut(record.recipientId, `Twilio error 21610 on ${sid}`, now);
    }
    deps.logger.info({ notificationId: id, messageSid: sid, status, errorCode }, 'twilio status recorded');
    return twiml(reply);
  });
}

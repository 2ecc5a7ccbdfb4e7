/**
 * The preference page's form: which fields it has for a recipient, and how a posted form becomes a change.
 * Every field is checked before anything is written; one bad value refuses the whole form.
 */
import { kindAudience, kindDefault, type AudienceRole } from '../../domain/kinds.js';
import { CHANNELS, NOTIFICATION_KINDS, type ChannelName, type KindChannels, type NotificationKind, type QuietHours, type Recipient } from '../../domain/types.js';
import type { ErrorDetail } from '../errors.js';
import { hhmm, isTimeZone } from '../schemas.js';
import { LINK_UNSUBSCRIBE_REASON } from './recipient-changes.js';

export type KindChoice = 'default' | 'on' | 'off';
const CHOICES: readonly string[] = ['default', 'on', 'off'];

/**
 * Kinds the page offers: those addressed to the recipient's role (built-in audience), plus any the recipient
 * already overrides, so an override set through the API can be seen and undone here. Admins opt into anything.
 */
export function pageKinds(recipient: Recipient): NotificationKind[] {
  return NOTIFICATION_KINDS.filter(
    (kind) => recipient.role === 'admin' || kindAudience(kind).includes(recipient.role) || recipient.preferences.kinds?.[kind] !== undefined,
  );
}

/** Whether the built-in default sends `kind` on `channel` to this recipient's role. */
export function defaultOn(recipient: Recipient, kind: NotificationKind, channel: ChannelName): boolean {
  return recipient.role !== 'admin' && kindDefault(kind)[recipient.role as AudienceRole].includes(channel);
}

export function kindFieldName(kind: NotificationKind, channel: ChannelName): string {
  return `kind.${kind}.${channel}`;
}

export interface PreferenceForm {
  action: 'save' | 'unsubscribe_all';
  timezone: string;
  channels: Record<ChannelName, boolean>;
  kinds: Map<NotificationKind, Partial<Record<ChannelName, KindChoice>>>;
  quietHours: QuietHours | null;
}

type Parsed = { ok: true; form: PreferenceForm } | { ok: false; errors: ErrorDetail[] };

/** `body` is the parsed urlencoded form; the per-form key was checked before this is called. */
export function parsePreferenceForm(recipient: Recipient, body: Record<string, unknown>): Parsed {
  const errors: ErrorDetail[] = [];
  const kinds = pageKinds(recipient);
  const allowed = new Set(['form', 'action', 'timezone', 'quiet', 'quietStart', 'quietEnd', ...CHANNELS.map((c) => `channel.${c}`)]);
  for (const kind of kinds) for (const c of CHANNELS) allowed.add(kindFieldName(kind, c));
  for (const name of Object.keys(body)) if (!allowed.has(name)) errors.push({ field: name, message: 'unknown field' });

  const str = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : undefined);
  const action = str('action') ?? 'save';
  if (action !== 'save' && action !== 'unsubscribe_all') errors.push({ field: 'action', message: 'expected save or unsubscribe_all' });

  const timezone = str('timezone') ?? '';
  if (action === 'save' && !isTimeZone(timezone)) errors.push({ field: 'timezone', message: `"${timezone}" is not an IANA time zone such as America/New_York` });

  const channels = Object.fromEntries(CHANNELS.map((c) => [c, str(`channel.${c}`) !== undefined])) as Record<ChannelName, boolean>;
  for (const c of CHANNELS) {
    const v = str(`channel.${c}`);
    if (v !== undefined && v !== 'on') errors.push({ field: `channel.${c}`, message: 'expected a checkbox value' });
  }

  const choices = new Map<NotificationKind, Partial<Record<ChannelName, KindChoice>>>();
  for (const kind of kinds) {
    const entry: Partial<Record<ChannelName, KindChoice>> = {};
    for (const c of CHANNELS) {
      const v = str(kindFieldName(kind, c)) ?? 'default';
      if (CHOICES.includes(v)) entry[c] = v as KindChoice;
      else errors.push({ field: kindFieldName(kind, c), message: 'expected default, on or off' });
    }
    choices.set(kind, entry);
  }

  let quietHours: QuietHours | null = null;
  if (str('quiet') !== undefined) {
    const start = str('quietStart') ?? '';
    const end = str('quietEnd') ?? '';
    if (!hhmm.safeParse(start).success) errors.push({ field: 'quietStart', message: `"${start}" is not a time of day (HH:MM)` });
    if (!hhmm.safeParse(end).success) errors.push({ field: 'quietEnd', message: `"${end}" is not a time of day (HH:MM)` });
    quietHours = { start, end };
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, form: { action: action as PreferenceForm['action'], timezone, channels, kinds: choices, quietHours } };
}

/**
 * Writes a saved form onto the recipient (inside the compare-and-set). Turning a channel back on lifts only
 * an unsubscribe made through our own links: a bounce or an SMS STOP stays, because only the mailbox owner's
 * reply (START) or a working address can end those.
 */
export function applyPreferenceForm(r: Recipient, form: PreferenceForm): void {
  r.timezone = form.timezone;
  r.preferences = structuredClone(r.preferences);
  r.preferences.channels = Object.fromEntries(CHANNELS.map((c) => [c, { enabled: form.channels[c] }]));
  const kinds = { ...r.preferences.kinds };
  for (const [kind, entry] of form.kinds) {
    const override: KindChannels = {};
    for (const c of CHANNELS) if (entry[c] === 'on' || entry[c] === 'off') override[c] = entry[c] === 'on';
    if (Object.keys(override).length > 0) kinds[kind] = override;
    else delete kinds[kind];
  }
  if (Object.keys(kinds).length > 0) r.preferences.kinds = kinds;
  else delete r.preferences.kinds;
  if (form.quietHours) r.preferences.quietHours = form.quietHours;
  else delete r.preferences.quietHours;
  if (r.suppressed) {
    const suppressed = { ...r.suppressed };
    for (const c of CHANNELS) if (form.channels[c] && suppressed[c]?.reason === LINK_UNSUBSCRIBE_REASON) delete suppressed[c];
    if (Object.keys(suppressed).length > 0) r.suppressed = suppressed;
    else delete r.suppressed;
  }
}

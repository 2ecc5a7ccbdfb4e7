/**
 * Changes to a recipient made from the admin API and the public pages. They go through the document's
 * compare-and-set, never get-then-put: a STOP, a bounce or a gone push subscription recorded while a page
 * was being saved must not be silently written back over.
 */
import type { ChannelName, Recipient } from '../../domain/types.js';
import type { HttpDeps } from '../deps.js';

/** Why a suppression was set by this project's own links; only these may be lifted from the preference page. */
export const LINK_UNSUBSCRIBE_REASON = 'unsubscribed via link';

/** Applies `change` (mutates, returns whether anything changed) atomically; null when there is no such recipient. */
export function changeRecipient(deps: HttpDeps, id: string, change: (recipient: Recipient) => boolean): Promise<Recipient | null> {
  return deps.stores.recipients.update(id, change);
}

/**
 * Suppresses `channels` with the link reason. A channel already suppressed keeps its first reason and time,
 * so a repeated one-click POST leaves the same state and a hard bounce is not relabelled as an unsubscribe.
 */
export function unsubscribeChannels(deps: HttpDeps, id: string, channels: readonly ChannelName[], at: Date): Promise<Recipient | null> {
  return changeRecipient(deps, id, (r) => {
    const missing = channels.filter((c) => r.suppressed?.[c] === undefined);
    if (missing.length === 0) return false;
    r.suppressed = { ...r.suppressed };
    for (const c of missing) r.suppressed[c] = { reason: LINK_UNSUBSCRIBE_REASON, at: at.toISOString() };
    return true;
  });
}

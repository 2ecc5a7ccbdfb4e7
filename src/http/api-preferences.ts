import type { FastifyInstance } from 'fastify';
import { CHANNELS, type NotificationKind, type Preferences } from '../domain/types.js';
import type { HttpDeps } from './deps.js';
import { ApiError, parseInput } from './errors.js';
import { changeRecipient } from './pages/recipient-changes.js';
import { idParams, preferencesPatchSchema, type PreferencesPatch } from './schemas.js';

/**
 * Lays `patch` over `current` without touching what the patch does not name; `null` removes. A kind left
 * with no channel override is dropped entirely, so "no override" has one representation.
 */
export function mergePreferences(current: Preferences, patch: PreferencesPatch): Preferences {
  const next: Preferences = structuredClone(current);
  if (patch.channels) {
    const channels = { ...next.channels };
    for (const channel of CHANNELS) {
      const value = patch.channels[channel];
      if (value === null) delete channels[channel];
      else if (value !== undefined) channels[channel] = { enabled: value.enabled };
    }
    if (Object.keys(channels).length > 0) next.channels = channels;
    else delete next.channels;
  }
  if (patch.kinds) {
    const kinds = { ...next.kinds };
    for (const [kind, channels] of Object.entries(patch.kinds) as [NotificationKind, NonNullable<PreferencesPatch['kinds']>[NotificationKind]][]) {
      if (channels === undefined) continue;
      if (channels === null) {
        delete kinds[kind];
        continue;
      }
      const override = { ...kinds[kind] };
      for (const channel of CHANNELS) {
        const value = channels[channel];
        if (value === null) delete override[channel];
        else if (value !== undefined) override[channel] = value;
      }
      if (Object.keys(override).length > 0) kinds[kind] = override;
      else delete kinds[kind];
    }
    if (Object.keys(kinds).length > 0) next.kinds = kinds;
    else delete next.kinds;
  }
  if (patch.quietHours === null) delete next.quietHours;
  else if (patch.quietHours !== undefined) next.quietHours = { ...patch.quietHours };
  return next;
}

export function registerPreferenceRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.patch('/v1/recipients/:id/preferences', async (request) => {
    const { id } = parseInput(idParams, request.params, 'path');
    const patch = parseInput(preferencesPatchSchema, request.body, 'body');
    const updated = await changeRecipient(deps, id, (r) => {
      const merged = mergePreferences(r.preferences, patch);
      if (JSON.stringify(merged) === JSON.stringify(r.preferences)) return false;
      r.preferences = merged;
      return true;
    });
    if (!updated) throw new ApiError(404, 'not_found', `No recipient "${id}".`, [{ field: 'id', message: 'unknown' }]);
    return { recipientId: id, preferences: updated.preferences };
  });
}

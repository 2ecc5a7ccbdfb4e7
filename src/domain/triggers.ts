/**
 * Trigger keys and the at-most-once rule (SPEC rule 6): a key already in a shipment's `fired` list is
 * never produced again.
 */
import type { NotificationKind, Trigger } from './types.js';

/** Discriminator of kinds that happen once per shipment. */
export const ONCE = '-';

export function triggerKey(kind: NotificationKind, discriminator: string): string {
  return `${kind}:${discriminator}`;
}

export function makeTrigger(kind: NotificationKind, discriminator: string = ONCE): Trigger {
  return { kind, discriminator, key: triggerKey(kind, discriminator) };
}

/** Collects the triggers of one diff, skipping any key fired before or earlier in the same diff. */
export class TriggerCollector {
  readonly triggers: Trigger[] = [];
  private readonly seen: Set<string>;

  constructor(fired: readonly string[]) {
    this.seen = new Set(fired);
  }

  add(trigger: Trigger): void {
    if (this.seen.has(trigger.key)) return;
    this.seen.add(trigger.key);
    this.triggers.push(trigger);
  }

  has(kind: NotificationKind): boolean {
    return this.triggers.some((t) => t.kind === kind);
  }

  /** The shipment's `fired` list with this diff's keys appended. */
  firedAfter(fired: readonly string[]): string[] {
    return [...fired, ...this.triggers.map((t) => t.key)];
  }
}

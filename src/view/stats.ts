// Stats pane rows: every snmp/netstat/snmp6 counter with its delta and rate. Trouble counters that
// climbed in the last minute are marked and pinned at the top with their last climb, so RetransSegs is
// not row 62 of 403; `c` keeps the counters that changed within a window, so the list does not flicker.
import { counterDescription, isTroubleCounter } from '../model/counters.js';
import { CLIMB_WINDOW_MS, type Climb, type LiveView } from '../model/livestore.js';
import { escapeControl } from './escape.js';
import { type Comparator, type RowBase, sorted, type Toggles } from './rows.js';

export interface CounterRow extends RowBase {
  readonly group: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly value: bigint;
  readonly delta: bigint | undefined;
  readonly rate: number | undefined;
  readonly reset: boolean;
  readonly gauge: boolean;
  /** A trouble counter (retransmits, drops, errors...). */
  readonly trouble: boolean;
  /** A trouble counter that went up within the last CLIMB_WINDOW_MS: highlight and pin it. */
  readonly climbing: boolean;
  /** Its last climb (trouble counters), e.g. { delta: 92n, at }. */
  readonly lastClimb: Climb | undefined;
  /** Its recent climbs, newest last (for details). */
  readonly climbs: readonly Climb[];
  /** Wall time of its last change. */
  readonly changedAt: number | undefined;
}

/** What `c` keeps: counters that changed within this window (shown in the status bar). */
export const CHANGED_WINDOW_MS = 60_000;

export function counterRows(view: LiveView, t: Toggles): CounterRow[] {
  const rows: CounterRow[] = [];
  const now = view.snapshot.wallMs;
  for (const [group, values] of view.snapshot.counters) {
    const changes = view.diff?.counters.get(group);
    for (const [name, value] of values) {
      const c = changes?.get(name);
      const delta = c?.delta;
      const key = `${group}.${name}`;
      const activity = view.counters.get(key);
      const changedAt = activity?.changedAt;
      if (t.hideZero && value === 0n) continue;
      if (t.changedOnly && !(changedAt !== undefined && now - changedAt < CHANGED_WINDOW_MS)) continue;
      const trouble = isTroubleCounter(group, name);
      const lastClimb = trouble ? activity?.climbs.at(-1) : undefined;
      const description = counterDescription(group, name);
      rows.push({
        key,
        // Counter names come from the kernel's own header lines; escape them like any kernel text.
        group: escapeControl(group),
        name: escapeControl(name),
        description,
        value,
        delta,
        rate: c?.rate,
        reset: c?.reset ?? false,
        gauge: c?.gauge ?? false,
        trouble,
        climbing: lastClimb !== undefined && now - lastClimb.at < CLIMB_WINDOW_MS,
        lastClimb,
        climbs: activity?.climbs ?? [],
        changedAt,
        subject: { proto: group.toLowerCase(), text: [group, name, `${group}${name}`, description ?? ''] },
      });
    }
  }
  return rows;
}

const COUNTER_SORT: Record<string, Comparator<CounterRow>> = {
  group: () => 0, // snapshot order: netstat -s order
  name: (a, b) => a.name.localeCompare(b.name),
  value: (a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0),
  rate: (a, b) => (b.rate ?? -1) - (a.rate ?? -1),
};

export function sortCounters(
  rows: readonly CounterRow[],
  key: string,
  reverse: boolean,
): readonly CounterRow[] {
  const ordered = sorted(rows, COUNTER_SORT, key, reverse);
  // Pinned above any sort: trouble that climbed in the last minute, the latest climb first.
  const pinned = ordered.filter((r) => r.climbing);
  if (pinned.length === 0) return ordered;
  pinned.sort((a, b) => (b.lastClimb?.at ?? 0) - (a.lastClimb?.at ?? 0));
  return [...pinned, ...ordered.filter((r) => !r.climbing)];
}

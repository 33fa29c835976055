// Stats pane rows: every snmp/netstat/snmp6 counter with its delta and rate, trouble counters marked.
import { counterDescription, isTroubleCounter } from '../model/counters.js';
import type { LiveView } from '../model/livestore.js';
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
  /** A trouble counter that went up this tick: highlight it. */
  readonly climbing: boolean;
}

export function counterRows(view: LiveView, t: Toggles): CounterRow[] {
  const rows: CounterRow[] = [];
  for (const [group, values] of view.snapshot.counters) {
    const changes = view.diff?.counters.get(group);
    for (const [name, value] of values) {
      const c = changes?.get(name);
      const delta = c?.delta;
      if (t.hideZero && value === 0n) continue;
      if (t.changedOnly && !(delta !== undefined && delta !== 0n)) continue;
      const trouble = isTroubleCounter(group, name);
      const description = counterDescription(group, name);
      rows.push({
        key: `${group}.${name}`,
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
        climbing: trouble && delta !== undefined && delta > 0n,
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

export const sortCounters = (rows: readonly CounterRow[], key: string, reverse: boolean) =>
  sorted(rows, COUNTER_SORT, key, reverse);

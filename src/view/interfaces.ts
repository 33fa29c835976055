// Interfaces pane rows: netstat -i's counters with per-second rates and a bounded rate history; an
// interface that went down, came up, appeared or was deleted is marked for a minute (a deleted one stays
// listed that long, as a closed socket does).
import { type CounterChange, type DevField, interfaceKey } from '../model/diff.js';
import { type InterfaceChange, type LiveView, MARK_MS, seriesKey } from '../model/livestore.js';
import type { Interface } from '../model/types.js';
import { netstatIfaceFlags } from '../proc/sysnet.js';
import { escapeControl } from './escape.js';
import { historySamples } from './overview.js';
import { type Comparator, type Mark, type RowBase, sorted } from './rows.js';

export interface RateHistory {
  readonly rx: readonly (number | undefined)[];
  readonly tx: readonly (number | undefined)[];
}

export interface InterfaceRow extends RowBase {
  readonly name: string;
  readonly mtu: number | undefined;
  readonly flags: string;
  readonly operstate: string;
  readonly rxOk: bigint;
  readonly rxErr: bigint;
  readonly rxDrp: bigint;
  readonly rxOvr: bigint;
  readonly txOk: bigint;
  readonly txErr: bigint;
  readonly txDrp: bigint;
  readonly txOvr: bigint;
  /** Per-second rates; undefined on the first sample, after a reset, and for a new interface. */
  readonly rxBytesRate: number | undefined;
  readonly txBytesRate: number | undefined;
  readonly rxPacketsRate: number | undefined;
  readonly txPacketsRate: number | undefined;
  readonly errorsRate: number | undefined;
  readonly dropsRate: number | undefined;
  readonly history: RateHistory;
  /** '+' appeared, '-' deleted, '~' went up or down or changed MTU, within the last minute. */
  readonly mark: Mark;
  /** That change and when, e.g. { change: 'down', at }; undefined when none is recent. */
  readonly change: { readonly change: InterfaceChange; readonly at: number } | undefined;
  readonly loopback: boolean;
}

const MARKS: Record<InterfaceChange, Mark> = { new: '+', deleted: '-', up: '~', down: '~', mtu: '~' };

function sumRates(
  counters: ReadonlyMap<DevField, CounterChange> | undefined,
  fields: DevField[],
): number | undefined {
  if (!counters) return undefined;
  let total = 0;
  for (const f of fields) {
    const rate = counters.get(f)?.rate;
    if (rate === undefined) return undefined;
    total += rate;
  }
  return total;
}

export function interfaceRows(view: LiveView): InterfaceRow[] {
  const now = view.snapshot.wallMs;
  const samples = historySamples(view);
  const row = (i: Interface, deleted: boolean): InterfaceRow => {
    const key = interfaceKey(i);
    const d = deleted ? undefined : view.diff?.interfaces.get(key);
    const rate = (f: DevField) => d?.counters.get(f)?.rate;
    const name = escapeControl(i.name);
    const flags = netstatIfaceFlags(i.flags ?? 0, i.operstate);
    const mark = view.interfaceMarks.get(key);
    const change = mark && now - mark.at < MARK_MS ? mark : undefined;
    const operstate = deleted ? 'deleted' : escapeControl(i.operstate ?? '');
    return {
      key: deleted ? `${key} deleted` : key,
      name,
      mtu: i.mtu,
      flags,
      operstate,
      rxOk: i.rxPackets,
      rxErr: i.rxErrs,
      rxDrp: i.rxDrop,
      rxOvr: i.rxFifo,
      txOk: i.txPackets,
      txErr: i.txErrs,
      txDrp: i.txDrop,
      txOvr: i.txFifo,
      rxBytesRate: rate('rxBytes'),
      txBytesRate: rate('txBytes'),
      rxPacketsRate: rate('rxPackets'),
      txPacketsRate: rate('txPackets'),
      errorsRate: sumRates(d?.counters, ['rxErrs', 'txErrs']),
      dropsRate: sumRates(d?.counters, ['rxDrop', 'txDrop']),
      history: {
        rx: view.series(seriesKey.iface(key, 'rx'), samples),
        tx: view.series(seriesKey.iface(key, 'tx'), samples),
      },
      mark: deleted ? '-' : change ? MARKS[change.change] : ' ',
      change: deleted ? { change: 'deleted', at: change?.at ?? now } : change,
      loopback: i.name === 'lo' || (i.flags !== undefined && (i.flags & 0x8) !== 0),
      subject: { proto: 'iface', text: [name, flags, operstate, change?.change ?? ''] },
    };
  };
  const rows = view.snapshot.interfaces.map((i) => row(i, false));
  for (const r of view.removedInterfaces) rows.push(row(r.iface, true));
  return rows;
}

const IFACE_SORT: Record<string, Comparator<InterfaceRow>> = {
  name: (a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }),
  state: (a, b) => a.operstate.localeCompare(b.operstate),
  rx: (a, b) => (b.rxBytesRate ?? -1) - (a.rxBytesRate ?? -1),
  tx: (a, b) => (b.txBytesRate ?? -1) - (a.txBytesRate ?? -1),
  errors: (a, b) => (b.errorsRate ?? -1) + (b.dropsRate ?? 0) - ((a.errorsRate ?? -1) + (a.dropsRate ?? 0)),
};

export const sortInterfaces = (rows: readonly InterfaceRow[], key: string, reverse: boolean) =>
  sorted(rows, IFACE_SORT, key, reverse);

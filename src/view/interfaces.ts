// Interfaces pane rows: netstat -i's counters with per-second rates and a bounded rate history.
import { type CounterChange, type DevField, interfaceKey } from '../model/diff.js';
import type { LiveView, RateHistory } from '../model/livestore.js';
import { netstatIfaceFlags } from '../proc/sysnet.js';
import { escapeControl } from './escape.js';
import { type Comparator, type RowBase, sorted } from './rows.js';

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
}

const EMPTY_HISTORY: RateHistory = { rx: [], tx: [] };

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
  return view.snapshot.interfaces.map((i) => {
    const key = interfaceKey(i);
    const d = view.diff?.interfaces.get(key);
    const rate = (f: DevField) => d?.counters.get(f)?.rate;
    const name = escapeControl(i.name);
    const flags = netstatIfaceFlags(i.flags ?? 0, i.operstate);
    return {
      key,
      name,
      mtu: i.mtu,
      flags,
      operstate: escapeControl(i.operstate ?? ''),
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
      history: view.history.get(key) ?? EMPTY_HISTORY,
      subject: { proto: 'iface', text: [name, flags, i.operstate ?? ''] },
    };
  });
}

const IFACE_SORT: Record<string, Comparator<InterfaceRow>> = {
  name: (a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }),
  rx: (a, b) => (b.rxBytesRate ?? -1) - (a.rxBytesRate ?? -1),
  tx: (a, b) => (b.txBytesRate ?? -1) - (a.txBytesRate ?? -1),
  errors: (a, b) => (b.errorsRate ?? -1) + (b.dropsRate ?? 0) - ((a.errorsRate ?? -1) + (a.dropsRate ?? 0)),
};

export const sortInterfaces = (rows: readonly InterfaceRow[], key: string, reverse: boolean) =>
  sorted(rows, IFACE_SORT, key, reverse);

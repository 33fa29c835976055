import { useMemo } from 'react';
import { formatByteRate, formatClock, formatPerSecond } from '../src/view/format.js';
import { fitHistory } from '../src/view/overview.js';
import { seriesMax, sparkline } from '../src/view/sparkline.js';
import type { InterfaceRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export interface InterfacesPaneProps extends PaneProps<InterfaceRow> {
  /** Show rates in bits per second. */
  bits: boolean;
}

const SPARK = 14;

function changeText(r: InterfaceRow): string {
  return r.change ? `${r.change.change} ${formatClock(r.change.at)}` : '';
}

/** The sparkline columns share one scale each (the busiest interface sets it), shown in the header. */
function columns(bits: boolean, rxMax: number, txMax: number): Column<InterfaceRow>[] {
  const n = (v: bigint) => v.toString();
  const scale = (max: number) =>
    max > 0 ? `≤${formatByteRate(max, bits).replace(' ', '').replace('/s', '')}` : '';
  return [
    { key: 'name', header: 'Iface', get: (r) => r.name, min: 6, width: 10, flex: true, sortKey: 'name' },
    {
      key: 'state',
      header: 'State',
      get: (r) => r.operstate,
      width: 10,
      min: 10,
      priority: 9,
      sortKey: 'state',
    },
    {
      key: 'rxRate',
      header: 'RX/s',
      get: (r) => formatByteRate(r.rxBytesRate, bits),
      align: 'right',
      width: 12,
      min: 12,
      priority: 9,
      sortKey: 'rx',
    },
    {
      key: 'rxSpark',
      header: `RX ${scale(rxMax)}`,
      get: (r) => sparkline(fitHistory(r.history.rx, SPARK), SPARK, rxMax),
      width: SPARK,
      min: SPARK,
      priority: 6,
    },
    {
      key: 'txRate',
      header: 'TX/s',
      get: (r) => formatByteRate(r.txBytesRate, bits),
      align: 'right',
      width: 12,
      min: 12,
      priority: 9,
      sortKey: 'tx',
    },
    {
      key: 'txSpark',
      header: `TX ${scale(txMax)}`,
      get: (r) => sparkline(fitHistory(r.history.tx, SPARK), SPARK, txMax),
      width: SPARK,
      min: SPARK,
      priority: 6,
    },
    {
      key: 'errPs',
      header: 'Err/s',
      get: (r) => formatPerSecond(r.errorsRate),
      align: 'right',
      width: 6,
      min: 6,
      priority: 6,
      sortKey: 'errors',
    },
    {
      key: 'dropPs',
      header: 'Drop/s',
      get: (r) => formatPerSecond(r.dropsRate),
      align: 'right',
      width: 6,
      min: 6,
      priority: 6,
    },
    { key: 'change', header: 'Changed', get: changeText, width: 16, min: 16, priority: 5 },

    {
      key: 'rxPps',
      header: 'RXpk/s',
      get: (r) => formatPerSecond(r.rxPacketsRate),
      align: 'right',
      width: 7,
      min: 7,
      priority: 4,
    },
    {
      key: 'txPps',
      header: 'TXpk/s',
      get: (r) => formatPerSecond(r.txPacketsRate),
      align: 'right',
      width: 7,
      min: 7,
      priority: 4,
    },
    {
      key: 'mtu',
      header: 'MTU',
      get: (r) => (r.mtu === undefined ? '-' : String(r.mtu)),
      align: 'right',
      width: 5,
      min: 5,
      priority: 3,
    },
    { key: 'flg', header: 'Flg', get: (r) => r.flags, width: 5, min: 5, priority: 3 },
    { key: 'rxOk', header: 'RX-OK', get: (r) => n(r.rxOk), align: 'right', width: 10, min: 10, priority: 2 },
    { key: 'rxErr', header: 'RX-ERR', get: (r) => n(r.rxErr), align: 'right', width: 6, min: 6, priority: 2 },
    { key: 'rxDrp', header: 'RX-DRP', get: (r) => n(r.rxDrp), align: 'right', width: 6, min: 6, priority: 2 },
    { key: 'rxOvr', header: 'RX-OVR', get: (r) => n(r.rxOvr), align: 'right', width: 6, min: 6, priority: 1 },
    { key: 'txOk', header: 'TX-OK', get: (r) => n(r.txOk), align: 'right', width: 10, min: 10, priority: 2 },
    { key: 'txErr', header: 'TX-ERR', get: (r) => n(r.txErr), align: 'right', width: 6, min: 6, priority: 2 },
    { key: 'txDrp', header: 'TX-DRP', get: (r) => n(r.txDrp), align: 'right', width: 6, min: 6, priority: 2 },
    { key: 'txOvr', header: 'TX-OVR', get: (r) => n(r.txOvr), align: 'right', width: 6, min: 6, priority: 1 },
  ];
}

/** Columns of the pane, for ←/→ (uistate PANE_COLUMNS must match). */
export const INTERFACE_COLUMNS = columns(false, 0, 0).length;

function rowStyle(r: InterfaceRow) {
  if (r.mark === '-') return { mark: '-', color: 'red', dim: true };
  if (r.change?.change === 'down') return { mark: '~', color: 'red', bold: true };
  if ((r.errorsRate ?? 0) > 0 || (r.dropsRate ?? 0) > 0) return { mark: '!', color: 'red', bold: true };
  if (r.mark === '+') return { mark: '+', color: 'green' };
  if (r.mark === '~') return { mark: '~', color: 'yellow' };
  if (r.operstate === 'down') return { dim: true };
  return undefined;
}

const rowKey = (r: InterfaceRow) => r.key;

/** netstat -i columns plus state, live rates and a sparkline of recent RX/TX per interface. */
export function InterfacesPane(props: InterfacesPaneProps) {
  const { rows, bits } = props;
  const rxMax = useMemo(() => seriesMax(rows.map((r) => r.history.rx)), [rows]);
  const txMax = useMemo(() => seriesMax(rows.map((r) => r.history.tx)), [rows]);
  const cols = useMemo(() => columns(bits, rxMax, txMax), [bits, rxMax, txMax]);
  return <Table {...props} columns={cols} rowKey={rowKey} rowStyle={rowStyle} />;
}

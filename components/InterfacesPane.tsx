import { formatByteRate, formatPerSecond } from '../src/view/format.js';
import type { InterfaceRow } from '../src/view/viewmodel.js';
import { sparkline } from './Sparkline.js';
import { type Column, type PaneProps, Table } from './Table.js';

export interface InterfacesPaneProps extends PaneProps<InterfaceRow> {
  /** Show rates in bits per second. */
  bits: boolean;
}

const SPARK = 12;

function columns(bits: boolean): Column<InterfaceRow>[] {
  const n = (v: bigint) => v.toString();
  return [
    { key: 'name', header: 'Iface', get: (r) => r.name, min: 4, width: 10, priority: 10 },
    {
      key: 'rxRate',
      header: 'RX/s',
      get: (r) => formatByteRate(r.rxBytesRate, bits),
      align: 'right',
      width: 11,
      priority: 9,
    },
    {
      key: 'txRate',
      header: 'TX/s',
      get: (r) => formatByteRate(r.txBytesRate, bits),
      align: 'right',
      width: 11,
      priority: 9,
    },
    {
      key: 'rxPps',
      header: 'RXpk/s',
      get: (r) => formatPerSecond(r.rxPacketsRate),
      align: 'right',
      width: 7,
      priority: 5,
    },
    {
      key: 'txPps',
      header: 'TXpk/s',
      get: (r) => formatPerSecond(r.txPacketsRate),
      align: 'right',
      width: 7,
      priority: 5,
    },
    {
      key: 'errPs',
      header: 'Err/s',
      get: (r) => formatPerSecond(r.errorsRate),
      align: 'right',
      width: 6,
      priority: 6,
    },
    {
      key: 'dropPs',
      header: 'Drop/s',
      get: (r) => formatPerSecond(r.dropsRate),
      align: 'right',
      width: 6,
      priority: 6,
    },
    {
      key: 'rxSpark',
      header: 'RX history',
      get: (r) => sparkline(r.history.rx, SPARK),
      width: SPARK,
      priority: 4,
    },
    {
      key: 'txSpark',
      header: 'TX history',
      get: (r) => sparkline(r.history.tx, SPARK),
      width: SPARK,
      priority: 4,
    },
    {
      key: 'mtu',
      header: 'MTU',
      get: (r) => (r.mtu === undefined ? '-' : String(r.mtu)),
      align: 'right',
      width: 5,
      priority: 3,
    },
    { key: 'rxOk', header: 'RX-OK', get: (r) => n(r.rxOk), align: 'right', width: 10, priority: 2 },
    { key: 'rxErr', header: 'RX-ERR', get: (r) => n(r.rxErr), align: 'right', width: 6, priority: 2 },
    { key: 'rxDrp', header: 'RX-DRP', get: (r) => n(r.rxDrp), align: 'right', width: 6, priority: 2 },
    { key: 'rxOvr', header: 'RX-OVR', get: (r) => n(r.rxOvr), align: 'right', width: 6, priority: 1 },
    { key: 'txOk', header: 'TX-OK', get: (r) => n(r.txOk), align: 'right', width: 10, priority: 2 },
    { key: 'txErr', header: 'TX-ERR', get: (r) => n(r.txErr), align: 'right', width: 6, priority: 2 },
    { key: 'txDrp', header: 'TX-DRP', get: (r) => n(r.txDrp), align: 'right', width: 6, priority: 2 },
    { key: 'txOvr', header: 'TX-OVR', get: (r) => n(r.txOvr), align: 'right', width: 6, priority: 1 },
    { key: 'flg', header: 'Flg', get: (r) => r.flags, width: 5, priority: 3 },
  ];
}

function rowStyle(r: InterfaceRow) {
  if ((r.errorsRate ?? 0) > 0 || (r.dropsRate ?? 0) > 0) return { color: 'red', bold: true };
  if (r.operstate === 'down') return { dim: true };
  return undefined;
}

const rowKey = (r: InterfaceRow) => r.key;

/** netstat -i columns plus live rates and a sparkline of recent RX/TX per interface. */
export function InterfacesPane(props: InterfacesPaneProps) {
  return <Table {...props} columns={columns(props.bits)} rowKey={rowKey} rowStyle={rowStyle} />;
}

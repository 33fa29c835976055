import { useMemo } from 'react';
import { formatByteRate, formatDuration, formatPerSecond } from '../src/view/format.js';
import type { ConnectionRow, MetricsOf } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export interface ConnectionsPaneProps extends PaneProps<ConnectionRow> {
  /** Wall-clock now, for the age column. */
  now: number;
  /** tcp_info of this sample (RX/s, TX/s, RTT, Retr); without it those columns are not shown. */
  metrics?: MetricsOf;
  /** Bits per second instead of bytes (b). */
  bits?: boolean;
}

/** "12.3ms", "850us": an RTT in microseconds. */
export function rttText(us: number | undefined): string {
  if (us === undefined) return '';
  return us >= 10_000 ? `${Math.round(us / 1000)}ms` : us >= 1000 ? `${(us / 1000).toFixed(1)}ms` : `${us}us`;
}

function retrText(total: number | undefined, perSec: number | undefined): string {
  if (total === undefined) return '';
  return perSec !== undefined && perSec > 0 ? `${total} +${formatPerSecond(perSec)}/s` : String(total);
}

function metricColumns(metrics: MetricsOf, bits: boolean): Column<ConnectionRow>[] {
  return [
    {
      key: 'rx',
      header: 'RX/s',
      get: (r) => (metrics(r) ? formatByteRate(metrics(r)!.rxBps, bits) : ''),
      align: 'right',
      width: 11,
      min: 11,
      priority: 7,
      sortKey: 'rx',
    },
    {
      key: 'tx',
      header: 'TX/s',
      get: (r) => (metrics(r) ? formatByteRate(metrics(r)!.txBps, bits) : ''),
      align: 'right',
      width: 11,
      min: 11,
      priority: 7,
      sortKey: 'tx',
    },
    {
      key: 'rtt',
      header: 'RTT',
      get: (r) => rttText(metrics(r)?.rttUs),
      align: 'right',
      width: 7,
      min: 7,
      priority: 6,
      sortKey: 'rtt',
    },
    {
      key: 'retr',
      header: 'Retr',
      get: (r) => {
        const m = metrics(r);
        return m ? retrText(m.totalRetrans, m.retransPerSec) : '';
      },
      align: 'right',
      width: 12,
      min: 12,
      priority: 6,
      sortKey: 'retr',
    },
  ];
}

// Priorities (see fitColumns): at 80 columns the queues, user, inode, timer and age go and the addresses
// shrink before PID/Program would; at 60 the program goes before Foreign Address. Fixed-width columns
// have min = width: a cut protocol or state name ("udplit…") is worse than a dropped column.
function columns(now: number, metrics: MetricsOf | undefined, bits: boolean): Column<ConnectionRow>[] {
  const all: Column<ConnectionRow>[] = [
    { key: 'proto', header: 'Proto', get: (r) => r.proto, width: 8, min: 8, priority: 9, sortKey: 'proto' },
    {
      key: 'recvQ',
      header: 'Recv-Q',
      get: (r) => String(r.recvQ),
      align: 'right',
      width: 6,
      min: 6,
      priority: 3,
      sortKey: 'recvQ',
    },
    {
      key: 'sendQ',
      header: 'Send-Q',
      get: (r) => String(r.sendQ),
      align: 'right',
      width: 6,
      min: 6,
      priority: 3,
      sortKey: 'sendQ',
    },
    {
      key: 'local',
      header: 'Local Address',
      get: (r) => r.local,
      min: 16,
      width: 24,
      flex: true,
      priority: 10,
      sortKey: 'local',
    },
    {
      key: 'remote',
      header: 'Foreign Address',
      get: (r) => r.remote,
      min: 16,
      width: 24,
      flex: true,
      priority: 8,
      sortKey: 'remote',
    },
    { key: 'state', header: 'State', get: (r) => r.state, width: 11, min: 11, priority: 9, sortKey: 'state' },
    {
      key: 'program',
      header: 'PID/Program',
      get: (r) => r.program,
      min: 10,
      width: 20,
      flex: true,
      priority: 7,
      sortKey: 'pid',
    },
    { key: 'user', header: 'User', get: (r) => r.user, width: 8, min: 8, priority: 2 },
    {
      key: 'inode',
      header: 'Inode',
      get: (r) => (r.inode ? String(r.inode) : '-'),
      align: 'right',
      // Inodes are 32-bit: up to 10 digits, and a cut number is worse than a dropped column.
      width: 10,
      min: 10,
      priority: 1,
    },
    { key: 'timer', header: 'Timer', get: (r) => r.timer, width: 15, min: 15, priority: 1 },
    {
      key: 'age',
      header: 'Age',
      get: (r) => (r.firstSeen === undefined ? '' : formatDuration(now - r.firstSeen)),
      align: 'right',
      width: 6,
      min: 6,
      priority: 2,
      sortKey: 'age',
    },
  ];
  // The tcp_info figures go after PID/Program: at 120 columns RX/s and TX/s are shown, at 80 not.
  if (metrics) all.splice(all.findIndex((c) => c.key === 'program') + 1, 0, ...metricColumns(metrics, bits));
  return all;
}

/** Columns of the pane, with tcp_info, for ←/→ (uistate PANE_COLUMNS must match). */
export const CONNECTION_COLUMNS = columns(0, () => undefined, false).length;

const MARK_COLOURS = { '+': 'green', '-': 'red', '~': 'yellow' } as const;

function styleFor(metrics: MetricsOf | undefined) {
  return (r: ConnectionRow) => {
    if (r.mark === ' ') {
      // A connection that retransmitted in the last sample: the one behind a climbing RetransSegs.
      const m = metrics?.(r);
      if (m?.retransPerSec !== undefined && m.retransPerSec > 0) return { mark: '!', color: 'red' };
      return undefined;
    }
    return { mark: r.mark, color: MARK_COLOURS[r.mark], dim: r.mark === '-' };
  };
}

const rowKey = (r: ConnectionRow) => r.key;

/**
 * Every inet socket (and unix sockets when toggled), one line each; opened '+', closed '-', changed '~', a
 * connection retransmitting now '!'; with tcp_info, its throughput, RTT and retransmits.
 */
export function ConnectionsPane(props: ConnectionsPaneProps) {
  const { now, metrics, bits = false } = props;
  const cols = useMemo(() => columns(now, metrics, bits), [now, metrics, bits]);
  const rowStyle = useMemo(() => styleFor(metrics), [metrics]);
  return <Table {...props} columns={cols} rowKey={rowKey} rowStyle={rowStyle} />;
}

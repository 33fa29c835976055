import { Box, Text } from 'ink';
import { formatByteRate, formatPerSecond } from '../src/view/format.js';
import type { ProcessGroup, ProcessRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export interface ProcessesPaneProps extends PaneProps<ProcessRow> {
  /** What the rows are: processes, remote addresses or local services (t). */
  group: ProcessGroup;
  bits: boolean;
  /** The sample carries tcp_info; without it there are no byte rates at all. */
  tcpInfo: boolean;
}

const n = (v: number) => (v === 0 ? '' : String(v));
const pct = (v: number | undefined) => (v === undefined ? '' : `${Math.round(v * 100)}%`);

function columns(group: ProcessGroup, bits: boolean): Column<ProcessRow>[] {
  const label: Column<ProcessRow> =
    group === 'process'
      ? {
          key: 'label',
          header: 'Process',
          get: (r) => r.label,
          min: 12,
          width: 24,
          flex: true,
          sortKey: 'pid',
        }
      : {
          key: 'label',
          header: group === 'remote' ? 'Remote' : 'Service',
          get: (r) => r.label,
          min: 14,
          width: 28,
          flex: true,
          sortKey: 'name',
        };
  const who: Column<ProcessRow>[] =
    group === 'process'
      ? [{ key: 'user', header: 'User', get: (r) => r.user, width: 9, min: 9, priority: 3 }]
      : [{ key: 'pids', header: 'PIDs', get: (r) => r.pids.join(','), width: 14, min: 6, priority: 3 }];
  return [
    label,
    ...who,
    {
      key: 'listen',
      header: 'Listen',
      get: (r) => n(r.listeners),
      align: 'right',
      width: 6,
      min: 6,
      priority: 5,
      sortKey: 'listeners',
    },
    {
      key: 'estab',
      header: 'Estab',
      get: (r) => n(r.established),
      align: 'right',
      width: 6,
      min: 6,
      priority: 8,
      sortKey: 'conns',
    },
    { key: 'tw', header: 'TW', get: (r) => n(r.timeWait), align: 'right', width: 6, min: 6, priority: 2 },
    { key: 'cw', header: 'CW', get: (r) => n(r.closeWait), align: 'right', width: 5, min: 5, priority: 4 },
    { key: 'udp', header: 'UDP', get: (r) => n(r.udp), align: 'right', width: 5, min: 5, priority: 2 },
    { key: 'unix', header: 'Unix', get: (r) => n(r.unix), align: 'right', width: 5, min: 5, priority: 1 },
    {
      key: 'rx',
      header: 'RX/s',
      get: (r) => (r.rxBps === undefined ? '' : formatByteRate(r.rxBps, bits)),
      align: 'right',
      width: 11,
      min: 11,
      priority: 9,
      sortKey: 'rx',
    },
    {
      key: 'tx',
      header: 'TX/s',
      get: (r) => (r.txBps === undefined ? '' : formatByteRate(r.txBps, bits)),
      align: 'right',
      width: 11,
      min: 11,
      priority: 9,
      sortKey: 'tx',
    },
    {
      key: 'retr',
      header: 'Retr/s',
      get: (r) => (r.retransPerSec === undefined ? '' : formatPerSecond(r.retransPerSec)),
      align: 'right',
      width: 7,
      min: 7,
      priority: 7,
      sortKey: 'retr',
    },
    {
      key: 'share',
      header: 'Share',
      get: (r) => pct(r.share),
      align: 'right',
      width: 6,
      min: 6,
      priority: 6,
      sortKey: 'share',
    },
    { key: 'raw', header: 'Raw', get: (r) => n(r.raw), align: 'right', width: 4, min: 4, priority: 1 },
  ];
}

/** Columns of the pane (the widest grouping), for ←/→ (uistate PANE_COLUMNS must match). */
export const PROCESS_COLUMNS = columns('process', false).length;

function rowStyle(r: ProcessRow) {
  if (r.retransPerSec !== undefined && r.retransPerSec > 0) return { mark: '!', color: 'red' };
  if (r.closeWait > 0) return { mark: '~', color: 'yellow' };
  return undefined;
}

const rowKey = (r: ProcessRow) => r.key;

/**
 * One row per process holding sockets (or per remote address, or per local service, with t): listeners,
 * connections by state, and the sum of its TCP connections' throughput, retransmits and share of traffic.
 */
export function ProcessesPane(props: ProcessesPaneProps) {
  const { group, bits, tcpInfo, width, height, noColor } = props;
  const note = tcpInfo
    ? `by ${group === 'process' ? 'process' : group === 'remote' ? 'remote address' : 'local service'} (t)  ·  RX/TX from TCP tcp_info; UDP and raw sockets have no byte counters: counted only`
    : 'no per-connection byte counters (TCP read from /proc): sockets counted only';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end" dimColor={!noColor}>
        {` ${note}`.slice(0, Math.max(0, width))}
      </Text>
      <Table
        {...props}
        height={Math.max(1, height - 1)}
        columns={columns(group, bits)}
        rowKey={rowKey}
        rowStyle={rowStyle}
      />
    </Box>
  );
}

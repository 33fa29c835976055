import { formatDuration } from '../src/view/format.js';
import type { ConnectionRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export interface ConnectionsPaneProps extends PaneProps<ConnectionRow> {
  /** Wall-clock now, for the age column. */
  now: number;
}

// Priorities (see fitColumns): at 80 columns the queues, user, inode, timer and age go and the addresses
// shrink before PID/Program would; at 60 the program goes before Foreign Address. Fixed-width columns
// have min = width: a cut protocol or state name ("udplit…") is worse than a dropped column.
function columns(now: number): Column<ConnectionRow>[] {
  return [
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
}

/** Columns of the pane, for ←/→ (uistate PANE_COLUMNS must match). */
export const CONNECTION_COLUMNS = columns(0).length;

const MARK_COLOURS = { '+': 'green', '-': 'red', '~': 'yellow' } as const;

function rowStyle(r: ConnectionRow) {
  if (r.mark === ' ') return undefined;
  return { mark: r.mark, color: MARK_COLOURS[r.mark], dim: r.mark === '-' };
}

const rowKey = (r: ConnectionRow) => r.key;

/** Every inet socket (and unix sockets when toggled), one line each; opened '+', closed '-', changed '~'. */
export function ConnectionsPane(props: ConnectionsPaneProps) {
  return <Table {...props} columns={columns(props.now)} rowKey={rowKey} rowStyle={rowStyle} />;
}

import { formatDuration } from '../src/view/format.js';
import type { ConnectionRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export interface ConnectionsPaneProps extends PaneProps<ConnectionRow> {
  /** Wall-clock now, for the age column. */
  now: number;
}

function columns(now: number): Column<ConnectionRow>[] {
  return [
    { key: 'proto', header: 'Proto', get: (r) => r.proto, width: 6, priority: 9 },
    { key: 'recvQ', header: 'Recv-Q', get: (r) => String(r.recvQ), align: 'right', width: 6, priority: 3 },
    { key: 'sendQ', header: 'Send-Q', get: (r) => String(r.sendQ), align: 'right', width: 6, priority: 3 },
    {
      key: 'local',
      header: 'Local Address',
      get: (r) => r.local,
      min: 12,
      width: 24,
      flex: true,
      priority: 10,
    },
    {
      key: 'remote',
      header: 'Foreign Address',
      get: (r) => r.remote,
      min: 12,
      width: 24,
      flex: true,
      priority: 8,
    },
    { key: 'state', header: 'State', get: (r) => r.state, width: 11, priority: 9 },
    {
      key: 'program',
      header: 'PID/Program',
      get: (r) => r.program,
      min: 8,
      width: 20,
      flex: true,
      priority: 7,
    },
    { key: 'user', header: 'User', get: (r) => r.user, width: 8, priority: 2 },
    {
      key: 'inode',
      header: 'Inode',
      get: (r) => (r.inode ? String(r.inode) : '-'),
      align: 'right',
      // Inodes are 32-bit: up to 10 digits, and a cut number is worse than a dropped column.
      width: 10,
      priority: 1,
    },
    { key: 'timer', header: 'Timer', get: (r) => r.timer, width: 14, priority: 1 },
    {
      key: 'age',
      header: 'Age',
      get: (r) => (r.firstSeen === undefined ? '' : formatDuration(now - r.firstSeen)),
      align: 'right',
      width: 6,
      priority: 2,
    },
  ];
}

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

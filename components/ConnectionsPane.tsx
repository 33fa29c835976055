import { formatDuration } from '../src/format.js';
import type { ConnectionRow } from '../src/viewmodel.js';
import { type Column, Table } from './Table.js';

export interface ConnectionsPaneProps {
  /** Filtered, sorted rows. */
  rows: readonly ConnectionRow[];
  width: number;
  /** Lines available, header included. */
  height: number;
  selected: number;
  scrollTop: number;
  wide: boolean;
  noColor: boolean;
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
      width: 8,
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

/** Every inet socket (and unix sockets when toggled), one line each; opened '+', closed '-', changed '~'. */
export function ConnectionsPane(props: ConnectionsPaneProps) {
  return (
    <Table
      columns={columns(props.now)}
      rows={props.rows}
      width={props.width}
      height={props.height}
      selected={props.selected}
      scrollTop={props.scrollTop}
      wide={props.wide}
      noColor={props.noColor}
      rowKey={(r) => r.key}
      rowStyle={rowStyle}
    />
  );
}

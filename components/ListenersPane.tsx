import { formatClock } from '../src/view/format.js';
import type { ListenerRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export type ListenersPaneProps = PaneProps<ListenerRow>;

function statusText(r: ListenerRow): string {
  if (r.status === 'gone') return `gone ${r.since === undefined ? '' : formatClock(r.since)}`;
  if (r.status === 'new') return `new ${r.since === undefined ? '' : formatClock(r.since)}`;
  return '';
}

const COLUMNS: Column<ListenerRow>[] = [
  // Status first: at 20 columns "gone" must still be visible, it is the reason this pane exists.
  // Status and address carry no priority, so the table never drops them: on a narrow terminal they are
  // squeezed ("gone…", the address cut) while proto, program, user and inode go first.
  { key: 'status', header: 'Status', get: statusText, width: 13, min: 5 },
  { key: 'proto', header: 'Proto', get: (r) => r.proto, width: 7, priority: 8 },
  { key: 'local', header: 'Local Address', get: (r) => r.local, min: 10, width: 28, flex: true },
  {
    key: 'program',
    header: 'PID/Program',
    get: (r) => r.program,
    min: 8,
    width: 24,
    flex: true,
    priority: 7,
  },
  { key: 'user', header: 'User', get: (r) => r.user, width: 8, priority: 3 },
  {
    key: 'inode',
    header: 'Inode',
    get: (r) => (r.inode ? String(r.inode) : '-'),
    align: 'right',
    width: 8,
    priority: 1,
  },
];

function rowStyle(r: ListenerRow) {
  if (r.status === 'gone') return { mark: '-', color: 'red', bold: true };
  if (r.status === 'new') return { mark: '+', color: 'green' };
  return undefined;
}

const rowKey = (r: ListenerRow) => r.key;

/** Listening sockets with their owners; vanished ones stay, marked gone with the time, until acknowledged. */
export function ListenersPane(props: ListenersPaneProps) {
  return <Table {...props} columns={COLUMNS} rowKey={rowKey} rowStyle={rowStyle} />;
}

import { formatClock } from '../src/view/format.js';
import type { ListenerRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export type ListenersPaneProps = PaneProps<ListenerRow>;

function statusText(r: ListenerRow): string {
  const at = r.since === undefined ? '' : formatClock(r.since);
  if (r.status === 'gone') return `gone ${at}`;
  if (r.status === 'restarted') return `restarted ${at}`;
  if (r.status === 'new') return `new ${at}`;
  return '';
}

function queueText(r: ListenerRow): string {
  if (r.queue === undefined) return '-';
  if (r.overflows) return `FULL ${r.queue}/${r.backlog}`;
  if (r.socket.kind === 'inet' && r.socket.state === 'LISTEN')
    return r.backlog === undefined ? String(r.queue) : `${r.queue}/${r.backlog}`;
  return String(r.queue);
}

function programText(r: ListenerRow): string {
  const restart = r.restart;
  if (r.status !== 'restarted' || !restart) return r.program;
  return `${r.program} (was ${restart.beforePids.join(',') || '?'})`;
}

const COLUMNS: Column<ListenerRow>[] = [
  // Status first: at 20 columns "gone" must still be visible, it is the reason this pane exists.
  // Status and address carry no priority, so the table never drops them: on a narrow terminal they are
  // squeezed while user, inode, the queue, proto and program go first (the program last of those).
  { key: 'status', header: 'Status', get: statusText, width: 18, min: 5, sortKey: 'status' },
  { key: 'proto', header: 'Proto', get: (r) => r.proto, width: 8, min: 8, priority: 8, sortKey: 'proto' },
  {
    key: 'local',
    header: 'Local Address',
    get: (r) => r.local,
    min: 12,
    width: 28,
    flex: true,
    sortKey: 'local',
  },
  {
    key: 'queue',
    header: 'Accept',
    get: queueText,
    align: 'right',
    width: 12,
    min: 12,
    priority: 7,
    sortKey: 'queue',
  },
  {
    key: 'program',
    header: 'PID/Program',
    get: programText,
    min: 10,
    width: 24,
    flex: true,
    priority: 8,
    sortKey: 'pid',
  },
  { key: 'user', header: 'User', get: (r) => r.user, width: 8, min: 8, priority: 3 },
  {
    key: 'inode',
    header: 'Inode',
    get: (r) => (r.inode ? String(r.inode) : '-'),
    align: 'right',
    width: 10,
    min: 10,
    priority: 1,
  },
];

/** Columns of the pane, for ←/→ (uistate PANE_COLUMNS must match). */
export const LISTENER_COLUMNS = COLUMNS.length;

function rowStyle(r: ListenerRow) {
  if (r.status === 'gone') return { mark: '-', color: 'red', bold: true };
  if (r.status === 'restarted') return { mark: '~', color: 'yellow', bold: true };
  if (r.full) return { mark: '!', color: 'red' };
  if (r.status === 'new') return { mark: '+', color: 'green' };
  return undefined;
}

const rowKey = (r: ListenerRow) => r.key;

/**
 * Listening sockets with their owners and accept queues; vanished and restarted ones stay pinned on top,
 * marked with the time, until acknowledged; a full accept queue is marked '!'.
 */
export function ListenersPane(props: ListenersPaneProps) {
  return <Table {...props} columns={COLUMNS} rowKey={rowKey} rowStyle={rowStyle} />;
}

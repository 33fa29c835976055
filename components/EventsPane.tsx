import { formatClock, formatDuration } from '../src/view/format.js';
import type { EventRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export interface EventsPaneProps extends PaneProps<EventRow> {
  /** Wall-clock now, for "ago". */
  now: number;
}

function columns(now: number): Column<EventRow>[] {
  return [
    { key: 'time', header: 'Time', get: (r) => formatClock(r.event.time), width: 8, min: 8, sortKey: 'time' },
    {
      key: 'ago',
      header: 'Ago',
      get: (r) => formatDuration(now - r.event.time),
      align: 'right',
      width: 7,
      min: 7,
      priority: 3,
    },
    { key: 'kind', header: 'Kind', get: (r) => r.kind, width: 21, min: 13, priority: 9, sortKey: 'kind' },
    {
      key: 'object',
      header: 'Object',
      get: (r) => r.object,
      min: 12,
      width: 34,
      flex: true,
      sortKey: 'object',
    },
    { key: 'detail', header: 'Detail', get: (r) => r.detail, min: 12, width: 40, flex: true, priority: 8 },
  ];
}

/** Columns of the pane, for ←/→ (uistate PANE_COLUMNS must match). */
export const EVENT_COLUMNS = columns(0).length;

const BAD = new Set([
  'listener-gone',
  'iface-down',
  'iface-deleted',
  'counter-climbing',
  'conntrack-high',
  'state-high',
]);
const WARN = new Set([
  'listener-restarted',
  'listener-owner-exited',
  'route-removed',
  'route-changed',
  'owners-unreadable',
]);

function rowStyle(r: EventRow) {
  if (r.alerted || r.kind === 'alert') return { mark: '!', color: 'red', bold: true };
  if (BAD.has(r.kind)) return { mark: '-', color: 'red' };
  if (WARN.has(r.kind)) return { mark: '~', color: 'yellow' };
  return { mark: '+', color: 'green' };
}

const rowKey = (r: EventRow) => r.key;

/** Every change of the session, newest first; alerts marked '!'. Enter goes to the event's object. */
export function EventsPane(props: EventsPaneProps) {
  return <Table {...props} columns={columns(props.now)} rowKey={rowKey} rowStyle={rowStyle} />;
}

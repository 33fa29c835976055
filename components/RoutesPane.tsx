import type { RouteRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export type RoutesPaneProps = PaneProps<RouteRow>;

// The destination carries its prefix length (10.0.0.0/8), so a narrow terminal that drops Genmask still
// says which network a route is for.
const COLUMNS: Column<RouteRow>[] = [
  {
    key: 'destination',
    header: 'Destination',
    get: (r) => r.destination,
    min: 18,
    width: 30,
    flex: true,
    priority: 10,
    sortKey: 'destination',
  },
  {
    key: 'gateway',
    header: 'Gateway',
    get: (r) => r.gateway,
    min: 8,
    width: 26,
    flex: true,
    priority: 9,
    sortKey: 'gateway',
  },
  { key: 'genmask', header: 'Genmask', get: (r) => r.genmask, width: 15, min: 15, priority: 3 },
  { key: 'flags', header: 'Flags', get: (r) => r.flags, width: 5, min: 5, priority: 6 },
  {
    key: 'metric',
    header: 'Metric',
    get: (r) => String(r.metric),
    align: 'right',
    // 10: IPv6's unreachable routes carry 4294967295 (2^32-1), which a narrower column cut to "42949…".
    width: 10,
    min: 6,
    priority: 4,
    sortKey: 'metric',
  },
  { key: 'iface', header: 'Iface', get: (r) => r.iface, width: 10, min: 6, priority: 8, sortKey: 'iface' },
];

/** Columns of the pane, for ←/→ (uistate PANE_COLUMNS must match). */
export const ROUTE_COLUMNS = COLUMNS.length;

function rowStyle(r: RouteRow) {
  if (r.mark === '+') return { mark: '+', color: 'green' };
  if (r.mark === '-') return { mark: '-', color: 'red', dim: true };
  return undefined;
}

const rowKey = (r: RouteRow) => r.key;

/** IPv4 and IPv6 routes in netstat -r columns; added '+', removed '-'. */
export function RoutesPane(props: RoutesPaneProps) {
  return <Table {...props} columns={COLUMNS} rowKey={rowKey} rowStyle={rowStyle} />;
}

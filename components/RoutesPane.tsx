import type { RouteRow } from '../src/view/viewmodel.js';
import { type Column, type PaneProps, Table } from './Table.js';

export type RoutesPaneProps = PaneProps<RouteRow>;

const COLUMNS: Column<RouteRow>[] = [
  {
    key: 'destination',
    header: 'Destination',
    get: (r) => r.destination,
    min: 10,
    width: 30,
    flex: true,
    priority: 10,
  },
  { key: 'gateway', header: 'Gateway', get: (r) => r.gateway, min: 8, width: 26, flex: true, priority: 9 },
  { key: 'genmask', header: 'Genmask', get: (r) => r.genmask, width: 15, priority: 5 },
  { key: 'flags', header: 'Flags', get: (r) => r.flags, width: 5, priority: 6 },
  { key: 'metric', header: 'Metric', get: (r) => String(r.metric), align: 'right', width: 6, priority: 4 },
  { key: 'iface', header: 'Iface', get: (r) => r.iface, width: 10, priority: 8 },
];

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

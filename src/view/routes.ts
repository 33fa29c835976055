// Routes pane rows: the routing tables, with routes removed a tick ago marked '-'.
import { routeKey } from '../model/diff.js';
import type { LiveView } from '../model/livestore.js';
import type { Route } from '../model/types.js';
import { routeFlagsText } from '../proc/route.js';
import type { NameResolver } from '../sample/names.js';
import { escapeControl } from './escape.js';
import { type Comparator, type Mark, type RowBase, sorted, type Toggles } from './rows.js';

export interface RouteRow extends RowBase {
  readonly route: Route;
  readonly family: 4 | 6;
  readonly destination: string;
  readonly gateway: string;
  /** IPv4 dotted mask, IPv6 "/64". */
  readonly genmask: string;
  readonly flags: string;
  readonly metric: number;
  readonly iface: string;
  readonly mark: Mark;
}

function routeRow(r: Route, mark: Mark, t: Toggles, names: NameResolver | undefined): RouteRow {
  const resolve = (a: string) => escapeControl((!t.numeric && names?.host(a)) || a);
  const isDefault = r.prefixLength === 0;
  const destination = !t.numeric && isDefault ? 'default' : resolve(r.destination);
  const gateway = resolve(r.gateway);
  const genmask = r.family === 4 ? r.genmask : `/${r.prefixLength}`;
  const flags = routeFlagsText(r.flags, r.family);
  const iface = escapeControl(r.iface);
  return {
    // The diff's route key (events point at it), then whether this is the removed copy.
    key: `${routeKey(r)}${mark === '-' ? ' removed' : ''}`,
    route: r,
    family: r.family,
    destination: isDefault && !t.numeric ? destination : `${destination}/${r.prefixLength}`,
    gateway,
    genmask,
    flags,
    metric: r.metric,
    iface,
    mark,
    subject: {
      proto: r.family === 4 ? 'ipv4' : 'ipv6',
      localAddress: r.destination,
      remoteAddress: r.gateway,
      text: [destination, gateway, genmask, flags, String(r.metric), iface, r.destination, r.gateway],
    },
  };
}

export function routeRows(view: LiveView, t: Toggles, names?: NameResolver): RouteRow[] {
  const added = new Set(view.diff?.routesAdded);
  const rows = view.snapshot.routes.map((r) => routeRow(r, added.has(r) ? '+' : ' ', t, names));
  for (const r of view.removedRoutes) rows.push(routeRow(r.route, '-', t, names));
  return rows;
}

const ROUTE_SORT: Record<string, Comparator<RouteRow>> = {
  destination: (a, b) =>
    a.family - b.family || a.route.destination.localeCompare(b.route.destination, 'en', { numeric: true }),
  gateway: (a, b) => a.gateway.localeCompare(b.gateway, 'en', { numeric: true }),
  metric: (a, b) => a.metric - b.metric,
  iface: (a, b) => a.iface.localeCompare(b.iface, 'en', { numeric: true }),
};

export const sortRoutes = (rows: readonly RouteRow[], key: string, reverse: boolean) =>
  sorted(rows, ROUTE_SORT, key, reverse);

// One event model for "what changed, and when": listeners that appeared, vanished or restarted,
// interfaces that came, went, or changed state, routes added and removed, trouble counters that started
// climbing or went quiet. The store makes them from each diff (src/model/livestore.ts); the live view
// shows them (Overview, status), and outputs can stream them. Plain data, wall-clock times.
import type { ProcessInfo } from './types.js';

export type EventKind =
  | 'listener-new'
  | 'listener-gone'
  | 'listener-restarted'
  | 'listener-owner-exited'
  | 'iface-new'
  | 'iface-deleted'
  | 'iface-up'
  | 'iface-down'
  | 'iface-mtu'
  | 'iface-addr'
  | 'route-added'
  | 'route-removed'
  | 'route-changed'
  | 'counter-climbing'
  | 'counter-quiet'
  | 'conntrack-high'
  | 'conntrack-ok'
  | 'state-high'
  | 'state-ok'
  | 'owners-unreadable'
  /** A rate or state alert rule crossed its limit (src/model/alerts.ts). */
  | 'alert';

/** Every kind, for `kind:` in the filter and for the exporter's counter. */
export const EVENT_KINDS: readonly EventKind[] = [
  'listener-new',
  'listener-gone',
  'listener-restarted',
  'listener-owner-exited',
  'iface-new',
  'iface-deleted',
  'iface-up',
  'iface-down',
  'iface-mtu',
  'iface-addr',
  'route-added',
  'route-removed',
  'route-changed',
  'counter-climbing',
  'counter-quiet',
  'conntrack-high',
  'conntrack-ok',
  'state-high',
  'state-ok',
  'owners-unreadable',
  'alert',
];

/** Where the event was seen: a sample's diff, or a kernel notification between samples (rtnetlink). */
export type EventSource = 'sample' | 'netlink';

/** Which table an event's object lives in, and its key there, so the view can jump to it. */
export interface EventTarget {
  readonly table: 'listeners' | 'interfaces' | 'routes' | 'counters';
  readonly key: string;
}

export interface NetEvent {
  /** Increases by one per event over the store's life. */
  readonly id: number;
  /** Wall-clock ms of the sample that saw it. */
  readonly time: number;
  readonly kind: EventKind;
  /** What it happened to, as a person names it: "tcp 0.0.0.0:80", "eth0", "TcpExt.ListenOverflows". */
  readonly object: string;
  /** What changed, in a few words: "pid 812 → 907", "down 3.0s", "+42 in 12s". Raw host text: escape to print. */
  readonly detail: string;
  readonly target?: EventTarget;
  /** Default 'sample'. */
  readonly source?: EventSource;
}

/** Conntrack use that makes an event when crossed upwards (and a quiet one when back below the lower). */
export const CONNTRACK_LEVELS: readonly number[] = [0.8, 0.95];

/**
 * TCP states whose count piling up is news, with the count that makes an event (and half of it, back
 * below, the all-clear): CLOSE_WAIT is an application not closing its sockets, SYN_RECV a handshake flood
 * or an accept queue that does not drain.
 */
export const STATE_LEVELS: ReadonlyMap<string, number> = new Map([
  ['CLOSE_WAIT', 100],
  ['SYN_RECV', 100],
]);

/** Events the store keeps (the oldest go first). */
export const EVENT_LIMIT = 10_000;

/** The pids of `owners`, for "pid 812 → 907". */
export function pidsOf(owners: readonly ProcessInfo[] | undefined): number[] {
  if (!owners) return [];
  return [...new Set(owners.map((p) => p.pid))].sort((a, b) => a - b);
}

export function pidText(pids: readonly number[]): string {
  return pids.length === 0 ? '?' : pids.join(',');
}

/** Appends `more` to `events`, dropping the oldest beyond EVENT_LIMIT. A new array: views keep theirs. */
export function appendEvents(events: readonly NetEvent[], more: readonly NetEvent[]): readonly NetEvent[] {
  if (more.length === 0) return events;
  const all = events.concat(more);
  return all.length > EVENT_LIMIT ? all.slice(all.length - EVENT_LIMIT) : all;
}

// The diff of two snapshots: what opened, closed and changed, which listeners appeared or vanished,
// which routes came and went, and every counter's delta and per-second rate.
// Pure: no I/O, no clock reads — the elapsed time comes from the snapshots' own monotonic stamps.
import { isGauge } from './counters.js';
import type { DevCounters, InetSocket, Route, Snapshot, Socket } from './types.js';

export interface SocketChange {
  readonly before: Socket;
  readonly after: Socket;
}

/** A counter between two samples. No delta/rate on the first sample, for gauges, and on a reset. */
export interface CounterChange {
  readonly value: bigint;
  readonly previous?: bigint;
  /** next − previous, exact; undefined when there is no baseline, for gauges, or after a reset. */
  readonly delta?: bigint;
  /** delta per second; same rules as delta. */
  readonly rate?: number;
  /** The counter went down (wrap, module reload, namespace recreated): a new baseline, no rate this tick. */
  readonly reset: boolean;
  readonly gauge: boolean;
}

export type DevField = Exclude<keyof DevCounters, 'name'>;

export const DEV_FIELDS: readonly DevField[] = [
  'rxBytes',
  'rxPackets',
  'rxErrs',
  'rxDrop',
  'rxFifo',
  'rxFrame',
  'rxCompressed',
  'rxMulticast',
  'txBytes',
  'txPackets',
  'txErrs',
  'txDrop',
  'txFifo',
  'txColls',
  'txCarrier',
  'txCompressed',
];

export interface InterfaceDiff {
  readonly key: string;
  readonly name: string;
  readonly ifindex?: number;
  /** First time this name+ifindex is seen (new or recreated interface): counters carry no rate. */
  readonly baseline: boolean;
  readonly counters: ReadonlyMap<DevField, CounterChange>;
}

export interface SnapshotDiff {
  /** Monotonic time between the two samples. */
  readonly elapsedMs: number;
  readonly opened: readonly Socket[];
  readonly closed: readonly Socket[];
  /** Same socket, other state (including ESTABLISHED → TIME_WAIT, where the kernel drops the inode). */
  readonly changed: readonly SocketChange[];
  readonly listenersAppeared: readonly Socket[];
  readonly listenersVanished: readonly Socket[];
  /** Same protocol and local address, but none of the sockets is the same any more: the service restarted. */
  readonly listenersReplaced: readonly SocketChange[];
  readonly routesAdded: readonly Route[];
  readonly routesRemoved: readonly Route[];
  /** group → name → change, for every counter of snmp, netstat and snmp6. */
  readonly counters: ReadonlyMap<string, ReadonlyMap<string, CounterChange>>;
  /** By interface key (name#ifindex). */
  readonly interfaces: ReadonlyMap<string, InterfaceDiff>;
}

function endpointsKey(s: InetSocket): string {
  return `${s.proto} ${s.local.address} ${s.local.port} ${s.remote.address} ${s.remote.port}`;
}

/** Identity of a socket across samples: protocol + addresses + inode (unix: inode, which is unique). */
export function socketKey(s: Socket): string {
  return s.kind === 'unix' ? `unix ${s.inode}` : `${endpointsKey(s)} ${s.inode}`;
}

/** TCP LISTEN, bound unconnected UDP / UDP-Lite, listening unix sockets. */
export function isListener(s: Socket): boolean {
  if (s.kind === 'unix') return s.state === 'LISTENING';
  if (s.state === 'LISTEN') return true;
  return s.state === 'UNCONN' && s.local.port !== 0 && !s.proto.startsWith('raw');
}

/** What a user calls "the listener": protocol and local endpoint (or unix path), not the inode. */
export function listenerKey(s: Socket): string {
  if (s.kind === 'unix') return s.path ? `unix ${s.path}` : `unix #${s.inode}`;
  return `${s.proto} ${s.local.address} ${s.local.port}`;
}

export function routeKey(r: Route): string {
  return `${r.family} ${r.destination}/${r.prefixLength} ${r.gateway} ${r.iface} ${r.metric} ${r.source ?? ''}`;
}

export function interfaceKey(i: { name: string; ifindex?: number }): string {
  return `${i.name}#${i.ifindex ?? '?'}`;
}

/** One counter's change; `previous` undefined means no baseline. */
export function counterChange(
  previous: bigint | undefined,
  value: bigint,
  elapsedMs: number,
  gauge: boolean,
): CounterChange {
  if (gauge || previous === undefined) return { value, previous, reset: false, gauge };
  if (value < previous) return { value, previous, reset: true, gauge };
  const delta = value - previous;
  const rate = elapsedMs > 0 ? (Number(delta) * 1000) / elapsedMs : undefined;
  return { value, previous, delta, rate, reset: false, gauge };
}

function groupBy<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * Where two socket lists differ, by identity: the sampler reuses the row object of a line that did not change
 * and keeps kernel order, so the common head and tail settle most sockets with a pointer comparison each.
 * `[head, prevEnd)` and `[head, nextEnd)` are the parts left to match; all empty when nothing changed.
 */
function differingSpan(prev: readonly Socket[], next: readonly Socket[]) {
  const shorter = Math.min(prev.length, next.length);
  let head = 0;
  while (head < shorter && prev[head] === next[head]) head++;
  let prevEnd = prev.length;
  let nextEnd = next.length;
  while (prevEnd > head && nextEnd > head && prev[prevEnd - 1] === next[nextEnd - 1]) {
    prevEnd--;
    nextEnd--;
  }
  return { head, prevEnd, nextEnd, same: head === prevEnd && head === nextEnd };
}

type Span = ReturnType<typeof differingSpan>;

function diffSockets(prevAll: readonly Socket[], nextAll: readonly Socket[], span: Span) {
  if (span.same) return { opened: [], closed: [], changed: [] };
  // In step first: rows that changed in place (a TIME_WAIT timer ticking, a queue) leave every other row
  // where it was, so only the rows that differ at the same position are looked at; a row inserted or
  // removed puts the rest out of step, and those all go on. Identity then settles the unchanged sockets
  // among them without building a key string; only the remainder is matched by key. (Two TIME_WAIT rows
  // ticking 17,000 rows apart had made two 17,000-entry Sets a second.)
  const prevSpan: Socket[] = [];
  const nextSpan: Socket[] = [];
  const common = Math.min(span.prevEnd, span.nextEnd);
  for (let i = span.head; i < common; i++) {
    const a = prevAll[i]!;
    const b = nextAll[i]!;
    if (a === b) continue;
    prevSpan.push(a);
    nextSpan.push(b);
  }
  for (let i = common; i < span.prevEnd; i++) prevSpan.push(prevAll[i]!);
  for (let i = common; i < span.nextEnd; i++) nextSpan.push(nextAll[i]!);
  const prevSet = new Set(prevSpan);
  const nextSet = new Set(nextSpan);
  const prev = prevSpan.filter((s) => !nextSet.has(s));
  const next = nextSpan.filter((s) => !prevSet.has(s));
  const before = new Map<string, Socket>();
  for (const s of prev) before.set(socketKey(s), s);
  const seen = new Set<string>();
  const opened: Socket[] = [];
  const changed: SocketChange[] = [];
  for (const s of next) {
    const key = socketKey(s);
    seen.add(key);
    const old = before.get(key);
    if (!old) opened.push(s);
    else if (old.state !== s.state) changed.push({ before: old, after: s });
  }
  let closed: Socket[] = [];
  for (const [key, s] of before) if (!seen.has(key)) closed.push(s);

  // A TCP socket that enters TIME_WAIT becomes a kernel mini-socket with inode 0, so its key changes.
  // Pair such closed/opened rows by their endpoints so the user sees one state change, not a close and an open.
  const openedTimewait = new Map<string, Socket>();
  for (const s of opened) if (s.kind === 'inet' && s.inode === 0) openedTimewait.set(endpointsKey(s), s);
  if (openedTimewait.size > 0 && closed.length > 0) {
    const paired = new Set<Socket>();
    closed = closed.filter((s) => {
      if (s.kind !== 'inet' || s.inode === 0) return true;
      const match = openedTimewait.get(endpointsKey(s));
      if (!match || paired.has(match)) return true;
      paired.add(match);
      changed.push({ before: s, after: match });
      return false;
    });
    if (paired.size > 0) {
      const rest = opened.filter((s) => !paired.has(s));
      opened.length = 0;
      opened.push(...rest);
    }
  }
  return { opened, closed, changed };
}

function diffListeners(prev: readonly Socket[], next: readonly Socket[], span: Span) {
  if (span.same) return { appeared: [], vanished: [], replaced: [] };
  const before = groupBy(prev.filter(isListener), listenerKey);
  const after = groupBy(next.filter(isListener), listenerKey);
  const appeared: Socket[] = [];
  const vanished: Socket[] = [];
  const replaced: SocketChange[] = [];
  for (const [key, sockets] of after) {
    const old = before.get(key);
    if (!old) {
      appeared.push(sockets[0]!);
      continue;
    }
    const oldInodes = new Set(old.map((s) => s.inode));
    if (!sockets.some((s) => oldInodes.has(s.inode))) replaced.push({ before: old[0]!, after: sockets[0]! });
  }
  for (const [key, sockets] of before) if (!after.has(key)) vanished.push(sockets[0]!);
  return { appeared, vanished, replaced };
}

function diffRoutes(prev: readonly Route[], next: readonly Route[]) {
  const before = new Set(prev.map(routeKey));
  const after = new Set(next.map(routeKey));
  return {
    added: next.filter((r) => !before.has(routeKey(r))),
    removed: prev.filter((r) => !after.has(routeKey(r))),
  };
}

function diffCounters(prev: Snapshot, next: Snapshot, elapsedMs: number) {
  const out = new Map<string, Map<string, CounterChange>>();
  for (const [group, values] of next.counters) {
    const old = prev.counters.get(group);
    const changes = new Map<string, CounterChange>();
    for (const [name, value] of values) {
      changes.set(name, counterChange(old?.get(name), value, elapsedMs, isGauge(group, name)));
    }
    out.set(group, changes);
  }
  return out;
}

function diffInterfaces(prev: Snapshot, next: Snapshot, elapsedMs: number) {
  const before = new Map(prev.interfaces.map((i) => [interfaceKey(i), i]));
  const out = new Map<string, InterfaceDiff>();
  for (const iface of next.interfaces) {
    const key = interfaceKey(iface);
    const old = before.get(key);
    const counters = new Map<DevField, CounterChange>();
    for (const field of DEV_FIELDS)
      counters.set(field, counterChange(old?.[field], iface[field], elapsedMs, false));
    out.set(key, { key, name: iface.name, ifindex: iface.ifindex, baseline: !old, counters });
  }
  return out;
}

export function diffSnapshots(prev: Snapshot, next: Snapshot): SnapshotDiff {
  const elapsedMs = next.monoMs - prev.monoMs;
  const span = differingSpan(prev.sockets, next.sockets);
  const sockets = diffSockets(prev.sockets, next.sockets, span);
  const listeners = diffListeners(prev.sockets, next.sockets, span);
  const routes = diffRoutes(prev.routes, next.routes);
  return {
    elapsedMs,
    opened: sockets.opened,
    closed: sockets.closed,
    changed: sockets.changed,
    listenersAppeared: listeners.appeared,
    listenersVanished: listeners.vanished,
    listenersReplaced: listeners.replaced,
    routesAdded: routes.added,
    routesRemoved: routes.removed,
    counters: diffCounters(prev, next, elapsedMs),
    interfaces: diffInterfaces(prev, next, elapsedMs),
  };
}

// The live view's store: follows a sample source and keeps what a single diff cannot know — listeners
// that vanished (until acknowledged), appeared (for a minute) or restarted (until acknowledged), sockets
// and routes that closed a tick or two ago, interfaces that went down, up or away, when each socket was
// first seen, when each counter last climbed, a bounded history of every rate, and the events of the
// session. Pausing freezes what is shown while sampling goes on underneath (bottom's habit), so a listener
// that vanishes during a pause is still reported when the display resumes.

import { AlertEngine, type AlertFiring, type AlertRule } from './alerts.js';
import { isTroubleCounter } from './counters.js';
import {
  type CounterChange,
  type InterfaceDiff,
  interfaceKey,
  isListener,
  listenerKey,
  routeKey,
  type SnapshotDiff,
  socketKey,
} from './diff.js';
import {
  appendEvents,
  CONNTRACK_LEVELS,
  EVENT_LIMIT,
  type NetEvent,
  pidsOf,
  pidText,
  STATE_LEVELS,
} from './events.js';
import { type LinkNotice, operstateName } from './notices.js';
import { SeriesRing } from './series.js';
import { pinTcpInfo } from './tcpinfo.js';
import type { Interface, OwnerMap, ProcessInfo, Route, Snapshot, Socket } from './types.js';

/** What subscribers see: the newest snapshot and its diff against the one before (none on the first). */
export interface SamplerState {
  readonly snapshot: Snapshot;
  readonly diff: SnapshotDiff | undefined;
  /** Increases by one per published sample. */
  readonly seq: number;
}

/** What the store needs of a sampler (src/sample/sampler.ts Sampler is one): the model imports no sampling code. */
export interface SampleSource {
  getState(): SamplerState | undefined;
  subscribe(listener: () => void): () => void;
}

/** How many ticks a closed socket or removed route stays on screen, marked '-'. */
export const CLOSED_TICKS = 2;
/** How long a `new` listener mark, an interface change or a deleted interface stays on screen. */
export const MARK_MS = 60_000;
/** How long a trouble counter that climbed stays marked '!' ("climbed in the last minute"). */
export const CLIMB_WINDOW_MS = 60_000;
/** Climbs kept per counter for its details. */
export const CLIMBS_KEPT = 8;

export interface GoneListener {
  readonly key: string;
  readonly socket: Socket;
  readonly owners: readonly ProcessInfo[];
  readonly vanishedAt: number;
}

/** A listener whose sockets were all replaced (or that came back after vanishing): a restart. */
export interface RestartedListener {
  readonly key: string;
  readonly at: number;
  readonly beforePids: readonly number[];
  readonly afterPids: readonly number[];
  /** How long it was gone, when it vanished in one sample and came back in a later one. */
  readonly downMs?: number;
}

export interface ClosedSocket {
  readonly key: string;
  readonly socket: Socket;
  readonly owners: readonly ProcessInfo[];
  readonly closedSeq: number;
}

export interface RemovedRoute {
  readonly key: string;
  readonly route: Route;
  readonly removedSeq: number;
}

export type InterfaceChange = 'new' | 'up' | 'down' | 'mtu' | 'deleted';

export interface InterfaceMark {
  readonly change: InterfaceChange;
  readonly at: number;
}

export interface RemovedInterface {
  readonly key: string;
  readonly iface: Interface;
  readonly at: number;
}

export interface Climb {
  readonly at: number;
  readonly delta: bigint;
}

/** What the store knows of one counter beyond its value: when it changed and when it climbed. */
export interface CounterActivity {
  /** Wall time of the last sample with a non-zero delta. */
  readonly changedAt?: number;
  /** Trouble counters only: the last climbs, newest last. */
  readonly climbs: readonly Climb[];
  /** Trouble counters only: since when it has been climbing (no quiet minute since), and by how much. */
  readonly climbingSince?: number;
  readonly climbTotal: bigint;
}

export interface LiveView {
  readonly seq: number;
  readonly snapshot: Snapshot;
  readonly diff: SnapshotDiff | undefined;
  /** Vanished listeners not yet acknowledged, oldest first. */
  readonly gone: readonly GoneListener[];
  /** Listener keys that appeared after start, within the last MARK_MS and not acknowledged → when. */
  readonly appeared: ReadonlyMap<string, number>;
  /** Listener keys restarted and not yet acknowledged. */
  readonly restarted: ReadonlyMap<string, RestartedListener>;
  /** Sockets closed within the last CLOSED_TICKS ticks. */
  readonly closed: readonly ClosedSocket[];
  readonly removedRoutes: readonly RemovedRoute[];
  /** Interface key → its last change within MARK_MS. */
  readonly interfaceMarks: ReadonlyMap<string, InterfaceMark>;
  /** Interfaces deleted within MARK_MS, still shown. */
  readonly removedInterfaces: readonly RemovedInterface[];
  /** "group.name" → activity, for counters that ever changed. */
  readonly counters: ReadonlyMap<string, CounterActivity>;
  /** Events of the session, oldest first (bounded, see EVENT_LIMIT). */
  readonly events: readonly NetEvent[];
  /** Ids of the events an alert rule fired on (highlighted). */
  readonly alerted: ReadonlySet<number>;
  /** Wall time when netwatch started: sockets first seen in the first sample existed "since before". */
  readonly startedAt: number;
  /** Wall time a socket key was first seen, or undefined when it predates netwatch. */
  readonly firstSeen: (key: string) => number | undefined;
  /**
   * The last `n` samples of a rate series up to this view's sample, oldest first (undefined: no value).
   * Keys: seriesKey.counter(group, name), seriesKey.iface(key, 'rx' | 'tx'), seriesKey.total('rx' | 'tx').
   */
  readonly series: (key: string, n: number) => (number | undefined)[];
  readonly paused: boolean;
}

export const seriesKey = {
  counter: (group: string, name: string) => `c ${group}.${name}`,
  iface: (key: string, dir: 'rx' | 'tx') => `i ${key} ${dir}`,
  /** All interfaces but loopback. */
  total: (dir: 'rx' | 'tx') => `t ${dir}`,
} as const;

export interface LiveStoreOptions {
  /** Called with the listeners that vanished in a tick (for --bell). */
  readonly onVanished?: (gone: readonly GoneListener[]) => void;
  /** Called with each sample's new events (alert events included). */
  readonly onEvents?: (events: readonly NetEvent[]) => void;
  /** `--alert` rules, evaluated on every sample. */
  readonly alerts?: readonly AlertRule[];
  /** Called with each sample's firings (for the bell and --on-alert). */
  readonly onAlerts?: (firings: readonly AlertFiring[]) => void;
}

/** "tcp 0.0.0.0:80", "tcp6 [::]:22", "unix /run/app.sock": a listener as a person names it. */
export function listenerName(s: Socket): string {
  if (s.kind === 'unix') return `unix ${s.path || `#${s.inode}`}`;
  const host = s.local.address.includes(':') ? `[${s.local.address}]` : s.local.address;
  return `${s.proto} ${host}:${s.local.port}`;
}

function ifaceRate(i: InterfaceDiff, field: 'rxBytes' | 'txBytes'): number | undefined {
  return i.counters.get(field)?.rate;
}

const NO_OWNERS: readonly ProcessInfo[] = [];
const NO_ACTIVITY: CounterActivity = { climbs: [], climbTotal: 0n };

function operUp(i: Interface): boolean {
  // The flags file's IFF_UP is what `ip link set down` clears; operstate says whether the link carries.
  const adminUp = i.flags === undefined || (i.flags & 1) !== 0;
  return adminUp && i.operstate !== 'down' && i.operstate !== 'lowerlayerdown';
}

export class LiveStore {
  private readonly listeners = new Set<() => void>();
  private readonly firstSeenMap = new Map<string, number>();
  private gone = new Map<string, GoneListener>();
  private appeared = new Map<string, number>();
  private restarted = new Map<string, RestartedListener>();
  private closed: ClosedSocket[] = [];
  private removedRoutes: RemovedRoute[] = [];
  private interfaceMarks = new Map<string, InterfaceMark>();
  private removedInterfaces: RemovedInterface[] = [];
  private activity = new Map<string, CounterActivity>();
  private events: readonly NetEvent[] = [];
  private conntrackLevel = 0;
  /** Links as the notifications left them (ifindex → state), and what was said since the last sample. */
  private readonly links = new Map<number, { name: string; up: boolean; mtu: number | undefined }>();
  private notified = new Set<string>();
  private readonly alertEngine: AlertEngine | undefined;
  private alerted: ReadonlySet<number> = new Set();
  private stateCounts: Map<string, number> | undefined;
  private readonly statesHigh = new Set<string>();
  private toldUnreadable = false;
  private nextEventId = 1;
  private readonly rings = new Map<string, SeriesRing>();
  private latest: LiveView | undefined;
  private shown: LiveView | undefined;
  private paused = false;
  private startedAt: number | undefined;
  private readonly firstSeen = (key: string) => this.firstSeenMap.get(key);

  constructor(
    private readonly source: SampleSource,
    private readonly opts: LiveStoreOptions = {},
  ) {
    if (opts.alerts && opts.alerts.length > 0) this.alertEngine = new AlertEngine(opts.alerts);
  }

  /**
   * Kernel notifications (rtnetlink) between samples: links going down or up, changing MTU, appearing or
   * going; addresses; routes. Each becomes an event at once (source 'netlink'), and the next sample does
   * not report the same change again.
   */
  notify(notices: readonly LinkNotice[], wallMs: number): void {
    const fresh: NetEvent[] = [];
    const snapshot = this.latest?.snapshot;
    const nameOf = (ifindex: number | undefined, given?: string) =>
      given ??
      this.links.get(ifindex ?? -1)?.name ??
      snapshot?.interfaces.find((i) => i.ifindex === ifindex)?.name ??
      `if${ifindex}`;
    const say = (e: Omit<NetEvent, 'id' | 'source' | 'time'>) => {
      const key = `${e.kind} ${e.object}`;
      this.notified.add(key);
      this.event(fresh, { ...e, time: wallMs, source: 'netlink' });
    };
    for (const n of notices) {
      // Dropped notices: nothing to say yet, the next sample is the truth.
      if (n.type === 'overrun') continue;
      if (n.type === 'link' || n.type === 'link-deleted') {
        const name = nameOf(n.ifindex, n.name);
        const ifKey = interfaceKey({ name, ifindex: n.ifindex });
        const target = { table: 'interfaces' as const, key: ifKey };
        const was = this.links.get(n.ifindex) ?? this.linkFromSample(n.ifindex);
        const up =
          (n.flags === undefined || (n.flags & 1) !== 0) &&
          (n.operstate === undefined || n.operstate === 6 || n.operstate === 0);
        const mark = (change: InterfaceChange) => {
          this.interfaceMarks = new Map(this.interfaceMarks).set(ifKey, { change, at: wallMs });
        };
        if (n.type === 'link-deleted') {
          this.links.delete(n.ifindex);
          if (was) {
            mark('deleted');
            say({ kind: 'iface-deleted', object: name, detail: 'deleted', target });
          }
          continue;
        }
        const state = `${(n.flags ?? 1) & 1 ? 'up' : 'down (admin)'}${n.operstate !== undefined && n.operstate !== 6 && n.operstate !== 0 && (n.flags ?? 1) & 1 ? ` no carrier (${operstateName(n.operstate)})` : ''}`;
        this.links.set(n.ifindex, { name, up, mtu: n.mtu });
        if (!was) {
          if (this.latest) {
            mark('new');
            say({ kind: 'iface-new', object: name, detail: state, target });
          }
          continue;
        }
        if (was.up !== up) {
          mark(up ? 'up' : 'down');
          say({
            kind: up ? 'iface-up' : 'iface-down',
            object: name,
            detail: up ? 'up' : state.replace(/^up /, ''),
            target,
          });
        } else if (n.mtu !== undefined && was.mtu !== undefined && was.mtu !== n.mtu) {
          mark('mtu');
          say({ kind: 'iface-mtu', object: name, detail: `mtu ${was.mtu} → ${n.mtu}`, target });
        }
        continue;
      }
      if (n.type === 'address' || n.type === 'address-deleted') {
        if (!n.address) continue;
        const name = nameOf(n.ifindex, n.name);
        say({
          kind: 'iface-addr',
          object: name,
          detail: `${n.type === 'address' ? '+' : '-'}${n.address}/${n.prefixLength}`,
          target: { table: 'interfaces', key: interfaceKey({ name, ifindex: n.ifindex }) },
        });
        continue;
      }
      if (n.type !== 'route' && n.type !== 'route-deleted') continue;
      const dest =
        n.prefixLength === 0
          ? 'default'
          : `${n.destination ?? (n.family === 6 ? '::' : '0.0.0.0')}/${n.prefixLength}`;
      const object = `${dest} dev ${nameOf(n.ifindex)}`;
      const via = n.gateway ? `via ${n.gateway} ` : '';
      say({
        kind: n.type === 'route' ? 'route-added' : 'route-removed',
        object,
        detail: `${via}metric ${n.metric ?? 0}`,
      });
    }
    if (fresh.length === 0) return;
    this.events = appendEvents(this.events, fresh);
    this.opts.onEvents?.(fresh);
    const firings = this.alertEngine
      ? this.fireAlerts(this.latest?.snapshot ?? EMPTY_SNAPSHOT(wallMs), undefined, fresh)
      : [];
    if (firings.length > 0) this.opts.onAlerts?.(firings);
    if (this.latest) {
      this.latest = {
        ...this.latest,
        events: this.events,
        alerted: this.alerted,
        interfaceMarks: this.interfaceMarks,
      };
      if (!this.paused) this.publish(this.latest);
    }
  }

  private linkFromSample(
    ifindex: number,
  ): { name: string; up: boolean; mtu: number | undefined } | undefined {
    const i = this.latest?.snapshot.interfaces.find((x) => x.ifindex === ifindex);
    return i ? { name: i.name, up: operUp(i), mtu: i.mtu } : undefined;
  }

  /** Runs the alert rules on this sample; their own events join `fresh`, and the events they fired on are marked. */
  private fireAlerts(snapshot: Snapshot, diff: SnapshotDiff | undefined, fresh: NetEvent[]): AlertFiring[] {
    const engine = this.alertEngine!;
    let counts: Map<string, number> | undefined;
    const stateCount = (state: string) => {
      if (!counts) {
        counts = new Map();
        for (const s of snapshot.sockets)
          if (s.kind === 'inet' && (s.proto === 'tcp' || s.proto === 'tcp6'))
            counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
      }
      return counts.get(state) ?? 0;
    };
    const rateOf = (group: string, name: string) => diff?.counters.get(group)?.get(name)?.rate;
    const firings = engine.evaluate(snapshot, [...fresh], rateOf, stateCount, () => this.nextEventId++);
    if (firings.length === 0) return firings;
    const alerted = new Set(this.alerted);
    for (const f of firings) {
      if (f.event.kind === 'alert') fresh.push(f.event);
      alerted.add(f.event.id);
    }
    // Bounded like the events: ids older than the kept events are dropped.
    const oldest = fresh[0]?.id ?? 0;
    if (alerted.size > 2 * EVENT_LIMIT)
      for (const id of alerted) if (id < oldest - EVENT_LIMIT) alerted.delete(id);
    this.alerted = alerted;
    return firings;
  }

  /** Start following the source; returns the unsubscribe function. */
  attach(): () => void {
    const existing = this.source.getState();
    if (existing) this.ingest(existing);
    return this.source.subscribe(() => {
      const state = this.source.getState();
      if (state) this.ingest(state);
    });
  }

  /** Feed one sampler state (the sampler calls this through attach; tests may call it directly). */
  ingest(state: SamplerState): void {
    const { snapshot, diff, seq } = state;
    this.startedAt ??= snapshot.wallMs;
    const fresh: NetEvent[] = [];
    if (diff) this.track(diff, snapshot, seq, fresh);
    this.observeLevels(snapshot, diff, fresh);
    const firings = this.alertEngine ? this.fireAlerts(snapshot, diff, fresh) : [];
    this.expire(snapshot.wallMs);
    this.recordSeries(diff, snapshot, seq);
    this.events = appendEvents(this.events, fresh);
    this.notified = new Set();
    // The sample is the truth about links: notices start again from it.
    this.links.clear();
    for (const i of snapshot.interfaces)
      if (i.ifindex !== undefined) this.links.set(i.ifindex, { name: i.name, up: operUp(i), mtu: i.mtu });
    this.latest = this.viewOf(snapshot, diff, seq);
    if (fresh.length > 0) this.opts.onEvents?.(fresh);
    if (firings.length > 0) this.opts.onAlerts?.(firings);
    if (!this.paused) this.publish(this.latest);
  }

  private viewOf(snapshot: Snapshot, diff: SnapshotDiff | undefined, seq: number): LiveView {
    return {
      seq,
      snapshot,
      diff,
      gone: [...this.gone.values()],
      appeared: new Map(this.appeared),
      restarted: new Map(this.restarted),
      closed: this.closed,
      removedRoutes: this.removedRoutes,
      interfaceMarks: this.interfaceMarks,
      removedInterfaces: this.removedInterfaces,
      counters: this.activity,
      events: this.events,
      alerted: this.alerted,
      startedAt: this.startedAt ?? snapshot.wallMs,
      firstSeen: this.firstSeen,
      series: (key, n) => this.rings.get(key)?.window(seq, n) ?? new Array(Math.max(0, n)).fill(undefined),
      paused: false,
    };
  }

  private event(fresh: NetEvent[], e: Omit<NetEvent, 'id'>): void {
    // A change a kernel notice already reported since the last sample is not reported twice.
    if (e.source === undefined && this.notified.has(`${e.kind} ${e.object}`)) return;
    fresh.push({ id: this.nextEventId++, ...e });
  }

  /** Conntrack level, piling-up states, and the owner scan's blind spots: conditions, checked every sample. */
  private observeLevels(snapshot: Snapshot, diff: SnapshotDiff | undefined, fresh: NetEvent[]): void {
    const now = snapshot.wallMs;
    const use = snapshot.conntrackUse;
    if (use && use.max > 0) {
      const ratio = use.count / use.max;
      let level = 0;
      for (const l of CONNTRACK_LEVELS) if (ratio >= l) level = l;
      if (level > this.conntrackLevel) {
        this.event(fresh, {
          time: now,
          kind: 'conntrack-high',
          object: 'conntrack',
          detail: `${use.count}/${use.max} (${Math.round(ratio * 100)}%), over ${Math.round(level * 100)}%`,
        });
        this.conntrackLevel = level;
      } else if (this.conntrackLevel > 0 && ratio < CONNTRACK_LEVELS[0]! - 0.05) {
        this.event(fresh, {
          time: now,
          kind: 'conntrack-ok',
          object: 'conntrack',
          detail: `${use.count}/${use.max} (${Math.round(ratio * 100)}%)`,
        });
        this.conntrackLevel = 0;
      }
    }
    // Counting states walks every socket: only when the socket list changed.
    if (
      !diff ||
      diff.opened.length > 0 ||
      diff.closed.length > 0 ||
      diff.changed.length > 0 ||
      !this.stateCounts
    ) {
      const counts = new Map<string, number>();
      for (const s of snapshot.sockets)
        if (s.kind === 'inet' && STATE_LEVELS.has(s.state))
          counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
      this.stateCounts = counts;
    }
    for (const [state, level] of STATE_LEVELS) {
      const n = this.stateCounts.get(state) ?? 0;
      const high = this.statesHigh.has(state);
      if (!high && n >= level) {
        this.statesHigh.add(state);
        this.event(fresh, {
          time: now,
          kind: 'state-high',
          object: state,
          detail: `${n} sockets, ${level} or more`,
        });
      } else if (high && n < level / 2) {
        this.statesHigh.delete(state);
        this.event(fresh, { time: now, kind: 'state-ok', object: state, detail: `${n} sockets` });
      }
    }
    const unreadable = snapshot.ownerStats.unreadable;
    if (unreadable > 0 && !this.toldUnreadable) {
      this.toldUnreadable = true;
      const first = snapshot.ownerStats.firstUnreadable;
      this.event(fresh, {
        time: now,
        kind: 'owners-unreadable',
        object: 'owner scan',
        detail: `${unreadable} process${unreadable === 1 ? "'s" : "es'"} sockets could not be read${first ? ` (pid ${first.pid}: ${first.reason})` : ''}`,
      });
    }
  }

  private track(diff: SnapshotDiff, snapshot: Snapshot, seq: number, fresh: NetEvent[]): void {
    const now = snapshot.wallMs;
    for (const s of diff.opened) this.firstSeenMap.set(socketKey(s), now);
    for (const c of diff.changed) {
      // ESTABLISHED → TIME_WAIT changes the key (the inode goes); the socket keeps its age.
      const before = this.firstSeenMap.get(socketKey(c.before));
      if (before !== undefined) this.firstSeenMap.set(socketKey(c.after), before);
    }
    const prev = this.latest?.snapshot;
    const prevOwners = prev?.owners;
    const ownersBefore = (s: Socket) => (s.inode !== 0 && prevOwners?.get(s.inode)) || NO_OWNERS;
    const ownersNow = (s: Socket) => (s.inode !== 0 && snapshot.owners.get(s.inode)) || NO_OWNERS;
    this.closed = this.closed.filter((c) => seq - c.closedSeq < CLOSED_TICKS);
    for (const s of diff.closed) {
      const key = socketKey(s);
      this.closed.push({ key, socket: s, owners: ownersBefore(s), closedSeq: seq });
      this.firstSeenMap.delete(key);
    }
    for (const c of diff.changed)
      if (socketKey(c.before) !== socketKey(c.after)) this.firstSeenMap.delete(socketKey(c.before));

    this.trackListeners(diff, snapshot, fresh, ownersBefore, ownersNow);
    if (prev && prevOwners !== snapshot.owners) this.trackOwnerChanges(prev, snapshot, fresh);

    this.removedRoutes = this.removedRoutes.filter((r) => seq - r.removedSeq < CLOSED_TICKS);
    for (const r of diff.routesRemoved)
      this.removedRoutes.push({ key: routeKey(r), route: r, removedSeq: seq });
    // A route removed and one added for the same destination in one sample is one route that changed.
    const dest = (r: Route) => `${r.family} ${r.destination}/${r.prefixLength} ${r.source ?? ''}`;
    const added = new Map<string, Route>();
    for (const r of diff.routesAdded) if (!added.has(dest(r))) added.set(dest(r), r);
    const paired = new Set<Route>();
    for (const r of diff.routesRemoved) {
      const b = added.get(dest(r));
      if (b && !paired.has(b)) {
        paired.add(b);
        this.event(fresh, {
          time: now,
          kind: 'route-changed',
          object: routeName(b).replace(/ dev .*/, ''),
          detail: routeChange(r, b),
          target: { table: 'routes', key: routeKey(b) },
        });
        continue;
      }
      this.event(fresh, {
        time: now,
        kind: 'route-removed',
        object: routeName(r),
        detail: routeDetail(r),
        target: { table: 'routes', key: routeKey(r) },
      });
    }
    for (const r of diff.routesAdded)
      if (!paired.has(r))
        this.event(fresh, {
          time: now,
          kind: 'route-added',
          object: routeName(r),
          detail: routeDetail(r),
          target: { table: 'routes', key: routeKey(r) },
        });

    if (prev) this.trackInterfaces(prev, snapshot, fresh);
    this.trackCounters(diff, now, fresh);
  }

  private trackListeners(
    diff: SnapshotDiff,
    snapshot: Snapshot,
    fresh: NetEvent[],
    ownersBefore: (s: Socket) => readonly ProcessInfo[],
    ownersNow: (s: Socket) => readonly ProcessInfo[],
  ): void {
    const now = snapshot.wallMs;
    const vanishedNow: GoneListener[] = [];
    for (const s of diff.listenersVanished) {
      const key = listenerKey(s);
      const gone = { key, socket: s, owners: ownersBefore(s), vanishedAt: now };
      this.gone.set(key, gone);
      this.appeared.delete(key);
      this.restarted.delete(key);
      vanishedNow.push(gone);
      this.event(fresh, {
        time: now,
        kind: 'listener-gone',
        object: listenerName(s),
        detail: `pid ${pidText(pidsOf(gone.owners))}`,
        target: { table: 'listeners', key },
      });
    }
    for (const s of diff.listenersAppeared) {
      const key = listenerKey(s);
      const wasGone = this.gone.get(key);
      this.gone.delete(key);
      if (wasGone) {
        // It vanished in an earlier sample and is back: a restart with a measured downtime.
        this.restart(fresh, s, {
          key,
          at: now,
          beforePids: pidsOf(wasGone.owners),
          afterPids: pidsOf(ownersNow(s)),
          downMs: now - wasGone.vanishedAt,
        });
        continue;
      }
      this.appeared.set(key, now);
      this.event(fresh, {
        time: now,
        kind: 'listener-new',
        object: listenerName(s),
        detail: `pid ${pidText(pidsOf(ownersNow(s)))}`,
        target: { table: 'listeners', key },
      });
    }
    // Gone and back within one interval: every socket of the listener is new.
    for (const c of diff.listenersReplaced)
      this.restart(fresh, c.after, {
        key: listenerKey(c.after),
        at: now,
        beforePids: pidsOf(ownersBefore(c.before)),
        afterPids: pidsOf(ownersNow(c.after)),
      });
    if (vanishedNow.length > 0) this.opts.onVanished?.(vanishedNow);
  }

  private restart(fresh: NetEvent[], s: Socket, mark: RestartedListener): void {
    this.restarted.set(mark.key, mark);
    this.appeared.delete(mark.key);
    const down = mark.downMs === undefined ? '' : `, down ${(mark.downMs / 1000).toFixed(1)}s`;
    this.event(fresh, {
      time: mark.at,
      kind: 'listener-restarted',
      object: listenerName(s),
      detail: `pid ${pidText(mark.beforePids)} → ${pidText(mark.afterPids)}${down}`,
      target: { table: 'listeners', key: mark.key },
    });
  }

  /**
   * The same listening socket (same inode) now held by other processes only: the service was restarted
   * around an inherited socket (systemd socket activation, nginx's binary upgrade). Only runs when the
   * owner map changed, and only over listeners.
   */
  private trackOwnerChanges(prev: Snapshot, next: Snapshot, fresh: NetEvent[]): void {
    const before: OwnerMap = prev.owners;
    for (const s of next.sockets) {
      if (s.inode === 0 || !isListener(s)) continue;
      const now = next.owners.get(s.inode);
      const then = before.get(s.inode);
      if (!then || now === then || then.length === 0) continue;
      if (!now || now.length === 0) {
        // Nobody is seen holding it any more, yet it listens: its process exited and left it to a child
        // the owner scan has not read yet, or to a process it cannot read.
        this.event(fresh, {
          time: next.wallMs,
          kind: 'listener-owner-exited',
          object: listenerName(s),
          detail: `pid ${pidText(pidsOf(then))} no longer holds it; no holder seen`,
          target: { table: 'listeners', key: listenerKey(s) },
        });
        continue;
      }
      const thenPids = pidsOf(then);
      const nowPids = pidsOf(now);
      if (nowPids.some((p) => thenPids.includes(p))) {
        // Some holders are gone, the socket stays with the rest: a worker (or the master) exited.
        const left = thenPids.filter((p) => !nowPids.includes(p));
        if (left.length > 0)
          this.event(fresh, {
            time: next.wallMs,
            kind: 'listener-owner-exited',
            object: listenerName(s),
            detail: `pid ${pidText(left)} no longer holds it; ${pidText(nowPids)} still ${nowPids.length === 1 ? 'does' : 'do'}`,
            target: { table: 'listeners', key: listenerKey(s) },
          });
        continue;
      }
      const key = listenerKey(s);
      if (this.restarted.get(key)?.at === next.wallMs) continue;
      this.restart(fresh, s, { key, at: next.wallMs, beforePids: thenPids, afterPids: nowPids });
    }
  }

  private trackInterfaces(prev: Snapshot, next: Snapshot, fresh: NetEvent[]): void {
    const now = next.wallMs;
    const byName = new Map(prev.interfaces.map((i) => [i.name, i]));
    const seen = new Set<string>();
    const mark = (key: string, change: InterfaceChange) => {
      this.interfaceMarks = new Map(this.interfaceMarks).set(key, { change, at: now });
    };
    for (const i of next.interfaces) {
      const key = interfaceKey(i);
      seen.add(i.name);
      const old = byName.get(i.name);
      const target = { table: 'interfaces' as const, key };
      if (!old || old.ifindex !== i.ifindex) {
        if (old) this.deleteInterface(old, now, fresh);
        this.removedInterfaces = this.removedInterfaces.filter((r) => r.iface.name !== i.name);
        mark(key, 'new');
        this.event(fresh, { time: now, kind: 'iface-new', object: i.name, detail: stateText(i), target });
        continue;
      }
      if (operUp(old) !== operUp(i)) {
        const up = operUp(i);
        mark(key, up ? 'up' : 'down');
        this.event(fresh, {
          time: now,
          kind: up ? 'iface-up' : 'iface-down',
          object: i.name,
          detail: `${stateText(old)} → ${stateText(i)}`,
          target,
        });
      } else if (old.mtu !== i.mtu && old.mtu !== undefined && i.mtu !== undefined) {
        mark(key, 'mtu');
        this.event(fresh, {
          time: now,
          kind: 'iface-mtu',
          object: i.name,
          detail: `mtu ${old.mtu} → ${i.mtu}`,
          target,
        });
      }
    }
    for (const old of prev.interfaces) if (!seen.has(old.name)) this.deleteInterface(old, now, fresh);
  }

  private deleteInterface(old: Interface, now: number, fresh: NetEvent[]): void {
    const key = interfaceKey(old);
    this.removedInterfaces = [
      ...this.removedInterfaces.filter((r) => r.key !== key),
      { key, iface: old, at: now },
    ];
    this.interfaceMarks = new Map(this.interfaceMarks).set(key, { change: 'deleted', at: now });
    this.event(fresh, {
      time: now,
      kind: 'iface-deleted',
      object: old.name,
      detail: stateText(old),
      target: { table: 'interfaces', key },
    });
  }

  private trackCounters(diff: SnapshotDiff, now: number, fresh: NetEvent[]): void {
    let activity: Map<string, CounterActivity> | undefined;
    const note = (key: string, delta: bigint | undefined, trouble: boolean) => {
      const old = this.activity.get(key);
      const set = (a: CounterActivity) => {
        activity ??= new Map(this.activity);
        activity.set(key, a);
      };
      if (delta === undefined || delta <= 0n) {
        // Quiet for a whole window after a climb: the climb is over.
        if (old?.climbingSince === undefined) return;
        const last = old.climbs.at(-1)?.at ?? old.climbingSince;
        if (now - last < CLIMB_WINDOW_MS) return;
        set({ ...old, climbingSince: undefined, climbTotal: 0n });
        this.event(fresh, {
          time: now,
          kind: 'counter-quiet',
          object: key,
          detail: `+${old.climbTotal} in ${formatSpan(last - old.climbingSince)}`,
          target: { table: 'counters', key },
        });
        return;
      }
      const base = old ?? NO_ACTIVITY;
      if (!trouble) {
        set({ ...base, changedAt: now });
        return;
      }
      set({
        changedAt: now,
        climbs: [...base.climbs, { at: now, delta }].slice(-CLIMBS_KEPT),
        climbingSince: base.climbingSince ?? now,
        climbTotal: base.climbTotal + delta,
      });
      if (base.climbingSince === undefined)
        this.event(fresh, {
          time: now,
          kind: 'counter-climbing',
          object: key,
          detail: `+${delta}`,
          target: { table: 'counters', key },
        });
    };
    for (const [group, changes] of diff.counters)
      for (const [name, c] of changes) note(`${group}.${name}`, c.delta, isTroubleCounter(group, name));
    const sums = interfaceTrouble(diff);
    note(INTERFACE_ERRORS, sums.errors.delta, true);
    note(INTERFACE_DROPS, sums.drops.delta, true);
    if (activity) this.activity = activity;
  }

  private expire(now: number): void {
    for (const [key, at] of this.appeared) if (now - at >= MARK_MS) this.appeared.delete(key);
    let marks: Map<string, InterfaceMark> | undefined;
    for (const [key, m] of this.interfaceMarks)
      if (now - m.at >= MARK_MS) {
        marks ??= new Map(this.interfaceMarks);
        marks.delete(key);
      }
    if (marks) this.interfaceMarks = marks;
    if (this.removedInterfaces.some((r) => now - r.at >= MARK_MS))
      this.removedInterfaces = this.removedInterfaces.filter((r) => now - r.at < MARK_MS);
  }

  private ring(key: string): SeriesRing {
    let ring = this.rings.get(key);
    if (!ring) {
      ring = new SeriesRing();
      this.rings.set(key, ring);
    }
    return ring;
  }

  /** One value per series per sample: counter rates, interface rates, and the total without loopback. */
  private recordSeries(diff: SnapshotDiff | undefined, snapshot: Snapshot, seq: number): void {
    if (!diff) return;
    for (const [group, changes] of diff.counters)
      for (const [name, c] of changes)
        if (!c.gauge) this.ring(seriesKey.counter(group, name)).push(seq, rateOf(c));
    let rx = 0;
    let tx = 0;
    let any = false;
    const live = new Set<string>();
    for (const [key, i] of diff.interfaces) {
      const r = ifaceRate(i, 'rxBytes');
      const t = ifaceRate(i, 'txBytes');
      this.ring(seriesKey.iface(key, 'rx')).push(seq, r);
      this.ring(seriesKey.iface(key, 'tx')).push(seq, t);
      live.add(seriesKey.iface(key, 'rx')).add(seriesKey.iface(key, 'tx'));
      if (isLoopback(snapshot, i.name)) continue;
      if (r !== undefined) {
        rx += r;
        any = true;
      }
      if (t !== undefined) tx += t;
    }
    this.ring(seriesKey.total('rx')).push(seq, any ? rx : undefined);
    this.ring(seriesKey.total('tx')).push(seq, any ? tx : undefined);
    const sums = interfaceTrouble(diff);
    this.ring(seriesKey.counter('Interfaces', 'errors')).push(seq, sums.errors.rate);
    this.ring(seriesKey.counter('Interfaces', 'drops')).push(seq, sums.drops.rate);
    // An interface that is gone for good takes its history with it (a namespace churning veths would
    // otherwise grow the map without bound); one deleted less than MARK_MS ago keeps it while shown.
    const shown = new Set(this.removedInterfaces.map((r) => r.key));
    for (const key of this.rings.keys()) {
      if (!key.startsWith('i ') || live.has(key)) continue;
      const ifKey = key.slice(2, key.lastIndexOf(' '));
      if (!shown.has(ifKey)) this.rings.delete(key);
    }
  }

  /**
   * Acknowledge marks: the user has seen them. With `keys`, only those listener keys (what is on screen);
   * without, every gone, new and restarted mark. While paused, only marks the frozen view shows go.
   */
  acknowledge(keys?: Iterable<string>): void {
    const only = keys === undefined ? undefined : new Set(keys);
    const wanted = (key: string) => only === undefined || only.has(key);
    if (this.paused && this.shown) {
      // What vanished or appeared behind the frozen view has not been seen: it must still show on resume.
      for (const g of this.shown.gone)
        if (wanted(g.key) && this.gone.get(g.key)?.vanishedAt === g.vanishedAt) this.gone.delete(g.key);
      for (const [key, at] of this.shown.appeared)
        if (wanted(key) && this.appeared.get(key) === at) this.appeared.delete(key);
      for (const [key, r] of this.shown.restarted)
        if (wanted(key) && this.restarted.get(key)?.at === r.at) this.restarted.delete(key);
    } else {
      for (const key of [...this.gone.keys()]) if (wanted(key)) this.gone.delete(key);
      for (const key of [...this.appeared.keys()]) if (wanted(key)) this.appeared.delete(key);
      for (const key of [...this.restarted.keys()]) if (wanted(key)) this.restarted.delete(key);
    }
    const marks = {
      gone: [...this.gone.values()],
      appeared: new Map(this.appeared),
      restarted: new Map(this.restarted),
    };
    if (this.latest) {
      this.latest = { ...this.latest, ...marks };
      if (!this.paused) this.publish(this.latest);
      else if (this.shown) {
        const keep = <V>(m: ReadonlyMap<string, V>, still: ReadonlyMap<string, unknown>) =>
          new Map([...m].filter(([k]) => still.has(k)));
        this.publish({
          ...this.shown,
          gone: this.shown.gone.filter((g) => this.gone.has(g.key)),
          appeared: keep(this.shown.appeared, this.appeared),
          restarted: keep(this.shown.restarted, this.restarted),
        });
      }
    }
  }

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused && this.shown) {
      // The frozen view outlives the dump buffers its tcp_info is read from: it keeps a copy.
      const { snapshot } = this.shown;
      const pinned = snapshot.tcpInfo ? { ...snapshot, tcpInfo: pinTcpInfo(snapshot.tcpInfo) } : snapshot;
      this.publish({ ...this.shown, snapshot: pinned, paused: true });
    } else if (!paused && this.latest) this.publish(this.latest);
  }

  getView = (): LiveView | undefined => this.shown;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private publish(view: LiveView): void {
    this.shown = view;
    for (const l of this.listeners) l();
  }
}

/** Activity keys of the sums over every interface (rx + tx), tracked like trouble counters. */
export const INTERFACE_ERRORS = 'Interfaces.errors';
export const INTERFACE_DROPS = 'Interfaces.drops';

interface Sum {
  readonly delta: bigint | undefined;
  readonly rate: number | undefined;
}

/** Errors and drops summed over every interface with a baseline; no delta when none has one. */
export function interfaceTrouble(diff: SnapshotDiff): { errors: Sum; drops: Sum } {
  const sum = (fields: readonly ('rxErrs' | 'txErrs' | 'rxDrop' | 'txDrop')[]): Sum => {
    let delta: bigint | undefined;
    let rate: number | undefined;
    for (const i of diff.interfaces.values()) {
      for (const f of fields) {
        const c = i.counters.get(f);
        if (c?.delta === undefined) continue;
        delta = (delta ?? 0n) + c.delta;
        rate = (rate ?? 0) + (c.rate ?? 0);
      }
    }
    return { delta, rate };
  };
  return { errors: sum(['rxErrs', 'txErrs']), drops: sum(['rxDrop', 'txDrop']) };
}

function EMPTY_SNAPSHOT(wallMs: number): Snapshot {
  return {
    monoMs: 0,
    wallMs,
    durationMs: 0,
    hostname: '',
    sockets: [],
    owners: new Map(),
    ownerStats: { processes: 0, unreadable: 0, vanished: 0, rescanned: 0 },
    routes: [],
    interfaces: [],
    counters: new Map(),
    sockstat: [],
    multicast: [],
    skippedLines: new Map(),
    warnings: [],
  };
}

function rateOf(c: CounterChange): number | undefined {
  return c.rate;
}

function isLoopback(snapshot: Snapshot, name: string): boolean {
  if (name === 'lo') return true;
  const i = snapshot.interfaces.find((x) => x.name === name);
  return i?.flags !== undefined && (i.flags & 0x8) !== 0;
}

/** "up", "down (admin)", "no carrier (lowerlayerdown)": how a link is, in words. */
function stateText(i: Interface): string {
  if (i.flags !== undefined && (i.flags & 1) === 0) return 'down (admin)';
  const oper = i.operstate ?? 'unknown';
  if (oper === 'up' || oper === 'unknown') return 'up';
  return `no carrier (${oper})`;
}

function routeName(r: Route): string {
  const dest = r.prefixLength === 0 ? 'default' : `${r.destination}/${r.prefixLength}`;
  return `${dest} dev ${r.iface}`;
}

function routeChange(a: Route, b: Route): string {
  const parts: string[] = [];
  if (a.gateway !== b.gateway) parts.push(`via ${a.gateway} → ${b.gateway}`);
  if (a.iface !== b.iface) parts.push(`dev ${a.iface} → ${b.iface}`);
  if (a.metric !== b.metric) parts.push(`metric ${a.metric} → ${b.metric}`);
  return parts.join(', ') || routeDetail(b);
}

function routeDetail(r: Route): string {
  const via = r.gateway && r.gateway !== '0.0.0.0' && r.gateway !== '::' ? `via ${r.gateway} ` : '';
  return `${via}metric ${r.metric}`;
}

function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s}s` : `${Math.round(s / 60)}m`;
}

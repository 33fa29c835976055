// The live view's store: subscribes to the sampler and keeps what a single diff cannot know —
// listeners that vanished (until acknowledged), listeners that appeared, sockets and routes that closed
// a tick or two ago, when each socket was first seen, and a bounded history of interface rates.
// Pausing freezes what is shown while sampling goes on underneath (bottom's habit), so a listener that
// vanishes during a pause is still reported when the display resumes.
import { type InterfaceDiff, listenerKey, routeKey, type SnapshotDiff, socketKey } from './diff.js';
import type { ProcessInfo, Route, Snapshot, Socket } from './types.js';

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

/** How many samples of history each interface keeps for its sparkline. */
export const HISTORY_LENGTH = 120;
/** How many ticks a closed socket or removed route stays on screen, marked '-'. */
export const CLOSED_TICKS = 2;

export interface GoneListener {
  readonly key: string;
  readonly socket: Socket;
  readonly owners: readonly ProcessInfo[];
  readonly vanishedAt: number;
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

export interface RateHistory {
  readonly rx: readonly number[];
  readonly tx: readonly number[];
}

export interface LiveView {
  readonly seq: number;
  readonly snapshot: Snapshot;
  readonly diff: SnapshotDiff | undefined;
  /** Vanished listeners not yet acknowledged, oldest first. */
  readonly gone: readonly GoneListener[];
  /** Listener keys that appeared after start and are not yet acknowledged → wall time they appeared. */
  readonly appeared: ReadonlyMap<string, number>;
  /** Sockets closed within the last CLOSED_TICKS ticks. */
  readonly closed: readonly ClosedSocket[];
  readonly removedRoutes: readonly RemovedRoute[];
  /** Wall time when netwatch started: sockets first seen in the first sample existed "since before". */
  readonly startedAt: number;
  /** Wall time a socket key was first seen, or undefined when it predates netwatch. */
  readonly firstSeen: (key: string) => number | undefined;
  readonly history: ReadonlyMap<string, RateHistory>;
  readonly paused: boolean;
}

export interface LiveStoreOptions {
  /** Called with the listeners that vanished in a tick (for --bell). */
  readonly onVanished?: (gone: readonly GoneListener[]) => void;
}

function pushBounded(values: readonly number[], value: number): number[] {
  const next =
    values.length >= HISTORY_LENGTH ? values.slice(values.length - HISTORY_LENGTH + 1) : values.slice();
  next.push(value);
  return next;
}

function ifaceRate(i: InterfaceDiff, field: 'rxBytes' | 'txBytes'): number {
  return i.counters.get(field)?.rate ?? Number.NaN;
}

export class LiveStore {
  private readonly listeners = new Set<() => void>();
  private readonly firstSeenMap = new Map<string, number>();
  private gone = new Map<string, GoneListener>();
  private appeared = new Map<string, number>();
  private closed: ClosedSocket[] = [];
  private removedRoutes: RemovedRoute[] = [];
  private history = new Map<string, RateHistory>();
  private latest: LiveView | undefined;
  private shown: LiveView | undefined;
  private paused = false;
  private startedAt: number | undefined;
  private readonly firstSeen = (key: string) => this.firstSeenMap.get(key);

  constructor(
    private readonly sampler: SampleSource,
    private readonly opts: LiveStoreOptions = {},
  ) {}

  /** Start following the sampler; returns the unsubscribe function. */
  attach(): () => void {
    const existing = this.sampler.getState();
    if (existing) this.ingest(existing);
    return this.sampler.subscribe(() => {
      const state = this.sampler.getState();
      if (state) this.ingest(state);
    });
  }

  /** Feed one sampler state (the sampler calls this through attach; tests may call it directly). */
  ingest(state: SamplerState): void {
    const { snapshot, diff, seq } = state;
    this.startedAt ??= snapshot.wallMs;
    if (diff) this.track(diff, snapshot, seq);
    this.latest = {
      seq,
      snapshot,
      diff,
      gone: [...this.gone.values()],
      appeared: new Map(this.appeared),
      closed: this.closed,
      removedRoutes: this.removedRoutes,
      startedAt: this.startedAt,
      firstSeen: this.firstSeen,
      history: this.history,
      paused: false,
    };
    if (!this.paused) this.publish(this.latest);
  }

  private track(diff: SnapshotDiff, snapshot: Snapshot, seq: number): void {
    const now = snapshot.wallMs;
    for (const s of diff.opened) this.firstSeenMap.set(socketKey(s), now);
    for (const c of diff.changed) {
      // ESTABLISHED → TIME_WAIT changes the key (the inode goes); the socket keeps its age.
      const before = this.firstSeenMap.get(socketKey(c.before));
      if (before !== undefined) this.firstSeenMap.set(socketKey(c.after), before);
    }
    const prevOwners = this.latest?.snapshot.owners;
    const ownersOf = (s: Socket) => (s.inode !== 0 && prevOwners?.get(s.inode)) || [];
    this.closed = this.closed.filter((c) => seq - c.closedSeq < CLOSED_TICKS);
    for (const s of diff.closed) {
      const key = socketKey(s);
      this.closed.push({ key, socket: s, owners: ownersOf(s), closedSeq: seq });
      this.firstSeenMap.delete(key);
    }
    for (const c of diff.changed)
      if (socketKey(c.before) !== socketKey(c.after)) this.firstSeenMap.delete(socketKey(c.before));

    const vanishedNow: GoneListener[] = [];
    for (const s of diff.listenersVanished) {
      const key = listenerKey(s);
      const gone = { key, socket: s, owners: ownersOf(s), vanishedAt: now };
      this.gone.set(key, gone);
      this.appeared.delete(key);
      vanishedNow.push(gone);
    }
    for (const s of diff.listenersAppeared) {
      const key = listenerKey(s);
      // A listener that comes back is no longer gone; it is new again until acknowledged.
      this.gone.delete(key);
      this.appeared.set(key, now);
    }
    if (vanishedNow.length > 0) this.opts.onVanished?.(vanishedNow);

    this.removedRoutes = this.removedRoutes.filter((r) => seq - r.removedSeq < CLOSED_TICKS);
    for (const r of diff.routesRemoved)
      this.removedRoutes.push({ key: routeKey(r), route: r, removedSeq: seq });

    const history = new Map<string, RateHistory>();
    for (const [key, i] of diff.interfaces) {
      const old = this.history.get(key) ?? { rx: [], tx: [] };
      history.set(key, {
        rx: pushBounded(old.rx, ifaceRate(i, 'rxBytes')),
        tx: pushBounded(old.tx, ifaceRate(i, 'txBytes')),
      });
    }
    this.history = history;
  }

  /** Forget vanished listeners and "new" marks: the user has seen them (while paused, only those on screen). */
  acknowledge(): void {
    if (this.paused && this.shown) {
      // What vanished or appeared behind the frozen view has not been seen: it must still show on resume.
      for (const g of this.shown.gone)
        if (this.gone.get(g.key)?.vanishedAt === g.vanishedAt) this.gone.delete(g.key);
      for (const [key, at] of this.shown.appeared)
        if (this.appeared.get(key) === at) this.appeared.delete(key);
    } else {
      this.gone = new Map();
      this.appeared = new Map();
    }
    if (this.latest) {
      this.latest = { ...this.latest, gone: [...this.gone.values()], appeared: new Map(this.appeared) };
      if (!this.paused) this.publish(this.latest);
      else if (this.shown) this.publish({ ...this.shown, gone: [], appeared: new Map() });
    }
  }

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused && this.shown) this.publish({ ...this.shown, paused: true });
    else if (!paused && this.latest) this.publish(this.latest);
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

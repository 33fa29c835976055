// V8's heap policy, per mode. Both are set at run time with v8.setFlagsFromString: the flags below are
// read whenever V8 recomputes its limits or decides to start marking, so they take effect after start-up;
// a V8 that does not know one ignores it, and a refusal is never fatal.
//
// Live view: Ink builds every frame from scratch: at 200×50 it allocates about 22 MB per frame (a
// styled-character object for each cell, tokenised lines, ANSI diffing), more than V8's 16 MB young
// generation, so a scavenge runs while a frame is half built and promotes what the frame still holds,
// ~1–4 MB a frame. V8 lets the old generation grow to about twice its live size before a mark-compact, so
// the live view's RSS climbed from ~150 to ~235 MiB and back every dozen seconds at 20,000 sockets (median
// ~190 MiB). Capping the growth at 30 % over live after each mark-compact keeps it at ~145–155 MiB for
// ~5 ms of CPU a second more (measured with `npm run bench`, see BENCHMARKS.md).
//
// One-shot outputs (--once, -s, -r, -i, --json): everything read is kept until it is printed, then the
// process exits. At 20,000 sockets the old generation crossed the point where V8 starts incremental
// marking, which brought a mark-compact nobody needs (~10 ms on this thread, concurrent marking on
// others): ~40 ms of CPU and ~10 ms of wall time, and the step that made `--once` CPU grow faster than
// its sockets between 10,000 and 20,000. Without incremental marking V8 collects the old generation only
// at its hard limit, which a one-shot run reaches only far beyond that (and then still collects).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const LIVE_HEAP_FLAGS = ['--heap-growing-percent=30'] as const;
export const ONE_SHOT_HEAP_FLAGS = ['--no-incremental-marking'] as const;

type SetFlag = (flag: string) => void;

function apply(flags: readonly string[], set: SetFlag): void {
  for (const flag of flags) {
    try {
      set(flag);
    } catch {
      // Not fatal: the default policy only costs memory or time.
    }
  }
}

/** Apply LIVE_HEAP_FLAGS; never throws (a monitor must start even where V8 refuses a flag). */
export function tuneHeapForLiveView(set: SetFlag = setFlagsFromString): void {
  apply(LIVE_HEAP_FLAGS, set);
}

/** Apply ONE_SHOT_HEAP_FLAGS, for a process that reads, prints and exits; never throws. */
export function tuneHeapForOneShot(set: SetFlag = setFlagsFromString): void {
  apply(ONE_SHOT_HEAP_FLAGS, set);
}

// Under socket churn (hundreds of sockets opened and closed a second) the live view's old generation
// fragments: in a 25-minute run at 200 connections a second V8's committed old space grew from 68 to
// 103 MB over 55–66 MB of live objects and RSS crept ~20 % before it levelled off. Compacting on every
// full collection holds RSS flat under that load, but costs ~15 ms/s when the host is quiet (which is
// most of the time), so it is switched on only while sockets churn, with hysteresis so a burst does not
// flip it every tick.
export const COMPACT_ON = '--compact-on-every-full-gc';
export const COMPACT_OFF = '--no-compact-on-every-full-gc';

export interface ChurnPolicy {
  /** Sockets opened + closed per second at or above which compaction turns on. */
  readonly onPerSecond: number;
  /** ... for this many samples in a row. */
  readonly onSamples: number;
  /** Below this rate for `offSamples` samples in a row, it turns off again. */
  readonly offPerSecond: number;
  readonly offSamples: number;
}

export const CHURN_POLICY: ChurnPolicy = { onPerSecond: 100, onSamples: 3, offPerSecond: 20, offSamples: 30 };

/** Decides, sample by sample, when the live view's heap should compact on every full collection. */
export class ChurnCompaction {
  private on = false;
  private run = 0;

  constructor(
    private readonly set: SetFlag = setFlagsFromString,
    private readonly policy: ChurnPolicy = CHURN_POLICY,
  ) {}

  get compacting(): boolean {
    return this.on;
  }

  /** One sample: `changed` sockets opened or closed over `elapsedMs`. */
  observe(changed: number, elapsedMs: number): void {
    if (!(elapsedMs > 0)) return;
    const rate = (changed * 1000) / elapsedMs;
    const p = this.policy;
    const pushing = this.on ? rate < p.offPerSecond : rate >= p.onPerSecond;
    this.run = pushing ? this.run + 1 : 0;
    if (this.run < (this.on ? p.offSamples : p.onSamples)) return;
    this.on = !this.on;
    this.run = 0;
    apply([this.on ? COMPACT_ON : COMPACT_OFF], this.set);
  }
}

// The exporter after a burst: 1,000 scrapes at once grow V8's young generation from 16 to 32 MB and leave
// old-space garbage that no later collection takes back, because a quiet exporter allocates too little to
// start one. RSS stayed ~40 MiB above where it started (68 → 108 MiB after ten rounds of
// scripts/exporter-abuse.mjs) for as long as it ran. V8 shrinks its young generation only in a full
// collection made while its allocation rate, measured between two collections, is low: so once no
// request has come for IDLE_RECLAIM_MS and the heap has grown past its floor (what it was after the last
// such collection), one full collection frees the garbage, and a second one, as long again later if the
// quiet lasts and the heap is still large, gives the young generation back (measured: 60 → 56 MB
// committed after the first, → 16 MB and RSS back at its start after the second). A burst costs two
// collections of ~10 ms; scrapes whose heap does not grow cost nothing.
export const IDLE_RECLAIM_MS = 6000;
/** Heap growth (committed bytes) over the floor that is worth a collection. */
export const RECLAIM_GROWTH_BYTES = 8 * 2 ** 20;
/** Collections in one quiet spell at most. */
export const RECLAIM_TRIES = 2;

export interface IdleReclaimOptions {
  /** A full collection; undefined where V8 would not give one (then nothing is done). */
  gc: (() => void) | undefined;
  /** The heap's committed size in bytes (v8.getHeapStatistics().total_heap_size). */
  heapBytes: () => number;
  idleMs?: number;
  growthBytes?: number;
}

/** After activity stops for `idleMs`, collects (at most RECLAIM_TRIES times) if the heap grew by more than `growthBytes`. */
export class IdleReclaim {
  private floor: number;
  private timer: NodeJS.Timeout | undefined;
  private collections = 0;
  /** Collections made in the current quiet spell. */
  private tries = 0;
  private readonly idleMs: number;
  private readonly growth: number;

  constructor(private readonly opts: IdleReclaimOptions) {
    this.idleMs = opts.idleMs ?? IDLE_RECLAIM_MS;
    this.growth = opts.growthBytes ?? RECLAIM_GROWTH_BYTES;
    this.floor = opts.heapBytes();
  }

  /** Full collections made so far. */
  get collected(): number {
    return this.collections;
  }

  /** Something happened (a connection, a request): the quiet spell starts again. */
  activity(): void {
    this.tries = 0;
    this.arm();
  }

  private arm(): void {
    if (!this.opts.gc) return;
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.idle(), this.idleMs);
      this.timer.unref();
    }
  }

  /** The wait ran out with no activity; exported for tests. */
  idle(): void {
    this.timer = undefined;
    const gc = this.opts.gc;
    if (!gc || this.opts.heapBytes() <= this.floor + this.growth) return;
    gc();
    this.collections++;
    this.tries++;
    const after = this.opts.heapBytes();
    if (after > this.floor + this.growth && this.tries < RECLAIM_TRIES) this.arm();
    // What the heap holds after a collection at rest is its floor: a heap that really grew (more sockets
    // on the host) is not collected again after every scrape.
    else this.floor = after;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

type GcFunction = (options?: { type: string; execution: string; flavor: string }) => void;

/**
 * V8's full collection that gives memory back (the "last resort" one V8 makes before running out: it
 * compacts and shrinks the young generation), made available at run time as `node --expose-gc` would,
 * or undefined where V8 refuses the flag. A plain `gc()` made the same moment freed the garbage but kept
 * the grown young generation whenever V8 still judged the allocation rate high.
 */
export function fullCollection(set: SetFlag = setFlagsFromString): (() => void) | undefined {
  let gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') {
    try {
      set('--expose-gc');
      gc = runInNewContext('gc');
    } catch {
      return undefined;
    }
  }
  if (typeof gc !== 'function') return undefined;
  const collect = gc as GcFunction;
  return () => collect();
}

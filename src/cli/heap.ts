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

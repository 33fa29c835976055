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

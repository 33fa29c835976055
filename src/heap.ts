// V8's heap policy for the live view.
//
// Ink builds every frame from scratch: at 200×50 it allocates about 22 MB per frame (a styled-character
// object for each cell, tokenised lines, ANSI diffing), more than V8's 16 MB young generation, so a scavenge
// runs while a frame is half built and promotes what the frame still holds, ~1–4 MB a frame. V8 lets the old
// generation grow to about twice its live size before a mark-compact, so the live view's RSS climbed from
// ~150 to ~235 MiB and back every dozen seconds at 20,000 sockets (median ~190 MiB). Capping the growth at
// 30 % over live after each mark-compact keeps it at ~145–155 MiB for ~5 ms of CPU a second more (measured
// with `npm run bench`, see BENCHMARKS.md). The flag is read each time V8 recomputes its limits, so setting
// it at run time takes effect; a V8 that does not know it ignores it.
import { setFlagsFromString } from 'node:v8';

export const LIVE_HEAP_FLAGS = ['--heap-growing-percent=30'] as const;

/** Apply LIVE_HEAP_FLAGS; never throws (a monitor must start even where V8 refuses a flag). */
export function tuneHeapForLiveView(set: (flag: string) => void = setFlagsFromString): void {
  for (const flag of LIVE_HEAP_FLAGS) {
    try {
      set(flag);
    } catch {
      // Not fatal: the default policy only costs memory.
    }
  }
}

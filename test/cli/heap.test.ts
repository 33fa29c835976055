import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ChurnCompaction,
  COMPACT_OFF,
  COMPACT_ON,
  fullCollection,
  IdleReclaim,
  LIVE_HEAP_FLAGS,
  ONE_SHOT_HEAP_FLAGS,
  tuneHeapForLiveView,
  tuneHeapForOneShot,
} from '../../src/cli/heap.js';

describe('tuneHeapForLiveView', () => {
  it('caps V8 heap growth for the live view', () => {
    const set: string[] = [];
    tuneHeapForLiveView((flag) => set.push(flag));
    expect(set).toEqual(['--heap-growing-percent=30']);
    expect(LIVE_HEAP_FLAGS).toEqual(set);
  });

  it('goes on when V8 refuses a flag', () => {
    const tried: string[] = [];
    tuneHeapForLiveView((flag) => {
      tried.push(flag);
      throw new Error('unknown flag');
    });
    expect(tried).toEqual([...LIVE_HEAP_FLAGS]);
  });
});

describe('tuneHeapForOneShot', () => {
  it('turns incremental marking off, and survives a refusal', () => {
    const set: string[] = [];
    tuneHeapForOneShot((flag) => set.push(flag));
    expect(set).toEqual(['--no-incremental-marking']);
    expect(ONE_SHOT_HEAP_FLAGS).toEqual(set);
    expect(() =>
      tuneHeapForOneShot(() => {
        throw new Error('unknown flag');
      }),
    ).not.toThrow();
  });

  // The point of the flag is V8's behaviour, so check it on this Node: a process that keeps ~20 MB of
  // small objects, as --once at 20,000 sockets does, runs a mark-compact by default and none with the
  // flag set at run time (what src/cli/main.ts does).
  it('spares a short-lived process with a growing old generation its mark-compact', () => {
    const script = (tuned: boolean) => `
      ${tuned ? "require('node:v8').setFlagsFromString('--no-incremental-marking');" : ''}
      const keep = [];
      for (let i = 0; i < 100000; i++) keep.push({ a: i, b: 'row ' + i + ' ' + 'x'.repeat(i % 50), c: [i, i + 1] });
      console.log(keep.length);`;
    const markCompacts = (tuned: boolean) => {
      const r = spawnSync(process.execPath, ['--trace-gc', '-e', script(tuned)], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      return r.stdout.split('\n').filter((l) => l.includes('Mark-Compact')).length;
    };
    const untuned = markCompacts(false);
    const tuned = markCompacts(true);
    expect(tuned).toBeLessThan(untuned);
    expect(tuned).toBe(0);
  });
});

describe('ChurnCompaction', () => {
  const policy = { onPerSecond: 100, onSamples: 3, offPerSecond: 20, offSamples: 4 };
  function setup() {
    const set: string[] = [];
    const c = new ChurnCompaction((flag) => set.push(flag), policy);
    return { c, set };
  }

  it('turns compaction on after enough churning samples in a row, not on a burst', () => {
    const { c, set } = setup();
    c.observe(400, 1000);
    c.observe(400, 1000);
    c.observe(10, 1000); // a quiet sample resets the run
    c.observe(400, 1000);
    c.observe(400, 1000);
    expect(set).toEqual([]);
    c.observe(50, 500); // 100/s: the rate, not the count, is what counts
    expect(set).toEqual([COMPACT_ON]);
    expect(c.compacting).toBe(true);
  });

  it('turns it off only after a quiet stretch, and never sets the same state twice', () => {
    const { c, set } = setup();
    for (let i = 0; i < 3; i++) c.observe(400, 1000);
    for (let i = 0; i < 3; i++) c.observe(0, 1000);
    c.observe(300, 1000); // still churning now and then: stays on
    for (let i = 0; i < 3; i++) c.observe(19, 1000);
    expect(set).toEqual([COMPACT_ON]);
    c.observe(0, 1000);
    expect(set).toEqual([COMPACT_ON, COMPACT_OFF]);
    expect(c.compacting).toBe(false);
    c.observe(0, 1000);
    expect(set).toEqual([COMPACT_ON, COMPACT_OFF]);
  });

  it('ignores a sample without elapsed time, and a V8 that refuses the flag', () => {
    const c = new ChurnCompaction(() => {
      throw new Error('unknown flag');
    }, policy);
    c.observe(1000, 0);
    expect(c.compacting).toBe(false);
    for (let i = 0; i < 3; i++) c.observe(400, 1000);
    expect(c.compacting).toBe(true);
  });

  it('uses flags this V8 accepts at run time', () => {
    expect(() => setFlagsFromString(COMPACT_ON)).not.toThrow();
    expect(() => setFlagsFromString(COMPACT_OFF)).not.toThrow();
  });
});

describe('IdleReclaim (the exporter gives memory back after a burst)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const MiB = 2 ** 20;
  /** A heap whose size the test sets, and a gc that shrinks it as the test says. */
  function fakeHeap(start: number, afterEachGc: number[]) {
    const heap = { bytes: start, gcs: 0 };
    const gc = () => {
      heap.bytes = afterEachGc[heap.gcs] ?? heap.bytes;
      heap.gcs++;
    };
    return { heap, gc };
  }
  /** Fake timers, and a reclaim (6 s idle, 8 MiB growth) on a fake heap of 10 MiB that has grown to `grown`. */
  function reclaimOn(grown: number, afterEachGc: number[]) {
    vi.useFakeTimers();
    const { heap, gc } = fakeHeap(10 * MiB, afterEachGc);
    const r = new IdleReclaim({ gc, heapBytes: () => heap.bytes, idleMs: 6000, growthBytes: 8 * MiB });
    heap.bytes = grown;
    return { heap, r };
  }

  it('collects once the activity has stopped for the idle time, not before', () => {
    const { heap, r } = reclaimOn(60 * MiB, [12 * MiB]);
    for (let i = 0; i < 10; i++) {
      r.activity();
      vi.advanceTimersByTime(5000); // a request every 5 s: never quiet for 6
    }
    expect(heap.gcs).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(heap.gcs).toBe(1);
    expect(r.collected).toBe(1);
    vi.advanceTimersByTime(60_000);
    expect(heap.gcs).toBe(1); // back under the floor: no second one
  });

  it('tries a second time while the quiet lasts when the first left the heap large, then stops', () => {
    const { heap, r } = reclaimOn(60 * MiB, [56 * MiB, 16 * MiB]);
    r.activity();
    vi.advanceTimersByTime(6000);
    expect(heap.bytes).toBe(56 * MiB);
    vi.advanceTimersByTime(6000);
    expect(heap.bytes).toBe(16 * MiB);
    expect(heap.gcs).toBe(2);
    vi.advanceTimersByTime(600_000);
    expect(heap.gcs).toBe(2);
  });

  it('a heap that stays large after two tries becomes the floor: later quiet spells cost nothing', () => {
    const { heap, r } = reclaimOn(45 * MiB, [40 * MiB, 40 * MiB]);
    r.activity();
    vi.advanceTimersByTime(20_000);
    expect(heap.gcs).toBe(2);
    for (let i = 0; i < 5; i++) {
      r.activity(); // scrapes that leave the heap at 40 MiB
      vi.advanceTimersByTime(15_000);
    }
    expect(heap.gcs).toBe(2);
    heap.bytes = 60 * MiB; // it grows again by more than the growth allowed
    r.activity();
    vi.advanceTimersByTime(6000);
    expect(heap.gcs).toBe(3);
  });

  it('does nothing, and arms no timer, where no collection is available; stop() cancels', () => {
    vi.useFakeTimers();
    const r = new IdleReclaim({ gc: undefined, heapBytes: () => 100 * MiB, idleMs: 10 });
    r.activity();
    expect(vi.getTimerCount()).toBe(0);
    const { heap, gc } = fakeHeap(0, [0]);
    const s = new IdleReclaim({ gc, heapBytes: () => 100 * MiB, idleMs: 10 });
    s.activity();
    expect(vi.getTimerCount()).toBe(1);
    s.stop();
    vi.advanceTimersByTime(100);
    expect(heap.gcs).toBe(0);
  });

  it('fullCollection gives a working collection at run time, and undefined when V8 refuses the flag', async () => {
    const hadGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
    const refused = fullCollection(() => {
      throw new Error('refused');
    });
    expect(typeof refused).toBe(hadGc ? 'function' : 'undefined');
    const gc = fullCollection();
    expect(typeof gc).toBe('function');
    const kept = new WeakRef({ big: new Array(100_000).fill(1) });
    await new Promise((r) => setTimeout(r, 10)); // a WeakRef's target lives to the end of the job that made it
    gc?.();
    expect(kept.deref()).toBeUndefined();
  });
});

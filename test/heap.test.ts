import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  LIVE_HEAP_FLAGS,
  ONE_SHOT_HEAP_FLAGS,
  tuneHeapForLiveView,
  tuneHeapForOneShot,
} from '../src/heap.js';

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
  // flag set at run time (what src/main.ts does).
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

import { describe, expect, it } from 'vitest';
import { LIVE_HEAP_FLAGS, tuneHeapForLiveView } from '../src/heap.js';

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

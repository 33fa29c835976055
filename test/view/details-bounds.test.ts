// Issue 15: the details view of a socket whose owner has a 2 MB command line froze the live view (the
// whole line was segmented into graphemes every frame). What a frame does with it is bounded now.
import { describe, expect, it } from 'vitest';
import { MAX_WRAPPED_LINES, wrapLines } from '../../components/Overlay.js';
import { DETAIL_FIELD_MAX, detailsLines } from '../../src/view/details.js';
import type { ConnectionRow } from '../../src/view/viewmodel.js';
import { inet, proc, unix } from '../helpers/snapshots.js';

function rowWith(cmdline: string, path = ''): ConnectionRow {
  const socket = path ? unix(path, 7) : inet('tcp', '127.0.0.1:80', '0.0.0.0:0', 'LISTEN', 7);
  return { socket, owners: [proc(42, 'big', { cmdline })], firstSeen: 0 } as unknown as ConnectionRow;
}

describe('details of a 2 MB command line', () => {
  const cases = [
    ['ASCII', 'x'.repeat(2_000_000)],
    ['accented', 'é'.repeat(2_000_000)],
    ['wide', '中'.repeat(1_000_000)],
    ['escapes', '\x1b'.repeat(2_000_000)],
  ] as const;

  it.each(cases)('%s: the text is cut, says so, and wraps to at most 64 lines of it', (_name, cmdline) => {
    // The best of three (the first also warms the JIT): a frame's cost, not the scheduler's on a loaded machine.
    let ms = Number.POSITIVE_INFINITY;
    let lines: string[] = [];
    let wrapped: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const t0 = performance.now();
      lines = detailsLines('connections', rowWith(cmdline), 0);
      wrapped = wrapLines(lines, 200);
      ms = Math.min(ms, performance.now() - t0);
    }
    const field = lines.find((l) => l.includes('(cut: '));
    expect(field).toBeDefined();
    expect(field!.length).toBeLessThan(DETAIL_FIELD_MAX * 4 + 200);
    expect(wrapped.length).toBeLessThanOrEqual(lines.length + MAX_WRAPPED_LINES);
    expect(wrapped.some((l) => /more characters? not shown/.test(l))).toBe(true);
    // ~1–5 ms here; a frame's budget is 50 ms, and this is a tenth of what froze it before.
    expect(ms).toBeLessThan(50);
  });

  it('a 2 MB unix path too', () => {
    const lines = detailsLines('connections', rowWith('sh', `/run/${'p'.repeat(2_000_000)}`), 0);
    expect(lines.find((l) => l.startsWith('Path'))).toMatch(/\(cut: 2000005 characters in all\)$/);
  });
});

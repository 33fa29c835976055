// src/cli/inkoutput.ts stands in for Ink's Output in the live view's bundle. It must write every frame
// byte for byte as Ink's own does, in the first frame and in the ones after it, where rows come from its
// memory. Compared here on seeded random frames: styled text, wide and combining characters, overlapping
// writes, clips, transformers, writes off the grid; and on frames that change a few rows at a time, as the
// live view's do.
// Ink's own Output, by path: its package exports only its entry point.

import { describe, expect, it } from 'vitest';
import InkOutput from '../../node_modules/ink/build/output.js';
import Output, { memoSizes } from '../../src/cli/inkoutput.js';
import { rng as random } from '../helpers/random.js';

const STYLES = ['\u001B[1m', '\u001B[7m', '\u001B[31m', '\u001B[38;5;208m', '\u001B[2m', '\u001B[4m'];
const RESETS = ['\u001B[22m', '\u001B[27m', '\u001B[39m', '\u001B[0m', '\u001B[24m'];
const GLYPHS = ['a', 'Z', '0', ' ', ':', '漢', '🔥', 'e\u0301', '─', '│', '▁', '▇', '▲', '…'];

type Op =
  | { type: 'write'; x: number; y: number; text: string; transformers: ((l: string, i: number) => string)[] }
  | { type: 'clip'; clip: { x1?: number; x2?: number; y1?: number; y2?: number } }
  | { type: 'unclip' };

function text(rnd: () => number, maxLines: number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(rnd() * maxLines);
  for (let l = 0; l < count; l++) {
    let line = '';
    const length = Math.floor(rnd() * 30);
    for (let i = 0; i < length; i++) {
      const r = rnd();
      if (r < 0.1) line += STYLES[Math.floor(rnd() * STYLES.length)];
      else if (r < 0.18) line += RESETS[Math.floor(rnd() * RESETS.length)];
      else line += GLYPHS[Math.floor(rnd() * GLYPHS.length)];
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function frameOps(rnd: () => number, width: number, height: number): Op[] {
  const ops: Op[] = [];
  let clips = 0;
  const count = 5 + Math.floor(rnd() * 25);
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.1) {
      const x1 = Math.floor(rnd() * width);
      const y1 = Math.floor(rnd() * height);
      const clip =
        rnd() < 0.5
          ? { x1, x2: x1 + Math.floor(rnd() * width), y1, y2: y1 + Math.floor(rnd() * height) }
          : { x1, x2: x1 + Math.floor(rnd() * width) };
      ops.push({ type: 'clip', clip });
      clips++;
    } else if (r < 0.15 && clips > 0) {
      ops.push({ type: 'unclip' });
      clips--;
    } else {
      const transformers =
        rnd() < 0.2 ? [(line: string, index: number) => `\u001B[7m${index}${line}\u001B[27m`] : [];
      ops.push({
        type: 'write',
        x: Math.floor(rnd() * (width + 4)) - 2,
        y: Math.floor(rnd() * (height + 4)) - 2,
        text: rnd() < 0.05 ? '' : text(rnd, 4),
        transformers,
      });
    }
  }
  return ops;
}

type AnyOutput = {
  write(
    x: number,
    y: number,
    text: string,
    o: { transformers: ((line: string, index: number) => string)[] },
  ): void;
  clip(c: object): void;
  unclip(): void;
  get(): { output: string; height: number };
};

function play(out: AnyOutput, ops: readonly Op[]): { output: string; height: number } {
  for (const op of ops) {
    if (op.type === 'write') out.write(op.x, op.y, op.text, { transformers: op.transformers });
    else if (op.type === 'clip') out.clip(op.clip);
    else out.unclip();
  }
  return out.get();
}

function both(ops: readonly Op[], width: number, height: number) {
  const ink = play(new InkOutput({ width, height }) as unknown as AnyOutput, ops);
  const ours = play(new Output({ width, height }) as AnyOutput, ops);
  return { ink, ours };
}

describe('inkoutput: the same frames as Ink', () => {
  it('writes random frames exactly as Ink does, first and again from memory', () => {
    const rnd = random(13);
    let compared = 0;
    for (let frame = 0; frame < 400; frame++) {
      const width = 1 + Math.floor(rnd() * 60);
      const height = 1 + Math.floor(rnd() * 12);
      const ops = frameOps(rnd, width, height);
      // Twice: the second time every row comes from the memo.
      for (let pass = 0; pass < 2; pass++) {
        const { ink, ours } = both(ops, width, height);
        expect(ours, `frame ${frame} pass ${pass}`).toEqual(ink);
        compared++;
      }
    }
    expect(compared).toBe(800);
  });

  it('follows a screen that changes a few rows a frame, as the live view does', () => {
    const rnd = random(7);
    const width = 80;
    const height = 24;
    const rows = Array.from({ length: height }, () => text(rnd, 1));
    let changedRows = 0;
    for (let frame = 0; frame < 60; frame++) {
      const row = Math.floor(rnd() * height);
      rows[row] = text(rnd, 1);
      changedRows++;
      const ops: Op[] = [
        { type: 'write', x: 0, y: 0, text: rows.join('\n'), transformers: [] },
        // A status line drawn over the last row, like the live view's bar.
        { type: 'write', x: 2, y: height - 1, text: `\u001B[7m tick ${frame} \u001B[27m`, transformers: [] },
      ];
      const { ink, ours } = both(ops, width, height);
      expect(ours).toEqual(ink);
      expect(ours.output).toContain(`tick ${frame}`);
    }
    expect(changedRows).toBe(60);
    // Two frames' rows at most (24 each), and their lines: the memory does not grow with frames.
    const sizes = memoSizes();
    expect(sizes.rows).toBeLessThanOrEqual(2 * height);
    expect(sizes.lines).toBeLessThanOrEqual(2 * (height + 1));
  });

  it('keeps styles that run across a row and trims only unstyled blanks', () => {
    const ops: Op[] = [
      { type: 'write', x: 0, y: 0, text: '\u001B[7mselected row   \u001B[27m', transformers: [] },
      { type: 'write', x: 0, y: 1, text: 'plain   ', transformers: [] },
    ];
    const { ink, ours } = both(ops, 30, 2);
    expect(ours).toEqual(ink);
    expect(ours.output.split('\n')[0]).toMatch(/selected row {3}/);
    expect(ours.output.split('\n')[1]).toBe('plain');
  });
});

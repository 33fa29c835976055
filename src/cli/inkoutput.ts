/**
 * Ink's Output (ink/build/output.js, Ink 6.8) with memory across frames. Ink builds every frame from
 * nothing: a new Output per render, a width×height grid of cell objects, each line's text re-tokenized
 * into styled cells and each row serialized back into escapes; its caches die with the frame. At 200×50
 * that was ~25 ms of CPU a frame and a fifth of the live view's time, for rows that mostly did not change
 * since the last second.
 *
 * This class keeps Ink's algorithm (the same clipping, transformers, wide characters and serialization,
 * so a row comes out byte for byte as Ink would write it) and adds one thing: a row's output depends only
 * on the writes that land on it, so the serialized row is remembered by those writes (their x and text)
 * and a row whose writes are the same as in the last frame is not rebuilt. Memory is two frames' rows:
 * what this frame used and what the last one did.
 *
 * The live view's bundle (scripts/build.mjs) puts it in place of Ink's own; test/cli/inkoutput.test.ts
 * compares the two on random writes and on real frames.
 */
import {
  type StyledChar,
  styledCharsFromTokens,
  styledCharsToString,
  tokenize,
} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';

type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** A map that forgets what two frames in a row did not ask for. */
class FrameMemo<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  get(key: string, make: (key: string) => V): V {
    let value = this.current.get(key);
    if (value !== undefined) return value;
    value = this.previous.get(key);
    if (value === undefined) value = make(key);
    this.current.set(key, value);
    return value;
  }

  /** Ends a frame: what it used is kept for the next one, the rest is dropped. */
  endFrame(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}

// Shared by every Output: Ink makes one per frame (two with <Static>, which netwatch does not use).
const rows = new FrameMemo<string>();
const lineChars = new FrameMemo<StyledChar[]>();
const widths = new Map<string, number>();

function widthOf(text: string): number {
  let width = widths.get(text);
  if (width === undefined) {
    width = stringWidth(text);
    // Widths are asked of single characters and of lines; a bound keeps a stream of new lines from
    // growing it without end.
    if (widths.size > 50_000) widths.clear();
    widths.set(text, width);
  }
  return width;
}

function widestLine(lines: readonly string[]): number {
  let widest = 0;
  for (const line of lines) widest = Math.max(widest, widthOf(line));
  return widest;
}

/** A row's writes as a key; each text's length is in it, so no text can pass for two. */
function rowKey(width: number, segments: readonly (number | string)[]): string {
  let key = `${width}`;
  for (let i = 0; i < segments.length; i += 2) {
    const line = segments[i + 1] as string;
    key += `|${segments[i]}:${line.length}:${line}`;
  }
  return key;
}

/** One row's cells from its writes, serialized as Ink does (trailing blanks trimmed). */
function buildRow(width: number, segments: readonly (number | string)[]): string {
  const row: (StyledChar | undefined)[] = [];
  for (let x = 0; x < width; x++) row.push({ type: 'char', value: ' ', fullWidth: false, styles: [] });
  for (let i = 0; i < segments.length; i += 2) {
    let offsetX = segments[i] as number;
    const line = segments[i + 1] as string;
    for (const character of lineChars.get(line, (l) => styledCharsFromTokens(tokenize(l)))) {
      row[offsetX] = character;
      const characterWidth = Math.max(1, widthOf(character.value));
      for (let k = 1; k < characterWidth; k++) {
        row[offsetX + k] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
      }
      offsetX += characterWidth;
    }
  }
  return styledCharsToString(row.filter((cell): cell is StyledChar => cell !== undefined)).trimEnd();
}

export default class Output {
  width: number;
  height: number;
  private operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    // Each row's writes in order, as x and the line after clipping and transformers: what Ink would
    // paint on that row.
    const segments: (number | string)[][] = [];
    for (let y = 0; y < this.height; y++) segments.push([]);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type !== 'write') continue;
      const { text, transformers } = operation;
      let { x, y } = operation;
      let lines = text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (clipHorizontally) {
          const width = widestLine(lines);
          if (x + width < clip.x1! || x > clip.x2!) continue;
        }
        if (clipVertically) {
          if (y + lines.length < clip.y1! || y > clip.y2!) continue;
        }
        if (clipHorizontally) {
          lines = lines.map((line) => {
            const from = x < clip.x1! ? clip.x1! - x : 0;
            const width = widthOf(line);
            const to = x + width > clip.x2! ? clip.x2! - x : width;
            return sliceAnsi(line, from, to);
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (clipVertically) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
          lines = lines.slice(from, to);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      let offsetY = 0;
      for (let index = 0; index < lines.length; index++) {
        const row = segments[y + offsetY];
        if (!row) continue;
        let line = lines[index]!;
        for (const transformer of transformers) line = transformer(line, index);
        row.push(x, line);
        offsetY++;
      }
    }
    const width = this.width;
    const out: string[] = [];
    for (const row of segments) {
      out.push(row.length === 0 ? '' : rows.get(rowKey(width, row), () => buildRow(width, row)));
    }
    rows.endFrame();
    lineChars.endFrame();
    return { output: out.join('\n'), height: this.height };
  }
}

/** How many rows and lines are remembered now (for tests: the memory stays two frames'). */
export function memoSizes(): { rows: number; lines: number } {
  return { rows: rows.size, lines: lineChars.size };
}

// Terminal column arithmetic. We measure with the same `string-width` Ink uses, so a line we
// computed to fit is also a line Ink agrees fits (otherwise Ink's own truncation would cut it).
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ELLIPSIS = '…';
const segmenter = new Intl.Segmenter();

/** Columns `s` occupies: East Asian wide/fullwidth and emoji count 2, combining marks 0. */
export function displayWidth(s: string): number {
  return PRINTABLE_ASCII.test(s) ? s.length : stringWidth(s);
}

/**
 * Cut `s` to at most `width` columns, ending with '…' when anything was cut. A wide character
 * that would straddle the limit is dropped whole, so the result can be one column short.
 */
export function truncate(s: string, width: number): string {
  const limit = Math.floor(width);
  if (!(limit > 0)) return '';
  if (displayWidth(s) <= limit) return s;
  if (limit === 1) return ELLIPSIS;
  const room = limit - 1;
  if (PRINTABLE_ASCII.test(s)) return s.slice(0, room) + ELLIPSIS;
  let used = 0;
  let kept = '';
  // Cut between graphemes, never inside one: a split cluster renders as garbage.
  for (const { segment } of segmenter.segment(s)) {
    const w = stringWidth(segment);
    if (used + w > room) break;
    used += w;
    kept += segment;
  }
  return kept + ELLIPSIS;
}

/** Pad `s` on the right with spaces to `width` columns; never shortens. */
export function padEnd(s: string, width: number): string {
  const missing = Math.floor(width) - displayWidth(s);
  return missing > 0 ? s + ' '.repeat(missing) : s;
}

/** Pad `s` on the left with spaces to `width` columns; never shortens. */
export function padStart(s: string, width: number): string {
  const missing = Math.floor(width) - displayWidth(s);
  return missing > 0 ? ' '.repeat(missing) + s : s;
}

/** Exactly `width` columns: truncated if longer, then padded (also over a dropped wide char). */
export function fitText(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(s, width);
  return align === 'right' ? padStart(cut, width) : padEnd(cut, width);
}

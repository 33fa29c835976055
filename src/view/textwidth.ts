// Terminal column arithmetic. We measure with the same `string-width` Ink uses, so a line we
// computed to fit is also a line Ink agrees fits (otherwise Ink's own truncation would cut it).
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ELLIPSIS = '…';
const segmenter = new Intl.Segmenter();

// Intl.Segmenter is quadratic in V8 on long strings (10,000 characters take ~25 ms, 83,000 take ~1.3 s:
// each segment copies from the whole text), and string-width segments its whole argument. So neither ever
// sees more than RUN code units: text is walked here, one column per "simple" character (printable ASCII
// and U+00A0–U+02FF, narrow and never joined to a neighbour unless a mark follows), and only the runs
// between simple characters are segmented, in pieces of at most RUN code units.
const RUN = 256;

function isSimple(code: number): boolean {
  return (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code < 0x300);
}

// string-width costs a few µs a grapheme (it checks emoji and East Asian width with regexes each time);
// the graphemes of real text repeat, so short ones are remembered (a plain Map, cleared when full).
const widths = new Map<string, number>();
const WIDTHS_MAX = 4096;

function segmentWidth(segment: string): number {
  if (segment.length > 8) return stringWidth(segment);
  let w = widths.get(segment);
  if (w === undefined) {
    if (widths.size >= WIDTHS_MAX) widths.clear();
    w = stringWidth(segment);
    widths.set(segment, w);
  }
  return w;
}

/** Where the complex run that starts at `i` ends: the next simple character not followed by a mark, or RUN units on. */
function runEnd(s: string, i: number): number {
  const n = s.length;
  const cap = Math.min(n, i + RUN);
  let j = i + 1;
  while (j < cap && !(isSimple(s.charCodeAt(j)) && (j + 1 >= n || isSimple(s.charCodeAt(j + 1))))) j++;
  const last = s.charCodeAt(j - 1);
  if (j < n && last >= 0xd800 && last <= 0xdbff) j++; // never between the halves of a pair
  return j;
}

/** The graphemes of `s` from `start`, with their widths, in order; the caller stops when it has enough. */
function* clusters(s: string, start = 0): Generator<[segment: string, width: number]> {
  const n = s.length;
  let i = start;
  while (i < n) {
    const code = s.charCodeAt(i);
    if (isSimple(code) && (i + 1 >= n || isSimple(s.charCodeAt(i + 1)))) {
      yield [s[i]!, 1];
      i++;
      continue;
    }
    const end = runEnd(s, i);
    for (const { segment } of segmenter.segment(s.slice(i, end))) yield [segment, segmentWidth(segment)];
    i = end;
  }
}

/**
 * Columns `s` occupies: East Asian wide/fullwidth and emoji count 2, combining marks 0, as string-width
 * (Ink's own measure) says. Linear in the length of `s`, without segmenting simple text.
 */
export function displayWidth(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  if (s.length <= RUN) return stringWidth(s);
  const n = s.length;
  let width = 0;
  let i = 0;
  while (i < n) {
    const code = s.charCodeAt(i);
    if (isSimple(code) && (i + 1 >= n || isSimple(s.charCodeAt(i + 1)))) {
      width++;
      i++;
      continue;
    }
    const end = runEnd(s, i);
    width += stringWidth(s.slice(i, end));
    i = end;
  }
  return width;
}

/**
 * How much of `s` truncate and wrapText look at for `columns` columns: a grapheme is at least one code
 * unit and at most 2 columns wide, so more than this is only ever zero-width marks piled on a base, and
 * what lies past the window counts as cut. With the walk above, this keeps a 2 MB command line from
 * costing more than the columns it is shown in (issue 15).
 */
function windowFor(columns: number): number {
  return columns * 8 + 64;
}

/** `s` cut to `n` code units, never between the halves of a surrogate pair. */
function head(s: string, n: number): string {
  if (s.length <= n) return s;
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/**
 * Cut `s` to at most `width` columns, ending with '…' when anything was cut. A wide character
 * that would straddle the limit is dropped whole, so the result can be one column short.
 * Linear in `width`, not in `s`: only the first windowFor(width) code units are looked at.
 */
export function truncate(s: string, width: number): string {
  const limit = Math.floor(width);
  if (!(limit > 0)) return '';
  // ASCII fast path on the first limit + 1 characters: they decide it alone.
  if (PRINTABLE_ASCII.test(head(s, limit + 1))) {
    if (s.length <= limit) return s;
    return limit === 1 ? ELLIPSIS : s.slice(0, limit - 1) + ELLIPSIS;
  }
  const window = head(s, windowFor(limit));
  const cutAtWindow = window.length < s.length;
  if (!cutAtWindow && displayWidth(s) <= limit) return s;
  if (limit === 1) return ELLIPSIS;
  const room = limit - 1;
  let used = 0;
  let kept = '';
  // Cut between graphemes, never inside one: a split cluster renders as garbage.
  for (const [segment, w] of clusters(window)) {
    if (used + w > room) break;
    used += w;
    kept += segment;
  }
  return kept + ELLIPSIS;
}

/**
 * `s` broken into lines of at most `width` columns, between graphemes, and at most `maxLines` of them:
 * when more would be needed the last line says how many characters were left out. Linear in
 * width × maxLines, not in `s`.
 */
export function wrapText(s: string, width: number, maxLines: number): string[] {
  const columns = Math.floor(width);
  if (!(columns > 0) || s.length === 0) return [s];
  const limit = Math.max(1, Math.floor(maxLines));
  const window = head(s, windowFor(columns) * limit);
  const lines: string[] = [];
  let consumed = 0; // code units in `lines`
  if (PRINTABLE_ASCII.test(window)) {
    while (consumed < s.length && lines.length <= limit) {
      lines.push(s.slice(consumed, consumed + columns));
      consumed += columns;
    }
    consumed = Math.min(consumed, s.length);
  } else {
    let current = '';
    let used = 0;
    for (const [segment, w] of clusters(window)) {
      if (used + w > columns && current !== '') {
        lines.push(current);
        consumed += current.length;
        if (lines.length > limit) break;
        current = '';
        used = 0;
      }
      current += segment;
      used += w;
    }
    if (lines.length <= limit && current !== '') {
      lines.push(current);
      consumed += current.length;
    }
  }
  if (lines.length <= limit && consumed >= s.length) return lines;
  // Too many: the last line that fits says what is left out.
  lines.length = limit;
  const shown = lines.slice(0, limit - 1).reduce((n, line) => n + line.length, 0);
  const rest = s.length - shown;
  lines[limit - 1] = truncate(`… (${rest} more character${rest === 1 ? '' : 's'} not shown)`, columns);
  return lines;
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

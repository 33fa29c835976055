// Block-character history charts, as text: the live view's sparklines and the details overlay's.

const BLOCKS = '▁▂▃▄▅▆▇█';
const TOP = BLOCKS.length - 1;

/**
 * The last `width` values as block characters, scaled to `scale` (or, without one, to the largest value
 * shown). Always exactly `width` columns: shorter histories are padded on the left, so the newest sample
 * stays at the right edge. Zero and negative values are the lowest block; a positive value is never drawn
 * as low as zero (so "a little traffic" differs from "none"); NaN, infinities and holes are a space.
 * A shared `scale` lets rows be compared: a quiet loopback next to a busy eth0 stays low.
 */
export function sparkline(values: readonly (number | undefined)[], width: number, scale?: number): string {
  const w = Math.max(0, Math.floor(width) || 0);
  if (w === 0) return '';
  const shown = values.slice(Math.max(0, values.length - w));
  let max = 0;
  if (scale !== undefined && Number.isFinite(scale) && scale > 0) max = scale;
  else for (const v of shown) if (v !== undefined && Number.isFinite(v) && v > max) max = v;
  let out = ' '.repeat(w - shown.length);
  for (const v of shown) {
    if (v === undefined || !Number.isFinite(v)) out += ' ';
    else if (v <= 0 || max === 0) out += BLOCKS[0];
    else out += BLOCKS[Math.min(TOP, Math.max(1, Math.round((v / max) * TOP)))];
  }
  return out;
}

/** The largest finite value of any of `series`, for a shared scale; 0 when there is none. */
export function seriesMax(series: readonly (readonly (number | undefined)[])[]): number {
  let max = 0;
  for (const s of series) for (const v of s) if (v !== undefined && Number.isFinite(v) && v > max) max = v;
  return max;
}

import { Text } from 'ink';
import { memo } from 'react';

const BLOCKS = '▁▂▃▄▅▆▇█';
const TOP = BLOCKS.length - 1;

/**
 * The last `width` values as block characters, scaled to the largest value shown. Always exactly
 * `width` columns: shorter histories are padded on the left, so the newest sample stays at the right
 * edge. Zero and negative values are the lowest block; a positive value is never drawn as low as
 * zero (so "a little traffic" differs from "none"); NaN, infinities and holes are a space.
 */
export function sparkline(values: readonly (number | undefined)[], width: number): string {
  const w = Math.max(0, Math.floor(width) || 0);
  if (w === 0) return '';
  const shown = values.slice(Math.max(0, values.length - w));
  let max = 0;
  for (const v of shown) if (v !== undefined && Number.isFinite(v) && v > max) max = v;
  let out = ' '.repeat(w - shown.length);
  for (const v of shown) {
    if (v === undefined || !Number.isFinite(v)) out += ' ';
    else if (v <= 0 || max === 0) out += BLOCKS[0];
    else out += BLOCKS[Math.min(TOP, Math.max(1, Math.round((v / max) * TOP)))];
  }
  return out;
}

export interface SparklineProps {
  /** Oldest first; only the last `width` are drawn. */
  values: readonly (number | undefined)[];
  /** Columns to fill. */
  width: number;
  /** Ink colour of the blocks; ignored with noColor. */
  color?: string;
  /** Drop colours (NO_COLOR). */
  noColor?: boolean;
}

/** A one-line history chart of `values`, exactly `width` columns wide. */
export const Sparkline = memo(function Sparkline({ values, width, color, noColor = false }: SparklineProps) {
  return (
    <Text wrap="truncate-end" color={noColor ? undefined : color}>
      {sparkline(values, width)}
    </Text>
  );
});

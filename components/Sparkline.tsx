import { Text } from 'ink';
import { memo } from 'react';
import { sparkline } from '../src/view/sparkline.js';

export { sparkline } from '../src/view/sparkline.js';

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

import { Box, Text } from 'ink';
import { memo } from 'react';
import { escapeControl } from '../src/view/escape.js';
import { formatByteRate, formatClock, formatPerSecond } from '../src/view/format.js';
import {
  type LineStyle,
  type OverviewFormat,
  type OverviewModel,
  overviewLines,
} from '../src/view/overview.js';
import { sparkline } from '../src/view/sparkline.js';

export interface OverviewPaneProps {
  /** What to show (src/view/overview.ts overviewModel). */
  model: OverviewModel | undefined;
  width: number;
  /** Lines available; the pane never draws more. */
  height: number;
  /** Bits per second instead of bytes (b). */
  bits: boolean;
  noColor: boolean;
}

const COLOURS: Record<LineStyle, { color?: string; bold?: boolean; dim?: boolean }> = {
  heading: { bold: true, color: 'cyan' },
  alert: { bold: true, color: 'red' },
  warn: { color: 'yellow' },
  good: { color: 'green' },
  dim: { dim: true },
  plain: {},
};

/** The first screen: trouble counters with their history, traffic, sockets by state, latest changes. */
export const OverviewPane = memo(function OverviewPane({
  model,
  width,
  height,
  bits,
  noColor,
}: OverviewPaneProps) {
  if (!model) {
    return (
      <Box height={height}>
        <Text dimColor>sampling…</Text>
      </Box>
    );
  }
  const format: OverviewFormat = {
    spark: sparkline,
    rate: formatPerSecond,
    bytes: (v) => formatByteRate(v, bits),
    clock: formatClock,
    escape: escapeControl,
  };
  const lines = overviewLines(model, width, height, format);
  return (
    <Box flexDirection="column" height={height} width={width}>
      {lines.map((line) => (
        <Text key={line.key} wrap="truncate-end">
          {line.segments.map((s, i) => {
            const style = COLOURS[s.style];
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional pieces of one line
              <Text key={i} color={noColor ? undefined : style.color} bold={style.bold} dimColor={style.dim}>
                {s.text}
              </Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
});

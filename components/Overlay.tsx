import { Box, Text } from 'ink';
import { displayWidth, truncate, wrapText } from '../src/view/textwidth.js';

export interface OverlayProps {
  title: string;
  /** Already escaped text lines; wrapped at the width (see wrapLines), never cut short. */
  lines: readonly string[];
  width: number;
  /** Lines available, title included. */
  height: number;
  /** First (wrapped) line to show, for scrolling long help and details. */
  offset?: number;
}

/** At most this many wrapped lines of any one line (a field): a 2 MB command line is not 10,000 screens. */
export const MAX_WRAPPED_LINES = 64;

/**
 * `lines` broken between graphemes so none is wider than `width`: a details view exists to show the whole
 * command line, which a cut would lose, up to MAX_WRAPPED_LINES lines of it (the last says how much is
 * left out). The overlay scrolls to show what does not fit.
 */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (width < 1 || (line.length <= width && displayWidth(line) <= width)) out.push(line);
    else out.push(...wrapText(line, width, MAX_WRAPPED_LINES));
  }
  return out;
}

/** A full-pane text panel (help, details): a bold title and as many lines as fit. */
export function Overlay({ title, lines, width, height, offset = 0 }: OverlayProps) {
  const body = Math.max(0, height - 1);
  const visible = wrapLines(lines, width).slice(offset, offset + body);
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text bold wrap="truncate-end">
        {truncate(title, width)}
      </Text>
      {visible.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional text, not entities
        <Text key={i} wrap="truncate-end">
          {truncate(line, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}

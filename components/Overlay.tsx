import { Box, Text } from 'ink';
import { truncate } from '../src/textwidth.js';

export interface OverlayProps {
  title: string;
  /** Already escaped text lines; cut to fit, never wrapped. */
  lines: readonly string[];
  width: number;
  /** Lines available, title included. */
  height: number;
  /** First line to show, for scrolling long details. */
  offset?: number;
}

/** A full-pane text panel (help, details): a bold title and as many lines as fit. */
export function Overlay({ title, lines, width, height, offset = 0 }: OverlayProps) {
  const body = Math.max(0, height - 1);
  const visible = lines.slice(offset, offset + body);
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

import { Text } from 'ink';
import { truncate } from '../src/view/textwidth.js';

export interface StatusBarProps {
  /** Pieces of status, most important first; joined with " │ " and cut to the width. */
  items: readonly string[];
  /** Pieces that must stand out (PAUSED, gone listeners), shown first and bold. */
  alerts: readonly string[];
  width: number;
  noColor: boolean;
}

/** The bottom line: alerts first (PAUSED, "2 gone"), then host, interval, sample time, TCP states, counts. */
export function StatusBar({ items, alerts, width, noColor }: StatusBarProps) {
  const alertText = alerts.join(' ');
  const rest = items.join(' │ ');
  const line = truncate(alertText ? `${alertText} │ ${rest}` : rest, Math.max(0, width));
  const cut = Math.min(alertText.length, line.length);
  return (
    <Text wrap="truncate-end">
      <Text bold color={noColor ? undefined : 'red'} inverse={!noColor && cut > 0}>
        {line.slice(0, cut)}
      </Text>
      <Text dimColor={!noColor}>{line.slice(cut)}</Text>
    </Text>
  );
}

import { Text } from 'ink';
import { truncate } from '../src/view/textwidth.js';

export interface FilterLineProps {
  /** Text being typed, or undefined when the filter line is closed. */
  editing: string | undefined;
  /** The filter applied to the pane in view. */
  applied: string;
  /** Parse error of the text being typed (or of the applied filter), shown inline. */
  error: string | undefined;
  /** Rows shown after filtering / rows in the pane. */
  shown: number;
  total: number;
  width: number;
  noColor: boolean;
}

/** "/port:80 state:est_" while typing, the applied filter and shown/total otherwise, or a key hint. */
export function FilterLine({ editing, applied, error, shown, total, width, noColor }: FilterLineProps) {
  const count = `${shown}/${total}`;
  if (editing !== undefined) {
    const text = `/${editing}█`;
    // While typing, the rows already follow the text (or the last good filter): show how many.
    const err = error ? `  ✗ ${error}` : `  ${count}`;
    return (
      <Text wrap="truncate-end">
        <Text bold>{truncate(text, width)}</Text>
        <Text color={noColor ? undefined : 'red'}>{truncate(err, Math.max(0, width - text.length))}</Text>
      </Text>
    );
  }
  if (applied) {
    const err = error ? ` ✗ ${error}` : '';
    return (
      <Text wrap="truncate-end" color={noColor ? undefined : 'cyan'}>
        {truncate(`filter: ${applied}  ${count}${err}`, width)}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" dimColor={!noColor}>
      {truncate(`${count}  ? help  / filter  Enter details  q quit`, width)}
    </Text>
  );
}

import { Text } from 'ink';
import { truncate } from '../src/view/textwidth.js';

export interface FilterLineProps {
  /** Text being typed, or undefined when the filter line is closed. */
  editing: string | undefined;
  /** Cursor offset in `editing`. */
  cursor?: number;
  /** The pane has no rows to filter (the Overview): show the pane keys instead of a count. */
  noRows?: boolean;
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
export function FilterLine({
  editing,
  cursor,
  applied,
  error,
  shown,
  total,
  width,
  noColor,
  noRows = false,
}: FilterLineProps) {
  const count = `${shown}/${total}`;
  if (editing !== undefined) {
    // The cursor is the inverse cell; the text scrolls to keep it in view on a narrow terminal.
    const at = Math.max(0, Math.min(cursor ?? editing.length, editing.length));
    const before = [...`/${editing.slice(0, at)}`];
    const after = [...editing.slice(at)];
    // At the end of the text the cursor is a block, which reads the same on a terminal without styles.
    const under = after.shift();
    const room = Math.max(1, width - 1);
    const skip = Math.max(0, before.length + 1 - room);
    const head = before.slice(skip).join('');
    const tail = truncate(after.join(''), Math.max(0, room - (before.length - skip) - 1));
    const used = before.length - skip + 1 + [...tail].length;
    // While typing, the rows already follow the text (or the last good filter): show how many.
    const err = error ? `  ✗ ${error}` : `  ${count}`;
    return (
      <Text wrap="truncate-end">
        <Text bold>{head}</Text>
        {under === undefined ? <Text bold>█</Text> : <Text inverse>{under}</Text>}
        <Text bold>{tail}</Text>
        <Text color={noColor ? undefined : 'red'}>{truncate(err, Math.max(0, width - used))}</Text>
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
  const hint = noRows
    ? '? help  2-8 panes  Tab next  a ack  q quit'
    : `${count}  ? help  / filter  Enter details  q quit`;
  return (
    <Text wrap="truncate-end" dimColor={!noColor}>
      {truncate(hint, width)}
    </Text>
  );
}

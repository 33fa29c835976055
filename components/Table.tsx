import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { displayWidth, padEnd, padStart, truncate } from '../src/view/textwidth.js';

export interface Column<Row> {
  /** Stable id, also the React key of the column. */
  key: string;
  /** Header text; also the column's minimum width when neither `min` nor `width` is given. */
  header: string;
  /** Cell text (already escaped by the caller; the table never sees control chars). */
  get: (row: Row) => string;
  /** Alignment of header and cells; numbers read best right-aligned. */
  align?: 'left' | 'right';
  /** Minimum / preferred width in columns; the flexible column(s) take the rest. */
  min?: number;
  width?: number;
  flex?: boolean;
  /** Dropped first (in order of ascending priority) when the terminal is too narrow; unset = never. */
  priority?: number;
  /** The sort key (uistate SORT_KEYS) this column shows, for the ▲/▼ in its header. */
  sortKey?: string;
}

export interface RowStyle {
  /** One-column mark in the gutter: '+', '-', '~', ' '. Text, so it survives NO_COLOR. */
  mark?: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

export interface TableProps<Row> {
  /** Columns left to right; keep the array stable (memoised) so the layout is not recomputed. */
  columns: readonly Column<Row>[];
  /** The whole (filtered, sorted) list; only the visible slice is ever read. */
  rows: readonly Row[];
  /** Lines available INCLUDING the header line; the frame is never taller. */
  height: number;
  /** Terminal columns available; no line is wider (except in `wide` mode, see below). */
  width: number;
  /** Index into rows, -1 for none. Always kept in view. */
  selected: number;
  /** Index of the first visible row as the caller last saw it; see visibleWindow. */
  scrollTop: number;
  /** Cells keep their full text and columns are widened to fit; the line is cut at `width`. */
  wide?: boolean;
  /** React key of a row: keeps unchanged rows memoised while scrolling. */
  rowKey: (row: Row) => string;
  /** Per-row mark shown in a 1-char gutter before the first column, and the row's style. */
  rowStyle?: (row: Row) => RowStyle | undefined;
  /** Drop colours (NO_COLOR); bold, dim, inverse and marks stay. */
  noColor?: boolean;
  /** The terminal shows no attributes at all (FORCE_COLOR=0): mark the selected row with '>' instead. */
  plain?: boolean;
  /** The pane's sort, shown as ▲ (ascending) or ▼ in the sorted column's header. */
  sort?: { readonly key: string; readonly arrow: string };
  /** Columns scrolled off to the left (←/→); the rest are shown at full width, cut at the edge. */
  hOffset?: number;
}

/** What every pane takes and hands to its table unchanged (the pane adds columns, keys and styles). */
export type PaneProps<Row> = Pick<
  TableProps<Row>,
  'rows' | 'width' | 'height' | 'selected' | 'scrollTop' | 'wide' | 'noColor' | 'plain' | 'sort' | 'hOffset'
>;

export interface FittedColumn<Row> {
  column: Column<Row>;
  width: number;
}

/** Columns of the mark gutter in front of the first column. */
export const GUTTER = 1;
/** Below this many terminal columns only the first column is shown. */
export const NARROW = 10;

/**
 * The slice of rows to show in `height` body lines (the table's height minus its header line).
 * Starts from `scrollTop`, moves just enough to bring `selected` into view, and never leaves empty
 * lines at the bottom while earlier rows exist. Store the returned `start` as the next scrollTop.
 */
export function visibleWindow(
  total: number,
  height: number,
  selected: number,
  scrollTop: number,
): { start: number; end: number } {
  const lines = Math.max(0, Math.floor(height));
  const count = Math.max(0, Math.floor(total));
  if (lines === 0 || count === 0) return { start: 0, end: 0 };
  let start = Math.min(Math.max(0, Math.floor(scrollTop) || 0), Math.max(0, count - lines));
  if (selected >= 0 && selected < count) {
    if (selected < start) start = selected;
    else if (selected >= start + lines) start = selected - lines + 1;
  }
  return { start, end: Math.min(count, start + lines) };
}

function minWidth<Row>(column: Column<Row>): number {
  const fallback = column.flex ? displayWidth(column.header) : (column.width ?? displayWidth(column.header));
  return Math.max(1, Math.floor(column.min ?? fallback));
}

function preferredWidth<Row>(column: Column<Row>): number {
  return Math.max(minWidth(column), Math.floor(column.width ?? 0));
}

function usedWidth<Row>(fitted: readonly FittedColumn<Row>[]): number {
  let used = Math.max(0, fitted.length - 1);
  for (const f of fitted) used += f.width;
  return used;
}

/** Before dropping a column of this priority or higher, the flex columns shrink to their minimum. */
export const SHRINK_FLEX_BEFORE = 7;
/** Before dropping a column of this priority or higher, every column shrinks to its minimum. */
export const SHRINK_ALL_BEFORE = 9;

/**
 * Column widths for a table `width` columns wide (the 1-column gutter is reserved here). Columns
 * start at their preferred width; while too wide, prioritised columns are dropped lowest first — but
 * before an important one goes (priority ≥ SHRINK_FLEX_BEFORE) the flexible columns (addresses,
 * programs) shrink to their minimum, and before a key one goes (≥ SHRINK_ALL_BEFORE) every column
 * does; then columns are dropped from the right, and a lone first column is cut to fit. So at 80
 * columns the queues go, the addresses get shorter, and PID/Program stays. Leftover space is shared by
 * the flex columns. In `wide` mode nothing is dropped or shrunk: the caller widens columns to their
 * content and lets the line be cut.
 */
export function fitColumns<Row>(
  columns: readonly Column<Row>[],
  width: number,
  wide = false,
): FittedColumn<Row>[] {
  const first = columns[0];
  if (first === undefined) return [];
  const room = Math.max(0, Math.floor(width) - GUTTER);
  if (!wide && width < NARROW) return [{ column: first, width: room }];

  let fitted = columns.map((column) => ({ column, width: preferredWidth(column) }));
  if (!wide) {
    const victims = fitted
      .map((f, index) => ({ f, index }))
      .filter(({ f }) => f.column.priority !== undefined)
      // Lowest priority first; among equals the rightmost goes first, so the left edge stays stable.
      .sort((a, b) => (a.f.column.priority ?? 0) - (b.f.column.priority ?? 0) || b.index - a.index);
    const shrink = (all: boolean) => {
      for (const f of fitted) if (all || f.column.flex) f.width = minWidth(f.column);
    };
    for (const { f } of victims) {
      if (usedWidth(fitted) <= room || fitted.length === 1) break;
      const priority = f.column.priority ?? 0;
      if (priority >= SHRINK_FLEX_BEFORE) shrink(false);
      if (priority >= SHRINK_ALL_BEFORE) shrink(true);
      if (usedWidth(fitted) <= room) break;
      fitted = fitted.filter((g) => g !== f);
    }
    if (usedWidth(fitted) > room) shrink(true);
    while (usedWidth(fitted) > room && fitted.length > 1) fitted.pop();
    const only = fitted[0];
    if (fitted.length === 1 && only !== undefined && only.width > room) only.width = room;
  }

  const flex = fitted.filter((f) => f.column.flex);
  const spare = room - usedWidth(fitted);
  if (flex.length > 0 && spare > 0) {
    const share = Math.floor(spare / flex.length);
    flex.forEach((f, i) => {
      f.width += share + (i < spare % flex.length ? 1 : 0);
    });
  }
  return fitted;
}

// Wide mode: no cell is cut, so each column grows to its widest visible cell (or header).
function widenToContent<Row>(
  fitted: readonly FittedColumn<Row>[],
  rows: readonly Row[],
  start: number,
  end: number,
): FittedColumn<Row>[] {
  return fitted.map(({ column, width }) => {
    let widest = Math.max(width, displayWidth(column.header));
    for (let i = start; i < end; i++) widest = Math.max(widest, displayWidth(column.get(rows[i] as Row)));
    return { column, width: widest };
  });
}

function formatLine<Row>(
  mark: string,
  cells: readonly string[],
  layout: readonly FittedColumn<Row>[],
  width: number,
  wide: boolean,
): string {
  let line = mark;
  layout.forEach(({ column, width: w }, i) => {
    const text = wide ? (cells[i] ?? '') : truncate(cells[i] ?? '', w);
    if (i > 0) line += ' ';
    line += column.align === 'right' ? padStart(text, w) : padEnd(text, w);
  });
  // Cheap (ASCII fast path) and guarantees the terminal never wraps a line, even in wide mode.
  return truncate(line, width);
}

function gutterMark(mark: string | undefined, selected = false, plain = false): string {
  if (selected && plain) return '>';
  return mark !== undefined && displayWidth(mark) === 1 ? mark : ' ';
}

/** "State▲": the arrow replaces the header's last character when the header fills its column ("Recv-▼"). */
function headerWithArrow(header: string, arrow: string, width: number): string {
  if (displayWidth(header) + 1 <= width) return `${header}${arrow}`;
  return `${header.slice(0, Math.max(0, width - 1))}${arrow}`;
}

interface RowLineProps<Row> {
  row: Row;
  layout: readonly FittedColumn<Row>[];
  width: number;
  wide: boolean;
  selected: boolean;
  rowStyle: ((row: Row) => RowStyle | undefined) | undefined;
  noColor: boolean;
  plain: boolean;
}

// Memoised per row: scrolling by one line re-renders one row, and a snapshot that keeps unchanged
// row objects re-renders only the rows that changed.
function RowLineImpl<Row>({
  row,
  layout,
  width,
  wide,
  selected,
  rowStyle,
  noColor,
  plain,
}: RowLineProps<Row>) {
  const style = rowStyle?.(row);
  const cells = layout.map(({ column }) => column.get(row));
  const line = formatLine(gutterMark(style?.mark, selected, plain), cells, layout, width, wide);
  return (
    <Text
      wrap="truncate-end"
      inverse={selected}
      color={noColor ? undefined : style?.color}
      bold={style?.bold}
      dimColor={style?.dim}
    >
      {line}
    </Text>
  );
}

const RowLine = memo(RowLineImpl) as typeof RowLineImpl;

function TableImpl<Row>({
  columns,
  rows,
  height,
  width,
  selected,
  scrollTop,
  wide = false,
  rowKey,
  rowStyle,
  noColor = false,
  plain = false,
  sort,
  hOffset = 0,
}: TableProps<Row>) {
  // Scrolled sideways: every column from the first one in view, at full width, as in wide mode.
  const shift = Math.min(Math.max(0, Math.floor(hOffset)), Math.max(0, columns.length - 1));
  const scrolled = wide || shift > 0;
  const shown = useMemo(() => (shift > 0 ? columns.slice(shift) : columns), [columns, shift]);
  const fitted = useMemo(() => fitColumns(shown, width, scrolled), [shown, width, scrolled]);
  const { start, end } = visibleWindow(rows.length, height - 1, selected, scrollTop);
  const layout = useMemo(
    () => (scrolled ? widenToContent(fitted, rows, start, end) : fitted),
    [fitted, scrolled, rows, start, end],
  );
  const header = useMemo(
    () =>
      formatLine(
        shift > 0 ? '◀' : gutterMark(undefined),
        layout.map(({ column, width: w }) =>
          sort && column.sortKey === sort.key ? headerWithArrow(column.header, sort.arrow, w) : column.header,
        ),
        layout,
        width,
        false,
      ),
    [layout, width, sort, shift],
  );
  if (height < 1 || width < 1) return null;

  const lines = [];
  for (let i = start; i < end; i++) {
    const row = rows[i] as Row;
    lines.push(
      <RowLine
        key={rowKey(row)}
        row={row}
        layout={layout}
        width={width}
        wide={scrolled}
        selected={i === selected}
        rowStyle={rowStyle}
        noColor={noColor}
        plain={plain}
      />,
    );
  }
  return (
    <Box flexDirection="column" width={width} height={Math.floor(height)}>
      <Text bold wrap="truncate-end">
        {header}
      </Text>
      {lines}
    </Box>
  );
}

/** A fast presentational table: renders only the visible rows, one line each, never taller than `height`. */
export const Table = memo(TableImpl) as typeof TableImpl;

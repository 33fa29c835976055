import { Box, Text } from 'ink';
import { describe, expect, it, vi } from 'vitest';
import {
  type Column,
  fitColumns,
  GUTTER,
  Table,
  type TableProps,
  visibleWindow,
} from '../../components/Table.js';
import { useTerminalSize } from '../../hooks/useTerminalSize.js';
import { displayWidth } from '../../src/view/textwidth.js';
import { renderAt } from '../helpers/render.js';

// Chalk decides its colour level when first loaded; forcing it here (this file runs in its own
// worker) lets the tests see inverse and colour codes, and prove noColor drops the colours.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const SGR = /\x1b\[[0-9;]*m/g;
const plain = (s: string): string => s.replace(SGR, '');

interface Conn {
  id: number;
  proto: string;
  local: string;
  remote: string;
  state: string;
  process: string;
}

function makeRows(n: number): Conn[] {
  return Array.from({ length: n }, (_, id) => ({
    id,
    proto: id % 2 ? 'tcp' : 'tcp6',
    local: `127.0.0.1:${1000 + (id % 60000)}`,
    remote: `10.0.${id % 256}.${id % 200}:443`,
    state: id % 3 ? 'ESTABLISHED' : 'TIME_WAIT',
    process: `proc-${id}`,
  }));
}

const COLUMNS: Column<Conn>[] = [
  { key: 'proto', header: 'PROTO', get: (r) => r.proto, width: 5 },
  { key: 'local', header: 'LOCAL', get: (r) => r.local, width: 21 },
  { key: 'remote', header: 'REMOTE', get: (r) => r.remote, width: 21, priority: 2 },
  { key: 'state', header: 'STATE', get: (r) => r.state, width: 11, priority: 3 },
  { key: 'id', header: 'ID', get: (r) => String(r.id), width: 6, align: 'right', priority: 1 },
  { key: 'process', header: 'PROCESS', get: (r) => r.process, min: 7, flex: true },
];

const ROWS_20K = makeRows(20_000);

function props(over: Partial<TableProps<Conn>> = {}): TableProps<Conn> {
  return {
    columns: COLUMNS,
    rows: ROWS_20K,
    height: 10,
    width: 100,
    selected: -1,
    scrollTop: 0,
    rowKey: (r) => String(r.id),
    ...over,
  };
}

function frameLines(frame: string | undefined): string[] {
  return plain(frame ?? '').split('\n');
}

describe('visibleWindow', () => {
  it.each([
    ['top of a long list', 100, 10, -1, 0, 0, 10],
    ['keeps scrollTop while the selection is in view', 100, 10, 15, 12, 12, 22],
    ['selection below the window scrolls down just enough', 100, 10, 30, 0, 21, 31],
    ['selection above the window scrolls up to it', 100, 10, 5, 50, 5, 15],
    ['selection is the last row', 100, 10, 99, 0, 90, 100],
    ['scrollTop past the end is pulled back', 100, 10, -1, 500, 90, 100],
    ['negative scrollTop clamps to 0', 100, 10, -1, -7, 0, 10],
    ['list shorter than the window', 3, 10, 2, 0, 0, 3],
    ['list shrank under the old scrollTop', 5, 10, -1, 40, 0, 5],
    ['selection out of range is ignored', 100, 10, 1000, 20, 20, 30],
    ['empty list', 0, 10, -1, 0, 0, 0],
    ['no room', 100, 0, 50, 0, 0, 0],
    ['negative height', 100, -3, 50, 0, 0, 0],
    ['one line follows the selection', 100, 1, 42, 0, 42, 43],
  ])('%s', (_name, total, height, selected, scrollTop, start, end) => {
    expect(visibleWindow(total, height, selected, scrollTop)).toEqual({ start, end });
  });
});

describe('fitColumns', () => {
  const widths = (width: number, wide = false) =>
    Object.fromEntries(fitColumns(COLUMNS, width, wide).map((f) => [f.column.key, f.width]));
  const used = (width: number) => {
    const fitted = fitColumns(COLUMNS, width);
    return GUTTER + fitted.reduce((sum, f) => sum + f.width, 0) + fitted.length - 1;
  };

  it('gives fixed columns their width and the rest to the flex column', () => {
    expect(widths(120)).toEqual({ proto: 5, local: 21, remote: 21, state: 11, id: 6, process: 50 });
    expect(used(120)).toBe(120);
  });

  it('drops prioritised columns lowest first as the width shrinks', () => {
    // All at preferred width: 1 + 5+21+21+11+6+7 + 5 separators = 77.
    expect(Object.keys(widths(77))).toEqual(['proto', 'local', 'remote', 'state', 'id', 'process']);
    expect(Object.keys(widths(76))).toEqual(['proto', 'local', 'remote', 'state', 'process']);
    expect(Object.keys(widths(69))).toEqual(['proto', 'local', 'state', 'process']);
    expect(Object.keys(widths(48))).toEqual(['proto', 'local', 'state', 'process']);
    expect(Object.keys(widths(47))).toEqual(['proto', 'local', 'process']);
  });

  it('then drops unprioritised columns from the right, and cuts a lone first column', () => {
    expect(widths(30)).toEqual({ proto: 5, local: 21 });
    expect(widths(20)).toEqual({ proto: 5 });
    expect(widths(10)).toEqual({ proto: 5 });
  });

  it('shows only the first column, cut to fit, below 10 columns', () => {
    expect(widths(9)).toEqual({ proto: 8 });
    expect(widths(3)).toEqual({ proto: 2 });
    expect(widths(0)).toEqual({ proto: 0 });
  });

  it('never uses more than the width', () => {
    for (let w = 10; w <= 200; w++) expect(used(w)).toBeLessThanOrEqual(w);
  });

  it('shrinks columns to their min before dropping unprioritised ones', () => {
    const cols: Column<string>[] = [
      { key: 'a', header: 'A', get: (r) => r, width: 20, min: 8 },
      { key: 'b', header: 'B', get: (r) => r, width: 20, min: 8 },
    ];
    expect(fitColumns(cols, 42).map((f) => f.width)).toEqual([20, 20]);
    expect(fitColumns(cols, 30).map((f) => f.width)).toEqual([8, 8]);
    expect(fitColumns(cols, 17).map((f) => f.width)).toEqual([8]);
  });

  it('splits spare room between several flex columns', () => {
    const cols: Column<string>[] = [
      { key: 'a', header: 'AAAA', get: (r) => r, flex: true },
      { key: 'b', header: 'BBBB', get: (r) => r, flex: true },
    ];
    expect(fitColumns(cols, 20).map((f) => f.width)).toEqual([9, 9]);
    expect(fitColumns(cols, 21).map((f) => f.width)).toEqual([10, 9]);
  });

  it('keeps every column at its preferred width in wide mode', () => {
    expect(widths(30, true)).toEqual({ proto: 5, local: 21, remote: 21, state: 11, id: 6, process: 7 });
    expect(widths(120, true).process).toBe(50);
  });

  it('handles no columns', () => {
    expect(fitColumns([], 80)).toEqual([]);
  });
});

describe('<Table>', () => {
  it('shows exactly the header and 9 rows of 20,000 at 100x10', () => {
    const { lastFrame } = renderAt(<Table {...props()} />, { columns: 100, rows: 10 });
    const lines = frameLines(lastFrame());
    expect(lines).toHaveLength(10);
    expect(lines[0]!.trimEnd()).toMatch(/^ PROTO +LOCAL +REMOTE +STATE +ID PROCESS$/);
    expect(lines.slice(1).map((l) => l.trimEnd().split(/ +/).at(-1))).toEqual(
      Array.from({ length: 9 }, (_, i) => `proc-${i}`),
    );
  });

  it('scrolls a selected row near the end into view, inverse', () => {
    const { lastFrame } = renderAt(<Table {...props({ selected: 19_995 })} />, { columns: 100, rows: 10 });
    const raw = (lastFrame() ?? '').split('\n');
    const lines = raw.map(plain);
    expect(lines).toHaveLength(10);
    expect(lines[1]).toContain('proc-19987');
    expect(lines[9]).toContain('proc-19995');
    expect(raw[9]).toContain('\x1b[7m');
    expect(raw.slice(0, 9).some((l) => l.includes('\x1b[7m'))).toBe(false);
  });

  it('keeps the caller scrollTop while the selection is visible', () => {
    const { lastFrame } = renderAt(<Table {...props({ selected: 503, scrollTop: 500 })} />, {
      columns: 100,
      rows: 10,
    });
    expect(frameLines(lastFrame())[1]).toContain('proc-500');
  });

  it.each([
    [20, 8],
    [20, 3],
    [9, 5],
    [40, 24],
    [65, 24],
    [80, 24],
    [200, 50],
  ])('never exceeds %ix%i and drops columns to fit', (columns, rows) => {
    const { lastFrame } = renderAt(<Table {...props({ width: columns, height: rows, selected: 3 })} />, {
      columns,
      rows,
    });
    const lines = frameLines(lastFrame());
    expect(lines.length).toBeLessThanOrEqual(rows);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
    expect(lines[0]).toContain('PROTO');
    if (columns < 77) expect(lines[0]).not.toContain(' ID ');
    if (columns < 69) expect(lines[0]).not.toContain('REMOTE');
  });

  it('shows a sensible 20x3 table: header and two rows', () => {
    const { lastFrame } = renderAt(<Table {...props({ width: 20, height: 3 })} />, { columns: 20, rows: 3 });
    expect(frameLines(lastFrame())).toEqual([' PROTO', ' tcp6', ' tcp']);
  });

  it('below 10 columns shows only the first column, cut', () => {
    const cols: Column<Conn>[] = [{ key: 'addr', header: 'LOCAL ADDRESS', get: (r) => r.local }, ...COLUMNS];
    const { lastFrame } = renderAt(<Table {...props({ columns: cols, width: 8, height: 3 })} />, {
      columns: 8,
      rows: 3,
    });
    expect(frameLines(lastFrame())).toEqual([' LOCAL …', ' 127.0.…', ' 127.0.…']);
  });

  it.each([1, 1.9])('height %s shows only the header', (height) => {
    const { lastFrame } = renderAt(<Table {...props({ height, selected: 100 })} />, {
      columns: 100,
      rows: 1,
    });
    const lines = frameLines(lastFrame());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PROCESS');
  });

  it.each([0, 0.5, -2])('renders nothing at height %s', (height) => {
    const { lastFrame } = renderAt(<Table {...props({ height })} />, { columns: 100, rows: 1 });
    expect(lastFrame()).toBe('');
  });

  it('pads to its height when there are few rows', () => {
    const { lastFrame } = renderAt(<Table {...props({ rows: ROWS_20K.slice(0, 2), height: 5 })} />, {
      columns: 100,
      rows: 24,
    });
    const lines = frameLines(lastFrame());
    expect(lines).toHaveLength(5);
    expect(lines.slice(3)).toEqual(['', '']);
  });

  it('shows marks as text in the gutter, with and without colour', () => {
    const marks = ['+', '-', '~', ' '];
    const rowStyle = (r: Conn) => ({ mark: marks[r.id % 4], color: 'green' });
    const rows = ROWS_20K.slice(0, 4);
    const colour = renderAt(<Table {...props({ rows, height: 5, rowStyle })} />, { columns: 100, rows: 5 });
    const mono = renderAt(<Table {...props({ rows, height: 5, rowStyle, noColor: true })} />, {
      columns: 100,
      rows: 5,
    });
    for (const frame of [colour.lastFrame(), mono.lastFrame()]) {
      expect(frameLines(frame).map((l) => l.slice(0, 6))).toEqual([
        ' PROTO',
        '+tcp6 ',
        '-tcp  ',
        '~tcp6 ',
        ' tcp  ',
      ]);
    }
    expect(colour.lastFrame()).toContain('\x1b[32m');
    expect(mono.lastFrame()).not.toContain('\x1b[32m');
    expect(mono.lastFrame()).not.toMatch(/\x1b\[3\dm/);
  });

  it('shows a row that has no style, or a too-wide mark, with a blank gutter', () => {
    const rowStyle = (r: Conn) => (r.id === 0 ? undefined : { mark: r.id === 1 ? '++' : '中' });
    const { lastFrame } = renderAt(
      <Table {...props({ rows: ROWS_20K.slice(0, 3), height: 4, rowStyle })} />,
      {
        columns: 100,
        rows: 4,
      },
    );
    expect(frameLines(lastFrame()).map((l) => l[0])).toEqual([' ', ' ', ' ', ' ']);
  });

  it('keeps full cell text in wide mode, and cuts it otherwise', () => {
    const long = `${'x'.repeat(40)}END`;
    const rows = [{ ...ROWS_20K[0]!, local: long }];
    const narrow = renderAt(<Table {...props({ rows, height: 2 })} />, { columns: 100, rows: 2 });
    const wide = renderAt(<Table {...props({ rows, height: 2, wide: true })} />, { columns: 100, rows: 2 });
    expect(frameLines(narrow.lastFrame())[1]).not.toContain('END');
    expect(frameLines(narrow.lastFrame())[1]).toContain('…');
    const wideLines = frameLines(wide.lastFrame());
    expect(wideLines[1]).toContain(long);
    // Columns stay aligned: the header grew with the widest cell.
    expect(wideLines[0]!.indexOf('REMOTE')).toBe(wideLines[1]!.indexOf('10.0.0.0:443'));
    for (const line of wideLines) expect(displayWidth(line)).toBeLessThanOrEqual(100);
  });

  it('cuts CJK cells by display width', () => {
    const rows = [{ ...ROWS_20K[0]!, process: '中文进程名字很长很长很长' }];
    const { lastFrame } = renderAt(<Table {...props({ rows, height: 2, width: 60 })} />, {
      columns: 60,
      rows: 2,
    });
    const lines = frameLines(lastFrame());
    expect(lines[1]).toContain('中文');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });

  it('reads only the visible rows of 200,000', () => {
    const rows = makeRows(200_000);
    const seen = new Set<number>();
    let calls = 0;
    const columns = COLUMNS.map((c) => ({
      ...c,
      get: (r: Conn) => {
        calls++;
        seen.add(r.id);
        return c.get(r);
      },
    }));
    const { lastFrame } = renderAt(
      <Table {...props({ columns, rows, height: 25, selected: 150_000, scrollTop: 0 })} />,
      { columns: 100, rows: 25 },
    );
    expect(frameLines(lastFrame())[24]).toContain('proc-150000');
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => 149_977 + i));
    expect(calls).toBe(24 * COLUMNS.length);
  });

  it('re-reads only the row that scrolled into view when moving down by one', () => {
    const rows = makeRows(1000);
    const seen: number[] = [];
    const columns = COLUMNS.map((c) => ({
      ...c,
      get: (r: Conn) => {
        if (c.key === 'proto') seen.push(r.id);
        return c.get(r);
      },
    }));
    const base = props({ columns, rows, height: 6, selected: 4, scrollTop: 0 });
    const { rerender, lastFrame } = renderAt(<Table {...base} />, { columns: 100, rows: 6 });
    seen.length = 0;
    rerender(<Table {...base} selected={5} scrollTop={0} />);
    expect(frameLines(lastFrame())[5]).toContain('proc-5');
    // Rows 1..3 are unchanged and memoised; row 4 lost the selection, row 5 is new and selected.
    expect(seen.sort((a, b) => a - b)).toEqual([4, 5]);
  });
});

function SizedTable() {
  const { columns, rows } = useTerminalSize();
  return (
    <Box flexDirection="column">
      <Text>{`${columns}x${rows}`}</Text>
      <Table {...props({ width: columns, height: rows - 1 })} />
    </Box>
  );
}

describe('useTerminalSize with renderAt', () => {
  it('starts at the given size and follows resize events', async () => {
    const r = renderAt(<SizedTable />, { columns: 20, rows: 8 });
    let lines = frameLines(r.lastFrame());
    expect(lines[0]).toBe('20x8');
    expect(lines).toHaveLength(8);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(20);

    await r.resize(200, 50);
    lines = frameLines(r.lastFrame());
    expect(lines[0]).toBe('200x50');
    expect(lines).toHaveLength(50);
    expect(lines[1]).toContain('REMOTE');

    await r.resize(80, 24);
    lines = frameLines(r.lastFrame());
    expect(lines[0]).toBe('80x24');
    expect(lines).toHaveLength(24);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
  });

  it('removes its resize listener on unmount', () => {
    const r = renderAt(<SizedTable />, { columns: 20, rows: 8 });
    const before = r.stdout.listenerCount('resize');
    r.unmount();
    expect(r.stdout.listenerCount('resize')).toBeLessThan(before);
    expect(r.stdout.listenerCount('resize')).toBe(0);
  });

  it('defaults to 80x24 when the stream has no size', () => {
    const r = renderAt(<SizedTable />, { columns: 0, rows: 0 });
    expect(frameLines(r.lastFrame())[0]).toBe('80x24');
  });
});

describe('<Table> sort arrow, sideways scroll, unstyled selection', () => {
  const sortable = COLUMNS.map((c) => (c.key === 'state' ? { ...c, sortKey: 'state' } : c));

  it('shows ▲/▼ after the sorted column header, replacing its last letter when the header fills the column', () => {
    const up = renderAt(<Table {...props({ columns: sortable, sort: { key: 'state', arrow: '▲' } })} />, {
      columns: 100,
      rows: 10,
    });
    expect(frameLines(up.lastFrame())[0]).toMatch(/ STATE▲ /);
    const narrow = [{ ...COLUMNS[0]!, sortKey: 'proto' }, ...COLUMNS.slice(1)];
    const down = renderAt(<Table {...props({ columns: narrow, sort: { key: 'proto', arrow: '▼' } })} />, {
      columns: 100,
      rows: 10,
    });
    expect(frameLines(down.lastFrame())[0]).toMatch(/^ PROT▼ LOCAL/);
  });

  it('hOffset hides whole columns on the left and shows the rest at full width, marked ◀', () => {
    const app = renderAt(<Table {...props({ width: 40, hOffset: 2 })} />, { columns: 40, rows: 10 });
    const [head, first] = frameLines(app.lastFrame());
    expect(head).toMatch(/^◀REMOTE\s+STATE/);
    expect(first).toMatch(/^ 10\.0\.0\.0:443\s+TIME_WAIT/);
    // Past the last column it stays on the last one.
    const far = renderAt(<Table {...props({ width: 40, hOffset: 99 })} />, { columns: 40, rows: 10 });
    expect(frameLines(far.lastFrame())[0]).toMatch(/^◀PROCESS/);
  });

  it('marks the selected row with > when the terminal draws no styles', () => {
    const app = renderAt(<Table {...props({ selected: 1, plain: true })} />, { columns: 100, rows: 10 });
    const lines = frameLines(app.lastFrame());
    expect(lines[2]).toMatch(/^>tcp /);
    expect(lines[1]).toMatch(/^ tcp6 /);
  });
});

describe('<FilterLine> cursor', () => {
  it('shows the cursor as a block at the end and as an inverse character in the middle', async () => {
    const { FilterLine } = await import('../../components/FilterLine.js');
    const common = { applied: '', error: undefined, shown: 3, total: 9, width: 40, noColor: false };
    const end = renderAt(<FilterLine {...common} editing="port:80" cursor={7} />, { columns: 40, rows: 2 });
    expect(plain(end.lastFrame() ?? '')).toMatch(/^\/port:80█ {2}3\/9/);
    const mid = renderAt(<FilterLine {...common} editing="port:80" cursor={5} />, { columns: 40, rows: 2 });
    expect(plain(mid.lastFrame() ?? '')).toMatch(/^\/port:80 {2}3\/9/);
    expect(mid.lastFrame()).toContain('\u001B[7m8');
  });

  it('keeps the cursor in view on a narrow terminal', async () => {
    const { FilterLine } = await import('../../components/FilterLine.js');
    const text = 'port:8000-9000 state:established cmd:nginx';
    const app = renderAt(
      <FilterLine
        editing={text}
        cursor={text.length}
        applied=""
        error={undefined}
        shown={1}
        total={2}
        width={20}
        noColor={false}
      />,
      { columns: 20, rows: 2 },
    );
    const line = plain(app.lastFrame() ?? '');
    expect(line).toContain('nginx█');
    expect(displayWidth(line)).toBeLessThanOrEqual(20);
  });
});

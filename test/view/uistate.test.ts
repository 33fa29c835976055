import { describe, expect, it } from 'vitest';
import { actionsFor } from '../../src/view/keys.js';
import {
  type Action,
  initialUiState,
  KEYMAP,
  type KeyContext,
  type KeyPress,
  keyToAction,
  PANE_COLUMNS,
  PANES,
  reduce,
  SORT_KEYS,
  sortArrow,
  type UiState,
} from '../../src/view/uistate.js';

const CTX: KeyContext = { total: 100, page: 10 };

describe('reduce', () => {
  const s0 = initialUiState({ pane: 'connections' });

  it('starts on the Overview, nothing filtered, first sort key of each pane, all toggles off', () => {
    expect(initialUiState().pane).toBe('overview');
    expect(s0.editing).toBeUndefined();
    for (const p of PANES) {
      expect(s0.filters[p]).toBe('');
      expect(s0.selected[p]).toBe(0);
      expect(s0.hOffset[p]).toBe(0);
      expect(s0.sort[p]).toEqual({ key: SORT_KEYS[p][0] ?? '', reverse: false });
    }
    expect([s0.paused, s0.wide, s0.numeric, s0.showUnix, s0.hideZero, s0.changedOnly, s0.bits]).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(initialUiState({ pane: 'stats', numeric: true })).toMatchObject({ pane: 'stats', numeric: true });
  });

  it('quit sets quit', () => {
    expect(reduce(s0, { type: 'quit' }).quit).toBe(true);
  });

  it('pane switches and closes the details view', () => {
    const s = reduce({ ...s0, details: true }, { type: 'pane', pane: 'routes' });
    expect(s.pane).toBe('routes');
    expect(s.details).toBe(false);
  });

  it('nextPane and prevPane go round the eight panes, and close help and details', () => {
    let s = s0;
    const seen: string[] = [];
    for (let i = 0; i < PANES.length; i++) {
      s = reduce(s, { type: 'nextPane' });
      seen.push(s.pane);
    }
    expect(seen).toEqual([
      'listeners',
      'routes',
      'interfaces',
      'stats',
      'processes',
      'events',
      'overview',
      'connections',
    ]);
    expect(reduce(s0, { type: 'prevPane' }).pane).toBe('overview');
    expect(reduce({ ...s0, pane: 'routes', details: true, help: true }, { type: 'prevPane' })).toMatchObject({
      pane: 'listeners',
      details: false,
      help: false,
    });
    expect(reduce({ ...s0, help: true }, { type: 'pane', pane: 'stats' })).toMatchObject({
      pane: 'stats',
      help: false,
    });
  });

  it('help toggles; closeOverlay closes help and details', () => {
    const open = reduce(s0, { type: 'help' });
    expect(open.help).toBe(true);
    expect(reduce(open, { type: 'help' }).help).toBe(false);
    expect(reduce({ ...s0, help: true, details: true }, { type: 'closeOverlay' })).toMatchObject({
      help: false,
      details: false,
    });
  });

  it('filterOpen starts from the applied filter of the pane in view and closes help', () => {
    const s = { ...s0, help: true, filters: { ...s0.filters, connections: 'port:80' } };
    expect(reduce(s, { type: 'filterOpen' })).toMatchObject({ editing: 'port:80', help: false });
  });

  it('filterInput and filterBackspace edit the open line, and do nothing when it is closed', () => {
    let s = reduce(s0, { type: 'filterOpen' });
    s = reduce(s, { type: 'filterInput', text: 'po' });
    s = reduce(s, { type: 'filterInput', text: 'rt' });
    expect(s.editing).toBe('port');
    expect(reduce(s, { type: 'filterBackspace' }).editing).toBe('por');
    expect(reduce(s0, { type: 'filterInput', text: 'x' })).toBe(s0);
    expect(reduce(s0, { type: 'filterBackspace' })).toBe(s0);
    expect(reduce({ ...s0, editing: '' }, { type: 'filterBackspace' }).editing).toBe('');
  });

  it('filterApply stores the trimmed text for this pane only and goes back to the first row', () => {
    const s = { ...s0, editing: '  port:80 ', selected: { ...s0.selected, connections: 7, listeners: 3 } };
    const applied = reduce(s, { type: 'filterApply' });
    expect(applied.filters).toMatchObject({ connections: 'port:80', listeners: '' });
    expect(applied.editing).toBeUndefined();
    expect(applied.selected).toMatchObject({ connections: 0, listeners: 3 });
    expect(applied.scrollTop.connections).toBe(0);
    expect(reduce(s0, { type: 'filterApply' })).toBe(s0);
  });

  it('filterCancel clears the filter of this pane whether the line is open or not', () => {
    const s = { ...s0, filters: { ...s0.filters, connections: 'port:80', routes: 'eth0' } };
    expect(reduce({ ...s, editing: 'port:8' }, { type: 'filterCancel' })).toMatchObject({
      editing: undefined,
      filters: { connections: '', routes: 'eth0' },
    });
    expect(reduce(s, { type: 'filterCancel' }).filters.connections).toBe('');
  });

  it('move clamps to the rows and keeps the selection inside the page', () => {
    const move = (s: UiState, delta: number, total = 100, page = 10) =>
      reduce(s, { type: 'move', delta, total, page });
    let s = move(s0, -1);
    expect(s.selected.connections).toBe(0);
    s = move(s, 9);
    expect([s.selected.connections, s.scrollTop.connections]).toEqual([9, 0]);
    s = move(s, 1);
    expect([s.selected.connections, s.scrollTop.connections]).toEqual([10, 1]);
    s = move(s, 1000);
    expect([s.selected.connections, s.scrollTop.connections]).toEqual([99, 90]);
    s = move(s, -95);
    expect([s.selected.connections, s.scrollTop.connections]).toEqual([4, 4]);
    expect(move(s0, 5, 0).selected.connections).toBe(0);
    // Only the pane in view moves.
    expect(s.selected.listeners).toBe(0);
  });

  it('home and end jump to the first and last row', () => {
    const end = reduce(s0, { type: 'end', total: 50, page: 10 });
    expect([end.selected.connections, end.scrollTop.connections]).toEqual([49, 40]);
    const home = reduce(end, { type: 'home' });
    expect([home.selected.connections, home.scrollTop.connections]).toEqual([0, 0]);
    const short = reduce(s0, { type: 'end', total: 3, page: 10 });
    expect([short.selected.connections, short.scrollTop.connections]).toEqual([2, 0]);
    const empty = reduce(s0, { type: 'end', total: 0, page: 10 });
    expect(empty.selected.connections).toBe(0);
  });

  it('while help or details is open, move, home and end scroll it and leave the selection alone', () => {
    for (const open of [{ help: true }, { details: true }]) {
      let s: UiState = { ...s0, ...open, selected: { ...s0.selected, connections: 5 } };
      s = reduce(s, { type: 'move', delta: 3, total: 40, page: 10 });
      expect(s.overlayTop).toBe(3);
      s = reduce(s, { type: 'move', delta: 100, total: 40, page: 10 });
      expect(s.overlayTop).toBe(30);
      s = reduce(s, { type: 'move', delta: -50, total: 40, page: 10 });
      expect(s.overlayTop).toBe(0);
      s = reduce(s, { type: 'end', total: 40, page: 10 });
      expect(s.overlayTop).toBe(30);
      expect(reduce(s, { type: 'home' }).overlayTop).toBe(0);
      // Text shorter than the pane does not scroll.
      expect(reduce(s, { type: 'end', total: 4, page: 10 }).overlayTop).toBe(0);
      expect(s.selected.connections).toBe(5);
      expect(s.scrollTop.connections).toBe(0);
    }
  });

  it('opening or closing help or details starts the text at its top', () => {
    const scrolled = { ...s0, overlayTop: 7 };
    expect(reduce(scrolled, { type: 'help' }).overlayTop).toBe(0);
    expect(reduce(scrolled, { type: 'details' }).overlayTop).toBe(0);
    expect(reduce({ ...scrolled, help: true }, { type: 'closeOverlay' }).overlayTop).toBe(0);
  });

  it('scrollTo sets the window start, never below zero', () => {
    expect(reduce(s0, { type: 'scrollTo', scrollTop: 12 }).scrollTop.connections).toBe(12);
    expect(reduce(s0, { type: 'scrollTo', scrollTop: -3 }).scrollTop.connections).toBe(0);
  });

  it('sortNext cycles the pane’s sort keys and wraps; sortReverse flips the direction', () => {
    for (const pane of PANES.filter((p) => SORT_KEYS[p].length > 0)) {
      let s: UiState = { ...s0, pane };
      const keys: string[] = [];
      for (let i = 0; i < SORT_KEYS[pane].length; i++) {
        s = reduce(s, { type: 'sortNext' });
        keys.push(s.sort[pane].key);
      }
      expect(keys).toEqual([...SORT_KEYS[pane].slice(1), SORT_KEYS[pane][0]]);
    }
    const reversed = reduce(s0, { type: 'sortReverse' });
    expect(reversed.sort.connections).toEqual({ key: 'proto', reverse: true });
    expect(reduce(reversed, { type: 'sortReverse' }).sort.connections.reverse).toBe(false);
    // A new column starts ascending.
    expect(reduce(reversed, { type: 'sortNext' }).sort.connections).toEqual({ key: 'local', reverse: false });
  });

  it.each([
    ['togglePause', 'paused'],
    ['toggleNumeric', 'numeric'],
    ['toggleWide', 'wide'],
    ['toggleUnix', 'showUnix'],
    ['toggleZero', 'hideZero'],
    ['toggleChanged', 'changedOnly'],
    ['toggleBits', 'bits'],
  ] as const)('%s flips %s', (type, field) => {
    const on = reduce(s0, { type });
    expect(on[field]).toBe(true);
    expect(reduce(on, { type })[field]).toBe(false);
  });

  it('details toggles and closes help', () => {
    const open = reduce({ ...s0, help: true }, { type: 'details' });
    expect(open).toMatchObject({ details: true, help: false });
    expect(reduce(open, { type: 'details' }).details).toBe(false);
  });

  it('ack bumps ackSeq', () => {
    expect(reduce(reduce(s0, { type: 'ack' }), { type: 'ack' }).ackSeq).toBe(2);
  });

  it('returns a new object and leaves the old state alone', () => {
    const before = JSON.stringify(s0);
    const after = reduce(s0, { type: 'move', delta: 3, total: 10, page: 5 });
    expect(after).not.toBe(s0);
    expect(JSON.stringify(s0)).toBe(before);
  });
});

describe('keyToAction outside the filter line', () => {
  const s0 = initialUiState({ pane: 'connections' });
  const cases: Array<[name: string, press: KeyPress, action: Action | undefined]> = [
    ['q', { input: 'q' }, { type: 'quit' }],
    ['Ctrl-C', { input: 'c', ctrl: true }, { type: 'quit' }],
    ['?', { input: '?' }, { type: 'help' }],
    ['1', { input: '1' }, { type: 'pane', pane: 'overview' }],
    ['2', { input: '2' }, { type: 'pane', pane: 'connections' }],
    ['3', { input: '3' }, { type: 'pane', pane: 'listeners' }],
    ['4', { input: '4' }, { type: 'pane', pane: 'routes' }],
    ['5', { input: '5' }, { type: 'pane', pane: 'interfaces' }],
    ['6', { input: '6' }, { type: 'pane', pane: 'stats' }],
    ['7', { input: '7' }, { type: 'pane', pane: 'processes' }],
    ['8', { input: '8' }, { type: 'pane', pane: 'events' }],
    ['t', { input: 't' }, { type: 'cycleGroup' }],
    ['→', { input: '', rightArrow: true }, { type: 'scrollColumns', delta: 1 }],
    ['←', { input: '', leftArrow: true }, { type: 'scrollColumns', delta: -1 }],
    ['Tab', { input: '', tab: true }, { type: 'nextPane' }],
    ['Shift-Tab', { input: '', tab: true, shift: true }, { type: 'prevPane' }],
    ['/', { input: '/' }, { type: 'filterOpen' }],
    ['Esc', { input: '', escape: true }, { type: 'filterCancel' }],
    ['↑', { input: '', upArrow: true }, { type: 'move', delta: -1, ...CTX }],
    ['k', { input: 'k' }, { type: 'move', delta: -1, ...CTX }],
    ['↓', { input: '', downArrow: true }, { type: 'move', delta: 1, ...CTX }],
    ['j', { input: 'j' }, { type: 'move', delta: 1, ...CTX }],
    ['PgUp', { input: '', pageUp: true }, { type: 'move', delta: -10, ...CTX, scroll: true }],
    ['PgDn', { input: '', pageDown: true }, { type: 'move', delta: 10, ...CTX, scroll: true }],
    ['Home', { input: '', home: true }, { type: 'home' }],
    ['g', { input: 'g' }, { type: 'home' }],
    ['End', { input: '', end: true }, { type: 'end', ...CTX }],
    ['G', { input: 'G', shift: true }, { type: 'end', ...CTX }],
    ['s', { input: 's' }, { type: 'sortNext' }],
    ['S', { input: 'S', shift: true }, { type: 'sortReverse' }],
    ['Space', { input: ' ' }, { type: 'togglePause' }],
    ['p', { input: 'p' }, { type: 'togglePause' }],
    ['n', { input: 'n' }, { type: 'toggleNumeric' }],
    ['W', { input: 'W', shift: true }, { type: 'toggleWide' }],
    ['x', { input: 'x' }, { type: 'toggleUnix' }],
    ['a', { input: 'a' }, { type: 'ack' }],
    ['z', { input: 'z' }, { type: 'toggleZero' }],
    ['c', { input: 'c' }, { type: 'toggleChanged' }],
    ['b', { input: 'b' }, { type: 'toggleBits' }],
    ['Enter', { input: '', return: true }, { type: 'details' }],
    ['an unbound letter', { input: 'y' }, undefined],
    ['Ctrl-Q', { input: 'q', ctrl: true }, undefined],
  ];

  it.each(cases)('%s', (_name, press, action) => {
    expect(keyToAction(press, s0, CTX)).toEqual(action);
  });

  it('covers every KEYMAP binding with a case above', () => {
    const matched = new Set<string>();
    for (const [, press] of cases) {
      const binding = KEYMAP.find((b) => b.match(press));
      if (binding) matched.add(binding.keys);
    }
    expect([...matched].sort()).toEqual(KEYMAP.map((b) => b.keys).sort());
  });

  it('Esc closes help or details first, and only then clears the filter', () => {
    const esc: KeyPress = { input: '', escape: true };
    expect(keyToAction(esc, { ...s0, help: true }, CTX)).toEqual({ type: 'closeOverlay' });
    expect(keyToAction(esc, { ...s0, details: true }, CTX)).toEqual({ type: 'closeOverlay' });
  });

  it('a page is at least one row', () => {
    expect(keyToAction({ input: '', pageDown: true }, s0, { total: 5, page: 0 })).toMatchObject({ delta: 1 });
  });
});

describe('keyToAction in the filter line', () => {
  const editing = initialUiState({ editing: 'port:8' });

  it.each([
    ['q types a q', { input: 'q' }, { type: 'filterInput', text: 'q' }],
    ['? types a ?', { input: '?' }, { type: 'filterInput', text: '?' }],
    ['digits type', { input: '1' }, { type: 'filterInput', text: '1' }],
    ['space types', { input: ' ' }, { type: 'filterInput', text: ' ' }],
    ['Enter applies', { input: '', return: true }, { type: 'filterApply' }],
    ['Esc clears', { input: '', escape: true }, { type: 'filterCancel' }],
    ['Backspace deletes', { input: '', backspace: true }, { type: 'filterBackspace' }],
    ['Delete deletes', { input: '', delete: true }, { type: 'filterBackspace' }],
    ['Ctrl-C still quits', { input: 'c', ctrl: true }, { type: 'quit' }],
    ['Tab is ignored', { input: '', tab: true }, undefined],
    ['↓ is ignored', { input: '', downArrow: true }, undefined],
    ['← moves the cursor', { input: '', leftArrow: true }, { type: 'filterCursor', to: -1 }],
    ['→ moves the cursor', { input: '', rightArrow: true }, { type: 'filterCursor', to: 1 }],
    ['Home goes to the start', { input: '', home: true }, { type: 'filterCursor', to: 'home' }],
    ['End goes to the end', { input: '', end: true }, { type: 'filterCursor', to: 'end' }],
    ['Ctrl-A goes to the start', { input: 'a', ctrl: true }, { type: 'filterCursor', to: 'home' }],
    ['Ctrl-E goes to the end', { input: 'e', ctrl: true }, { type: 'filterCursor', to: 'end' }],
    ['Ctrl-U kills to the start', { input: 'u', ctrl: true }, { type: 'filterKill', what: 'line' }],
    ['Ctrl-W kills a word', { input: 'w', ctrl: true }, { type: 'filterKill', what: 'word' }],
    ['Ctrl-D deletes under the cursor', { input: 'd', ctrl: true }, { type: 'filterDelete' }],
    ['Ctrl-Q is ignored', { input: 'q', ctrl: true }, undefined],
  ] as Array<[string, KeyPress, Action | undefined]>)('%s', (_name, press, action) => {
    expect(keyToAction(press, editing, CTX)).toEqual(action);
  });
});

describe('actionsFor (keys that arrive in one read)', () => {
  it('splits "/port:80" into opening the filter line and typing into it', () => {
    const actions = actionsFor({ input: '/port:80' }, initialUiState(), CTX);
    expect(actions[0]).toEqual({ type: 'filterOpen' });
    expect(
      actions
        .slice(1)
        .map((a) => (a.type === 'filterInput' ? a.text : a.type))
        .join(''),
    ).toBe('port:80');
    let s = initialUiState();
    for (const a of actions) s = reduce(s, a);
    expect(s.editing).toBe('port:80');
  });

  it('a single key maps as keyToAction does', () => {
    expect(actionsFor({ input: 'q' }, initialUiState(), CTX)).toEqual([{ type: 'quit' }]);
  });
});

describe('editing the filter line', () => {
  /** The line after typing `text` then the presses, as "text|cursor". */
  function edit(text: string, ...presses: KeyPress[]): string {
    let s = reduce(initialUiState({ pane: 'connections' }), { type: 'filterOpen' });
    for (const a of actionsFor({ input: text }, s, CTX)) s = reduce(s, a);
    for (const p of presses) for (const a of actionsFor(p, s, CTX)) s = reduce(s, a);
    const line = s.editing ?? '';
    return `${line.slice(0, s.cursor)}|${line.slice(s.cursor)}`;
  }
  const left: KeyPress = { input: '', leftArrow: true };
  const right: KeyPress = { input: '', rightArrow: true };
  const bs: KeyPress = { input: '', backspace: true };
  const ctrl = (c: string): KeyPress => ({ input: c, ctrl: true });

  it.each([
    ['typing appends', edit('port:80'), 'port:80|'],
    ['← ← then typing inserts', edit('port:80', left, left, { input: '4' }), 'port:4|80'],
    ['Backspace in the middle', edit('port:80', left, bs), 'port:|0'],
    ['Backspace at the start does nothing', edit('ab', ctrl('a'), bs), '|ab'],
    ['→ stops at the end', edit('ab', right, right), 'ab|'],
    ['Home and End', edit('ab', { input: '', home: true }), '|ab'],
    ['Ctrl-E', edit('ab', ctrl('a'), ctrl('e')), 'ab|'],
    ['Ctrl-U kills before the cursor', edit('port:80 state:est', left, left, left, ctrl('u')), '|est'],
    ['Ctrl-W kills the word before', edit('port:80 state:est', ctrl('w')), 'port:80 |'],
    ['Ctrl-W eats the blanks first', edit('port:80   ', ctrl('w')), '|'],
    ['Ctrl-D deletes under the cursor', edit('abc', ctrl('a'), ctrl('d')), '|bc'],
    ['a surrogate pair is one step', edit('a😀', left, bs), '|😀'],
  ])('%s', (_name, got, expected) => {
    expect(got).toBe(expected);
  });
});

describe('Esc and the next key in one read', () => {
  it('is Esc, then the key: the filter clears and the key still acts', () => {
    const s = initialUiState({
      pane: 'connections',
      filters: { ...initialUiState().filters, connections: 'port:80' },
    });
    // Ink reports "\x1bq" as meta + q.
    const actions = actionsFor({ input: 'q', meta: true }, s, CTX);
    expect(actions).toEqual([{ type: 'filterCancel' }, { type: 'quit' }]);
    const help = actionsFor({ input: '3', meta: true }, { ...s, help: true }, CTX);
    expect(help).toEqual([{ type: 'closeOverlay' }, { type: 'pane', pane: 'listeners' }]);
  });
});

describe('sort notices', () => {
  it('s says what it sorted by, with the direction; the next key clears it', () => {
    const s = reduce(initialUiState({ pane: 'connections' }), { type: 'sortNext' });
    expect(s.notice).toBe('sorted by Local Address ▲');
    const q = reduce(
      { ...s, sort: { ...s.sort, connections: { key: 'sendQ', reverse: false } } },
      { type: 'sortReverse' },
    );
    expect(q.notice).toBe('sorted by Send-Q ▲');
    const next = actionsFor({ input: 'j' }, s, CTX);
    expect(next[0]).toEqual({ type: 'notice', text: undefined });
  });

  it('▲ runs from the smallest, ▼ from the largest; queues and rates start with the largest', () => {
    expect(sortArrow('local', false)).toBe('▲');
    expect(sortArrow('local', true)).toBe('▼');
    expect(sortArrow('recvQ', false)).toBe('▼');
    expect(sortArrow('rate', true)).toBe('▲');
    // The Events pane starts newest first: its arrow says so.
    expect(sortArrow('time', false)).toBe('▼');
  });
});

describe('PgDn and PgUp', () => {
  it('move the window a page on the first press, with the selection at the same place on screen', () => {
    const s0 = initialUiState({ pane: 'connections' });
    const down = reduce(s0, { type: 'move', delta: 10, total: 100, page: 10, scroll: true });
    expect([down.selected.connections, down.scrollTop.connections]).toEqual([10, 10]);
    const again = reduce(down, { type: 'move', delta: 10, total: 100, page: 10, scroll: true });
    expect([again.selected.connections, again.scrollTop.connections]).toEqual([20, 20]);
    const up = reduce(again, { type: 'move', delta: -10, total: 100, page: 10, scroll: true });
    expect([up.selected.connections, up.scrollTop.connections]).toEqual([10, 10]);
    // Near the end the window stops at the last page and the selection goes on to the last row.
    const end = reduce(
      {
        ...s0,
        selected: { ...s0.selected, connections: 93 },
        scrollTop: { ...s0.scrollTop, connections: 88 },
      },
      { type: 'move', delta: 10, total: 100, page: 10, scroll: true },
    );
    expect([end.selected.connections, end.scrollTop.connections]).toEqual([99, 90]);
  });
});

describe('horizontal scroll', () => {
  it('moves a column at a time, never before the first or past the last column', () => {
    let s = initialUiState({ pane: 'connections' });
    for (let i = 0; i < 40; i++) s = reduce(s, { type: 'scrollColumns', delta: 1 });
    expect(s.hOffset.connections).toBe(PANE_COLUMNS.connections - 1);
    expect(s.hOffset.listeners).toBe(0);
    for (let i = 0; i < 50; i++) s = reduce(s, { type: 'scrollColumns', delta: -1 });
    expect(s.hOffset.connections).toBe(0);
  });
});

describe('Processes grouping', () => {
  it('t cycles process → remote address → local service → process, from the first row, and says so', () => {
    let s = initialUiState({ pane: 'processes', selected: { ...initialUiState().selected, processes: 5 } });
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      s = reduce(s, { type: 'cycleGroup' });
      seen.push(`${s.processGroup}: ${s.notice}`);
      expect(s.selected.processes).toBe(0);
    }
    expect(seen).toEqual([
      'remote: Processes by remote address',
      'service: Processes by local service (port)',
      'process: Processes by process',
    ]);
  });
});

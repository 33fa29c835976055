import { PROCESS_GROUPS, type ProcessGroup } from './processes.js';

// UI state of the live view as a pure reducer, and the one keymap that turns keys into actions.
// The help overlay prints KEYMAP, so what the help says is what the keys do.

export const PANES = [
  'overview',
  'connections',
  'listeners',
  'routes',
  'interfaces',
  'stats',
  'processes',
  'events',
] as const;
export type Pane = (typeof PANES)[number];

export const PANE_TITLES: Record<Pane, string> = {
  overview: 'Overview',
  connections: 'Connections',
  listeners: 'Listeners',
  routes: 'Routes',
  interfaces: 'Interfaces',
  stats: 'Stats',
  processes: 'Processes',
  events: 'Events',
};

/** Columns of each pane's table (components/*Pane.tsx; a test checks they agree), for ←/→. */
export const PANE_COLUMNS: Record<Pane, number> = {
  overview: 0,
  connections: 15,
  listeners: 7,
  routes: 6,
  interfaces: 21,
  stats: 7,
  processes: 13,
  events: 5,
};

/** Sortable columns per pane, in the order `s` cycles through them. The first is the default. */
export const SORT_KEYS: Record<Pane, readonly string[]> = {
  overview: [],
  connections: [
    'proto',
    'local',
    'remote',
    'state',
    'pid',
    'rx',
    'tx',
    'rtt',
    'retr',
    'recvQ',
    'sendQ',
    'age',
  ],
  listeners: ['proto', 'local', 'pid', 'queue', 'status'],
  routes: ['destination', 'gateway', 'metric', 'iface'],
  interfaces: ['name', 'state', 'rx', 'tx', 'errors'],
  stats: ['group', 'name', 'value', 'rate'],
  processes: ['share', 'rx', 'tx', 'retr', 'conns', 'listeners', 'pid', 'name'],
  events: ['time', 'kind', 'object'],
};

/** How `s` names a sort key in its notice. */
export const SORT_LABELS: Readonly<Record<string, string>> = {
  proto: 'Proto',
  local: 'Local Address',
  remote: 'Foreign Address',
  state: 'State',
  pid: 'PID',
  recvQ: 'Recv-Q',
  sendQ: 'Send-Q',
  age: 'Age',
  queue: 'Accept queue',
  status: 'Status',
  destination: 'Destination',
  gateway: 'Gateway',
  metric: 'Metric',
  iface: 'Iface',
  name: 'Name',
  rx: 'RX/s',
  tx: 'TX/s',
  rtt: 'RTT',
  retr: 'Retransmits',
  share: 'Share of traffic',
  conns: 'Connections',
  listeners: 'Listeners',
  errors: 'Errors',
  group: 'Group (netstat order)',
  value: 'Value',
  rate: 'Rate',
};

/** Sorts whose natural order is largest first (queues, rates, values; events newest first). */
const DESCENDING: ReadonlySet<string> = new Set([
  'time',
  'recvQ',
  'sendQ',
  'queue',
  'rx',
  'tx',
  'rtt',
  'retr',
  'share',
  'conns',
  'listeners',
  'errors',
  'value',
  'rate',
]);

/** ▲ when the rows run from the smallest (or A) down, ▼ when from the largest. */
export function sortArrow(key: string, reverse: boolean): string {
  return DESCENDING.has(key) !== reverse ? '▼' : '▲';
}

export interface UiState {
  readonly pane: Pane;
  /** Applied filter text per pane (the filter applies to the pane in view). */
  readonly filters: Readonly<Record<Pane, string>>;
  /** Filter line being edited, or undefined when closed. */
  readonly editing: string | undefined;
  /** Cursor position in `editing` (UTF-16 offset, 0 … length). */
  readonly cursor: number;
  readonly selected: Readonly<Record<Pane, number>>;
  readonly scrollTop: Readonly<Record<Pane, number>>;
  /** Columns scrolled to the right (←/→); 0 fits the columns to the terminal. */
  readonly hOffset: Readonly<Record<Pane, number>>;
  readonly sort: Readonly<Record<Pane, { key: string; reverse: boolean }>>;
  readonly paused: boolean;
  readonly wide: boolean;
  readonly numeric: boolean;
  readonly showUnix: boolean;
  readonly hideZero: boolean;
  readonly changedOnly: boolean;
  readonly bits: boolean;
  /** What the Processes pane groups by (t cycles it). */
  readonly processGroup: ProcessGroup;
  readonly help: boolean;
  readonly details: boolean;
  /** First line of the help or details overlay in view: while one is open, the movement keys scroll it. */
  readonly overlayTop: number;
  /** Bumped by `a`: listeners gone before this are acknowledged (the store drops them). */
  readonly ackSeq: number;
  /** A one-key message for the status bar ("sorted by State ▲"); cleared by the next key. */
  readonly notice: string | undefined;
  readonly quit: boolean;
}

function perPane<T>(make: (p: Pane) => T): Record<Pane, T> {
  return Object.fromEntries(PANES.map((p) => [p, make(p)])) as Record<Pane, T>;
}

export function initialUiState(overrides: Partial<UiState> = {}): UiState {
  return {
    pane: 'overview',
    filters: perPane(() => ''),
    editing: undefined,
    cursor: 0,
    selected: perPane(() => 0),
    scrollTop: perPane(() => 0),
    hOffset: perPane(() => 0),
    sort: perPane((p) => ({ key: SORT_KEYS[p][0] ?? '', reverse: false })),
    paused: false,
    wide: false,
    numeric: false,
    showUnix: false,
    hideZero: false,
    changedOnly: false,
    bits: false,
    processGroup: 'process',
    help: false,
    details: false,
    overlayTop: 0,
    ackSeq: 0,
    notice: undefined,
    quit: false,
    ...overrides,
  };
}

export type Action =
  | { type: 'quit' }
  | { type: 'pane'; pane: Pane }
  | { type: 'nextPane' }
  | { type: 'prevPane' }
  | { type: 'help' }
  | { type: 'closeOverlay' }
  | { type: 'filterOpen' }
  | { type: 'filterInput'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'filterDelete' }
  /** Cursor: -1/+1 a character, 'home'/'end'. */
  | { type: 'filterCursor'; to: -1 | 1 | 'home' | 'end' }
  /** Ctrl-U: delete to the start; Ctrl-W: delete the word before the cursor. */
  | { type: 'filterKill'; what: 'line' | 'word' }
  | { type: 'filterApply' }
  | { type: 'filterCancel' }
  /** `scroll`: PgUp/PgDn, which move the window by the same amount, so the first press shows a new page. */
  | { type: 'move'; delta: number; total: number; page: number; scroll?: boolean }
  | { type: 'home' }
  | { type: 'end'; total: number; page: number }
  | { type: 'scrollTo'; scrollTop: number }
  /** The view moved the selection to follow its row (rows reordered between samples). */
  | { type: 'select'; index: number; scrollTop: number }
  | { type: 'scrollColumns'; delta: number }
  | { type: 'sortNext' }
  | { type: 'sortReverse' }
  | { type: 'togglePause' }
  | { type: 'toggleNumeric' }
  | { type: 'toggleWide' }
  | { type: 'toggleUnix' }
  | { type: 'toggleZero' }
  | { type: 'toggleChanged' }
  | { type: 'toggleBits' }
  | { type: 'cycleGroup' }
  | { type: 'details' }
  | { type: 'ack' }
  | { type: 'notice'; text: string | undefined };

function setFor<T>(record: Readonly<Record<Pane, T>>, pane: Pane, value: T): Record<Pane, T> {
  return { ...record, [pane]: value };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** Keep the selected row inside the window [scrollTop, scrollTop + page). */
function follow(selected: number, scrollTop: number, page: number): number {
  if (page <= 0) return selected;
  if (selected < scrollTop) return selected;
  if (selected >= scrollTop + page) return selected - page + 1;
  return scrollTop;
}

export function reduce(state: UiState, action: Action): UiState {
  const pane = state.pane;
  switch (action.type) {
    case 'quit':
      return { ...state, quit: true };
    // Switching panes closes help and details: the tab keys work wherever the user is.
    case 'pane':
      return { ...state, pane: action.pane, details: false, help: false, overlayTop: 0 };
    case 'nextPane':
      return {
        ...state,
        pane: PANES[(PANES.indexOf(pane) + 1) % PANES.length]!,
        details: false,
        help: false,
      };
    case 'prevPane':
      return {
        ...state,
        pane: PANES[(PANES.indexOf(pane) + PANES.length - 1) % PANES.length]!,
        details: false,
        help: false,
      };
    case 'help':
      return { ...state, help: !state.help, overlayTop: 0 };
    case 'closeOverlay':
      return { ...state, help: false, details: false, overlayTop: 0 };
    case 'filterOpen':
      return { ...state, editing: state.filters[pane], cursor: state.filters[pane].length, help: false };
    case 'filterInput': {
      if (state.editing === undefined) return state;
      const at = clamp(state.cursor, 0, state.editing.length);
      return {
        ...state,
        editing: state.editing.slice(0, at) + action.text + state.editing.slice(at),
        cursor: at + action.text.length,
      };
    }
    case 'filterBackspace': {
      if (state.editing === undefined) return state;
      const at = clamp(state.cursor, 0, state.editing.length);
      if (at === 0) return state;
      const from = at - charBefore(state.editing, at);
      return { ...state, editing: state.editing.slice(0, from) + state.editing.slice(at), cursor: from };
    }
    case 'filterDelete': {
      if (state.editing === undefined) return state;
      const at = clamp(state.cursor, 0, state.editing.length);
      if (at >= state.editing.length) return state;
      const to = at + charAfter(state.editing, at);
      return { ...state, editing: state.editing.slice(0, at) + state.editing.slice(to), cursor: at };
    }
    case 'filterCursor': {
      if (state.editing === undefined) return state;
      const text = state.editing;
      const at = clamp(state.cursor, 0, text.length);
      const cursor =
        action.to === 'home'
          ? 0
          : action.to === 'end'
            ? text.length
            : action.to < 0
              ? at - (at > 0 ? charBefore(text, at) : 0)
              : at + (at < text.length ? charAfter(text, at) : 0);
      return { ...state, cursor };
    }
    case 'filterKill': {
      if (state.editing === undefined) return state;
      const text = state.editing;
      const at = clamp(state.cursor, 0, text.length);
      let from = 0;
      if (action.what === 'word') {
        // readline's unix-word-rubout: blanks before the cursor, then the word before them.
        from = at;
        while (from > 0 && text[from - 1] === ' ') from--;
        while (from > 0 && text[from - 1] !== ' ') from--;
      }
      return { ...state, editing: text.slice(0, from) + text.slice(at), cursor: from };
    }
    case 'filterApply':
      if (state.editing === undefined) return state;
      return {
        ...state,
        filters: setFor(state.filters, pane, state.editing.trim()),
        editing: undefined,
        cursor: 0,
        selected: setFor(state.selected, pane, 0),
        scrollTop: setFor(state.scrollTop, pane, 0),
      };
    case 'filterCancel':
      // Esc clears the filter (htop's habit), whether the line is open or not.
      return {
        ...state,
        filters: setFor(state.filters, pane, ''),
        editing: undefined,
        cursor: 0,
        selected: setFor(state.selected, pane, 0),
        scrollTop: setFor(state.scrollTop, pane, 0),
      };
    case 'move': {
      if (state.help || state.details) {
        const last = Math.max(0, action.total - action.page);
        return { ...state, overlayTop: clamp(state.overlayTop + action.delta, 0, last) };
      }
      const max = Math.max(0, action.total - 1);
      const selected = clamp(state.selected[pane] + action.delta, 0, max);
      const top = action.scroll
        ? clamp(state.scrollTop[pane] + action.delta, 0, Math.max(0, action.total - action.page))
        : state.scrollTop[pane];
      return {
        ...state,
        selected: setFor(state.selected, pane, selected),
        scrollTop: setFor(state.scrollTop, pane, follow(selected, top, action.page)),
      };
    }
    case 'home':
      if (state.help || state.details) return { ...state, overlayTop: 0 };
      return {
        ...state,
        selected: setFor(state.selected, pane, 0),
        scrollTop: setFor(state.scrollTop, pane, 0),
      };
    case 'end': {
      if (state.help || state.details)
        return { ...state, overlayTop: Math.max(0, action.total - action.page) };
      const selected = Math.max(0, action.total - 1);
      return {
        ...state,
        selected: setFor(state.selected, pane, selected),
        scrollTop: setFor(state.scrollTop, pane, Math.max(0, action.total - action.page)),
      };
    }
    case 'select':
      return {
        ...state,
        selected: setFor(state.selected, pane, Math.max(0, action.index)),
        scrollTop: setFor(state.scrollTop, pane, Math.max(0, action.scrollTop)),
      };
    case 'scrollTo':
      return { ...state, scrollTop: setFor(state.scrollTop, pane, Math.max(0, action.scrollTop)) };
    case 'scrollColumns':
      return {
        ...state,
        hOffset: setFor(
          state.hOffset,
          pane,
          clamp(state.hOffset[pane] + action.delta, 0, Math.max(0, PANE_COLUMNS[pane] - 1)),
        ),
      };
    case 'sortNext': {
      const keys = SORT_KEYS[pane];
      if (keys.length === 0) return state;
      const current = keys.indexOf(state.sort[pane].key);
      return {
        ...state,
        sort: setFor(state.sort, pane, { key: keys[(current + 1) % keys.length]!, reverse: false }),
        notice: `sorted by ${SORT_LABELS[keys[(current + 1) % keys.length]!] ?? keys[(current + 1) % keys.length]} ${sortArrow(keys[(current + 1) % keys.length]!, false)}`,
      };
    }
    case 'sortReverse': {
      if (SORT_KEYS[pane].length === 0) return state;
      const next = { ...state.sort[pane], reverse: !state.sort[pane].reverse };
      return {
        ...state,
        sort: setFor(state.sort, pane, next),
        notice: `sorted by ${SORT_LABELS[next.key] ?? next.key} ${sortArrow(next.key, next.reverse)}`,
      };
    }
    case 'togglePause':
      return { ...state, paused: !state.paused };
    case 'toggleNumeric':
      return { ...state, numeric: !state.numeric };
    case 'toggleWide':
      return { ...state, wide: !state.wide };
    case 'toggleUnix':
      return { ...state, showUnix: !state.showUnix };
    case 'toggleZero':
      return { ...state, hideZero: !state.hideZero };
    case 'toggleChanged':
      return { ...state, changedOnly: !state.changedOnly };
    case 'toggleBits':
      return { ...state, bits: !state.bits };
    case 'cycleGroup': {
      const next = PROCESS_GROUPS[(PROCESS_GROUPS.indexOf(state.processGroup) + 1) % PROCESS_GROUPS.length]!;
      return {
        ...state,
        processGroup: next,
        selected: setFor(state.selected, 'processes', 0),
        scrollTop: setFor(state.scrollTop, 'processes', 0),
        notice: `Processes by ${next === 'process' ? 'process' : next === 'remote' ? 'remote address' : 'local service (port)'}`,
      };
    }
    case 'details':
      return { ...state, details: !state.details, help: false, overlayTop: 0 };
    case 'ack':
      return { ...state, ackSeq: state.ackSeq + 1 };
    case 'notice':
      return state.notice === action.text ? state : { ...state, notice: action.text };
  }
}

/** UTF-16 units of the character before `at` (2 for a surrogate pair), so the cursor never splits one. */
function charBefore(text: string, at: number): number {
  const c = text.charCodeAt(at - 1);
  return at >= 2 && c >= 0xdc00 && c <= 0xdfff ? 2 : 1;
}

function charAfter(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff && at + 1 < text.length ? 2 : 1;
}

/** A key as Ink's useInput reports it, reduced to what the keymap needs. */
export interface KeyPress {
  readonly input: string;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly tab?: boolean;
  readonly escape?: boolean;
  readonly return?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly meta?: boolean;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
}

/** Context the keymap needs to build movement actions. */
export interface KeyContext {
  readonly total: number;
  readonly page: number;
}

export interface KeyBinding {
  /** What the help overlay shows. */
  readonly keys: string;
  readonly help: string;
  readonly match: (k: KeyPress) => boolean;
  readonly action: (ctx: KeyContext, state: UiState) => Action;
}

const is = (ch: string) => (k: KeyPress) => k.input === ch && !k.ctrl;

export const KEYMAP: readonly KeyBinding[] = [
  {
    keys: 'q  Ctrl-C',
    help: 'quit',
    match: (k) => is('q')(k) || (k.ctrl === true && k.input === 'c'),
    action: () => ({ type: 'quit' }),
  },
  { keys: '?', help: 'this help', match: is('?'), action: () => ({ type: 'help' }) },
  ...PANES.map(
    (_p, i): KeyBinding => ({
      keys: String(i + 1),
      help: `${PANE_TITLES[PANES[i]!]} pane`,
      match: is(String(i + 1)),
      action: () => ({ type: 'pane', pane: PANES[i]! }),
    }),
  ),
  {
    keys: 'Tab  Shift-Tab',
    help: 'next / previous pane',
    match: (k) => k.tab === true,
    action: () => ({ type: 'nextPane' }),
  },
  {
    keys: '/',
    help: 'filter (Enter applies, Esc clears)',
    match: is('/'),
    action: () => ({ type: 'filterOpen' }),
  },
  {
    keys: 'Esc',
    help: 'clear filter / close overlay',
    match: (k) => k.escape === true,
    action: (_c, s) => (s.help || s.details ? { type: 'closeOverlay' } : { type: 'filterCancel' }),
  },
  {
    keys: '↑ k',
    help: 'move up',
    match: (k) => k.upArrow === true || is('k')(k),
    action: (c) => ({ type: 'move', delta: -1, ...c }),
  },
  {
    keys: '↓ j',
    help: 'move down',
    match: (k) => k.downArrow === true || is('j')(k),
    action: (c) => ({ type: 'move', delta: 1, ...c }),
  },
  {
    keys: 'PgUp PgDn',
    help: 'page up / down',
    match: (k) => k.pageUp === true || k.pageDown === true,
    action: (c) => ({ type: 'move', delta: 0, ...c }),
  },
  {
    keys: '← →',
    help: 'scroll columns left / right (wide rows)',
    match: (k) => k.leftArrow === true || k.rightArrow === true,
    action: () => ({ type: 'scrollColumns', delta: COLUMN_STEP }),
  },
  {
    keys: 'Home g',
    help: 'first row',
    match: (k) => k.home === true || is('g')(k),
    action: () => ({ type: 'home' }),
  },
  {
    keys: 'End G',
    help: 'last row',
    match: (k) => k.end === true || is('G')(k),
    action: (c) => ({ type: 'end', ...c }),
  },
  { keys: 's', help: 'cycle sort column', match: is('s'), action: () => ({ type: 'sortNext' }) },
  { keys: 'S', help: 'reverse sort', match: is('S'), action: () => ({ type: 'sortReverse' }) },
  {
    keys: 'Space p',
    help: 'pause display (sampling goes on)',
    match: (k) => is(' ')(k) || is('p')(k),
    action: () => ({ type: 'togglePause' }),
  },
  { keys: 'n', help: 'numeric / resolved names', match: is('n'), action: () => ({ type: 'toggleNumeric' }) },
  { keys: 'W', help: 'wide: no truncation', match: is('W'), action: () => ({ type: 'toggleWide' }) },
  {
    keys: 'x',
    help: 'show unix sockets (Connections, Listeners)',
    match: is('x'),
    action: () => ({ type: 'toggleUnix' }),
  },
  {
    keys: 'a',
    help: 'acknowledge gone / restarted / new listeners on screen',
    match: is('a'),
    action: () => ({ type: 'ack' }),
  },
  { keys: 'z', help: 'hide zero counters (Stats)', match: is('z'), action: () => ({ type: 'toggleZero' }) },
  {
    keys: 'c',
    help: 'only counters changed in the last minute (Stats)',
    match: is('c'),
    action: () => ({ type: 'toggleChanged' }),
  },
  { keys: 'b', help: 'bits / bytes per second', match: is('b'), action: () => ({ type: 'toggleBits' }) },
  {
    keys: 't',
    help: 'Processes: by process / remote address / local service',
    match: is('t'),
    action: () => ({ type: 'cycleGroup' }),
  },
  {
    keys: 'Enter',
    help: 'details (Enter again closes); in Events: go to its object',
    match: (k) => k.return === true,
    action: () => ({ type: 'details' }),
  },
];

/** Table columns one ←/→ press scrolls (whole columns: a half-shown address reads as another one). */
export const COLUMN_STEP = 1;

/**
 * Map a key press to an action. While the filter line is open it takes the keys first (typing `q` there
 * types a q); Ctrl-C always quits.
 */
export function keyToAction(k: KeyPress, state: UiState, ctx: KeyContext): Action | undefined {
  if (k.ctrl && k.input === 'c') return { type: 'quit' };
  if (state.editing !== undefined) {
    if (k.return) return { type: 'filterApply' };
    if (k.escape) return { type: 'filterCancel' };
    // Terminals send DEL (0x7f) for the Backspace key, which Ink names `delete`; the Delete key is
    // ESC [3~, which it names `delete` too: both erase before the cursor, as in most line editors here.
    if (k.backspace || k.delete) return { type: 'filterBackspace' };
    if (k.leftArrow) return { type: 'filterCursor', to: -1 };
    if (k.rightArrow) return { type: 'filterCursor', to: 1 };
    if (k.home) return { type: 'filterCursor', to: 'home' };
    if (k.end) return { type: 'filterCursor', to: 'end' };
    if (k.ctrl) {
      if (k.input === 'a') return { type: 'filterCursor', to: 'home' };
      if (k.input === 'e') return { type: 'filterCursor', to: 'end' };
      if (k.input === 'u') return { type: 'filterKill', what: 'line' };
      if (k.input === 'w') return { type: 'filterKill', what: 'word' };
      if (k.input === 'd') return { type: 'filterDelete' };
      if (k.input === 'b') return { type: 'filterCursor', to: -1 };
      if (k.input === 'f') return { type: 'filterCursor', to: 1 };
      return undefined;
    }
    if (k.tab || k.upArrow || k.downArrow || k.pageUp || k.pageDown) return undefined;
    return k.input ? { type: 'filterInput', text: k.input } : undefined;
  }
  if (k.rightArrow) return { type: 'scrollColumns', delta: COLUMN_STEP };
  if (k.leftArrow) return { type: 'scrollColumns', delta: -COLUMN_STEP };
  if (k.tab && k.shift) return { type: 'prevPane' };
  if (k.pageUp) return { type: 'move', delta: -Math.max(1, ctx.page), ...ctx, scroll: true };
  if (k.pageDown) return { type: 'move', delta: Math.max(1, ctx.page), ...ctx, scroll: true };
  for (const binding of KEYMAP) if (binding.match(k)) return binding.action(ctx, state);
  return undefined;
}

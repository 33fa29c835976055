// The Overview pane's model: "is this server's network healthy?" on one screen. Trouble counters as rates
// with their recent history and last climb, throughput without loopback and the busiest interfaces,
// sockets by state, conntrack use, and the latest listener / interface / route changes. Pure; the
// component lays it out for the terminal's size.
import { isListener } from '../model/diff.js';
import type { NetEvent } from '../model/events.js';
import {
  CLIMB_WINDOW_MS,
  type Climb,
  INTERFACE_DROPS,
  INTERFACE_ERRORS,
  type LiveView,
  seriesKey,
} from '../model/livestore.js';
import { bucketMax, SERIES_CAPACITY } from '../model/series.js';

/** How long a sparkline looks back. */
export const HISTORY_MS = 120_000;

/**
 * Samples that make HISTORY_MS at this view's interval (120 at 1 s, 240 at 0.5 s), within what the rings
 * keep. Before the second sample the interval is unknown and one second is assumed.
 */
export function historySamples(view: LiveView): number {
  const interval = view.diff?.elapsedMs ?? 1000;
  return Math.max(30, Math.min(SERIES_CAPACITY, Math.round(HISTORY_MS / Math.max(50, interval))));
}

/** One trouble figure: one or more kernel counters summed (v4 + v6, in + out). */
interface TroubleSpec {
  readonly label: string;
  /** "Group.Name" of each counter summed; the first names the row for details and filters. */
  readonly counters: readonly string[];
}

/** The order a person reads them in: TCP loss first, then accept queues, resets, UDP, IP, links. */
export const TROUBLE: readonly TroubleSpec[] = [
  { label: 'TCP retransmits', counters: ['Tcp.RetransSegs'] },
  { label: 'SYN retransmits', counters: ['TcpExt.TCPSynRetrans'] },
  { label: 'Listen overflows', counters: ['TcpExt.ListenOverflows'] },
  { label: 'Listen drops', counters: ['TcpExt.ListenDrops'] },
  { label: 'Resets sent', counters: ['Tcp.OutRsts'] },
  { label: 'Resets received', counters: ['Tcp.EstabResets'] },
  { label: 'UDP rcvbuf errors', counters: ['Udp.RcvbufErrors', 'Udp6.RcvbufErrors'] },
  { label: 'UDP sndbuf errors', counters: ['Udp.SndbufErrors', 'Udp6.SndbufErrors'] },
  { label: 'UDP no port', counters: ['Udp.NoPorts', 'Udp6.NoPorts'] },
  {
    label: 'IP discards',
    counters: ['Ip.InDiscards', 'Ip.OutDiscards', 'Ip6.InDiscards', 'Ip6.OutDiscards'],
  },
  { label: 'Interface errors', counters: [INTERFACE_ERRORS] },
  { label: 'Interface drops', counters: [INTERFACE_DROPS] },
];

export interface TroubleLine {
  readonly label: string;
  /** "Group.Name" of the (first) counter. */
  readonly key: string;
  /** Per second now; undefined before the second sample or after a reset. */
  readonly rate: number | undefined;
  /** The kernel's total (summed); undefined where no counter exists on this kernel. */
  readonly total: bigint | undefined;
  /** Rates over the last HISTORY_MS (historySamples), oldest first. */
  readonly history: readonly (number | undefined)[];
  /** The newest climb of any counter summed. */
  readonly lastClimb: Climb | undefined;
  /** Climbed within the last minute: highlight. */
  readonly climbing: boolean;
}

export interface Throughput {
  readonly rate: number | undefined;
  readonly history: readonly (number | undefined)[];
}

export interface BusyInterface {
  readonly name: string;
  readonly rx: number | undefined;
  readonly tx: number | undefined;
  readonly operstate: string;
}

export interface SocketSummary {
  /** TCP states present, in the order of a connection's life (ESTABLISHED first), with counts. */
  readonly tcp: readonly (readonly [state: string, count: number])[];
  readonly listeners: number;
  readonly udp: number;
  readonly raw: number;
  readonly unix: number;
}

export interface OverviewModel {
  readonly trouble: readonly TroubleLine[];
  readonly rx: Throughput;
  readonly tx: Throughput;
  /** Interfaces by traffic now, busiest first; loopback last. */
  readonly busiest: readonly BusyInterface[];
  readonly sockets: SocketSummary;
  readonly conntrack: { readonly count: number; readonly max: number } | undefined;
  /** Listener, interface and route events, newest first. */
  readonly changes: readonly NetEvent[];
  readonly gone: number;
  readonly restarted: number;
}

const STATE_ORDER = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'NEW_SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
  'CLOSING',
  'CLOSE',
  'LISTEN',
];

const CHANGE_KINDS = new Set<NetEvent['kind']>([
  'listener-new',
  'listener-gone',
  'listener-restarted',
  'iface-new',
  'iface-deleted',
  'iface-up',
  'iface-down',
  'iface-mtu',
  'route-added',
  'route-removed',
]);

/** Changes the model keeps; the component shows what fits. */
const CHANGES_KEPT = 20;

function counterValue(view: LiveView, key: string): bigint | undefined {
  const dot = key.indexOf('.');
  return view.snapshot.counters.get(key.slice(0, dot))?.get(key.slice(dot + 1));
}

function counterRate(view: LiveView, key: string): number | undefined {
  const dot = key.indexOf('.');
  return view.diff?.counters.get(key.slice(0, dot))?.get(key.slice(dot + 1))?.rate;
}

function sumSeries(
  series: readonly (readonly (number | undefined)[])[],
  length: number,
): (number | undefined)[] {
  const out: (number | undefined)[] = new Array(length).fill(undefined);
  for (const s of series)
    for (let i = 0; i < length; i++) {
      const v = s[i];
      if (v !== undefined) out[i] = (out[i] ?? 0) + v;
    }
  return out;
}

function troubleLine(view: LiveView, spec: TroubleSpec, samples: number): TroubleLine {
  const now = view.snapshot.wallMs;
  const key = spec.counters[0]!;
  let total: bigint | undefined;
  let rate: number | undefined;
  let lastClimb: Climb | undefined;
  const series: (number | undefined)[][] = [];
  const ifaces = key === INTERFACE_ERRORS || key === INTERFACE_DROPS;
  for (const k of spec.counters) {
    const dot = k.indexOf('.');
    series.push(view.series(seriesKey.counter(k.slice(0, dot), k.slice(dot + 1)), samples));
    const climb = view.counters.get(k)?.climbs.at(-1);
    if (climb && (!lastClimb || climb.at > lastClimb.at)) lastClimb = climb;
    if (ifaces) continue;
    const v = counterValue(view, k);
    if (v !== undefined) total = (total ?? 0n) + v;
    const r = counterRate(view, k);
    if (r !== undefined) rate = (rate ?? 0) + r;
  }
  if (ifaces) {
    const field =
      key === INTERFACE_ERRORS ? (['rxErrs', 'txErrs'] as const) : (['rxDrop', 'txDrop'] as const);
    for (const i of view.snapshot.interfaces) total = (total ?? 0n) + i[field[0]] + i[field[1]];
    rate = series[0]?.at(-1);
  }
  return {
    label: spec.label,
    key,
    rate,
    total,
    history: sumSeries(series, samples),
    lastClimb,
    climbing: lastClimb !== undefined && now - lastClimb.at < CLIMB_WINDOW_MS,
  };
}

function socketSummary(view: LiveView): SocketSummary {
  const tcp = new Map<string, number>();
  let listeners = 0;
  let udp = 0;
  let raw = 0;
  let unix = 0;
  for (const s of view.snapshot.sockets) {
    if (isListener(s)) listeners++;
    if (s.kind === 'unix') unix++;
    else if (s.proto === 'tcp' || s.proto === 'tcp6') tcp.set(s.state, (tcp.get(s.state) ?? 0) + 1);
    else if (s.proto.startsWith('raw')) raw++;
    else udp++;
  }
  const states = [...tcp.entries()].sort(
    (a, b) => rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  return { tcp: states, listeners, udp, raw, unix };
}

function rank(state: string): number {
  const i = STATE_ORDER.indexOf(state);
  return i < 0 ? STATE_ORDER.length : i;
}

export function overviewModel(view: LiveView): OverviewModel {
  const samples = historySamples(view);
  const rxHistory = view.series(seriesKey.total('rx'), samples);
  const txHistory = view.series(seriesKey.total('tx'), samples);
  const busiest = view.snapshot.interfaces
    .map((i) => {
      const d = view.diff?.interfaces.get(`${i.name}#${i.ifindex ?? '?'}`);
      return {
        name: i.name,
        rx: d?.counters.get('rxBytes')?.rate,
        tx: d?.counters.get('txBytes')?.rate,
        operstate: i.operstate ?? '',
        loopback: i.name === 'lo' || (i.flags !== undefined && (i.flags & 0x8) !== 0),
      };
    })
    .sort(
      (a, b) =>
        Number(a.loopback) - Number(b.loopback) ||
        (b.rx ?? 0) + (b.tx ?? 0) - ((a.rx ?? 0) + (a.tx ?? 0)) ||
        a.name.localeCompare(b.name),
    )
    .map(({ loopback: _l, ...rest }) => rest);
  // Newest first, but what is still unacknowledged (a listener gone or restarted) before the rest: on a
  // busy host a crash must not scroll away under a stream of new listeners.
  const pending: NetEvent[] = [];
  const changes: NetEvent[] = [];
  const goneAt = new Map(view.gone.map((g) => [g.key, g.vanishedAt]));
  for (let i = view.events.length - 1; i >= 0 && pending.length + changes.length < 4 * CHANGES_KEPT; i--) {
    const e = view.events[i]!;
    if (!CHANGE_KINDS.has(e.kind)) continue;
    const key = e.target?.key ?? '';
    const open =
      (e.kind === 'listener-gone' && goneAt.get(key) === e.time) ||
      (e.kind === 'listener-restarted' && view.restarted.get(key)?.at === e.time);
    if (open) pending.push(e);
    else if (changes.length < CHANGES_KEPT) changes.push(e);
  }
  changes.unshift(...pending);
  changes.length = Math.min(changes.length, CHANGES_KEPT + pending.length);
  return {
    trouble: TROUBLE.map((spec) => troubleLine(view, spec, samples)),
    rx: { rate: rxHistory.at(-1), history: rxHistory },
    tx: { rate: txHistory.at(-1), history: txHistory },
    busiest,
    sockets: socketSummary(view),
    conntrack: view.snapshot.conntrackUse,
    changes,
    gone: view.gone.length,
    restarted: view.restarted.size,
  };
}

/**
 * A history `values` fitted to `width` columns: each column the largest of its samples, so two minutes
 * fit 30 columns without losing a one-sample spike.
 */
export function fitHistory(values: readonly (number | undefined)[], width: number): (number | undefined)[] {
  if (width <= 0) return [];
  return bucketMax(values, Math.ceil(values.length / width));
}

// ---- layout ----------------------------------------------------------------------------------------

export type LineStyle = 'heading' | 'alert' | 'warn' | 'good' | 'dim' | 'plain';

/** One line of the Overview, already fitted to the width; segments keep their own style. */
export interface OverviewLine {
  readonly key: string;
  readonly segments: readonly { readonly text: string; readonly style: LineStyle }[];
}

/** How the Overview draws a sparkline and numbers; the component passes its formatters in. */
export interface OverviewFormat {
  readonly spark: (values: readonly (number | undefined)[], width: number) => string;
  readonly rate: (perSec: number | undefined) => string;
  readonly bytes: (perSec: number | undefined) => string;
  readonly clock: (wallMs: number) => string;
  /** Host text made safe for the terminal. */
  readonly escape: (text: string) => string;
}

const SHORT_STATES: Readonly<Record<string, string>> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  NEW_SYN_RECV: 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
};

const TINY_STATES: Readonly<Record<string, string>> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-S',
  SYN_RECV: 'SYN-R',
  NEW_SYN_RECV: 'SYN-R',
  FIN_WAIT1: 'FW1',
  FIN_WAIT2: 'FW2',
  TIME_WAIT: 'TW',
  CLOSE_WAIT: 'CW',
  LAST_ACK: 'LACK',
};

const EVENT_WORDS: Readonly<Record<string, string>> = {
  'listener-new': 'new',
  'listener-gone': 'gone',
  'listener-restarted': 'restarted',
  'iface-new': 'link new',
  'iface-deleted': 'link deleted',
  'iface-up': 'link up',
  'iface-down': 'link down',
  'iface-mtu': 'link mtu',
  'route-added': 'route added',
  'route-removed': 'route removed',
};

function eventStyle(kind: NetEvent['kind']): LineStyle {
  if (kind === 'listener-gone' || kind === 'iface-down' || kind === 'iface-deleted') return 'alert';
  if (kind === 'listener-restarted' || kind === 'route-removed') return 'warn';
  return 'good';
}

function pad(text: string, width: number, right = false): string {
  if (text.length >= width) return text.slice(0, width);
  return right ? text.padStart(width) : text.padEnd(width);
}

/** Join segments and cut the whole line at `width` columns (segment texts are ASCII or block characters). */
function fitLine(key: string, segments: { text: string; style: LineStyle }[], width: number): OverviewLine {
  const out: { text: string; style: LineStyle }[] = [];
  let room = width;
  for (const s of segments) {
    if (room <= 0) break;
    const chars = [...s.text];
    const text = chars.length > room ? chars.slice(0, room).join('') : s.text;
    out.push({ text, style: s.style });
    room -= Math.min(chars.length, room);
  }
  return { key, segments: out };
}

/**
 * The Overview as at most `height` lines of at most `width` columns. What matters most survives a small
 * terminal: the trouble header and any counter that climbed in the last minute, then throughput and
 * sockets, then the latest changes, then the quiet counters, the busiest interfaces, more changes.
 */
export function overviewLines(
  m: OverviewModel,
  width: number,
  height: number,
  f: OverviewFormat,
): OverviewLine[] {
  const w = Math.max(1, width);
  // Trouble rows: label, now/s, sparkline (flex), total, last climb. Columns go as the width shrinks.
  const label = Math.min(17, Math.max(8, w - 12));
  const showTotal = w >= 70;
  const showClimb = w >= 36;
  const climbW = w >= 64 ? 16 : 8;
  const fixed = 1 + label + 1 + 8 + (showTotal ? 13 : 0) + (showClimb ? climbW + 1 : 0);
  // Past 60 columns a sparkline only stretches two minutes thinner; the rest of the line stays blank.
  const sparkW = w - fixed - 1 >= 8 ? Math.min(60, w - fixed - 1) : 0;
  const header = fitLine(
    'trouble-header',
    [
      {
        text: ` ${pad('Trouble', label)} ${pad('now/s', 8, true)}${sparkW ? ` ${pad(`last ${Math.round(HISTORY_MS / 60_000)} min`, sparkW)}` : ''}${showTotal ? ` ${pad('total', 12, true)}` : ''}${showClimb ? ` ${pad(climbW >= 16 ? 'last climb' : 'climbed', climbW)}` : ''}`,
        style: 'heading',
      },
    ],
    w,
  );
  const troubleRows = m.trouble.map((t) => {
    const climb = t.lastClimb
      ? climbW >= 16
        ? `+${t.lastClimb.delta} at ${f.clock(t.lastClimb.at)}`
        : f.clock(t.lastClimb.at)
      : '';
    const style: LineStyle = t.climbing ? 'alert' : t.total === undefined ? 'dim' : 'plain';
    const segs: { text: string; style: LineStyle }[] = [
      { text: `${t.climbing ? '!' : ' '}${pad(t.label, label)} `, style },
      { text: pad(t.total === undefined ? 'n/a' : f.rate(t.rate), 8, true), style },
    ];
    if (sparkW)
      segs.push({
        text: ` ${f.spark(fitHistory(t.history, sparkW), sparkW)}`,
        style: t.climbing ? 'alert' : 'dim',
      });
    if (showTotal)
      segs.push({ text: ` ${pad(t.total === undefined ? '-' : t.total.toString(), 12, true)}`, style });
    if (showClimb) segs.push({ text: ` ${pad(climb, climbW)}`, style: t.climbing ? 'alert' : 'dim' });
    return { line: fitLine(`trouble ${t.key}`, segs, w), climbing: t.climbing };
  });

  const tput: { text: string; style: LineStyle }[] = [{ text: ' Traffic  ', style: 'heading' }];
  const half = Math.max(0, Math.floor((w - 10) / 2));
  for (const [dir, t] of [
    ['RX', m.rx],
    ['TX', m.tx],
  ] as const) {
    const figure = `${dir} ${f.bytes(t.rate)}`;
    const sw = Math.min(30, half - figure.length - 3);
    tput.push({ text: `${figure} `, style: 'plain' });
    if (sw >= 6) tput.push({ text: `${f.spark(fitHistory(t.history, sw), sw)}  `, style: 'dim' });
    else tput.push({ text: ' ', style: 'plain' });
  }
  const traffic = fitLine('traffic', tput, w);
  const busy = fitLine(
    'busiest',
    [
      { text: ' Busiest  ', style: 'heading' },
      {
        text: m.busiest
          .slice(0, 4)
          .map(
            (b) =>
              `${f.escape(b.name)}${b.operstate && b.operstate !== 'up' && b.operstate !== 'unknown' ? ` (${f.escape(b.operstate)})` : ''} ↓${f.bytes(b.rx)} ↑${f.bytes(b.tx)}`,
          )
          .join('   '),
        style: 'plain',
      },
    ],
    w,
  );
  const s = m.sockets;
  // ss's names where there is room, the status bar's abbreviations where there is not.
  const names = w >= 100 ? SHORT_STATES : TINY_STATES;
  const stateText = s.tcp
    .filter(([state]) => state !== 'LISTEN')
    .map(([state, n]) => `${names[state] ?? state} ${n}`)
    .join(w >= 100 ? '  ' : ' ');
  const ct = m.conntrack
    ? `  conntrack ${m.conntrack.count}/${m.conntrack.max} (${m.conntrack.max > 0 ? Math.round((m.conntrack.count / m.conntrack.max) * 100) : 0}%)`
    : '';
  const ctHigh =
    m.conntrack !== undefined && m.conntrack.max > 0 && m.conntrack.count / m.conntrack.max >= 0.8;
  const sockets = fitLine(
    'sockets',
    [
      { text: ' Sockets  ', style: 'heading' },
      {
        text: `${stateText || 'no TCP connections'}  listeners ${s.listeners} udp ${s.udp} raw ${s.raw} unix ${s.unix}`,
        style: 'plain',
      },
      { text: ct, style: ctHigh ? 'alert' : 'plain' },
    ],
    w,
  );
  const alerts = [
    m.gone > 0 ? `${m.gone} listener${m.gone > 1 ? 's' : ''} gone` : '',
    m.restarted > 0 ? `${m.restarted} restarted` : '',
  ].filter(Boolean);
  const changesHeader = fitLine(
    'changes-header',
    [
      { text: ' Changes  ', style: 'heading' },
      {
        text:
          alerts.length > 0
            ? `${alerts.join(', ')} (a: acknowledge, 3: Listeners)`
            : m.changes.length === 0
              ? 'none since start'
              : '',
        style: alerts.length > 0 ? 'alert' : 'dim',
      },
    ],
    w,
  );
  const changeLines = m.changes.map((e) =>
    fitLine(
      `change ${e.id}`,
      [
        { text: `   ${f.clock(e.time)} `, style: 'dim' },
        { text: `${pad(EVENT_WORDS[e.kind] ?? e.kind, 13)} `, style: eventStyle(e.kind) },
        { text: `${f.escape(e.object)}  ${f.escape(e.detail)}`, style: 'plain' },
      ],
      w,
    ),
  );

  // Choose what fits, by importance; draw in reading order.
  const take = new Set<OverviewLine>();
  let room = Math.max(0, Math.floor(height));
  const want = (line: OverviewLine | undefined) => {
    if (line && room > 0 && !take.has(line)) {
      take.add(line);
      room--;
    }
  };
  want(header);
  for (const t of troubleRows) if (t.climbing) want(t.line);
  want(traffic);
  want(sockets);
  if (alerts.length > 0 || m.changes.length > 0) {
    want(changesHeader);
    for (const c of changeLines.slice(0, 3)) want(c);
  }
  for (const t of troubleRows) want(t.line);
  want(busy);
  if (!take.has(changesHeader)) want(changesHeader);
  for (const c of changeLines) want(c);
  const order = [
    header,
    ...troubleRows.map((t) => t.line),
    traffic,
    busy,
    sockets,
    changesHeader,
    ...changeLines,
  ];
  return order.filter((l) => take.has(l));
}

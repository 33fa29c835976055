// Connections pane rows: one lazily formatted row per socket, reused across samples while nothing it is
// made of changed, so a steady 20,000-socket table costs no row work per tick.
import { socketKey } from '../model/diff.js';
import type { ClosedSocket, LiveView } from '../model/livestore.js';
import { type TcpInfoTable, type TcpStats, tcpIndex, tcpStatsAt } from '../model/tcpinfo.js';
import type { InetSocket, OwnerMap, ProcessInfo, Socket } from '../model/types.js';
import type { NameResolver } from '../sample/names.js';
import { escapeControl } from './escape.js';
import type { FilterSubject } from './filter.js';
import { formatDuration } from './format.js';
import {
  cmpStr,
  endpointKey,
  formatEndpointLive,
  type Mark,
  NO_OWNERS,
  programText,
  protoRank,
  type RowBase,
  type Sort,
  sameRows,
  socketSubject,
  sorted,
  type Toggles,
  unixProto,
  userText,
} from './rows.js';

export interface ConnectionRow extends RowBase {
  readonly socket: Socket;
  readonly owners: readonly ProcessInfo[];
  readonly proto: string;
  readonly recvQ: number;
  readonly sendQ: number;
  readonly local: string;
  readonly remote: string;
  readonly state: string;
  /** "pid/command" of the first owner (+N when several), '-' when unknown. */
  readonly program: string;
  readonly user: string;
  readonly inode: number;
  readonly timer: string;
  readonly mark: Mark;
  /** Wall ms when first seen; undefined when it predates netwatch. */
  readonly firstSeen: number | undefined;
}

function timerText(s: InetSocket): string {
  if (s.timerActive === 0) return 'off';
  const names = ['off', 'on', 'keepalive', 'timewait', 'probe'];
  const name = names[s.timerActive] ?? `unkn-${s.timerActive}`;
  return `${name} ${formatDuration(Math.max(0, s.timerExpires) * 10)}`;
}

/**
 * A connection row whose text is made on first use. The view builds one row per socket per sample (20,000
 * and more), but only the visible ones are drawn; formatting every address, program and filter subject
 * up front was most of the live view's garbage. Each getter computes once and keeps the result.
 */
class LazyConnectionRow implements ConnectionRow {
  /** names.version when the text was formatted (see NameResolver.invalidate). */
  private readonly namesVersion: number;
  private cache: {
    key?: string;
    local?: string;
    remote?: string;
    program?: string;
    user?: string;
    timer?: string;
    subject?: FilterSubject;
  } = {};

  constructor(
    readonly socket: Socket,
    readonly owners: readonly ProcessInfo[],
    readonly mark: Mark,
    private readonly firstSeenOf: ((key: string) => number | undefined) | undefined,
    private readonly t: Toggles,
    private readonly names: NameResolver | undefined,
  ) {
    this.namesVersion = names?.version ?? 0;
  }

  /** Would a row built from these inputs show exactly what this one shows? */
  sameAs(
    owners: readonly ProcessInfo[],
    mark: Mark,
    firstSeenOf: ((key: string) => number | undefined) | undefined,
    t: Toggles,
    names: NameResolver | undefined,
  ): boolean {
    return (
      this.owners === owners &&
      this.mark === mark &&
      this.firstSeenOf === firstSeenOf &&
      this.names === names &&
      this.namesVersion === (names?.version ?? 0) &&
      this.t.numeric === t.numeric
    );
  }

  get key(): string {
    this.cache.key ??= socketKey(this.socket);
    return this.cache.key;
  }
  get firstSeen(): number | undefined {
    return this.firstSeenOf?.(this.key);
  }
  get proto(): string {
    const s = this.socket;
    return s.kind === 'unix' ? unixProto(s.type) : s.proto;
  }
  get recvQ(): number {
    return this.socket.kind === 'unix' ? 0 : this.socket.recvQ;
  }
  get sendQ(): number {
    return this.socket.kind === 'unix' ? 0 : this.socket.sendQ;
  }
  get state(): string {
    const s = this.socket;
    return s.kind === 'unix' ? s.state || 'UNCONN' : s.state;
  }
  get inode(): number {
    return this.socket.inode;
  }
  get local(): string {
    const s = this.socket;
    this.cache.local ??=
      s.kind === 'unix'
        ? escapeControl(s.path) || '*'
        : formatEndpointLive(s.local.address, s.local.port, s.proto, this.t.numeric, this.names);
    return this.cache.local;
  }
  get remote(): string {
    const s = this.socket;
    this.cache.remote ??=
      s.kind === 'unix'
        ? '*'
        : formatEndpointLive(s.remote.address, s.remote.port, s.proto, this.t.numeric, this.names);
    return this.cache.remote;
  }
  get program(): string {
    this.cache.program ??= programText(this.owners);
    return this.cache.program;
  }
  get user(): string {
    const s = this.socket;
    const owner = this.owners[0];
    this.cache.user ??=
      s.kind === 'unix'
        ? owner
          ? escapeControl(owner.user ?? String(owner.uid))
          : '-'
        : userText(s.uid, this.owners, this.t.numeric);
    return this.cache.user;
  }
  get timer(): string {
    const s = this.socket;
    this.cache.timer ??= s.kind === 'unix' ? '' : timerText(s);
    return this.cache.timer;
  }
  get subject(): FilterSubject {
    if (this.cache.subject) return this.cache.subject;
    const s = this.socket;
    const text =
      s.kind === 'unix'
        ? ['unix', s.type, this.proto, this.local, this.state, this.program, String(s.inode)]
        : // Numeric forms are searchable even when names are shown, so `/8080` finds "http-alt".
          [
            s.proto,
            this.local,
            this.remote,
            s.state,
            this.program,
            this.user,
            `${s.local.port}`,
            `${s.remote.port}`,
            String(s.inode),
          ];
    this.cache.subject = socketSubject(s, this.owners, text);
    return this.cache.subject;
  }
}

// Rows are kept per socket object between samples. The sampler hands back the same immutable socket for an
// unchanged line and the owner map the same array for unchanged holders, so in the steady state every row
// is reused, its formatted text with it, and the previous array can be returned as a whole (see below).
const ROWS = new WeakMap<Socket, LazyConnectionRow>();

function rowFor(
  s: Socket,
  owners: readonly ProcessInfo[],
  mark: Mark,
  firstSeenOf: ((key: string) => number | undefined) | undefined,
  t: Toggles,
  names: NameResolver | undefined,
): LazyConnectionRow {
  const old = ROWS.get(s);
  if (old?.sameAs(owners, mark, firstSeenOf, t, names)) return old;
  const row = new LazyConnectionRow(s, owners, mark, firstSeenOf, t, names);
  ROWS.set(s, row);
  return row;
}

/**
 * Every inet socket (and unix ones when toggled), plus sockets closed in the last ticks marked '-'.
 * When every row is the one in `previous`, `previous` itself is returned, so the filter and sort memos
 * downstream see an unchanged input and skip their work.
 */
export function connectionRows(
  view: LiveView,
  t: Toggles,
  names?: NameResolver,
  previous?: readonly ConnectionRow[],
): readonly ConnectionRow[] {
  const inputs = rowInputs(view, t, names);
  // Nothing that makes a row changed since `previous` was built: it is still right, without touching a row.
  const before = previous && BUILT_FROM.get(previous);
  if (before && sameInputs(before, inputs)) return previous!;
  const rows = buildConnectionRows(view, t, names, previous);
  BUILT_FROM.set(rows, inputs);
  return rows;
}

/** What connection rows are made of, compared by identity: the socket list and owner map are reused by the
 * sampler while nothing changes, and no mark is set when the diff is empty. */
interface RowInputs {
  readonly sockets: readonly Socket[];
  readonly owners: OwnerMap;
  readonly closed: readonly ClosedSocket[];
  readonly marked: boolean;
  readonly firstSeen: LiveView['firstSeen'];
  readonly numeric: boolean;
  readonly showUnix: boolean;
  readonly names: NameResolver | undefined;
  readonly namesVersion: number;
}

const BUILT_FROM = new WeakMap<readonly ConnectionRow[], RowInputs>();

function rowInputs(view: LiveView, t: Toggles, names: NameResolver | undefined): RowInputs {
  const { snapshot, diff } = view;
  return {
    sockets: snapshot.sockets,
    owners: snapshot.owners,
    closed: view.closed,
    marked: diff !== undefined && (diff.opened.length > 0 || diff.changed.length > 0),
    firstSeen: view.firstSeen,
    numeric: t.numeric,
    showUnix: t.showUnix,
    names,
    namesVersion: names?.version ?? 0,
  };
}

function sameInputs(a: RowInputs, b: RowInputs): boolean {
  return (
    !a.marked &&
    !b.marked &&
    a.owners === b.owners &&
    a.firstSeen === b.firstSeen &&
    a.numeric === b.numeric &&
    a.showUnix === b.showUnix &&
    a.names === b.names &&
    a.namesVersion === b.namesVersion &&
    sameRows(a.closed, b.closed) &&
    sameRows(a.sockets, b.sockets)
  );
}

function buildConnectionRows(
  view: LiveView,
  t: Toggles,
  names: NameResolver | undefined,
  previous: readonly ConnectionRow[] | undefined,
): readonly ConnectionRow[] {
  const { snapshot, diff } = view;
  // The diff hands back the snapshot's own socket objects, so marks are identity lookups, not key strings.
  const opened = new Set<Socket>(diff?.opened);
  const changed = new Set<Socket>(diff?.changed.map((c) => c.after));
  const rows: ConnectionRow[] = [];
  for (const s of snapshot.sockets) {
    if (s.kind === 'unix' && !t.showUnix) continue;
    const owners = (s.inode !== 0 && snapshot.owners.get(s.inode)) || NO_OWNERS;
    const mark: Mark = opened.has(s) ? '+' : changed.has(s) ? '~' : ' ';
    rows.push(rowFor(s, owners, mark, view.firstSeen, t, names));
  }
  for (const c of view.closed) {
    if (c.socket.kind === 'unix' && !t.showUnix) continue;
    rows.push(rowFor(c.socket, c.owners, '-', undefined, t, names));
  }
  return previous && sameRows(previous, rows) ? previous : rows;
}

// The address sorts run over every row after each sample: keyed, so each row's key is built once.
const CONNECTION_SORT: Record<string, Sort<ConnectionRow>> = {
  proto: { key: (r) => `${String(protoRank(r.proto)).padStart(3, '0')} ${endpointKey(r.socket, 'local')}` },
  local: { key: (r) => endpointKey(r.socket, 'local') },
  remote: { key: (r) => endpointKey(r.socket, 'remote') },
  state: (a, b) => cmpStr(a.state, b.state),
  pid: (a, b) =>
    (a.owners[0]?.pid ?? Number.MAX_SAFE_INTEGER) - (b.owners[0]?.pid ?? Number.MAX_SAFE_INTEGER),
  recvQ: (a, b) => b.recvQ - a.recvQ,
  sendQ: (a, b) => b.sendQ - a.sendQ,
  age: (a, b) => (b.firstSeen ?? 0) - (a.firstSeen ?? 0),
};

/** Sorts that read tcp_info: they change every sample, so they are re-run every sample. */
export const METRIC_SORTS: ReadonlySet<string> = new Set(['rx', 'tx', 'rtt', 'retr']);

/** Largest first; rows without the figure (UDP, no tcp_info, a first sample) last. */
function byMetric(metrics: MetricsOf, pick: (m: TcpStats) => number | undefined): Sort<ConnectionRow> {
  return (a, b) => (pick(metrics(b) ?? NO_STATS) ?? -1) - (pick(metrics(a) ?? NO_STATS) ?? -1);
}

export function sortConnections(
  rows: readonly ConnectionRow[],
  key: string,
  reverse: boolean,
  metrics?: MetricsOf,
): readonly ConnectionRow[] {
  if (METRIC_SORTS.has(key)) {
    if (!metrics) return reverse ? [...rows].reverse() : rows;
    const pick: Record<string, (m: TcpStats) => number | undefined> = {
      rx: (m) => m.rxBps,
      tx: (m) => m.txBps,
      rtt: (m) => m.rttUs,
      retr: (m) => m.retransPerSec ?? m.totalRetrans,
    };
    return sorted(rows, { [key]: byMetric(metrics, pick[key]!) }, key, reverse);
  }
  return sorted(rows, CONNECTION_SORT, key, reverse);
}

/** A connection row's tcp_info summary this sample, or undefined (UDP, unix, /proc, closed). */
export type MetricsOf = (r: { readonly socket: Socket }) => TcpStats | undefined;

const NO_STATS: TcpStats = {
  rttUs: undefined,
  totalRetrans: undefined,
  rxBps: undefined,
  txBps: undefined,
  retransPerSec: undefined,
};

const METRICS = new WeakMap<TcpInfoTable, MetricsOf>();

/**
 * The tcp_info lookup of a view, or undefined when its TCP sockets came from /proc. One per sample; each
 * socket's summary is made on first use (the visible rows, or every row for a sort or a metric filter).
 */
export function connectionMetrics(view: LiveView): MetricsOf | undefined {
  const table = view.snapshot.tcpInfo;
  if (!table) return undefined;
  let of = METRICS.get(table);
  if (!of) {
    const made = new Map<Socket, TcpStats | undefined>();
    of = (r) => {
      const s = r.socket;
      if (s.kind !== 'inet') return undefined;
      let stats = made.get(s);
      if (stats === undefined && !made.has(s)) {
        const i = tcpIndex(table, s);
        stats = i < 0 ? undefined : tcpStatsAt(table, i);
        made.set(s, stats);
      }
      return stats;
    };
    METRICS.set(table, of);
  }
  return of;
}

/** Counts by TCP state over tcp and tcp6, for the status bar. */
export function tcpStateCounts(view: LiveView): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of view.snapshot.sockets) {
    if (s.kind === 'inet' && (s.proto === 'tcp' || s.proto === 'tcp6'))
      out.set(s.state, (out.get(s.state) ?? 0) + 1);
  }
  return out;
}

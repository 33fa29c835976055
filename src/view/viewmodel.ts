// LiveView (+ UI toggles) → plain rows for each pane. Pure functions: the components only lay rows out.
// Row building runs once per sample (memoised by the hooks); filtering and sorting run per key press
// over prepared rows, so they stay cheap at 20,000 rows.
import { counterDescription, isTroubleCounter } from '../model/counters.js';
import {
  type CounterChange,
  type DevField,
  interfaceKey,
  isListener,
  listenerKey,
  socketKey,
} from '../model/diff.js';
import type { ClosedSocket, LiveView, RateHistory } from '../model/livestore.js';
import type { InetProto, InetSocket, OwnerMap, ProcessInfo, Route, Socket } from '../model/types.js';
import { parseIPv4, parseIPv6 } from '../proc/addr.js';
import { routeFlagsText } from '../proc/route.js';
import { netstatIfaceFlags } from '../proc/sysnet.js';
import type { NameResolver } from '../sample/names.js';
import { escapeControl } from './escape.js';
import type { CompiledFilter, FilterSubject } from './filter.js';
import { formatDuration } from './format.js';

/** A gutter mark, always shown as text: '+' opened/added, '-' closed/removed, '~' state changed, ' ' none. */
export type Mark = '+' | '-' | '~' | ' ';

interface RowBase {
  readonly key: string;
  readonly subject: FilterSubject;
}

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

export type ListenerStatus = 'new' | 'gone' | '';

export interface ListenerRow extends RowBase {
  readonly socket: Socket;
  readonly owners: readonly ProcessInfo[];
  readonly proto: string;
  readonly local: string;
  readonly program: string;
  readonly user: string;
  readonly inode: number;
  readonly status: ListenerStatus;
  /** For 'gone': when it vanished; for 'new': when it appeared. */
  readonly since: number | undefined;
}

export interface RouteRow extends RowBase {
  readonly route: Route;
  readonly family: 4 | 6;
  readonly destination: string;
  readonly gateway: string;
  /** IPv4 dotted mask, IPv6 "/64". */
  readonly genmask: string;
  readonly flags: string;
  readonly metric: number;
  readonly iface: string;
  readonly mark: Mark;
}

export interface InterfaceRow extends RowBase {
  readonly name: string;
  readonly mtu: number | undefined;
  readonly flags: string;
  readonly operstate: string;
  readonly rxOk: bigint;
  readonly rxErr: bigint;
  readonly rxDrp: bigint;
  readonly rxOvr: bigint;
  readonly txOk: bigint;
  readonly txErr: bigint;
  readonly txDrp: bigint;
  readonly txOvr: bigint;
  /** Per-second rates; undefined on the first sample, after a reset, and for a new interface. */
  readonly rxBytesRate: number | undefined;
  readonly txBytesRate: number | undefined;
  readonly rxPacketsRate: number | undefined;
  readonly txPacketsRate: number | undefined;
  readonly errorsRate: number | undefined;
  readonly dropsRate: number | undefined;
  readonly history: RateHistory;
}

export interface CounterRow extends RowBase {
  readonly group: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly value: bigint;
  readonly delta: bigint | undefined;
  readonly rate: number | undefined;
  readonly reset: boolean;
  readonly gauge: boolean;
  /** A trouble counter (retransmits, drops, errors...). */
  readonly trouble: boolean;
  /** A trouble counter that went up this tick: highlight it. */
  readonly climbing: boolean;
}

export interface Toggles {
  readonly numeric: boolean;
  readonly showUnix: boolean;
  readonly hideZero: boolean;
  readonly changedOnly: boolean;
}

const NO_OWNERS: readonly ProcessInfo[] = [];

/** "addr:port" for the live view; IPv6 in brackets ([::1]:22) as ss prints it, names from files unless numeric. */
export function formatEndpointLive(
  address: string,
  port: number,
  proto: string,
  numeric: boolean,
  names: NameResolver | undefined,
): string {
  const host = (!numeric && names?.host(address)) || address;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let service = port === 0 ? '*' : String(port);
  if (!numeric && port !== 0 && names && !proto.startsWith('raw') && proto !== 'unix') {
    service = names.service(port, proto.startsWith('tcp') ? 'tcp' : 'udp') ?? service;
  }
  return escapeControl(`${shownHost}:${service}`);
}

export function programText(owners: readonly ProcessInfo[]): string {
  const first = owners[0];
  if (!first) return '-';
  const more = owners.length > 1 ? ` +${owners.length - 1}` : '';
  return escapeControl(`${first.pid}/${first.command}`) + more;
}

function userText(uid: number, owners: readonly ProcessInfo[], numeric: boolean): string {
  const named = owners.find((p) => p.uid === uid)?.user;
  return numeric || !named ? String(uid) : escapeControl(named);
}

function timerText(s: InetSocket): string {
  if (s.timerActive === 0) return 'off';
  const names = ['off', 'on', 'keepalive', 'timewait', 'probe'];
  const name = names[s.timerActive] ?? `unkn-${s.timerActive}`;
  return `${name} ${formatDuration(Math.max(0, s.timerExpires) * 10)}`;
}

function socketSubject(s: Socket, owners: readonly ProcessInfo[], text: string[]): FilterSubject {
  const pids = owners.map((p) => p.pid);
  const commands = owners.map((p) => p.command);
  const users = owners.map((p) => p.user ?? String(p.uid));
  if (s.kind === 'unix') return { proto: 'unix', state: s.state, pids, commands, users, text };
  return {
    proto: s.proto,
    localAddress: s.local.address,
    localPort: s.local.port,
    remoteAddress: s.remote.address,
    remotePort: s.remote.port,
    state: s.state,
    pids,
    commands,
    users,
    text,
  };
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
    return s.kind === 'unix' ? `unix/${s.type.toLowerCase()}` : s.proto;
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
        ? ['unix', s.type, this.local, this.state, this.program, String(s.inode)]
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

/** Same length and the same row objects in the same order. */
export function sameRows<R>(a: readonly R[], b: readonly R[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Current listeners, plus vanished ones (status 'gone') until acknowledged. */
export function listenerRows(view: LiveView, t: Toggles, names?: NameResolver): ListenerRow[] {
  const { snapshot } = view;
  const rows: ListenerRow[] = [];
  const seen = new Set<string>();
  const make = (
    s: Socket,
    owners: readonly ProcessInfo[],
    status: ListenerStatus,
    since: number | undefined,
  ) => {
    const key = listenerKey(s);
    const local =
      s.kind === 'unix'
        ? escapeControl(s.path) || `#${s.inode}`
        : formatEndpointLive(s.local.address, s.local.port, s.proto, t.numeric, names);
    const proto = s.kind === 'unix' ? `unix/${s.type.toLowerCase()}` : s.proto;
    const program = programText(owners);
    const user =
      s.kind === 'unix' ? escapeControl(owners[0]?.user ?? '-') : userText(s.uid, owners, t.numeric);
    const text = [proto, local, program, user, status, String(s.inode)];
    if (s.kind === 'inet') text.push(String(s.local.port));
    rows.push({
      key: `${key} ${status}`,
      socket: s,
      owners,
      proto,
      local,
      program,
      user,
      inode: s.inode,
      status,
      since,
      subject: socketSubject(s, owners, text),
    });
  };
  for (const s of snapshot.sockets) {
    if (!isListener(s) || (s.kind === 'unix' && !t.showUnix)) continue;
    const key = listenerKey(s);
    if (seen.has(`${key} ${s.inode}`)) continue;
    seen.add(`${key} ${s.inode}`);
    const appeared = view.appeared.get(key);
    make(
      s,
      (s.inode !== 0 && snapshot.owners.get(s.inode)) || NO_OWNERS,
      appeared !== undefined ? 'new' : '',
      appeared,
    );
  }
  // A vanished listener is an alert: it is shown (and counted in the status bar) even when unix sockets
  // are hidden, because a dead /run/php-fpm.sock is as much a crashed service as a dead :80.
  for (const g of view.gone) {
    make(g.socket, g.owners, 'gone', g.vanishedAt);
  }
  return rows;
}

function routeRow(r: Route, mark: Mark, t: Toggles, names: NameResolver | undefined): RouteRow {
  const resolve = (a: string) => escapeControl((!t.numeric && names?.host(a)) || a);
  const isDefault = r.prefixLength === 0;
  const destination = !t.numeric && isDefault ? 'default' : resolve(r.destination);
  const gateway = resolve(r.gateway);
  const genmask = r.family === 4 ? r.genmask : `/${r.prefixLength}`;
  const flags = routeFlagsText(r.flags, r.family);
  const iface = escapeControl(r.iface);
  return {
    key: `${r.family} ${r.destination}/${r.prefixLength} ${r.gateway} ${r.iface} ${r.metric} ${mark === '-' ? 'removed' : ''}`,
    route: r,
    family: r.family,
    destination: r.family === 6 && !isDefault ? `${destination}/${r.prefixLength}` : destination,
    gateway,
    genmask,
    flags,
    metric: r.metric,
    iface,
    mark,
    subject: {
      proto: r.family === 4 ? 'ipv4' : 'ipv6',
      localAddress: r.destination,
      remoteAddress: r.gateway,
      text: [destination, gateway, genmask, flags, String(r.metric), iface, r.destination, r.gateway],
    },
  };
}

export function routeRows(view: LiveView, t: Toggles, names?: NameResolver): RouteRow[] {
  const added = new Set(view.diff?.routesAdded);
  const rows = view.snapshot.routes.map((r) => routeRow(r, added.has(r) ? '+' : ' ', t, names));
  for (const r of view.removedRoutes) rows.push(routeRow(r.route, '-', t, names));
  return rows;
}

const EMPTY_HISTORY: RateHistory = { rx: [], tx: [] };

function sumRates(
  counters: ReadonlyMap<DevField, CounterChange> | undefined,
  fields: DevField[],
): number | undefined {
  if (!counters) return undefined;
  let total = 0;
  for (const f of fields) {
    const rate = counters.get(f)?.rate;
    if (rate === undefined) return undefined;
    total += rate;
  }
  return total;
}

export function interfaceRows(view: LiveView): InterfaceRow[] {
  return view.snapshot.interfaces.map((i) => {
    const key = interfaceKey(i);
    const d = view.diff?.interfaces.get(key);
    const rate = (f: DevField) => d?.counters.get(f)?.rate;
    const name = escapeControl(i.name);
    const flags = netstatIfaceFlags(i.flags ?? 0, i.operstate);
    return {
      key,
      name,
      mtu: i.mtu,
      flags,
      operstate: escapeControl(i.operstate ?? ''),
      rxOk: i.rxPackets,
      rxErr: i.rxErrs,
      rxDrp: i.rxDrop,
      rxOvr: i.rxFifo,
      txOk: i.txPackets,
      txErr: i.txErrs,
      txDrp: i.txDrop,
      txOvr: i.txFifo,
      rxBytesRate: rate('rxBytes'),
      txBytesRate: rate('txBytes'),
      rxPacketsRate: rate('rxPackets'),
      txPacketsRate: rate('txPackets'),
      errorsRate: sumRates(d?.counters, ['rxErrs', 'txErrs']),
      dropsRate: sumRates(d?.counters, ['rxDrop', 'txDrop']),
      history: view.history.get(key) ?? EMPTY_HISTORY,
      subject: { proto: 'iface', text: [name, flags, i.operstate ?? ''] },
    };
  });
}

export function counterRows(view: LiveView, t: Toggles): CounterRow[] {
  const rows: CounterRow[] = [];
  for (const [group, values] of view.snapshot.counters) {
    const changes = view.diff?.counters.get(group);
    for (const [name, value] of values) {
      const c = changes?.get(name);
      const delta = c?.delta;
      if (t.hideZero && value === 0n) continue;
      if (t.changedOnly && !(delta !== undefined && delta !== 0n)) continue;
      const trouble = isTroubleCounter(group, name);
      const description = counterDescription(group, name);
      rows.push({
        key: `${group}.${name}`,
        // Counter names come from the kernel's own header lines; escape them like any kernel text.
        group: escapeControl(group),
        name: escapeControl(name),
        description,
        value,
        delta,
        rate: c?.rate,
        reset: c?.reset ?? false,
        gauge: c?.gauge ?? false,
        trouble,
        climbing: trouble && delta !== undefined && delta > 0n,
        subject: { proto: group.toLowerCase(), text: [group, name, `${group}${name}`, description ?? ''] },
      });
    }
  }
  return rows;
}

/**
 * Compute the filter subject of rows[from, from + count) (cached on the row, see LazyConnectionRow) and
 * return where to go on. Done while the filter line is open, before the first key is typed, so the first
 * key does not format every row of a 20,000-row table at once.
 */
export function warmSubjects(rows: readonly RowBase[], from: number, count: number): number {
  const end = Math.min(rows.length, from + count);
  for (let i = from; i < end; i++) void rows[i]!.subject;
  return end;
}

export function filterRows<R extends RowBase>(
  rows: readonly R[],
  filter: CompiledFilter | undefined,
): readonly R[] {
  if (!filter || filter.terms.length === 0) return rows;
  return rows.filter((r) => filter.matches(r.subject));
}

// ---- sorting ---------------------------------------------------------------------------------------

// Sorting runs over every row after each sample, so comparisons must be cheap: localeCompare with
// numeric collation cost ~40 ms per sample at 6,000 rows. Addresses get a cached key that orders
// numerically with a plain string comparison (IPv4 before IPv6, each by value).
const ADDR_KEYS = new Map<string, string>();
const ADDR_KEYS_MAX = 65_536;

function addrKey(address: string): string {
  let key = ADDR_KEYS.get(address);
  if (key !== undefined) return key;
  const v4 = parseIPv4(address);
  const bytes = v4 ?? parseIPv6(address);
  key = bytes ? `${v4 ? '4' : '6'}${Buffer.from(bytes).toString('hex')}` : `9${address}`;
  if (ADDR_KEYS.size >= ADDR_KEYS_MAX) ADDR_KEYS.clear();
  ADDR_KEYS.set(address, key);
  return key;
}

function cmpStr(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

const PROTO_ORDER = new Map<string, number>(
  (['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'] satisfies InetProto[]).map((p, i) => [
    p,
    i,
  ]),
);
function protoRank(p: string): number {
  return PROTO_ORDER.get(p) ?? 100;
}

type Comparator<R> = (a: R, b: R) => number;
/** A sort given as one string key per row: computed once per row, then compared as plain strings. */
interface Keyed<R> {
  readonly key: (row: R) => string;
}
type Sort<R> = Comparator<R> | Keyed<R>;

function endpointKey(s: Socket, side: 'local' | 'remote'): string {
  if (s.kind === 'unix') return `u${s.path}`;
  const ep = s[side];
  return `${addrKey(ep.address)}:${String(ep.port).padStart(5, '0')}`;
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

const LISTENER_SORT: Record<string, Sort<ListenerRow>> = {
  proto: { key: (r) => `${String(protoRank(r.proto)).padStart(3, '0')} ${endpointKey(r.socket, 'local')}` },
  local: { key: (r) => endpointKey(r.socket, 'local') },
  pid: (a, b) =>
    (a.owners[0]?.pid ?? Number.MAX_SAFE_INTEGER) - (b.owners[0]?.pid ?? Number.MAX_SAFE_INTEGER),
  status: (a, b) => statusRank(a.status) - statusRank(b.status),
};
function statusRank(s: ListenerStatus): number {
  return s === 'gone' ? 0 : s === 'new' ? 1 : 2;
}

const ROUTE_SORT: Record<string, Comparator<RouteRow>> = {
  destination: (a, b) =>
    a.family - b.family || a.route.destination.localeCompare(b.route.destination, 'en', { numeric: true }),
  gateway: (a, b) => a.gateway.localeCompare(b.gateway, 'en', { numeric: true }),
  metric: (a, b) => a.metric - b.metric,
  iface: (a, b) => a.iface.localeCompare(b.iface, 'en', { numeric: true }),
};

const IFACE_SORT: Record<string, Comparator<InterfaceRow>> = {
  name: (a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }),
  rx: (a, b) => (b.rxBytesRate ?? -1) - (a.rxBytesRate ?? -1),
  tx: (a, b) => (b.txBytesRate ?? -1) - (a.txBytesRate ?? -1),
  errors: (a, b) => (b.errorsRate ?? -1) + (b.dropsRate ?? 0) - ((a.errorsRate ?? -1) + (a.dropsRate ?? 0)),
};

const COUNTER_SORT: Record<string, Comparator<CounterRow>> = {
  group: () => 0, // snapshot order: netstat -s order
  name: (a, b) => a.name.localeCompare(b.name),
  value: (a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0),
  rate: (a, b) => (b.rate ?? -1) - (a.rate ?? -1),
};

function sorted<R>(
  rows: readonly R[],
  table: Record<string, Sort<R>>,
  key: string,
  reverse: boolean,
): readonly R[] {
  const sort = table[key];
  if (!sort) return rows;
  let out: R[];
  if (typeof sort === 'function') {
    // Array.prototype.sort is stable, so equal keys keep kernel order.
    out = rows.slice().sort(sort);
  } else {
    const keys = rows.map(sort.key);
    const order = keys.map((_, i) => i);
    order.sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    out = order.map((i) => rows[i]!);
  }
  return reverse ? out.reverse() : out;
}

export const sortConnections = (rows: readonly ConnectionRow[], key: string, reverse: boolean) =>
  sorted(rows, CONNECTION_SORT, key, reverse);
export const sortListeners = (rows: readonly ListenerRow[], key: string, reverse: boolean) =>
  sorted(rows, LISTENER_SORT, key, reverse);
export const sortRoutes = (rows: readonly RouteRow[], key: string, reverse: boolean) =>
  sorted(rows, ROUTE_SORT, key, reverse);
export const sortInterfaces = (rows: readonly InterfaceRow[], key: string, reverse: boolean) =>
  sorted(rows, IFACE_SORT, key, reverse);
export const sortCounters = (rows: readonly CounterRow[], key: string, reverse: boolean) =>
  sorted(rows, COUNTER_SORT, key, reverse);

/** Counts by TCP state over tcp and tcp6, for the status bar. */
export function tcpStateCounts(view: LiveView): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of view.snapshot.sockets) {
    if (s.kind === 'inet' && (s.proto === 'tcp' || s.proto === 'tcp6'))
      out.set(s.state, (out.get(s.state) ?? 0) + 1);
  }
  return out;
}

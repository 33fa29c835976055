// What every pane's rows share: the row base and toggles, endpoint/program/user text, filter subjects,
// filtering, and the sort machinery. One file per pane beside it turns a LiveView into that pane's rows.
import type { InetProto, ProcessInfo, Socket } from '../model/types.js';
import { parseIPv4, parseIPv6 } from '../proc/addr.js';
import type { NameResolver } from '../sample/names.js';
import { escapeControl } from './escape.js';
import type { CompiledFilter, FilterMetrics, FilterSubject } from './filter.js';

/** A gutter mark, always shown as text: '+' opened/added, '-' closed/removed, '~' state changed, ' ' none. */
export type Mark = '+' | '-' | '~' | ' ';

export interface RowBase {
  readonly key: string;
  readonly subject: FilterSubject;
}

export interface Toggles {
  readonly numeric: boolean;
  readonly showUnix: boolean;
  readonly hideZero: boolean;
  readonly changedOnly: boolean;
}

export const NO_OWNERS: readonly ProcessInfo[] = [];

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

const UNIX_PROTOS: Readonly<Record<string, string>> = {
  STREAM: 'u_str',
  DGRAM: 'u_dgr',
  SEQPACKET: 'u_seq',
  RAW: 'u_raw',
  RDM: 'u_rdm',
};

/** ss's names for unix socket types (u_str, u_dgr, u_seq): short enough for the Proto column. */
export function unixProto(type: string): string {
  return UNIX_PROTOS[type] ?? 'u_unk';
}

export function programText(owners: readonly ProcessInfo[]): string {
  const first = owners[0];
  if (!first) return '-';
  const more = owners.length > 1 ? ` +${owners.length - 1}` : '';
  return escapeControl(`${first.pid}/${first.command}`) + more;
}

export function userText(uid: number, owners: readonly ProcessInfo[], numeric: boolean): string {
  const named = owners.find((p) => p.uid === uid)?.user;
  return numeric || !named ? String(uid) : escapeControl(named);
}

export function socketSubject(s: Socket, owners: readonly ProcessInfo[], text: string[]): FilterSubject {
  const pids = owners.map((p) => p.pid);
  const commands = owners.map((p) => p.command);
  const cmdlines = owners.map((p) => p.cmdline);
  const users = owners.map((p) => p.user ?? String(p.uid));
  if (s.kind === 'unix') return { proto: 'unix', state: s.state, pids, commands, cmdlines, users, text };
  return {
    proto: s.proto,
    localAddress: s.local.address,
    localPort: s.local.port,
    remoteAddress: s.remote.address,
    remotePort: s.remote.port,
    state: s.state,
    pids,
    commands,
    cmdlines,
    users,
    text,
  };
}

/** Same length and the same row objects in the same order. */
export function sameRows<R>(a: readonly R[], b: readonly R[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  metrics?: (r: R) => FilterMetrics | undefined,
): readonly R[] {
  if (!filter || filter.terms.length === 0) return rows;
  if (!filter.usesMetrics || !metrics) return rows.filter((r) => filter.matches(r.subject));
  return rows.filter((r) => filter.matches(r.subject, metrics(r)));
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

export function cmpStr(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

const PROTO_ORDER = new Map<string, number>(
  (['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'] satisfies InetProto[]).map((p, i) => [
    p,
    i,
  ]),
);
export function protoRank(p: string): number {
  return PROTO_ORDER.get(p) ?? 100;
}

export type Comparator<R> = (a: R, b: R) => number;
/** A sort given as one string key per row: computed once per row, then compared as plain strings. */
export interface Keyed<R> {
  readonly key: (row: R) => string;
}
export type Sort<R> = Comparator<R> | Keyed<R>;

export function endpointKey(s: Socket, side: 'local' | 'remote'): string {
  if (s.kind === 'unix') return `u${s.path}`;
  const ep = s[side];
  return `${addrKey(ep.address)}:${String(ep.port).padStart(5, '0')}`;
}

export function sorted<R>(
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

// The `/` filter line of the live TUI: a tiny grep-like language compiled once per keystroke and then run
// against every visible row (20,000 of them on a busy host), so all the work that can be done once is done
// in parseFilter: needles are lower-cased, ports and CIDRs are parsed to numbers and bytes, and each term
// becomes a closure. Matching a row allocates nothing once the address caches are warm.
//
// Language (all terms must match; `!` before a term negates it):
//   port:80 sport:80 dport:80      either side / local (source) / remote (destination); ranges 8000-8100
//   addr:10.0.0.0/8 saddr: daddr:  CIDR or single address, v4 or v6; a v4 term also matches ::ffff:a.b.c.d
//   pid:3937                       any of the row's pids
//   state:est                      case-insensitive prefix, '_' and '-' ignored (fin-wait-1 = FIN_WAIT1);
//                                  aliases: tw → TIME_WAIT, syn → also NEW_SYN_RECV,
//                                  listening → also LISTEN, closed → CLOSE
//   proto:tcp                      tcp and tcp6; tcp4 → tcp only; tcp6 → tcp6 only (same for udp, udplite,
//                                  raw); any other value is an exact, case-insensitive name (unix, ...)
//   cmd:nginx                      case-insensitive substring of any command name or full command line
//   a,b in any field's value        either: port:80,443  state:est,tw  proto:tcp,udp  (an OR within a field)
//   rtt>50ms retr>0 rx>1MB/s tx<10KiB/s   comparisons (> >= < <= =) with units on a connection's tcp_info:
//                                  rtt in us/ms/s (ms when bare), retr a count of retransmits, rx/tx in
//                                  B/s, KB/s MB/s GB/s (×1000), KiB/s MiB/s GiB/s (×1024) or kbit/s Mbit/s
//                                  Gbit/s (bytes when bare); a row without tcp_info does not match
//   user:www-data                  exact, case-insensitive
//   word                           case-insensitive substring of any displayed column
// A row without the field a term asks about (port: on a counter row) does not match it, so !port:80 does.
import { EVENT_KINDS } from '../model/events.js';
import { parseIPv4, parseIPv6 } from '../proc/addr.js';

export interface FilterSubject {
  proto?: string; // 'tcp', 'tcp6', 'udp', 'unix', ...
  localAddress?: string; // numeric, '127.0.0.1' / '::1' / '::ffff:1.2.3.4'
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
  state?: string; // 'ESTABLISHED', 'LISTEN', 'UNCONN', 'LISTENING' ...
  pids?: readonly number[];
  commands?: readonly string[];
  /** Full command lines of the owners (cmd: matches these too: `cmd:bulk.py` finds `python3 bulk.py`). */
  cmdlines?: readonly string[];
  users?: readonly string[];
  /** An event's kind (Events pane), for kind:. */
  kind?: string;
  /** Every displayed column's text, for bare words (also counter names, interface names, unix paths...). */
  text: readonly string[];
}

/** Which endpoint a port or address term looks at. */
export type Side = 'either' | 'local' | 'remote';

interface TermBase {
  /** The term as typed, including a leading '!'. */
  readonly source: string;
  /** Character offset of the term (of its '!', if any) in the filter text. */
  readonly position: number;
  readonly negated: boolean;
}

export type Term = TermBase &
  (
    | { readonly kind: 'port'; readonly side: Side; readonly min: number; readonly max: number }
    | {
        readonly kind: 'addr';
        readonly side: Side;
        readonly family: 4 | 6;
        /** Network bytes (4 or 16); bits past `prefix` are whatever was typed. */
        readonly bytes: Uint8Array;
        readonly prefix: number;
      }
    | { readonly kind: 'pid'; readonly pid: number }
    /** `needle`: lower-cased, '_' '-' ' ' removed; `aliases`: states matched exactly, in the same form. */
    | { readonly kind: 'state'; readonly needle: string; readonly aliases: readonly string[] }
    /** Lower-cased protocol names accepted exactly. */
    | { readonly kind: 'proto'; readonly protos: readonly string[] }
    | { readonly kind: 'cmd'; readonly needle: string }
    | { readonly kind: 'user'; readonly name: string }
    /** kind:listener — an event kind starting with the needle (Events pane). */
    | { readonly kind: 'eventKind'; readonly needle: string }
    | { readonly kind: 'text'; readonly needle: string }
    /** `field:a,b`: any of the alternatives (each a term of the same field, not negated). */
    | { readonly kind: 'any'; readonly terms: readonly Term[] }
    /** `rtt>50ms`: a tcp_info figure compared with a value in the figure's base unit (µs, count, B/s). */
    | { readonly kind: 'metric'; readonly metric: Metric; readonly op: Op; readonly value: number }
  );

export type Metric = 'rtt' | 'retr' | 'rx' | 'tx';
export type Op = '>' | '>=' | '<' | '<=' | '=';

/** What metric terms compare: a connection's tcp_info this sample (src/model/tcpinfo.ts TcpStats). */
export interface FilterMetrics {
  readonly rttUs: number | undefined;
  readonly totalRetrans: number | undefined;
  readonly rxBps: number | undefined;
  readonly txBps: number | undefined;
}

export interface CompiledFilter {
  readonly source: string;
  readonly terms: readonly Term[];
  /** True when a term compares tcp_info figures: the result changes every sample. */
  readonly usesMetrics: boolean;
  matches(s: FilterSubject, metrics?: FilterMetrics): boolean;
}

export type FilterResult =
  | { ok: true; filter: CompiledFilter }
  | { ok: false; error: string; position: number };

/** One line per term kind, for the help overlay. */
export const FILTER_HELP: readonly (readonly [syntax: string, meaning: string])[] = [
  ['word', 'any column contains word (case-insensitive)'],
  ['port:80  port:8000-8100', 'local or remote port; sport: local, dport: remote'],
  ['addr:10.0.0.0/8  addr:::1', 'local or remote address or CIDR; saddr: local, daddr: remote'],
  ['pid:3937', 'owned by that process'],
  ['state:est  state:tw  state:syn', 'state starts with (tw = TIME_WAIT, syn = SYN_*)'],
  ['proto:tcp  proto:tcp4  proto:tcp6', 'tcp = both families; also udp, udplite, raw, unix'],
  ['cmd:nginx', 'command name or command line contains'],
  ['port:80,443  state:est,tw', 'a comma is "or" within a field'],
  ['rtt>50ms  retr>0  rx>1MB/s', 'tcp_info comparisons: > >= < <= =, with units'],
  ['user:www-data', 'owner is'],
  ['kind:listener  kind:iface-down', 'an event of that kind (Events pane)'],
  ['!term', 'negate; all terms must match'],
];

type FieldName =
  | 'port'
  | 'sport'
  | 'dport'
  | 'addr'
  | 'saddr'
  | 'daddr'
  | 'pid'
  | 'state'
  | 'proto'
  | 'cmd'
  | 'user'
  | 'kind';

const FIELDS: readonly FieldName[] = [
  'port',
  'sport',
  'dport',
  'addr',
  'saddr',
  'daddr',
  'pid',
  'state',
  'proto',
  'cmd',
  'user',
  'kind',
];

/** Names people reach for from other tools, mapped to ours for the "try ..." hint. */
const FIELD_HINTS: ReadonlyMap<string, FieldName> = new Map([
  ['src', 'saddr'],
  ['dst', 'daddr'],
  ['source', 'saddr'],
  ['dest', 'daddr'],
  ['ip', 'addr'],
  ['host', 'addr'],
  ['net', 'addr'],
  ['address', 'addr'],
  ['srcport', 'sport'],
  ['dstport', 'dport'],
  ['lport', 'sport'],
  ['rport', 'dport'],
  ['command', 'cmd'],
  ['comm', 'cmd'],
  ['process', 'cmd'],
  ['proc', 'cmd'],
  ['prog', 'cmd'],
  ['program', 'cmd'],
  ['uid', 'user'],
  ['owner', 'user'],
  ['protocol', 'proto'],
  ['st', 'state'],
]);

/** States in folded form (lower case, no separators): a state term must be a prefix of one or an alias. */
const KNOWN_STATES: readonly string[] = [
  'established',
  'synsent',
  'synrecv',
  'newsynrecv',
  'finwait1',
  'finwait2',
  'timewait',
  'close',
  'closewait',
  'lastack',
  'listen',
  'closing',
  'unconn',
  'listening',
  'connected',
  'connecting',
  'disconnecting',
  'free',
  'unknown',
];

/**
 * Every protocol a row can have: sockets, routes (ipv4/ipv6), interfaces, and the counter groups of the
 * Stats pane (lower-cased). Anything else is a typo to report, not a filter that silently matches nothing.
 */
const KNOWN_PROTOS: ReadonlySet<string> = new Set([
  'tcp',
  'tcp6',
  'udp',
  'udp6',
  'udplite',
  'udplite6',
  'raw',
  'raw6',
  'unix',
  'ipv4',
  'ipv6',
  'iface',
  'ip',
  'ip6',
  'ipext',
  'icmp',
  'icmp6',
  'icmpmsg',
  'tcpext',
  'mptcpext',
  'sockstat',
]);

/** Families that `proto:NAME` widens to NAME and NAME6 (and NAME4 narrows to NAME). */
const INET_PROTOS: ReadonlySet<string> = new Set(['tcp', 'udp', 'udplite', 'raw']);

/** Netstat / ss names that are not a prefix of the state they mean (compared in folded form). */
const STATE_ALIASES: ReadonlyMap<string, readonly string[]> = new Map([
  ['tw', ['timewait']],
  ['syn', ['newsynrecv']],
  ['synrecv', ['newsynrecv']],
  ['listening', ['listen']],
  ['closed', ['close']],
]);

type Predicate = (s: FilterSubject, m: FilterMetrics | undefined) => boolean;

class FilterError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export function parseFilter(text: string): FilterResult {
  const terms: Term[] = [];
  try {
    for (const [token, position] of tokens(text)) terms.push(parseTerm(token, position));
  } catch (err) {
    if (err instanceof FilterError) return { ok: false, error: err.message, position: err.position };
    throw err;
  }
  const predicates = terms.map(compileTerm);
  const count = predicates.length;
  const usesMetrics = terms.some(
    (t) => t.kind === 'metric' || (t.kind === 'any' && t.terms.some((a) => a.kind === 'metric')),
  );
  const filter: CompiledFilter = {
    source: text,
    terms,
    usesMetrics,
    matches(s: FilterSubject, m?: FilterMetrics): boolean {
      for (let i = 0; i < count; i++) if (!predicates[i]!(s, m)) return false;
      return true;
    },
  };
  return { ok: true, filter };
}

/** Whitespace-separated tokens with their start offsets. */
function tokens(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const blank = i === text.length || text.charCodeAt(i) <= 32;
    if (blank && start >= 0) {
      out.push([text.slice(start, i), start]);
      start = -1;
    } else if (!blank && start < 0) {
      start = i;
    }
  }
  return out;
}

const FIELD_PREFIX = /^([A-Za-z]+):/;
const METRIC_TERM = /^(rtt|retr|rx|tx)(>=|<=|>|<|=)(.*)$/i;

const TIME_UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1000],
  ['us', 1],
  ['µs', 1],
  ['ms', 1000],
  ['s', 1_000_000],
]);

/** Rate units → bytes per second. */
const RATE_UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b/s', 1],
  ['kb/s', 1e3],
  ['mb/s', 1e6],
  ['gb/s', 1e9],
  ['kib/s', 1024],
  ['mib/s', 1024 ** 2],
  ['gib/s', 1024 ** 3],
  ['bit/s', 1 / 8],
  ['kbit/s', 1e3 / 8],
  ['mbit/s', 1e6 / 8],
  ['gbit/s', 1e9 / 8],
]);

function parseMetric(metric: Metric, op: Op, text: string, position: number) {
  const m = /^(\d+(?:\.\d+)?)(.*)$/.exec(text);
  if (!m) throw new FilterError(`bad ${metric} value "${text}"`, position);
  const number = Number(m[1]);
  const unit = m[2]!;
  let scale: number | undefined;
  if (metric === 'rtt') scale = TIME_UNITS.get(unit.toLowerCase());
  else if (metric === 'retr') scale = unit === '' ? 1 : undefined;
  else {
    // Case matters for b (byte) and bit only by spelling; "MB/s" and "mb/s" are the same here.
    const u = unit.toLowerCase();
    scale = RATE_UNITS.get(u.endsWith('/s') || u === '' ? u : `${u}/s`);
  }
  if (scale === undefined) {
    const units =
      metric === 'rtt'
        ? 'us, ms, s'
        : metric === 'retr'
          ? 'a plain count'
          : 'B/s, KB/s, MB/s, KiB/s, Mbit/s …';
    throw new FilterError(`bad unit "${unit}" for ${metric} (${units})`, position);
  }
  return { kind: 'metric' as const, metric, op, value: number * scale };
}

function parseTerm(source: string, position: number): Term {
  let body = source;
  let negated = false;
  if (body.startsWith('!')) {
    negated = true;
    body = body.slice(1);
    if (body === '') throw new FilterError('"!" needs a term', position);
    if (body.startsWith('!')) throw new FilterError('one "!" per term', position);
  }
  const base = { source, position, negated };
  const metric = METRIC_TERM.exec(body);
  if (metric)
    return {
      ...base,
      ...parseMetric(metric[1]!.toLowerCase() as Metric, metric[2] as Op, metric[3]!, position),
    };
  const field = FIELD_PREFIX.exec(body);
  // 'dead:beef::1' looks like a field but is an address: a bare word.
  if (field === null || looksLikeIPv6(body)) return { ...base, kind: 'text', needle: body.toLowerCase() };

  const typed = field[1]!;
  const name = typed.toLowerCase();
  const value = body.slice(typed.length + 1);
  if (!isField(name)) {
    const hint = suggestField(name);
    const suffix = hint === undefined ? '' : ` (try ${hint}:)`;
    throw new FilterError(`unknown field "${typed}"${suffix}`, position);
  }
  if (value === '') throw new FilterError(`empty value after "${typed}:"`, position);
  if (value.includes(',')) {
    const parts = value.split(',');
    if (parts.some((p) => p === '')) throw new FilterError(`empty alternative in "${value}"`, position);
    const terms = parts.map((part) => parseTerm(`${typed}:${part}`, position));
    return { ...base, kind: 'any', terms };
  }
  const fail = (what: string): never => {
    throw new FilterError(`bad ${what} "${value}"`, position);
  };

  switch (name) {
    case 'port':
    case 'sport':
    case 'dport': {
      const dash = value.indexOf('-');
      if (dash < 0) {
        const port = parsePort(value);
        if (port === undefined) return fail('port');
        return { ...base, kind: 'port', side: sideOf(name), min: port, max: port };
      }
      const min = parsePort(value.slice(0, dash));
      const max = parsePort(value.slice(dash + 1));
      if (min === undefined || max === undefined || min > max) return fail('range');
      return { ...base, kind: 'port', side: sideOf(name), min, max };
    }
    case 'addr':
    case 'saddr':
    case 'daddr': {
      const cidr = parseCidr(value);
      if (cidr === undefined) return fail('address');
      return { ...base, kind: 'addr', side: sideOf(name), ...cidr };
    }
    case 'pid': {
      const pid = parseDecimal(value, 0x7fffffff);
      if (pid === undefined) return fail('pid');
      return { ...base, kind: 'pid', pid };
    }
    case 'state': {
      const needle = foldState(value);
      if (needle === '') return fail('state');
      const aliases = STATE_ALIASES.get(needle) ?? [];
      if (aliases.length === 0 && !KNOWN_STATES.some((s) => s.startsWith(needle)))
        throw new FilterError(
          `unknown state "${value}" (est, listen, tw, syn, close-wait, unconn, …)`,
          position,
        );
      return { ...base, kind: 'state', needle, aliases };
    }
    case 'proto': {
      const protos = protoSet(value.toLowerCase());
      if (!protos.every((p) => KNOWN_PROTOS.has(p)))
        throw new FilterError(`unknown protocol "${value}" (tcp, udp, udplite, raw, unix, …)`, position);
      return { ...base, kind: 'proto', protos };
    }
    case 'cmd':
      return { ...base, kind: 'cmd', needle: value.toLowerCase() };
    case 'user':
      return { ...base, kind: 'user', name: value.toLowerCase() };
    case 'kind':
      if (!EVENT_KINDS.some((k) => k.startsWith(value.toLowerCase())))
        throw new FilterError(
          `unknown event kind "${value}" (listener, iface, route, counter, conntrack, state, alert …)`,
          position,
        );
      return { ...base, kind: 'eventKind', needle: value.toLowerCase() };
  }
}

function isField(name: string): name is FieldName {
  return (FIELDS as readonly string[]).includes(name);
}

function sideOf(field: FieldName): Side {
  if (field.startsWith('s')) return 'local';
  if (field.startsWith('d')) return 'remote';
  return 'either';
}

/** A known field within two edits of what was typed (typos like "prot", "prto"), or a hinted synonym. */
function suggestField(name: string): FieldName | undefined {
  const hint = FIELD_HINTS.get(name);
  if (hint !== undefined) return hint;
  let best: FieldName | undefined;
  let bestDistance = 3;
  for (const field of FIELDS) {
    const d = editDistance(name, field);
    if (d < bestDistance && d < field.length) {
      best = field;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance; both strings are a few letters long. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Plain decimal digits, at most `max`; no sign, no spaces, no service names. */
function parseDecimal(text: string, max: number): number | undefined {
  if (text.length === 0 || text.length > 10) return undefined;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    value = value * 10 + (c - 48);
  }
  return value <= max ? value : undefined;
}

function parsePort(text: string): number | undefined {
  return parseDecimal(text, 65535);
}

function looksLikeIPv6(text: string): boolean {
  const slash = text.indexOf('/');
  return parseIPv6(slash < 0 ? text : text.slice(0, slash)) !== undefined;
}

/**
 * 'a.b.c.d[/n]' or 'v6[/n]'. An IPv4-mapped v6 term of /96 or longer becomes the plain IPv4 term it
 * stands for, so `addr:::ffff:10.0.0.1` and `addr:10.0.0.1` select the same rows.
 */
function parseCidr(text: string): { family: 4 | 6; bytes: Uint8Array; prefix: number } | undefined {
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  const v4 = parseIPv4(host);
  const bytes = v4 ?? parseIPv6(host);
  if (bytes === undefined) return undefined;
  const bits = bytes.length * 8;
  let prefix = bits;
  if (slash >= 0) {
    const parsed = parseDecimal(text.slice(slash + 1), bits);
    if (parsed === undefined) return undefined;
    prefix = parsed;
  }
  if (v4 !== undefined) return { family: 4, bytes, prefix };
  if (prefix >= 96 && isMapped(bytes)) return { family: 4, bytes: bytes.slice(12), prefix: prefix - 96 };
  return { family: 6, bytes, prefix };
}

function isMapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** True when the first `prefix` bits of `a` from `aStart` equal those of `b` from 0. */
function prefixEquals(a: Uint8Array, aStart: number, b: Uint8Array, prefix: number): boolean {
  const whole = prefix >>> 3;
  for (let i = 0; i < whole; i++) if (a[aStart + i] !== b[i]) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[aStart + whole]! ^ b[whole]!) & mask) === 0;
}

/**
 * Parsed row addresses, shared by every compiled filter: the filter is recompiled on each keystroke, and
 * parsing allocates, while the rows hand us the same few address strings (the /proc parser caches them)
 * tick after tick. The cap bounds memory (a few MB) under a stream of distinct remote addresses; when full
 * we simply start over. `null` marks text that is not an address.
 */
const ADDRESS_CACHE_LIMIT = 32768;
const addressCache = new Map<string, Uint8Array | null>();

function addressBytes(address: string): Uint8Array | null {
  let bytes = addressCache.get(address);
  if (bytes === undefined) {
    bytes = (address.includes(':') ? parseIPv6(address) : parseIPv4(address)) ?? null;
    if (addressCache.size >= ADDRESS_CACHE_LIMIT) addressCache.clear();
    addressCache.set(address, bytes);
  }
  return bytes;
}

/** Whether an address string falls in the term's network; a v4 network also holds ::ffff:a.b.c.d. */
function addressMatcher(family: 4 | 6, net: Uint8Array, prefix: number): (address: string) => boolean {
  return (address) => {
    const bytes = addressBytes(address);
    if (bytes === null) return false;
    if (bytes.length === 4) return family === 4 && prefixEquals(bytes, 0, net, prefix);
    if (family === 6) return prefixEquals(bytes, 0, net, prefix);
    return isMapped(bytes) && prefixEquals(bytes, 12, net, prefix);
  };
}

function protoSet(value: string): readonly string[] {
  if (INET_PROTOS.has(value)) return [value, `${value}6`];
  if (value.endsWith('4') && INET_PROTOS.has(value.slice(0, -1))) return [value.slice(0, -1)];
  return [value];
}

function isStateSeparator(c: number): boolean {
  return c === 95 /* _ */ || c === 45 /* - */ || c === 32;
}

function foldState(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) if (!isStateSeparator(text.charCodeAt(i))) out += text[i];
  return out.toLowerCase();
}

/**
 * Compares `state` with a folded needle, skipping separators and ASCII case in `state` without building
 * a folded copy. `whole` demands that nothing but separators is left in `state` afterwards.
 */
function stateMatches(state: string, needle: string, whole: boolean): boolean {
  let i = 0;
  for (let j = 0; j < needle.length; j++) {
    while (i < state.length && isStateSeparator(state.charCodeAt(i))) i++;
    if (i === state.length || asciiLower(state.charCodeAt(i)) !== needle.charCodeAt(j)) return false;
    i++;
  }
  if (!whole) return true;
  while (i < state.length && isStateSeparator(state.charCodeAt(i))) i++;
  return i === state.length;
}

function asciiLower(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/**
 * A case-insensitive "contains" for a lower-cased needle. Needles without letters (ports, addresses) use the
 * native search; ASCII ones fold A-Z on the fly; only a non-ASCII needle pays for toLowerCase per string.
 */
function containsMatcher(needle: string): (hay: string) => boolean {
  if (needle === needle.toUpperCase()) return (hay) => hay.includes(needle);
  if (!isAscii(needle)) return (hay) => hay.toLowerCase().includes(needle);
  const n = needle.length;
  const first = needle.charCodeAt(0);
  return (hay) => {
    const last = hay.length - n;
    outer: for (let i = 0; i <= last; i++) {
      if (asciiLower(hay.charCodeAt(i)) !== first) continue;
      for (let j = 1; j < n; j++) {
        if (asciiLower(hay.charCodeAt(i + j)) !== needle.charCodeAt(j)) continue outer;
      }
      return true;
    }
    return false;
  };
}

function equalsMatcher(lower: string): (text: string) => boolean {
  if (!isAscii(lower)) return (text) => text.toLowerCase() === lower;
  return (text) => {
    if (text.length !== lower.length) return false;
    for (let i = 0; i < text.length; i++)
      if (asciiLower(text.charCodeAt(i)) !== lower.charCodeAt(i)) return false;
    return true;
  };
}

function anyOf(list: readonly string[] | undefined, test: (text: string) => boolean): boolean {
  if (list === undefined) return false;
  for (let i = 0; i < list.length; i++) if (test(list[i]!)) return true;
  return false;
}

function compileTerm(term: Term): Predicate {
  const positive = compilePositive(term);
  return term.negated ? (s, m) => !positive(s, m) : positive;
}

function metricValue(metric: Metric, m: FilterMetrics): number | undefined {
  switch (metric) {
    case 'rtt':
      return m.rttUs;
    case 'retr':
      return m.totalRetrans;
    case 'rx':
      return m.rxBps;
    case 'tx':
      return m.txBps;
  }
}

function compilePositive(term: Term): Predicate {
  switch (term.kind) {
    case 'port': {
      const { min, max, side } = term;
      const inRange = (port: number | undefined): boolean => port !== undefined && port >= min && port <= max;
      if (side === 'local') return (s) => inRange(s.localPort);
      if (side === 'remote') return (s) => inRange(s.remotePort);
      return (s) => inRange(s.localPort) || inRange(s.remotePort);
    }
    case 'addr': {
      const inNet = addressMatcher(term.family, term.bytes, term.prefix);
      const test = (address: string | undefined): boolean => address !== undefined && inNet(address);
      if (term.side === 'local') return (s) => test(s.localAddress);
      if (term.side === 'remote') return (s) => test(s.remoteAddress);
      return (s) => test(s.localAddress) || test(s.remoteAddress);
    }
    case 'pid': {
      const { pid } = term;
      return (s) => s.pids?.includes(pid) === true;
    }
    case 'state': {
      const { needle, aliases } = term;
      return (s) => {
        const state = s.state;
        if (state === undefined) return false;
        if (stateMatches(state, needle, false)) return true;
        for (let i = 0; i < aliases.length; i++) if (stateMatches(state, aliases[i]!, true)) return true;
        return false;
      };
    }
    case 'proto': {
      const tests = term.protos.map(equalsMatcher);
      return (s) => {
        const proto = s.proto;
        if (proto === undefined) return false;
        for (let i = 0; i < tests.length; i++) if (tests[i]!(proto)) return true;
        return false;
      };
    }
    case 'cmd': {
      const contains = containsMatcher(term.needle);
      // Command lines are long (up to the model's cap) and shared by every socket of a process: search
      // each distinct one once per filter, not once per row.
      const seen = new Map<string, boolean>();
      const inLine = (line: string) => {
        let hit = seen.get(line);
        if (hit === undefined) {
          hit = contains(line);
          if (seen.size >= 4096) seen.clear();
          seen.set(line, hit);
        }
        return hit;
      };
      return (s) => anyOf(s.commands, contains) || anyOf(s.cmdlines, inLine);
    }
    case 'any': {
      const alternatives = term.terms.map(compileTerm);
      return (s, m) => {
        for (let i = 0; i < alternatives.length; i++) if (alternatives[i]!(s, m)) return true;
        return false;
      };
    }
    case 'metric': {
      const { metric, op, value } = term;
      return (_s, m) => {
        const v = m ? metricValue(metric, m) : undefined;
        if (v === undefined) return false;
        switch (op) {
          case '>':
            return v > value;
          case '>=':
            return v >= value;
          case '<':
            return v < value;
          case '<=':
            return v <= value;
          case '=':
            return v === value;
        }
      };
    }
    case 'user': {
      const equals = equalsMatcher(term.name);
      return (s) => anyOf(s.users, equals);
    }
    case 'eventKind': {
      const { needle } = term;
      return (s) => s.kind?.startsWith(needle) === true;
    }
    case 'text': {
      const contains = containsMatcher(term.needle);
      return (s) => anyOf(s.text, contains);
    }
  }
}

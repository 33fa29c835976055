// netstat's socket tables (net-tools 2.10 netstat.c: tcp_do_one, udp_do_one, raw_do_one, unix_do_one,
// sctp_*_do_one, finish_this_one), line for line. Pure: rows in, text out. Everything but the PID/Program
// (and SELinux) column is formatted first, so `--once -p` can format while the owner scan still runs.
import {
  type InetProto,
  type InetSocket,
  type OwnerMap,
  type ProcessInfo,
  TCP_STATE_NAMES,
  type UnixSocket,
} from '../../model/types.js';
import type { SctpAssoc, SctpEndpoint } from '../../proc/sctp.js';
import type { NameResolver } from '../../sample/names.js';
import { escapeControl } from '../../view/escape.js';
import type { NetstatFlags } from './flags.js';
import { endpointText, fixV4, hostText, ntop6, portText } from './hosts.js';

export const PROGNAME_WIDTH = 20;
export const SELINUX_WIDTH = 50;

// netstat's tcp_state[]: index 0 is the empty string.
const TCP_STATES: readonly string[] = ['', ...TCP_STATE_NAMES];

/** tcp_state[] as netstat indexes it; SCTP prints UNKNOWN(n) past its end. */
export function tcpStateText(code: number): string {
  return TCP_STATES[code] ?? '';
}

/** The State column of a TCP row, padded: made once per state rather than once per row. */
const TCP_STATE_COLUMNS = TCP_STATES.map((state) => state.padEnd(11));

/** Recv-Q / Send-Q right-aligned in 6 columns; the small values every row has are made once. */
const QUEUES = Array.from({ length: 256 }, (_, n) => String(n).padStart(6));
function queue(n: number): string {
  return n >= 0 && n < 256 ? QUEUES[n]! : String(n).padStart(6);
}

/** The name netstat's names file uses for a protocol ("udpl" for UDP-Lite: five columns). */
export function protoText(proto: InetProto): string {
  switch (proto) {
    case 'udplite':
      return 'udpl';
    case 'udplite6':
      return 'udpl6';
    default:
      return proto;
  }
}

/** printf's %-Ns: pad to N bytes (not characters, as netstat counts). */
export function padBytes(text: string, width: number): string {
  const n = byteLength(text);
  return n >= width ? text : text + ' '.repeat(width - n);
}

function byteLength(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text);
  }
  return text.length;
}

/** The longest prefix of `text` that fits in `max` bytes of UTF-8 without splitting a character. */
export function cutBytes(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) break;
    bytes += n;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** netstat reads at most this much of /proc/PID/cmdline (cmdlbuf[512], one byte for the NUL). */
const CMDLINE_MAX = 511;

/**
 * The program name netstat -p shows: argv[0] from cmdline, cut after its last '/' when it starts with one
 * ("nginx: master process /usr/sbin/nginx" stays whole, "/usr/sbin/sshd" is "sshd"). An empty cmdline
 * falls back to comm (netstat would print "PID/" with no name).
 */
export function programName(p: ProcessInfo): string {
  // A ProcessInfo made without argv[0] (it cannot be told from cmdline's spaces) is named by comm.
  if (p.argv0 === undefined || (p.argv0 === '' && p.cmdline === '')) return p.command;
  let argv0 = p.argv0;
  if (argv0.length > CMDLINE_MAX / 4) argv0 = cutBytes(argv0, CMDLINE_MAX);
  return argv0.startsWith('/') ? argv0.slice(argv0.lastIndexOf('/') + 1) : argv0;
}

/** "PID/name" cut as netstat cuts it (snprintf into 20 bytes: 19 and the NUL), escaped. */
export function programColumn(p: ProcessInfo | undefined): string {
  return p ? escapeControl(cutBytes(`${p.pid}/${programName(p)}`, PROGNAME_WIDTH - 1)) : '-';
}

/** An SELinux context as netstat keeps it (prg_cache_add): the last 48 characters of a longer one. */
export function contextColumn(context: string | undefined): string {
  if (context === undefined) return '-';
  const text =
    context.length >= SELINUX_WIDTH ? context.slice(context.length - (SELINUX_WIDTH - 2)) : context;
  return escapeControl(text);
}

function fixed2(ticks: number): string {
  return (Math.max(0, ticks) / 100).toFixed(2);
}

/** The Timer column of a TCP row. */
function tcpTimer(s: InetSocket): string {
  const tail = `(${fixed2(s.timerExpires)}/${s.retransmits}/${s.timeouts})`;
  switch (s.timerActive) {
    case 0:
      return `off (0.00/${s.retransmits}/${s.timeouts})`;
    case 1:
      return `on ${tail}`;
    case 2:
      return `keepalive ${tail}`;
    case 3:
      return `timewait ${tail}`;
    case 4:
      return `probe ${tail}`;
    default:
      return `unkn-${s.timerActive} ${tail}`;
  }
}

/** UDP and raw rows: netstat counts no retransmits for UDP (retr = 0) and names timers on1 / on2. */
function datagramTimer(s: InetSocket): string {
  const retr = s.proto.startsWith('raw') ? s.retransmits : 0;
  switch (s.timerActive) {
    case 0:
      return `off (0.00/${retr}/${s.timeouts})`;
    case 1:
    case 2:
      return `on${s.timerActive} (${fixed2(s.timerExpires)}/${retr}/${s.timeouts})`;
    default:
      return `unkn-${s.timerActive} (${fixed2(s.timerExpires)}/${retr}/${s.timeouts})`;
  }
}

function isNullAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/**
 * netstat's -l / -a rule per protocol: TCP sockets without a peer port are servers; UDP and raw sockets
 * without a peer address are; unix sockets that are unconnected and accept connections are.
 */
export function shownByState(
  s: InetSocket | UnixSocket,
  f: Pick<NetstatFlags, 'all' | 'listening'>,
): boolean {
  if (f.all) return true;
  let server: boolean;
  if (s.kind === 'unix') server = s.stateCode === 1 && (s.flags & 0x10000) !== 0;
  else if (s.proto === 'tcp' || s.proto === 'tcp6') server = s.remote.port === 0;
  else server = isNullAddress(s.remote.address);
  return f.listening ? server : !server;
}

type UserOf = (uid: number) => string | undefined;

export interface SocketFormat {
  readonly flags: NetstatFlags;
  readonly names: NameResolver;
  readonly userOf: UserOf;
}

/** finish_this_one's User and Inode columns (-e -e... flag_exp > 1). */
export function userInode(uid: number, inode: number, fmt: SocketFormat): string {
  const name = fmt.flags.numUser ? undefined : fmt.userOf(uid);
  return ` ${padBytes(name === undefined ? String(uid) : escapeControl(name), 10)} ${String(inode).padEnd(10)}`;
}

/** Whether a name from a file holds a control character (a loop: cheaper than escapeControl's regex). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function endpoint(address: string, port: number, proto: 'tcp' | 'udp' | 'raw', fmt: SocketFormat): string {
  const f = fmt.flags;
  if (f.numHost && f.numPort) {
    // -n, most rows of most listings: no names and nothing to escape, and only an IPv6 address that
    // starts with "::" (v4-mapped, IPv4-compatible) is written otherwise than the model has it.
    const host = address.charCodeAt(0) === 58 ? fixV4(ntop6(address), address) : address;
    const text = `${host}:${port === 0 ? '*' : port}`;
    return f.wide || text.length <= 23 ? text : endpointText(host, port === 0 ? '*' : String(port), false);
  }
  const host = hostText(address, fmt.flags.numHost, fmt.names);
  const service = portText(port, proto, fmt.flags.numPort, fmt.names);
  const text = endpointText(host, service, fmt.flags.wide);
  // Numbers need no escaping; names from etc/hosts or etc/services may.
  return hasControl(text) ? escapeControl(text) : text;
}

/** An inet row up to (not including) its PID/Program column, and its timer column (with its space). */
export function inetRow(s: InetSocket, fmt: SocketFormat): { head: string; tail: string } {
  const head = inetHead(s, fmt);
  return { head, tail: fmt.flags.timers ? ` ${inetTimer(s)}` : '' };
}

/** The timer column of an inet row (-o), without its space. */
export function inetTimer(s: InetSocket): string {
  return s.proto === 'tcp' || s.proto === 'tcp6' ? tcpTimer(s) : datagramTimer(s);
}

/** An inet row up to (not including) its PID/Program column. */
export function inetHead(s: InetSocket, fmt: SocketFormat): string {
  let line: string;
  if (s.proto === 'tcp' || s.proto === 'tcp6') {
    const local = endpoint(s.local.address, s.local.port, 'tcp', fmt);
    const remote = endpoint(s.remote.address, s.remote.port, 'tcp', fmt);
    const state = TCP_STATE_COLUMNS[s.stateCode] ?? '           ';
    line = `${s.proto === 'tcp' ? 'tcp ' : 'tcp6'}  ${queue(s.recvQ)} ${queue(s.sendQ)} ${local.padEnd(23)} ${remote.padEnd(23)} ${state}`;
  } else if (s.proto === 'raw' || s.proto === 'raw6') {
    const local = endpoint(s.local.address, s.local.port, 'raw', fmt);
    const remote = endpoint(s.remote.address, s.remote.port, 'raw', fmt);
    line = `${s.proto.padEnd(4)}  ${queue(s.recvQ)} ${queue(s.sendQ)} ${local.padEnd(23)} ${remote.padEnd(23)} ${String(s.stateCode).padEnd(11)}`;
  } else {
    const local = endpoint(s.local.address, s.local.port, 'udp', fmt);
    const remote = endpoint(s.remote.address, s.remote.port, 'udp', fmt);
    const state = s.stateCode === 1 ? 'ESTABLISHED' : s.stateCode === 7 ? '' : 'UNKNOWN';
    line = `${protoText(s.proto).padEnd(5)} ${queue(s.recvQ)} ${queue(s.sendQ)} ${local.padEnd(23)} ${remote.padEnd(23)} ${state.padEnd(11)}`;
  }
  return fmt.flags.exp > 1 ? line + userInode(s.uid, s.inode, fmt) : line;
}

/** A unix row up to its PID/Program column (the I-Node column included), and the path after it. */
export function unixRow(s: UnixSocket): { head: string; tail: string } {
  let flags = '[ ';
  if (s.flags & 0x10000) flags += 'ACC ';
  if (s.flags & 0x20000) flags += 'W ';
  if (s.flags & 0x40000) flags += 'N ';
  flags += ']';
  const head = `unix  ${String(s.refcount).padEnd(6)} ${flags.padEnd(11)} ${s.type.padEnd(10)} ${s.state.padEnd(13)} ${String(s.inode).padEnd(8)}`;
  // netstat reads the path with %s, so it stops at the first space; we print it whole (README).
  return { head, tail: ` ${escapeControl(s.path)}` };
}

/** The header of the inet table. */
export function inetHeader(f: NetstatFlags): string[] {
  let h = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ';
  if (f.exp > 1) h += ' User       Inode     ';
  if (f.programs) h += ` ${'PID/Program name'.padEnd(PROGNAME_WIDTH)}`;
  if (f.context) h += ' Security Context'.padEnd(SELINUX_WIDTH);
  if (f.timers) h += ' Timer';
  return [`Active Internet connections ${titleSuffix(f)}`, h];
}

export function unixHeader(f: NetstatFlags): string[] {
  let h = 'Proto RefCnt Flags       Type       State         I-Node  ';
  if (f.programs) h += ` ${'PID/Program name'.padEnd(PROGNAME_WIDTH)}`;
  if (f.context) h += ' Security Context'.padEnd(SELINUX_WIDTH);
  return [`Active UNIX domain sockets ${titleSuffix(f)}`, `${h} Path`];
}

function titleSuffix(f: NetstatFlags): string {
  if (f.all) return '(servers and established)';
  if (f.listening) return '(only servers)';
  return '(w/o servers)';
}

/** sctp_socket_state_str. */
function sctpState(state: number): string {
  return state >= 0 && state < TCP_STATES.length ? TCP_STATES[state]! : `UNKNOWN(${state})`;
}

/** SCTP addresses: netstat passes all of flag_not as "numeric", so -n, --numeric-ports or -N keep hosts numeric. */
function sctpHost(address: string, fmt: SocketFormat): string {
  const f = fmt.flags;
  return escapeControl(hostText(address, f.numHost || f.numPort || f.numUser || f.symbolic, fmt.names));
}

/** sctp_eps_do_one: one line per local address, the state on the first. */
export function sctpEndpointRows(e: SctpEndpoint, fmt: SocketFormat): string {
  const port = String(e.port);
  const lines = e.addresses.map((address, i) => {
    const lead = i === 0 ? 'sctp                ' : '                    ';
    return `${lead}${`${sctpHost(address, fmt)}:${port}`.padEnd(47)} ${(i === 0 ? sctpState(e.state) : '').padEnd(11)}`;
  });
  if (lines.length === 0) return '';
  return lines.join('\n');
}

/** sctp_assoc_do_one: local and remote addresses side by side, the ports and state on the first line. */
export function sctpAssocRows(a: SctpAssoc, fmt: SocketFormat): string {
  const lines: string[] = [];
  const n = Math.max(a.localAddresses.length, a.remoteAddresses.length);
  for (let i = 0; i < n; i++) {
    const first = i === 0;
    const local = a.localAddresses[i];
    const remote = a.remoteAddresses[i];
    let line = first
      ? `sctp  ${String(a.rxQueue).padStart(6)} ${String(a.txQueue).padStart(6)} `
      : '                    ';
    const text = (address: string | undefined, port: number) =>
      address === undefined ? '' : first ? `${sctpHost(address, fmt)}:${port}` : sctpHost(address, fmt);
    line += `${text(local, a.localPort).padEnd(23)} ${text(remote, a.remotePort).padEnd(23)}`;
    line += ` ${(first ? sctpState(a.state) : '').padEnd(11)}`;
    lines.push(line);
  }
  return lines.join('\n');
}

/**
 * Table rows whose last columns wait for the owners, in parallel arrays rather than an object per row:
 * at 20,000 sockets the objects were most of the garbage a one-shot run made.
 */
export class RowBatch {
  readonly heads: string[] = [];
  /** What follows the program column (timers, unix path), with its space. */
  readonly tails: string[] = [];
  /** The socket's inode, or -1 for a line that takes no program column (titles, headers). */
  readonly inodes: number[] = [];

  row(head: string, tail: string, inode: number): void {
    this.heads.push(head);
    this.tails.push(tail);
    this.inodes.push(inode);
  }

  literal(line: string): void {
    this.row(line, '', -1);
  }

  get length(): number {
    return this.heads.length;
  }
}

/** What the program and context columns are made from. */
export interface Owners {
  readonly owners: OwnerMap;
  /** SELinux context of a process (-Z), from /proc/PID/attr/current. */
  readonly contextOf?: (pid: number) => string | undefined;
}

/**
 * The rows finished, as text with a newline after each: PID/Program (and Security Context) filled in from
 * the owners. A process's columns are made once: a server's thousands of sockets belong to a handful of
 * processes.
 */
export function finishRows(rows: RowBatch, f: NetstatFlags, who: Owners): string {
  const { heads, tails, inodes } = rows;
  const out = new Array<string>(heads.length + 1);
  const columns = new Map<ProcessInfo | undefined, string>();
  const owned = f.programs || f.context;
  for (let i = 0; i < heads.length; i++) {
    const inode = inodes[i]!;
    if (inode < 0 || !owned) {
      out[i] = heads[i]! + tails[i]!;
      continue;
    }
    const holder = inode === 0 ? undefined : who.owners.get(inode)?.[0];
    let middle = columns.get(holder);
    if (middle === undefined) {
      middle = '';
      if (f.programs) middle += ` ${padBytes(programColumn(holder), PROGNAME_WIDTH)}`;
      if (f.context) {
        const context = holder ? contextColumn(who.contextOf?.(holder.pid)) : '-';
        middle += ` ${padBytes(context, SELINUX_WIDTH)}`;
      }
      columns.set(holder, middle);
    }
    out[i] = heads[i]! + middle + tails[i]!;
  }
  out[heads.length] = '';
  return heads.length === 0 ? '' : out.join('\n');
}

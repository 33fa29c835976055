// `netwatch --once`: netstat's tables, in netstat's layout and column widths, so that the grep recipes
// people know (`netstat -anlp | grep 3937`, `netstat -natu | grep ESTABLISHED`) work unchanged.
// Text from the kernel and from processes is escaped (escapeControl) before it is printed.
// This module must not import Ink or React: --once has to start fast.
import { counterDescription, isGauge } from '../model/counters.js';
import type {
  InetProto,
  InetSocket,
  OwnerMap,
  ProcessInfo,
  Snapshot,
  Socket,
  UnixSocket,
} from '../model/types.js';
import { routeFlagsText } from '../proc/route.js';
import { netstatIfaceFlags } from '../proc/sysnet.js';
import type { NameResolver } from '../sample/names.js';
import { INET_PROTOS, type Selection } from '../sample/sampler.js';
import { escapeControl } from '../view/escape.js';
import type { Options } from './options.js';

/** Which tables a set of options asks for, in netstat's terms. */
export type Mode = 'sockets' | 'route' | 'interfaces' | 'statistics' | 'groups';

export function modeOf(o: Options): Mode {
  if (o.route) return 'route';
  if (o.interfaces) return 'interfaces';
  if (o.statistics) return 'statistics';
  if (o.groups) return 'groups';
  return 'sockets';
}

/** The inet protocols and whether unix sockets are wanted, after netstat's defaults (-t -u -U -w -x, -4 -6). */
export function socketSelection(o: Options): { inet: Set<InetProto>; unix: boolean } {
  const any = o.tcp || o.udp || o.udplite || o.raw || o.unix;
  const families = o.inet4 || o.inet6 ? { v4: o.inet4, v6: o.inet6 } : { v4: true, v6: true };
  const inet = new Set<InetProto>();
  const want = (base: 'tcp' | 'udp' | 'udplite' | 'raw', flag: boolean) => {
    if (any && !flag) return;
    if (families.v4) inet.add(base);
    if (families.v6) inet.add(`${base}6` as InetProto);
  };
  want('tcp', o.tcp);
  want('udp', o.udp);
  want('udplite', o.udplite);
  want('raw', o.raw);
  // -4 / -6 mean "-A inet / inet6": unix sockets only when asked for, or when no family was named.
  const unix = any ? o.unix : !(o.inet4 || o.inet6);
  return { inet, unix };
}

/** What the collector must read for these options (owners only for -p / -e, and never for tables without sockets). */
export function selectionFor(o: Options): Selection {
  const mode = modeOf(o);
  const sockets =
    o.json || mode === 'sockets' ? socketSelection(o) : { inet: new Set<InetProto>(), unix: false };
  return {
    inet: sockets.inet,
    unix: sockets.unix,
    owners: o.json || o.programs,
    routes: o.json || mode === 'route',
    interfaces: o.json || mode === 'interfaces',
    counters: o.json || mode === 'statistics',
    multicast: o.json || mode === 'groups',
    conntrack: o.json,
  };
}

/** netstat's rule: -l servers only, -a both, neither: connected only. UDP/raw with no peer count as servers. */
export function wantedByState(s: Socket, o: Options): boolean {
  if (o.all) return true;
  const listening =
    s.kind === 'unix'
      ? s.state === 'LISTENING'
      : s.state === 'LISTEN' ||
        (!s.proto.startsWith('tcp') && s.remote.port === 0 && /^(0\.0\.0\.0|::)$/.test(s.remote.address));
  return o.listening ? listening : !listening;
}

function programColumn(p: ProcessInfo | undefined): string {
  // netstat cuts "PID/name" to 20 columns.
  return p ? escapeControl(`${p.pid}/${p.command}`).slice(0, 20) : '-';
}

function serviceProto(proto: InetProto): 'tcp' | 'udp' {
  return proto.startsWith('tcp') ? 'tcp' : 'udp';
}

/** "addr:port" as netstat prints it, shortened like netstat unless -W. */
export function formatEndpoint(
  address: string,
  port: number,
  proto: InetProto,
  o: Options,
  names: NameResolver,
): string {
  const v6 = address.includes(':');
  let host = address;
  if (!o.numeric) {
    const name = names.host(address);
    if (name) host = name;
    else if (v6 && address === '::') host = '[::]';
  }
  let service = port === 0 ? '*' : String(port);
  if (!o.numeric && port !== 0) {
    service =
      (proto.startsWith('raw') ? names.protocol(port) : names.service(port, serviceProto(proto))) ?? service;
  }
  host = escapeControl(host);
  // netstat (addr_do_one): if address and port do not fit in 22 columns, the port keeps at least 8 and the
  // address is cut to the rest.
  const shortLen = 22;
  if (!o.wide && host.length + service.length > shortLen) {
    const portLen = Math.max(8, service.length);
    host = host.slice(0, Math.max(0, shortLen - portLen));
  }
  return `${host}:${service}`;
}

function timerColumn(s: InetSocket): string {
  const secs = (Math.max(0, s.timerExpires) / 100).toFixed(2);
  const tail = `(${secs}/${s.retransmits}/${s.timeouts})`;
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

function inetState(s: InetSocket): string {
  if (s.proto.startsWith('raw')) return String(s.stateCode); // netstat prints raw states as numbers
  if (s.state === 'UNCONN') return ''; // and leaves unconnected UDP blank
  return s.state;
}

function userColumn(uid: number, o: Options, user: string | undefined): string {
  return o.numeric || !user ? String(uid) : escapeControl(user);
}

function inetHeader(o: Options): string {
  let h = `Proto Recv-Q Send-Q ${'Local Address'.padEnd(23)} ${'Foreign Address'.padEnd(23)} ${'State'.padEnd(11)}`;
  if (o.extend) h += ` ${'User'.padEnd(10)} ${'Inode'.padEnd(10)}`;
  if (o.programs) h += ` ${'PID/Program name'.padEnd(20)}`;
  if (o.timers) h += ' Timer';
  return h;
}

/** Everything of an inet line left of its PID/Program column. */
function inetHead(s: InetSocket, o: Options, names: NameResolver, userOf: UserOf): string {
  const local = formatEndpoint(s.local.address, s.local.port, s.proto, o, names);
  const remote = formatEndpoint(s.remote.address, s.remote.port, s.proto, o, names);
  let line = `${s.proto.padEnd(5)} ${String(s.recvQ).padStart(6)} ${String(s.sendQ).padStart(6)} ${local.padEnd(23)} ${remote.padEnd(23)} ${inetState(s).padEnd(11)}`;
  if (o.extend) line += ` ${userColumn(s.uid, o, userOf(s.uid)).padEnd(10)} ${String(s.inode).padEnd(10)}`;
  return line;
}

function unixHeader(o: Options): string {
  let h = `Proto RefCnt ${'Flags'.padEnd(11)} ${'Type'.padEnd(10)} ${'State'.padEnd(13)} ${'I-Node'.padEnd(8)} `;
  if (o.programs) h += `${'PID/Program name'.padEnd(20)} `;
  return `${h}Path`;
}

/** Everything of a unix line left of its PID/Program column. */
function unixHead(s: UnixSocket): string {
  const flags = s.flags & 0x10000 ? '[ ACC ]' : '[ ]';
  return `${'unix'.padEnd(5)} ${String(s.refcount).padEnd(6)} ${flags.padEnd(11)} ${s.type.padEnd(10)} ${s.state.padEnd(13)} ${String(s.inode).padEnd(8)} `;
}

type UserOf = (uid: number) => string | undefined;

function titleSuffix(o: Options): string {
  if (o.all) return '(servers and established)';
  if (o.listening) return '(only servers)';
  return '(w/o servers)';
}

/** Fills in the PID/Program column once the owners are known, and returns the lines. */
export type FinishLines = (owners: OwnerMap) => string[];

const LITERAL = 0;
const INET = 1;
const UNIX = 2;

/**
 * The socket tables in two steps: every column but PID/Program now, that one when the owners are known.
 * `--once -p` formats the rest while the owner scan is still running on the other core.
 */
function prepareSocketsTable(
  snapshot: Snapshot,
  o: Options,
  names: NameResolver,
  userOf: UserOf,
): FinishLines {
  const { inet, unix } = socketSelection(o);
  const heads: string[] = [];
  const tails: string[] = [];
  const inodes: number[] = [];
  const kinds: number[] = [];
  const literal = (text: string) => {
    heads.push(text);
    tails.push('');
    inodes.push(0);
    kinds.push(LITERAL);
  };
  if (inet.size > 0) {
    literal(`Active Internet connections ${titleSuffix(o)}`);
    literal(inetHeader(o));
    for (const proto of INET_PROTOS) {
      if (!inet.has(proto)) continue;
      for (const s of snapshot.sockets) {
        if (s.kind === 'inet' && s.proto === proto && wantedByState(s, o)) {
          heads.push(inetHead(s, o, names, userOf));
          tails.push(o.timers ? ` ${timerColumn(s)}` : '');
          inodes.push(s.inode);
          kinds.push(INET);
        }
      }
    }
  }
  if (unix) {
    literal(`Active UNIX domain sockets ${titleSuffix(o)}`);
    literal(unixHeader(o));
    for (const s of snapshot.sockets) {
      if (s.kind === 'unix' && wantedByState(s, o)) {
        heads.push(unixHead(s));
        tails.push(escapeControl(s.path));
        inodes.push(s.inode);
        kinds.push(UNIX);
      }
    }
  }
  return (owners) => {
    const out = new Array<string>(heads.length);
    // A server's thousands of sockets belong to a handful of processes: make each one's column once.
    const columns = new Map<ProcessInfo | undefined, string>();
    for (let i = 0; i < heads.length; i++) {
      const kind = kinds[i];
      if (kind === LITERAL || !o.programs) {
        out[i] = heads[i]! + tails[i]!;
        continue;
      }
      const inode = inodes[i]!;
      const holder = inode === 0 ? undefined : owners.get(inode)?.[0];
      let program = columns.get(holder);
      if (program === undefined) {
        program = programColumn(holder).padEnd(20);
        columns.set(holder, program);
      }
      out[i] = kind === INET ? `${heads[i]} ${program}${tails[i]}` : `${heads[i]}${program} ${tails[i]}`;
    }
    return out;
  };
}

function routeTable(snapshot: Snapshot, o: Options, names: NameResolver): string[] {
  const out: string[] = [];
  const v4 = o.inet4 || !o.inet6;
  const v6 = o.inet6;
  if (v4) {
    out.push(
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface',
    );
    for (const r of snapshot.routes) {
      if (r.family !== 4) continue;
      const dest = o.numeric
        ? r.destination
        : r.destination === '0.0.0.0'
          ? 'default'
          : (names.host(r.destination) ?? r.destination);
      const gw = o.numeric || r.gateway === '0.0.0.0' ? r.gateway : (names.host(r.gateway) ?? r.gateway);
      out.push(
        `${dest.padEnd(15)} ${gw.padEnd(15)} ${r.genmask.padEnd(15)} ${routeFlagsText(r.flags, 4).padEnd(5)} ${String(r.mtu).padStart(5)} ${String(r.window).padEnd(6)} ${String(r.irtt).padStart(5)} ${escapeControl(r.iface)}`,
      );
    }
  }
  if (v6) {
    out.push(
      'Kernel IPv6 routing table',
      'Destination                    Next Hop                   Flag Met Ref  Use If',
    );
    for (const r of snapshot.routes) {
      if (r.family !== 6) continue;
      // netstat prints the metric as a signed int: 0xffffffff (the "no route" sentinel) is -1.
      out.push(
        `${`${r.destination}/${r.prefixLength}`.padEnd(30)} ${r.gateway.padEnd(26)} ${routeFlagsText(r.flags, 6).padEnd(4)} ${String(r.metric | 0).padEnd(3)} ${String(r.refcnt).padEnd(4)} ${String(r.use).padStart(3)} ${escapeControl(r.iface)}`,
      );
    }
  }
  return out;
}

/** Natural order of interface names (eth2 before eth10), as netstat -i lists them. */
function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function interfaceTable(snapshot: Snapshot, o: Options): string[] {
  const out = [
    'Kernel Interface table',
    'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg',
  ];
  const ifaces = [...snapshot.interfaces].sort((a, b) => compareNames(a.name, b.name));
  for (const i of ifaces) {
    const up = ((i.flags ?? 0) & 1) === 1;
    if (!o.all && !up) continue; // netstat -i lists interfaces that are up, -a all of them
    const n = (v: bigint, w: number) => v.toString().padStart(w);
    out.push(
      `${escapeControl(i.name).slice(0, 15).padEnd(15)} ${String(i.mtu ?? 0).padStart(5)} ${n(i.rxPackets, 8)} ${n(i.rxErrs, 6)} ${n(i.rxDrop, 6)} ${i.rxFifo.toString().padEnd(6)} ${n(i.txPackets, 8)} ${n(i.txErrs, 6)} ${n(i.txDrop, 6)} ${n(i.txFifo, 6)} ${netstatIfaceFlags(i.flags ?? 0, i.operstate)}`,
    );
  }
  return out;
}

/** Counter groups -s shows for the protocol flags (all when none is given). */
function statisticsGroups(o: Options): ((group: string) => boolean) | undefined {
  const wanted: string[] = [];
  if (o.tcp) wanted.push('Tcp', 'TcpExt', 'MPTcpExt');
  if (o.udp) wanted.push('Udp', 'Udp6');
  if (o.udplite) wanted.push('UdpLite', 'UdpLite6');
  if (o.raw) wanted.push('Ip', 'Icmp', 'IcmpMsg', 'Ip6', 'Icmp6', 'IpExt');
  if (wanted.length === 0) return undefined;
  return (g) => wanted.includes(g);
}

function statisticsTable(snapshot: Snapshot, o: Options): string[] {
  const out: string[] = [];
  const keep = statisticsGroups(o);
  for (const [group, values] of snapshot.counters) {
    if (keep && !keep(group)) continue;
    if (o.inet4 && !o.inet6 && group.endsWith('6')) continue;
    if (o.inet6 && !o.inet4 && !group.endsWith('6')) continue;
    out.push(`${group}:`);
    for (const [name, value] of values) {
      const text = counterDescription(group, name);
      // netstat's sentences for the counters it knows, "Name: value" for the rest (and for levels).
      out.push(text && !isGauge(group, name) ? `    ${value} ${text}` : `    ${name}: ${value}`);
    }
  }
  return out;
}

function groupsTable(snapshot: Snapshot, o: Options, names: NameResolver): string[] {
  const out = [
    'IPv6/IPv4 Group Memberships',
    'Interface       RefCnt Group',
    '--------------- ------ ---------------------',
  ];
  for (const family of [4, 6] as const) {
    if (family === 4 && o.inet6 && !o.inet4) continue;
    if (family === 6 && o.inet4 && !o.inet6) continue;
    for (const g of snapshot.multicast) {
      if (g.family !== family) continue;
      const group = o.numeric ? g.group : (names.host(g.group) ?? g.group);
      out.push(`${escapeControl(g.iface).padEnd(15)} ${String(g.users).padEnd(6)} ${group}`);
    }
  }
  return out;
}

/**
 * The --once text output (without trailing newline) in two steps: `prepareOnce` formats all it can from a
 * snapshot whose owners may not be known yet, the function it returns finishes with the owners.
 */
export function prepareOnce(
  snapshot: Snapshot,
  o: Options,
  names: NameResolver,
  userOf: UserOf,
): FinishLines {
  // Tables without a PID/Program column are complete at once.
  const done =
    (lines: string[]): FinishLines =>
    () =>
      lines;
  switch (modeOf(o)) {
    case 'route':
      return done(routeTable(snapshot, o, names));
    case 'interfaces':
      return done(interfaceTable(snapshot, o));
    case 'statistics':
      return done(statisticsTable(snapshot, o));
    case 'groups':
      return done(groupsTable(snapshot, o, names));
    default:
      return prepareSocketsTable(snapshot, o, names, userOf);
  }
}

/** The whole --once text output (without trailing newline). */
export function renderOnce(snapshot: Snapshot, o: Options, names: NameResolver, userOf: UserOf): string[] {
  return prepareOnce(snapshot, o, names, userOf)(snapshot.owners);
}

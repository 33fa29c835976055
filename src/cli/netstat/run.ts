// One listing of `netwatch --once FLAGS` as net-tools 2.10 netstat prints it: main()'s order of tables,
// its messages for what the system lacks, and its exit status (netstat.c). Pure: the snapshot, a few
// raw /proc files and the owners come in, stdout and stderr text comes out, in the order netstat writes it.
import type { OwnerMap, OwnerScanStats, Snapshot } from '../../model/types.js';
import { parseSctpAssocs, parseSctpEndpoints } from '../../proc/sctp.js';
import type { NameResolver } from '../../sample/names.js';
import { escapeControl } from '../../view/escape.js';
import type { Options } from '../options.js';
import { inetTables, type NetstatFlags, wantsInet, wantsUnix } from './flags.js';
import { hostText } from './hosts.js';
import type { Ipv4Address, LinkInfo } from './interfaces.js';
import {
  finishRows,
  inetHead,
  inetHeader,
  inetTimer,
  type Owners,
  RowBatch,
  type SocketFormat,
  sctpAssocRows,
  sctpEndpointRows,
  shownByState,
  unixHeader,
  unixRow,
  userInode,
} from './sockets.js';

export interface Chunk {
  readonly fd: 1 | 2;
  readonly text: string;
}

export interface NetstatResult {
  /** stdout and stderr pieces in the order netstat writes them; each ends with a newline. */
  readonly chunks: readonly Chunk[];
  readonly code: number;
}

/** What a listing needs of the host besides the snapshot (src/cli/once.ts gives the real one). */
export interface NetstatHost {
  /** A /proc (or other) file's text, undefined when it does not exist. */
  readText(rel: string): string | undefined;
  exists(rel: string): boolean;
  readonly names: NameResolver;
  userOf(uid: number): string | undefined;
  /** IPv4 addresses by label, for -i (alias labels) and -i -e. */
  ipv4Addresses(): Promise<readonly Ipv4Address[]>;
  /** /sys/class/net/IFACE/{type,address,tx_queue_len}, for -i -e. */
  linkInfo(iface: string): LinkInfo;
  readonly euid: number;
}

/** What the owner scan found, for the PID/Program column and net-tools' warning. */
export interface OwnerResult extends Owners {
  readonly owners: OwnerMap;
  readonly stats: OwnerScanStats;
}

/** Completes a listing once the owners are known (they are needed only with -p). */
export type FinishListing = (owners: OwnerResult) => NetstatResult;

type Part =
  | { readonly fd: 2; readonly text: string }
  | { readonly rows: RowBatch }
  | { readonly warning: true };

const esysnot = (name: string) => `netstat: no support for \`${name}' on this system.\n`;
const enosupp = (name: string) =>
  `netstat: feature \`${name}' not supported.\nPlease recompile \`net-tools' with newer kernel source or full configuration.\n`;

/** prg_cache_load's message when some process's fd directory could not be opened. */
export function ownersWarning(owners: OwnerResult, euid: number): string {
  const denied = owners.stats.deniedFdDirs ?? owners.stats.unreadable;
  if (denied === 0) return '';
  if (owners.owners.size === 0) {
    return `(No info could be read for "-p": geteuid()=${euid} but you should be root.)\n`;
  }
  return '(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n';
}

function literal(lines: readonly string[]): RowBatch {
  const batch = new RowBatch();
  for (const line of lines) batch.literal(line);
  return batch;
}

function text(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** The socket listing (and -g): every table netstat's main loop prints, in its order. */
function prepareSockets(
  f: NetstatFlags,
  snapshot: Snapshot,
  host: NetstatHost,
): { parts: Part[]; code: number } {
  const parts: Part[] = [];
  const fmt: SocketFormat = { flags: f, names: host.names, userOf: (uid) => host.userOf(uid) };
  const t = inetTables(f);
  let warned = false;
  const warnSlot = () => {
    if (f.programs && !warned) parts.push({ warning: true });
    warned = true;
  };
  const err = (message: string) => parts.push({ fd: 2, text: message });
  /** INFO_GUTS1's handling of a missing IPv4 file: a message when asked for, and exit status 1. */
  const missing = (name: string): number => {
    if (!f.noprot && (f.arg || f.verbose)) err(esysnot(name));
    return !f.noprot && f.arg ? 1 : 0;
  };
  const rows = (list: RowBatch) => parts.push({ rows: list });

  const timers = f.timers;
  const inetRows = (protos: readonly string[]) => {
    const out = new RowBatch();
    for (const proto of protos) {
      for (const s of snapshot.sockets) {
        if (s.kind !== 'inet' || s.proto !== proto || !shownByState(s, f)) continue;
        out.row(inetHead(s, fmt), timers ? ` ${inetTimer(s)}` : '', s.inode);
      }
    }
    return out;
  };
  /** One protocol of INFO_GUTS6: the IPv4 file (a missing one may end the listing), then the IPv6 file. */
  const guts6 = (v4: string, v6: string, name: string): number => {
    let rc = 0;
    const protos: string[] = [];
    if (t.v4) {
      if (!host.exists(`proc/net/${v4}`)) rc = missing(name);
      else protos.push(v4);
    }
    if (t.v6) protos.push(v6);
    rows(inetRows(protos));
    return rc;
  };

  if (wantsInet(f)) {
    warnSlot();
    rows(literal(inetHeader(f)));
  }
  const steps: (() => number)[] = [];
  if (t.tcp) steps.push(() => guts6('tcp', 'tcp6', 'AF INET (tcp)'));
  if (t.sctp) steps.push(() => sctp(f, t, host, fmt, parts, missing));
  if (t.udp) steps.push(() => guts6('udp', 'udp6', 'AF INET (udp)'));
  if (t.udplite) steps.push(() => guts6('udplite', 'udplite6', 'AF INET (udplite)'));
  if (t.raw) steps.push(() => guts6('raw', 'raw6', 'AF INET (raw)'));
  if (f.igmp) {
    steps.push(() => {
      rows(
        literal([
          'IPv6/IPv4 Group Memberships',
          'Interface       RefCnt Group',
          '--------------- ------ ---------------------',
        ]),
      );
      let rc = 0;
      const lines: string[] = [];
      if (f.inet) {
        if (!host.exists('proc/net/igmp')) rc = missing('AF INET (igmp)');
        for (const g of snapshot.multicast) if (g.family === 4) lines.push(groupLine(g, f, host.names));
      }
      if (f.inet6)
        for (const g of snapshot.multicast) if (g.family === 6) lines.push(groupLine(g, f, host.names));
      rows(literal(lines));
      return rc;
    });
  }
  if (wantsUnix(f)) {
    steps.push(() => {
      warnSlot();
      rows(literal(unixHeader(f)));
      if (!host.exists('proc/net/unix')) return missing('AF UNIX');
      const out = new RowBatch();
      for (const s of snapshot.sockets) {
        if (s.kind !== 'unix' || !shownByState(s, f)) continue;
        const { head, tail } = unixRow(s);
        out.row(head, tail, s.inode);
      }
      rows(out);
      return 0;
    });
  }
  // The families this kernel (or any recent one) lacks: a message when asked for, exit status 1.
  const absent: [boolean, string[], string][] = [
    [f.ipx, ['proc/net/ipx/socket', 'proc/net/ipx'], 'AF IPX'],
    [f.ax25, ['proc/net/ax25'], 'AF AX25'],
    [f.x25, ['proc/net/x25'], 'AF X25'],
    [f.netrom, ['proc/net/nr'], 'AF NETROM'],
    [f.rose, ['proc/net/rose'], 'AF ROSE'],
  ];
  for (const [wanted, files, name] of absent) {
    if (!f.arg || wanted) {
      steps.push(() => {
        if (files.some((file) => host.exists(file))) {
          if (wanted) err(`netwatch: ${name} sockets are not shown: netwatch does not read ${files[0]}\n`);
          return 0;
        }
        if (f.arg || f.verbose) err(esysnot(name));
        return f.arg ? 1 : 0;
      });
    }
  }
  let code = 0;
  for (const step of steps) {
    code = step();
    if (code) return { parts, code };
  }
  if (f.arg && (f.l2cap || f.rfcomm)) {
    err(enosupp('AF BLUETOOTH'));
    code = 1;
  }
  return { parts, code };
}

/** sctp_info: endpoints with -l or -a, associations without -l. */
function sctp(
  f: NetstatFlags,
  t: ReturnType<typeof inetTables>,
  host: NetstatHost,
  fmt: SocketFormat,
  parts: Part[],
  missing: (name: string) => number,
): number {
  const table = (file: string, render: (text: string) => RowBatch): number => {
    let rc = 0;
    if (t.v4) {
      const text = host.readText(`proc/net/sctp/${file}`);
      if (text === undefined) rc = missing('AF INET (sctp)');
      else parts.push({ rows: render(text) });
    }
    if (t.v6) {
      const text = host.readText(`proc/net/sctp6/${file}`);
      if (text !== undefined) parts.push({ rows: render(text) });
    }
    return rc;
  };
  const add = (batch: RowBatch, head: string, uid: number, inode: number) =>
    batch.row(f.exp > 1 ? `${head}${userInode(uid, inode, fmt)}` : head, f.timers ? ' ' : '', inode);
  let rc = 0;
  if (f.all || f.listening) {
    rc = table('eps', (text) => {
      const parsed = parseSctpEndpoints(text);
      const out = new RowBatch();
      for (const e of parsed.rows) add(out, sctpEndpointRows(e, fmt), e.uid, e.inode);
      for (let i = 0; i < parsed.skipped; i++)
        parts.push({ fd: 2, text: 'warning, got bogus sctp eps line.\n' });
      return out;
    });
    if (rc) return rc;
  }
  if (f.all || !f.listening) {
    rc = table('assocs', (text) => {
      const parsed = parseSctpAssocs(text);
      const out = new RowBatch();
      for (const a of parsed.rows) add(out, sctpAssocRows(a, fmt), a.uid, a.inode);
      for (let i = 0; i < parsed.skipped; i++)
        parts.push({ fd: 2, text: 'warning, got bogus sctp assoc line.\n' });
      return out;
    });
  }
  return rc;
}

function groupLine(g: Snapshot['multicast'][number], f: NetstatFlags, names: NameResolver): string {
  const group = escapeControl(hostText(g.group, f.numHost, names));
  return `${escapeControl(g.iface).padEnd(15)} ${String(g.users).padEnd(6)} ${group}`;
}

/** route_info: each family of -A in turn (inet when none), FIB and/or cache. */
async function routes(
  f: NetstatFlags,
  o: Options,
  snapshot: Snapshot,
  host: NetstatHost,
): Promise<{ parts: Part[]; code: number }> {
  // Loaded only for -r (as -i's and -s's renderers are): a socket listing does not parse them.
  const { ipv4CacheTable, ipv4RouteTable, ipv6RouteTable, routeLayout } = await import('./routes.js');
  const parts: Part[] = [];
  const out = (lines: readonly string[]) => parts.push({ rows: literal(lines) });
  const err = (message: string) => parts.push({ fd: 2, text: message });
  const layout = routeLayout(o.extendCount);
  const numeric = f.numHost || f.symbolic;
  const fib = f.fib || !f.cache;
  const families = f.afname.split(',');
  let code = 8; // E_NOTFOUND when no family is named (an empty -A list)
  for (const af of families) {
    if (af === '') continue;
    switch (af) {
      case 'inet':
        if (fib) {
          if (!host.exists('proc/net/route')) {
            err('/proc/net/route: No such file or directory\n');
            out(['INET (IPv4) not configured in this system.']);
            return { parts, code: 1 };
          }
          out(ipv4RouteTable(snapshot.routes, layout, numeric, host.names));
        }
        if (f.cache) {
          if (!host.exists('proc/net/rt_cache')) {
            err('/proc/net/rt_cache: No such file or directory\n');
            out(['INET (IPv4) not configured in this system.']);
            return { parts, code: 1 };
          }
          out(ipv4CacheTable(layout));
        }
        break;
      case 'inet6':
        if (!host.exists('proc/net/ipv6_route')) {
          err('/proc/net/ipv6_route: No such file or directory\n');
          out(['INET6 (IPv6) not configured in this system.']);
          return { parts, code: 1 };
        }
        if (fib) out(ipv6RouteTable(snapshot.routes, false, numeric, host.names));
        // No /proc/net/ndisc on any kernel since 2.2: the IPv6 "cache" is the cached routes.
        if (f.cache) out(ipv6RouteTable(snapshot.routes, true, numeric, host.names));
        break;
      case 'ax25':
        err('/proc/net/ax25_route: No such file or directory\n');
        out(['AX.25 not configured in this system.']);
        return { parts, code: 1 };
      case 'ddp':
        err(
          'Error opening /proc/net/atalk_route: No such file or directory\nDDP (AppleTalk) not configured on this system.\n',
        );
        return { parts, code: 1 };
      case 'x25':
        out(['X.25 not configured in this system.']);
        return { parts, code: 1 };
      case 'netrom':
        err('/proc/net/nr_nodes: No such file or directory\n/proc/net/nr_neigh: No such file or directory\n');
        out(['NET/ROM not configured in this system.']);
        return { parts, code: 1 };
      case 'ipx':
        err('No such file or directory\n');
        out(['IPX routing not in file /proc/net/ipx/route or /proc/net/ipx_route found.']);
        return { parts, code: 1 };
      case 'rose':
        err('/proc/net/rose_nodes: No such file or directory\nROSE not configured in this system.\n');
        return { parts, code: 1 };
      case 'bluetooth':
        err("Address family `bluetooth' not supported.\n");
        return { parts, code: 3 };
      default:
        // unix, ec, ash: known families without routing tables.
        err(`No routing for address family \`${af}'.\n`);
        return { parts, code: 3 };
    }
    code = 0;
  }
  return { parts, code };
}

async function interfaces(
  f: NetstatFlags,
  snapshot: Snapshot,
  host: NetstatHost,
  iteration: number,
): Promise<string[]> {
  const { INTERFACE_TITLE, interfaceList, longBlock, SHORT_HEADER, shortLine, shownInterfaces } =
    await import('./interfaces.js');
  const { parseIfInet6 } = await import('../../proc/ifinet6.js');
  const out: string[] = [];
  if (iteration === 0) out.push(INTERFACE_TITLE);
  const ipv4 = await host.ipv4Addresses();
  const shown = shownInterfaces(interfaceList(snapshot.interfaces, ipv4), f.all);
  if (f.exp < 2) {
    out.push(SHORT_HEADER);
    for (const entry of shown) out.push(shortLine(entry));
    return out;
  }
  const ipv6 = parseIfInet6(host.readText('proc/net/if_inet6') ?? '').rows;
  for (const entry of shown) {
    const address = ipv4.find((a) => a.label === entry.name);
    const base = entry.base?.name ?? entry.name;
    out.push(...longBlock(entry, address, ipv6, host.linkInfo(base)));
  }
  return out;
}

async function statistics(
  f: NetstatFlags,
  o: Options,
  snapshot: Snapshot,
  host: NetstatHost,
): Promise<NetstatResult> {
  const { allCounters, ipv4Statistics, ipv6Statistics } = await import('./statistics.js');
  if (o.allCounters) return { chunks: [{ fd: 1, text: text(allCounters(snapshot.counters, o)) }], code: 0 };
  const files = {
    snmp: host.readText('proc/net/snmp'),
    netstat: host.readText('proc/net/netstat'),
    snmp6: host.readText('proc/net/snmp6'),
    sctpSnmp: host.readText('proc/net/sctp/snmp'),
  };
  let result: { stdout: string[]; stderr: string[] };
  if (f.afname === 'inet') result = ipv4Statistics(files, f);
  else if (f.afname === 'inet6') result = ipv6Statistics(files, f);
  else {
    return {
      chunks: [{ fd: 1, text: `netstat: No statistics support for specified address family: ${f.afname}\n` }],
      code: 1,
    };
  }
  const chunks: Chunk[] = [];
  if (result.stdout.length) chunks.push({ fd: 1, text: text(result.stdout) });
  if (result.stderr.length) chunks.push({ fd: 2, text: text(result.stderr) });
  return { chunks, code: 0 };
}

/**
 * Prepares one listing. Everything that does not depend on the owners is formatted now; the returned
 * function adds the PID/Program column (and net-tools' warning) once the owner scan is done.
 * `iteration` counts the listings of -c (netstat prints "Kernel Interface table" only before the first).
 */
export async function prepareNetstat(
  o: Options,
  f: NetstatFlags,
  snapshot: Snapshot,
  host: NetstatHost,
  iteration = 0,
): Promise<FinishListing> {
  let prepared: { parts: Part[]; code: number };
  switch (f.mode) {
    case 'masquerade': {
      const message = host.exists('proc/net/ip_masquerade')
        ? 'netwatch: masqueraded connections are not shown: netwatch does not read /proc/net/ip_masquerade\n'
        : esysnot('ip_masquerade');
      return () => ({ chunks: [{ fd: 2, text: message }], code: 1 });
    }
    case 'statistics': {
      const result = await statistics(f, o, snapshot, host);
      return () => result;
    }
    case 'interfaces': {
      const lines = await interfaces(f, snapshot, host, iteration);
      return () => ({ chunks: [{ fd: 1, text: text(lines) }], code: 0 });
    }
    case 'route':
      prepared = await routes(f, o, snapshot, host);
      break;
    default:
      prepared = prepareSockets(f, snapshot, host);
  }
  const { parts, code } = prepared;
  return (who) => {
    const chunks: Chunk[] = [];
    for (const part of parts) {
      if ('warning' in part) {
        const warning = ownersWarning(who, host.euid);
        if (warning) chunks.push({ fd: 2, text: warning });
      } else if ('rows' in part) {
        if (part.rows.length) chunks.push({ fd: 1, text: finishRows(part.rows, f, who) });
      } else chunks.push(part);
    }
    return { chunks, code };
  };
}

// `netwatch --once`: what net-tools netstat prints for the same flags, in its layout, with its messages and
// exit status (src/cli/netstat/), so that the recipes people know (`netstat -anlp | grep 3937`,
// `netstat -natu | grep ESTABLISHED`, `netstat -s | grep retrans`) work unchanged; with -c, again every
// second. Text from the kernel and from processes is escaped before it is printed.
// This module must not import Ink or React: --once has to start fast.
import { existsSync } from 'node:fs';
import type { InetProto, OwnerScanStats, Snapshot } from '../model/types.js';
import type { Ipv4Address } from '../sample/ifaddrs.js';
import type { NameResolver } from '../sample/names.js';
import { type HostReader, isGone } from '../sample/reader.js';
import { type Collector, INET_PROTOS, type Selection } from '../sample/sampler.js';
import { inetTables, type NetstatFlags, netstatFlags, wantsUnix } from './netstat/flags.js';
import type { LinkInfo } from './netstat/interfaces.js';
import { type Chunk, type NetstatHost, type OwnerResult, prepareNetstat } from './netstat/run.js';
import type { Options } from './options.js';

/** The inet protocols and whether unix sockets are wanted, after netstat's defaults (-t -u -U -w -x, -4 -6); for --json. */
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

/** What --json reads: everything, owners included. */
export function jsonSelection(o: Options): Selection {
  const sockets = socketSelection(o);
  return {
    inet: sockets.inet,
    unix: sockets.unix,
    owners: true,
    routes: true,
    interfaces: true,
    counters: true,
    multicast: true,
    conntrack: true,
  };
}

/** What one netstat listing reads (the owners are scanned on their own, see runListings). */
export function netstatSelection(o: Options, f: NetstatFlags): Selection {
  const inet = new Set<InetProto>();
  let unix = false;
  if (f.mode === 'sockets') {
    const t = inetTables(f);
    for (const proto of INET_PROTOS) {
      const base = proto.replace(/6$/, '') as 'tcp' | 'udp' | 'udplite' | 'raw';
      if (t[base] && (proto.endsWith('6') ? t.v6 : t.v4)) inet.add(proto);
    }
    unix = wantsUnix(f);
  }
  return {
    inet,
    unix,
    owners: false,
    routes: f.mode === 'route',
    interfaces: f.mode === 'interfaces',
    counters: f.mode === 'statistics' && o.allCounters,
    multicast: f.mode === 'sockets' && f.igmp,
    conntrack: false,
  };
}

/** Whether a listing needs the owner scan: -p (or -Z) with a socket table to put them in. */
export function needsOwners(f: NetstatFlags): boolean {
  return f.programs && f.mode === 'sockets';
}

/** /sys/class/net/IFACE/{type,address,tx_queue_len} for -i -e. */
function linkInfo(reader: HostReader, iface: string): LinkInfo {
  if (iface === '' || iface.includes('/') || iface === '.' || iface === '..') return {};
  const attr = (name: string) => {
    try {
      return reader.readText(`sys/class/net/${iface}/${name}`)?.trim();
    } catch {
      return undefined;
    }
  };
  const type = attr('type');
  const txq = attr('tx_queue_len');
  return {
    type: type !== undefined && /^\d+$/.test(type) ? Number(type) : undefined,
    address: attr('address') ?? '',
    txQueueLen: txq !== undefined && /^\d+$/.test(txq) ? Number(txq) : undefined,
  };
}

/** netstat's -Z: SELinux is enabled when selinuxfs is mounted (libselinux looks for its enforce file). */
export function selinuxEnabled(reader: HostReader): boolean {
  return existsSync(reader.path('sys/fs/selinux/enforce'));
}

/** A process's SELinux context (getpidcon: /proc/PID/attr/current, without its trailing NUL). */
function contextOf(reader: HostReader, pid: number): string | undefined {
  try {
    return reader.readText(`proc/${pid}/attr/current`)?.replace(/[\0\n]+$/, '');
  } catch {
    return undefined;
  }
}

/**
 * What the netstat listings read besides the snapshot. A file that exists but cannot be read (refused as
 * unsafe under --root, EACCES, EIO) reads as missing, as netstat sees it, and its reason is kept in
 * `failures` for one `netwatch:` line.
 */
export function netstatHost(
  reader: HostReader,
  names: NameResolver,
  userOf: (uid: number) => string | undefined,
): NetstatHost & { readonly failures: Map<string, string> } {
  let addresses: Ipv4Address[] | undefined;
  const failures = new Map<string, string>();
  return {
    failures,
    readText: (rel) => {
      try {
        return reader.readText(rel);
      } catch (err) {
        if (!isGone(err)) failures.set(rel, `cannot read /${rel}: ${(err as Error).message}`);
        return undefined;
      }
    },
    exists: (rel) => existsSync(reader.path(rel)),
    names,
    userOf,
    ipv4Addresses: async () => {
      // Only -i needs them, and the module brings node:os: a socket listing does not load it.
      addresses ??= (await import('../sample/ifaddrs.js')).ipv4Addresses(reader);
      return addresses;
    },
    linkInfo: (iface) => linkInfo(reader, iface),
    euid: process.geteuid?.() ?? 0,
  };
}

/**
 * Why a name file (etc/passwd, services, hosts, networks ...) could not be read. They are read while
 * formatting, after the snapshot's warnings went out, so these come last; one already among `warnings` is
 * not said twice.
 */
export function nameFailures(
  collector: Collector,
  names: NameResolver,
  warnings: readonly string[],
): string[] {
  const out: string[] = [];
  for (const w of [collector.users.failure, ...names.failures.values()]) {
    if (w && !warnings.includes(w)) out.push(w);
  }
  return out;
}

export interface ListingIo {
  write(chunk: Chunk): void;
  /** The owner scan, started before the tables are read (on another thread where it can be). */
  scanOwners(): Promise<OwnerResult | undefined>;
  /** Wait between two listings of -c. */
  sleep(ms: number): Promise<void>;
}

const NO_OWNER_STATS: OwnerScanStats = { processes: 0, unreadable: 0, vanished: 0, rescanned: 0 };

/**
 * Print netstat's listing for `o` (again every second with -c, until a listing fails) and return the exit
 * status netstat would. The owner scan runs beside reading and formatting the tables: they need each other
 * only for the PID/Program column.
 */
export async function runListings(
  o: Options,
  reader: HostReader,
  collector: Collector,
  names: NameResolver,
  io: ListingIo,
): Promise<number> {
  for (const text of o.optionMessages) io.write({ fd: 2, text });
  if (o.context && !selinuxEnabled(reader)) {
    io.write({ fd: 2, text: 'SELinux is not enabled on this machine.\n' });
    return 1;
  }
  const f = netstatFlags(o);
  const selection = netstatSelection(o, f);
  const host = netstatHost(reader, names, (uid) => collector.users.name(uid));
  const said = new Set<string>(); // name-file failures, said once however long -c runs
  for (let iteration = 0; ; iteration++) {
    const pending = needsOwners(f) ? io.scanOwners() : undefined;
    const snapshot: Snapshot = collector.collect(selection);
    const finish = await prepareNetstat(o, f, snapshot, host, iteration);
    let owners: OwnerResult = { owners: new Map(), stats: NO_OWNER_STATS };
    if (pending) {
      owners =
        (await pending) ??
        (() => {
          // No scan elsewhere: scan here, for the sockets just read.
          const again = collector.collect({ ...selection, owners: true });
          return { owners: again.owners, stats: again.ownerStats };
        })();
    }
    if (f.context) owners = { ...owners, contextOf: (pid: number) => contextOf(reader, pid) };
    for (const w of snapshot.warnings) io.write({ fd: 2, text: `netwatch: ${w}\n` });
    for (const [file, n] of snapshot.skippedLines) {
      io.write({ fd: 2, text: `netwatch: ${file}: skipped ${n} malformed line${n === 1 ? '' : 's'}\n` });
    }
    const { chunks, code } = finish(owners);
    for (const chunk of chunks) io.write(chunk);
    const unread = owners.stats.firstUnreadable;
    const late = [
      ...host.failures.values(),
      ...nameFailures(collector, names, snapshot.warnings),
      // A process refused for a reason other than permission (a FIFO or a link out of a --root tree): net-tools'
      // notice is for permission only, so this gets a line of its own.
      ...(unread && !/^(permission denied|operation not permitted)$/.test(unread.reason)
        ? [`process ${unread.pid} could not be read: ${unread.reason}`]
        : []),
    ];
    for (const w of late) {
      if (!said.has(w) && !snapshot.warnings.includes(w)) io.write({ fd: 2, text: `netwatch: ${w}\n` });
      said.add(w);
    }
    if (!f.continuous || code !== 0 || f.mode === 'statistics' || f.mode === 'masquerade') return code;
    await io.sleep(1000);
  }
}

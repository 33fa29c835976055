// The sampler: reads the host through one HostReader, runs the parsers, and publishes immutable
// snapshots (plus the diff against the previous one) on a fixed monotonic schedule.
// It knows nothing of React; a hook subscribes to it (useSyncExternalStore), tests call tick().
import { capName } from '../model/bounds.js';
import { diffSnapshots } from '../model/diff.js';
import type { SamplerState } from '../model/livestore.js';
import type { TcpInfoTable } from '../model/tcpinfo.js';
import type {
  ConntrackSummary,
  CounterGroups,
  InetProto,
  Interface,
  MulticastGroup,
  OwnerMap,
  OwnerScanStats,
  Parsed,
  Route,
  Snapshot,
  Socket,
  SockstatProto,
} from '../model/types.js';
import { parseConntrack } from '../proc/conntrack.js';
import { parseDev } from '../proc/dev.js';
import { parseIgmp, parseIgmp6 } from '../proc/igmp.js';
import { InetLineCache, parseInet } from '../proc/inet.js';
import { parseIpv6Route } from '../proc/ipv6route.js';
import { parseRoute } from '../proc/route.js';
import { parseKeyValuePairs } from '../proc/snmp.js';
import { parseSnmp6 } from '../proc/snmp6.js';
import { parseSockstat } from '../proc/sockstat.js';
import { readSysNet } from '../proc/sysnet.js';
import { parseUnix, UnixLineCache } from '../proc/unix.js';
import { type FdSockets, type TcpDump, unixDumpFor } from './native.js';
import { OwnerScanner } from './owners.js';
import { HostReader, isForbidden, READ_LIMITS } from './reader.js';
import { DumpRing, decodeTcpDump, RecordCache } from './sockdiag.js';
import { UnixDiagCheck } from './unixdiag.js';
import { UserNames } from './users.js';

export type { SamplerState };

export const INET_PROTOS: readonly InetProto[] = [
  'tcp',
  'tcp6',
  'udp',
  'udp6',
  'udplite',
  'udplite6',
  'raw',
  'raw6',
];

/** What to read. `--once -t` needs only tcp/tcp6; the live UI reads everything. */
export interface Selection {
  readonly inet: ReadonlySet<InetProto>;
  readonly unix: boolean;
  readonly owners: boolean;
  readonly routes: boolean;
  readonly interfaces: boolean;
  readonly counters: boolean;
  readonly multicast: boolean;
  readonly conntrack: boolean;
}

export const SELECT_ALL: Selection = {
  inet: new Set(INET_PROTOS),
  unix: true,
  owners: true,
  routes: true,
  interfaces: true,
  counters: true,
  multicast: true,
  conntrack: true,
};

export const SELECT_NOTHING: Selection = {
  inet: new Set(),
  unix: false,
  owners: false,
  routes: false,
  interfaces: false,
  counters: false,
  multicast: false,
  conntrack: false,
};

export interface Clock {
  /** Monotonic milliseconds. */
  mono(): number;
  /** Wall-clock milliseconds since the epoch. */
  wall(): number;
}

export const systemClock: Clock = {
  mono: () => performance.now(),
  wall: () => Date.now(),
};

/** The read cap of a file the collector reads (src/sample/reader.ts READ_LIMITS). */
function limitOf(rel: string): number {
  if (rel.startsWith('proc/sys/')) return READ_LIMITS.value;
  if (TABLES.has(rel)) return READ_LIMITS.table;
  if (COUNTERS.has(rel)) return READ_LIMITS.counters;
  return READ_LIMITS.file;
}

const TABLES = new Set([
  ...INET_PROTOS.map((proto) => `proc/net/${proto}`),
  'proc/net/unix',
  'proc/net/route',
  'proc/net/ipv6_route',
  'proc/net/nf_conntrack',
]);
const COUNTERS = new Set([
  'proc/net/snmp',
  'proc/net/netstat',
  'proc/net/snmp6',
  'proc/net/sockstat',
  'proc/net/sockstat6',
]);

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

const EMPTY_OWNER_STATS: OwnerScanStats = { processes: 0, unreadable: 0, vanished: 0, rescanned: 0 };

/**
 * Reads and parses one snapshot. Never throws for what the host does (missing files, unreadable files,
 * malformed lines): those become warnings and skipped-line counts on the snapshot.
 */
export class Collector {
  readonly reader: HostReader;
  readonly users: UserNames;
  private readonly owners: OwnerScanner;
  private readonly clock: Clock;
  private readonly lineCaches = new Map<InetProto, InetLineCache>();
  private readonly recordCache = new RecordCache();
  private readonly unixCache = new UnixLineCache();
  private tcpDump: TcpDump | undefined;
  /** Buffers the dumps are written into, reused (only when reuseRows: a one-shot collect dumps once). */
  private readonly dumpRing = new DumpRing();
  /** The inodes of the last collect's sockets, in order, and their Set (see socketInodes). */
  private lastInodes: { list: Float64Array; count: number } = { list: new Float64Array(0), count: 0 };
  private lastInodeSet: ReadonlySet<number> | undefined;
  private tcpDumpWorked = false;
  /** Monotonic time of the last sock_diag dump, for tcp_info rates. */
  private lastDumpMono: number | undefined;
  private unixDump: (() => ArrayBuffer) | undefined;
  private unixDumpWorked = false;
  private readonly unixCheck = new UnixDiagCheck();
  /** Files that were refused with EACCES/EPERM, warned about once. */
  private readonly forbidden = new Set<string>();
  /** Why TCP sockets are read from /proc although a sock_diag dump was given ('' when it is in use). */
  tcpDumpFailure = '';

  /**
   * `reuseRows`: keep each table's rows to reuse unchanged lines on the next collect (see InetLineCache).
   * Worth it for a sampler; a one-shot collect only pays for the bookkeeping.
   * `tcpDump`: TCP sockets from sock_diag (src/sample/native.ts tcpDumpFor) instead of /proc/net/tcp and tcp6.
   * If it ever throws, /proc is read from then on.
   * `fdSockets`: the owner scanner's full reads of fd tables in C (src/sample/native.ts fdSocketsFor).
   * `unixDump`: the kernel's list of unix sockets (UNIX_DIAG), which every /proc/net/unix row is checked
   * against (src/sample/unixdiag.ts); by default the native helper's on the live host, `null` for none.
   */
  constructor(
    reader: HostReader,
    clock: Clock = systemClock,
    private readonly reuseRows = true,
    tcpDump?: TcpDump,
    fdSockets?: FdSockets,
    unixDump?: (() => ArrayBuffer) | null,
  ) {
    this.reader = reader;
    this.clock = clock;
    this.users = new UserNames(reader);
    this.owners = new OwnerScanner(reader, { users: this.users, fdSockets });
    this.tcpDump = tcpDump;
    this.unixDump = unixDump === undefined ? unixDumpFor(reader.root) : (unixDump ?? undefined);
  }

  /** Whether /proc/net/unix's rows are checked against the kernel's list (see unixDump). */
  get unixChecked(): boolean {
    return this.unixDump !== undefined;
  }

  /** The kernel's list of unix sockets, or undefined when not in use or when it just failed. */
  private dumpUnix(warnings: string[]): ArrayBuffer | undefined {
    if (!this.unixDump) return undefined;
    try {
      const dump = this.unixDump();
      this.unixDumpWorked = true;
      return dump;
    } catch (err) {
      this.unixDump = undefined;
      // A kernel without unix_diag fails from the start: /proc alone is the fallback, as for TCP.
      if (this.unixDumpWorked)
        warnings.push(`${(err as Error).message}; reading /proc/net/unix unchecked from now on`);
      return undefined;
    }
  }

  /**
   * The inodes of `sockets`. The same inodes in the same order as the last collect (a quiet host) give the
   * same Set, which the owner scan recognises at once: no 20,000-entry Set (1.3 MB) built and compared
   * every second.
   */
  private socketInodes(sockets: readonly Socket[]): ReadonlySet<number> {
    if (!this.reuseRows) {
      // A one-shot collect has no next time to compare with.
      const set = new Set<number>();
      for (const s of sockets) if (s.inode !== 0) set.add(s.inode);
      return set;
    }
    const last = this.lastInodes;
    let n = 0;
    let same = this.lastInodeSet !== undefined;
    for (const s of sockets) {
      if (s.inode === 0) continue;
      if (same && (n >= last.count || last.list[n] !== s.inode)) same = false;
      n++;
    }
    if (same && n === last.count) return this.lastInodeSet!;
    const set = new Set<number>();
    const list = last.list.length >= n ? last.list : new Float64Array(n + (n >> 2));
    let i = 0;
    for (const s of sockets) {
      if (s.inode === 0) continue;
      set.add(s.inode);
      list[i++] = s.inode;
    }
    this.lastInodes = { list, count: n };
    this.lastInodeSet = set;
    return set;
  }

  /** Where this collector reads TCP sockets from. */
  get tcpSource(): 'netlink' | 'proc' {
    return this.tcpDump ? 'netlink' : 'proc';
  }

  /** Both TCP tables from one sock_diag dump, or undefined when not in use or when it just failed. */
  private dumpTcp(selection: Selection, warnings: string[]) {
    if (!this.tcpDump || !(selection.inet.has('tcp') || selection.inet.has('tcp6'))) return undefined;
    try {
      const dump = this.reuseRows
        ? decodeTcpDump(this.dumpRing.took(this.tcpDump(this.dumpRing.next())), this.recordCache)
        : decodeTcpDump(this.tcpDump());
      this.tcpDumpWorked = true;
      return dump;
    } catch (err) {
      this.tcpDump = undefined;
      this.tcpDumpFailure = (err as Error).message;
      // Failing from the start is how a kernel without inet_diag (or a sandbox that forbids it) looks:
      // /proc is the documented fallback. Failing after it worked is news.
      if (this.tcpDumpWorked) warnings.push(`${this.tcpDumpFailure}; reading /proc/net/tcp from now on`);
      return undefined;
    }
  }

  collect(selection: Selection): Snapshot {
    const started = this.clock.mono();
    const wallMs = this.clock.wall();
    const warnings: string[] = [];
    const skippedLines = new Map<string, number>();

    // One place that turns "the file misbehaved" into a warning, so no single file can break a tick: a
    // refused file (a FIFO, a device, a symlink out of a --root tree) is a skipped table, a file longer than
    // its read cap a table read in part.
    const guarded = <S>(rel: string, how: (rel: string) => S | undefined): S | undefined => {
      try {
        const text = how(rel);
        if (this.reader.lastCut)
          warnings.push(`/${rel} is larger than ${mib(limitOf(rel))}: read only that much`);
        return text;
      } catch (err) {
        // A file we may not read (nf_conntrack is root's alone) stays unreadable: say so in the first
        // snapshot, then leave its table out without a word, or a user's live view would say it every second.
        if (isForbidden(err)) {
          if (this.forbidden.has(rel)) return undefined;
          this.forbidden.add(rel);
        }
        warnings.push(`cannot read /${rel}: ${(err as Error).message}`);
        return undefined;
      }
    };
    const readText = (rel: string) => this.reader.readText(rel, limitOf(rel));
    const read = (rel: string) => guarded(rel, readText);
    const parseWith = <S, T>(
      rel: string,
      how: (rel: string) => S | undefined,
      parser: (text: S) => Parsed<T>,
    ): readonly T[] => {
      const text = guarded(rel, how);
      if (text === undefined) return [];
      const parsed = parser(text);
      if (parsed.skipped > 0) skippedLines.set(`/${rel}`, parsed.skipped);
      return parsed.rows;
    };
    const parse = <T>(rel: string, parser: (text: string) => Parsed<T>) => parseWith(rel, readText, parser);

    // Each table's rows, joined once below (pushing 20,000 rows one by one regrew the array a dozen times).
    const tables: (readonly Socket[])[] = [];
    const dump = this.dumpTcp(selection, warnings);
    let tcpInfo: TcpInfoTable | undefined;
    if (dump) {
      const previous = this.lastDumpMono;
      this.lastDumpMono = started;
      tcpInfo = {
        ...dump.info,
        // Rates need the previous dump of this collector (a one-shot collect has none).
        elapsedMs: dump.info.prevWords && previous !== undefined ? started - previous : 0,
      };
    }
    for (const proto of INET_PROTOS) {
      if (!selection.inet.has(proto)) continue;
      if (dump && (proto === 'tcp' || proto === 'tcp6')) {
        const { rows, skipped } = dump[proto];
        if (skipped > 0) skippedLines.set(`netlink sock_diag (${proto})`, skipped);
        tables.push(rows);
        continue;
      }
      let cache = this.lineCaches.get(proto);
      if (!cache && this.reuseRows) {
        cache = new InetLineCache();
        this.lineCaches.set(proto, cache);
      }
      // In pieces: megabytes of text a tick at 20,000 sockets (see HostReader.readPieces).
      const rows = parseWith(
        `proc/net/${proto}`,
        (rel) => this.reader.readPieces(rel, limitOf(rel)),
        (pieces) => parseInet(pieces, proto, cache),
      );
      tables.push(rows);
    }
    if (selection.unix) {
      const cache = this.reuseRows ? this.unixCache : undefined;
      // The kernel's list first: a socket opened between the two reads is left for the next sample, one
      // closed between them is gone from /proc too.
      const dump = this.dumpUnix(warnings);
      let rows = parse('proc/net/unix', (text) => parseUnix(text, cache));
      if (dump !== undefined) {
        try {
          rows = this.unixCheck.check(rows, dump).rows;
        } catch (err) {
          warnings.push(`cannot check /proc/net/unix: ${(err as Error).message}`);
        }
      }
      tables.push(rows);
    }
    const sockets = ([] as Socket[]).concat(...tables);

    let owners: OwnerMap = new Map();
    let ownerStats = EMPTY_OWNER_STATS;
    if (selection.owners) {
      const inodes = this.socketInodes(sockets);
      try {
        const scanned = this.owners.scan(inodes);
        owners = scanned.owners;
        ownerStats = scanned.stats;
      } catch (err) {
        warnings.push(`cannot map sockets to processes: ${(err as Error).message}`);
      }
    }

    const routes: Route[] = [];
    if (selection.routes) {
      routes.push(...parse('proc/net/route', parseRoute));
      routes.push(...parse('proc/net/ipv6_route', parseIpv6Route));
    }

    const interfaces: Interface[] = [];
    if (selection.interfaces) {
      for (const dev of parse('proc/net/dev', parseDev)) {
        let sys = {};
        try {
          sys = readSysNet(this.reader, dev.name);
        } catch (err) {
          warnings.push(`cannot read /sys/class/net/${dev.name}: ${(err as Error).message}`);
        }
        interfaces.push({ ...dev, ...sys });
      }
    }

    const counters = new Map<string, ReadonlyMap<string, bigint>>();
    const sockstat: SockstatProto[] = [];
    if (selection.counters) {
      const addGroups = (
        rel: string,
        parser: (text: string) => { groups: CounterGroups; skipped: number },
      ) => {
        const text = read(rel);
        if (text === undefined) return;
        const parsed = parser(text);
        if (parsed.skipped > 0) skippedLines.set(`/${rel}`, parsed.skipped);
        for (const [group, values] of parsed.groups) counters.set(group, values);
      };
      addGroups('proc/net/snmp', parseKeyValuePairs);
      addGroups('proc/net/netstat', parseKeyValuePairs);
      addGroups('proc/net/snmp6', parseSnmp6);
      sockstat.push(...parse('proc/net/sockstat', parseSockstat));
      sockstat.push(...parse('proc/net/sockstat6', parseSockstat));
    }

    const multicast: MulticastGroup[] = [];
    if (selection.multicast) {
      multicast.push(...parse('proc/net/igmp', parseIgmp));
      multicast.push(...parse('proc/net/igmp6', parseIgmp6));
    }

    let conntrack: ConntrackSummary | undefined;
    let conntrackUse: Snapshot['conntrackUse'];
    if (selection.conntrack) {
      // Two one-number files: the table's use against its limit, without reading the table.
      const count = decimal(read('proc/sys/net/netfilter/nf_conntrack_count'));
      const max = decimal(read('proc/sys/net/netfilter/nf_conntrack_max'));
      if (count !== undefined && max !== undefined) conntrackUse = { count, max };
      const text = read('proc/net/nf_conntrack');
      if (text !== undefined) {
        const parsed = parseConntrack(text);
        if (parsed.skipped > 0) skippedLines.set('/proc/net/nf_conntrack', parsed.skipped);
        conntrack = parsed.summary;
      }
    }

    // Owners resolve user names while scanning: a bad etc/passwd is this snapshot's warning too.
    if (this.users.failure && !warnings.includes(this.users.failure)) warnings.push(this.users.failure);

    const hostname = capName((read('proc/sys/kernel/hostname') ?? '').trim()) || 'localhost';
    return {
      monoMs: started,
      wallMs,
      durationMs: this.clock.mono() - started,
      hostname,
      sockets,
      owners,
      ownerStats,
      routes,
      interfaces,
      counters,
      sockstat,
      multicast,
      conntrack,
      conntrackUse,
      tcpInfo,
      skippedLines,
      warnings,
    };
  }
}

/** A file holding one non-negative decimal number, else undefined. */
function decimal(text: string | undefined): number | undefined {
  const t = text?.trim();
  return t !== undefined && /^\d{1,15}$/.test(t) ? Number(t) : undefined;
}

export interface SamplerOptions {
  readonly reader?: HostReader;
  /** TCP sockets from sock_diag; see Collector. */
  readonly tcpDump?: TcpDump;
  /** fd tables read in C; see Collector. */
  readonly fdSockets?: FdSockets;
  /** The kernel's unix socket list; see Collector (default: the helper's on the live host). */
  readonly unixDump?: (() => ArrayBuffer) | null;
  readonly intervalMs?: number;
  readonly selection?: Selection;
  readonly clock?: Clock;
}

/**
 * Polls on a fixed monotonic schedule (start + k·interval, skipping missed slots rather than bunching up)
 * and publishes immutable states. The timer is the only impure part; tick() does one sample synchronously.
 */
export class Sampler {
  readonly intervalMs: number;
  private readonly collector: Collector;
  private readonly selection: Selection;
  private readonly clock: Clock;
  private readonly listeners = new Set<() => void>();
  private state: SamplerState | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextDue = 0;

  constructor(opts: SamplerOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    const reader = opts.reader ?? new HostReader('/');
    this.collector = new Collector(reader, this.clock, true, opts.tcpDump, opts.fdSockets, opts.unixDump);
    this.intervalMs = opts.intervalMs ?? 1000;
    this.selection = opts.selection ?? SELECT_ALL;
  }

  /** The user-name cache the owner map uses. */
  get users(): UserNames {
    return this.collector.users;
  }

  /** Why TCP sockets are read from /proc although a sock_diag dump was given ('' when it is in use). */
  get tcpDumpFailure(): string {
    return this.collector.tcpDumpFailure;
  }

  /** Take one sample now and publish it. */
  tick(): SamplerState {
    const snapshot = this.collector.collect(this.selection);
    const prev = this.state?.snapshot;
    this.state = {
      snapshot,
      diff: prev ? diffSnapshots(prev, snapshot) : undefined,
      seq: (this.state?.seq ?? 0) + 1,
    };
    for (const listener of this.listeners) listener();
    return this.state;
  }

  getState(): SamplerState | undefined {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.nextDue = this.clock.mono();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const now = this.clock.mono();
    const delay = Math.max(0, this.nextDue - now);
    this.timer = setTimeout(() => {
      this.tick();
      const after = this.clock.mono();
      this.nextDue += this.intervalMs;
      // A slow tick (or a suspended laptop) skips the missed slots instead of firing a burst.
      if (this.nextDue < after)
        this.nextDue += Math.ceil((after - this.nextDue) / this.intervalMs) * this.intervalMs;
      if (this.timer) this.schedule();
    }, delay);
  }
}

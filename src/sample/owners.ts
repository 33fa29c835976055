/*
 * Socket inode → processes holding it, from the `proc/PID/fd/N -> socket:[INODE]` links.
 *
 * The only way to learn who holds a socket is to readlink every fd of every process; doing that every tick
 * is what makes `netstat -p` slow. So the scanner keeps, per pid, the set of socket inodes it held when its
 * fd directory was last read, plus an index inode → pids, and re-reads as little as it can:
 *
 *   1. `proc/` is listed every scan (one readdir). Cached pids no longer listed are dropped; new pids have
 *      their fd directory read.
 *   2. After that, a requested inode that no cached process holds and that is not a known orphan is
 *      "unknown": a socket appeared and we do not know who opened it. Any process may have opened it (or
 *      received it), so every known pid not already read this scan is re-read: one full pass, never more
 *      than one per scan. When nothing is unknown, no fd directory is read at all.
 *   3. Requested inodes that nobody holds after a full pass (kernel sockets, sockets of processes whose fd
 *      directory we may not read, sockets whose holder exited) become orphans and no longer count as
 *      unknown, or each of them would trigger a full pass every tick. Orphans are recomputed on every full
 *      pass and forgotten as soon as they are no longer requested.
 *   4. Every `fullEvery` scans (default 30) a full pass runs regardless, which bounds the staleness below.
 *   5. Within a pass, a known process's fd directory is listed, but an fd is only followed (readlink) when
 *      it is new, was not a socket last time, or was a socket that is no longer requested (it closed, so
 *      the number may have been reused). An fd whose socket is still alive is taken to still hold it. On a
 *      server with thousands of long-lived connections this turns a pass from one readlink per fd into one
 *      readdir per process plus the fds that changed. The periodic full pass (4) follows every fd.
 *
 * What the rule misses until the next full pass (all cases where the inode set requested is unchanged, so
 * nothing looks unknown):
 *   - a known process that receives an already-mapped or orphan socket (SCM_RIGHTS, pidfd_getfd, a process
 *     sharing its fd table via clone(CLONE_FILES)) is not listed as a holder;
 *   - a known process that closes its copy of a socket someone else still holds (a pre-fork server closing
 *     the accepted connection it handed to a child, the sender after SCM_RIGHTS) stays listed;
 *   - an orphan that a known process starts to hold (same as the first case);
 *   - a known process that closes fd N of a socket that stays alive elsewhere and reuses N for a new socket
 *     (rule 5 keeps the old mapping; the new socket stays an orphan).
 * Not missed: a socket closed by its holder leaves /proc/net and so the request; a socket inherited by fork
 * is found because the child is a new pid; a new socket of any process is unknown and forces a full pass.
 *
 * The cost is honest, not magic: on a busy server that accepts connections every second, every tick has an
 * unknown inode and does a full pass. The win is the steady state (idle desktop, long-lived connections).
 * A cheap per-pid fd count (st_size of proc/PID/fd on Linux >= 6.2) is not used: HostReader does not expose
 * it, and an unchanged count cannot prove an unchanged table anyway (close + open keeps the count).
 *
 * "Unreadable" (stats.unreadable) covers both an fd directory we may not list and one we may list but whose
 * links we may not follow: readdir needs read permission, readlink needs ptrace access, so root in a
 * container sees the second for outside processes. netstat's "Not all processes could be identified" counts
 * only the first (EACCES opening the directory); stats.deniedFdDirs counts those.
 *
 * comm/cmdline/status are read once per process and cached for the life of the pid; comm can change
 * (prctl(PR_SET_NAME), exec), so it is re-read whenever the pid's fd directory is re-read, and when it
 * changed cmdline and uid are re-read too, which also catches exec and most pid reuse.
 */

import { CMDLINE_MAX, capName, capText, markCut } from '../model/bounds.js';
import type { OwnerMap, OwnerScanStats, ProcessInfo } from '../model/types.js';
import type { FdSockets } from './native.js';
import type { OwnersMessage } from './ownerswire.js';
import { type HostReader, isGone, isUnsafe, READ_LIMITS } from './reader.js';
import { UserNames } from './users.js';

export interface OwnerScannerOptions {
  /** Shared uid → name resolver; one over the same reader is created when absent. */
  users?: UserNames;
  /** Run a full pass at least every this many scans, bounding how long a missed holder stays wrong. */
  fullEvery?: number;
  /** Reads a whole fd table in C (src/sample/native.ts fdSocketsFor); only for the live host. */
  fdSockets?: FdSockets;
}

export interface OwnerScan {
  readonly owners: OwnerMap;
  readonly stats: OwnerScanStats;
}

interface CachedProcess {
  /** Undefined until the process is first seen holding a socket: no point reading who it is before. */
  info: ProcessInfo | undefined;
  /** Socket inodes held when the fd directory was last read. */
  inodes: ReadonlySet<number>;
  /** fd name → socket inode (0: not a socket) when last followed. */
  fds: ReadonlyMap<string, number>;
  /**
   * Why its fd directory (or identity files) could not be read ('permission denied', or a --root tree's file
   * refused as unsafe), '' when they could: counted in stats.unreadable while it lives.
   */
  forbidden: string;
  /** Its fd directory could not even be opened (EACCES): counted in stats.deniedFdDirs too. */
  denied: boolean;
  /** Scan number of the last attempt to read its fd directory. */
  readAt: number;
}

/** What one read of a process's fd directory found. */
interface FdTable {
  /** Socket inodes it holds. */
  held: Set<number>;
  /** fd name → socket inode (0: not a socket), for rule 5 on the next read. */
  fds: Map<string, number>;
}

interface Tally {
  rescanned: number;
  vanished: number;
}

const SOCKET_PREFIX = 'socket:[';
const EMPTY: ReadonlySet<number> = new Set();
const NO_FDS: ReadonlyMap<string, number> = new Map();

/** Inode of an fd link target `socket:[12345]`; 0 for anything else (pipes, files, anon_inode, malformed). */
export function parseSocketLink(target: string): number {
  if (!target.startsWith(SOCKET_PREFIX)) return 0;
  const end = target.length - 1;
  if (end <= SOCKET_PREFIX.length || target.charCodeAt(end) !== 0x5d /* ] */) return 0;
  let inode = 0;
  for (let i = SOCKET_PREFIX.length; i < end; i++) {
    const digit = target.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return 0;
    inode = inode * 10 + digit;
  }
  return inode;
}

/** proc/PID/comm without the newline the kernel appends, capped at NAME_MAX; any other byte is kept raw. */
export function parseComm(text: string): string {
  return capName(text.endsWith('\n') ? text.slice(0, -1) : text);
}

/** A command line as the model keeps it. */
export interface Cmdline {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * proc/PID/cmdline with NUL separators turned into spaces, capped at CMDLINE_MAX (`readCut`: the read itself
 * stopped at its cap, so there is more than `text` holds). All trailing NULs are dropped, not just one:
 * setproctitle() pads the rewritten argv area with them. Kernel threads have an empty cmdline.
 */
export function parseCmdline(text: string, readCut = false): Cmdline {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  const truncated = readCut || end > CMDLINE_MAX;
  const kept = text.slice(0, Math.min(end, CMDLINE_MAX)).replaceAll('\0', ' ');
  return { text: truncated ? markCut(kept) : kept, truncated };
}

/** Real uid: the first number of the `Uid:` line of proc/PID/status; undefined when absent or malformed. */
export function parseStatusUid(text: string): number | undefined {
  let start: number;
  if (text.startsWith('Uid:')) start = 0;
  else {
    const at = text.indexOf('\nUid:');
    if (at < 0) return undefined;
    start = at + 1;
  }
  let i = start + 4;
  while (i < text.length && (text.charCodeAt(i) === 0x09 || text.charCodeAt(i) === 0x20)) i++;
  let uid = 0;
  let digits = 0;
  for (; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) break;
    uid = uid * 10 + digit;
    digits++;
  }
  return digits > 0 ? uid : undefined;
}

function parsePid(name: string): number {
  if (name.length === 0) return 0;
  let pid = 0;
  for (let i = 0; i < name.length; i++) {
    const digit = name.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return 0;
    pid = pid * 10 + digit;
  }
  return pid;
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of b) if (!a.has(x)) return false;
  return true;
}

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** What to tell the user about a process that could not be read: strerror's words, or the refusal. */
export function unreadableReason(err: unknown): string {
  const code = errorCode(err);
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EPERM') return 'operation not permitted';
  if (isUnsafe(err)) return (err as Error).message;
  return code ?? String((err as Error | null)?.message ?? err);
}

export class OwnerScanner {
  private readonly reader: HostReader;
  private readonly users: UserNames;
  private readonly fullEvery: number;
  private readonly procs = new Map<number, CachedProcess>();
  /** inode → holder pids, ascending. Every pid here is in `procs` with `info` set. */
  private readonly holders = new Map<number, number[]>();
  private orphans = new Set<number>();
  /** The inode Set of the last scan that found none unknown, until a holder is lost (see hasUnknown). */
  private noneUnknownIn: ReadonlySet<number> | undefined;
  private scanNo = 0;
  /** Inodes whose holder list changed since the last returned map; `identityChanged` when any
   * ProcessInfo was replaced. Together they let a scan hand back the previous map, or its arrays. */
  private dirty = new Set<number>();
  private identityChanged = false;
  private last: { inodes: ReadonlySet<number>; owners: OwnerMap } | undefined;
  /** Scans since the last full pass; starts high so the very first scan counts as one. */
  private sinceFull = Number.POSITIVE_INFINITY;
  private readonly fdSockets: FdSockets | undefined;

  constructor(reader: HostReader, opts: OwnerScannerOptions = {}) {
    this.reader = reader;
    this.fdSockets = opts.fdSockets;
    this.users = opts.users ?? new UserNames(reader);
    this.fullEvery = Math.max(1, Math.floor(opts.fullEvery ?? 30));
  }

  /**
   * Owners of every socket any process holds, from one full pass: for a one-shot run that starts the scan
   * before it knows which sockets exist (src/sample/ownersworker.ts does it on the second core).
   */
  scanAll(): OwnerScan {
    const { stats } = this.scan(new Set());
    const owners = new Map<number, readonly ProcessInfo[]>();
    for (const [inode, pids] of this.holders) {
      owners.set(
        inode,
        pids.map((pid) => this.procs.get(pid)!.info!),
      );
    }
    return { owners, stats };
  }

  /** Owners of the requested socket inodes (inode 0 is never owned), from cache where it is still valid. */
  scan(inodes: ReadonlySet<number>): OwnerScan {
    const scanNo = ++this.scanNo;
    const tally: Tally = { rescanned: 0, vanished: 0 };

    const listed = this.listPids();
    const live = new Set(listed);
    for (const [pid, entry] of this.procs) {
      if (!live.has(pid)) this.forget(pid, entry);
    }
    const deep = this.sinceFull >= this.fullEvery - 1;
    for (const pid of listed) {
      if (!this.procs.has(pid)) this.readProcess(pid, undefined, tally, inodes, true);
    }

    if (deep || this.hasUnknown(inodes)) {
      // Deleting the current entry (a process that vanished) while iterating a Map is safe.
      for (const [pid, entry] of this.procs) {
        if (entry.readAt !== scanNo) this.readProcess(pid, entry, tally, inodes, deep);
      }
    }

    let unreadable = 0;
    let deniedFdDirs = 0;
    let first: { pid: number; reason: string } | undefined;
    let covered = true;
    // forEach rather than for-of over entries: no [pid, entry] pair per process per tick.
    this.procs.forEach((entry, pid) => {
      if (entry.forbidden) {
        unreadable++;
        if (first === undefined || pid < first.pid) first = { pid, reason: entry.forbidden };
      }
      if (entry.denied) deniedFdDirs++;
      if (entry.readAt !== scanNo) covered = false;
    });
    if (covered) {
      this.sinceFull = 0;
      this.orphans = new Set();
      for (const inode of inodes) {
        if (inode !== 0 && !this.holders.has(inode)) this.orphans.add(inode);
      }
    } else {
      this.sinceFull++;
      for (const inode of this.orphans) {
        if (!inodes.has(inode) || this.holders.has(inode)) this.orphans.delete(inode);
      }
    }

    const owners = this.ownerMap(inodes);
    const stats: OwnerScanStats = {
      processes: listed.length,
      unreadable,
      deniedFdDirs,
      vanished: tally.vanished,
      rescanned: tally.rescanned,
    };
    return { owners, stats: first === undefined ? stats : { ...stats, firstUnreadable: first } };
  }

  /**
   * The map for `inodes`. In the steady state nothing changed since the last scan and the previous (immutable)
   * map is returned as is; otherwise unchanged inodes keep their previous arrays. Rebuilding 20,000 arrays per
   * tick was most of the owner map's cost once the fd reads were incremental.
   */
  private ownerMap(inodes: ReadonlySet<number>): OwnerMap {
    const last = this.last;
    const reusable = last !== undefined && !this.identityChanged;
    if (reusable && this.dirty.size === 0 && sameSet(last.inodes, inodes)) return last.owners;
    const owners = new Map<number, readonly ProcessInfo[]>();
    for (const inode of inodes) {
      const previous = reusable && !this.dirty.has(inode) ? last.owners.get(inode) : undefined;
      if (previous !== undefined) {
        owners.set(inode, previous);
        continue;
      }
      const pids = this.holders.get(inode);
      if (pids !== undefined)
        owners.set(
          inode,
          pids.map((pid) => this.procs.get(pid)!.info!),
        );
    }
    this.last = { inodes, owners };
    this.dirty = new Set();
    this.identityChanged = false;
    return owners;
  }

  private listPids(): number[] {
    let names: string[];
    try {
      names = this.reader.readDir('proc');
    } catch (err) {
      if (isGone(err)) return [];
      throw err;
    }
    const pids: number[] = [];
    for (const name of names) {
      // Only numeric entries are processes; threads live under proc/PID/task and are not listed here.
      const pid = parsePid(name);
      if (pid > 0) pids.push(pid);
    }
    return pids;
  }

  private hasUnknown(inodes: ReadonlySet<number>): boolean {
    // The same Set as a scan that found every inode known, and no holder lost since (holding more, or
    // orphans rebuilt or pruned, cannot make a known inode unknown): still none, without 20,000 lookups.
    if (inodes === this.noneUnknownIn) return false;
    for (const inode of inodes) {
      if (inode !== 0 && !this.holders.has(inode) && !this.orphans.has(inode)) return true;
    }
    this.noneUnknownIn = inodes;
    return false;
  }

  /**
   * Read one process's fd table (and identity when it holds sockets) into the cache. Unless `deep`, fds
   * whose socket is still `alive` are not followed again (rule 5 above).
   */
  private readProcess(
    pid: number,
    entry: CachedProcess | undefined,
    tally: Tally,
    alive: ReadonlySet<number>,
    deep: boolean,
  ): void {
    const table =
      this.fdSockets !== undefined && (deep || entry === undefined)
        ? this.readFdsNative(pid, entry, tally)
        : this.readFds(pid, entry, tally, alive, deep);
    if (table === undefined) return;
    const { held, fds } = table;

    let info = entry?.info;
    if (held.size > 0) {
      try {
        info = this.identify(pid, info);
        if (info !== entry?.info) this.identityChanged = true;
      } catch (err) {
        this.classify(err, pid, entry, tally);
        return;
      }
      if (info === undefined) {
        this.vanish(pid, entry, tally);
        return;
      }
    }

    const before = entry?.inodes ?? EMPTY;
    for (const inode of before) {
      if (!held.has(inode)) this.unhold(inode, pid);
    }
    for (const inode of held) {
      if (!before.has(inode)) this.hold(inode, pid);
    }
    this.procs.set(pid, { info, inodes: held, fds, forbidden: '', denied: false, readAt: this.scanNo });
  }

  /** The first read of a process's fd table, counted as a rescan; undefined once its failure is classified. */
  private openFdTable<T>(
    read: () => T,
    pid: number,
    entry: CachedProcess | undefined,
    tally: Tally,
  ): T | undefined {
    let table: T;
    try {
      table = read();
    } catch (err) {
      this.classify(err, pid, entry, tally, errorCode(err) === 'EACCES' && this.fdDirDenied(pid));
      return undefined;
    }
    tally.rescanned++;
    return table;
  }

  /** The fd table through HostReader: list, then readlink each fd rule 5 does not let us skip. */
  private readFds(
    pid: number,
    entry: CachedProcess | undefined,
    tally: Tally,
    alive: ReadonlySet<number>,
    deep: boolean,
  ): FdTable | undefined {
    const base = `proc/${pid}`;
    const names = this.openFdTable(() => this.reader.readDir(`${base}/fd`), pid, entry, tally);
    if (names === undefined) return undefined;

    const held = new Set<number>();
    const fds = new Map<string, number>();
    const known = deep ? undefined : entry?.fds;
    for (const name of names) {
      const was = known?.get(name);
      if (was !== undefined && was !== 0 && alive.has(was)) {
        held.add(was);
        fds.set(name, was);
        continue;
      }
      let target: string;
      try {
        target = this.reader.readLink(`${base}/fd/${name}`);
      } catch (err) {
        // The fd was closed between readdir and readlink (or, in a hand-made tree, is not a link): the
        // process itself is fine; if it exited too, reading its identity below will tell.
        if (isGone(err) || errorCode(err) === 'EINVAL') continue;
        // readdir needs only read permission on the directory, readlink needs ptrace access: root inside
        // a container, or facing a non-dumpable process, can list the fds but not follow them.
        // Anything else (a link loop, a refused file in a --root tree, EIO) costs this process only.
        this.forbid(pid, entry, err);
        return undefined;
      }
      const inode = parseSocketLink(target);
      fds.set(name, inode);
      if (inode !== 0) held.add(inode);
    }

    return { held, fds };
  }

  /**
   * The whole fd table in one call to the native helper (readdir + readlinkat in C): for reads that must
   * follow every fd anyway, the first read of a process and the periodic full pass. ~1.6× cheaper than a
   * readlinkSync per fd (70 vs 112 ms for the whole machine at 20,000 sockets; the kernel's readlink is
   * most of what is left).
   */
  private readFdsNative(pid: number, entry: CachedProcess | undefined, tally: Tally): FdTable | undefined {
    const list = this.openFdTable(() => this.fdSockets!(pid), pid, entry, tally);
    if (list === undefined) return undefined;
    const held = new Set<number>();
    const fds = new Map<string, number>();
    for (let k = 0; k + 1 < list.length; k += 2) {
      const inode = list[k + 1]!;
      fds.set(String(list[k]), inode);
      held.add(inode);
    }
    return { held, fds };
  }

  /**
   * Who the process is. Keeps `cached` (same object, which spares React a re-render) unless comm changed;
   * a changed comm means prctl, exec or a reused pid, so cmdline and uid are re-read too.
   * Undefined when the process is gone; other read errors throw for the caller to classify.
   */
  private identify(pid: number, cached: ProcessInfo | undefined): ProcessInfo | undefined {
    return readProcessInfo(this.reader, this.users, pid, cached);
  }

  /**
   * Whether the fd directory itself refuses to be opened, rather than its links to be followed: a refused
   * table read does not say which (the C reader does both), and only the first is net-tools' warning.
   */
  private fdDirDenied(pid: number): boolean {
    try {
      this.reader.readDir(`proc/${pid}/fd`);
      return false;
    } catch (err) {
      return errorCode(err) === 'EACCES';
    }
  }

  /**
   * A read about process `pid` failed: it exited (vanished), or it may not be read (forbidden). Any other
   * failure (a file refused as unsafe, a symlink loop in a --root tree, EIO) counts as forbidden too, with
   * its reason: one bad process costs only that process, never the whole owner map.
   */
  private classify(
    err: unknown,
    pid: number,
    entry: CachedProcess | undefined,
    tally: Tally,
    denied = false,
  ): void {
    if (isGone(err)) this.vanish(pid, entry, tally);
    else this.forbid(pid, entry, err, denied);
  }

  private vanish(pid: number, entry: CachedProcess | undefined, tally: Tally): void {
    tally.vanished++;
    if (entry !== undefined) this.forget(pid, entry);
  }

  private forbid(pid: number, entry: CachedProcess | undefined, err: unknown, denied = false): void {
    for (const inode of entry?.inodes ?? EMPTY) this.unhold(inode, pid);
    this.procs.set(pid, {
      info: entry?.info,
      inodes: EMPTY,
      fds: NO_FDS,
      forbidden: unreadableReason(err),
      denied,
      readAt: this.scanNo,
    });
  }

  private forget(pid: number, entry: CachedProcess): void {
    for (const inode of entry.inodes) this.unhold(inode, pid);
    this.procs.delete(pid);
  }

  private hold(inode: number, pid: number): void {
    this.dirty.add(inode);
    const pids = this.holders.get(inode);
    if (pids === undefined) {
      this.holders.set(inode, [pid]);
      return;
    }
    // Holder lists are short (usually one pid), so a linear sorted insert beats anything cleverer.
    let i = pids.length;
    while (i > 0 && pids[i - 1]! > pid) i--;
    pids.splice(i, 0, pid);
  }

  private unhold(inode: number, pid: number): void {
    this.dirty.add(inode);
    this.noneUnknownIn = undefined;
    const pids = this.holders.get(inode);
    if (pids === undefined) return;
    const i = pids.indexOf(pid);
    if (i >= 0) pids.splice(i, 1);
    if (pids.length === 0) this.holders.delete(inode);
  }
}

/**
 * Who process `pid` is. Keeps `cached` (same object) unless comm changed; a changed comm means prctl, exec
 * or a reused pid, so cmdline and uid are re-read too. Undefined when the process is gone; other read
 * errors throw for the caller to classify.
 */
export function readProcessInfo(
  reader: HostReader,
  users: UserNames,
  pid: number,
  cached?: ProcessInfo,
): ProcessInfo | undefined {
  const base = `proc/${pid}`;
  const commText = reader.readText(`${base}/comm`, READ_LIMITS.value);
  if (commText === undefined) return undefined;
  const command = parseComm(commText);
  if (cached !== undefined && cached.command === command) return cached;

  // 64 KiB at most, of a command line that may be megabytes: the model keeps 4 KiB (src/model/bounds.ts).
  const cmdlineText = reader.readText(`${base}/cmdline`, READ_LIMITS.cmdline, false);
  if (cmdlineText === undefined) return undefined;
  const cmdline = parseCmdline(cmdlineText, reader.lastCut);
  const statusText = reader.readText(`${base}/status`, READ_LIMITS.status);
  const uid = (statusText === undefined ? undefined : parseStatusUid(statusText)) ?? reader.statUid(base);
  if (uid === undefined) return undefined;
  const user = users.name(uid);
  const nul = cmdlineText.indexOf('\0');
  // netstat -p names a process by argv[0]; kept raw (escaped where shown) and capped like the cmdline.
  const argv0 = capText(nul < 0 ? cmdlineText : cmdlineText.slice(0, nul), CMDLINE_MAX);
  const info: ProcessInfo = cmdline.truncated
    ? { pid, command, cmdline: cmdline.text, cmdlineTruncated: true, argv0, uid }
    : { pid, command, cmdline: cmdline.text, argv0, uid };
  return user === undefined ? info : { ...info, user };
}

/** (socket inode, pid) pairs from a scan done elsewhere (the native helper's socketOwners). */
export interface PairScan {
  readonly pairs: Float64Array;
  readonly processes: number;
  readonly unreadable: number;
  /** The lowest unreadable pid and its errno (src/sample/native.ts NativeOwners). */
  readonly firstUnreadablePid?: number;
  readonly firstUnreadableErrno?: number;
  /** Of the unreadable, those whose fd directory could not be opened (EACCES); absent from older helpers. */
  readonly denied?: number;
}

/** strerror's words for the errnos an fd scan meets (Linux numbers). */
function errnoReason(errno: number | undefined): string {
  if (errno === 13) return 'permission denied';
  if (errno === 1) return 'operation not permitted';
  return `errno ${errno}`;
}

/**
 * A scan's pairs with each holder's identity read once, in the owners worker's wire format. A holder that
 * exited since the scan is dropped (counted as vanished); one whose identity may not be read is dropped
 * and counted as unreadable, as the scanner above does.
 */
export function ownersFromPairs(reader: HostReader, users: UserNames, scan: PairScan): OwnersMessage {
  const processes: ProcessInfo[] = [];
  const indexOf = new Map<number, number>(); // pid → index in processes, -1 when dropped
  const pairs = new Float64Array(scan.pairs.length);
  let n = 0;
  let vanished = 0;
  let unreadable = scan.unreadable;
  let first =
    scan.firstUnreadablePid === undefined
      ? undefined
      : { pid: scan.firstUnreadablePid, reason: errnoReason(scan.firstUnreadableErrno) };
  for (let i = 0; i + 1 < scan.pairs.length; i += 2) {
    const pid = scan.pairs[i + 1]!;
    let at = indexOf.get(pid);
    if (at === undefined) {
      let info: ProcessInfo | undefined;
      try {
        info = readProcessInfo(reader, users, pid);
        if (info === undefined) vanished++;
      } catch (err) {
        if (isGone(err)) vanished++;
        else {
          unreadable++;
          if (first === undefined || pid < first.pid) first = { pid, reason: unreadableReason(err) };
        }
      }
      at = info === undefined ? -1 : processes.push(info) - 1;
      indexOf.set(pid, at);
    }
    if (at < 0) continue;
    pairs[n++] = scan.pairs[i]!;
    pairs[n++] = at;
  }
  const stats: OwnerScanStats = {
    processes: scan.processes,
    unreadable,
    ...(scan.denied === undefined ? {} : { deniedFdDirs: scan.denied }),
    vanished,
    rescanned: scan.processes,
  };
  return {
    processes,
    pairs: pairs.slice(0, n),
    stats: first === undefined ? stats : { ...stats, firstUnreadable: first },
  };
}

// The optional native helper (src/sample/netwatch.c → dist/netwatch.node). netwatch runs without it: the
// build skips it when there is no C compiler or no Node headers, and every caller falls back to /proc.
//
// It is used only on the live host (--root /): sock_diag and the fd scan see this machine's kernel, not a
// captured tree. `--no-netlink` keeps to /proc.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { RECORD_WORDS } from './sockdiag.js';

export interface NativeOwners {
  /** (socket inode, pid) pairs. */
  readonly pairs: Float64Array;
  readonly processes: number;
  /** Processes whose fd directory or links could not be read. */
  readonly unreadable: number;
  /** The lowest of those pids and its errno (13 EACCES, 1 EPERM), when there is one. */
  readonly firstUnreadablePid?: number;
  readonly firstUnreadableErrno?: number;
  /** Of those, the processes whose fd directory could not be opened (EACCES). */
  readonly denied?: number;
}

export interface NativeBinding {
  /**
   * Every TCP socket of this network namespace: records of `recordWords` 32-bit words. Without tcp_info
   * (`withInfo` false) rows get no TCP tail and retransmits/probes as sock_diag counts them. Into `into` when
   * the records fit (their count returned), else a new buffer. Both families in one request, or with
   * `perFamily` one at a time (what a kernel without the older request gets). Throws on failure.
   */
  tcpSockets(withInfo?: boolean, into?: ArrayBuffer | null, perFamily?: boolean): ArrayBuffer | number;
  /** The owner scan on a libuv thread. */
  socketOwners(procDir: string): Promise<NativeOwners>;
  /**
   * One process's socket fds, read now: (fd, inode) pairs. Throws with code ENOENT when the process is
   * gone, EACCES or EPERM when its fds may not be listed or followed.
   */
  fdSockets(fdDir: string): Float64Array;
  /**
   * The live view's signal watchdog (netwatch.c, last section): when SIGTERM, SIGHUP or SIGINT is not
   * acted on within `graceMs` (the main thread is busy), write `restore` to fd 1, put back fd 0's modes as
   * they are now, and end by the signal. Absent from helpers built before it.
   */
  watchdogArm?(restore: string, graceMs: number): boolean;
  /**
   * Every unix socket of this network namespace (UNIX_DIAG): a 32-bit count, records of `unixRecordWords`
   * 32-bit words (inode, type, sk_state, name length), then the names' bytes in record order, as /proc
   * prints them.
   * Throws when the kernel has no unix_diag. Absent from helpers built before it existed.
   */
  unixSockets?(): ArrayBuffer;
  /** getifaddrs(3)'s IPv4 entries: label, address, netmask, and the broadcast or peer address if any. */
  ipv4Addresses?(): {
    label: string;
    address: string;
    netmask: string;
    broadcast?: string;
    destination?: string;
  }[];
  readonly recordWords: number;
  readonly unixRecordWords?: number;
}

let loaded: { binding: NativeBinding | undefined; why: string } | undefined;

/** Where the built helper may be: beside the bundle (dist/), or dist/ seen from the sources (tests). */
function candidates(): URL[] {
  return [new URL('./netwatch.node', import.meta.url), new URL('../../dist/netwatch.node', import.meta.url)];
}

/** The helper, or undefined (with the reason in `nativeUnavailableReason`). Loaded once. */
export function nativeBinding(): NativeBinding | undefined {
  if (loaded) return loaded.binding;
  const file = candidates().find((url) => existsSync(url));
  if (!file) {
    loaded = { binding: undefined, why: 'not built (needs a C compiler and Node headers at build time)' };
    return undefined;
  }
  try {
    const binding = createRequire(import.meta.url)(file.pathname) as NativeBinding;
    loaded = { binding, why: '' };
  } catch (err) {
    loaded = { binding: undefined, why: `cannot load ${file.pathname}: ${(err as Error).message}` };
  }
  return loaded.binding;
}

/** Why nativeBinding() returned undefined ('' when it did not). */
export function nativeUnavailableReason(): string {
  nativeBinding();
  return loaded?.why ?? '';
}

/** True when `root` is this machine's own root, the only place the native helper can look at. */
export function isLiveRoot(root: string): boolean {
  return resolve(root) === '/';
}

/**
 * A sock_diag TCP dump: its records' words. Given `into`, the records are written there when they fit (a
 * live collector passes buffers it reuses, see Collector), else into a new buffer.
 */
export type TcpDump = (into?: ArrayBuffer) => Uint32Array | ArrayBuffer;

/**
 * The sock_diag TCP dump for a Collector reading `root`, when it can be used there. `withInfo` false
 * leaves out tcp_info, for output that shows neither the TCP tail nor netstat's timer column.
 */
export function tcpDumpFor(
  root: string,
  wanted = true,
  // NETWATCH_TCP_INFO=0 leaves tcp_info out of the dump: a measuring knob (npm run bench prices the fields).
  withInfo = process.env.NETWATCH_TCP_INFO !== '0',
): TcpDump | undefined {
  if (!wanted || !isLiveRoot(root)) return undefined;
  const binding = nativeBinding();
  // A helper built from other sources (a stale dist/) would be misread: /proc then.
  if (!binding || binding.recordWords !== RECORD_WORDS) return undefined;
  return (into) => {
    const got = into ? binding.tcpSockets(withInfo, into) : binding.tcpSockets(withInfo);
    return typeof got === 'number' ? new Uint32Array(into!, 0, got * RECORD_WORDS) : got;
  };
}

/**
 * Why a live view over `root` gets no tcp_info (per-connection RX/TX, RTT, retransmits): '' when it does.
 * Said in one line beside the columns that are then absent.
 */
export function tcpInfoUnavailableReason(root: string, wanted: boolean): string {
  if (!wanted) return '--no-netlink reads /proc, which has no tcp_info';
  if (!isLiveRoot(root)) return 'a --root tree has no kernel to ask for tcp_info';
  const binding = nativeBinding();
  if (!binding) return `the native helper is ${nativeUnavailableReason()}`;
  if (binding.recordWords !== RECORD_WORDS) return 'the native helper is from another build: npm run build';
  return '';
}

/** Reads one process's socket fds in C, for the owner scanner's full reads (see OwnerScanner). */
export type FdSockets = (pid: number) => Float64Array;

/** The C fd reader for an OwnerScanner over `root`, when it can be used there (same rules as tcpDumpFor). */
export function fdSocketsFor(root: string, wanted = true): FdSockets | undefined {
  if (!wanted || !isLiveRoot(root)) return undefined;
  const binding = nativeBinding();
  if (!binding || typeof binding.fdSockets !== 'function') return undefined;
  const proc = resolve(root, 'proc');
  return (pid) => binding.fdSockets(`${proc}/${pid}/fd`);
}

/**
 * The UNIX_DIAG dump for a Collector reading `root`: only on the live host. Not tied to `--no-netlink`,
 * which is about where TCP rows come from: this is a check that /proc/net/unix's rows are real sockets.
 */
export function unixDumpFor(root: string): (() => ArrayBuffer) | undefined {
  if (!isLiveRoot(root)) return undefined;
  const binding = nativeBinding();
  if (!binding || typeof binding.unixSockets !== 'function' || binding.unixRecordWords !== 4)
    return undefined;
  return () => binding.unixSockets!();
}

// The only module that touches the host filesystem for /proc and /sys.
// Every path is relative to a host root ('/' by default, `--root DIR` or a fixture tree in tests),
// in the manner of prometheus/procfs' NewFS(mountPoint).
//
// Reads are synchronous on purpose: /proc files are generated in memory by the kernel, a sync read
// costs a few microseconds, while the promise machinery around an async read costs more than the read
// itself when we do thousands of them (fd links) per tick.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Largest single read(2); see readBytes. */
const READ_CHUNK = 1024 * 1024;

/** Largest piece of text readPieces decodes into one string. */
const PIECE = 64 * 1024;

/**
 * Read caps, in bytes: what one read may cost, whatever the file holds (a --root tree can put a 10 MB line,
 * a symlink to /dev/zero or a FIFO anywhere). /proc files report size 0, so a cap is the only bound there is.
 * A file longer than its cap is read up to the cap, cut back to the last line end, and flagged (`lastCut`).
 */
export const READ_LIMITS = {
  /** Socket, route and conntrack tables: ~440,000 TCP lines or ~1,000,000 unbound unix lines. */
  table: 64 * 1024 * 1024,
  /** Anything else without a cap of its own: name files (etc/passwd, hosts, services), /proc/net/dev, igmp. */
  file: 16 * 1024 * 1024,
  /** Counter files (snmp, netstat, snmp6, sockstat): a few KiB on any kernel. */
  counters: 1024 * 1024,
  /** proc/PID/cmdline: the model keeps 4 KiB of it (src/model/bounds.ts); this is enough to tell padding. */
  cmdline: 64 * 1024,
  /** proc/PID/status. */
  status: 64 * 1024,
  /** One-value files: proc/PID/comm, sysctl values, sys/class/net attributes. */
  value: 4 * 1024,
} as const;

/**
 * Entries a directory listing returns at most under a --root tree (a captured tree may be any size; the live
 * host's /proc lists what the kernel has). Beyond it the listing stops, and `lastCut` says so.
 */
export const DIR_ENTRIES_MAX = 65_536;

/**
 * open(2)'s O_PATH on Linux (x86, arm, arm64, riscv, ppc, s390, mips; not exported by node:fs): a handle on
 * a path that opens nothing, so a FIFO does not block and a device's driver is never called.
 */
const O_PATH = 0o10000000;
const { O_RDONLY, O_NONBLOCK, O_NOCTTY } = fs.constants;
/** FIFOs must not block the open; a terminal must not become our controlling tty. Regular files ignore both. */
const OPEN_FLAGS = O_RDONLY | O_NONBLOCK | O_NOCTTY;

/** A file netwatch refuses to read: not a regular file, or outside the host root. */
export class UnsafeFileError extends Error {
  readonly code = 'EUNSAFE';
}

function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export class HostReader {
  /** Absolute host root, without trailing slash (except '/'). */
  readonly root: string;
  /**
   * True for the live host ('/'): the kernel's /proc and root's /etc are trusted not to move under us. Any
   * other root is untrusted: every path is resolved and checked to stay beneath it (see openChecked).
   */
  readonly live: boolean;
  /** True when the last read (readText, readPieces, readDir) stopped at its cap. */
  lastCut = false;
  /** root with a trailing slash, so path() is a concatenation: path.join showed up in profiles at ~1 µs a call,
   * and the owner scan builds tens of thousands of fd paths per tick. */
  private readonly prefix: string;
  /** The root with every symlink resolved, with a trailing slash: what a resolved path must start with. */
  private readonly realPrefix: string;
  /** Reused by readText; grows to the largest file read. */
  private buffer = Buffer.allocUnsafe(256 * 1024);
  /** The last directory readLink checked (rel → real path), so following a whole fd table checks it once. */
  private linkDir = { rel: '', real: '' };

  constructor(root = '/') {
    this.root = path.resolve(root);
    this.prefix = this.root.endsWith('/') ? this.root : `${this.root}/`;
    let real = this.root;
    try {
      real = fs.realpathSync.native(this.root);
    } catch {
      // A root that does not exist: hasProc() says so, and every read finds nothing.
    }
    this.live = real === '/';
    this.realPrefix = real.endsWith('/') ? real : `${real}/`;
  }

  /** Absolute path of `rel` (e.g. 'proc/net/tcp', no leading slash) under the root. */
  path(rel: string): string {
    return this.prefix + (rel.charCodeAt(0) === 47 ? rel.slice(1) : rel);
  }

  /**
   * File text, at most `limit` bytes of it (see READ_LIMITS and `lastCut`); undefined when the file does not
   * exist (no IPv6, no conntrack, process gone). A file that is not a regular one, or that resolves outside
   * an untrusted root, throws UnsafeFileError; other errors throw as they are. A cut file is cut back to its
   * last line end, or with `wholeLines` false (a command line) to the last whole UTF-8 character.
   */
  readText(rel: string, limit: number = READ_LIMITS.file, wholeLines = true): string | undefined {
    const length = this.readBytes(rel, limit, wholeLines);
    return length === undefined ? undefined : this.buffer.toString('utf8', 0, length);
  }

  /**
   * File text in pieces of at most 64 KiB cut at line ends, or undefined like readText. For the socket
   * tables, megabytes a tick at 20,000 sockets: decoded whole, the text is a large object (an external
   * string past about 1 MB) that V8 promotes to the old generation if a scavenge runs while it is being
   * parsed, and frees only at the next mark-compact; the live view's RSS climbed by megabytes a second
   * between them. Pieces are ordinary young strings. A line longer than a piece is kept whole.
   */
  readPieces(rel: string, limit: number = READ_LIMITS.table): string[] | undefined {
    const length = this.readBytes(rel, limit, true);
    if (length === undefined) return undefined;
    const buffer = this.buffer;
    const pieces: string[] = [];
    let start = 0;
    while (start < length) {
      let end = Math.min(length, start + PIECE);
      if (end < length) {
        const newline = buffer.lastIndexOf(10, end - 1);
        // Cut after the last line end in reach (a UTF-8 character boundary); a longer line stays whole.
        end = newline >= start ? newline + 1 : Math.max(end, buffer.indexOf(10, end) + 1 || length);
        if (end > length) end = length;
      }
      pieces.push(buffer.toString('utf8', start, end));
      start = end;
    }
    return pieces;
  }

  /**
   * Opens `rel` for reading if it is a regular file beneath the root: an fd, or undefined when it does not
   * exist. On the live host a plain non-blocking open and an fstat. Under an untrusted root the path is first
   * opened with O_PATH (which follows symlinks but opens nothing: no FIFO blocks, no device driver runs),
   * the kernel says where that really is (/proc/self/fd/N), and only a regular file beneath the root is then
   * opened for reading, through that same handle, so nothing can be swapped in between.
   */
  private openChecked(rel: string): number | undefined {
    const abs = this.path(rel);
    if (this.live) {
      let fd: number;
      try {
        fd = fs.openSync(abs, OPEN_FLAGS);
      } catch (err) {
        if (isGone(err)) return undefined;
        throw err;
      }
      let st: fs.Stats;
      try {
        st = fs.fstatSync(fd);
      } catch (err) {
        fs.closeSync(fd);
        throw err;
      }
      if (st.isFile()) return fd;
      fs.closeSync(fd);
      throw new UnsafeFileError(`${fileKind(st)}, not a regular file`);
    }
    let handle: number;
    try {
      handle = fs.openSync(abs, O_PATH);
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
    try {
      const magic = `/proc/self/fd/${handle}`;
      const st = fs.fstatSync(handle);
      let real: string;
      try {
        real = fs.readlinkSync(magic);
      } catch (err) {
        // No /proc/self of our own (/proc not mounted, or another tree mounted over it).
        if (isGone(err)) return this.openWithoutMagic(abs, st);
        throw err;
      }
      if (!this.beneath(real)) throw new UnsafeFileError('resolves outside the root');
      if (!st.isFile()) throw new UnsafeFileError(`${fileKind(st)}, not a regular file`);
      return fs.openSync(magic, OPEN_FLAGS);
    } finally {
      fs.closeSync(handle);
    }
  }

  /**
   * The same checks where /proc/self/fd is missing: the real path must lie beneath the root and the O_PATH
   * handle's file (`st`) must be a regular file; the path is then opened non-blocking and must still be that
   * very file (device and inode), or it is refused as changed.
   */
  private openWithoutMagic(abs: string, st: fs.Stats): number {
    if (!this.beneath(fs.realpathSync.native(abs))) throw new UnsafeFileError('resolves outside the root');
    if (!st.isFile()) throw new UnsafeFileError(`${fileKind(st)}, not a regular file`);
    const fd = fs.openSync(abs, OPEN_FLAGS);
    try {
      const now = fs.fstatSync(fd);
      if (now.dev === st.dev && now.ino === st.ino) return fd;
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    fs.closeSync(fd);
    throw new UnsafeFileError('changed while it was opened');
  }

  /** True when a resolved absolute path is the root or below it. */
  private beneath(real: string): boolean {
    return real.startsWith(this.realPrefix) || `${real}/` === this.realPrefix;
  }

  /** The real path of a directory (or anything) under an untrusted root, checked to stay beneath it. */
  private resolveBeneath(rel: string): string {
    const real = fs.realpathSync.native(this.path(rel));
    if (!this.beneath(real)) throw new UnsafeFileError('resolves outside the root');
    return real;
  }

  /**
   * Reads at most `limit` bytes of a file into the shared buffer: the length kept, or undefined when the file
   * does not exist. Sets `lastCut` when the file holds more, and then cuts back as readText says.
   */
  private readBytes(rel: string, limit: number, wholeLines: boolean): number | undefined {
    this.lastCut = false;
    let fd: number | undefined;
    try {
      fd = this.openChecked(rel);
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
    if (fd === undefined) return undefined;
    try {
      // /proc files report size 0, so readFileSync reads them in chunks into fresh buffers and concatenates:
      // megabytes of short-lived native memory per tick at 20,000 sockets, which the allocator keeps. One
      // buffer, grown when a file outgrows it and reused by every read, keeps the live view's RSS flat.
      // One byte past the limit is asked for, to tell "exactly the limit" from "more".
      const want = limit + 1;
      let length = 0;
      while (length < want) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(Math.min(this.buffer.length * 2, want));
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        // At most READ_CHUNK per call: sysctl files (proc/sys/...) allocate a kernel buffer as large as the
        // request and fail with ENOMEM for a multi-megabyte one, which the grown buffer would ask for.
        const chunk = Math.min(READ_CHUNK, this.buffer.length - length, want - length);
        const n = fs.readSync(fd, this.buffer, length, chunk, null);
        if (n === 0) break;
        length += n;
      }
      if (length <= limit) return length;
      this.lastCut = true;
      return wholeLines ? cutToLine(this.buffer, limit) : cutToCharacter(this.buffer, limit);
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Directory entries; throws (EACCES, ENOENT...) so callers can tell "gone" from "forbidden". Under an
   * untrusted root the directory must resolve beneath it, and at most DIR_ENTRIES_MAX entries are returned.
   */
  readDir(rel: string): string[] {
    this.lastCut = false;
    if (this.live) return fs.readdirSync(this.path(rel));
    const dir = fs.opendirSync(this.resolveBeneath(rel));
    const names: string[] = [];
    try {
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
        if (names.length === DIR_ENTRIES_MAX) {
          this.lastCut = true;
          break;
        }
        names.push(entry.name);
      }
    } finally {
      dir.closeSync();
    }
    return names;
  }

  /**
   * Symlink target (never followed: proc/PID/fd/N points outside the root by design); throws like readDir.
   * Under an untrusted root the directory holding the link must resolve beneath the root.
   */
  readLink(rel: string): string {
    if (this.live) return fs.readlinkSync(this.path(rel), 'utf8');
    const slash = rel.lastIndexOf('/');
    const dirRel = slash < 0 ? '' : rel.slice(0, slash);
    if (this.linkDir.rel !== dirRel || dirRel === '') {
      this.linkDir = { rel: dirRel, real: this.resolveBeneath(dirRel) };
    }
    return fs.readlinkSync(`${this.linkDir.real}/${rel.slice(slash + 1)}`, 'utf8');
  }

  /** Owner uid of a path, or undefined when it is gone. */
  statUid(rel: string): number | undefined {
    try {
      return fs.statSync(this.live ? this.path(rel) : this.resolveBeneath(rel)).uid;
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
  }

  /** True when the root looks like a host root (has a proc directory beneath it). */
  hasProc(): boolean {
    try {
      return fs.statSync(this.live ? this.path('proc') : this.resolveBeneath('proc')).isDirectory();
    } catch {
      return false;
    }
  }
}

/** Length of `buffer[0, limit)` cut back after its last line end (or to a character when it has none). */
function cutToLine(buffer: Buffer, limit: number): number {
  const newline = buffer.lastIndexOf(10, limit - 1);
  return newline >= 0 ? newline + 1 : cutToCharacter(buffer, limit);
}

/** Length of `buffer[0, limit)` without a UTF-8 sequence that the limit cut in two. */
function cutToCharacter(buffer: Buffer, limit: number): number {
  let start = limit;
  // Back over at most 3 continuation bytes (10xxxxxx) to the byte that starts the last character.
  while (start > 0 && limit - start < 3 && (buffer[start - 1]! & 0xc0) === 0x80) start--;
  if (start === 0) return limit;
  const lead = buffer[start - 1]!;
  const needs = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return limit - (start - 1) < needs ? start - 1 : limit;
}

/** ENOENT / ESRCH / ENOTDIR: the thing is not there (or its process exited while we looked). */
export function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR';
}

/** A file refused by openChecked: not a regular file, or outside an untrusted root. */
export function isUnsafe(err: unknown): boolean {
  return err instanceof UnsafeFileError;
}

/** EACCES / EPERM: it exists but we may not read it (not root). */
export function isForbidden(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

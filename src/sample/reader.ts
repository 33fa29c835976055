// The only module that touches the host filesystem for /proc and /sys.
// Every path is relative to a host root ('/' by default, `--root DIR` or a fixture tree in tests),
// in the manner of prometheus/procfs' NewFS(mountPoint).
//
// Reads are synchronous on purpose: /proc files are generated in memory by the kernel, a sync read
// costs a few microseconds, while the promise machinery around an async read costs more than the read
// itself when we do thousands of them (fd links) per tick.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Largest single read(2); see readText. */
const READ_CHUNK = 1024 * 1024;

/** Largest piece of text readPieces decodes into one string. */
const PIECE = 64 * 1024;

export class HostReader {
  /** Absolute host root, without trailing slash (except '/'). */
  readonly root: string;
  /** root with a trailing slash, so path() is a concatenation: path.join showed up in profiles at ~1 µs a call,
   * and the owner scan builds tens of thousands of fd paths per tick. */
  private readonly prefix: string;
  /** Reused by readText; grows to the largest file read. */
  private buffer = Buffer.allocUnsafe(256 * 1024);

  constructor(root = '/') {
    this.root = path.resolve(root);
    this.prefix = this.root.endsWith('/') ? this.root : `${this.root}/`;
  }

  /** Absolute path of `rel` (e.g. 'proc/net/tcp', no leading slash) under the root. */
  path(rel: string): string {
    return this.prefix + (rel.charCodeAt(0) === 47 ? rel.slice(1) : rel);
  }

  /** File text, or undefined when the file does not exist (no IPv6, no conntrack, process gone). Other errors throw. */
  readText(rel: string): string | undefined {
    const length = this.readBytes(rel);
    return length === undefined ? undefined : this.buffer.toString('utf8', 0, length);
  }

  /**
   * File text in pieces of at most 64 KiB cut at line ends, or undefined like readText. For the socket
   * tables, megabytes a tick at 20,000 sockets: decoded whole, the text is a large object (an external
   * string past about 1 MB) that V8 promotes to the old generation if a scavenge runs while it is being
   * parsed, and frees only at the next mark-compact; the live view's RSS climbed by megabytes a second
   * between them. Pieces are ordinary young strings. A line longer than a piece is kept whole.
   */
  readPieces(rel: string): string[] | undefined {
    const length = this.readBytes(rel);
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
      }
      pieces.push(buffer.toString('utf8', start, end));
      start = end;
    }
    return pieces;
  }

  /** Reads a whole file into the shared buffer: its length, or undefined when the file does not exist. */
  private readBytes(rel: string): number | undefined {
    let fd: number;
    try {
      fd = fs.openSync(this.path(rel), 'r');
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
    try {
      // /proc files report size 0, so readFileSync reads them in chunks into fresh buffers and concatenates:
      // megabytes of short-lived native memory per tick at 20,000 sockets, which the allocator keeps. One
      // buffer, grown when a file outgrows it and reused by every read, keeps the live view's RSS flat.
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        // At most READ_CHUNK per call: sysctl files (proc/sys/...) allocate a kernel buffer as large as the
        // request and fail with ENOMEM for a multi-megabyte one, which the grown buffer would ask for.
        const want = Math.min(READ_CHUNK, this.buffer.length - length);
        const n = fs.readSync(fd, this.buffer, length, want, null);
        if (n === 0) break;
        length += n;
      }
      return length;
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Directory entries; throws (EACCES, ENOENT...) so callers can tell "gone" from "forbidden". */
  readDir(rel: string): string[] {
    return fs.readdirSync(this.path(rel));
  }

  /** Symlink target; throws like readDir. */
  readLink(rel: string): string {
    return fs.readlinkSync(this.path(rel), 'utf8');
  }

  /** Owner uid of a path, or undefined when it is gone. */
  statUid(rel: string): number | undefined {
    try {
      return fs.statSync(this.path(rel)).uid;
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
  }

  /** True when the root looks like a host root (has a proc directory). */
  hasProc(): boolean {
    try {
      return fs.statSync(this.path('proc')).isDirectory();
    } catch {
      return false;
    }
  }
}

/** ENOENT / ESRCH / ENOTDIR: the thing is not there (or its process exited while we looked). */
export function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR';
}

/** EACCES / EPERM: it exists but we may not read it (not root). */
export function isForbidden(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

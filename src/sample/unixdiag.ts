// /proc/net/unix's rows checked against the kernel's own list of unix sockets (netlink UNIX_DIAG, through
// the native helper). /proc prints a socket's name byte for byte, newlines included, so any user can bind
// an abstract name that holds "\n" and a well-formed line, and every reader of that file sees a socket that
// does not exist (issue 16: an invented LISTENING /run/fake-sshd.sock, a false "listener down" on demand).
// UNIX_DIAG sends each name with its real length. /proc stays the source of the rows (netstat's columns,
// refcount and St, which UNIX_DIAG does not carry); the dump decides which rows are real and what their
// names are:
//   - a row whose inode the kernel did not list is dropped (a forged line, or a socket opened between the
//     two reads, which the next sample shows);
//   - a row whose type or listening flag disagrees with the kernel's is dropped (a forged line that
//     borrowed a real inode);
//   - each inode is kept once;
//   - the name is the kernel's, so a path with a newline keeps its tail.
import { capName } from '../model/bounds.js';
import type { UnixSocket, UnixType } from '../model/types.js';
import { UNIX_ACCEPTCON } from '../proc/unix.js';

/** Words per record of the helper's unixSockets(): inode, type, sk_state, name length. */
export const UNIX_RECORD_WORDS = 4;

const TCP_LISTEN = 10;

/** sk_type numbers, as /proc/net/unix prints them in its Type column. */
const TYPE_CODE: Readonly<Record<UnixType, number>> = {
  STREAM: 1,
  DGRAM: 2,
  RAW: 3,
  RDM: 4,
  SEQPACKET: 5,
  UNKNOWN: -1,
};

export interface CheckedUnix {
  readonly rows: readonly UnixSocket[];
  /** Rows of /proc that the kernel's list does not have. */
  readonly dropped: number;
}

export class UnixDiagCheck {
  /** inode → the name last decoded for it, and its length in bytes: a socket's name never changes once bound. */
  private names = new Map<number, { len: number; name: string }>();
  /** A /proc row → the row with the kernel's name, so an unchanged row stays the same object across samples. */
  private corrected = new WeakMap<UnixSocket, UnixSocket>();

  /** The rows of /proc that are real sockets, with the kernel's names. `dump` is unixSockets()'s buffer. */
  check(rows: readonly UnixSocket[], dump: ArrayBuffer): CheckedUnix {
    const count = dump.byteLength >= 4 ? new Uint32Array(dump, 0, 1)[0]! : 0;
    const headerBytes = 4 + count * UNIX_RECORD_WORDS * 4;
    if (dump.byteLength < headerBytes) throw new Error('unix_diag dump: truncated records');
    const recs = new Uint32Array(dump, 4, count * UNIX_RECORD_WORDS);
    const bytes = Buffer.from(dump);
    const nameAt = new Uint32Array(count);
    let offset = headerBytes;
    for (let i = 0; i < count; i++) {
      nameAt[i] = offset;
      offset += recs[i * UNIX_RECORD_WORDS + 3]!;
    }
    if (offset > dump.byteLength) throw new Error('unix_diag dump: truncated names');

    // /proc/net/unix and the dump walk the same hash table in the same order, so the next record is almost
    // always the row's: an index by inode is built only when one is not (a socket came or went between).
    let index: Map<number, number> | undefined;
    let next = 0;
    const seen = new Uint8Array(count);
    const out: UnixSocket[] = [];
    let dropped = 0;
    for (const row of rows) {
      let i: number | undefined;
      if (next < count && recs[next * UNIX_RECORD_WORDS] === row.inode) i = next++;
      else {
        if (index === undefined) {
          index = new Map();
          for (let k = 0; k < count; k++) index.set(recs[k * UNIX_RECORD_WORDS]!, k);
        }
        i = index.get(row.inode);
        if (i !== undefined) next = i + 1;
      }
      if (i === undefined || seen[i] === 1) {
        dropped++;
        continue;
      }
      const w = i * UNIX_RECORD_WORDS;
      const listening = recs[w + 2] === TCP_LISTEN;
      if (TYPE_CODE[row.type] !== recs[w + 1] || ((row.flags & UNIX_ACCEPTCON) !== 0) !== listening) {
        dropped++;
        continue;
      }
      seen[i] = 1;
      const name = this.nameOf(row.inode, bytes, nameAt[i]!, recs[w + 3]!);
      if (row.path === name) {
        out.push(row);
        continue;
      }
      const before = this.corrected.get(row);
      if (before !== undefined && before.path === name) {
        out.push(before);
        continue;
      }
      const fixed = { ...row, path: name };
      this.corrected.set(row, fixed);
      out.push(fixed);
    }
    // Forget the names of sockets that closed, now and then rather than every sample.
    if (this.names.size > 2 * count + 1024) {
      const live = new Map<number, { len: number; name: string }>();
      for (let k = 0; k < count; k++) {
        const inode = recs[k * UNIX_RECORD_WORDS]!;
        const entry = this.names.get(inode);
        if (entry !== undefined) live.set(inode, entry);
      }
      this.names = live;
    }
    return { rows: out, dropped };
  }

  private nameOf(inode: number, bytes: Buffer, at: number, len: number): string {
    if (len === 0) return '';
    const known = this.names.get(inode);
    if (known !== undefined && known.len === len) return known.name;
    const name = capName(bytes.toString('utf8', at, at + len));
    this.names.set(inode, { len, name });
    return name;
  }
}

// /proc/net/unix. The kernel (net/unix/af_unix.c) prints, after the header
//   Num       RefCount Protocol Flags    Type St Inode Path
// one line per socket: "%pK: %08X %08X %08X %04X %02X %5lu", then, only for bound sockets, one space and
// the name byte for byte (abstract names with their leading NUL shown as '@'). So the path is everything
// after the single space that follows the inode, spaces included; it is never trimmed.
// Like inet.ts this runs every tick over thousands of lines: offsets and char codes, no regex, no split().

import { capName } from '../model/bounds.js';
import type { Parsed, UnixSocket, UnixState, UnixType } from '../model/types.js';
import { RowDeduper } from './dedupe.js';
import { readDecimal, readHex } from './inet.js';

/** __SO_ACCEPTCON: set on listening sockets (netstat's ACC). */
export const UNIX_ACCEPTCON = 0x10000;

const TYPES: readonly UnixType[] = ['UNKNOWN', 'STREAM', 'DGRAM', 'RAW', 'RDM', 'SEQPACKET'];

/** netstat's State column: a listening socket is unconnected with ACC set; a plain unconnected one is blank. */
export function unixStateName(flags: number, st: number): UnixState {
  switch (st) {
    case 0:
      return 'FREE';
    case 1:
      return flags & UNIX_ACCEPTCON ? 'LISTENING' : '';
    case 2:
      return 'CONNECTING';
    case 3:
      return 'CONNECTED';
    case 4:
      return 'DISCONNECTING';
    default:
      return 'UNKNOWN';
  }
}

const FIELDS = 7; // pointer refcount protocol flags type st inode; the path is not a field
const tokStart = new Int32Array(FIELDS);
const tokEnd = new Int32Array(FIELDS);

/**
 * Longest name the kernel prints: sun_path is 108 bytes (an abstract name's leading NUL shown as '@'). A name
 * may hold '\n', which the kernel prints raw, so the lines after a bound socket's line may be the rest of its
 * name; never more than this many characters of it (a character is at least one byte).
 */
export const UNIX_NAME_MAX = 108;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Index after `n` hex digits and one space at text[i], or -1. */
function hexThenSpace(text: string, i: number, n: number, to: number): number {
  if (i + n >= to) return -1;
  for (let k = 0; k < n; k++) if (!isHex(text.charCodeAt(i + k))) return -1;
  return text.charCodeAt(i + n) === 32 ? i + n + 1 : -1;
}

/**
 * Where the inode ends if text[from, to) is laid out exactly as the kernel prints a socket
 * ("%pK: %08X %08X %08X %04X %02X %5lu", then nothing or one space and the name), else -1. Only the inode's
 * padding is lenient (hand-made fixtures write "1002" for the kernel's " 1002"). A line that does not fit
 * cannot start a socket: it is the tail of the previous socket's name, or malformed.
 */
function recordHead(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && i - from < 16 && isHex(text.charCodeAt(i))) i++;
  if (i === from || i + 1 >= to || text.charCodeAt(i) !== 58 || text.charCodeAt(i + 1) !== 32) return -1;
  i += 2;
  i = hexThenSpace(text, i, 8, to); // refcount
  if (i >= 0) i = hexThenSpace(text, i, 8, to); // protocol
  if (i >= 0) i = hexThenSpace(text, i, 8, to); // flags
  if (i >= 0) i = hexThenSpace(text, i, 4, to); // type
  if (i >= 0) i = hexThenSpace(text, i, 2, to); // st
  if (i < 0) return -1;
  const padEnd = Math.min(to, i + 4);
  while (i < padEnd && text.charCodeAt(i) === 32) i++;
  const digits = i;
  while (i < to && i - digits < 20) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i === digits) return -1;
  return i === to || text.charCodeAt(i) === 32 ? i : -1;
}

/**
 * One record text[from, to) → socket; `to` may lie past line ends when the name holds '\n'. The layout was
 * checked by recordHead; the path is everything after the one space that follows the inode.
 */
function parseRecord(text: string, from: number, to: number): UnixSocket | undefined {
  let i = from;
  for (let n = 0; n < FIELDS; n++) {
    while (i < to && text.charCodeAt(i) === 32) i++;
    tokStart[n] = i;
    while (i < to && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 10) i++;
    tokEnd[n] = i;
  }
  const refcount = readHex(text, tokStart[1]!, tokEnd[1]!);
  const protocol = readHex(text, tokStart[2]!, tokEnd[2]!);
  const flags = readHex(text, tokStart[3]!, tokEnd[3]!);
  const typeCode = readHex(text, tokStart[4]!, tokEnd[4]!);
  const stateCode = readHex(text, tokStart[5]!, tokEnd[5]!);
  const inode = readDecimal(text, tokStart[6]!, tokEnd[6]!);
  if (refcount < 0 || protocol < 0 || flags < 0 || typeCode < 0 || stateCode < 0) return undefined;
  if (Number.isNaN(inode) || inode < 0) return undefined;
  // i is where the inode ends: at the record end (unbound) or at the one space before the name.
  const path = i < to ? capName(text.substring(i + 1, to)) : '';
  return {
    kind: 'unix',
    proto: 'unix',
    refcount,
    flags,
    type: TYPES[typeCode] ?? 'UNKNOWN',
    state: unixStateName(flags, stateCode),
    stateCode,
    inode,
    path,
  };
}

function identity(s: UnixSocket): string {
  return `${s.inode} ${s.stateCode} ${s.flags} ${s.type} ${s.path}`;
}

/**
 * Parses /proc/net/unix text. The header is skipped; malformed lines are counted in `skipped`, never
 * thrown; rows repeated within the text (inode, state, flags, type and path all equal) are kept once.
 *
 * Every line is checked against the kernel's exact layout. A name may hold '\n' (the kernel prints it raw),
 * so a line that does not fit, right after a bound socket and within UNIX_NAME_MAX characters of that
 * name's start, is the rest of that name, not a malformed line: a path with a newline keeps its tail. The
 * one thing /proc cannot tell is a name whose tail is itself a well-formed line (an abstract name
 * "x\n0000000000000000: 00000002 ... /run/fake.sock" is two sockets here, as in any reader of this file);
 * on the live host the sampler checks every row against the kernel's own list (src/sample/unixdiag.ts).
 */
export function parseUnix(text: string, cache?: UnixLineCache): Parsed<UnixSocket> {
  const rows: UnixSocket[] = [];
  let skipped = 0;
  const dedupe = new RowDeduper(identity);
  const length = text.length;
  // The record being read: text[recFrom, recTo), its first line ending at lineTo, its name starting at
  // nameFrom (-1: unbound, so no line can continue it); with a cache, its first line and that line's row.
  let recFrom = -1;
  let recTo = -1;
  let lineTo = -1;
  let nameFrom = -1;
  let recLine: string | undefined;
  let recKnown: UnixSocket | undefined;
  const finish = () => {
    if (recFrom < 0) return;
    const key = recTo === lineTo ? recLine : cache ? text.slice(recFrom, recTo) : undefined;
    const known = recTo === lineTo ? recKnown : key === undefined ? undefined : cache!.take(key);
    const row = known ?? parseRecord(text, recFrom, recTo);
    recFrom = -1;
    if (row === undefined) {
      skipped++;
      return;
    }
    if (key !== undefined) cache!.keep(key, row);
    if (dedupe.add(row)) rows.push(row);
  };
  let lineStart = 0;
  let first = true;
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = length;
    const from = lineStart;
    lineStart = lineEnd + 1;
    if (first) {
      let k = from;
      while (k < lineEnd && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
      if (k === lineEnd) continue;
      first = false;
      // Pointers are hex and may start with a letter, so look for the header word itself.
      if (text.startsWith('Num ', k)) continue;
    }
    // A line of the last read that was a whole record has its row already: no layout check needed.
    const line = cache ? text.slice(from, lineEnd) : undefined;
    const known = line === undefined ? undefined : cache!.take(line);
    const head = known !== undefined ? 0 : recordHead(text, from, lineEnd);
    if (head >= 0) {
      finish();
      recFrom = from;
      recTo = lineEnd;
      lineTo = lineEnd;
      recLine = line;
      recKnown = known;
      if (known !== undefined) nameFrom = known.path === '' ? -1 : lineEnd - known.path.length;
      else nameFrom = head < lineEnd ? head + 1 : -1;
      continue;
    }
    if (recFrom >= 0 && nameFrom >= 0 && lineEnd - nameFrom <= UNIX_NAME_MAX) {
      recTo = lineEnd; // the rest of the previous socket's name
      continue;
    }
    finish();
    nameFrom = -1;
    let k = from;
    while (k < lineEnd && isBlankCode(text.charCodeAt(k))) k++;
    if (k < lineEnd) skipped++;
  }
  finish();
  cache?.turn();
  return { rows, skipped };
}

function isBlankCode(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/**
 * The previous read's rows by line text, so that an unchanged line gives back the same row object, as
 * InetLineCache does for the inet tables: a tick whose unix sockets did not change then changes nothing
 * the view has to rebuild. Lines are kept as copies, never as slices that would hold the read's text.
 */
export class UnixLineCache {
  private prev = new Map<string, UnixSocket>();
  private next = new Map<string, UnixSocket>();

  take(line: string): UnixSocket | undefined {
    return this.prev.get(line);
  }

  keep(line: string, row: UnixSocket): void {
    if (!this.next.has(line)) this.next.set(` ${line}`.slice(1), row);
  }

  turn(): void {
    this.prev = this.next;
    this.next = new Map();
  }
}

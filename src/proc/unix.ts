// /proc/net/unix. The kernel (net/unix/af_unix.c) prints, after the header
//   Num       RefCount Protocol Flags    Type St Inode Path
// one line per socket: "%pK: %08X %08X %08X %04X %02X %5lu", then, only for bound sockets, one space and
// the name byte for byte (abstract names with their leading NUL shown as '@'). So the path is everything
// after the single space that follows the inode, spaces included; it is never trimmed.
// Like inet.ts this runs every tick over thousands of lines: offsets and char codes, no regex, no split().

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

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/** One data line text[from, to) → socket, or undefined when malformed. */
function parseLine(text: string, from: number, to: number): UnixSocket | undefined {
  let i = from;
  for (let n = 0; n < FIELDS; n++) {
    while (i < to && isBlank(text.charCodeAt(i))) i++;
    if (i >= to) return undefined;
    tokStart[n] = i;
    while (i < to && !isBlank(text.charCodeAt(i))) i++;
    tokEnd[n] = i;
  }
  // The pointer is hashed or zeroed by %pK; we only check it is one token ending in ':'.
  if (text.charCodeAt(tokEnd[0]! - 1) !== 58) return undefined;
  const refcount = readHex(text, tokStart[1]!, tokEnd[1]!);
  const protocol = readHex(text, tokStart[2]!, tokEnd[2]!);
  const flags = readHex(text, tokStart[3]!, tokEnd[3]!);
  const typeCode = readHex(text, tokStart[4]!, tokEnd[4]!);
  const stateCode = readHex(text, tokStart[5]!, tokEnd[5]!);
  const inode = readDecimal(text, tokStart[6]!, tokEnd[6]!);
  if (refcount < 0 || protocol < 0 || flags < 0 || typeCode < 0 || stateCode < 0) return undefined;
  if (Number.isNaN(inode) || inode < 0) return undefined;
  // i is where the inode ends: at the line end (unbound) or at the one space before the name.
  const path = i < to ? text.substring(i + 1, to) : '';
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
 * A name containing '\n' cannot be told apart from a line break: its tail is then counted as skipped.
 */
export function parseUnix(text: string, cache?: UnixLineCache): Parsed<UnixSocket> {
  const rows: UnixSocket[] = [];
  let skipped = 0;
  const dedupe = new RowDeduper(identity);
  const length = text.length;
  let lineStart = 0;
  let first = true;
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = length;
    const from = lineStart;
    lineStart = lineEnd + 1;
    let k = from;
    while (k < lineEnd && isBlank(text.charCodeAt(k))) k++;
    if (k === lineEnd) continue;
    if (first) {
      first = false;
      // Pointers are hex and may start with a letter, so look for the header word itself.
      if (text.startsWith('Num ', k)) continue;
    }
    const line = cache ? text.slice(from, lineEnd) : undefined;
    const row = (line === undefined ? undefined : cache!.take(line)) ?? parseLine(text, from, lineEnd);
    if (row === undefined) {
      skipped++;
      continue;
    }
    if (line !== undefined) cache!.keep(line, row);
    if (dedupe.add(row)) rows.push(row);
  }
  cache?.turn();
  return { rows, skipped };
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

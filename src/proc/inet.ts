// /proc/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6}: one parser, the protocol passed by the caller.
//
// What the kernel prints (net/ipv4/tcp_ipv4.c, udp.c, raw.c and the ipv6 twins), after a header line:
//   full TCP socket (17 fields): sl local rem st tx:rx tr:tm retrnsmt uid timeout inode refcnt pointer
//                                rto ato qack cwnd ssthresh
//   TIME_WAIT / SYN_RECV request socket (12 fields): ... inode(0) refcnt pointer
//   UDP, UDP-Lite, raw (13 fields): ... inode refcnt pointer drops
//
// This runs every tick over tens of thousands of lines, so it scans by offsets into the text: the line is
// split into token offsets held in two preallocated arrays, and numbers are read straight from char codes.
// No regular expressions, no split(), no per-row temporary arrays.

import {
  type Endpoint,
  type InetProto,
  type InetSocket,
  type Parsed,
  type SocketState,
  TCP_STATE_NAMES,
  type TcpTail,
} from '../model/types.js';
import { tryDecodeIPv4Hex, tryDecodeIPv6Hex } from './addr.js';
import { RowDeduper } from './dedupe.js';

const TCP_STATES: readonly SocketState[] = [
  'UNKNOWN',
  ...TCP_STATE_NAMES,
  // TCP_NEW_SYN_RECV: the kernel prints request sockets as SYN_RECV anyway; netstat's name either way.
  'SYN_RECV',
];

/** netstat's name for a state byte; UDP and raw sockets use TCP's numbers, with 07 meaning unconnected. */
export function inetStateName(proto: InetProto, code: number): SocketState {
  if (proto !== 'tcp' && proto !== 'tcp6') {
    if (code === 7) return 'UNCONN';
    if (code === 1) return 'ESTABLISHED';
  }
  return TCP_STATES[code] ?? 'UNKNOWN';
}

const FULL_TCP_FIELDS = 17;
const SHORT_TCP_FIELDS = 12;
const DATAGRAM_FIELDS = 13;
// One slot more than the longest valid row, so "too many fields" is seen without scanning the rest.
const MAX_TOKENS = FULL_TCP_FIELDS + 1;

// Scratch token offsets, reused for every line. Parsing is synchronous, so nothing else can touch them.
const tokStart = new Int32Array(MAX_TOKENS);
const tokEnd = new Int32Array(MAX_TOKENS);

const SPACE = 32;

/**
 * Fills tokStart/tokEnd for text[from, to); returns the token count, capped at MAX_TOKENS. The kernel
 * separates fields with spaces only; indexOf finds a token's end faster than a char-by-char loop.
 */
function tokenize(text: string, from: number, to: number): number {
  let n = 0;
  let i = from;
  while (n < MAX_TOKENS) {
    while (i < to && text.charCodeAt(i) === SPACE) i++;
    if (i >= to) break;
    tokStart[n] = i;
    const space = text.indexOf(' ', i);
    i = space < 0 || space > to ? to : space;
    tokEnd[n] = i;
    n++;
  }
  return n;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Unsigned hex text[start, end) of 1..8 digits, or -1. */
export function readHex(text: string, start: number, end: number): number {
  if (end <= start || end - start > 8) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = hexDigit(text.charCodeAt(i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Decimal text[start, end), optionally negative; NaN when malformed. */
export function readDecimal(text: string, start: number, end: number): number {
  let i = start;
  const negative = i < end && text.charCodeAt(i) === 45;
  if (negative) i++;
  if (i >= end || end - i > 20) return Number.NaN;
  let v = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return Number.NaN;
    v = v * 10 + (c - 48);
  }
  return negative ? -v : v;
}

const TWO_32 = 0x1_0000_0000;

/**
 * tm->when: a long printed with %08lX, so a negative (overdue) value shows as 16 hex digits of its two's
 * complement. Read it as signed 64-bit, into a plain number (exact for anything a timer can hold).
 * Returns NaN when malformed.
 */
function readTimer(text: string, start: number, end: number): number {
  const len = end - start;
  if (len <= 8) {
    const v = readHex(text, start, end);
    return v < 0 ? Number.NaN : v;
  }
  if (len > 16) return Number.NaN;
  const hi = readHex(text, start, end - 8);
  const lo = readHex(text, end - 8, end);
  if (hi < 0 || lo < 0) return Number.NaN;
  if (len === 16 && hi >= 0x8000_0000) return (hi - TWO_32) * TWO_32 + lo;
  return hi * TWO_32 + lo;
}

/** Position of the first ':' in text[start, end), or -1. */
function colonIn(text: string, start: number, end: number): number {
  const at = text.indexOf(':', start);
  return at >= 0 && at < end ? at : -1;
}

// Consecutive rows usually share their local (and on loopback, remote) address. Comparing in place with
// the previous row's hex skips the substring and the hashing of the cache lookup. Slot 0 local, 1 remote.
const lastHex = ['', ''];
const lastAddress = ['', ''];

/** 'HEXADDR:PORT' token → endpoint, or undefined when the address length does not fit the family. */
function readEndpoint(
  text: string,
  start: number,
  end: number,
  v6: boolean,
  slot: 0 | 1,
): Endpoint | undefined {
  const colon = colonIn(text, start, end);
  const len = colon - start;
  if (colon < 0 || len !== (v6 ? 32 : 8)) return undefined;
  const port = readHex(text, colon + 1, end);
  if (port < 0 || port > 0xffff) return undefined;
  const previous = lastHex[slot]!;
  if (previous.length === len && text.startsWith(previous, start)) {
    return { address: lastAddress[slot]!, port };
  }
  const hex = text.substring(start, colon);
  const address = v6 ? tryDecodeIPv6Hex(hex) : tryDecodeIPv4Hex(hex);
  if (address === undefined) return undefined;
  // Not the slice itself: it would keep this read's whole text alive until the address changes.
  lastHex[slot] = ownCopy(hex);
  lastAddress[slot] = address;
  return { address, port };
}

/** One data line → socket, or undefined when malformed. `n` tokens are already in tokStart/tokEnd. */
function parseRow(text: string, n: number, proto: InetProto, isTcp: boolean, v6: boolean) {
  if (isTcp ? n !== FULL_TCP_FIELDS && n !== SHORT_TCP_FIELDS : n !== DATAGRAM_FIELDS) return undefined;

  // sl: decimal slot number with its colon attached ("  12:"); checked only so garbage lines are refused.
  const slEnd = tokEnd[0]! - 1;
  if (text.charCodeAt(slEnd) !== 58 || Number.isNaN(readDecimal(text, tokStart[0]!, slEnd))) return undefined;

  const local = readEndpoint(text, tokStart[1]!, tokEnd[1]!, v6, 0);
  if (local === undefined) return undefined;
  const remote = readEndpoint(text, tokStart[2]!, tokEnd[2]!, v6, 1);
  if (remote === undefined) return undefined;

  const stateCode = readHex(text, tokStart[3]!, tokEnd[3]!);
  if (stateCode < 0) return undefined;

  const queues = colonIn(text, tokStart[4]!, tokEnd[4]!);
  if (queues < 0) return undefined;
  const sendQ = readHex(text, tokStart[4]!, queues);
  const recvQ = readHex(text, queues + 1, tokEnd[4]!);

  const timer = colonIn(text, tokStart[5]!, tokEnd[5]!);
  if (timer < 0) return undefined;
  const timerActive = readHex(text, tokStart[5]!, timer);
  const timerExpires = readTimer(text, timer + 1, tokEnd[5]!);

  const retransmits = readHex(text, tokStart[6]!, tokEnd[6]!);
  if (sendQ < 0 || recvQ < 0 || timerActive < 0 || retransmits < 0 || Number.isNaN(timerExpires)) {
    return undefined;
  }

  const uid = readDecimal(text, tokStart[7]!, tokEnd[7]!);
  const timeouts = readDecimal(text, tokStart[8]!, tokEnd[8]!);
  const inode = readDecimal(text, tokStart[9]!, tokEnd[9]!);
  const refcount = readDecimal(text, tokStart[10]!, tokEnd[10]!);
  // tokens[11] is the kernel pointer (hashed or zeroed): not ours to interpret.
  if (Number.isNaN(uid + timeouts + inode + refcount) || inode < 0) return undefined;

  const state = inetStateName(proto, stateCode);
  if (n === DATAGRAM_FIELDS) {
    const drops = readDecimal(text, tokStart[12]!, tokEnd[12]!);
    if (Number.isNaN(drops)) return undefined;
    const row: InetSocket = {
      kind: 'inet',
      proto,
      local,
      remote,
      state,
      stateCode,
      recvQ,
      sendQ,
      timerActive,
      timerExpires,
      retransmits,
      uid,
      timeouts,
      inode,
      refcount,
      drops,
    };
    return row;
  }
  if (n === SHORT_TCP_FIELDS) {
    const row: InetSocket = {
      kind: 'inet',
      proto,
      local,
      remote,
      state,
      stateCode,
      recvQ,
      sendQ,
      timerActive,
      timerExpires,
      retransmits,
      uid,
      timeouts,
      inode,
      refcount,
    };
    return row;
  }
  const rto = readDecimal(text, tokStart[12]!, tokEnd[12]!);
  const ato = readDecimal(text, tokStart[13]!, tokEnd[13]!);
  const qack = readDecimal(text, tokStart[14]!, tokEnd[14]!);
  const cwnd = readDecimal(text, tokStart[15]!, tokEnd[15]!);
  const ssthresh = readDecimal(text, tokStart[16]!, tokEnd[16]!);
  if (Number.isNaN(rto + ato + qack + cwnd + ssthresh)) return undefined;
  const tcp: TcpTail = { rto, ato, qack, cwnd, ssthresh };
  const row: InetSocket = {
    kind: 'inet',
    proto,
    local,
    remote,
    state,
    stateCode,
    recvQ,
    sendQ,
    timerActive,
    timerExpires,
    retransmits,
    uid,
    timeouts,
    inode,
    refcount,
    tcp,
  };
  return row;
}

function identity(s: InetSocket): string {
  return `${s.stateCode} ${s.local.address} ${s.local.port} ${s.remote.address} ${s.remote.port} ${s.inode}`;
}

/**
 * Rows from the previous read of the same table, found by the line text after the slot number. Between two
 * samples most lines are byte-for-byte the same (long-lived connections with no timer running), so a hit
 * skips the parse and, as important, returns the same immutable object: less garbage, and the diff and the
 * view can tell "unchanged" by identity. The slot number is left out because it is only the row's position,
 * which shifts whenever an earlier row goes away.
 *
 * The kernel prints a table in hash-bucket order, which is stable between reads, so the cache walks the
 * previous read in step with this one: a line is first compared with the line expected at that position
 * (and the one after, for a row that went away). A line whose endpoints-and-state prefix matches the expected
 * one but whose rest differs (a timer ticking, a queue) changed in place: it is parsed, and the walk goes on.
 * Only when the walk loses its place (several rows gone at once) is an index by prefix built, once per read.
 * A steady table therefore costs one string comparison per line and no hashing at all.
 *
 * The lines kept are never slices of the read's text: V8 keeps a whole string alive for any slice of it, so
 * keeping slices would hold each tick's megabytes of text into the next tick, long enough to be promoted to
 * the old generation and collected only by a full mark-compact (one every few seconds at 20,000 sockets).
 * A line found again keeps the string kept last time; a new or changed line is copied.
 */
export class InetLineCache {
  private prevLines: string[] = [];
  private prevRows: (InetSocket | undefined)[] = [];
  private nextLines: string[] = [];
  private nextRows: (InetSocket | undefined)[] = [];
  /** Position in the previous read where the next line is expected. */
  private at = 0;
  /** Prefix → position in the previous read; built only when the walk loses its place. */
  private index: Map<string, number> | undefined;
  /** The kept string of the line the last take() found, for keep(). */
  private found: string | undefined;

  /**
   * The row of `line` from the last read if that line was there unchanged, else undefined (new, changed, or
   * dropped last time as a repeat). `keyLength` is the length of its endpoints-and-state prefix.
   */
  take(line: string, keyLength: number): InetSocket | undefined {
    const lines = this.prevLines;
    const n = lines.length;
    const j = this.at;
    this.found = undefined;
    if (j < n) {
      const expected = lines[j]!;
      if (expected === line) {
        this.at = j + 1;
        this.found = expected;
        return this.prevRows[j];
      }
      if (j + 1 < n && lines[j + 1] === line) {
        this.at = j + 2;
        this.found = lines[j + 1];
        return this.prevRows[j + 1];
      }
      if (samePrefix(expected, line, keyLength)) {
        this.at = j + 1;
        return undefined;
      }
    }
    // Lost our place: a new row, or several rows gone. The index says which.
    this.index ??= indexByPrefix(lines, keyLength);
    const p = this.index.get(line.slice(0, keyLength));
    if (p === undefined) return undefined; // a new row: the walk stays where it was
    this.at = p + 1;
    if (lines[p] !== line) return undefined;
    this.found = lines[p];
    return this.prevRows[p];
  }

  /** Record the line just passed to take() and its row (undefined for a line that was dropped). */
  keep(line: string, row: InetSocket | undefined): void {
    this.nextLines.push(this.found ?? ownCopy(line));
    this.nextRows.push(row);
    this.found = undefined;
  }

  /** Call after each parse: what this read saw becomes what the next read can reuse. */
  turn(): void {
    this.prevLines = this.nextLines;
    this.prevRows = this.nextRows;
    this.nextLines = [];
    this.nextRows = [];
    this.at = 0;
    this.index = undefined;
  }
}

/** A string with the text of `s` that does not keep alive the string `s` was sliced from. */
function ownCopy(s: string): string {
  // Concatenation then slice makes V8 flatten into a new string the length of `s`.
  return ` ${s}`.slice(1);
}

function samePrefix(a: string, b: string, length: number): boolean {
  if (a.length < length || b.length < length) return false;
  for (let i = 0; i < length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

function indexByPrefix(lines: readonly string[], keyLength: number): Map<string, number> {
  const index = new Map<string, number>();
  for (let p = 0; p < lines.length; p++) {
    const key = lines[p]!.slice(0, keyLength);
    if (!index.has(key)) index.set(key, p);
  }
  return index;
}

/**
 * Length of the key prefix after the slot's colon: " local rem st" at the kernel's fixed widths (IPv4
 * " 0100007F:0050 00000000:0000 0A", IPv6 with 32-digit addresses). Hashing this instead of the whole
 * 150-character line was the cache's main cost; equal keys are confirmed by comparing the whole line.
 */
const KEY_LENGTH_V4 = 30;
const KEY_LENGTH_V6 = 78;

/**
 * Parses one /proc/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6} text. The header line is skipped;
 * malformed lines are counted in `skipped`, never thrown; rows repeated within the text are kept once.
 * With a cache, unchanged lines reuse the row from the previous read (see InetLineCache).
 * The text may come in pieces cut at line ends (HostReader.readPieces), which keeps megabytes of text out
 * of V8's large-object space.
 */
export function parseInet(
  text: string | readonly string[],
  proto: InetProto,
  cache?: InetLineCache,
): Parsed<InetSocket> {
  const rows: InetSocket[] = [];
  let skipped = 0;
  const isTcp = proto === 'tcp' || proto === 'tcp6';
  const v6 = proto.endsWith('6');
  const dedupe = new RowDeduper(identity);
  let first = true;
  for (const piece of typeof text === 'string' ? [text] : text) {
    const length = piece.length;
    let lineStart = 0;
    while (lineStart < length) {
      let lineEnd = piece.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = length;
      const next = lineEnd + 1;
      if (lineEnd > lineStart && piece.charCodeAt(lineEnd - 1) === 13) lineEnd--; // tolerate CRLF copies
      let line: string | undefined;
      if (cache && !first) {
        const colon = piece.indexOf(':', lineStart);
        if (colon > 0 && colon < lineEnd) {
          line = piece.slice(colon + 1, lineEnd);
          const hit = cache.take(line, v6 ? KEY_LENGTH_V6 : KEY_LENGTH_V4);
          if (hit !== undefined) {
            lineStart = next;
            const kept = dedupe.add(hit);
            cache.keep(line, kept ? hit : undefined);
            if (kept) rows.push(hit);
            continue;
          }
        }
      }
      const n = tokenize(piece, lineStart, lineEnd);
      lineStart = next;
      if (n === 0) continue;
      // Every data line starts with a digit (the slot number); the header starts with 'sl'.
      if (first) {
        first = false;
        if (piece.startsWith('sl', tokStart[0]!)) continue;
      }
      const row = parseRow(piece, n, proto, isTcp, v6);
      if (row === undefined) {
        skipped++;
        if (line !== undefined) cache!.keep(line, undefined);
        continue;
      }
      const kept = dedupe.add(row);
      if (line !== undefined) cache!.keep(line, kept ? row : undefined);
      if (kept) rows.push(row);
    }
  }
  cache?.turn();
  return { rows, skipped };
}

// /proc/net/nf_conntrack, as printed by ct_seq_show() in net/netfilter/nf_conntrack_standalone.c:
//
//   ipv4     2 tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=53920 dport=5000 ... use=2
//   ipv4     2 udp      17 29 src=127.0.0.1 dst=127.0.0.1 sport=53196 dport=5001 [UNREPLIED] ... use=2
//   ipv6     10 icmpv6   58 29 src=0000:0000:...:0001 dst=... type=128 code=0 id=1 ... use=2
//
// Fields: L3 name, L3 number, L4 name, L4 number, seconds to expiry, then for tcp (and sctp, dccp)
// the protocol state. Offloaded flows (flowtable, [OFFLOAD] / [HW_OFFLOAD]) have no expiry field,
// so the state is then the 5th field; we accept both rather than trusting a fixed column.
//
// A busy NAT box holds millions of entries, so the text is walked in place: indexOf for line ends and
// charCodeAt for fields. No array of lines, no per-line split or regex, and only the two short strings
// we count by are sliced out of each line.
import type { ConntrackSummary } from '../model/types.js';

export interface ParsedConntrack {
  readonly summary: ConntrackSummary;
  /** Lines whose leading fields are not name, number, name, number, expiry (and a state for tcp). */
  readonly skipped: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === CR;
}

function skipBlanks(text: string, pos: number, end: number): number {
  while (pos < end && isBlank(text.charCodeAt(pos))) pos++;
  return pos;
}

function skipWord(text: string, pos: number, end: number): number {
  while (pos < end && !isBlank(text.charCodeAt(pos))) pos++;
  return pos;
}

function isDigits(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** ESTABLISHED, TIME_WAIT, SYN_SENT2, ...: upper-case letter first, then A-Z, 0-9 or '_'. */
function isStateWord(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  const first = text.charCodeAt(start);
  if (first < 0x41 || first > 0x5a) return false;
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    const ok = (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
    if (!ok) return false;
  }
  return true;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Summarise /proc/net/nf_conntrack: total entries, entries per L4 protocol name (3rd field) and, for tcp,
 * per conntrack state (ESTABLISHED, TIME_WAIT, SYN_SENT, ...). Both address families are counted together.
 * Malformed lines are counted in `skipped` and left out of every total; blank lines are ignored.
 */
export function parseConntrack(text: string): ParsedConntrack {
  const byProto = new Map<string, number>();
  const byTcpState = new Map<string, number>();
  let total = 0;
  let skipped = 0;
  const length = text ? text.length : 0;

  let lineStart = 0;
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = length;
    const start = lineStart;
    lineStart = lineEnd + 1;

    let pos = skipBlanks(text, start, lineEnd);
    if (pos === lineEnd) continue;

    const l3End = skipWord(text, pos, lineEnd);
    const l3NumStart = skipBlanks(text, l3End, lineEnd);
    const l3NumEnd = skipWord(text, l3NumStart, lineEnd);
    const l4Start = skipBlanks(text, l3NumEnd, lineEnd);
    const l4End = skipWord(text, l4Start, lineEnd);
    const l4NumStart = skipBlanks(text, l4End, lineEnd);
    const l4NumEnd = skipWord(text, l4NumStart, lineEnd);
    const fifthStart = skipBlanks(text, l4NumEnd, lineEnd);
    const fifthEnd = skipWord(text, fifthStart, lineEnd);
    pos = fifthEnd;

    const wellFormed =
      isDigits(text, l3NumStart, l3NumEnd) &&
      l4End > l4Start &&
      isDigits(text, l4NumStart, l4NumEnd) &&
      fifthEnd > fifthStart;
    if (!wellFormed) {
      skipped++;
      continue;
    }

    const isTcp = l4End - l4Start === 3 && text.startsWith('tcp', l4Start);
    if (isTcp) {
      let stateStart = fifthStart;
      let stateEnd = fifthEnd;
      if (isDigits(text, fifthStart, fifthEnd)) {
        stateStart = skipBlanks(text, pos, lineEnd);
        stateEnd = skipWord(text, stateStart, lineEnd);
      }
      if (!isStateWord(text, stateStart, stateEnd)) {
        skipped++;
        continue;
      }
      increment(byTcpState, text.slice(stateStart, stateEnd));
    }
    increment(byProto, text.slice(l4Start, l4End));
    total++;
  }
  return { summary: { total, byProto, byTcpState }, skipped };
}

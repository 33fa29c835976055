// /proc/net/sockstat and /proc/net/sockstat6: one protocol per line, then name/value pairs:
//
//   sockets: used 4061
//   TCP: inuse 3210 orphan 0 tw 5 alloc 4014 mem 151
//   FRAG: inuse 0 memory 0
//
// Every value is a level (sockets in use, pages of memory), not a counter; see isGauge in counters.ts.
import { LINE_MAX } from '../model/bounds.js';
import type { Parsed, SockstatProto } from '../model/types.js';

const INTEGER = /^-?\d+$/;
const WHITESPACE = /\s+/;

/**
 * Parse sockstat / sockstat6. `proto` is the text before ':' (sockets, TCP, UDP6, FRAG, ...).
 * A line with an odd number of tokens after the colon, a non-integer value, or no pairs at all is skipped.
 */
export function parseSockstat(text: string): Parsed<SockstatProto> {
  const rows: SockstatProto[] = [];
  let skipped = 0;
  if (!text) return { rows, skipped };

  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.length > LINE_MAX) {
      skipped++; // a handful of pairs: never that long
      continue;
    }
    const colon = trimmed.indexOf(':');
    const proto = colon > 0 ? trimmed.slice(0, colon) : '';
    const rest = colon > 0 ? trimmed.slice(colon + 1).trim() : '';
    const tokens = rest === '' ? [] : rest.split(WHITESPACE);
    if (proto === '' || WHITESPACE.test(proto) || tokens.length === 0 || tokens.length % 2 !== 0) {
      skipped++;
      continue;
    }
    const values = new Map<string, bigint>();
    let ok = true;
    for (let i = 0; i < tokens.length; i += 2) {
      const value = tokens[i + 1] ?? '';
      if (!INTEGER.test(value)) {
        ok = false;
        break;
      }
      values.set(tokens[i] ?? '', BigInt(value));
    }
    if (!ok) {
      skipped++;
      continue;
    }
    rows.push({ proto, values });
  }
  return { rows, skipped };
}

// /proc/net/snmp and /proc/net/netstat: pairs of lines, a header naming the columns and a value line,
// both starting with the same group prefix:
//
//   Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens ...
//   Tcp: 1 200 120000 -1 2092 ...
//
// Which columns a group has depends on the kernel version (Tcp gained InCsumErrors, Ip gained
// OutTransmits, ...), so names are always taken from the header, never from a fixed list. Some kernels
// split one group over several pairs (IcmpMsg was printed 16 columns at a time) and 2.6 kernels start
// the file with an empty line; both are handled by merging groups and ignoring blank lines.

import { capName, LINE_MAX } from '../model/bounds.js';

/** Counters by group then name. Mutable maps, assignable to the readonly `CounterGroups`. */
export interface ParsedCounters {
  readonly groups: Map<string, Map<string, bigint>>;
  /** Broken pairs and stray lines that were dropped (one per pair, or per lone line). */
  readonly skipped: number;
}

const INTEGER = /^-?\d+$/;
const WHITESPACE = /\s+/;

interface PrefixedLine {
  readonly prefix: string;
  readonly tokens: readonly string[];
  /** Starts like a value line (first column is a number), as opposed to a header of names. */
  readonly numeric: boolean;
}

function splitPrefixed(line: string): PrefixedLine | undefined {
  // TcpExt's header is the longest, ~3 KB with today's ~130 counters: 16 times that is not a real line.
  if (line.length > 16 * LINE_MAX) return undefined;
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = line.slice(0, colon);
  if (WHITESPACE.test(prefix)) return undefined;
  const rest = line.slice(colon + 1).trim();
  if (rest === '') return undefined;
  const tokens = rest.split(WHITESPACE);
  const first = tokens[0] ?? '';
  return { prefix, tokens, numeric: /^-?\d/.test(first) };
}

/**
 * Parse the header/value pair format of /proc/net/snmp and /proc/net/netstat.
 * Values are exact bigints and may be negative (Tcp MaxConn is -1 on Linux).
 * A pair whose two lines disagree on the prefix or on the column count, or whose values are not all
 * integers, is dropped and counted; parsing resynchronises on the next header line.
 */
export function parseKeyValuePairs(text: string): ParsedCounters {
  const groups = new Map<string, Map<string, bigint>>();
  let skipped = 0;
  if (!text) return { groups, skipped };

  const lines = text.split('\n').filter((line) => line.trim() !== '');
  let i = 0;
  while (i < lines.length) {
    const header = splitPrefixed(lines[i] ?? '');
    if (header === undefined || header.numeric) {
      // Garbage, or a value line whose header went missing: nothing to pair it with.
      skipped++;
      i++;
      continue;
    }
    const nextLine = lines[i + 1];
    if (nextLine === undefined) {
      skipped++; // header without value line at EOF
      break;
    }
    const values = splitPrefixed(nextLine);
    if (values === undefined || !values.numeric) {
      // The next line is another header (or garbage): this header lost its values. Drop only the
      // header so the next line gets its chance to start a pair.
      skipped++;
      i++;
      continue;
    }
    i += 2;
    if (values.prefix !== header.prefix || values.tokens.length !== header.tokens.length) {
      skipped++;
      continue;
    }
    if (!values.tokens.every((token) => INTEGER.test(token))) {
      skipped++;
      continue;
    }
    const prefix = capName(header.prefix);
    let group = groups.get(prefix);
    if (group === undefined) {
      group = new Map();
      groups.set(prefix, group);
    }
    for (let col = 0; col < header.tokens.length; col++) {
      group.set(capName(header.tokens[col] ?? ''), BigInt(values.tokens[col] ?? '0'));
    }
  }
  return { groups, skipped };
}

/** /proc/net/snmp: Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite. */
export const parseSnmp = parseKeyValuePairs;

/** /proc/net/netstat: TcpExt, IpExt, MPTcpExt. */
export const parseNetstat = parseKeyValuePairs;

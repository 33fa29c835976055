// /proc/net/snmp6: one counter per line, the group glued to the name ("Ip6InReceives   1202").
// Every IPv6 group name ends in the digit 6 (Ip6, Icmp6, Udp6, UdpLite6) and the counter name that
// follows starts upper-case, so the split point is right after the first '6'. Names that carry digits
// of their own (Icmp6OutType133) are safe because the group part is letters only.
import { LINE_MAX } from '../model/bounds.js';
import type { ParsedCounters } from './snmp.js';

const NAME = /^([A-Za-z]+6)([A-Z][A-Za-z0-9]*)$/;
const INTEGER = /^-?\d+$/;
const WHITESPACE = /\s+/;

/**
 * Parse /proc/net/snmp6 into the same shape as parseSnmp: group (Ip6, Icmp6, Udp6, UdpLite6) → name → value.
 * Lines that are not exactly a splittable name and an integer are counted as skipped; blank lines are ignored.
 */
export function parseSnmp6(text: string): ParsedCounters {
  const groups = new Map<string, Map<string, bigint>>();
  let skipped = 0;
  if (!text) return { groups, skipped };

  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.length > LINE_MAX) {
      skipped++; // one name and one number: never that long
      continue;
    }
    const fields = trimmed.split(WHITESPACE);
    const match = fields.length === 2 ? NAME.exec(fields[0] ?? '') : null;
    const value = fields[1] ?? '';
    if (match === null || !INTEGER.test(value)) {
      skipped++;
      continue;
    }
    const groupName = match[1] ?? '';
    let group = groups.get(groupName);
    if (group === undefined) {
      group = new Map();
      groups.set(groupName, group);
    }
    group.set(match[2] ?? '', BigInt(value));
  }
  return { groups, skipped };
}

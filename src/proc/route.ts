// /proc/net/route: the IPv4 main routing table (fib_route_seq_show), plus netstat -r's flag letters for
// both families. Addresses and the mask are %08X of a host-order word (little-endian host assumed, as in
// addr.ts), Flags is %04X, the rest decimal; the kernel pads every line with spaces to 127 characters.
import { capName, LINE_MAX } from '../model/bounds.js';
import type { Parsed, Route } from '../model/types.js';
import { tryDecodeIPv4Hex } from './addr.js';

export const RTF_UP = 0x1;
export const RTF_GATEWAY = 0x2;
export const RTF_HOST = 0x4;
export const RTF_REJECT = 0x200;

// netstat's letters in the order net-tools 2.10 tests the bits (lib/inet_gr.c rprint_fib and
// lib/inet6_gr.c rprint_fib6): checked against `netstat -rn` / `netstat -rn6` on a live kernel.
// The two families differ: IPv4 'D' is RTF_DYNAMIC but IPv6 'D' is RTF_DEFAULT, IPv4 writes addrconf and
// cache both as lowercase 'c', and only IPv6 names RTF_MODIFIED 'm'.
const V4_BEFORE_REJECT: readonly (readonly [number, string])[] = [
  [0x1, 'U'],
  [0x2, 'G'],
];
const V4_AFTER_REJECT: readonly (readonly [number, string])[] = [
  [0x4, 'H'],
  [0x8, 'R'],
  [0x10, 'D'],
  [0x20, 'M'],
  [0x10000, 'd'],
  [0x20000, 'a'],
  [0x40000, 'c'],
  [0x200000, 'o'],
  [0x400000, 'e'],
  [0x1000000, 'c'],
  [0x2000000, 'f'],
  [0x4000000, 'p'],
  [0x80000000, 'l'],
  [0x40, 'u'],
  [0x80, 'w'],
  [0x100, 'i'],
  [0x400, 'n'],
];
const V6_LETTERS: readonly (readonly [number, string])[] = [
  [0x1, 'U'],
  [0x200, '!'],
  [0x2, 'G'],
  [0x4, 'H'],
  [0x10000, 'D'],
  [0x40000, 'A'],
  [0x1000000, 'C'],
  [0x20000, 'a'],
  [0x400000, 'e'],
  [0x20, 'm'],
  [0x200000, 'n'],
  [0x2000000, 'f'],
];

function letters(flags: number, table: readonly (readonly [number, string])[]): string {
  let text = '';
  for (const [bit, letter] of table) {
    if ((flags & bit) !== 0) text += letter;
  }
  return text;
}

/**
 * RTF_* flags as netstat -r prints them, e.g. 0x0003 → 'UG'. For IPv4 a reject route discards the letters
 * before it, as netstat does: 0x0201 → '!' (IPv6 keeps them: 0x80200001 → 'Un', 0x00200200 → '!n').
 */
export function routeFlagsText(flags: number, family: 4 | 6): string {
  if (family === 6) return letters(flags, V6_LETTERS);
  const head = (flags & RTF_REJECT) !== 0 ? '!' : letters(flags, V4_BEFORE_REJECT);
  return head + letters(flags, V4_AFTER_REJECT);
}

const HEX = /^[0-9A-Fa-f]{1,8}$/;
const DECIMAL = /^-?\d{1,10}$/;

function hexValue(field: string): number | undefined {
  return HEX.test(field) ? Number.parseInt(field, 16) : undefined;
}

function decimalValue(field: string): number | undefined {
  return DECIMAL.test(field) ? Number(field) : undefined;
}

/** Set bits of a 32-bit mask: a non-contiguous mask still gets a number rather than a skip. */
function countBits(word: number): number {
  let bits = 0;
  for (let w = word >>> 0; w !== 0; w >>>= 1) bits += w & 1;
  return bits;
}

const FIELD_COUNT = 11;

function parseRouteLine(f: readonly string[]): Route | undefined {
  if (f.length !== FIELD_COUNT) return undefined;
  const destination = tryDecodeIPv4Hex(f[1]!);
  const gateway = tryDecodeIPv4Hex(f[2]!);
  const flags = hexValue(f[3]!);
  const refcnt = decimalValue(f[4]!);
  const use = decimalValue(f[5]!);
  const metric = decimalValue(f[6]!);
  const genmask = tryDecodeIPv4Hex(f[7]!);
  const mtu = decimalValue(f[8]!);
  const window = decimalValue(f[9]!);
  const irtt = decimalValue(f[10]!);
  if (destination === undefined || gateway === undefined || genmask === undefined || flags === undefined) {
    return undefined;
  }
  if (refcnt === undefined || use === undefined || metric === undefined) return undefined;
  if (mtu === undefined || window === undefined || irtt === undefined) return undefined;
  return {
    family: 4,
    iface: capName(f[0]!),
    destination,
    // genmask decoded, so the field is 8 valid hex digits.
    prefixLength: countBits(Number.parseInt(f[7]!, 16)),
    genmask,
    gateway,
    flags,
    refcnt,
    use,
    metric,
    mtu,
    window,
    irtt,
  };
}

/** /proc/net/route text → IPv4 routes. The header is recognised by its first field, not its position. */
export function parseRoute(text: string): Parsed<Route> {
  const rows: Route[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.length > LINE_MAX) {
      skipped++; // no route line is that long: do not split megabytes into tokens
      continue;
    }
    // Tab separated, but interface names cannot hold whitespace, so any run of blanks splits the same way.
    const fields = trimmed.split(/\s+/);
    if (fields[0] === 'Iface') continue;
    const route = parseRouteLine(fields);
    if (route === undefined) skipped++;
    else rows.push(route);
  }
  return { rows, skipped };
}

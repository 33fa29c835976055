// Kernel hex addresses (/proc/net/tcp, udp, raw, ...) to numeric text, and numeric text back to bytes.
//
// The kernel prints each address as 32-bit words with %08X, i.e. the word's value in HOST byte order.
// We assume a little-endian host (Linux on x86 and arm64, which is all netwatch targets): the bytes of the
// address, in network order, are the word's bytes read from least significant up. A big-endian host
// would print the bytes in order and every address here would come out reversed.

// Real tables repeat a handful of local addresses thousands of times; caching returns the same string
// instance, so a tick allocates nothing for them. The cap keeps a busy server's stream of distinct
// remote addresses from growing the map without bound: when full we simply start over.
const CACHE_LIMIT = 4096;
const v4Cache = new Map<string, string>();
const v6Cache = new Map<string, string>();

function remember(cache: Map<string, string>, key: string, value: string): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

/** Value of one hex digit (either case), or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Unsigned value of hex[start, start+8), or -1 when a character is not a hex digit. */
function word32(hex: string, start: number): number {
  let word = 0;
  for (let i = start; i < start + 8; i++) {
    const d = hexDigit(hex.charCodeAt(i));
    if (d < 0) return -1;
    word = word * 16 + d;
  }
  return word;
}

/** Like decodeIPv4Hex, but undefined instead of an exception: for parsers, which must not throw. */
export function tryDecodeIPv4Hex(hex8: string): string | undefined {
  const hit = v4Cache.get(hex8);
  if (hit !== undefined) return hit;
  if (hex8.length !== 8) return undefined;
  const word = word32(hex8, 0);
  if (word < 0) return undefined;
  const text = `${word & 0xff}.${(word >>> 8) & 0xff}.${(word >>> 16) & 0xff}.${word >>> 24}`;
  remember(v4Cache, hex8, text);
  return text;
}

/** Like decodeIPv6Hex, but undefined instead of an exception. */
export function tryDecodeIPv6Hex(hex32: string): string | undefined {
  const hit = v6Cache.get(hex32);
  if (hit !== undefined) return hit;
  if (hex32.length !== 32) return undefined;
  const groups: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = word32(hex32, w * 8);
    if (word < 0) return undefined;
    // Memory bytes b0..b3 of the little-endian word are the address bytes in network order.
    groups.push(((word & 0xff) << 8) | ((word >>> 8) & 0xff), (((word >>> 16) & 0xff) << 8) | (word >>> 24));
  }
  const text = formatIPv6(groups);
  remember(v6Cache, hex32, text);
  return text;
}

/** 8 hex digits of a host-order (little-endian) word, e.g. '0100007F' → '127.0.0.1'. Throws RangeError if malformed. */
export function decodeIPv4Hex(hex8: string): string {
  const text = tryDecodeIPv4Hex(hex8);
  if (text === undefined) throw new RangeError(`not an 8-digit hex IPv4 address: ${JSON.stringify(hex8)}`);
  return text;
}

/** 32 hex digits, four host-order words → RFC 5952 text (IPv4-mapped as ::ffff:a.b.c.d). Throws RangeError if malformed. */
export function decodeIPv6Hex(hex32: string): string {
  const text = tryDecodeIPv6Hex(hex32);
  if (text === undefined) throw new RangeError(`not a 32-digit hex IPv6 address: ${JSON.stringify(hex32)}`);
  return text;
}

/**
 * Eight 16-bit groups → RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero
 * groups compressed to '::' (the first on ties), and IPv4-mapped addresses as ::ffff:a.b.c.d.
 * Other embedded-IPv4 forms (deprecated IPv4-compatible ::a.b.c.d, NAT64) are left in hex, as the RFC allows.
 */
export function formatIPv6(groups: readonly number[]): string {
  if (groups.length !== 8) throw new RangeError(`IPv6 needs 8 groups, got ${groups.length}`);
  for (const g of groups) {
    if (!Number.isInteger(g) || g < 0 || g > 0xffff) throw new RangeError(`bad IPv6 group: ${g}`);
  }
  const g = groups as readonly [number, number, number, number, number, number, number, number];
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6] >>> 8}.${g[6] & 0xff}.${g[7] >>> 8}.${g[7] & 0xff}`;
  }
  let bestStart = -1;
  let bestLen = 1; // a lone zero group is never compressed
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16));
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16));
  return `${head.join(':')}::${tail.join(':')}`;
}

/** Strict dotted quad ('10.0.0.1') → 4 bytes; undefined for anything else (leading zeros are refused: octal?). */
export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (part.length === 0 || part.length > 3 || (part.length > 1 && part.charCodeAt(0) === 48))
      return undefined;
    let value = 0;
    for (let k = 0; k < part.length; k++) {
      const c = part.charCodeAt(k);
      if (c < 48 || c > 57) return undefined;
      value = value * 10 + (c - 48);
    }
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

/** Hex groups of one side of '::' (may end in a dotted quad when `last`), or undefined. */
function parseGroups(side: string, last: boolean): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (last && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (v4 === undefined) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      continue;
    }
    if (part.length === 0 || part.length > 4) return undefined;
    let value = 0;
    for (let k = 0; k < part.length; k++) {
      const d = hexDigit(part.charCodeAt(k));
      if (d < 0) return undefined;
      value = value * 16 + d;
    }
    groups.push(value);
  }
  return groups;
}

/**
 * RFC 4291 text ('fe80::1', '::ffff:1.2.3.4', full or compressed, any case) → 16 bytes; undefined when
 * invalid. Zone ids ('%eth0') and prefixes ('/64') are not part of an address and are refused.
 */
export function parseIPv6(text: string): Uint8Array | undefined {
  const gap = text.indexOf('::');
  let groups: number[] | undefined;
  if (gap < 0) {
    groups = parseGroups(text, true);
    if (groups === undefined || groups.length !== 8) return undefined;
  } else {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    const head = parseGroups(text.slice(0, gap), false);
    const tail = parseGroups(text.slice(gap + 2), true);
    if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[2 * i] = groups[i]! >>> 8;
    bytes[2 * i + 1] = groups[i]! & 0xff;
  }
  return bytes;
}

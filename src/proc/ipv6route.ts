// /proc/net/ipv6_route (ipv6_route_native_seq_show): no header, every number in hex, one space between
// fields and the interface name right-aligned in 8 columns. Addresses are %pi6, i.e. the 16 bytes in
// network order — unlike /proc/net/tcp6, which prints host-order words.
import { capName, LINE_MAX } from '../model/bounds.js';
import type { Parsed, Route } from '../model/types.js';
import { formatIPv6 } from './addr.js';

const ADDRESS = /^[0-9A-Fa-f]{32}$/;
const HEX = /^[0-9A-Fa-f]{1,8}$/;

/** 32 hex digits in network order (%pi6, as here and in igmp6) → RFC 5952 text, or undefined. */
export function networkOrderIPv6(hex: string): string | undefined {
  if (!ADDRESS.test(hex)) return undefined;
  const groups: number[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(Number.parseInt(hex.slice(i, i + 4), 16));
  return formatIPv6(groups);
}

function hexValue(field: string): number | undefined {
  return HEX.test(field) ? Number.parseInt(field, 16) : undefined;
}

function prefixValue(field: string): number | undefined {
  const value = hexValue(field);
  return value !== undefined && value <= 128 ? value : undefined;
}

const FIELD_COUNT = 10;

function parseIpv6RouteLine(f: readonly string[]): Route | undefined {
  if (f.length !== FIELD_COUNT) return undefined;
  const destination = networkOrderIPv6(f[0]!);
  const prefixLength = prefixValue(f[1]!);
  const source = networkOrderIPv6(f[2]!);
  const sourcePrefixLength = prefixValue(f[3]!);
  const gateway = networkOrderIPv6(f[4]!);
  const metric = hexValue(f[5]!);
  const refcnt = hexValue(f[6]!);
  const use = hexValue(f[7]!);
  const flags = hexValue(f[8]!);
  if (destination === undefined || prefixLength === undefined) return undefined;
  if (source === undefined || sourcePrefixLength === undefined || gateway === undefined) return undefined;
  if (metric === undefined || refcnt === undefined || use === undefined || flags === undefined)
    return undefined;
  return {
    family: 6,
    iface: capName(f[9]!),
    destination,
    prefixLength,
    genmask: '',
    gateway,
    flags,
    refcnt,
    use,
    // Unsigned, as `ip -6 route` shows it: the kernel's unreachable default has 0xffffffff, which netstat
    // prints as -1 through %d.
    metric,
    // Not in this file; the Route shape has them for IPv4.
    mtu: 0,
    window: 0,
    irtt: 0,
    source,
    sourcePrefixLength,
  };
}

/** /proc/net/ipv6_route text → IPv6 routes of every table, local and cached ones included, as listed. */
export function parseIpv6Route(text: string): Parsed<Route> {
  const rows: Route[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.length > LINE_MAX) {
      skipped++; // no route line is that long: do not split megabytes into tokens
      continue;
    }
    const route = parseIpv6RouteLine(trimmed.split(/\s+/));
    if (route === undefined) skipped++;
    else rows.push(route);
  }
  return { rows, skipped };
}

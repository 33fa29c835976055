// /proc/net/if_inet6 (if6_seq_show): one line per IPv6 address of an interface,
//   "%pi6 %02x %02x %02x %02x %8s\n" = address, ifindex, prefix length, scope, flags, device
// the address in network order without colons, as in ipv6_route.
import type { Parsed } from '../model/types.js';
import { networkOrderIPv6 } from './ipv6route.js';

export interface IfInet6 {
  /** RFC 5952 text. */
  readonly address: string;
  readonly ifindex: number;
  readonly prefixLength: number;
  /** IPV6_ADDR_* scope bits: 0 global, 0x10 host, 0x20 link, 0x40 site, 0x80 compat. */
  readonly scope: number;
  readonly flags: number;
  readonly device: string;
}

const HEX = /^[0-9A-Fa-f]{1,8}$/;

export function parseIfInet6(text: string): Parsed<IfInet6> {
  const rows: IfInet6[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length === 1 && f[0] === '') continue;
    const address = f.length === 6 ? networkOrderIPv6(f[0]!) : undefined;
    if (address === undefined || !f.slice(1, 5).every((x) => HEX.test(x))) {
      skipped++;
      continue;
    }
    const [ifindex, prefixLength, scope, flags] = f.slice(1, 5).map((x) => Number.parseInt(x, 16)) as [
      number,
      number,
      number,
      number,
    ];
    rows.push({ address, ifindex, prefixLength, scope, flags, device: f[5]! });
  }
  return { rows, skipped };
}

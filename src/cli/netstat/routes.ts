// netstat -r: net-tools 2.10 lib/inet_gr.c (rprint_fib, rprint_cache) and lib/inet6_gr.c (rprint_fib6),
// with its three layouts: -r (MSS Window irtt), -r -e (Metric Ref Use), -r -e -e (both).
import type { Route } from '../../model/types.js';
import { RTF_HOST, RTF_REJECT, RTF_UP, routeFlagsText } from '../../proc/route.js';
import type { NameResolver } from '../../sample/names.js';
import { escapeControl } from '../../view/escape.js';
import { ipv6Host } from './hosts.js';

const RTF_CACHE = 0x1000000;

/**
 * netstat's route layout number from the count of -e: it swaps 1 and 2 so that plain -r is the classic
 * table (2: MSS Window irtt), -r -e the metric one (1), -e -e both (3); then it keeps two bits
 * (FLAG_EXT), so -e -e -e is 0, a title and nothing else, and four -e are 1 again.
 */
export function routeLayout(extendCount: number): number {
  const exp = 1 + extendCount;
  return (exp === 2 ? 1 : exp === 1 ? 2 : exp) & 3;
}

/** Left-justified and cut to 15, as netstat does with its %-15s after `addr[15] = '\0'`. */
function col15(text: string): string {
  return text.slice(0, 15).padEnd(15);
}

function ipv4Name(
  address: string,
  mask: string,
  host: boolean,
  numeric: boolean,
  names: NameResolver,
): string {
  if (numeric) return address;
  if (address === '0.0.0.0') return mask === '0.0.0.0' ? 'default' : '0.0.0.0';
  // A host route, or an address with bits outside its mask, is a host (etc/hosts); else a network.
  const a = address.split('.').map(Number);
  const m = mask.split('.').map(Number);
  const hostBits = a.some((byte, i) => (byte & ~(m[i] ?? 0) & 255) !== 0);
  return (host || hostBits ? names.host(address) : names.network(address)) ?? address;
}

function gatewayName(address: string, numeric: boolean, names: NameResolver): string {
  if (numeric || address === '0.0.0.0') return address;
  return names.host(address) ?? address;
}

/** rprint_fib: the IPv4 FIB of /proc/net/route, routes that are up. */
export function ipv4RouteTable(
  routes: readonly Route[],
  layout: number,
  numeric: boolean,
  names: NameResolver,
): string[] {
  const out = ['Kernel IP routing table'];
  if (layout === 1) out.push('Destination     Gateway         Genmask         Flags Metric Ref    Use Iface');
  if (layout === 2)
    out.push('Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface');
  if (layout >= 3)
    out.push(
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt',
    );
  for (const r of routes) {
    if (r.family !== 4 || (r.flags & RTF_UP) === 0) continue;
    const dest = col15(
      escapeControl(ipv4Name(r.destination, r.genmask, (r.flags & RTF_HOST) !== 0, numeric, names)),
    );
    const gw = col15(escapeControl(gatewayName(r.gateway, numeric, names)));
    const mask = col15(r.genmask);
    const flags = routeFlagsText(r.flags, 4).padEnd(5);
    const iface = escapeControl(r.iface);
    const reject = (r.flags & RTF_REJECT) !== 0;
    if (layout === 1) {
      out.push(
        reject
          ? `${dest} -               ${mask} ${flags} ${String(r.metric).padEnd(6)} -  ${String(r.use).padStart(7)} -`
          : `${dest} ${gw} ${mask} ${flags} ${String(r.metric).padEnd(6)} ${String(r.refcnt).padEnd(2)} ${String(r.use).padStart(7)} ${iface}`,
      );
    } else if (layout === 2) {
      out.push(
        reject
          ? `${dest} -               ${mask} ${flags}     - -          - -`
          : `${dest} ${gw} ${mask} ${flags} ${String(r.mtu).padStart(5)} ${String(r.window).padEnd(5)} ${String(r.irtt).padStart(6)} ${iface}`,
      );
    } else if (layout >= 3) {
      out.push(
        reject
          ? `${dest} -               ${mask} ${flags} ${String(r.metric).padEnd(6)} -  ${String(r.use).padStart(7)} -        -     -      -`
          : `${dest} ${gw} ${mask} ${flags} ${String(r.metric).padEnd(6)} ${String(r.refcnt).padEnd(3)} ${String(r.use).padStart(6)} ${iface.slice(0, 6).padEnd(6)}   ${String(r.mtu).padEnd(5)} ${String(r.window).padEnd(6)} ${r.irtt}`,
      );
    }
  }
  return out;
}

/**
 * rprint_cache: Linux has had no IPv4 route cache since 3.6, so /proc/net/rt_cache holds only its header;
 * netstat prints its own header and nothing else. (A 2.x kernel's rows are not decoded.)
 */
export function ipv4CacheTable(layout: number): string[] {
  const out = ['Kernel IP routing cache'];
  if (layout === 1) out.push('Source          Destination     Gateway         Flags Metric Ref    Use Iface');
  if (layout === 2)
    out.push('Source          Destination     Gateway         Flags   MSS Window  irtt Iface');
  if (layout >= 3)
    out.push(
      'Source          Destination     Gateway         Flags Metric Ref    Use Iface    MSS   Window irtt  TOS HHRef HHUptod     SpecDst',
    );
  return out;
}

/** rprint_fib6: /proc/net/ipv6_route, every route (FIB) or only the cached ones (-C). */
export function ipv6RouteTable(
  routes: readonly Route[],
  cache: boolean,
  numeric: boolean,
  names: NameResolver,
): string[] {
  const out = [
    cache ? 'Kernel IPv6 routing cache' : 'Kernel IPv6 routing table',
    'Destination                    Next Hop                   Flag Met Ref  Use If',
  ];
  for (const r of routes) {
    if (r.family !== 6) continue;
    if (((r.flags & RTF_CACHE) !== 0) !== cache) continue;
    const dest = escapeControl(`${ipv6Host(r.destination, numeric, names)}/${r.prefixLength}`);
    const hop = escapeControl(ipv6Host(r.gateway, numeric, names));
    // %d of what was read with %08x: 0xffffffff (the kernel's "no route" metric) is -1.
    out.push(
      `${dest.padEnd(30)} ${hop.padEnd(26)} ${routeFlagsText(r.flags, 6).padEnd(4)} ${String(r.metric | 0).padEnd(3)} ${String(r.refcnt | 0)} ${String(r.use | 0).padStart(6)} ${escapeControl(r.iface)}`,
    );
  }
  return out;
}

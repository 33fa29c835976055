// Addresses and ports as net-tools prints them (lib/inet.c, lib/inet6.c), from our files-only names:
// IPv4 through etc/hosts (host addresses) or etc/networks (network numbers), IPv6 through etc/hosts,
// ports through etc/services and, for raw sockets, etc/protocols. Never DNS (README, Decisions).
import type { NameResolver } from '../../sample/names.js';

const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;
/** glibc's inet_ntop writes an IPv4-compatible address (::a.b.c.d, first 96 bits zero) with a dotted tail. */
const COMPATIBLE = /^::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** inet_ntop's text for an IPv6 address given in RFC 5952 form (they differ only for IPv4-compatible ones). */
export function ntop6(address: string): string {
  // Only "::x:y" can be one; most addresses are not worth the regex.
  if (address.charCodeAt(0) !== 58 || address.charCodeAt(1) !== 58 || address.length > 11) return address;
  const m = COMPATIBLE.exec(address);
  if (!m) return address;
  const hi = Number.parseInt(m[1]!, 16);
  const lo = Number.parseInt(m[2]!, 16);
  return `::${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** fix_v4_address: an IPv4-mapped address is printed as the IPv4 address it carries. */
export function fixV4(text: string, address: string): string {
  if (!address.startsWith('::ffff:')) return text;
  const m = MAPPED.exec(address);
  if (!m) return text;
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  const colon = text.lastIndexOf(':', dot);
  return colon < 0 ? text : text.slice(colon + 1);
}

/**
 * INET_rresolve for a socket address (INET_sprint's mask 0xffffff00, read on a little-endian host):
 * 0.0.0.0 stays numeric, an address whose first byte is set is a host (etc/hosts), others are network
 * numbers (etc/networks).
 */
export function ipv4Host(address: string, numeric: boolean, names: NameResolver): string {
  if (numeric || address === '0.0.0.0') return address;
  if (address.startsWith('0.')) return names.network(address) ?? address;
  return names.host(address) ?? address;
}

/** INET6_sprint: [::] for the unspecified address unless numeric, else the name or inet_ntop's text. */
export function ipv6Host(address: string, numeric: boolean, names: NameResolver): string {
  if (numeric) return fixV4(ntop6(address), address);
  if (address === '::') return '[::]';
  // glibc's getnameinfo looks the IPv6 address up as such: a mapped one finds no IPv4 line of etc/hosts.
  return fixV4(names.host(address) ?? ntop6(address), address);
}

export function hostText(address: string, numeric: boolean, names: NameResolver): string {
  return address.includes(':') ? ipv6Host(address, numeric, names) : ipv4Host(address, numeric, names);
}

/** get_sname: '*' for port 0, else the service name for tcp / udp, the protocol name for raw, or the number. */
export function portText(
  port: number,
  proto: 'tcp' | 'udp' | 'raw' | 'sctp',
  numeric: boolean,
  names: NameResolver,
): string {
  if (port === 0) return '*';
  if (numeric) return String(port);
  const name =
    proto === 'raw' ? names.protocol(port) : proto === 'sctp' ? undefined : names.service(port, proto);
  return name ?? String(port);
}

/**
 * addr_do_one: "host:port", and unless -W, when the two do not fit in 22 columns the port keeps at most
 * 18 and the host is cut to what is left.
 */
export function endpointText(host: string, port: string, wide: boolean, shortLen = 22): string {
  if (wide || host.length + port.length <= shortLen) return `${host}:${port}`;
  const portLen = Math.min(port.length, shortLen - 4);
  return `${host.slice(0, shortLen - portLen)}:${port.slice(0, portLen)}`;
}

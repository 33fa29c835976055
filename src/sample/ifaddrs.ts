// IPv4 addresses of the host's interfaces, by label, for netstat -i (alias labels such as eth0:1 are
// interfaces of their own there) and -i -e ("inet ADDR  netmask MASK  broadcast BRD"). /proc and /sys do
// not have them: the kernel hands them out through netlink or ioctl. So:
//   - on the live host, getifaddrs(3) through the native helper, exactly what ifconfig's ioctls see;
//   - without the helper, Node's os.networkInterfaces() (getifaddrs too, but without the broadcast and
//     peer addresses: a broadcast address is then derived from the mask, and a peer is not shown);
//   - under --root, the file ROOT/ipv4-addresses.json a fixture captured (scripts/capture-fixture.mjs).
import { networkInterfaces } from 'node:os';
import { isLiveRoot, nativeBinding } from './native.js';
import type { HostReader } from './reader.js';

export interface Ipv4Address {
  readonly label: string;
  readonly address: string;
  readonly netmask: string;
  readonly broadcast?: string;
  readonly destination?: string;
}

function derivedBroadcast(address: string, netmask: string): string {
  const a = address.split('.').map(Number);
  const m = netmask.split('.').map(Number);
  return a.map((byte, i) => (byte | (~(m[i] ?? 0) & 255)) & 255).join('.');
}

function fromNode(): Ipv4Address[] {
  const out: Ipv4Address[] = [];
  for (const [label, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4') continue;
      // Loopback has no broadcast address; the caller prints one only for IFF_BROADCAST interfaces.
      out.push({
        label,
        address: a.address,
        netmask: a.netmask,
        broadcast: derivedBroadcast(a.address, a.netmask),
      });
    }
  }
  return out;
}

function isAddress(v: unknown): v is Ipv4Address {
  const a = v as Ipv4Address;
  return typeof a?.label === 'string' && typeof a.address === 'string' && typeof a.netmask === 'string';
}

/** The host's IPv4 addresses in getifaddrs order (per label, the primary address first). */
export function ipv4Addresses(reader: HostReader, useNative = true): Ipv4Address[] {
  if (!isLiveRoot(reader.root)) {
    try {
      const parsed: unknown = JSON.parse(reader.readText('ipv4-addresses.json') ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isAddress) : [];
    } catch {
      return [];
    }
  }
  const binding = useNative ? nativeBinding() : undefined;
  if (binding && typeof binding.ipv4Addresses === 'function') {
    try {
      return binding.ipv4Addresses();
    } catch {
      // fall through to Node's view
    }
  }
  return fromNode();
}

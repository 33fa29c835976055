// Name resolution for the non-numeric views, from files only: etc/hosts, etc/services, etc/protocols and
// etc/networks under the host root.
// Never DNS: a monitor that blocks on a reverse lookup for every peer stops being a monitor (and netstat -a
// without -n is famous for hanging on exactly that). Unknown addresses and ports stay numeric.
import { capName } from '../model/bounds.js';
import type { HostReader } from './reader.js';

export class NameResolver {
  private hosts: Map<string, string> | undefined;
  private services: Map<string, string> | undefined;
  private protocols: Map<number, string> | undefined;
  private networks: Map<string, string> | undefined;
  /** Bumped by invalidate(), so text formatted with older names can tell it is stale. */
  version = 0;

  constructor(private readonly reader: HostReader) {}

  /** Forget what was read: the next lookup reads the files again (called when one of them changes). */
  invalidate(): void {
    this.version++;
    this.hosts = undefined;
    this.services = undefined;
    this.protocols = undefined;
    this.networks = undefined;
  }

  /** Host name of a numeric address from etc/hosts (first name on the first line that lists it). */
  host(address: string): string | undefined {
    if (!this.hosts) this.hosts = parseHosts(this.read('etc/hosts'));
    return this.hosts.get(address);
  }

  /** Service name of a port for 'tcp' / 'udp' from etc/services. */
  service(port: number, proto: 'tcp' | 'udp'): string | undefined {
    if (!this.services) this.services = parseServices(this.read('etc/services'));
    return this.services.get(`${port}/${proto}`);
  }

  /** IP protocol name from etc/protocols (raw sockets' "port"): 1 → icmp, 58 → ipv6-icmp. */
  protocol(num: number): string | undefined {
    if (!this.protocols) this.protocols = parseProtocols(this.read('etc/protocols'));
    return this.protocols.get(num);
  }

  /** Why a name file could not be read, one line per file ('cannot read /etc/hosts: a FIFO, ...'). */
  readonly failures = new Map<string, string>();

  /** Network name of a dotted IPv4 network number from etc/networks (getnetbyaddr: 169.254.0.0 → link-local). */
  network(address: string): string | undefined {
    if (!this.networks) this.networks = parseNetworks(this.read('etc/networks'));
    return this.networks.get(address);
  }

  private read(rel: string): string {
    this.failures.delete(rel);
    try {
      return this.reader.readText(rel) ?? '';
    } catch (err) {
      // Names are a nicety: a bad file (refused, unreadable) leaves its numbers numeric.
      this.failures.set(rel, `cannot read /${rel}: ${(err as Error).message}`);
      return '';
    }
  }
}

export function parseHosts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [address, name] = line.split(/\s+/, 2);
    if (address && name && !out.has(address)) out.set(address, capName(name));
  }
  return out;
}

/**
 * etc/services: `port/proto` → name. When two lines name one port, the last wins: netstat (lib/inet.c
 * read_services) prepends each entry to its list and takes the first it finds.
 */
export function parseServices(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, portProto] = line.split(/\s+/, 2);
    if (name && portProto && /^\d+\/(tcp|udp)$/.test(portProto)) out.set(portProto, capName(name));
  }
  return out;
}

/** etc/protocols: number → name, the last line for a number winning, as in parseServices. */
export function parseProtocols(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, num] = line.split(/\s+/, 2);
    if (name && num && /^\d+$/.test(num)) out.set(Number(num), capName(name));
  }
  return out;
}

/**
 * etc/networks: dotted network number → name, the first line for a number winning. A short number is
 * padded with zeros as glibc pads it ("10.20" is 10.20.0.0, "127" 127.0.0.0).
 */
export function parseNetworks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, number] = line.split(/\s+/, 2);
    if (!name || !number || !/^\d{1,3}(\.\d{1,3}){0,3}$/.test(number)) continue;
    const parts = number.split('.').map(Number);
    if (parts.some((p) => p > 255)) continue;
    while (parts.length < 4) parts.push(0);
    const key = parts.join('.');
    if (!out.has(key)) out.set(key, capName(name));
  }
  return out;
}

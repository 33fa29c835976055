// Name resolution for the non-numeric views, from files only: etc/hosts and etc/services under the host root.
// Never DNS: a monitor that blocks on a reverse lookup for every peer stops being a monitor (and netstat -a
// without -n is famous for hanging on exactly that). Unknown addresses and ports stay numeric.
import { capName } from '../model/bounds.js';
import type { HostReader } from './reader.js';

export class NameResolver {
  private hosts: Map<string, string> | undefined;
  private services: Map<string, string> | undefined;
  private protocols: Map<number, string> | undefined;
  /** Bumped by invalidate(), so text formatted with older names can tell it is stale. */
  version = 0;

  constructor(private readonly reader: HostReader) {}

  /** Forget what was read: the next lookup reads the files again (called when one of them changes). */
  invalidate(): void {
    this.version++;
    this.hosts = undefined;
    this.services = undefined;
    this.protocols = undefined;
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

export function parseServices(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, portProto] = line.split(/\s+/, 2);
    if (name && portProto && /^\d+\/(tcp|udp)$/.test(portProto) && !out.has(portProto))
      out.set(portProto, capName(name));
  }
  return out;
}

export function parseProtocols(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, num] = line.split(/\s+/, 2);
    const n = Number(num);
    if (name && num && /^\d+$/.test(num) && !out.has(n)) out.set(n, capName(name));
  }
  return out;
}

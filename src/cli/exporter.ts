// `netwatch --exporter [HOST:]PORT`: the same figures for Prometheus, for when one machine is not enough.
// Every scrape takes a fresh snapshot (Prometheus owns the schedule); nothing is sampled between scrapes.
// Counters keep the kernel's names as labels (group="TcpExt", name="ListenDrops") so that what the
// Stats pane shows and what a dashboard queries are the same words.
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import { isGauge } from '../model/counters.js';
import { DEV_FIELDS, isListener, listenerKey } from '../model/diff.js';
import type { Snapshot, Socket } from '../model/types.js';
import { fdSocketsFor, tcpDumpFor } from '../sample/native.js';
import type { HostReader } from '../sample/reader.js';
import { Collector, SELECT_ALL } from '../sample/sampler.js';
import { escapeControl } from '../view/escape.js';
import type { ExporterAddress } from './options.js';

interface ListenerSeen {
  readonly labels: { proto: string; address: string; port: string };
  command: string;
}

/**
 * A label value as it may be exported: control and invisible characters escaped (\e, \x07, \u202e) so
 * `curl .../metrics` in a terminal shows a name instead of running it, and cut to 256 characters.
 */
export function labelValue(text: string): string {
  return escapeControl(text.length > 256 ? `${text.slice(0, 255)}…` : text);
}

function listenerLabels(s: Socket): ListenerSeen['labels'] {
  if (s.kind === 'unix') return { proto: 'unix', address: labelValue(s.path || `#${s.inode}`), port: '' };
  return { proto: s.proto, address: s.local.address, port: String(s.local.port) };
}

/** Builds the metrics from snapshots. Pure apart from remembering which listeners it has seen. */
export class Metrics {
  readonly registry = new Registry();
  /** Listeners seen since start, so one that vanished is reported as 0, not as a series that went quiet. */
  private readonly listenersSeen = new Map<string, ListenerSeen>();
  private readonly sockets: Gauge<'proto' | 'state'>;
  private readonly listenerUp: Gauge<'proto' | 'address' | 'port' | 'command'>;
  private readonly netstat: Counter<'group' | 'name'>;
  private readonly netstatGauge: Gauge<'group' | 'name'>;
  private readonly sockstat: Gauge<'proto' | 'name'>;
  private readonly iface: Map<string, Counter<'device'>>;
  private readonly ifaceUp: Gauge<'device' | 'operstate'>;
  private readonly routes: Gauge<'family'>;
  private readonly conntrack: Gauge;
  private readonly unreadable: Gauge;
  private readonly duration: Gauge;

  constructor() {
    const registers = [this.registry];
    this.sockets = new Gauge({
      name: 'netwatch_sockets',
      help: 'Sockets by protocol and state',
      labelNames: ['proto', 'state'],
      registers,
    });
    this.listenerUp = new Gauge({
      name: 'netwatch_listener_up',
      help: '1 while a listening socket is present, 0 after it vanished (since netwatch started)',
      labelNames: ['proto', 'address', 'port', 'command'],
      registers,
    });
    this.netstat = new Counter({
      name: 'netwatch_netstat_total',
      help: 'Protocol counters from /proc/net/snmp, netstat and snmp6 (netstat -s, nstat)',
      labelNames: ['group', 'name'],
      registers,
    });
    this.netstatGauge = new Gauge({
      name: 'netwatch_netstat',
      help: 'Protocol values that are levels, not counters (Tcp CurrEstab, MaxConn, ...)',
      labelNames: ['group', 'name'],
      registers,
    });
    this.sockstat = new Gauge({
      name: 'netwatch_sockstat',
      help: 'Socket memory and counts from /proc/net/sockstat and sockstat6',
      labelNames: ['proto', 'name'],
      registers,
    });
    this.iface = new Map(
      DEV_FIELDS.map((field) => [
        field,
        new Counter({
          name: `netwatch_network_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_total`,
          help: `Interface ${field} from /proc/net/dev`,
          labelNames: ['device'],
          registers,
        }),
      ]),
    );
    this.ifaceUp = new Gauge({
      name: 'netwatch_network_up',
      help: '1 when the interface operstate is up (or unknown, as for lo)',
      labelNames: ['device', 'operstate'],
      registers,
    });
    this.routes = new Gauge({ name: 'netwatch_routes', help: 'Routes', labelNames: ['family'], registers });
    this.conntrack = new Gauge({
      name: 'netwatch_conntrack_entries',
      help: 'nf_conntrack entries',
      registers,
    });
    this.unreadable = new Gauge({
      name: 'netwatch_owner_unreadable_processes',
      help: 'Processes whose sockets could not be mapped (run as root to see all)',
      registers,
    });
    this.duration = new Gauge({
      name: 'netwatch_sample_duration_seconds',
      help: 'How long taking the snapshot took',
      registers,
    });
  }

  /** Replace every value with the snapshot's. */
  update(snapshot: Snapshot): void {
    this.sockets.reset();
    const counts = new Map<string, { proto: string; state: string; n: number }>();
    for (const s of snapshot.sockets) {
      const state = labelValue(s.kind === 'unix' ? s.state || 'UNCONN' : s.state);
      const key = `${s.proto} ${state}`;
      const entry = counts.get(key) ?? { proto: s.proto, state, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
    for (const { proto, state, n } of counts.values()) this.sockets.set({ proto, state }, n);

    this.listenerUp.reset();
    const present = new Set<string>();
    for (const s of snapshot.sockets) {
      if (!isListener(s)) continue;
      const key = listenerKey(s);
      present.add(key);
      const command = labelValue((s.inode !== 0 && snapshot.owners.get(s.inode)?.[0]?.command) || '');
      const seen = this.listenersSeen.get(key);
      if (seen) {
        if (command) seen.command = command;
      } else this.listenersSeen.set(key, { labels: listenerLabels(s), command });
    }
    for (const [key, seen] of this.listenersSeen) {
      this.listenerUp.set({ ...seen.labels, command: seen.command }, present.has(key) ? 1 : 0);
    }

    this.netstat.reset();
    this.netstatGauge.reset();
    for (const [rawGroup, values] of snapshot.counters) {
      const group = labelValue(rawGroup);
      for (const [rawName, value] of values) {
        const name = labelValue(rawName);
        if (isGauge(rawGroup, rawName) || value < 0n) this.netstatGauge.set({ group, name }, Number(value));
        else this.netstat.inc({ group, name }, Number(value));
      }
    }

    this.sockstat.reset();
    for (const p of snapshot.sockstat) {
      const proto = labelValue(p.proto);
      for (const [name, value] of p.values)
        this.sockstat.set({ proto, name: labelValue(name) }, Number(value));
    }

    this.ifaceUp.reset();
    for (const counter of this.iface.values()) counter.reset();
    for (const i of snapshot.interfaces) {
      const device = labelValue(i.name);
      for (const field of DEV_FIELDS) this.iface.get(field)!.inc({ device }, Number(i[field]));
      const operstate = labelValue(i.operstate ?? 'unknown');
      this.ifaceUp.set({ device, operstate }, operstate === 'up' || operstate === 'unknown' ? 1 : 0);
    }

    this.routes.reset();
    this.routes.set({ family: 'inet' }, snapshot.routes.filter((r) => r.family === 4).length);
    this.routes.set({ family: 'inet6' }, snapshot.routes.filter((r) => r.family === 6).length);
    this.conntrack.set(snapshot.conntrack?.total ?? 0);
    this.unreadable.set(snapshot.ownerStats.unreadable);
    this.duration.set(snapshot.durationMs / 1000);
  }
}

export interface Exporter {
  readonly server: Server;
  /** The bound address (the port is the real one when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

/** Serve /metrics on `address`; each scrape collects one snapshot through `reader`. */
export function startExporter(
  reader: HostReader,
  address: ExporterAddress,
  netlink = true,
): Promise<Exporter> {
  const collector = new Collector(
    reader,
    undefined,
    true,
    tcpDumpFor(reader.root, netlink),
    fdSocketsFor(reader.root, netlink),
  );
  const metrics = new Metrics();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      try {
        metrics.update(collector.collect(SELECT_ALL));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`netwatch: ${(err as Error).message}\n`);
        return;
      }
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (err: Error) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`netwatch: ${err.message}\n`),
      );
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('netwatch exporter: metrics at /metrics\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : address.port;
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      resolve({
        server,
        url: `http://${host}:${port}/metrics`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

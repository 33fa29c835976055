// `netwatch --exporter [HOST:]PORT`: the same figures for Prometheus, for when one machine is not enough.
// Every scrape takes a fresh snapshot (Prometheus owns the schedule); nothing is sampled between scrapes,
// and scrapes that arrive while a snapshot is being taken share it (1,000 at once cost one snapshot).
// What the endpoint reveals, and how to limit it, is in the README ("What the exporter reveals").
// Counters keep the kernel's names as labels (group="TcpExt", name="ListenDrops") so that what the
// Stats pane shows and what a dashboard queries are the same words.
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { Counter, Gauge, Registry } from 'prom-client';
import { isGauge } from '../model/counters.js';
import { DEV_FIELDS, diffSnapshots, isListener, listenerKey } from '../model/diff.js';
import { EVENT_KINDS, type NetEvent } from '../model/events.js';
import { LiveStore } from '../model/livestore.js';
import type { Snapshot, Socket } from '../model/types.js';
import { watchLinksFor } from '../sample/linkwatch.js';
import { fdSocketsFor, tcpDumpFor } from '../sample/native.js';
import type { HostReader } from '../sample/reader.js';
import { Collector, SELECT_ALL } from '../sample/sampler.js';
import { escapeControl, escapeText } from '../view/escape.js';
import { fullCollection, IdleReclaim } from './heap.js';
import type { ExporterAddress } from './options.js';

interface ListenerSeen {
  readonly labels: { proto: string; address: string; port: string };
  command: string;
  /** When it was last present (the snapshot's monotonic ms), for the retention. */
  lastSeenMs: number;
}

export interface MetricsOptions {
  /** Label listeners with their owner's short name (comm); false: no `command` label at all. */
  owners?: boolean;
  /** How long a vanished listener's series stays (at 0) before it is dropped. */
  retentionMs?: number;
  /** At most this many listener series; past it the longest-vanished go first, then the rest are counted. */
  maxListenerSeries?: number;
}

/** A vanished listener reads 0 for this long, then its series is dropped (README). */
export const LISTENER_RETENTION_MS = 10 * 60 * 1000;
/** The most listener series exported; more are counted in netwatch_listener_series_dropped. */
export const MAX_LISTENER_SERIES = 10_000;

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
  private readonly listenerUp: Gauge<string>;
  private readonly listenerDropped: Gauge;
  private readonly owners: boolean;
  private readonly retentionMs: number;
  private readonly maxListenerSeries: number;
  private readonly netstat: Counter<'group' | 'name'>;
  private readonly netstatGauge: Gauge<'group' | 'name'>;
  private readonly sockstat: Gauge<'proto' | 'name'>;
  private readonly iface: Map<string, Counter<'device'>>;
  private readonly ifaceUp: Gauge<'device' | 'operstate'>;
  private readonly routes: Gauge<'family'>;
  private readonly conntrack: Gauge;
  private readonly unreadable: Gauge;
  private readonly duration: Gauge;
  private readonly events: Counter<'kind'>;
  private readonly restarts: Counter<'proto' | 'address' | 'port'>;

  constructor(opts: MetricsOptions = {}) {
    this.owners = opts.owners ?? true;
    this.retentionMs = opts.retentionMs ?? LISTENER_RETENTION_MS;
    this.maxListenerSeries = opts.maxListenerSeries ?? MAX_LISTENER_SERIES;
    const registers = [this.registry];
    this.sockets = new Gauge({
      name: 'netwatch_sockets',
      help: 'Sockets by protocol and state',
      labelNames: ['proto', 'state'],
      registers,
    });
    this.listenerUp = new Gauge({
      name: 'netwatch_listener_up',
      help: `1 while a listening socket is present, 0 for ${this.retentionMs / 60_000} minutes after it vanished`,
      labelNames: this.owners ? ['proto', 'address', 'port', 'command'] : ['proto', 'address', 'port'],
      registers,
    });
    this.listenerDropped = new Gauge({
      name: 'netwatch_listener_series_dropped',
      help: `Listeners not exported because more than ${this.maxListenerSeries} series would be`,
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
    this.events = new Counter({
      name: 'netwatch_events_total',
      help: 'Events seen between scrapes (and from kernel notices): listener gone/restarted, link down, ...',
      labelNames: ['kind'],
      registers,
    });
    // Every kind from the start, so a rate() over a kind that has not happened yet reads 0, not nothing.
    for (const kind of EVENT_KINDS) this.events.inc({ kind }, 0);
    this.restarts = new Counter({
      name: 'netwatch_listener_restarts_total',
      help: 'Listeners restarted: all sockets replaced, back after vanishing, or passed to other pids',
      labelNames: ['proto', 'address', 'port'],
      registers,
    });
  }

  /** Count events (the exporter's store reports them per scrape, and kernel notices as they come). */
  countEvents(events: readonly NetEvent[]): void {
    for (const e of events) {
      this.events.inc({ kind: e.kind });
      if (e.kind !== 'listener-restarted' || e.target?.table !== 'listeners') continue;
      // The listener key: "tcp 0.0.0.0 80", "tcp6 :: 22", "unix /run/app.sock".
      const key = e.target.key;
      const first = key.indexOf(' ');
      const proto = key.slice(0, first);
      const rest = key.slice(first + 1);
      const last = rest.lastIndexOf(' ');
      const labels =
        proto === 'unix'
          ? { proto, address: labelValue(rest), port: '' }
          : { proto, address: labelValue(rest.slice(0, last)), port: rest.slice(last + 1) };
      this.restarts.inc(labels);
    }
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

    this.updateListeners(snapshot);

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

  private updateListeners(snapshot: Snapshot): void {
    const now = snapshot.monoMs;
    const present = new Set<string>();
    for (const s of snapshot.sockets) {
      if (!isListener(s)) continue;
      const key = listenerKey(s);
      if (present.has(key)) continue;
      present.add(key);
      const command = this.owners
        ? labelValue((s.inode !== 0 && snapshot.owners.get(s.inode)?.[0]?.command) || '')
        : '';
      const seen = this.listenersSeen.get(key);
      if (seen) {
        if (command) seen.command = command;
        seen.lastSeenMs = now;
        // Map order is the order of last presence: a vanished listener drifts to the front.
        this.listenersSeen.delete(key);
        this.listenersSeen.set(key, seen);
      } else this.listenersSeen.set(key, { labels: listenerLabels(s), command, lastSeenMs: now });
    }
    // Front to back is least to most recently present, so both loops stop at the first one to keep.
    for (const [key, seen] of this.listenersSeen) {
      if (present.has(key) || now - seen.lastSeenMs <= this.retentionMs) break;
      this.listenersSeen.delete(key);
    }
    for (const [key] of this.listenersSeen) {
      if (this.listenersSeen.size <= this.maxListenerSeries || present.has(key)) break;
      this.listenersSeen.delete(key);
    }
    // Still over: more listeners are present than the cap. Export the cap's worth and count the rest.
    const dropped = Math.max(0, this.listenersSeen.size - this.maxListenerSeries);
    this.listenerUp.reset();
    let exported = 0;
    for (const [key, seen] of this.listenersSeen) {
      if (exported++ >= this.maxListenerSeries) break;
      const labels = this.owners ? { ...seen.labels, command: seen.command } : seen.labels;
      this.listenerUp.set(labels, present.has(key) ? 1 : 0);
    }
    this.listenerDropped.set(dropped);
  }

  /** Listener series kept (present and vanished within the retention). */
  get listenerSeries(): number {
    return this.listenersSeen.size;
  }
}

export interface Exporter {
  readonly server: Server;
  /** The bound address (the port is the real one when 0 was asked for). */
  readonly url: string;
  readonly metrics: Metrics;
  /** Snapshots taken since start (scrapes that arrived together shared one). */
  snapshotsTaken(): number;
  close(): Promise<void>;
}

export interface ExporterOptions {
  /** TCP sockets from netlink sock_diag where the native helper is built. */
  netlink?: boolean;
  /** The `command` label on listener series (--exporter-owners). */
  owners?: boolean;
  /** Open connections at most; more are refused by the kernel's backlog, then closed. */
  maxConnections?: number;
  /** How long a connection may take to send its request (REQUEST_TIMEOUT_MS; tests shorten it). */
  requestTimeoutMs?: number;
}

/** Connections served at once; 1,000 concurrent scrapes and 200 idle connections fit. */
export const MAX_CONNECTIONS = 2048;
/** A request must arrive whole, and be answered, within this (Prometheus' default scrape timeout is 10 s). */
export const REQUEST_TIMEOUT_MS = 10_000;

/** One clear line for what stops the endpoint from starting. */
function listenError(err: NodeJS.ErrnoException, address: ExporterAddress): Error {
  const where = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new Error(`cannot serve metrics at ${where}: the port is in use`);
    case 'EADDRNOTAVAIL':
      return new Error(`cannot serve metrics at ${where}: ${address.host} is not an address of this machine`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new Error(`cannot serve metrics at ${where}: unknown host ${address.host}`);
    case 'EACCES':
      return new Error(`cannot serve metrics at ${where}: permission denied (ports below 1024 need root)`);
    default:
      return new Error(`cannot serve metrics at ${where}: ${err.message}`);
  }
}

/**
 * Serve /metrics on `address`. Scrapes that arrive while a snapshot is being taken and rendered wait for
 * it and share it; only one snapshot is ever in progress.
 */
export function startExporter(
  reader: HostReader,
  address: ExporterAddress,
  options: boolean | ExporterOptions = true,
): Promise<Exporter> {
  const opts = typeof options === 'boolean' ? { netlink: options } : options;
  const netlink = opts.netlink ?? true;
  const timeoutMs = opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  if (
    !isIP(address.host) &&
    !/^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
      address.host,
    )
  ) {
    return Promise.reject(
      new Error(`cannot serve metrics at ${address.host}:${address.port}: not a host name or address`),
    );
  }
  const collector = new Collector(
    reader,
    undefined,
    true,
    tcpDumpFor(reader.root, netlink),
    fdSocketsFor(reader.root, netlink),
  );
  const metrics = new Metrics({ owners: opts.owners ?? true });
  // What changed between two scrapes, as the live view sees it between two samples: a store fed with each
  // scrape's snapshot, whose events are counted.
  const store = new LiveStore(
    { getState: () => undefined, subscribe: () => () => {} },
    { onEvents: (events) => metrics.countEvents(events) },
  );
  let previous: Snapshot | undefined;
  let seq = 0;
  const unwatchLinks = watchLinksFor(reader.root, netlink, (notices) => store.notify(notices, Date.now()));
  // One snapshot at a time, shared by every scrape that waited for it. Taking it blocks this thread, so the
  // scrapes that arrived meanwhile are only seen after it: a finished snapshot is also handed to the
  // scrapes that come in for as long again as it took (at least 50 ms, at most 1 s), then a new one is
  // taken. Prometheus scrapes one target every few seconds at most, so a scraper alone always gets a
  // fresh one; 1,000 at once get a handful.
  let pending: Promise<string> | undefined;
  let snapshots = 0;
  const scrape = (): Promise<string> => {
    pending ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        snapshots++;
        const t0 = performance.now();
        const snapshot = collector.collect(SELECT_ALL);
        metrics.update(snapshot);
        store.ingest({
          snapshot,
          diff: previous ? diffSnapshots(previous, snapshot) : undefined,
          seq: ++seq,
        });
        previous = snapshot;
        return metrics.registry.metrics().then((text) => {
          const share = Math.min(1000, Math.max(50, performance.now() - t0));
          setTimeout(() => {
            pending = undefined;
          }, share).unref();
          return escapeText(text);
        });
      })
      .catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
    return pending;
  };
  const server = createServer(
    {
      maxHeaderSize: 16 * 1024,
      requestTimeout: timeoutMs,
      headersTimeout: timeoutMs,
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') {
        res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('only GET is served\n');
        return;
      }
      if (path === '/metrics') {
        scrape().then(
          (text) => {
            if (!res.destroyed)
              res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
          },
          (err: Error) => {
            if (!res.destroyed) {
              res
                .writeHead(500, { 'content-type': 'text/plain' })
                .end(`netwatch: ${escapeControl(err.message)}\n`);
            }
          },
        );
        return;
      }
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('netwatch exporter: metrics at /metrics\n');
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    },
  );
  server.maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
  server.keepAliveTimeout = 5000;
  // Every connection has a deadline of its own: REQUEST_TIMEOUT_MS to send a request (Node 20's own
  // headersTimeout check never closed a connection that sent nothing, nor any before the first request
  // was served), and as long again to read its answer; then it is closed. 200 half-open connections
  // cost 200 timers for 10 s, not memory for ever.
  const deadlines = new WeakMap<object, NodeJS.Timeout>();
  const deadline = (socket: import('node:net').Socket, ms: number) => {
    clearTimeout(deadlines.get(socket));
    deadlines.set(
      socket,
      setTimeout(() => socket.destroy(), ms),
    );
  };
  // Give memory back after a burst of scrapes (heap.ts).
  const reclaim = new IdleReclaim({
    gc: fullCollection(),
    heapBytes: () => getHeapStatistics().total_heap_size,
  });
  server.on('connection', (socket) => {
    reclaim.activity();
    deadline(socket, timeoutMs);
    socket.once('close', () => clearTimeout(deadlines.get(socket)));
  });
  server.on('request', (req, res) => {
    reclaim.activity();
    deadline(req.socket, 2 * timeoutMs);
    res.once('finish', () => {
      reclaim.activity();
      if (!req.socket.destroyed) deadline(req.socket, timeoutMs);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      unwatchLinks?.();
      reclaim.stop();
      reject(listenError(err, address));
    });
    server.listen(address.port, address.host, () => {
      server.removeAllListeners('error');
      server.on('error', () => {}); // a failing accept (EMFILE) must not end the process; the next works
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : address.port;
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      resolve({
        server,
        url: `http://${host}:${port}/metrics`,
        metrics,
        snapshotsTaken: () => snapshots,
        close: () =>
          new Promise<void>((done) => {
            unwatchLinks?.();
            reclaim.stop();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

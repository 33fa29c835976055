import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Exporter, Metrics, startExporter } from '../../src/cli/exporter.js';
import { parseExporterAddress } from '../../src/cli/options.js';
import { HostReader } from '../../src/sample/reader.js';
import { fixtureSnapshot } from '../helpers/app.js';
import { fixture } from '../helpers/cli.js';
import { inet, proc, snapshot } from '../helpers/snapshots.js';

/** A snapshot whose listeners are TCP 127.0.0.1:PORT for each port, owned by pid 10 + port. */
function listening(monoMs: number, ports: number[], command = 'srv') {
  const sockets = ports.map((port) => inet('tcp', `127.0.0.1:${port}`, '0.0.0.0:0', 'LISTEN', port));
  const owners = new Map(
    ports.map((port) => [port, [proc(10 + port, command, { cmdline: `${command} --secret=hunter2` })]]),
  );
  return snapshot(monoMs, { sockets, owners });
}

const upLines = (text: string) => text.split('\n').filter((l) => l.startsWith('netwatch_listener_up{'));

describe('parseExporterAddress', () => {
  it.each([
    ['9531', { host: '127.0.0.1', port: 9531 }],
    [':9100', { host: '127.0.0.1', port: 9100 }],
    ['0.0.0.0:9531', { host: '0.0.0.0', port: 9531 }],
    ['[::1]:9531', { host: '::1', port: 9531 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ])('%s', (text, want) => {
    expect(parseExporterAddress(text)).toEqual(want);
  });

  it.each(['', 'abc', '70000', 'host:', 'host:port', '1.2.3.4:99999'])('rejects %j', (text) => {
    if (text === '') expect(parseExporterAddress(text)).toEqual({ host: '127.0.0.1', port: 9531 });
    else expect(parseExporterAddress(text)).toBeUndefined();
  });
});

describe('Metrics', () => {
  it('exposes sockets, listeners, counters, interfaces from a snapshot', async () => {
    const m = new Metrics();
    m.update(fixtureSnapshot('live-t0'));
    const text = await m.registry.metrics();
    expect(text).toMatch(/^netwatch_sockets\{proto="tcp",state="ESTABLISHED"\} \d+$/m);
    expect(text).toContain(
      'netwatch_listener_up{proto="tcp",address="127.0.0.1",port="38151",command="node"} 1',
    );
    expect(text).toMatch(/^netwatch_netstat_total\{group="Tcp",name="ActiveOpens"\} [1-9]\d*$/m);
    expect(text).toMatch(/^netwatch_netstat\{group="Tcp",name="MaxConn"\} -1$/m);
    expect(text).toMatch(/^netwatch_network_rx_bytes_total\{device="lo"\} [1-9]\d*$/m);
    expect(text).toContain('netwatch_network_up{device="eth0",operstate="up"} 1');
    expect(text).toMatch(/^netwatch_sockstat\{proto="TCP",name="inuse"\} \d+$/m);
    expect(text).toMatch(/^# TYPE netwatch_netstat_total counter$/m);
  });

  it('keeps a vanished listener as 0 instead of dropping the series', async () => {
    const m = new Metrics();
    m.update(fixtureSnapshot('live-t0'));
    m.update(fixtureSnapshot('live-t1', 1000));
    const text = await m.registry.metrics();
    // The process killed between the two captures listened on 127.0.0.1:42453.
    expect(text).toContain(
      'netwatch_listener_up{proto="tcp",address="127.0.0.1",port="42453",command="node"} 0',
    );
    expect(text).toContain(
      'netwatch_listener_up{proto="tcp",address="127.0.0.1",port="38151",command="node"} 1',
    );
  });
});

describe('listener series', () => {
  it('drops a vanished listener after the retention, not before', async () => {
    const m = new Metrics({ retentionMs: 60_000 });
    m.update(listening(0, [80, 443]));
    m.update(listening(30_000, [80]));
    expect(upLines(await m.registry.metrics())).toEqual([
      'netwatch_listener_up{proto="tcp",address="127.0.0.1",port="443",command="srv"} 0',
      'netwatch_listener_up{proto="tcp",address="127.0.0.1",port="80",command="srv"} 1',
    ]);
    m.update(listening(60_000, [80]));
    expect(upLines(await m.registry.metrics())).toHaveLength(2); // 60 s after it was last seen: kept
    m.update(listening(60_001, [80]));
    expect(upLines(await m.registry.metrics())).toEqual([
      'netwatch_listener_up{proto="tcp",address="127.0.0.1",port="80",command="srv"} 1',
    ]);
    expect(m.listenerSeries).toBe(1);
  });

  it('keeps the 10-minute default, documented in the README', async () => {
    const m = new Metrics();
    m.update(listening(0, [80]));
    m.update(listening(10 * 60_000, []));
    expect(upLines(await m.registry.metrics())).toHaveLength(1);
    m.update(listening(10 * 60_000 + 1, []));
    expect(upLines(await m.registry.metrics())).toHaveLength(0);
  });

  it('caps the series: 20,000 listeners that came and went leave at most the cap', async () => {
    const m = new Metrics({ maxListenerSeries: 100 });
    for (let round = 0; round < 200; round++) {
      const ports = Array.from({ length: 100 }, (_, i) => 1000 + round * 100 + i);
      m.update(listening(round * 1000, ports));
    }
    expect(m.listenerSeries).toBe(100);
    const lines = upLines(await m.registry.metrics());
    expect(lines).toHaveLength(100);
    expect(lines.every((l) => l.endsWith(' 1'))).toBe(true); // the present ones win over the vanished
  });

  it('exports the cap and counts the rest when more listeners are present than the cap', async () => {
    const m = new Metrics({ maxListenerSeries: 10 });
    m.update(
      listening(
        0,
        Array.from({ length: 25 }, (_, i) => 2000 + i),
      ),
    );
    const text = await m.registry.metrics();
    expect(upLines(text)).toHaveLength(10);
    expect(text).toContain('netwatch_listener_series_dropped 15');
  });

  it("labels a listener with its process's short name, never its command line", async () => {
    const m = new Metrics();
    m.update(listening(0, [5432], 'rootonly-db'));
    const text = await m.registry.metrics();
    expect(text).toContain('command="rootonly-db"');
    expect(text).not.toContain('hunter2');
  });

  it('--exporter-owners off: no command label at all', async () => {
    const m = new Metrics({ owners: false });
    m.update(listening(0, [5432], 'rootonly-db'));
    const text = await m.registry.metrics();
    expect(upLines(text)).toEqual(['netwatch_listener_up{proto="tcp",address="127.0.0.1",port="5432"} 1']);
    expect(text).not.toContain('rootonly-db');
  });
});

describe('the HTTP endpoint', () => {
  let exporter: Exporter | undefined;
  afterEach(async () => {
    await exporter?.close();
    exporter = undefined;
  });

  it('serves /metrics on 127.0.0.1 and 404 elsewhere', async () => {
    exporter = await startExporter(new HostReader(fixture('live-t0')), { host: '127.0.0.1', port: 0 });
    expect(exporter.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(exporter.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^netwatch_sockets\{proto="tcp6",state="LISTEN"\} \d+$/m);
    const other = await fetch(exporter.url.replace('/metrics', '/nope'));
    expect(other.status).toBe(404);
    const post = await fetch(exporter.url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const head = await fetch(exporter.url, { method: 'HEAD' });
    expect(head.status).toBe(405);
    const root = await fetch(exporter.url.replace('/metrics', '/'));
    expect(await root.text()).toMatch(/metrics at \/metrics/);
  });

  it('refuses a host that is neither a name nor an address, without asking DNS', async () => {
    await expect(
      startExporter(new HostReader(fixture('live-t0')), { host: 'bad!host', port: 0 }),
    ).rejects.toThrow(/^cannot serve metrics at bad!host:0: not a host name or address$/);
  });
});

describe('events in the exporter', () => {
  it('counts events by kind (every kind from 0) and restarts by listener', async () => {
    const m = new Metrics();
    const before = await m.registry.metrics();
    expect(before).toMatch(/^netwatch_events_total\{kind="listener-restarted"\} 0$/m);
    expect(before).toMatch(/^netwatch_events_total\{kind="iface-down"\} 0$/m);
    m.countEvents([
      {
        id: 1,
        time: 0,
        kind: 'listener-restarted',
        object: 'tcp 0.0.0.0:80',
        detail: 'pid 1 → 2',
        target: { table: 'listeners', key: 'tcp 0.0.0.0 80' },
      },
      {
        id: 2,
        time: 0,
        kind: 'listener-restarted',
        object: 'tcp6 [::]:22',
        detail: '',
        target: { table: 'listeners', key: 'tcp6 :: 22' },
      },
      {
        id: 3,
        time: 0,
        kind: 'listener-restarted',
        object: 'tcp 0.0.0.0:80',
        detail: '',
        target: { table: 'listeners', key: 'tcp 0.0.0.0 80' },
      },
      { id: 4, time: 0, kind: 'iface-down', object: 'eth0', detail: '' },
    ]);
    const text = await m.registry.metrics();
    expect(text).toMatch(/^netwatch_events_total\{kind="listener-restarted"\} 3$/m);
    expect(text).toMatch(/^netwatch_events_total\{kind="iface-down"\} 1$/m);
    expect(text).toMatch(
      /^netwatch_listener_restarts_total\{proto="tcp",address="0\.0\.0\.0",port="80"\} 2$/m,
    );
    expect(text).toMatch(/^netwatch_listener_restarts_total\{proto="tcp6",address="::",port="22"\} 1$/m);
  });

  it('sees what changed between two scrapes: listeners gone from the tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nw-exp-'));
    try {
      cpSync(fixture('live-t0'), dir, { recursive: true, verbatimSymlinks: true });
      const exporter = await startExporter(new HostReader(dir), { host: '127.0.0.1', port: 0 });
      try {
        await (await fetch(exporter.url)).text();
        for (const f of ['tcp', 'tcp6', 'udp', 'udp6'])
          copyFileSync(join(fixture('live-t1'), 'proc/net', f), join(dir, 'proc/net', f));
        // Past the time a finished snapshot is shared with later scrapes.
        await new Promise((r) => setTimeout(r, 1100));
        const text = await (await fetch(exporter.url)).text();
        expect(
          Number(/^netwatch_events_total\{kind="listener-gone"\} (\d+)$/m.exec(text)?.[1]),
        ).toBeGreaterThan(0);
      } finally {
        await exporter.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

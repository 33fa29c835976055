import { afterEach, describe, expect, it } from 'vitest';
import { type Exporter, Metrics, startExporter } from '../../src/cli/exporter.js';
import { parseExporterAddress } from '../../src/cli/options.js';
import { HostReader } from '../../src/sample/reader.js';
import { fixtureSnapshot } from '../helpers/app.js';
import { fixture } from '../helpers/cli.js';

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
  });
});

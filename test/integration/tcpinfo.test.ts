// Per-connection throughput from tcp_info, against a transfer of known rate: a child process sends to itself
// over 127.0.0.1 at 4 MiB/s (on an absolute schedule, so a late timer catches up). netwatch's TX/s of the
// sending socket and RX/s of the receiving one must be within 10 % of that, the Processes pane's row for the
// child must sum them, and `ss -tinH`'s bytes_acked / bytes_received over the same interval must agree.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/model/diff.js';
import { LiveStore } from '../../src/model/livestore.js';
import { tcpIndex, tcpStatsAt } from '../../src/model/tcpinfo.js';
import type { InetSocket, Snapshot } from '../../src/model/types.js';
import { nativeBinding, tcpDumpFor } from '../../src/sample/native.js';
import { HostReader } from '../../src/sample/reader.js';
import { Collector, SELECT_ALL, type Selection } from '../../src/sample/sampler.js';
import { processRows } from '../../src/view/processes.js';
import { waitFor } from '../helpers/children.js';

const RATE = 4 * 1024 * 1024;
const WINDOW_MS = 3000;

const SENDER = `
const net = require('node:net');
const server = net.createServer((c) => c.on('data', () => {}));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ port: server.address().port, client: c.localPort }) + '\\n');
    const start = Date.now();
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 120);
    setInterval(() => {
      const due = Math.floor(((Date.now() - start) / 1000) * ${RATE});
      while (sent + chunk.length <= due) { c.write(chunk); sent += chunk.length; }
    }, 20);
  });
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

const TCP: Selection = { ...SELECT_ALL, inet: new Set(['tcp', 'tcp6']), unix: false, routes: false };

/**
 * bytes_acked and bytes_received of the connection from this local port to this remote one, from ss -tinH.
 * Both ends: on a busy host another connection can have the same local port (an ephemeral port is reused
 * towards other destinations), and the first match was then an idle one.
 */
function ss(localPort: number, remotePort: number): { acked: number; received: number } {
  const out = execFileSync(
    'ss',
    ['-tinH', 'src', `127.0.0.1:${localPort}`, 'dst', `127.0.0.1:${remotePort}`],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const n = (k: string) => Number(new RegExp(`${k}:(\\d+)`).exec(out)?.[1] ?? Number.NaN);
  return { acked: n('bytes_acked'), received: n('bytes_received') };
}

const hasSs = (() => {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(nativeBinding() !== undefined && hasSs)(
  'tcp_info throughput of a paced loopback transfer',
  () => {
    let child: ChildProcess;
    let ports: { port: number; client: number };

    beforeAll(async () => {
      child = spawn(process.execPath, ['-e', SENDER], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
      });
      ports = await waitFor(
        () => (out.includes('\n') ? JSON.parse(out.slice(0, out.indexOf('\n'))) : undefined),
        10_000,
        'the sender',
      );
      // Let the transfer settle into its pace.
      await new Promise((r) => setTimeout(r, 500));
    });

    afterAll(() => {
      child?.kill('SIGKILL');
    });

    it('TX/s and RX/s within 10 % of 4 MiB/s, summed per process, and in agreement with ss', async () => {
      const collector = new Collector(new HostReader('/'), undefined, true, tcpDumpFor('/'));
      const first = collector.collect(TCP);
      const ss0 = { client: ss(ports.client, ports.port), t: performance.now() };
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const second = collector.collect(TCP);
      const ss1 = { client: ss(ports.client, ports.port), t: performance.now() };
      const table = second.tcpInfo!;
      expect(table.elapsedMs).toBeGreaterThan(WINDOW_MS - 50);

      const find = (s: Snapshot, local: number, remote: number) =>
        s.sockets.find(
          (x): x is InetSocket => x.kind === 'inet' && x.local.port === local && x.remote.port === remote,
        )!;
      const sender = find(second, ports.client, ports.port);
      const receiver = find(second, ports.port, ports.client);
      const tx = tcpStatsAt(table, tcpIndex(table, sender)).txBps!;
      const rx = tcpStatsAt(table, tcpIndex(table, receiver)).rxBps!;
      const within = (v: number, target: number, what: string) =>
        expect(Math.abs(v - target) / target, `${what}: ${(v / 1048576).toFixed(2)} MiB/s`).toBeLessThan(0.1);
      within(tx, RATE, 'sender TX/s');
      within(rx, RATE, 'receiver RX/s');

      // ss over (almost) the same interval: bytes_acked of the sender.
      const ssTx = ((ss1.client.acked - ss0.client.acked) * 1000) / (ss1.t - ss0.t);
      within(tx, ssTx, 'netwatch vs ss bytes_acked');

      // The Processes pane: the child holds both ends, so its row has both rates.
      const store = new LiveStore({ getState: () => undefined, subscribe: () => () => {} });
      store.ingest({ snapshot: first, diff: undefined, seq: 1 });
      store.ingest({ snapshot: second, diff: diffSnapshots(first, second), seq: 2 });
      const row = processRows(store.getView()!, 'process').find((r) => r.pids.includes(child.pid!))!;
      expect(row.established).toBeGreaterThanOrEqual(2);
      expect(row.listeners).toBeGreaterThanOrEqual(1);
      within(row.txBps!, tx, 'process TX/s = its connections');
      within(row.rxBps!, rx, 'process RX/s = its connections');
      expect(row.share).toBeGreaterThan(0.5);
    }, 30_000);
  },
);

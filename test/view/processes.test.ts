import { describe, expect, it } from 'vitest';
import { LiveStore } from '../../src/model/livestore.js';
import type { Snapshot } from '../../src/model/types.js';
import { processRows, sortProcesses } from '../../src/view/processes.js';
import { inet, proc, snapshot, unix } from '../helpers/snapshots.js';

function viewOf(s: Snapshot) {
  const store = new LiveStore({ getState: () => undefined, subscribe: () => () => {} });
  store.ingest({ snapshot: s, diff: undefined, seq: 1 });
  return store.getView()!;
}

const nginx = proc(100, 'nginx', { user: 'www-data', uid: 33 });
const worker = proc(101, 'nginx', { user: 'www-data', uid: 33 });
const dns = proc(200, 'dnsmasq');
const s = snapshot(0, {
  sockets: [
    inet('tcp', '0.0.0.0:443', '0.0.0.0:0', 'LISTEN', 1),
    inet('tcp', '10.0.0.1:443', '192.0.2.7:50000', 'ESTABLISHED', 2),
    inet('tcp', '10.0.0.1:443', '192.0.2.7:50001', 'CLOSE_WAIT', 3),
    inet('tcp', '10.0.0.1:443', '192.0.2.9:50002', 'TIME_WAIT', 0),
    inet('udp', '0.0.0.0:53', '0.0.0.0:0', 'UNCONN', 4),
    inet('tcp', '10.0.0.1:22', '192.0.2.9:40000', 'ESTABLISHED', 5),
    unix('/run/nginx.sock', 6),
  ],
  owners: new Map([
    [1, [nginx, worker]],
    [2, [worker]],
    [3, [worker]],
    [4, [dns]],
    [6, [nginx]],
  ]),
});

describe('processRows', () => {
  it('by process: listeners, connections by state, UDP and unix counted; unknown owners in one row', () => {
    const rows = processRows(viewOf(s), 'process');
    const by = new Map(rows.map((r) => [r.label, r]));
    expect(by.get('100/nginx')).toMatchObject({ listeners: 2, established: 0, unix: 1, user: 'www-data' });
    expect(by.get('101/nginx')).toMatchObject({ listeners: 1, established: 1, closeWait: 1 });
    expect(by.get('200/dnsmasq')).toMatchObject({ listeners: 1, udp: 1, rxBps: undefined, txBps: undefined });
    // TIME_WAIT has no inode and the sshd socket no known owner here.
    expect(by.get('- (owner unknown)')).toMatchObject({ timeWait: 1, established: 1 });
    // No tcp_info in this snapshot: no rates, no share.
    expect(rows.every((r) => r.rxBps === undefined && r.share === undefined)).toBe(true);
  });

  it('by remote address and by local service', () => {
    const remote = processRows(viewOf(s), 'remote', undefined, true);
    expect(remote.map((r) => [r.label, r.established + r.closeWait + r.timeWait, r.pids]).sort()).toEqual([
      ['192.0.2.7', 2, [101]],
      ['192.0.2.9', 2, []],
    ]);
    const service = processRows(viewOf(s), 'service', undefined, true);
    expect(service.map((r) => r.label).sort()).toEqual(['tcp :22', 'tcp :443', 'udp :53']);
    const https = service.find((r) => r.label === 'tcp :443')!;
    expect(https).toMatchObject({
      listeners: 1,
      established: 1,
      closeWait: 1,
      timeWait: 1,
      pids: [100, 101],
    });
  });

  it('sorts by connections and by name', () => {
    const rows = processRows(viewOf(s), 'process');
    expect(sortProcesses(rows, 'conns', false)[0]!.established).toBe(1);
    expect(sortProcesses(rows, 'name', false).map((r) => r.label)).toEqual([
      '- (owner unknown)',
      '100/nginx',
      '101/nginx',
      '200/dnsmasq',
    ]);
  });
});

// Real sockets on 127.0.0.1 and ::1, sampled from the real /proc, checked against ss run in the same test.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InetSocket, Snapshot } from '../../src/model/types.js';
import { HostReader } from '../../src/sample/reader.js';
import { Collector, SELECT_ALL } from '../../src/sample/sampler.js';
import { type SocketChild, startSocketChild } from '../helpers/children.js';

let child: SocketChild;
let snap: Snapshot;

beforeAll(async () => {
  child = await startSocketChild();
  snap = new Collector(new HostReader('/')).collect(SELECT_ALL);
});

afterAll(async () => {
  await child?.stop();
});

function childSockets(s: Snapshot): InetSocket[] {
  return s.sockets.filter(
    (x): x is InetSocket =>
      x.kind === 'inet' && (s.owners.get(x.inode) ?? []).some((p) => p.pid === child.pid),
  );
}

function find(proto: string, port: number, state: string): InetSocket | undefined {
  return childSockets(snap).find((s) => s.proto === proto && s.local.port === port && s.state === state);
}

describe('sampling real loopback sockets', () => {
  it('finds the listeners, their states and their owner', () => {
    const l4 = find('tcp', child.ports.tcp4, 'LISTEN');
    const l6 = find('tcp6', child.ports.tcp6, 'LISTEN');
    expect(l4?.local.address).toBe('127.0.0.1');
    expect(l6?.local.address).toBe('::1');
    expect(l4?.remote).toEqual({ address: '0.0.0.0', port: 0 });
    const owner = snap.owners.get(l4!.inode)![0]!;
    expect(owner.pid).toBe(child.pid);
    expect(owner.command).toBe('node');
    expect(owner.cmdline).toContain(process.execPath);
  });

  it('finds both ends of each established connection', () => {
    const c4 = find('tcp', child.ports.client4, 'ESTABLISHED');
    expect(c4?.remote).toEqual({ address: '127.0.0.1', port: child.ports.tcp4 });
    const server4 = childSockets(snap).find(
      (s) => s.local.port === child.ports.tcp4 && s.remote.port === child.ports.client4,
    );
    expect(server4?.state).toBe('ESTABLISHED');
    const c6 = find('tcp6', child.ports.client6, 'ESTABLISHED');
    expect(c6?.remote).toEqual({ address: '::1', port: child.ports.tcp6 });
  });

  it('finds the UDP sockets as UNCONN', () => {
    expect(find('udp', child.ports.udp4, 'UNCONN')?.local.address).toBe('127.0.0.1');
    expect(find('udp6', child.ports.udp6, 'UNCONN')?.local.address).toBe('::1');
  });

  it('agrees with ss -tuanpeH on every socket of the child (proto, addresses, state, inode)', () => {
    const ssText = execFileSync('ss', ['-tuanpeH'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const SS_STATE: Record<string, string> = {
      ESTAB: 'ESTABLISHED',
      LISTEN: 'LISTEN',
      UNCONN: 'UNCONN',
      'TIME-WAIT': 'TIME_WAIT',
      'SYN-SENT': 'SYN_SENT',
      'SYN-RECV': 'SYN_RECV',
      'CLOSE-WAIT': 'CLOSE_WAIT',
    };
    const strip = (ep: string) => {
      const i = ep.lastIndexOf(':');
      const host = ep.slice(0, i).replace(/^\[|\]$/g, '');
      const port = ep.slice(i + 1);
      return `${host}:${port === '*' ? 0 : port}`;
    };
    const fromSs = new Set<string>();
    for (const line of ssText.split('\n')) {
      if (!line.includes(`pid=${child.pid},`)) continue;
      const f = line.trim().split(/\s+/);
      const ino = /ino:(\d+)/.exec(line)?.[1];
      fromSs.add(`${f[0]} ${SS_STATE[f[1]!] ?? f[1]} ${strip(f[4]!)} ${strip(f[5]!)} ${ino}`);
    }
    const ours = new Set(
      childSockets(snap).map(
        (s) =>
          `${s.proto.replace(/6$/, '')} ${s.state} ${s.local.address}:${s.local.port} ${s.remote.address}:${s.remote.port} ${s.inode}`,
      ),
    );
    // 2 listeners + 4 connection ends + 2 UDP sockets.
    expect(ours.size).toBe(8);
    expect([...ours].sort()).toEqual([...fromSs].sort());
  });

  it('agrees with ss on the host-wide set of TCP listeners', () => {
    const ssText = execFileSync('ss', ['-tlnH'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const fromSs = ssText
      .split('\n')
      .filter(Boolean)
      .map((l) =>
        l
          .trim()
          .split(/\s+/)[3]!
          .replace(/^\[(.*)\]:(\d+)$/, '$1:$2')
          .replace(/^\*:/, ':::'),
      )
      .sort();
    const again = new Collector(new HostReader('/')).collect({ ...SELECT_ALL, owners: false });
    const ours = again.sockets
      .filter((s): s is InetSocket => s.kind === 'inet' && s.state === 'LISTEN')
      .map((s) => `${s.local.address}:${s.local.port}`)
      .sort();
    expect(ours).toEqual(fromSs);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diffSnapshots, listenerKey } from '../../src/model/diff.js';
import { HostReader } from '../../src/sample/reader.js';
import { type Clock, Collector, Sampler, SELECT_ALL, SELECT_NOTHING } from '../../src/sample/sampler.js';
import { fixture } from '../helpers/cli.js';

function fakeClock(start = 1000): Clock & { advance(ms: number): void } {
  let mono = start;
  return {
    mono: () => mono,
    wall: () => 1_700_000_000_000 + mono,
    advance(ms: number) {
      mono += ms;
    },
  };
}

describe('Collector on the captured fixtures', () => {
  const t0 = new Collector(new HostReader(fixture('live-t0')), fakeClock(0)).collect(SELECT_ALL);
  const t1 = new Collector(new HostReader(fixture('live-t1')), fakeClock(1000)).collect(SELECT_ALL);

  it('reads every table of the tree with no skipped lines and no warnings', () => {
    expect(t0.warnings).toEqual([]);
    expect([...t0.skippedLines]).toEqual([]);
    const tcp = t0.sockets.filter((s) => s.proto === 'tcp');
    expect(tcp.length).toBe(3215); // 3216 lines minus the header
    expect(t0.sockets.filter((s) => s.proto === 'tcp6').length).toBe(804);
    expect(t0.sockets.some((s) => s.proto === 'unix')).toBe(true);
    expect(t0.hostname).toBe('vm');
    expect(t0.routes.some((r) => r.family === 4 && r.gateway === '192.0.2.1' && r.prefixLength === 0)).toBe(
      true,
    );
    expect(t0.interfaces.map((i) => i.name).sort()).toEqual(['eth0', 'ifb0', 'ifb1', 'lo']);
    expect(t0.counters.get('Tcp')?.get('ActiveOpens')).toBeGreaterThan(2000n);
    expect(t0.counters.get('TcpExt')?.has('ListenDrops')).toBe(true);
    expect(t0.counters.get('Ip6')?.has('InReceives')).toBe(true);
    expect(t0.sockstat.map((p) => p.proto)).toContain('TCP');
    expect(t0.multicast.some((g) => g.group === '224.0.0.1')).toBe(true);
  });

  it('hands back the same socket objects when the tables did not change, unix ones included', () => {
    const collector = new Collector(new HostReader(fixture('live-t0')), fakeClock(0));
    const a = collector.collect(SELECT_ALL);
    const b = collector.collect(SELECT_ALL);
    expect(b.sockets).toHaveLength(a.sockets.length);
    const unix = b.sockets.filter((s) => s.kind === 'unix').length;
    expect(unix).toBeGreaterThan(0);
    expect(b.sockets.filter((s, i) => s !== a.sockets[i])).toEqual([]);
  });

  it('maps the listeners of the captured processes to their owners', () => {
    const owner = t0.owners.get(8164)?.[0];
    expect(owner).toMatchObject({ pid: 3753, command: 'node', uid: 0, user: 'root' });
    expect(t0.ownerStats.processes).toBe(5);
  });

  it('diffs t0 → t1: the killed process’s listeners vanished, the new one appeared', () => {
    const d = diffSnapshots(t0, t1);
    expect(d.elapsedMs).toBe(1000);
    const vanished = d.listenersVanished.map(listenerKey).filter((k) => k.startsWith('tcp'));
    expect(vanished.sort()).toEqual(['tcp 127.0.0.1 42453', 'tcp 127.0.0.1 46393', 'tcp6 ::1 39071'].sort());
    expect(d.listenersAppeared.map(listenerKey)).toContain('tcp 127.0.0.1 51675');
    // Its 500 connections closed at both ends: one end is gone, the end that closed first lingers in
    // TIME_WAIT without an inode, which the diff reports as a state change of the same socket.
    const closed = d.closed.filter((s) => s.proto.startsWith('tcp')).length;
    const toTimewait = d.changed.filter((c) => c.after.state === 'TIME_WAIT' && c.before.inode !== 0).length;
    expect(closed).toBeGreaterThanOrEqual(500);
    expect(toTimewait).toBeGreaterThanOrEqual(490);
    expect(closed + toTimewait).toBeGreaterThanOrEqual(1000);
    const activeOpens = d.counters.get('Tcp')?.get('ActiveOpens');
    expect(activeOpens?.delta).toBeGreaterThanOrEqual(0n);
    expect(activeOpens?.rate).toBe(Number(activeOpens?.delta));
  });
});

describe('Collector on bad trees', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('treats missing files as empty tables, not errors', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-empty-'));
    mkdirSync(join(dir, 'proc'));
    const s = new Collector(new HostReader(dir)).collect(SELECT_ALL);
    expect(s.sockets).toEqual([]);
    expect(s.routes).toEqual([]);
    expect(s.interfaces).toEqual([]);
    expect(s.warnings).toEqual([]);
    expect(s.conntrack).toBeUndefined();
  });

  it('turns an unreadable file into a warning and keeps the rest', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-bad-'));
    mkdirSync(join(dir, 'proc/net/tcp'), { recursive: true }); // a directory where a file should be
    writeFileSync(
      join(dir, 'proc/net/udp'),
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n' +
        '  1: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 77 2 0000000000000000 0\n',
    );
    const s = new Collector(new HostReader(dir)).collect({
      ...SELECT_NOTHING,
      inet: new Set(['tcp', 'udp']),
    });
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toBe('cannot read /proc/net/tcp: a directory, not a regular file');
    expect(s.sockets).toHaveLength(1);
    expect(s.sockets[0]).toMatchObject({ proto: 'udp', state: 'UNCONN', inode: 77 });
  });
});

describe('Sampler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes a snapshot per tick, with a diff from the second on, timed by the injected clock', () => {
    const clock = fakeClock();
    const sampler = new Sampler({ reader: new HostReader(fixture('live-t0')), clock, intervalMs: 500 });
    const seen: number[] = [];
    const off = sampler.subscribe(() => seen.push(sampler.getState()!.seq));
    const first = sampler.tick();
    expect(first.diff).toBeUndefined();
    clock.advance(500);
    const second = sampler.tick();
    expect(second.diff?.elapsedMs).toBe(500);
    expect(second.diff?.opened).toEqual([]);
    expect(second.diff?.closed).toEqual([]);
    expect(seen).toEqual([1, 2]);
    off();
    sampler.tick();
    expect(seen).toEqual([1, 2]);
  });

  it('ticks on its schedule once started, and not after stop', () => {
    vi.useFakeTimers();
    const clock = fakeClock(0);
    const sampler = new Sampler({ reader: new HostReader(fixture('live-t0')), clock, intervalMs: 1000 });
    const ticks: number[] = [];
    sampler.subscribe(() => ticks.push(clock.mono()));
    sampler.start();
    vi.advanceTimersByTime(0);
    expect(ticks).toEqual([0]);
    clock.advance(1000);
    vi.advanceTimersByTime(1000);
    expect(ticks).toEqual([0, 1000]);
    sampler.stop();
    clock.advance(5000);
    vi.advanceTimersByTime(5000);
    expect(ticks).toEqual([0, 1000]);
    expect(sampler.running).toBe(false);
  });
});

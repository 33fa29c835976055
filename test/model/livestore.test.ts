import { describe, expect, it, vi } from 'vitest';
import { interfaceKey, listenerKey, socketKey } from '../../src/model/diff.js';
import {
  CLIMB_WINDOW_MS,
  CLOSED_TICKS,
  type GoneListener,
  INTERFACE_ERRORS,
  LiveStore,
  MARK_MS,
  seriesKey,
} from '../../src/model/livestore.js';
import { SERIES_CAPACITY } from '../../src/model/series.js';
import type { Snapshot, Socket } from '../../src/model/types.js';
import { HostReader } from '../../src/sample/reader.js';
import { Sampler } from '../../src/sample/sampler.js';
import { fixedClock, fixtureSnapshot, makeStore, WALL_BASE } from '../helpers/app.js';
import { fixture } from '../helpers/cli.js';
import { counters, dev, inet, proc, route, snapshot, unix } from '../helpers/snapshots.js';

const WEB = inet('tcp', '0.0.0.0:80', '0.0.0.0:0', 'LISTEN', 100);
const DNS = inet('udp', '127.0.0.1:53', '0.0.0.0:0', 'UNCONN', 101);
const SSH = inet('tcp', '10.0.0.1:22', '10.0.0.9:50000', 'ESTABLISHED', 200);
const owners = new Map([[100, [proc(10, 'nginx')]]]);

/** Snapshots one second apart (WALL_BASE + n·1000). */
function at(n: number, sockets: Socket[], extra: Parameters<typeof snapshot>[1] = {}): Snapshot {
  return snapshot(n * 1000, { sockets, owners, ...extra });
}

describe('LiveStore', () => {
  it('publishes nothing before the first sample, then the first sample without a diff', () => {
    const { store, push } = makeStore();
    expect(store.getView()).toBeUndefined();
    push(at(0, [WEB]));
    const view = store.getView()!;
    expect(view.seq).toBe(1);
    expect(view.diff).toBeUndefined();
    expect(view.gone).toEqual([]);
    expect(view.startedAt).toBe(WALL_BASE);
    expect(view.paused).toBe(false);
  });

  it('keeps a vanished listener as gone, with its owners and time, until acknowledged', () => {
    const { store, push } = makeStore([at(0, [WEB, DNS]), at(1, [DNS])]);
    const gone = store.getView()!.gone;
    expect(gone.map((g) => g.key)).toEqual([listenerKey(WEB)]);
    expect(gone[0]).toMatchObject({ vanishedAt: WALL_BASE + 1000, owners: [{ pid: 10, command: 'nginx' }] });
    push(at(2, [DNS]));
    push(at(3, [DNS]));
    expect(store.getView()!.gone.map((g) => g.key)).toEqual([listenerKey(WEB)]);
    store.acknowledge();
    expect(store.getView()!.gone).toEqual([]);
    push(at(4, [DNS]));
    expect(store.getView()!.gone).toEqual([]);
  });

  it('a listener that comes back is no longer gone: it is restarted (with its downtime) until acknowledged', () => {
    const { store, push } = makeStore([at(0, [WEB]), at(1, [])]);
    expect(store.getView()!.gone).toHaveLength(1);
    push(at(3, [{ ...WEB, inode: 300 }], { owners: new Map([[300, [proc(11, 'nginx')]]]) }));
    const view = store.getView()!;
    expect(view.gone).toEqual([]);
    expect(view.appeared.size).toBe(0);
    expect([...view.restarted.values()]).toEqual([
      { key: listenerKey(WEB), at: WALL_BASE + 3000, beforePids: [10], afterPids: [11], downMs: 2000 },
    ]);
    expect(view.events.map((e) => `${e.kind} ${e.object} ${e.detail}`)).toEqual([
      'listener-gone tcp 0.0.0.0:80 pid 10',
      'listener-restarted tcp 0.0.0.0:80 pid 10 → 11, down 2.0s',
    ]);
    store.acknowledge();
    expect(store.getView()!.restarted.size).toBe(0);
  });

  it('marks listeners that appear after the first sample as new, not the ones already there', () => {
    const { store } = makeStore([at(0, [WEB]), at(1, [WEB, DNS])]);
    expect([...store.getView()!.appeared.keys()]).toEqual([listenerKey(DNS)]);
  });

  it('keeps a closed socket for CLOSED_TICKS ticks, with the owners it had', () => {
    const { store, push } = makeStore([at(0, [WEB, SSH])]);
    push(at(1, [WEB]));
    const seen: number[] = [];
    for (let n = 2; n < 2 + CLOSED_TICKS + 2; n++) {
      if (store.getView()!.closed.some((c) => c.socket === SSH)) seen.push(n - 1);
      push(at(n, [WEB]));
    }
    expect(seen).toHaveLength(CLOSED_TICKS);
    expect(seen).toEqual(Array.from({ length: CLOSED_TICKS }, (_, i) => i + 1));
    expect(store.getView()!.closed).toEqual([]);
  });

  it('remembers the owners of a socket that closed', () => {
    const { store } = makeStore([at(0, [WEB]), at(1, [])]);
    expect(store.getView()!.closed[0]).toMatchObject({ socket: WEB, owners: [{ pid: 10 }] });
  });

  it('keeps removed routes for CLOSED_TICKS ticks', () => {
    const r = route('10.0.0.0', 8, '0.0.0.0', 'eth0');
    const { store, push } = makeStore([at(0, [], { routes: [r] }), at(1, [], { routes: [] })]);
    expect(store.getView()!.removedRoutes.map((x) => x.route)).toEqual([r]);
    for (let i = 1; i < CLOSED_TICKS; i++) push(at(1 + i, [], { routes: [] }));
    expect(store.getView()!.removedRoutes).toHaveLength(1);
    push(at(1 + CLOSED_TICKS, [], { routes: [] }));
    expect(store.getView()!.removedRoutes).toEqual([]);
  });

  it('records when a socket was first seen; sockets of the first sample predate netwatch', () => {
    const { store, push } = makeStore([at(0, [WEB])]);
    push(at(5, [WEB, SSH]));
    const view = store.getView()!;
    expect(view.firstSeen(socketKey(WEB))).toBeUndefined();
    expect(view.firstSeen(socketKey(SSH))).toBe(WALL_BASE + 5000);
  });

  it("a paused view keeps its own copy of tcp_info: the live collector's dump buffers are reused", () => {
    const words = Uint32Array.from({ length: 95 }, (_, i) => i);
    const prevWords = new Uint32Array(95).fill(3);
    const tcpInfo = {
      layout: { infoLen: 26, info: 27, infoWords: 58, memLen: 85, mem: 86, memWords: 9 },
      sockets: [SSH],
      words,
      at: Int32Array.from([0]),
      prevWords,
      prevAt: Int32Array.from([0]),
      elapsedMs: 1000,
    };
    const { store, push } = makeStore([at(0, [SSH], { tcpInfo })]);
    store.setPaused(true);
    const frozen = store.getView()!.snapshot.tcpInfo!;
    words.fill(0);
    prevWords.fill(0);
    push(at(1, [SSH]));
    expect(frozen.words).not.toBe(words);
    expect(frozen.words[94]).toBe(94);
    expect(frozen.prevWords![0]).toBe(3);
    expect(store.getView()!.snapshot.sockets).toEqual([SSH]);
    store.setPaused(false);
    expect(store.getView()!.snapshot.tcpInfo).toBeUndefined();
  });

  it('freezes getView() while paused; ingest goes on and unpausing jumps to the latest sample', () => {
    const { store, push } = makeStore([at(0, [WEB, DNS])]);
    const notified = vi.fn();
    store.subscribe(notified);
    store.setPaused(true);
    const frozen = store.getView()!;
    expect(frozen.paused).toBe(true);
    expect(notified).toHaveBeenCalledTimes(1);
    push(at(1, [DNS]));
    push(at(2, [DNS, SSH]));
    expect(store.getView()).toBe(frozen);
    expect(store.getView()!.snapshot.sockets).toEqual([WEB, DNS]);
    expect(notified).toHaveBeenCalledTimes(1);
    store.setPaused(false);
    const resumed = store.getView()!;
    expect(resumed.seq).toBe(3);
    expect(resumed.paused).toBe(false);
    expect(resumed.snapshot.sockets).toEqual([DNS, SSH]);
    // The listener that vanished during the pause is still reported.
    expect(resumed.gone.map((g) => g.key)).toEqual([listenerKey(WEB)]);
    expect(notified).toHaveBeenCalledTimes(2);
    store.setPaused(false);
    expect(notified).toHaveBeenCalledTimes(2);
  });

  it('acknowledging while paused clears the gone list on the frozen view and keeps it frozen', () => {
    const { store, push } = makeStore([at(0, [WEB]), at(1, [])]);
    store.setPaused(true);
    push(at(2, [SSH]));
    store.acknowledge();
    const view = store.getView()!;
    expect(view.gone).toEqual([]);
    expect(view.seq).toBe(2);
    expect(view.paused).toBe(true);
    store.setPaused(false);
    expect(store.getView()!.gone).toEqual([]);
    expect(store.getView()!.seq).toBe(3);
  });

  it('acknowledging while paused keeps what vanished during the pause, unseen, for after it', () => {
    const { store, push } = makeStore([at(0, [WEB, DNS]), at(1, [DNS])]);
    store.setPaused(true);
    push(at(2, [])); // DNS vanishes behind the frozen view
    store.acknowledge(); // the user acknowledges WEB, the one on screen
    expect(store.getView()!.gone).toEqual([]);
    store.setPaused(false);
    expect(store.getView()!.gone.map((g) => g.key)).toEqual([listenerKey(DNS)]);
  });

  it('calls onVanished once per tick with that tick’s vanished listeners', () => {
    const calls: GoneListener[][] = [];
    const { push } = makeStore([at(0, [WEB, DNS])], { onVanished: (g) => calls.push([...g]) });
    push(at(1, [WEB, DNS]));
    expect(calls).toEqual([]);
    push(at(2, [DNS]));
    push(at(3, []));
    expect(calls.map((c) => c.map((g) => g.key))).toEqual([[listenerKey(WEB)], [listenerKey(DNS)]]);
  });

  it('calls onVanished with the listeners of the process killed between live-t0 and live-t1', () => {
    const onVanished = vi.fn();
    makeStore([fixtureSnapshot('live-t0', 0), fixtureSnapshot('live-t1', 1000)], { onVanished });
    expect(onVanished).toHaveBeenCalledTimes(1);
    const keys = (onVanished.mock.calls[0]![0] as GoneListener[]).map((g) => g.key);
    expect(keys).toEqual(
      expect.arrayContaining(['tcp 127.0.0.1 42453', 'tcp 127.0.0.1 46393', 'tcp6 ::1 39071']),
    );
    expect(keys).toHaveLength(9);
    const gone = onVanished.mock.calls[0]![0] as GoneListener[];
    expect(gone.every((g) => g.owners[0]?.pid === 3752)).toBe(true);
  });

  it('keeps a bounded rate history per interface: SERIES_CAPACITY samples, newest last', () => {
    const { store, push } = makeStore();
    const total = SERIES_CAPACITY + 7;
    for (let n = 0; n < total; n++) {
      // Cumulative 1000 + 2000 + … + n·1000 bytes: the rate at sample n is n·1000 B/s.
      const rx = BigInt((n * (n + 1) * 1000) / 2);
      push(at(n, [], { interfaces: [{ ...dev('eth0', rx, 0n), ifindex: 2 }] }));
    }
    const view = store.getView()!;
    const key = interfaceKey({ name: 'eth0', ifindex: 2 });
    const rx = view.series(seriesKey.iface(key, 'rx'), SERIES_CAPACITY + 10);
    const tx = view.series(seriesKey.iface(key, 'tx'), SERIES_CAPACITY);
    expect(rx).toHaveLength(SERIES_CAPACITY + 10);
    // What the ring no longer holds is a hole, not a wrong value.
    expect(rx.slice(0, 10)).toEqual(new Array(10).fill(undefined));
    expect(rx.at(-1)).toBe((total - 1) * 1000);
    expect(rx[10]).toBe((total - SERIES_CAPACITY) * 1000);
    expect(tx.every((v) => v === 0)).toBe(true);
  });

  it('keeps a deleted interface on screen for MARK_MS, with its history, then forgets both', () => {
    const eth0 = (n: bigint) => ({ ...dev('eth0', n, 0n), ifindex: 2 });
    const tun0 = { ...dev('tun0', 0n, 0n), ifindex: 9 };
    const { store, push } = makeStore([
      at(0, [], { interfaces: [eth0(0n), tun0] }),
      at(1, [], { interfaces: [eth0(5n), { ...tun0, rxBytes: 100n }] }),
      at(2, [], { interfaces: [eth0(10n)] }),
    ]);
    let view = store.getView()!;
    expect(view.removedInterfaces.map((r) => r.key)).toEqual(['tun0#9']);
    expect(view.interfaceMarks.get('tun0#9')).toEqual({ change: 'deleted', at: WALL_BASE + 2000 });
    expect(view.series(seriesKey.iface('tun0#9', 'rx'), 2)).toEqual([100, undefined]);
    expect(view.events.map((e) => [e.kind, e.object])).toEqual([['iface-deleted', 'tun0']]);
    push(snapshot(2000 + MARK_MS, { interfaces: [eth0(20n)] }));
    view = store.getView()!;
    expect(view.removedInterfaces).toEqual([]);
    expect(view.interfaceMarks.size).toBe(0);
    expect(view.series(seriesKey.iface('tun0#9', 'rx'), 3)).toEqual([undefined, undefined, undefined]);
  });

  it('follows a sampler once attached', () => {
    const sampler = new Sampler({ reader: new HostReader(fixture('edge-hostile')), clock: fixedClock(0) });
    const store = new LiveStore(sampler);
    const detach = store.attach();
    expect(store.getView()).toBeUndefined();
    sampler.tick();
    expect(store.getView()!.seq).toBe(1);
    sampler.tick();
    expect(store.getView()!.seq).toBe(2);
    detach();
    sampler.tick();
    expect(store.getView()!.seq).toBe(2);
    // Attaching to a sampler that already sampled shows that sample at once.
    const late = new LiveStore(sampler);
    late.attach();
    expect(late.getView()!.seq).toBe(3);
  });

  it('lists unix listeners among the gone ones too', () => {
    const sock = unix('/run/app.sock', 500);
    const { store } = makeStore([at(0, [sock]), at(1, [])]);
    expect(store.getView()!.gone.map((g) => g.key)).toEqual(['unix /run/app.sock']);
  });
});

describe('LiveStore: restarts, marks and activity over time', () => {
  const nginx = (pid: number) => [proc(pid, 'nginx')];

  it('a listener replaced within one sample is restarted, with both pids and no downtime', () => {
    const { store } = makeStore([
      at(0, [WEB], { owners: new Map([[100, nginx(10)]]) }),
      at(1, [{ ...WEB, inode: 300 }], { owners: new Map([[300, nginx(11)]]) }),
    ]);
    const view = store.getView()!;
    expect([...view.restarted.values()]).toEqual([
      { key: listenerKey(WEB), at: WALL_BASE + 1000, beforePids: [10], afterPids: [11] },
    ]);
    expect(view.gone).toEqual([]);
    expect(view.appeared.size).toBe(0);
    expect(view.events.map((e) => e.kind)).toEqual(['listener-restarted']);
  });

  it('the same listening socket passed to other processes only is a restart too (socket activation)', () => {
    const { store, push } = makeStore([at(0, [WEB], { owners: new Map([[100, nginx(10)]]) })]);
    // Another worker joins: not a restart.
    push(at(1, [WEB], { owners: new Map([[100, [...nginx(10), proc(12, 'nginx')]]]) }));
    expect(store.getView()!.restarted.size).toBe(0);
    push(at(2, [WEB], { owners: new Map([[100, nginx(20)]]) }));
    expect(store.getView()!.restarted.get(listenerKey(WEB))).toEqual({
      key: listenerKey(WEB),
      at: WALL_BASE + 2000,
      beforePids: [10, 12],
      afterPids: [20],
    });
  });

  it('new marks expire after MARK_MS on their own; gone and restarted stay until acknowledged', () => {
    const { store, push } = makeStore([at(0, [WEB]), at(1, [WEB, DNS]), at(2, [DNS])]);
    push(snapshot(2000 + MARK_MS, { sockets: [DNS], owners }));
    const view = store.getView()!;
    expect(view.appeared.size).toBe(0);
    expect(view.gone.map((g) => g.key)).toEqual([listenerKey(WEB)]);
  });

  it('acknowledge(keys) clears only those listeners (what is on screen)', () => {
    const { store } = makeStore([at(0, [WEB, DNS]), at(1, [])]);
    store.acknowledge([listenerKey(DNS)]);
    expect(store.getView()!.gone.map((g) => g.key)).toEqual([listenerKey(WEB)]);
    store.acknowledge([]);
    expect(store.getView()!.gone).toHaveLength(1);
    store.acknowledge();
    expect(store.getView()!.gone).toEqual([]);
  });

  it('a trouble counter that climbs is active for CLIMB_WINDOW_MS, then quiet, with one event each way', () => {
    const retrans = (n: bigint, t: number) =>
      snapshot(t, { counters: counters({ Tcp: { RetransSegs: n, InSegs: n } }) });
    const { store, push } = makeStore([retrans(0n, 0), retrans(5n, 1000), retrans(9n, 2000)]);
    let a = store.getView()!.counters.get('Tcp.RetransSegs')!;
    expect(a.climbs).toEqual([
      { at: WALL_BASE + 1000, delta: 5n },
      { at: WALL_BASE + 2000, delta: 4n },
    ]);
    expect(a).toMatchObject({ climbingSince: WALL_BASE + 1000, climbTotal: 9n, changedAt: WALL_BASE + 2000 });
    // InSegs changes too, but is no trouble: a change time, no climbs.
    expect(store.getView()!.counters.get('Tcp.InSegs')).toMatchObject({
      changedAt: WALL_BASE + 2000,
      climbs: [],
    });
    push(retrans(9n, 2000 + CLIMB_WINDOW_MS - 1));
    expect(store.getView()!.counters.get('Tcp.RetransSegs')!.climbingSince).toBe(WALL_BASE + 1000);
    push(retrans(9n, 2000 + CLIMB_WINDOW_MS));
    a = store.getView()!.counters.get('Tcp.RetransSegs')!;
    expect(a.climbingSince).toBeUndefined();
    expect(a.climbs).toHaveLength(2);
    const events = store.getView()!.events.filter((e) => e.object === 'Tcp.RetransSegs');
    expect(events.map((e) => [e.kind, e.detail])).toEqual([
      ['counter-climbing', '+5'],
      ['counter-quiet', '+9 in 1s'],
    ]);
  });

  it('a counter that resets is no climb and no event', () => {
    const c = (n: bigint, t: number) => snapshot(t, { counters: counters({ TcpExt: { ListenDrops: n } }) });
    const { store } = makeStore([c(100n, 0), c(3n, 1000)]);
    expect(store.getView()!.counters.get('TcpExt.ListenDrops')).toBeUndefined();
    expect(store.getView()!.events).toEqual([]);
  });

  it('interface errors summed over every link are tracked like a trouble counter, with a series', () => {
    const eth = (errs: bigint) => ({ ...dev('eth0', 0n, 0n), rxErrs: errs, ifindex: 2 });
    const { store } = makeStore([at(0, [], { interfaces: [eth(0n)] }), at(1, [], { interfaces: [eth(3n)] })]);
    const view = store.getView()!;
    expect(view.counters.get(INTERFACE_ERRORS)!.climbs).toEqual([{ at: WALL_BASE + 1000, delta: 3n }]);
    expect(view.series(seriesKey.counter('Interfaces', 'errors'), 1)).toEqual([3]);
  });

  it('a link that goes down, comes back up and changes MTU is marked each time, with events', () => {
    const link = (flags: number, operstate: string, mtu = 1500) => ({
      ...dev('eth1', 0n, 0n),
      ifindex: 3,
      flags,
      operstate,
      mtu,
    });
    const { store, push } = makeStore([at(0, [], { interfaces: [link(0x1003, 'up')] })]);
    push(at(1, [], { interfaces: [link(0x1003, 'lowerlayerdown')] }));
    expect(store.getView()!.interfaceMarks.get('eth1#3')).toEqual({ change: 'down', at: WALL_BASE + 1000 });
    push(at(2, [], { interfaces: [link(0x1003, 'up')] }));
    push(at(3, [], { interfaces: [link(0x1003, 'up', 9000)] }));
    push(at(4, [], { interfaces: [link(0x1002, 'down', 9000)] }));
    expect(store.getView()!.events.map((e) => `${e.kind} ${e.detail}`)).toEqual([
      'iface-down up → no carrier (lowerlayerdown)',
      'iface-up no carrier (lowerlayerdown) → up',
      'iface-mtu mtu 1500 → 9000',
      'iface-down up → down (admin)',
    ]);
  });

  it('keeps a paused view frozen, series included, while samples go on', () => {
    const eth = (rx: bigint) => ({ ...dev('eth0', rx, 0n), ifindex: 2 });
    const { store, push } = makeStore([
      at(0, [], { interfaces: [eth(0n)] }),
      at(1, [], { interfaces: [eth(1000n)] }),
    ]);
    store.setPaused(true);
    const frozen = store.getView()!;
    push(at(2, [], { interfaces: [eth(5000n)] }));
    push(at(3, [], { interfaces: [eth(9000n)] }));
    expect(store.getView()).toBe(frozen);
    expect(frozen.series(seriesKey.iface('eth0#2', 'rx'), 2)).toEqual([undefined, 1000]);
    store.setPaused(false);
    expect(store.getView()!.series(seriesKey.iface('eth0#2', 'rx'), 3)).toEqual([1000, 4000, 4000]);
  });
});

import { describe, expect, it } from 'vitest';
import { counterChange, diffSnapshots, isListener, listenerKey, socketKey } from '../../src/model/diff.js';
import { counters, dev, inet, route, snapshot, unix } from '../helpers/snapshots.js';

describe('socket diff', () => {
  const listen = inet('tcp', '127.0.0.1:80', '0.0.0.0:0', 'LISTEN', 100);
  const est = inet('tcp', '127.0.0.1:80', '127.0.0.1:5000', 'ESTABLISHED', 101);
  const peer = inet('tcp', '127.0.0.1:5000', '127.0.0.1:80', 'ESTABLISHED', 102);

  it('reports opened, closed and state-changed sockets', () => {
    const a = snapshot(0, { sockets: [listen, est] });
    const closeWait = { ...est, state: 'CLOSE_WAIT' as const };
    const b = snapshot(1000, { sockets: [listen, closeWait, peer] });
    const d = diffSnapshots(a, b);
    expect(d.opened.map(socketKey)).toEqual([socketKey(peer)]);
    expect(d.closed).toEqual([]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]!.before.state).toBe('ESTABLISHED');
    expect(d.changed[0]!.after.state).toBe('CLOSE_WAIT');
    const c = snapshot(2000, { sockets: [listen] });
    const d2 = diffSnapshots(b, c);
    expect(d2.closed.map(socketKey).sort()).toEqual([socketKey(closeWait), socketKey(peer)].sort());
    expect(d2.opened).toEqual([]);
  });

  it('settles sockets reused by identity as the same diff a key-by-key match gives', () => {
    // A fixed-seed walk over socket lists that keep most objects (as the sampler's line cache does); the
    // same lists with every object copied must diff the same, since then only keys can match them.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let port = 1000;
    const fresh = () => {
      port++;
      return random(5) === 0
        ? inet('tcp', `127.0.0.1:${port}`, '0.0.0.0:0', 'LISTEN', 50_000 + port)
        : inet('tcp', `127.0.0.1:${port}`, '127.0.0.1:80', 'ESTABLISHED', 50_000 + port);
    };
    const keys = (list: readonly { inode: number }[]) => list.map((x) => x.inode).sort((a, b) => a - b);
    const summary = (d: ReturnType<typeof diffSnapshots>) => ({
      opened: keys(d.opened),
      closed: keys(d.closed),
      changed: keys(d.changed.map((c) => c.after)),
      appeared: keys(d.listenersAppeared),
      vanished: keys(d.listenersVanished),
    });
    let before = Array.from({ length: 30 }, fresh);
    let changes = 0;
    for (let step = 0; step < 300; step++) {
      const after = before.slice();
      for (let k = random(3); k > 0 && after.length > 0; k--) after.splice(random(after.length), 1);
      for (let k = random(3); k > 0; k--) after.splice(random(after.length + 1), 0, fresh());
      if (random(3) === 0 && after.length > 0) {
        const i = random(after.length);
        after[i] = { ...after[i]!, state: 'CLOSE_WAIT' as const };
      }
      const a = snapshot(step * 1000, { sockets: before });
      const b = snapshot(step * 1000 + 1000, { sockets: after });
      const copies = snapshot(step * 1000 + 1000, { sockets: after.map((x) => ({ ...x })) });
      const fast = summary(diffSnapshots(a, b));
      expect(fast).toEqual(summary(diffSnapshots(a, copies)));
      changes += fast.opened.length + fast.closed.length + fast.changed.length;
      before = after;
    }
    expect(changes).toBeGreaterThan(300);
  });

  it('rows changed in place far apart (TIME_WAIT timers ticking) are all the diff sees', () => {
    const rows = Array.from({ length: 2000 }, (_, i) =>
      inet('tcp', `127.0.0.1:${10_000 + i}`, '127.0.0.1:80', 'ESTABLISHED', 1 + i),
    );
    const tw = inet('tcp', '127.0.0.1:9000', '127.0.0.1:80', 'TIME_WAIT', 0);
    const before = [tw, ...rows, { ...tw, local: { address: '127.0.0.1', port: 9001 } }];
    // Same sockets, the two TIME_WAIT rows re-read (new objects, timer moved), one in the middle closing.
    const after = before.map((s) => (s.kind === 'inet' && s.state === 'TIME_WAIT' ? { ...s } : s));
    after[1000] = { ...after[1000]!, state: 'FIN_WAIT1' as const };
    const d = diffSnapshots(snapshot(0, { sockets: before }), snapshot(1000, { sockets: after }));
    expect(d.opened).toEqual([]);
    expect(d.closed).toEqual([]);
    expect(d.changed.map((c) => `${c.before.state}>${c.after.state}`)).toEqual(['ESTABLISHED>FIN_WAIT1']);
    // And a row inserted at the front puts everything out of step: still only the new one is opened.
    const shifted = [inet('tcp', '127.0.0.1:7000', '127.0.0.1:80', 'ESTABLISHED', 99_999), ...after];
    const e = diffSnapshots(snapshot(1000, { sockets: after }), snapshot(2000, { sockets: shifted }));
    expect(e.opened.map((s) => s.inode)).toEqual([99_999]);
    expect(e.closed).toEqual([]);
  });

  it('finds nothing between two samples that hold the same socket objects', () => {
    const a = snapshot(0, { sockets: [listen, est, peer] });
    const d = diffSnapshots(a, snapshot(1000, { sockets: [listen, est, peer] }));
    expect([d.opened, d.closed, d.changed, d.listenersAppeared, d.listenersVanished]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
  });

  it('pairs a socket that entered TIME_WAIT (inode 0) as a state change, not close + open', () => {
    const a = snapshot(0, { sockets: [peer] });
    const tw = inet('tcp', '127.0.0.1:5000', '127.0.0.1:80', 'TIME_WAIT', 0);
    const b = snapshot(1000, { sockets: [tw] });
    const d = diffSnapshots(a, b);
    expect(d.opened).toEqual([]);
    expect(d.closed).toEqual([]);
    expect(d.changed).toEqual([{ before: peer, after: tw }]);
  });

  it('keys by protocol, addresses and inode: the same 4-tuple with a new inode is a new socket', () => {
    const again = { ...est, inode: 999 };
    const d = diffSnapshots(snapshot(0, { sockets: [est] }), snapshot(1000, { sockets: [again] }));
    expect(d.opened).toEqual([again]);
    expect(d.closed).toEqual([est]);
  });

  it('treats unix sockets by inode', () => {
    const u = unix('/run/x.sock', 7);
    const d = diffSnapshots(
      snapshot(0, { sockets: [u] }),
      snapshot(1000, { sockets: [{ ...u, path: '/run/x.sock' }] }),
    );
    expect(d.opened).toEqual([]);
    expect(d.closed).toEqual([]);
  });
});

describe('listener diff', () => {
  const http = inet('tcp6', ':::80', ':::0', 'LISTEN', 10);
  const dns = inet('udp', '127.0.0.1:53', '0.0.0.0:0', 'UNCONN', 11);
  const sock = unix('/run/dbus/system_bus_socket', 12);

  it('knows what a listener is', () => {
    expect(isListener(http)).toBe(true);
    expect(isListener(dns)).toBe(true);
    expect(isListener(sock)).toBe(true);
    expect(isListener(inet('udp', '0.0.0.0:0', '0.0.0.0:0', 'UNCONN', 13))).toBe(false);
    expect(isListener(inet('raw', '0.0.0.0:1', '0.0.0.0:0', 'UNCONN', 14))).toBe(false);
    expect(isListener(inet('tcp', '127.0.0.1:5', '127.0.0.1:80', 'ESTABLISHED', 15))).toBe(false);
    expect(isListener(unix('', 16, false))).toBe(false);
  });

  it('reports a vanished listener and an appeared one', () => {
    const a = snapshot(0, { sockets: [http, dns, sock] });
    const ssh = inet('tcp', '0.0.0.0:22', '0.0.0.0:0', 'LISTEN', 20);
    const b = snapshot(1000, { sockets: [dns, sock, ssh] });
    const d = diffSnapshots(a, b);
    expect(d.listenersVanished.map(listenerKey)).toEqual(['tcp6 :: 80']);
    expect(d.listenersAppeared.map(listenerKey)).toEqual(['tcp 0.0.0.0 22']);
    expect(d.listenersReplaced).toEqual([]);
  });

  it('reports a listener whose sockets were all replaced (a restart between two samples)', () => {
    const restarted = { ...http, inode: 99 };
    const d = diffSnapshots(snapshot(0, { sockets: [http] }), snapshot(1000, { sockets: [restarted] }));
    expect(d.listenersVanished).toEqual([]);
    expect(d.listenersAppeared).toEqual([]);
    expect(d.listenersReplaced).toEqual([{ before: http, after: restarted }]);
  });

  it('does not report SO_REUSEPORT siblings as a restart while one of them stays', () => {
    const sibling = { ...http, inode: 50 };
    const d = diffSnapshots(snapshot(0, { sockets: [http] }), snapshot(1000, { sockets: [http, sibling] }));
    expect(d.listenersReplaced).toEqual([]);
    expect(d.listenersAppeared).toEqual([]);
  });
});

describe('counter diff', () => {
  it('gives deltas and per-second rates from the monotonic stamps', () => {
    const a = snapshot(0, { counters: counters({ Tcp: { RetransSegs: 100n, CurrEstab: 5n } }) });
    const b = snapshot(2000, { counters: counters({ Tcp: { RetransSegs: 1100n, CurrEstab: 9n } }) });
    const d = diffSnapshots(a, b);
    const retrans = d.counters.get('Tcp')!.get('RetransSegs')!;
    expect(retrans.delta).toBe(1000n);
    expect(retrans.rate).toBe(500);
    expect(retrans.reset).toBe(false);
    const estab = d.counters.get('Tcp')!.get('CurrEstab')!;
    expect(estab.gauge).toBe(true);
    expect(estab.rate).toBeUndefined();
    expect(estab.delta).toBeUndefined();
    expect(estab.value).toBe(9n);
  });

  it('treats a counter that went down as a reset: no delta, no rate, never negative', () => {
    const a = snapshot(0, { counters: counters({ Udp: { InErrors: 5000n } }) });
    const b = snapshot(1000, { counters: counters({ Udp: { InErrors: 3n } }) });
    const c = diffSnapshots(a, b).counters.get('Udp')!.get('InErrors')!;
    expect(c).toMatchObject({ value: 3n, previous: 5000n, reset: true });
    expect(c.delta).toBeUndefined();
    expect(c.rate).toBeUndefined();
  });

  it('keeps 64-bit counters above 2^53 exact', () => {
    const big = 18446744073709551610n;
    const c = counterChange(big, big + 5n, 1000, false);
    expect(c.delta).toBe(5n);
    expect(c.rate).toBe(5);
    expect(c.value.toString()).toBe('18446744073709551615');
    // 2^53 + 1 is not representable as a double: the delta must still be exact.
    const d = counterChange(2n ** 53n, 2n ** 53n + 1n, 1000, false);
    expect(d.delta).toBe(1n);
  });

  it('gives no rate for a counter that appears for the first time', () => {
    const a = snapshot(0, { counters: counters({ Tcp: {} }) });
    const b = snapshot(1000, { counters: counters({ Tcp: { NewOne: 7n } }) });
    const c = diffSnapshots(a, b).counters.get('Tcp')!.get('NewOne')!;
    expect(c.rate).toBeUndefined();
    expect(c.reset).toBe(false);
  });

  it('gives no rate when no time passed', () => {
    expect(counterChange(1n, 5n, 0, false).rate).toBeUndefined();
    expect(counterChange(1n, 5n, 0, false).delta).toBe(4n);
  });
});

describe('interface diff', () => {
  it('rates bytes per second per interface', () => {
    const a = snapshot(0, { interfaces: [{ ...dev('eth0', 1000n, 0n), ifindex: 2 }] });
    const b = snapshot(500, { interfaces: [{ ...dev('eth0', 3000n, 512n), ifindex: 2 }] });
    const i = diffSnapshots(a, b).interfaces.get('eth0#2')!;
    expect(i.baseline).toBe(false);
    expect(i.counters.get('rxBytes')!.rate).toBe(4000);
    expect(i.counters.get('txBytes')!.rate).toBe(1024);
  });

  it('starts a new baseline for a recreated interface (same name, new ifindex)', () => {
    const a = snapshot(0, { interfaces: [{ ...dev('veth0', 1000n, 0n), ifindex: 7 }] });
    const b = snapshot(1000, { interfaces: [{ ...dev('veth0', 5n, 0n), ifindex: 9 }] });
    const d = diffSnapshots(a, b);
    const i = d.interfaces.get('veth0#9')!;
    expect(i.baseline).toBe(true);
    expect(i.counters.get('rxBytes')!.rate).toBeUndefined();
    expect(i.counters.get('rxBytes')!.reset).toBe(false);
    expect(d.interfaces.has('veth0#7')).toBe(false);
  });

  it('marks a counter reset on the same interface', () => {
    const a = snapshot(0, { interfaces: [{ ...dev('eth0', 1000n, 0n), ifindex: 2 }] });
    const b = snapshot(1000, { interfaces: [{ ...dev('eth0', 10n, 0n), ifindex: 2 }] });
    const rx = diffSnapshots(a, b).interfaces.get('eth0#2')!.counters.get('rxBytes')!;
    expect(rx.reset).toBe(true);
    expect(rx.rate).toBeUndefined();
  });
});

describe('route diff', () => {
  it('reports added and removed routes', () => {
    const def = route('0.0.0.0', 0, '192.0.2.1', 'eth0');
    const lan = route('192.0.2.0', 24, '0.0.0.0', 'eth0');
    const v6 = route('fd00::', 64, '::', 'eth0');
    const d = diffSnapshots(snapshot(0, { routes: [def, lan] }), snapshot(1000, { routes: [lan, v6] }));
    expect(d.routesAdded).toEqual([v6]);
    expect(d.routesRemoved).toEqual([def]);
  });
});

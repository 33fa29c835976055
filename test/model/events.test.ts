// Every event kind the store makes, from hand-built samples: what it says, when, and that a condition
// (conntrack use, piling-up states) fires once per crossing, not once per sample.
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, type NetEvent } from '../../src/model/events.js';
import type { Snapshot } from '../../src/model/types.js';
import { makeStore, WALL_BASE } from '../helpers/app.js';
import { counters, dev, inet, proc, route, snapshot } from '../helpers/snapshots.js';

const kinds = (events: readonly NetEvent[]) => events.map((e) => e.kind);
const said = (events: readonly NetEvent[]) => events.map((e) => `${e.kind} | ${e.object} | ${e.detail}`);

function run(...snaps: Snapshot[]) {
  const { store } = makeStore(snaps);
  return store.getView()!.events;
}

const WEB = inet('tcp', '0.0.0.0:80', '0.0.0.0:0', 'LISTEN', 100);

describe('events', () => {
  it('listener new, gone, restarted (replaced within a sample, or back after vanishing)', () => {
    const owners = (pid: number, inode = 100) => new Map([[inode, [proc(pid, 'nginx')]]]);
    const events = run(
      snapshot(0, {}),
      snapshot(1000, { sockets: [WEB], owners: owners(10) }),
      snapshot(2000, { sockets: [{ ...WEB, inode: 101 }], owners: owners(11, 101) }),
      snapshot(3000, {}),
      snapshot(5000, { sockets: [{ ...WEB, inode: 102 }], owners: owners(12, 102) }),
    );
    expect(said(events)).toEqual([
      'listener-new | tcp 0.0.0.0:80 | pid 10',
      'listener-restarted | tcp 0.0.0.0:80 | pid 10 → 11',
      'listener-gone | tcp 0.0.0.0:80 | pid 11',
      'listener-restarted | tcp 0.0.0.0:80 | pid 11 → 12, down 2.0s',
    ]);
    expect(events.map((e) => e.time)).toEqual([1000, 2000, 3000, 5000].map((t) => WALL_BASE + t));
    expect(events.every((e) => e.target?.table === 'listeners')).toBe(true);
  });

  it('a listener whose worker exits while another holds it on', () => {
    const events = run(
      snapshot(0, { sockets: [WEB], owners: new Map([[100, [proc(10, 'nginx'), proc(11, 'nginx')]]]) }),
      snapshot(1000, { sockets: [WEB], owners: new Map([[100, [proc(10, 'nginx')]]]) }),
      snapshot(2000, { sockets: [WEB], owners: new Map() }),
    );
    expect(said(events)).toEqual([
      'listener-owner-exited | tcp 0.0.0.0:80 | pid 11 no longer holds it; 10 still does',
      'listener-owner-exited | tcp 0.0.0.0:80 | pid 10 no longer holds it; no holder seen',
    ]);
  });

  it('routes added, removed, and changed (a new gateway for the same destination is one change)', () => {
    const def = route('0.0.0.0', 0, '192.0.2.1', 'eth0');
    const net = route('10.8.0.0', 16, '0.0.0.0', 'tun0');
    const events = run(
      snapshot(0, { routes: [def] }),
      snapshot(1000, { routes: [def, net] }),
      snapshot(2000, { routes: [{ ...def, gateway: '192.0.2.254', metric: 100 }, net] }),
      snapshot(3000, { routes: [{ ...def, gateway: '192.0.2.254', metric: 100 }] }),
    );
    expect(said(events)).toEqual([
      'route-added | 10.8.0.0/16 dev tun0 | metric 0',
      'route-changed | default | via 192.0.2.1 → 192.0.2.254, metric 0 → 100',
      'route-removed | 10.8.0.0/16 dev tun0 | metric 0',
    ]);
  });

  it('links: new, down, up, mtu, deleted', () => {
    const link = (flags: number, operstate: string, mtu = 1500) => ({
      ...dev('veth1', 0n, 0n),
      ifindex: 7,
      flags,
      operstate,
      mtu,
    });
    const events = run(
      snapshot(0, {}),
      snapshot(1000, { interfaces: [link(0x1003, 'up')] }),
      snapshot(2000, { interfaces: [link(0x1002, 'down')] }),
      snapshot(3000, { interfaces: [link(0x1003, 'up')] }),
      snapshot(4000, { interfaces: [link(0x1003, 'up', 1400)] }),
      snapshot(5000, {}),
    );
    expect(kinds(events)).toEqual(['iface-new', 'iface-down', 'iface-up', 'iface-mtu', 'iface-deleted']);
    expect(events[1]!.detail).toBe('up → down (admin)');
  });

  it('a trouble counter climbing and going quiet, with the total it climbed', () => {
    const c = (n: bigint, t: number) =>
      snapshot(t, { counters: counters({ TcpExt: { ListenOverflows: n } }) });
    const events = run(c(0n, 0), c(4n, 1000), c(10n, 2000), c(10n, 62_000));
    expect(said(events)).toEqual([
      'counter-climbing | TcpExt.ListenOverflows | +4',
      'counter-quiet | TcpExt.ListenOverflows | +10 in 1s',
    ]);
  });

  it('conntrack use crossing 80 % and 95 % once each, and back under 75 %', () => {
    const ct = (count: number, t: number) => snapshot(t, { conntrackUse: { count, max: 1000 } });
    const events = run(
      ct(500, 0),
      ct(810, 1000),
      ct(820, 2000),
      ct(960, 3000),
      ct(970, 4000),
      ct(700, 5000),
      ct(810, 6000),
    );
    expect(said(events)).toEqual([
      'conntrack-high | conntrack | 810/1000 (81%), over 80%',
      'conntrack-high | conntrack | 960/1000 (96%), over 95%',
      'conntrack-ok | conntrack | 700/1000 (70%)',
      'conntrack-high | conntrack | 810/1000 (81%), over 80%',
    ]);
  });

  it('CLOSE_WAIT piling up past 100 is one event, and below 50 the all-clear', () => {
    const cw = (n: number, t: number) =>
      snapshot(t, {
        sockets: Array.from({ length: n }, (_, i) =>
          inet('tcp', `10.0.0.1:${10000 + i}`, '10.0.0.2:80', 'CLOSE_WAIT', 1000 + i),
        ),
      });
    const events = run(cw(10, 0), cw(120, 1000), cw(130, 2000), cw(60, 3000), cw(40, 4000));
    expect(said(events)).toEqual([
      'state-high | CLOSE_WAIT | 120 sockets, 100 or more',
      'state-ok | CLOSE_WAIT | 40 sockets',
    ]);
  });

  it('owner scan blind spots, once, when they are first seen', () => {
    const blind = (t: number) =>
      snapshot(t, {
        ownerStats: {
          processes: 9,
          unreadable: 1,
          vanished: 0,
          rescanned: 9,
          firstUnreadable: { pid: 1, reason: 'permission denied' },
        },
      });
    expect(said(run(blind(0), blind(1000)))).toEqual([
      "owners-unreadable | owner scan | 1 process's sockets could not be read (pid 1: permission denied)",
    ]);
  });

  it('lists every kind it can make', () => {
    expect(new Set(EVENT_KINDS).size).toBe(EVENT_KINDS.length);
    expect(EVENT_KINDS).toContain('listener-restarted');
  });
});

describe('kernel notifications between samples', () => {
  const link = (flags: number, operstate: string, mtu = 1500) => ({
    ...dev('veth1', 0n, 0n),
    ifindex: 7,
    flags,
    operstate,
    mtu,
  });

  it('a flap inside one interval is two events, from netlink; the next sample adds none', () => {
    const { store, push } = makeStore([snapshot(0, { interfaces: [link(0x1003, 'up')] })]);
    store.notify(
      [{ type: 'link', ifindex: 7, name: 'veth1', flags: 0x1002, operstate: 2, mtu: 1500 }],
      WALL_BASE + 300,
    );
    store.notify(
      [{ type: 'link', ifindex: 7, name: 'veth1', flags: 0x1003, operstate: 6, mtu: 1500 }],
      WALL_BASE + 600,
    );
    push(snapshot(1000, { interfaces: [link(0x1003, 'up')] }));
    const events = store.getView()!.events;
    expect(events.map((e) => `${e.kind} ${e.object} ${e.source}`)).toEqual([
      'iface-down veth1 netlink',
      'iface-up veth1 netlink',
    ]);
    expect(events.map((e) => e.time)).toEqual([WALL_BASE + 300, WALL_BASE + 600]);
  });

  it('a change the notice reported first is not reported again by the sample that sees it', () => {
    const { store, push } = makeStore([snapshot(0, { interfaces: [link(0x1003, 'up')] })]);
    store.notify([{ type: 'link', ifindex: 7, name: 'veth1', flags: 0x1002, operstate: 2 }], WALL_BASE + 300);
    push(snapshot(1000, { interfaces: [link(0x1002, 'down')] }));
    expect(kinds(store.getView()!.events)).toEqual(['iface-down']);
    // The sample is the truth again: a later change is the sample's to report.
    push(snapshot(2000, { interfaces: [link(0x1003, 'up')] }));
    expect(store.getView()!.events.map((e) => `${e.kind} ${e.source ?? 'sample'}`)).toEqual([
      'iface-down netlink',
      'iface-up sample',
    ]);
  });

  it('addresses, MTU, routes and a deleted link, named by the sample', () => {
    const { store } = makeStore([snapshot(0, { interfaces: [link(0x1003, 'up')] })]);
    store.notify(
      [
        { type: 'address', ifindex: 7, family: 4, address: '10.55.0.1', prefixLength: 24 },
        { type: 'link', ifindex: 7, flags: 0x1003, operstate: 6, mtu: 9000 },
        {
          type: 'route',
          family: 4,
          destination: '10.66.0.0',
          prefixLength: 16,
          gateway: '10.55.0.2',
          ifindex: 7,
        },
        {
          type: 'route-deleted',
          family: 4,
          destination: '10.66.0.0',
          prefixLength: 16,
          gateway: '10.55.0.2',
          ifindex: 7,
        },
        { type: 'link-deleted', ifindex: 7, name: 'veth1' },
        { type: 'overrun' },
      ],
      WALL_BASE + 500,
    );
    expect(said(store.getView()!.events)).toEqual([
      'iface-addr | veth1 | +10.55.0.1/24',
      'iface-mtu | veth1 | mtu 1500 → 9000',
      'route-added | 10.66.0.0/16 dev veth1 | via 10.55.0.2 metric 0',
      'route-removed | 10.66.0.0/16 dev veth1 | via 10.55.0.2 metric 0',
      'iface-deleted | veth1 | deleted',
    ]);
  });
});

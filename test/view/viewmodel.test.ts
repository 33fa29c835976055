import { describe, expect, it } from 'vitest';
import { listenerKey } from '../../src/model/diff.js';
import type { LiveView } from '../../src/model/livestore.js';
import type { Snapshot, Socket } from '../../src/model/types.js';
import { parseFilter } from '../../src/view/filter.js';
import {
  connectionRows,
  counterRows,
  filterRows,
  formatEndpointLive,
  interfaceRows,
  listenerRows,
  programText,
  routeRows,
  sortConnections,
  sortCounters,
  sortInterfaces,
  sortListeners,
  sortRoutes,
  type Toggles,
  tcpStateCounts,
} from '../../src/view/viewmodel.js';
import { fixtureSnapshot, makeStore, namesFrom, WALL_BASE } from '../helpers/app.js';
import { counters, dev, inet, proc, route, snapshot, unix } from '../helpers/snapshots.js';

const T: Toggles = { numeric: false, showUnix: false, hideZero: false, changedOnly: false };

/** The store's view after feeding `snaps` in order. */
function viewOf(...snaps: Snapshot[]): LiveView {
  return makeStore(snaps).store.getView()!;
}

// Connections: B and C exist from the start, A and D open one second later.
const A = inet('tcp6', 'fd00::5:8080', 'fd00::9:40000', 'ESTABLISHED', 1, { recvQ: 5 });
const B = inet('tcp', '10.0.0.2:22', '10.0.0.9:50000', 'ESTABLISHED', 2, { sendQ: 7 });
const C = inet('udp', '10.0.0.10:53', '0.0.0.0:0', 'UNCONN', 3);
const D = inet('tcp', '10.0.0.2:443', '10.0.0.100:1234', 'TIME_WAIT', 0);
const CONN_OWNERS = new Map([
  [1, [proc(30, 'envoy')]],
  [2, [proc(20, 'sshd')]],
]);

function connectionsView(): LiveView {
  return viewOf(
    snapshot(0, { sockets: [B, C], owners: CONN_OWNERS }),
    snapshot(1000, { sockets: [A, B, C, D], owners: CONN_OWNERS }),
  );
}

describe('connectionRows', () => {
  it('marks opened sockets +, unchanged ones blank, and shows owners as pid/command', () => {
    const rows = connectionRows(connectionsView(), T);
    expect(rows.map((r) => [r.local, r.mark, r.program])).toEqual([
      ['[fd00::5]:8080', '+', '30/envoy'],
      ['10.0.0.2:22', ' ', '20/sshd'],
      ['10.0.0.10:53', ' ', '-'],
      ['10.0.0.2:443', '+', '-'],
    ]);
    expect(rows[2]!.remote).toBe('0.0.0.0:*');
  });

  it('marks a state change ~ and a closed socket -, for CLOSED_TICKS samples', () => {
    const closing = { ...B, state: 'CLOSE_WAIT' as const };
    const fed = makeStore([snapshot(0, { sockets: [B, C] }), snapshot(1000, { sockets: [closing] })]);
    const rows = connectionRows(fed.store.getView()!, T);
    expect(rows.map((r) => [r.local, r.state, r.mark])).toEqual([
      ['10.0.0.2:22', 'CLOSE_WAIT', '~'],
      ['10.0.0.10:53', 'UNCONN', '-'],
    ]);
    fed.push(snapshot(2000, { sockets: [closing] }));
    expect(connectionRows(fed.store.getView()!, T).map((r) => r.mark)).toEqual([' ', '-']);
    fed.push(snapshot(3000, { sockets: [closing] }));
    expect(connectionRows(fed.store.getView()!, T).map((r) => r.mark)).toEqual([' ']);
  });

  it('keeps the age of a socket that moves to TIME_WAIT (the kernel drops its inode)', () => {
    const est = inet('tcp', '127.0.0.1:5000', '127.0.0.1:6000', 'ESTABLISHED', 77);
    const tw = { ...est, state: 'TIME_WAIT' as const, inode: 0 };
    const rows = connectionRows(
      viewOf(snapshot(0), snapshot(1000, { sockets: [est] }), snapshot(5000, { sockets: [tw] })),
      T,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'TIME_WAIT', mark: '~', firstSeen: WALL_BASE + 1000 });
  });

  it('leaves unix sockets out unless showUnix, and names unbound ones *', () => {
    const u = unix('/run/a b.sock', 9, false);
    const bare = unix('', 10, false);
    const view = viewOf(snapshot(0, { sockets: [B, u, bare] }));
    expect(connectionRows(view, T).map((r) => r.proto)).toEqual(['tcp']);
    const rows = connectionRows(view, { ...T, showUnix: true });
    expect(rows.map((r) => [r.proto, r.local, r.state])).toEqual([
      ['tcp', '10.0.0.2:22', 'ESTABLISHED'],
      ['u_str', '/run/a b.sock', 'CONNECTED'],
      ['u_str', '*', 'CONNECTED'],
    ]);
  });

  it('uses names from etc/hosts and etc/services unless numeric; searchable by number either way', () => {
    const names = namesFrom({ hosts: '10.0.0.2 gw\n', services: 'ssh 22/tcp\n' });
    const [named] = connectionRows(viewOf(snapshot(0, { sockets: [B] })), T, names);
    expect(named!.local).toBe('gw:ssh');
    const byNumber = parseFilter('sport:22 22');
    expect(byNumber.ok && filterRows([named!], byNumber.filter)).toEqual([named]);
    const [numeric] = connectionRows(viewOf(snapshot(0, { sockets: [B] })), { ...T, numeric: true }, names);
    expect(numeric!.local).toBe('10.0.0.2:22');
  });

  it('escapes control characters in process names', () => {
    const s = inet('tcp', '127.0.0.1:80', '0.0.0.0:0', 'LISTEN', 5);
    const owners = new Map([[5, [proc(100, '\u001b]0;pwned\u0007')]]]);
    const [row] = connectionRows(viewOf(snapshot(0, { sockets: [s], owners })), T);
    expect(row!.program).toBe('100/\\e]0;pwned\\x07');
    expect(row!.program).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('user names of unix sockets', () => {
  it('are escaped in Connections and Listeners', () => {
    const u = unix('/run/x.sock', 5);
    const owners = new Map([[5, [proc(100, 'evil', { uid: 1000, user: 'mallory\u001b[5m' })]]]);
    const view = viewOf(snapshot(0, { sockets: [u], owners }));
    const t = { ...T, showUnix: true };
    expect(connectionRows(view, t)[0]!.user).toBe('mallory\\e[5m');
    expect(listenerRows(view, t)[0]!.user).toBe('mallory\\e[5m');
  });
});

describe('formatEndpointLive and programText', () => {
  const names = namesFrom({ hosts: '127.0.0.1 localhost\n::1 ip6-localhost\n', services: 'http 80/tcp\n' });
  it.each([
    ['IPv4 numeric', '127.0.0.1', 80, 'tcp', true, '127.0.0.1:80'],
    ['IPv4 named', '127.0.0.1', 80, 'tcp', false, 'localhost:http'],
    ['IPv6 bracketed', '::1', 22, 'tcp6', true, '[::1]:22'],
    ['IPv6 named host', '::1', 22, 'tcp6', false, 'ip6-localhost:22'],
    ['port 0 is *', '0.0.0.0', 0, 'tcp', false, '0.0.0.0:*'],
    ['raw keeps the protocol number', '127.0.0.1', 80, 'raw', false, 'localhost:80'],
    ['udp has no http entry', '127.0.0.1', 80, 'udp', false, 'localhost:80'],
  ])('%s', (_name, address, port, proto, numeric, expected) => {
    expect(formatEndpointLive(address, port, proto, numeric, names)).toBe(expected);
  });

  it('programText shows the first owner and how many more', () => {
    expect(programText([])).toBe('-');
    expect(programText([proc(1, 'a')])).toBe('1/a');
    expect(programText([proc(1, 'a'), proc(2, 'b'), proc(3, 'c')])).toBe('1/a +2');
  });
});

describe('listenerRows', () => {
  const L1 = inet('tcp', '0.0.0.0:80', '0.0.0.0:0', 'LISTEN', 11);
  const L2 = inet('udp', '127.0.0.1:53', '0.0.0.0:0', 'UNCONN', 12);
  const L3 = inet('tcp', '127.0.0.1:631', '0.0.0.0:0', 'LISTEN', 13);
  const L4 = inet('tcp6', 'fd00::1:22', ':::0', 'LISTEN', 14);
  const U = unix('/run/app.sock', 15);
  const owners = new Map([
    [11, [proc(10, 'nginx')]],
    [12, [proc(50, 'dnsmasq')]],
    [14, [proc(7, 'sshd')]],
  ]);
  const view = () =>
    viewOf(
      snapshot(0, { sockets: [L1, L2, L3, B, U], owners }),
      snapshot(1000, { sockets: [L1, L3, L4, B], owners }),
    );

  it('lists current listeners, new ones marked new, then vanished ones marked gone with their time', () => {
    const rows = listenerRows(view(), T);
    expect(rows.map((r) => [r.proto, r.local, r.status, r.since, r.program])).toEqual([
      ['tcp', '0.0.0.0:80', '', undefined, '10/nginx'],
      ['tcp', '127.0.0.1:631', '', undefined, '-'],
      ['tcp6', '[fd00::1]:22', 'new', WALL_BASE + 1000, '7/sshd'],
      ['udp', '127.0.0.1:53', 'gone', WALL_BASE + 1000, '50/dnsmasq'],
      // A vanished listener is an alert: shown even while unix sockets are hidden.
      ['u_str', '/run/app.sock', 'gone', WALL_BASE + 1000, '-'],
    ]);
  });

  it('shows present unix listeners only with showUnix, gone ones always', () => {
    const hidden = listenerRows(view(), T).filter((r) => r.proto.startsWith('u_'));
    expect(hidden.map((r) => [r.local, r.status])).toEqual([['/run/app.sock', 'gone']]);
    const rows = listenerRows(view(), { ...T, showUnix: true });
    expect(rows.filter((r) => r.proto === 'u_str').map((r) => [r.local, r.status])).toEqual([
      ['/run/app.sock', 'gone'],
    ]);
  });

  it.each([
    ['proto', ['0.0.0.0:80', '127.0.0.1:631', '[fd00::1]:22']],
    ['local', ['0.0.0.0:80', '127.0.0.1:631', '[fd00::1]:22']],
    ['pid', ['[fd00::1]:22', '0.0.0.0:80', '127.0.0.1:631']],
    ['status', ['[fd00::1]:22', '0.0.0.0:80', '127.0.0.1:631']],
  ])('sorts by %s', (key, expected) => {
    const rows = listenerRows(view(), T).filter((r) => r.status !== 'gone');
    expect(sortListeners(rows, key, false).map((r) => r.local)).toEqual(expected);
    expect(sortListeners(rows, key, true).map((r) => r.local)).toEqual([...expected].reverse());
  });

  it('pins gone, then restarted listeners above any sort until acknowledged', () => {
    const restartedView = {
      ...view(),
      restarted: new Map([
        [listenerKey(L3), { key: listenerKey(L3), at: WALL_BASE + 1000, beforePids: [1], afterPids: [2] }],
      ]),
    };
    const rows = listenerRows(restartedView, T);
    for (const reverse of [false, true])
      for (const key of ['proto', 'local', 'pid', 'queue'])
        expect(
          sortListeners(rows, key, reverse)
            .map((r) => r.status)
            .slice(0, 3),
        ).toEqual(['gone', 'gone', 'restarted']);
    const restarted = rows.find((r) => r.status === 'restarted')!;
    expect(restarted.local).toBe('127.0.0.1:631');
    expect(restarted.restart).toMatchObject({ beforePids: [1], afterPids: [2] });
  });
});

describe('sortConnections', () => {
  it.each([
    ['proto', [B, D, A, C]],
    ['local', [B, D, C, A]],
    ['remote', [C, B, D, A]],
    ['state', [A, B, D, C]],
    ['pid', [B, A, C, D]],
    ['recvQ', [A, B, C, D]],
    ['sendQ', [B, A, C, D]],
    ['age', [A, D, B, C]],
  ] as Array<[string, Socket[]]>)('by %s', (key, expected) => {
    const rows = connectionRows(connectionsView(), T);
    expect(sortConnections(rows, key, false).map((r) => r.socket)).toEqual(expected);
    expect(sortConnections(rows, key, true).map((r) => r.socket)).toEqual([...expected].reverse());
  });

  it('leaves the order alone for an unknown key and does not sort in place', () => {
    const rows = connectionRows(connectionsView(), T);
    expect(sortConnections(rows, 'nonsense', false)).toBe(rows);
    const before = rows.map((r) => r.key);
    sortConnections(rows, 'local', true);
    expect(rows.map((r) => r.key)).toEqual(before);
  });
});

describe('routeRows', () => {
  const r1 = { ...route('0.0.0.0', 0, '192.0.2.1', 'eth0'), metric: 100, flags: 3 };
  const r2 = route('192.0.2.0', 24, '0.0.0.0', 'eth0');
  const r3 = { ...route('10.8.0.0', 16, '0.0.0.0', 'tun0'), metric: 50 };
  const r4 = { ...route('fd00::', 64, 'fe80::1', 'eth0'), metric: 256 };

  it('names the default route, brackets nothing, marks added + and removed -', () => {
    const fed = makeStore([snapshot(0, { routes: [r1, r2] }), snapshot(1000, { routes: [r1, r3] })]);
    const rows = routeRows(fed.store.getView()!, T);
    expect(rows.map((r) => [r.destination, r.gateway, r.flags, r.iface, r.mark])).toEqual([
      ['default', '192.0.2.1', 'UG', 'eth0', ' '],
      ['10.8.0.0/16', '0.0.0.0', 'U', 'tun0', '+'],
      ['192.0.2.0/24', '0.0.0.0', 'U', 'eth0', '-'],
    ]);
    expect(routeRows(fed.store.getView()!, { ...T, numeric: true })[0]!.destination).toBe('0.0.0.0/0');
  });

  it('escapes names from etc/hosts (a container’s root can hold any bytes)', () => {
    const names = namesFrom({ hosts: '192.0.2.1 gw\u001b[2J\n' });
    const [row] = routeRows(viewOf(snapshot(0, { routes: [r1] })), T, names);
    expect(row!.gateway).toBe('gw\\e[2J');
  });

  it.each([
    ['destination', [r1, r3, r2, r4]],
    ['gateway', [r2, r3, r1, r4]],
    ['metric', [r2, r3, r1, r4]],
    ['iface', [r1, r2, r4, r3]],
  ])('sorts by %s', (key, expected) => {
    const rows = routeRows(viewOf(snapshot(0, { routes: [r1, r2, r3, r4] })), T);
    expect(sortRoutes(rows, key, false).map((r) => r.route)).toEqual(expected);
    expect(sortRoutes(rows, key, true).map((r) => r.route)).toEqual([...expected].reverse());
  });
});

describe('interfaceRows', () => {
  const at = (ms: number, eth: bigint, lo: bigint, loErrs: bigint, withTun: boolean) =>
    snapshot(ms, {
      interfaces: [
        { ...dev('eth0', eth, eth / 100n), ifindex: 2, mtu: 1500 },
        { ...dev('lo', lo / 100n, lo, { rxErrs: loErrs }), ifindex: 1, mtu: 65536 },
        ...(withTun ? [{ ...dev('tun0', 5n, 5n), ifindex: 9 }] : []),
      ],
    });
  const view = () => viewOf(at(0, 10_000n, 10_000n, 0n, false), at(1000, 11_000n, 15_000n, 2n, true));

  it('has no rates on the first sample, then per-second rates; a new interface has none', () => {
    expect(interfaceRows(viewOf(at(0, 1n, 1n, 0n, false)))[0]!.rxBytesRate).toBeUndefined();
    const rows = interfaceRows(view());
    expect(rows.map((r) => [r.name, r.mtu, r.rxBytesRate, r.txBytesRate, r.errorsRate])).toEqual([
      ['eth0', 1500, 1000, 10, 0],
      ['lo', 65536, 50, 5000, 2],
      ['tun0', undefined, undefined, undefined, undefined],
    ]);
  });

  it('shows no rate after a counter reset', () => {
    const rows = interfaceRows(viewOf(at(0, 50_000n, 1000n, 0n, false), at(1000, 100n, 2000n, 0n, false)));
    expect(rows[0]!.rxBytesRate).toBeUndefined();
    expect(rows[1]!.txBytesRate).toBe(1000);
  });

  it.each([
    ['name', ['eth0', 'lo', 'tun0']],
    ['rx', ['eth0', 'lo', 'tun0']],
    ['tx', ['lo', 'eth0', 'tun0']],
    ['errors', ['lo', 'eth0', 'tun0']],
  ])('sorts by %s', (key, expected) => {
    const rows = interfaceRows(view());
    expect(sortInterfaces(rows, key, false).map((r) => r.name)).toEqual(expected);
    expect(sortInterfaces(rows, key, true).map((r) => r.name)).toEqual([...expected].reverse());
  });
});

describe('counterRows', () => {
  const view = () =>
    viewOf(
      snapshot(0, {
        counters: counters({
          Ip: { InReceives: 100n, OutRequests: 10n, InDiscards: 0n },
          Tcp: { CurrEstab: 4n, RetransSegs: 5n, ActiveOpens: 1000n },
        }),
      }),
      snapshot(2000, {
        counters: counters({
          Ip: { InReceives: 150n, OutRequests: 10n, InDiscards: 0n },
          Tcp: { CurrEstab: 9n, RetransSegs: 9n, ActiveOpens: 3n },
        }),
      }),
    );

  it('gives delta and rate, none for gauges, and for a reset no delta, no rate and the reset flag', () => {
    const rows = counterRows(view(), T);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('InReceives')).toMatchObject({ delta: 50n, rate: 25, reset: false, climbing: false });
    expect(byName.get('CurrEstab')).toMatchObject({
      value: 9n,
      delta: undefined,
      rate: undefined,
      gauge: true,
    });
    expect(byName.get('RetransSegs')).toMatchObject({ delta: 4n, rate: 2, trouble: true, climbing: true });
    expect(byName.get('ActiveOpens')).toMatchObject({
      value: 3n,
      delta: undefined,
      rate: undefined,
      reset: true,
    });
  });

  it('hides zero counters with hideZero and unchanged ones with changedOnly', () => {
    expect(counterRows(view(), { ...T, hideZero: true }).map((r) => r.name)).not.toContain('InDiscards');
    expect(counterRows(view(), { ...T, hideZero: true })).toHaveLength(5);
    expect(counterRows(view(), { ...T, changedOnly: true }).map((r) => r.name)).toEqual([
      'InReceives',
      'RetransSegs',
    ]);
  });

  // RetransSegs climbed in this sample: a trouble counter that climbed in the last minute is pinned first.
  it.each([
    ['group', ['RetransSegs', 'InReceives', 'OutRequests', 'InDiscards', 'CurrEstab', 'ActiveOpens']],
    ['name', ['RetransSegs', 'ActiveOpens', 'CurrEstab', 'InDiscards', 'InReceives', 'OutRequests']],
    ['value', ['RetransSegs', 'InReceives', 'OutRequests', 'CurrEstab', 'ActiveOpens', 'InDiscards']],
    ['rate', ['RetransSegs', 'InReceives', 'OutRequests', 'InDiscards', 'CurrEstab', 'ActiveOpens']],
  ])('sorts by %s', (key, expected) => {
    const rows = counterRows(view(), T);
    expect(sortCounters(rows, key, false).map((r) => r.name)).toEqual(expected);
  });
});

describe('filterRows on the live-t0 capture', () => {
  const view = viewOf(fixtureSnapshot('live-t0', 0));
  const rows = connectionRows(view, T);
  const apply = (text: string) => {
    const parsed = parseFilter(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return filterRows(rows, parsed.filter);
  };

  it('returns the same rows for an empty filter', () => {
    expect(filterRows(rows, undefined)).toBe(rows);
    expect(apply('')).toBe(rows);
  });

  it('port:38151 keeps only rows with that port on either side', () => {
    const kept = apply('port:38151');
    expect(kept.length).toBe(801);
    for (const r of kept) expect(`${r.local} ${r.remote}`).toMatch(/:38151\b/);
  });

  it('!state:est keeps everything but ESTABLISHED; terms combine', () => {
    const kept = apply('!state:est');
    expect(kept.length).toBe(rows.length - rows.filter((r) => r.state === 'ESTABLISHED').length);
    expect(kept.some((r) => r.state === 'ESTABLISHED')).toBe(false);
    expect(
      apply('state:listen proto:tcp6')
        .map((r) => r.local)
        .sort(),
    ).toEqual(['[::1]:37199', '[::1]:39071', '[::1]:39845', '[::1]:40949']);
    expect(apply('pid:3859 !proto:raw').every((r) => r.program === '3859/python3')).toBe(true);
  });
});

describe('tcpStateCounts', () => {
  it('counts tcp and tcp6 sockets by state and nothing else', () => {
    const counts = tcpStateCounts(connectionsView());
    expect([...counts]).toEqual([
      ['ESTABLISHED', 2],
      ['TIME_WAIT', 1],
    ]);
  });

  it('matches the live-t0 capture', () => {
    const counts = tcpStateCounts(viewOf(fixtureSnapshot('live-t0', 0)));
    expect(Object.fromEntries(counts)).toEqual({ ESTABLISHED: 4000, LISTEN: 14, TIME_WAIT: 5 });
  });
});

describe('row reuse between samples', () => {
  const a = inet('tcp', '127.0.0.1:80', '0.0.0.0:0', 'LISTEN', 1);
  const b = inet('tcp', '127.0.0.1:80', '127.0.0.1:5000', 'ESTABLISHED', 2);
  const owners = new Map([[1, [proc(10, 'nginx')]]]);

  it('hands back the previous array when every socket, owner list and mark is the same', () => {
    const { store, push } = makeStore([snapshot(0, { sockets: [a, b], owners })]);
    const first = connectionRows(store.getView()!, T);
    // The next sample: same socket objects (the sampler reuses unchanged lines), same owner arrays.
    push(snapshot(1000, { sockets: [a, b], owners }));
    const again = connectionRows(store.getView()!, T, undefined, first);
    expect(again).toBe(first);
  });

  it('reuses unchanged rows when something changed, and rebuilds the changed one', () => {
    const { store, push } = makeStore([snapshot(0, { sockets: [a, b], owners })]);
    const first = connectionRows(store.getView()!, T);
    const c = inet('tcp', '127.0.0.1:80', '127.0.0.1:5001', 'ESTABLISHED', 3);
    push(snapshot(1000, { sockets: [a, b, c], owners }));
    const next = connectionRows(store.getView()!, T, undefined, first);
    expect(next).not.toBe(first);
    expect(next[0]).toBe(first[0]);
    expect(next[1]).toBe(first[1]);
    expect(next[2]!.mark).toBe('+');
  });

  it('clears the + of a socket opened last sample although the socket list did not change since', () => {
    const { store, push } = makeStore([snapshot(0, { sockets: [a], owners })]);
    push(snapshot(1000, { sockets: [a, b], owners }));
    const opened = connectionRows(store.getView()!, T);
    expect(opened.map((r) => r.mark)).toEqual([' ', '+']);
    push(snapshot(2000, { sockets: [a, b], owners }));
    const settled = connectionRows(store.getView()!, T, undefined, opened);
    expect(settled.map((r) => r.mark)).toEqual([' ', ' ']);
    push(snapshot(3000, { sockets: [a, b], owners }));
    expect(connectionRows(store.getView()!, T, undefined, settled)).toBe(settled);
  });

  it('rebuilds rows when the owners change but the sockets do not', () => {
    const { store, push } = makeStore([snapshot(0, { sockets: [a, b], owners })]);
    const first = connectionRows(store.getView()!, T);
    push(snapshot(1000, { sockets: [a, b], owners: new Map([[1, [proc(11, 'caddy')]]]) }));
    const next = connectionRows(store.getView()!, T, undefined, first);
    expect(next[0]!.program).toBe('11/caddy');
  });

  it('rebuilds rows when the numeric toggle changes', () => {
    const s0 = snapshot(0, { sockets: [a], owners });
    const first = connectionRows(viewOf(s0), T);
    const numeric = connectionRows(viewOf(s0), { ...T, numeric: true }, undefined, first);
    expect(numeric).not.toBe(first);
    expect(numeric[0]).not.toBe(first[0]);
  });
});

describe('listener accept queues', () => {
  const full = inet('tcp', '0.0.0.0:8080', '0.0.0.0:0', 'LISTEN', 21, { recvQ: 128, backlog: 128 });
  const fine = inet('tcp', '0.0.0.0:9090', '0.0.0.0:0', 'LISTEN', 22, { recvQ: 3, backlog: 128 });
  const c = (n: bigint) => counters({ TcpExt: { ListenOverflows: n, ListenDrops: n } });

  it('marks a full queue, and attributes ListenOverflows/Drops climbing meanwhile to it only', () => {
    const view = viewOf(
      snapshot(0, { sockets: [full, fine], counters: c(10n) }),
      snapshot(1000, { sockets: [full, fine], counters: c(25n) }),
    );
    const rows = listenerRows(view, T);
    const at = (port: number) => rows.find((r) => r.socket.kind === 'inet' && r.socket.local.port === port)!;
    expect(at(8080)).toMatchObject({ queue: 128, backlog: 128, full: true });
    expect(at(8080).overflows?.overflows).toEqual({ at: WALL_BASE + 1000, delta: 15n });
    expect(at(9090)).toMatchObject({ queue: 3, full: false, overflows: undefined });
  });

  it('a full queue with no overflow counted is only full', () => {
    const view = viewOf(
      snapshot(0, { sockets: [full], counters: c(10n) }),
      snapshot(1000, { sockets: [full], counters: c(10n) }),
    );
    expect(listenerRows(view, T)[0]).toMatchObject({ full: true, overflows: undefined });
  });
});

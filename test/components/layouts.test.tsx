// Every pane at the five sizes a sysadmin's terminal has (200×50, 120×40, 80×24, 60×20, 40×12), asserting
// the columns a person came for survive: PID/Program at 80, Foreign Address at 60, Group and Value in Stats
// at 40, a route's prefix length everywhere, and no protocol, state or timer cut short at 100 and more.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../src/model/types.js';
import { displayWidth } from '../../src/view/textwidth.js';
import type { Pane } from '../../src/view/uistate.js';
import { type AppHarness, fixtureSnapshot, makeStore, renderApp } from '../helpers/app.js';
import { counters, inet, proc, route, snapshot, unix } from '../helpers/snapshots.js';

vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

afterEach(() => {
  cleanup();
});

const SIZES = [
  [200, 50],
  [120, 40],
  [80, 24],
  [60, 20],
  [40, 12],
] as const;

/** Long addresses and the longest protocol, state and timer names, so the fitting is put to the test. */
function busy(t: number): Snapshot {
  const v6 = '2001:db8:4321:8765:aaaa:bbbb:cccc:dddd';
  return snapshot(t, {
    sockets: [
      inet('udplite6', `${v6}:5000`, ':::0', 'UNCONN', 11),
      inet('tcp6', `${v6}:443`, `2001:db8:1111:2222:3333:4444:5555:6666:51234`, 'ESTABLISHED', 12, {
        timerActive: 2,
        timerExpires: 718_900, // keepalive 1h59m
      }),
      inet('tcp', '10.20.30.40:8080', '0.0.0.0:0', 'LISTEN', 13),
      { ...unix('/run/very/long/path/to/a/service/control.sock', 14, false), type: 'SEQPACKET' },
    ],
    owners: new Map([
      [12, [proc(4321, 'nginx-worker-process')]],
      [13, [proc(4320, 'nginx')]],
    ]),
    routes: [route('10.0.0.0', 8, '0.0.0.0', 'eth0'), route('192.168.100.0', 22, '10.0.0.1', 'eth0')],
    counters: counters({ Tcp: { RetransSegs: BigInt(t), ActiveOpens: 12345678901234567890n } }),
  });
}

function header(app: AppHarness): string {
  return app.frame().split('\n')[1] ?? '';
}

function fits(app: AppHarness, columns: number, rows: number): void {
  for (const frame of app.frames) {
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(rows);
    for (const line of lines)
      expect(displayWidth(line.replace(/\u001B\[[0-9;]*m/g, ''))).toBeLessThanOrEqual(columns);
  }
}

async function pane(p: Pane, columns: number, rows: number, snaps = [busy(0), busy(1000)]) {
  const app = await renderApp(makeStore(snaps), {
    columns,
    rows,
    initial: { pane: p, showUnix: true, numeric: true },
  });
  fits(app, columns, rows);
  return app;
}

describe.each(SIZES)('at %i×%i', (columns, rows) => {
  it('Connections keeps address and state, PID/Program at ≥ 80, Foreign Address at ≥ 60', async () => {
    const app = await pane('connections', columns, rows);
    const h = header(app);
    expect(h).toContain('Local Address');
    expect(h).toContain('State');
    if (columns >= 80) expect(h).toContain('PID/Program');
    if (columns >= 60) expect(h).toContain('Foreign Address');
    if (columns >= 100) {
      const body = app.frame();
      expect(body).toMatch(/ udplite6 /);
      expect(body).toMatch(/ u_seq /);
      expect(body).toMatch(/ ESTABLISHED /);
      // Fixed-width columns are dropped whole, never cut.
      expect(body).not.toMatch(/udplit…|u_se…|ESTABLI…|keepalive \d+h\d…/);
      if (h.includes('Timer')) expect(body).toContain('keepalive 1h59m');
    }
  });

  it('Listeners keeps status and address, and PID/Program at ≥ 60', async () => {
    const app = await pane('listeners', columns, rows);
    const h = header(app);
    expect(h).toMatch(/Status/);
    expect(h).toContain('Local Address');
    if (columns >= 60) expect(h).toContain('PID/Program');
    if (columns >= 80) expect(h).toContain('Accept');
  });

  it('Routes keeps the prefix length at every width', async () => {
    const app = await pane('routes', columns, rows);
    expect(app.frame()).toContain('10.0.0.0/8');
    expect(app.frame()).toContain('192.168.100.0/22');
  });

  it('Interfaces keeps the name, state and rates', async () => {
    const app = await renderApp(
      makeStore([fixtureSnapshot('live-t0', 0), fixtureSnapshot('live-t1', 1000)]),
      {
        columns,
        rows,
        initial: { pane: 'interfaces' },
      },
    );
    fits(app, columns, rows);
    const h = header(app);
    expect(h).toContain('Iface');
    if (columns >= 60) expect(h).toMatch(/State.*RX\/s.*TX\/s/);
  });

  it('Stats keeps Group, Counter and Value at any width ≥ 40; 20-digit values whole from 60', async () => {
    const app = await pane('stats', columns, rows);
    const h = header(app);
    expect(h).toMatch(/Group.*Counter.*Value/);
    if (columns >= 60) expect(app.frame()).toContain('12345678901234567890');
    else expect(app.frame()).toMatch(/ActiveOpens\s+\d{13}…/);
  });

  it('Processes keeps the process and its connections; RX/s and TX/s from 60', async () => {
    const app = await renderApp(
      makeStore([fixtureSnapshot('live-t0', 0), fixtureSnapshot('live-t1', 1000)]),
      {
        columns,
        rows,
        initial: { pane: 'processes' },
      },
    );
    fits(app, columns, rows);
    const lines = app.frame().split('\n');
    // Line 1 says where the figures come from (here: /proc, so no byte rates); the header follows.
    expect(lines[1]).toContain('no per-connection byte counters');
    expect(lines[2]).toMatch(/Process/);
    if (columns >= 60) expect(lines[2]).toMatch(/Estab.*RX\/s.*TX\/s/);
    expect(app.frame()).toMatch(/375\d\/node/);
  });

  it('Events keeps time, kind and object, newest first', async () => {
    const app = await renderApp(
      makeStore([fixtureSnapshot('live-t0', 0), fixtureSnapshot('live-t1', 1000)]),
      {
        columns,
        rows,
        initial: { pane: 'events' },
      },
    );
    fits(app, columns, rows);
    const h = header(app);
    expect(h).toMatch(/Time.*Kind.*Object/);
    expect(app.frame()).toMatch(/listener-gone\s+(tcp|udp|unix)/);
  });

  it('Overview: the trouble header and what climbed first, then traffic and sockets', async () => {
    const app = await pane('overview', columns, rows);
    const frame = app.frame();
    expect(frame).toMatch(/Trouble\s+now\/s/);
    // RetransSegs went from 0 to 1000 in a second: marked and shown at every size.
    expect(frame).toMatch(/!TCP retransmits\s+1000/);
    if (rows >= 20) {
      expect(frame).toContain('Traffic');
      expect(frame).toContain('Sockets');
      expect(frame).toContain('Changes');
    }
    if (rows >= 24)
      for (const label of ['Listen overflows', 'UDP rcvbuf errors', 'Interface drops'])
        expect(frame).toContain(label);
  });
});

describe('PANE_COLUMNS', () => {
  it('matches the columns each pane defines (←/→ stops at the last one)', async () => {
    const { PANE_COLUMNS } = await import('../../src/view/uistate.js');
    const { CONNECTION_COLUMNS } = await import('../../components/ConnectionsPane.js');
    const { LISTENER_COLUMNS } = await import('../../components/ListenersPane.js');
    const { ROUTE_COLUMNS } = await import('../../components/RoutesPane.js');
    const { INTERFACE_COLUMNS } = await import('../../components/InterfacesPane.js');
    const { STATS_COLUMNS } = await import('../../components/StatsPane.js');
    const { PROCESS_COLUMNS } = await import('../../components/ProcessesPane.js');
    const { EVENT_COLUMNS } = await import('../../components/EventsPane.js');
    expect(PANE_COLUMNS).toEqual({
      overview: 0,
      connections: CONNECTION_COLUMNS,
      listeners: LISTENER_COLUMNS,
      routes: ROUTE_COLUMNS,
      interfaces: INTERFACE_COLUMNS,
      stats: STATS_COLUMNS,
      processes: PROCESS_COLUMNS,
      events: EVENT_COLUMNS,
    });
  });
});

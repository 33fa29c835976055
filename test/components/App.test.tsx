// The live view driven by keys, as a person uses it: every key of the keymap, the filter line end to end,
// vanished listeners, pause and quit. Samples are fed to the store by hand; nothing runs on a timer.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveView } from '../../src/model/livestore.js';
import type { InetSocket } from '../../src/model/types.js';
import { formatClock } from '../../src/view/format.js';
import { initialUiState, KEYMAP, PANES } from '../../src/view/uistate.js';
import { connectionRows, counterRows, sortConnections, type Toggles } from '../../src/view/viewmodel.js';
import {
  type AppHarness,
  fixtureSnapshot,
  KEY,
  makeStore,
  namesFrom,
  plain,
  renderApp,
  WALL_BASE,
} from '../helpers/app.js';
import { inet, snapshot } from '../helpers/snapshots.js';

vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

afterEach(() => {
  cleanup();
});

const t0 = () => fixtureSnapshot('live-t0', 0);
const t1 = () => fixtureSnapshot('live-t1', 1000);
const T: Toggles = { numeric: false, showUnix: false, hideZero: false, changedOnly: false };

// A header may carry the sort arrow (Proto▲).
const HEADERS: Record<(typeof PANES)[number], RegExp> = {
  overview: /Trouble\s+now\/s/,
  connections: /Proto[▲▼]?\s+.*Local Address[▲▼]?\s+Foreign Address/,
  listeners: /Status[▲▼]?\s+Proto[▲▼]?\s+Local Address/,
  routes: /Destination[▲▼]?\s+Gateway/,
  interfaces: /Iface[▲▼]?\s+State[▲▼]?\s+RX\/s/,
  stats: /Group[▲▼]?\s+Counter[▲▼]?\s+Value/,
  processes: /Process[▲▼]?\s+User/,
  events: /Time[▲▼]?\s+Ago\s+Kind/,
};

/** The text of the selected (inverse) table row, or undefined when none is. */
function selectedRow(app: AppHarness): string | undefined {
  const lines = app.rawFrame().split('\n');
  // Line 0 is the tab bar (its current tab is inverse too), line 1 the table header.
  const line = lines.slice(2).find((l) => l.includes('\u001B[7m'));
  return line === undefined ? undefined : plain(line);
}

/** Rows of the Connections pane as the App sorts them by default (proto, then local address). */
function connectionsInOrder(view: LiveView): { local: string; remote: string }[] {
  return [...sortConnections(connectionRows(view, T), 'proto', false)];
}

const rowText = (r: { local: string; remote: string }) =>
  new RegExp(`${escapeRe(r.local)}\\s+${escapeRe(r.remote)}\\s`);
function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('pane keys', () => {
  it('starts on the Overview; 1–6 show each pane', async () => {
    const app = await renderApp(makeStore([t0()]), { columns: 120, rows: 30 });
    expect(app.frame()).toMatch(HEADERS.overview);
    for (const [i, pane] of [...PANES.entries()].reverse()) {
      await app.press(String(i + 1));
      await app.until((f) => HEADERS[pane].test(f), `the ${pane} pane`);
    }
  });

  it('Tab goes to the next pane, Shift-Tab to the previous, both wrap round', async () => {
    const app = await renderApp(makeStore([t0()]), { columns: 120, rows: 30 });
    await app.press(KEY.tab);
    await app.until((f) => HEADERS.connections.test(f), 'Connections after Tab');
    await app.press(KEY.tab);
    await app.until((f) => HEADERS.listeners.test(f), 'Listeners after Tab');
    await app.press(KEY.shiftTab, KEY.shiftTab);
    await app.until((f) => HEADERS.overview.test(f), 'Overview after two Shift-Tabs');
    await app.press(KEY.shiftTab);
    await app.until((f) => HEADERS.events.test(f), 'Events: Shift-Tab wraps');
    await app.press(KEY.tab);
    await app.until((f) => HEADERS.overview.test(f), 'Overview: Tab wraps');
  });

  it('help and details close with the key that opened them, and the pane keys work from both', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 120,
      rows: 30,
      initial: { pane: 'connections' },
    });
    await app.press('?');
    await app.until((f) => f.includes('netwatch keys'), 'the help');
    await app.press('?');
    await app.until((f) => HEADERS.connections.test(f), 'the help closed by ?');
    await app.press(KEY.enter);
    await app.until((f) => f.includes('Connections: details'), 'the details');
    await app.press(KEY.enter);
    await app.until((f) => HEADERS.connections.test(f), 'the details closed by Enter');
    await app.press('?', '3');
    await app.until((f) => HEADERS.listeners.test(f) && !f.includes('netwatch keys'), '3 from the help');
    await app.press(KEY.enter, KEY.tab);
    await app.until((f) => HEADERS.routes.test(f) && !f.includes(': details'), 'Tab from the details');
  });
});

describe('moving the selection', () => {
  it('↑ ↓ j k PgUp PgDn Home End g G move the inverse row', async () => {
    const fed = makeStore([t0()]);
    const rows = connectionsInOrder(fed.store.getView()!);
    // 30 rows: tab bar, filter line and status bar leave 27 for the table, 26 of them below its header.
    const page = 26;
    const app = await renderApp(fed, { columns: 120, rows: 30, initial: { pane: 'connections' } });
    const at = async (index: number, what: string) => {
      await app.until(() => rowText(rows[index]!).test(selectedRow(app) ?? ''), `${what}: row ${index}`);
    };
    await at(0, 'start');
    await app.press('j');
    await at(1, 'j');
    await app.press(KEY.down);
    await at(2, '↓');
    await app.press('k');
    await at(1, 'k');
    await app.press(KEY.up, KEY.up);
    await at(0, '↑ stops at the top');
    await app.press(KEY.pageDown);
    await at(page, 'PgDn');
    await app.press(KEY.pageDown);
    await at(2 * page, 'PgDn again');
    await app.press(KEY.pageUp);
    await at(page, 'PgUp');
    await app.press(KEY.end);
    await at(rows.length - 1, 'End');
    await app.press(KEY.down);
    await at(rows.length - 1, '↓ stops at the bottom');
    await app.press(KEY.home);
    await at(0, 'Home');
    await app.press('G');
    await at(rows.length - 1, 'G');
    await app.press('g');
    await at(0, 'g');
    // The selected row is always on screen and the frame keeps its height.
    expect(app.frame().split('\n')).toHaveLength(30);
  });
});

describe('the selection follows its socket', () => {
  const sock = (port: number) => inet('tcp', `127.0.0.1:${port}`, '127.0.0.1:80', 'ESTABLISHED', port);
  const [a, b, c, d] = [1000, 2000, 3000, 4000].map(sock) as [InetSocket, InetSocket, InetSocket, InetSocket];

  it('keeps the same row selected when a sample adds or removes rows above it', async () => {
    const fed = makeStore([snapshot(0, { sockets: [a, b, c] })]);
    const app = await renderApp(fed, { columns: 120, rows: 12, initial: { pane: 'connections' } });
    await app.until(() => (selectedRow(app) ?? '').includes(':1000'), 'the first row selected');
    await app.press('j');
    await app.until(() => (selectedRow(app) ?? '').includes(':2000'), 'the second row selected');
    // A new connection sorts above the selected one: the selection stays on :2000, now one line lower.
    const e = sock(1500);
    fed.push(snapshot(1000, { sockets: [a, e, b, c] }));
    await app.until((f) => f.includes(':1500'), 'the new row');
    expect(selectedRow(app)).toContain(':2000');
    // ↓ goes on from there.
    await app.press('j');
    await app.until(() => (selectedRow(app) ?? '').includes(':3000'), 'the row after it');
    // Rows above it go away: still :3000.
    fed.push(snapshot(2000, { sockets: [c, d] }));
    await app.until((f) => f.includes(':4000'), 'the sample without :1000–:2000');
    expect(selectedRow(app)).toContain(':3000');
    // Closed rows (marked -) stay a sample or two, then go: still :3000.
    for (let t = 3000; app.frame().includes(':1500') && t < 10_000; t += 1000) {
      fed.push(snapshot(t, { sockets: [c, d] }));
      await app.until((f) => f.includes(formatClock(WALL_BASE + t)), `the sample at ${t} ms`);
    }
    expect(app.frame()).not.toContain(':1500');
    expect(selectedRow(app)).toContain(':3000');
    // The state follows too: ↓ goes to the row below :3000 (the stale index would be past the end).
    await app.press('j');
    await app.until(() => (selectedRow(app) ?? '').includes(':4000'), 'j from :3000');
    await app.press('k');
    await app.until(() => (selectedRow(app) ?? '').includes(':3000'), 'k back to :3000');
  });
});

describe('sorting', () => {
  it('s cycles the sort column and S reverses it', async () => {
    const fed = makeStore([t0()]);
    const all = connectionRows(fed.store.getView()!, T);
    const app = await renderApp(fed, { columns: 120, rows: 30, initial: { pane: 'connections' } });
    const firstRow = () => app.frame().split('\n')[2] ?? '';
    const byProto = sortConnections(all, 'proto', false)[0]!;
    expect(firstRow()).toMatch(rowText(byProto));

    await app.press('s'); // local
    const byLocal = sortConnections(all, 'local', false)[0]!;
    await app.until(() => rowText(byLocal).test(firstRow()), 'sorted by local address');
    await app.press('S');
    const byLocalDown = sortConnections(all, 'local', true)[0]!;
    await app.until(() => rowText(byLocalDown).test(firstRow()), 'sorted by local address, reversed');
    expect(firstRow()).toMatch(/\[::1\]:\d+/);

    await app.press('s'); // remote, ascending again
    const byRemote = sortConnections(all, 'remote', false)[0]!;
    await app.until(() => rowText(byRemote).test(firstRow()), 'sorted by remote address');
    await app.press('s'); // state: ESTABLISHED first
    await app.until(() => /ESTABLISHED/.test(firstRow()), 'sorted by state');
    await app.press('S');
    await app.until(() => /UNCONN/.test(firstRow()), 'sorted by state, reversed');
  });
});

describe('--on-alert trouble', () => {
  it('is shown in the status bar among the alerts, escaped', async () => {
    const fed = makeStore([t0()]);
    const app = await renderApp(fed, {
      columns: 200,
      rows: 30,
      alertNote: () => '--on-alert: cannot run \u001b]0;x\u0007: ENOENT at 12:00:01',
    });
    expect(app.rawFrame()).not.toContain('\u001b]0;x');
    expect(app.rawFrame()).not.toContain('\u0007');
    expect(app.frame()).toContain('--on-alert: cannot run \\e]0;x\\x07: ENOENT at 12:00:01');
  });

  it('is shown in the status bar among the alerts while alertNote has something to say', async () => {
    const fed = makeStore([t0()]);
    let note: string | undefined = '--on-alert: page exited with status 1 (listener:22) at 12:00:01';
    const app = await renderApp(fed, { columns: 200, rows: 30, alertNote: () => note });
    expect(app.frame()).toContain('--on-alert: page exited with status 1 (listener:22) at 12:00:01');
    note = undefined;
    await app.press('2');
    const later = await app.until((f) => HEADERS.connections.test(f), 'the Connections pane');
    expect(later).not.toContain('--on-alert');
  });
});

describe('pause', () => {
  it('Space and p freeze the view while samples arrive, then jump to the latest', async () => {
    const fed = makeStore([t0()]);
    const app = await renderApp(fed, { columns: 120, rows: 30, initial: { pane: 'connections' } });
    expect(app.frame()).toContain('ESTAB 4000');
    await app.press(' ');
    await app.until((f) => f.includes('PAUSED'), 'PAUSED');
    fed.push(t1());
    // Any key re-renders from what the store shows: still the t0 sample, nothing gone.
    await app.press('3');
    const frozen = await app.until((f) => HEADERS.listeners.test(f), 'the Listeners pane');
    expect(frozen).toContain('PAUSED');
    expect(frozen).toContain('ESTAB 4000');
    expect(frozen).not.toContain('gone');
    expect(frozen).toContain('26/26');

    await app.press('p');
    const resumed = await app.until((f) => !f.includes('PAUSED'), 'the pause to end');
    expect(resumed).toContain('ESTAB 3000');
    expect(resumed).toMatch(/gone \d\d:\d\d:\d\d/);
    expect(resumed).toContain('9 listeners gone (a: ack)');

    await app.press('p');
    await app.until((f) => f.includes('PAUSED'), 'PAUSED with p');
    await app.press(' ');
    await app.until((f) => !f.includes('PAUSED'), 'running again with Space');
  });
});

describe('display toggles', () => {
  it('n switches between names from etc/hosts and numeric addresses', async () => {
    const names = namesFrom({ hosts: '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' });
    const app = await renderApp(makeStore([t0()]), {
      columns: 120,
      rows: 30,
      names,
      initial: { pane: 'listeners' },
    });
    expect(app.frame()).toContain('localhost:38151');
    expect(app.frame()).not.toContain('127.0.0.1:38151');
    await app.press('n');
    const numeric = await app.until((f) => f.includes('127.0.0.1:38151'), 'numeric addresses');
    expect(numeric).not.toContain('localhost:');
    expect(numeric).toContain('[::1]:39071');
    await app.press('n');
    await app.until((f) => f.includes('localhost:38151'), 'names again');
  });

  it('W shows every column, cut at the terminal edge instead of dropped', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 80,
      rows: 24,
      initial: { pane: 'connections' },
    });
    const header = () => app.frame().split('\n')[1] ?? '';
    expect(header()).not.toContain('Send-Q');
    await app.press('W');
    await app.until(() => header().includes('Send-Q'), 'the wide header');
    for (const line of app.frame().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    await app.press('W');
    await app.until(() => !header().includes('Send-Q'), 'the narrow header again');
  });

  it('x adds unix sockets to Connections and Listeners', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 140,
      rows: 30,
      initial: { pane: 'listeners' },
    });
    expect(app.frame()).not.toContain('u_str');
    await app.press('x');
    await app.until((f) => f.includes('39/39'), 'the unix listeners');
    await app.press('/', ...'proto:unix', KEY.enter);
    const unixOnly = await app.until((f) => f.includes('filter: proto:unix'), 'only unix listeners');
    expect(unixOnly).toContain('/tmp/netwatch path with spaces.sock');
    // ss's names for unix socket types: u_str, u_dgr, u_seq.
    expect(unixOnly).toMatch(/u_str\s+\/tmp\/netwatch-loadgen-\w+\/s0\.sock\s+-\s+\d+\/node/);
    await app.press('2');
    await app.until((f) => !f.includes('filter: proto:unix') && HEADERS.connections.test(f), 'Connections');
    expect(app.frame()).toContain('4060/4060');
    await app.press('x');
    await app.until((f) => f.includes('4034/4034'), 'unix sockets hidden again');
  });

  it('z hides zero counters and c shows only changed ones (Stats)', async () => {
    const fed = makeStore([t0(), t1()]);
    // Wide enough for the Delta column (at 120 it gives way to Last climb).
    const app = await renderApp(fed, { columns: 150, rows: 30, initial: { pane: 'stats' } });
    const count = () => /(\d+)\/(\d+)/.exec(app.frame().split('\n').at(-2) ?? '');
    const total = Number(count()![2]);
    expect(Number(count()![1])).toBe(total);
    expect(app.frame()).toMatch(/ Ip\s+InHdrErrors\s+0\s/);
    await app.press('z');
    await app.until(() => Number(count()?.[1]) < total, 'fewer counters');
    const nonZero = app.frame();
    expect(nonZero).not.toMatch(/ InHdrErrors /);
    for (const line of nonZero.split('\n').slice(2, -2)) expect(line).not.toMatch(/^.\S+\s+\S+\s+0\s/);
    await app.press('z', 'c');
    const changed = counterRows(fed.store.getView()!, { ...T, changedOnly: true }).length;
    expect(changed).toBeGreaterThan(10);
    // z and c narrow the rows; the total stays the number of counters, so the count says how many are hidden.
    await app.until((f) => f.includes(`${changed}/${total}  `), 'changed counters');
    for (const line of app
      .frame()
      .split('\n')
      .slice(2, -2)
      .filter((l) => l.trim()))
      expect(line).toMatch(/\s\+\d+\s/);
    await app.press('c');
    await app.until((f) => f.includes(`${total}/${total}`), 'every counter again');
  });

  it('b shows interface rates in bits per second', async () => {
    const app = await renderApp(makeStore([t0(), t1()]), {
      columns: 120,
      rows: 30,
      initial: { pane: 'interfaces' },
    });
    expect(app.frame()).toMatch(/^ lo\s+unknown\s+[\d.]+ (B|KiB|MiB)\/s/m);
    await app.press('b');
    await app.until((f) => /^ lo\s+unknown\s+[\d.]+ (bit|kbit|Mbit)\/s/m.test(f), 'bits per second');
    await app.press('b');
    await app.until((f) => /^ lo\s+unknown\s+[\d.]+ (B|KiB|MiB)\/s/m.test(f), 'bytes per second again');
  });
});

describe('the filter line', () => {
  it('/port:38151 shows only those rows and N/M; Enter applies, Esc clears', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 120,
      rows: 30,
      initial: { pane: 'connections' },
    });
    await app.press('/');
    await app.until((f) => f.includes('/█'), 'the open filter line');
    await app.press(...'port:38151');
    const typing = await app.until(
      (f) => f.includes('/port:38151█  801/4034'),
      'the typed filter and its count',
    );
    const body = (f: string) =>
      f
        .split('\n')
        .slice(2, -2)
        .filter((l) => l.trim());
    // The filter applies while typing.
    for (const line of body(typing)) expect(line).toMatch(/:38151\s/);
    await app.press(KEY.enter);
    const applied = await app.until((f) => f.includes('filter: port:38151  801/4034'), 'the applied filter');
    expect(body(applied)).toHaveLength(26);
    // The status bar carries the count too.
    expect(applied.split('\n').at(-1)).toContain('801/4034 shown');
    for (const line of body(applied)) expect(line).toMatch(/:38151\s/);
    await app.press(KEY.escape);
    await app.until((f) => f.includes('4034/4034'), 'the cleared filter');
  });

  it('an invalid term shows the error inline and keeps the last good filter', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 120,
      rows: 30,
      initial: { pane: 'connections' },
    });
    await app.press('/', ...'port:38151', KEY.enter);
    await app.until((f) => f.includes('filter: port:38151'), 'the good filter');
    await app.press('/');
    await app.until((f) => f.includes('/port:38151█'), 'the line, opened on the applied filter');
    await app.press(...'port:38151'.split('').map(() => KEY.backspace), ...'port:8o');
    const bad = await app.until((f) => f.includes('/port:8o█'), 'the bad filter typed');
    expect(bad).toContain('✗ bad port "8o"');
    const rows = bad
      .split('\n')
      .slice(2, -2)
      .filter((l) => l.trim());
    expect(rows.length).toBeGreaterThan(0);
    for (const line of rows) expect(line).toMatch(/:38151\s/);
    // Enter does not apply it: the line stays open with its error.
    await app.press(KEY.enter);
    await app.press('1');
    const still = await app.until((f) => f.includes('/port:8o1█'), 'the line still open');
    expect(still).toContain('✗ bad port "8o1"');
    await app.press(KEY.escape);
    const cleared = await app.until((f) => f.includes('4034/4034'), 'Esc clearing the filter');
    expect(cleared).not.toContain('✗');
  });

  it('!state:est hides established connections', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 120,
      rows: 50,
      initial: { pane: 'connections' },
    });
    await app.press('/', ...'!state:est', KEY.enter);
    const frame = await app.until((f) => f.includes('filter: !state:est  33/4034'), 'the negated filter');
    const rows = frame
      .split('\n')
      .slice(2, -2)
      .filter((l) => l.trim());
    expect(rows).toHaveLength(33);
    expect(frame).not.toContain('ESTABLISHED');
    expect(rows.filter((l) => l.includes('LISTEN'))).toHaveLength(14);
    expect(rows.filter((l) => l.includes('TIME_WAIT'))).toHaveLength(5);
  });

  it('each pane keeps its own filter', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 120,
      rows: 30,
      initial: { pane: 'connections' },
    });
    await app.press('/', ...'port:38151', KEY.enter, '3');
    const listeners = await app.until((f) => HEADERS.listeners.test(f), 'Listeners');
    expect(listeners).toContain('26/26');
    await app.press('2');
    await app.until((f) => f.includes('filter: port:38151  801/4034'), 'the Connections filter kept');
  });
});

describe('the Events pane', () => {
  it('lists what changed, filters by kind:, and Enter goes to the object in its pane', async () => {
    const fed = makeStore([t0()]);
    const app = await renderApp(fed, { columns: 140, rows: 30, initial: { pane: 'events' } });
    fed.push(t1());
    await app.until((f) => f.includes('listener-gone'), 'the events');
    await app.press('/', ...'kind:listener-gone 42453', KEY.enter);
    const one = await app.until((f) => f.includes('filter: kind:listener-gone'), 'the filtered events');
    expect(one).toMatch(/listener-gone\s+tcp 127\.0\.0\.1:42453\s+pid 3752/);
    await app.press(KEY.enter);
    await app.until((f) => HEADERS.listeners.test(f), 'the Listeners pane');
    expect(selectedRow(app)).toMatch(/gone \d\d:\d\d:\d\d\s+tcp\s+127\.0\.0\.1:42453/);
  });
});

describe('vanished listeners', () => {
  it('shows a listener that vanished as gone with its time, counts it, and a clears it', async () => {
    const fed = makeStore([t0()]);
    const app = await renderApp(fed, { columns: 120, rows: 30, initial: { pane: 'listeners' } });
    expect(app.frame()).not.toContain('gone');
    fed.push(t1());
    const when = formatClock(WALL_BASE + 1000);
    const gone = await app.until((f) => f.includes('gone'), 'the gone listeners');
    const goneRows = gone.split('\n').filter((l) => l.startsWith('-gone'));
    const squeezed = goneRows.map((l) => l.replace(/\s+/g, ' ').trim());
    expect(squeezed.slice(0, 6)).toEqual([
      `-gone ${when} tcp 127.0.0.1:42453 - 3752/node root 7023`,
      `-gone ${when} tcp 127.0.0.1:46393 - 3752/node root 7025`,
      `-gone ${when} tcp6 [::1]:39071 - 3752/node root 7024`,
      `-gone ${when} udp 127.0.0.1:41282 - 3752/node root 11593`,
      `-gone ${when} udp 127.0.0.1:55562 - 3752/node root 11591`,
      `-gone ${when} udp6 [::1]:33039 - 3752/node root 11592`,
    ]);
    // Gone unix listeners are pinned with the rest, even while unix sockets are hidden (paths cut to fit).
    expect(squeezed.slice(6)).toHaveLength(3);
    for (const [i, inode] of ['11450', '11451', '11590'].entries())
      expect(squeezed[6 + i]).toMatch(
        new RegExp(`^-gone ${when} u_str /tmp/netwatch-loadgen-Zf8Ut8/s\\S* - 3752/node root ${inode}$`),
      );
    expect(gone.split('\n').at(-1)).toMatch(/^9 listeners gone \(a: ack\) │ vm/);
    expect(gone).toMatch(new RegExp(`\\+new ${when}\\s+tcp\\s+127\\.0\\.0\\.1:51675`));

    await app.press('a');
    const acked = await app.until((f) => !f.includes('gone'), 'the acknowledgement');
    expect(acked).not.toContain('new ');
    expect(acked).toContain('21/21');
    // Acknowledged means gone for good, also after the next sample.
    fed.push(t1());
    await app.press('x');
    const later = await app.until((f) => f.includes('u_str'), 'the unix listeners');
    expect(later).not.toContain('gone');
  });

  it('at 20 columns a gone listener still shows "gone" and its address', async () => {
    const fed = makeStore([t0()]);
    const app = await renderApp(fed, {
      columns: 20,
      rows: 12,
      initial: {
        pane: 'listeners',
        sort: { ...initialUiState().sort, listeners: { key: 'status', reverse: false } },
      },
    });
    fed.push(t1());
    const frame = await app.until((f) => f.includes('gone'), 'the gone listeners at 20 columns');
    const first = frame.split('\n').find((l) => l.startsWith('-gone'));
    expect(first).toMatch(/^-gone… 127\.0\.0\.1:4/);
  });

  it('Enter on a gone listener says when it vanished', async () => {
    const app = await renderApp(makeStore([t0(), t1()]), {
      columns: 120,
      rows: 30,
      initial: { pane: 'listeners' },
    });
    await app.press('s', 's', 's'); // status: gone first
    await app.until((f) => (f.split('\n')[2] ?? '').startsWith('-gone'), 'gone listeners first');
    await app.press(KEY.enter);
    const details = await app.until((f) => f.includes('VANISHED'), 'the details');
    expect(details).toContain(`VANISHED at ${formatClock(WALL_BASE + 1000)} — press a to acknowledge`);
    expect(details).toContain('pid 3752  node  uid 0 (root)');
  });
});

describe('details', () => {
  it('Enter shows the full cmdline, inode and TCP rto/cwnd/ssthresh; Esc closes', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 200,
      rows: 50,
      initial: { pane: 'connections' },
    });
    await app.press('/', ...'sport:38151 state:est', KEY.enter);
    await app.until((f) => f.includes('filter: sport:38151 state:est  400/4034'), 'the filter');
    await app.press(KEY.enter);
    const details = await app.until((f) => f.includes('Connections: details'), 'the details view');
    expect(details).toMatch(/^Protocol {3}tcp$/m);
    expect(details).toMatch(/^Local {6}127\.0\.0\.1 port 38151$/m);
    expect(details).toMatch(/^State {6}ESTABLISHED \(0x01\)$/m);
    expect(details).toMatch(/^Inode {6}\d+ {3}uid 0$/m);
    expect(details).toContain('TCP        rto 200ms  ato 0ms  qack 0  cwnd 10  ssthresh ∞ (slow start)');
    expect(details).toContain('pid 3753  node  uid 0 (root)');
    expect(details).toContain(
      '/usr/bin/node /work/main/scripts/loadgen.mjs --child --connections 500 --churn 0 --udp 3 --unix 3 ' +
        '--listeners 2 --v6 0.2 --index 1',
    );
    await app.press(KEY.escape);
    const back = await app.until((f) => HEADERS.connections.test(f), 'the table again');
    // Esc closed the details; the filter is still applied.
    expect(back).toContain('filter: sport:38151 state:est  400/4034');
  });

  it('shows the selected row; Esc, j, Enter shows the next one', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 200,
      rows: 50,
      initial: { pane: 'connections' },
    });
    await app.press('/', ...'port:38151', KEY.enter, KEY.enter);
    await app.until((f) => f.includes('State      LISTEN'), 'the listener’s details');
    expect(app.frame()).toContain('TCP        rto 1000ms');
    await app.press(KEY.escape, 'j', KEY.enter);
    await app.until((f) => f.includes('State      ESTABLISHED'), 'the next row’s details');
  });

  it('at 20×8 ↓ and End scroll the details down to the owning process', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 20,
      rows: 8,
      initial: { pane: 'connections' },
    });
    await app.press('/', ...'sport:38151 state:listen', KEY.enter, KEY.enter);
    const top = await app.until((f) => f.includes('Protocol   tcp'), 'the top of the details');
    expect(top).not.toContain('pid 3753');
    await app.press(KEY.down);
    await app.until((f) => !f.includes('Protocol   tcp') && f.includes('Local'), 'one line down');
    await app.press(KEY.end);
    const end = await app.until((f) => f.includes('--index 1'), 'the end of the command line');
    expect(end.split('\n')).toHaveLength(8);
    await app.press('g');
    await app.until((f) => f.includes('Protocol   tcp'), 'the top again');
  });
});

describe('help', () => {
  it('? lists every key of the keymap; Esc closes it', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 200,
      rows: 50,
      initial: { pane: 'connections' },
    });
    await app.press('?');
    const help = await app.until((f) => f.includes('netwatch keys'), 'the help');
    for (const binding of KEYMAP) {
      expect(help).toMatch(new RegExp(`^ {2}${escapeRe(binding.keys)}\\s+${escapeRe(binding.help)}$`, 'm'));
    }
    await app.press(KEY.escape);
    await app.until((f) => HEADERS.connections.test(f), 'the table again');
  });
});

describe('overlays taller than the terminal', () => {
  it('at 80×24 the help scrolls with ↓ PgDn End Home, so every key can be read', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 80,
      rows: 24,
      initial: { pane: 'connections' },
    });
    await app.press('?');
    const seen = new Set<string>();
    const collect = (f: string) => {
      for (const line of f.split('\n')) seen.add(line.trimEnd());
    };
    collect(await app.until((f) => f.includes('netwatch keys'), 'the help'));
    const last = KEYMAP.at(-1)!;
    expect(app.frame()).not.toContain(last.help);
    await app.press(KEY.pageDown);
    collect(await app.until((f) => f.includes(last.help), 'the end of the keymap after PgDn'));
    for (const binding of KEYMAP) {
      const line = `  ${binding.keys.padEnd(16)} ${binding.help}`;
      expect(seen.has(line), line).toBe(true);
    }
    await app.press(KEY.home);
    await app.until((f) => f.includes('  q  Ctrl-C'), 'the top again');
    await app.press(KEY.end);
    await app.until((f) => f.includes('Marks:'), 'the last line with End');
    await app.press(KEY.up, 'k', KEY.down, 'j');
    expect(app.frame().split('\n')).toHaveLength(24);
    await app.press(KEY.escape);
    await app.until((f) => HEADERS.connections.test(f), 'the table again');
    // Scrolling the help moved nothing underneath.
    expect(selectedRow(app)).toMatch(/0\.0\.0\.0:2024/);
  });

  it('at 80×24 the details wrap the command line instead of cutting it', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 80,
      rows: 24,
      initial: { pane: 'connections' },
    });
    await app.press('/', ...'sport:38151 state:listen', KEY.enter, KEY.enter);
    const details = await app.until((f) => f.includes('Processes (1)'), 'the details');
    const text = details.split('\n').join('');
    expect(text).toContain(
      '/usr/bin/node /work/main/scripts/loadgen.mjs --child --connections 500 --churn 0 --udp 3 --unix 3 ' +
        '--listeners 2 --v6 0.2 --index 1',
    );
    // Nothing of the details is cut (the status bar below may be).
    expect(details.split('\n').slice(0, -1).join('\n')).not.toContain('…');
  });
});

describe('quit', () => {
  it('q calls onQuit', async () => {
    const onQuit = vi.fn();
    const app = await renderApp(makeStore([t0()]), { onQuit, initial: { pane: 'connections' } });
    await app.press('q');
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledTimes(1), { timeout: 2000, interval: 2 });
  });

  it('Ctrl-C calls onQuit', async () => {
    const onQuit = vi.fn();
    const app = await renderApp(makeStore([t0()]), { onQuit, initial: { pane: 'connections' } });
    await app.press(KEY.ctrlC);
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledTimes(1), { timeout: 2000, interval: 2 });
  });

  it('q types a q in the filter line; Ctrl-C quits from there', async () => {
    const onQuit = vi.fn();
    const app = await renderApp(makeStore([t0()]), {
      onQuit,
      columns: 120,
      rows: 30,
      initial: { pane: 'connections' },
    });
    await app.press('/', 'q');
    const typed = await app.until((f) => f.includes('/q█'), 'the q typed');
    // No row has a q in it.
    expect(
      typed
        .split('\n')
        .slice(2, -2)
        .every((l) => l.trim() === ''),
    ).toBe(true);
    expect(onQuit).not.toHaveBeenCalled();
    await app.press(KEY.ctrlC);
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledTimes(1), { timeout: 2000, interval: 2 });
  });
});

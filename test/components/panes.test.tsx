// Each pane of the live view rendered from the captured fixtures, at several terminal sizes, with hostile
// names and without colour.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wrapLines } from '../../components/Overlay.js';
import { formatClock } from '../../src/view/format.js';
import { displayWidth } from '../../src/view/textwidth.js';
import { initialUiState, PANES, type Pane, type UiState } from '../../src/view/uistate.js';
import { type AppHarness, fixtureSnapshot, KEY, makeStore, renderApp, WALL_BASE } from '../helpers/app.js';
import { counters, inet, snapshot } from '../helpers/snapshots.js';

// Chalk picks its colour level when loaded; forcing it lets the tests see inverse and colour codes, and
// prove that noColor drops them.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

afterEach(() => {
  cleanup();
});

const t0 = () => fixtureSnapshot('live-t0', 0);
const t1 = () => fixtureSnapshot('live-t1', 1000);

function withFilter(pane: Pane, filter: string): Partial<UiState> {
  return { pane, filters: { ...initialUiState().filters, [pane]: filter } };
}

/** Table lines of the frame: below the tab bar and the header, above the filter line and status bar. */
function bodyLines(app: AppHarness): string[] {
  return app.frame().split('\n').slice(2, -2);
}

describe('panes on the live-t0 capture at 120×30', () => {
  const size = { columns: 120, rows: 30 };

  it('Connections: loopback v4 and v6 connections with state and pid/program', async () => {
    const v4 = await renderApp(makeStore([t0()]), {
      ...size,
      initial: withFilter('connections', 'port:38151'),
    });
    const lines = bodyLines(v4);
    expect(lines[0]).toMatch(/^ tcp\s+0\s+0\s+127\.0\.0\.1:38151\s+0\.0\.0\.0:\*\s+LISTEN\s+3753\/node/);
    expect(lines[1]).toMatch(
      /^ tcp\s+0\s+0\s+127\.0\.0\.1:38151\s+127\.0\.0\.1:\d+\s+ESTABLISHED\s+3753\/node\s/,
    );
    expect(v4.frame()).toContain('filter: port:38151  801/4034');

    const v6 = await renderApp(makeStore([t0()]), {
      ...size,
      initial: withFilter('connections', 'proto:tcp6 state:est'),
    });
    const rows = bodyLines(v6).filter((l) => l.trim() !== '');
    expect(rows.length).toBeGreaterThan(20);
    for (const line of rows)
      expect(line).toMatch(/^ tcp6\s+\d+\s+\d+\s+\[::1\]:\d+\s+\[::1\]:\d+\s+ESTABLISHED\s+\d+\/node\s/);
    expect(v6.frame()).toMatch(/vm │ every 1s │ \d\d:\d\d:\d\d in 0\.0ms │ ESTAB 4000 LISTEN 14 TW 5/);
  });

  it('Listeners: every LISTEN socket and bound UDP socket with its owner', async () => {
    const app = await renderApp(makeStore([t0()]), { ...size, initial: { pane: 'listeners' } });
    const frame = app.frame();
    expect(frame).toMatch(/Status\s+Proto.\s+Local Address\s+Accept\s+PID\/Program\s+User\s+Inode/);
    // /proc gives the accept queue's length, not its limit (sock_diag does).
    expect(frame).toMatch(/\s+tcp\s+127\.0\.0\.1:38151\s+0\s+3753\/node\s+root\s+8164/);
    expect(frame).toMatch(/\s+tcp6\s+\[::1\]:39071\s+0\s+3752\/node\s+root\s+7024/);
    expect(frame).toMatch(/\s+tcp\s+127\.0\.0\.1:44145\s+0\s+3859\/python3/);
    expect(frame).toContain('26/26');
    expect(frame).not.toContain('ESTABLISHED');
    expect(frame).not.toContain('gone');
  });

  it('Routes: the default route via 192.0.2.1 on eth0, and the IPv6 routes', async () => {
    const app = await renderApp(makeStore([t0()]), { ...size, initial: { pane: 'routes' } });
    const lines = bodyLines(app);
    expect(lines[0]).toMatch(/^ default\s+192\.0\.2\.1\s+0\.0\.0\.0\s+UG\s+0 eth0/);
    // The destination carries its prefix length, so it survives a terminal too narrow for Genmask.
    expect(lines[1]).toMatch(/^ 192\.0\.2\.0\/24\s+0\.0\.0\.0\s+255\.255\.255\.0\s+U\s+0 eth0/);
    expect(app.frame()).toMatch(/ fd00::\/64\s+::\s+\/64\s+U\s+256 eth0/);
  });

  it('Interfaces: lo and eth0 with their state and MTU; no rate on the first sample', async () => {
    const app = await renderApp(makeStore([t0()]), {
      columns: 160,
      rows: 30,
      initial: { pane: 'interfaces' },
    });
    const frame = app.frame();
    expect(frame).toMatch(/Iface.\s+State\s+RX\/s\s+RX\s+TX\/s\s+TX.*MTU/);
    expect(frame).toMatch(/^ eth0\s+up\s+-\s+-\s/m);
    expect(frame).toMatch(/^ lo\s+unknown\s/m);
    // MTU is right-aligned under its header.
    const lines = frame.split('\n');
    const end = lines[1]!.indexOf('MTU') + 3;
    const mtu = (name: string) => {
      const line = lines.find((l) => l.startsWith(` ${name} `))!;
      return line.slice(0, end).trim().split(/\s+/).at(-1);
    };
    expect(mtu('lo')).toBe('65536');
    expect(mtu('eth0')).toBe('1400');
    expect(frame).toContain('4/4');
  });

  it('Interfaces: rates from the second sample, in bytes or bits', async () => {
    const app = await renderApp(makeStore([t0(), t1()]), { ...size, initial: { pane: 'interfaces' } });
    const rate = '[\\d.]+ (B|KiB|MiB)\\/s\\s+\\S+\\s+[\\d.]+ (B|KiB|MiB)\\/s';
    expect(app.frame()).toMatch(new RegExp(`^ eth0\\s+up\\s+${rate}`, 'm'));
    await app.press('b');
    const bits = await app.until((f) => f.includes('bit/s'), 'rates in bits');
    expect(bits).toMatch(/^ eth0\s+up\s+[\d.]+ (bit|kbit|Mbit)\/s\s+\S+\s+[\d.]+ (bit|kbit|Mbit)\/s/m);
    expect(bits).not.toMatch(/B\/s/);
  });

  it('Stats: Tcp counters such as RetransSegs with their values', async () => {
    const app = await renderApp(makeStore([t0()]), { ...size, initial: withFilter('stats', 'proto:tcp') });
    const frame = app.frame();
    // At 120 columns Delta goes first: with a climb window, the last climb says more than this tick.
    expect(frame).toMatch(/Group.\s+Counter\s+Value\s+Rate\s+Last climb\s+Meaning/);
    expect(frame).toMatch(/ Tcp\s+RetransSegs\s+0\s+-\s+segments retransmitted/);
    expect(frame).toMatch(/ Tcp\s+ActiveOpens\s+2092\s/);
    expect(frame).toMatch(/ Tcp\s+CurrEstab\s+4000\s/);
    expect(frame).toContain('filter: proto:tcp  15/402');
  });
});

describe('a counter that went down', () => {
  const before = snapshot(0, { counters: counters({ Tcp: { ActiveOpens: 900_000n, InSegs: 100n } }) });
  const after = snapshot(1000, { counters: counters({ Tcp: { ActiveOpens: 12n, InSegs: 160n } }) });

  it('shows reset and no rate, never a negative or huge number', async () => {
    const app = await renderApp(makeStore([before, after]), {
      columns: 100,
      rows: 10,
      initial: { pane: 'stats' },
    });
    const frame = app.frame();
    const reset = frame.split('\n').find((l) => l.includes('ActiveOpens'))!;
    expect(reset).toMatch(/^~Tcp\s+ActiveOpens\s+12\s+reset\b/);
    expect(reset).not.toMatch(/-\d/);
    expect(reset).not.toMatch(/\d{7,}/);
    expect(frame).toMatch(/ Tcp\s+InSegs\s+160\s+60\/s/);
  });
});

describe('terminal sizes', () => {
  const SIZES = [
    [20, 8],
    [40, 12],
    [80, 24],
    [200, 50],
  ] as const;

  function expectFits(frame: string, columns: number, rows: number) {
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(rows);
    for (const line of lines) expect(displayWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(columns);
  }

  for (const [columns, rows] of SIZES) {
    it(`every pane, wide or not, help and details fit in ${columns}×${rows}`, async () => {
      const app = await renderApp(makeStore([t0(), t1()]), { columns, rows, initial: { showUnix: true } });
      for (const wide of [false, true]) {
        if (wide) await app.press('W');
        for (const [i, pane] of PANES.entries()) {
          await app.press(String(i + 1));
          await app.until(() => paneShown(app, pane), `the ${pane} pane`);
          expectFits(app.frame(), columns, rows);
          await app.press(KEY.end);
          expectFits(app.frame(), columns, rows);
          // Enter on an event goes to its object instead (tested in App.test.tsx).
          if (pane === 'events') continue;
          await app.press(KEY.enter);
          await app.until((f) => f.includes(': detail'), `details of ${pane}`);
          expectFits(app.frame(), columns, rows);
          await app.press(KEY.end);
          expectFits(app.frame(), columns, rows);
          await app.press(KEY.escape);
        }
      }
      await app.press('?');
      await app.until((f) => f.includes('netw'), 'the help');
      await app.press(KEY.pageDown);
      expectFits(app.frame(), columns, rows);
      await app.press(KEY.escape, '/', ...'port:1-99999');
      await app.until((f) => f.includes('✗'), 'a filter error');
      expect(app.frames.length).toBeGreaterThan(20);
      for (const frame of app.frames) expectFits(frame, columns, rows);
    });
  }

  it('shows the tab bar, the pane and the status bar at 20×8', async () => {
    const app = await renderApp(makeStore([t0(), t1()]), { columns: 20, rows: 8 });
    const lines = app.frame().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^ 1 Overview/);
    expect(lines[1]).toContain('Trouble');
    expect(lines.join('\n')).toContain('Sockets');
    expect(lines[7]).toMatch(/^9 listeners gone/);
  });

  it('survives shrinking from 80×24 to 20×8 while running, and the next frame fits', async () => {
    const app = await renderApp(makeStore([t0()]), { columns: 80, rows: 24 });
    expect(app.frame().split('\n')).toHaveLength(24);
    await app.resize(20, 8);
    const frame = await app.until((f) => f.split('\n').length <= 8, 'a frame of 8 lines');
    expectFits(frame, 20, 8);
    expect(frame.split('\n')[0]).toMatch(/^ 1 Overview/);
    app.push(t1());
    const next = await app.until((f) => f.includes('gone'), 'the next sample');
    expectFits(next, 20, 8);
    await app.resize(200, 50);
    const wide = await app.until((f) => f.includes('Connections'), 'the wide tab bar');
    expectFits(wide, 200, 50);
  });
});

/** Which pane the tab bar shows as current (inverse), read from the raw frame. */
function paneShown(app: AppHarness, pane: Pane): boolean {
  const tabBar = app.rawFrame().split('\n')[0] ?? '';
  const current = /\u001B\[7m(?:\u001B\[[0-9;]*m)*\s*\[?(\d)/.exec(tabBar)?.[1];
  return current === String(PANES.indexOf(pane) + 1);
}

describe('hostile names (fixtures/edge-hostile)', () => {
  it('never lets an escape sequence from a process name reach the terminal', async () => {
    const snap = fixtureSnapshot('edge-hostile', 0);
    const app = await renderApp(makeStore([snap]), {
      columns: 120,
      rows: 20,
      initial: withFilter('connections', 'pid:100'),
    });
    const frame = app.frame();
    expect(frame).toContain('100/\\e]0;pwned\\x07');
    // Only SGR codes (colour, inverse) may be raw escapes; the OSC of the name must not be.
    expect(app.rawFrame()).not.toContain('\u001b]');
    expect(app.rawFrame()).not.toContain('\u0007');
    expect(frame).not.toContain('\u001b');
    await app.press(KEY.enter);
    const details = await app.until((f) => f.includes('Processes ('), 'the details view');
    expect(details).toContain('evil --title \\e[2J');
    expect(app.rawFrame()).not.toContain('\u001b[2J');
    expect(details).not.toContain('\u001b');
  });

  it('escapes interface names, unix paths and user names too', async () => {
    const snap = fixtureSnapshot('edge-hostile', 0);
    const app = await renderApp(makeStore([snap]), {
      columns: 120,
      rows: 20,
      initial: { pane: 'interfaces' },
    });
    // The SGR sequences in these names look like the frame's own styling: check the names, not just \x1b.
    expect(app.frame()).toContain('eth\\e[7m0');
    await app.press('3', 'x');
    await app.until((f) => f.includes('/run/evil\\e[31m.sock'), 'the unix listener');
    await app.press('2', '/', ...'pid:100 state:est', KEY.enter, KEY.enter);
    const details = await app.until((f) => f.includes('Processes (1)'), 'the details');
    expect(details).toContain('uid 1000 (mallory\\e[5m)');
    for (const raw of app.frames) {
      expect(raw).not.toContain('eth\u001b[7m0');
      expect(raw).not.toContain('evil\u001b[31m');
      expect(raw).not.toContain('mallory\u001b');
      expect(raw).not.toContain('\u0007');
    }
  });

  it('escapes the host name and warnings in the status bar', async () => {
    const snap = snapshot(0, {
      hostname: 'box\u001b]0;pwned\u0007',
      warnings: ['cannot read /sys/class/net/e\u001b[2J'],
    });
    const app = await renderApp(makeStore([snap]), { columns: 200, rows: 10 });
    const status = app.frame().split('\n').at(-1)!;
    expect(status).toContain('box\\e]0;pwned\\x07 │');
    expect(status).toContain('cannot read /sys/class/net/e\\e[2J');
    expect(app.rawFrame()).not.toContain('\u001b]');
    expect(app.rawFrame()).not.toContain('\u001b[2J');
  });
});

describe('the Inode column', () => {
  it('shows a 32-bit inode whole wherever the column is shown', async () => {
    const snap = snapshot(0, {
      sockets: [inet('tcp', '127.0.0.1:8080', '127.0.0.1:50000', 'ESTABLISHED', 4294967295)],
    });
    for (const columns of [200, 160]) {
      const app = await renderApp(makeStore([snap]), { columns, rows: 10, initial: { pane: 'connections' } });
      const row = bodyLines(app)[0]!;
      expect(row).toMatch(/ 4294967295 /);
      expect(row).not.toContain('…');
      cleanup();
    }
  });
});

describe('Overlay wrapLines', () => {
  it.each([
    ['a line that fits', ['abc'], 3, ['abc']],
    ['a long ASCII line', ['abcdefgh'], 3, ['abc', 'def', 'gh']],
    ['wide characters never split', ['日本語テキスト'], 5, ['日本', '語テ', 'キス', 'ト']],
    ['a grapheme stays whole', ['e\u0301e\u0301e\u0301'], 2, ['e\u0301e\u0301', 'e\u0301']],
    ['an empty line stays', [''], 4, ['']],
    ['no room: lines are left alone', ['abc'], 0, ['abc']],
  ])('%s', (_name, lines, width, expected) => {
    expect(wrapLines(lines, width)).toEqual(expected);
    for (const line of wrapLines(lines, width))
      if (width > 0) expect(displayWidth(line)).toBeLessThanOrEqual(width);
  });
});

describe('NO_COLOR', () => {
  it('keeps the marks as text: + opened, - closed, gone, and no colour codes', async () => {
    const fed = makeStore([t0(), t1()]);
    const app = await renderApp(fed, {
      columns: 120,
      rows: 30,
      noColor: true,
      initial: withFilter('connections', 'port:51675'),
    });
    const opened = app.frame();
    expect(opened).toMatch(/^\+tcp\s+\d+\s+\d+\s+127\.0\.0\.1:51675\s+0\.0\.0\.0:\*\s+LISTEN/m);
    expect(app.rawFrame()).not.toMatch(/\u001B\[3\dm/);

    const filter = 'sport:42453 state:listen';
    await app.press('/', ...'port:51675'.split('').map(() => KEY.backspace), ...filter, KEY.enter);
    const closed = await app.until(
      (f) => f.includes(`filter: ${filter}  1/`),
      'the filter on the killed listener',
    );
    expect(closed).toMatch(/^-tcp\s+\d+\s+\d+\s+127\.0\.0\.1:42453\s+0\.0\.0\.0:\*\s+LISTEN\s+3752\/node/m);

    await app.press('3');
    const gone = await app.until((f) => f.includes('Status'), 'the Listeners pane');
    const when = formatClock(WALL_BASE + 1000);
    expect(gone).toMatch(new RegExp(`^-gone ${when}\\s+tcp\\s+127\\.0\\.0\\.1:42453\\s`, 'm'));
    expect(gone).toMatch(/^\+new \d\d:\d\d:\d\d\s+tcp\s+127\.0\.0\.1:51675/m);
    expect(gone.split('\n')[0]).toContain('[3 Listeners]');
    for (const raw of app.frames) expect(raw).not.toMatch(/\u001B\[(3\d|4\d|9\d)(;\d+)*m/);
  });
});

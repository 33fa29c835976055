// `netwatch --once FLAGS` beside net-tools `netstat FLAGS`, on this machine, for every flag combination the
// README promises (scripts/netstat-compare.mjs holds the list and the rules; `node scripts/netstat-compare.mjs`
// runs the same comparison with a report). A load of loopback sockets of every kind netstat has a rule for
// runs meanwhile (scripts/netstat-load.py); a network namespace of the test's own holds interfaces and
// routes this host lacks; captured fixtures are compared whole, in order.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAN_ISOLATE,
  CONTINUOUS,
  comparable,
  compareContinuous,
  compareFixtures,
  compareInNetworkNamespace,
  compareOne,
  hasNetstat,
  judge,
  pool,
  startLoad,
  TEST_COMBINATIONS,
  // @ts-expect-error: a plain .mjs script without types
} from '../../scripts/netstat-compare.mjs';
import { waitFor } from '../helpers/children.js';
import { BIN } from '../helpers/cli.js';

interface Combo {
  args: string[];
  kind: string;
  user?: string;
  fixture?: string;
}
interface Result {
  combo: Combo;
  result: 'exact' | 'masked' | 'differs';
  detail: string;
}

const present = (hasNetstat as () => boolean)();
const describeIf = present ? describe : describe.skip;
const name = (r: Result) =>
  `${r.combo.fixture ? `(fixtures/${r.combo.fixture}) ` : ''}${r.combo.user ? `(as ${r.combo.user}) ` : ''}netstat ${r.combo.args.join(' ')}: ${r.detail}`;

describe('the comparison itself', () => {
  const compare = judge as (
    kind: string,
    a: string,
    b: string,
    c: string,
    mask: boolean,
    between?: string[],
  ) => string;
  const h =
    'Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      \n';
  const row = (q: string, state = 'ESTABLISHED') =>
    `tcp        0 ${q.padStart(6)} 10.0.0.1:22             10.0.0.2:5000           ${state.padEnd(11)}\n`;
  it('holds netwatch to every line both netstat runs agree on, queues moving aside', () => {
    expect(compare('table', h + row('0'), h + row('0'), h + row('0'), false)).toBe('');
    expect(compare('table', h + row('0'), h + row('36'), h + row('0'), false)).toBe('');
    expect(compare('table', h + row('0'), h + row('0', 'CLOSE_WAIT'), h + row('0'), false)).toMatch(
      /missing/,
    );
    expect(compare('table', h + row('0'), h, h + row('0'), false)).toMatch(/missing/);
  });
  it('lets through a line only netstat runs in between saw, or a socket no run saw at all', () => {
    const other = 'tcp        0      0 10.0.0.1:23             10.0.0.2:5001           ESTABLISHED\n';
    expect(compare('table', h, h + other, h, false)).toBe('');
    expect(compare('table', h + other.replace('ESTABLISHED', 'SYN_SENT   '), h + other, h, false)).toMatch(
      /extra/,
    );
    expect(compare('table', h, h + other, h, false, [h + other])).toBe('');
  });
  it('compares -s and -i whole and in order, numbers masked only when asked', () => {
    expect(
      compare('counters', 'Ip:\n    5 total\n', 'Ip:\n    6 total\n', 'Ip:\n    7 total\n', false),
    ).toMatch(/line 2/);
    expect(compare('counters', 'Ip:\n    5 total\n', 'Ip:\n    6 total\n', 'Ip:\n    7 total\n', true)).toBe(
      '',
    );
    expect(compare('ordered', 'a\nb\n', 'b\na\n', 'a\nb\n', false)).toMatch(/line 1/);
  });
});

if (!present) {
  it('skips: net-tools netstat is not installed (Debian/Ubuntu: apt-get install net-tools)', () => {
    expect(present).toBe(false);
  });
}

describeIf('netwatch --once beside net-tools netstat', () => {
  let load: { stop(): Promise<void> } | undefined;
  let live: Result[] = [];
  let namespace: Result[] = [];
  let fixtures: Result[] = [];
  let continuous: string[] = [];

  beforeAll(async () => {
    load = await (startLoad as () => Promise<{ stop(): Promise<void> }>)();
    const width = <T, R>(items: T[], n: number, task: (x: T) => Promise<R>) =>
      (pool as (i: T[], w: number, t: (x: T) => Promise<R>) => Promise<R[]>)(items, n, task);
    const combos = (TEST_COMBINATIONS as Combo[]).filter((c) => (comparable as (c: Combo) => boolean)(c));
    // Independent of each other, and -c mostly waits: all at once.
    [live, namespace, fixtures, continuous] = await Promise.all([
      width(combos, 4, (c) => (compareOne as (c: Combo) => Promise<Result>)(c)),
      CAN_ISOLATE ? (compareInNetworkNamespace as () => Promise<Result[]>)() : [],
      CAN_ISOLATE ? (compareFixtures as () => Promise<Result[]>)() : [],
      width(
        (CONTINUOUS as string[][]).filter((a) => CAN_ISOLATE || a.join(' ').includes('n')),
        4,
        (a) => (compareContinuous as (a: string[]) => Promise<string>)(a),
      ),
    ]);
  }, 180_000);

  afterAll(async () => {
    await load?.stop();
  });

  it('prints what netstat prints, exit status and stderr included, for every combination on the live host', () => {
    expect(live.filter((r) => r.result === 'differs').map(name)).toEqual([]);
    // Only -s and -i may have matched with their counters masked (they count while the runs follow each other).
    expect(live.filter((r) => r.result === 'masked' && r.combo.kind !== 'counters').map(name)).toEqual([]);
    expect(live.length).toBeGreaterThan(CAN_ISOLATE ? 130 : 30);
  });

  it.runIf(CAN_ISOLATE)(
    'prints what netstat prints for interfaces, addresses and routes in a namespace of its own',
    () => {
      expect(namespace.filter((r) => r.result === 'differs').map(name)).toEqual([]);
      expect(namespace.length).toBeGreaterThan(15);
    },
  );

  it.runIf(CAN_ISOLATE)(
    'prints what netstat prints on the captured fixtures, line for line and in order',
    () => {
      expect(fixtures.filter((r) => r.result !== 'exact').map(name)).toEqual([]);
      expect(fixtures.length).toBeGreaterThan(40);
    },
  );

  it('-c prints the whole listing again every second, as netstat does', () => {
    expect(continuous.length).toBeGreaterThan(0);
    expect(continuous.filter(Boolean)).toEqual([]);
  });

  it('-anlpc in a pipe ends cleanly, with no message, when the reader goes away', async () => {
    // `netwatch -anlpc | head -2`: the reader closes after two lines; the next listing meets EPIPE.
    const child = spawn(process.execPath, [BIN, '-anlpc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.split('\n').length > 2) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const code = await new Promise<number | string | null>((resolve) =>
      child.on('exit', (c, signal) => resolve(c ?? signal)),
    );
    expect(out.split('\n')[0]).toBe('Active Internet connections (servers and established)');
    expect(code).toBe(0);
    expect(err).toBe('');
  }, 20_000);

  it('Ctrl-C ends -c at once, without a trace', async () => {
    const child = spawn(process.execPath, [BIN, '-tlnc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    await waitFor(() => (out.split('Active Internet').length > 2 ? true : undefined), 10_000, 'two listings');
    const ended = new Promise<number | string | null>((resolve) =>
      child.on('exit', (c, s) => resolve(c ?? s)),
    );
    child.kill('SIGINT');
    expect(await ended).toBe('SIGINT');
    expect(err).toBe('');
  }, 20_000);
});

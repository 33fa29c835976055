// The CLI as a user meets it: flags, exit codes, --once in netstat's layout, --json, hostile input.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SocketChild, startSocketChild } from '../helpers/children.js';
import { fixture, REPO, runCli } from '../helpers/cli.js';

describe('flags', () => {
  it.each([['-z'], ['--bogus'], ['--interval', 'soon'], ['--once', 'extra'], ['--exporter', 'nowhere']])(
    '%j: usage on stderr, exit 2',
    (...args) => {
      const r = runCli(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/error:/);
      expect(r.stderr).toMatch(/Usage: netwatch \[options\]/);
    },
  );

  it('--help prints usage on stdout, exit 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--once/);
    expect(r.stdout).toMatch(/-p, --programs/);
  });

  it('--root pointing nowhere says so and exits non-zero', () => {
    const r = runCli(['--once', '--root', '/nonexistent/netwatch-root']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\/nonexistent\/netwatch-root\/proc is not a directory/);
    expect(r.stdout).toBe('');
  });

  it('--once does not load Ink or React: the static import graph of the entry holds neither', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(`${REPO}dist/${file}`, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*["']\.\/([^"']+)["']/gm))
        visit(m[1]!);
    };
    visit('netwatch.js');
    expect(seen.size).toBeGreaterThan(1);
    for (const file of seen) {
      const text = readFileSync(`${REPO}dist/${file}`, 'utf8');
      expect(text, file).not.toMatch(/react-reconciler|useSyncExternalStore|yoga-layout/);
    }
  });

  it("the live view's chunk has our Output and hands Yoga its wasm as bytes: no fetch, no undici", () => {
    const live = readdirSync(`${REPO}dist`).filter((f) => /^live-.*\.js$/.test(f));
    expect(live).toHaveLength(1);
    const text = readFileSync(`${REPO}dist/${live[0]}`, 'utf8');
    expect(text).toMatch(/function rowKey\(/);
    expect(text.match(/var w = Buffer\.from\("AGFzbQ/g) ?? []).toHaveLength(1);
    expect(text).not.toMatch(/data:application\/octet-stream;base64,[A-Za-z0-9+/]/);
    // Loading it must not boot Node's fetch (undici), which Yoga's data: URL used to cost ~80 ms.
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(`${REPO}dist/${live[0]}`)});` +
          "console.log(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))));",
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(JSON.parse(out)).toEqual([]);
  });

  it('behaves as --once when stdout is not a terminal', () => {
    const r = runCli(['-tln', '--root', fixture('live-t0')]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Active Internet connections (only servers)');
  });
});

// node_exporter's habit: run the binary on fixtures and compare with files in the repo.
// UPDATE_GOLDEN=1 npm test rewrites them; review the diff before committing.
describe('--once on the live-t0 fixture matches the golden files', () => {
  const cases: [string, string[]][] = [
    ['tanp', ['-tanp']],
    ['uanp', ['-uanp']],
    ['wan', ['-wan']],
    ['xanp', ['-xanp']],
    ['lnpe', ['-lnpe']],
    ['tno', ['-tno']],
    ['rn', ['-rn']],
    ['rn6', ['-rn6']],
    ['ia', ['-ia']],
    ['gn', ['-gn']],
    ['s', ['-s']],
    ['s-all', ['-s', '--all-counters']],
    ['st6', ['-st6']],
    ['ree', ['-ree']],
    ['r6', ['-r', '-6']],
  ];
  it.each(cases)('%s', (name, args) => {
    const r = runCli(['--once', '--root', fixture('live-t0'), ...args]);
    expect(r.status).toBe(0);
    const file = `${REPO}test/golden/live-t0-${name}.txt`;
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(`${REPO}test/golden`, { recursive: true });
      writeFileSync(file, r.stdout);
    }
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
  });
});

// Captured in a network namespace by `node scripts/netstat-compare.mjs --capture netns-t0`, and these golden
// files are what net-tools netstat itself printed there at that moment: aliases, a point-to-point link,
// an address without a broadcast address, a bridge that is down, named networks and hosts, IPv6.
describe('--once on the netns-t0 fixture prints what netstat printed there', () => {
  const cases: [string, string[]][] = [
    ['i', ['-i']],
    ['ia', ['-ia']],
    ['ie', ['-ie']],
    ['iea', ['-iea']],
    ['r', ['-r']],
    ['rn', ['-rn']],
    ['re', ['-re']],
    ['ree', ['-ree']],
    ['r6', ['-r', '-6']],
    ['rn6', ['-rn6']],
    ['g', ['-g']],
  ];
  it.each(cases)('%s', (name, args) => {
    const r = runCli(['--once', '--root', fixture('netns-t0'), ...args]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readFileSync(`${REPO}test/golden/netns-t0-${name}.txt`, 'utf8'));
  });
});

describe('hostile input (fixtures/edge-hostile)', () => {
  const root = fixture('edge-hostile');

  it('never prints raw control bytes from process names, paths, interfaces or users', () => {
    for (const args of [['-anpe'], ['-ia'], ['-s'], ['--json']]) {
      const r = runCli(['--once', '--root', root, ...args]);
      expect(r.status).toBe(0);
      expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
    const text = runCli(['--once', '--root', root, '-anp']).stdout;
    // netstat names a process by argv[0] ("evil" here), not by its comm (an escape sequence).
    expect(text).toContain('100/evil ');
    expect(text).toContain('/run/evil\\e[31m.sock');
  });

  it('skips a malformed line, keeps the rest and says so on stderr', () => {
    const r = runCli(['--once', '--root', root, '-tan']);
    expect(r.stdout).toContain('127.0.0.1:40001         127.0.0.1:80            TIME_WAIT');
    expect(r.stderr).toContain('/proc/net/tcp: skipped 1 malformed line');
  });

  it('prints 64-bit counters above 2^53 with their exact digits, and negative values', () => {
    const json = runCli(['--json', '--root', root]).stdout;
    expect(json).toContain('"InReceives": 18446744073709551615');
    expect(json).toContain('"ActiveOpens": 9007199254740993');
    expect(json).toContain('"MaxConn": -1');
    expect(json).toContain('"rxBytes": 18446744073709551615');
    const text = runCli(['--once', '--root', root, '-s']).stdout;
    expect(text).toContain('18446744073709551615 total packets received');
    const ifaces = runCli(['--once', '--root', root, '-ia']).stdout;
    expect(ifaces).toContain('eth\\e[7m0');
  });
});

describe('--once on the live machine (real sockets on 127.0.0.1 and ::1)', () => {
  let child: SocketChild;
  beforeAll(async () => {
    child = await startSocketChild();
  });
  afterAll(async () => {
    await child?.stop();
  });

  it('`--once -anlp | grep PID` prints the lines `netstat -anlp | grep PID` prints', () => {
    const grep = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.includes(` ${child.pid}/`))
        .sort();
    const ours = grep(runCli(['--once', '-anlp']).stdout);
    const netstat = grep(
      execFileSync('netstat', ['-anlp'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
    );
    expect(ours.length).toBeGreaterThanOrEqual(8); // 8 inet sockets, plus the unix socketpairs of its stdio
    expect(ours).toEqual(netstat);
    expect(ours.some((l) => /^tcp6 .*::1:\d+ .*LISTEN/.test(l))).toBe(true);
  });

  it('reads every file of the live host without a warning', () => {
    for (const args of [['-tan'], ['-anp'], ['-s'], ['-ia'], ['-rn'], ['--json']]) {
      const r = runCli(['--once', ...args]);
      expect(r.status).toBe(0);
      expect(r.stderr, args.join(' ')).not.toMatch(/cannot read|malformed/);
    }
  });

  it('--json lists the sockets with their owning process', () => {
    const doc = JSON.parse(runCli(['--json', '-t']).stdout);
    const listener = doc.sockets.find(
      (s: { local: { port: number }; state: string }) =>
        s.local.port === child.ports.tcp4 && s.state === 'LISTEN',
    );
    expect(listener).toMatchObject({
      proto: 'tcp',
      local: { address: '127.0.0.1', port: child.ports.tcp4 },
      remote: { address: '0.0.0.0', port: 0 },
      state: 'LISTEN',
      recvQ: 0,
      sendQ: 0,
    });
    expect(listener.pids).toEqual([child.pid]);
    expect(doc.processes[String(child.pid)]).toMatchObject({ pid: child.pid, command: 'node', uid: 0 });
    expect(doc.processes[String(child.pid)].cmdline).toContain('node');
    expect(doc.sockets.every((s: { proto: string }) => s.proto === 'tcp' || s.proto === 'tcp6')).toBe(true);
    expect(doc.counters.Tcp.ActiveOpens).toBeGreaterThan(0);
  });
});

// The live sampler as an ordinary user (issue 12): run as `nobody` (setpriv) beside a socket child of its
// own and one of root's, it must read every socket, own only what it may read, and say exactly that: the
// processes it could not read are those whose fd directory `nobody` may not list, the first of them with its
// reason, and `--once -p` prints netstat's notice. Skipped, with the reason, where that cannot be arranged.
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SocketChild, startSocketChild } from '../helpers/children.js';
import { BIN, REPO } from '../helpers/cli.js';

const NOBODY = 65534;

/** Why the test cannot run here, or '' when it can. */
function impossible(): string {
  if (process.getuid?.() !== 0)
    return `running as uid ${process.getuid?.()}, not root: cannot switch to nobody`;
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'no setpriv (util-linux) to drop to nobody';
  }
  const probe = spawnSync('setpriv', [
    '--reuid',
    String(NOBODY),
    '--regid',
    String(NOBODY),
    '--clear-groups',
    'true',
  ]);
  if (probe.status !== 0) return `setpriv cannot switch to uid ${NOBODY} here`;
  return '';
}

// Run as nobody: a socket child of its own, two samples, what nobody may not read, and --once -tanp.
const SCRIPT = `
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
const lib = await import(process.env.NW_LIB);
const child = spawn(process.execPath, ['-e', \`
  const net = require('node:net');
  const s = net.createServer(() => {});
  s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\\\n'));
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
\`], { stdio: ['pipe', 'pipe', 'inherit'] });
const port = await new Promise((resolve) => {
  let out = '';
  child.stdout.on('data', (d) => { out += d; if (out.includes('\\n')) resolve(Number(out)); });
});
const c = new lib.Collector(new lib.HostReader('/'), undefined, false, lib.tcpDumpFor('/'), lib.fdSocketsFor('/'));
const first = c.collect(lib.SELECT_ALL);
const second = c.collect(lib.SELECT_ALL);
const truth = [];
for (const name of fs.readdirSync('/proc')) {
  if (!/^[0-9]+$/.test(name)) continue;
  try { fs.readdirSync('/proc/' + name + '/fd'); } catch (e) { if (e.code === 'EACCES') truth.push(Number(name)); }
}
const listener = (p) => second.sockets.find((s) => s.kind === 'inet' && s.state === 'LISTEN' && s.local.port === p);
const mine = listener(port);
const roots = listener(Number(process.env.NW_ROOT_PORT));
const once = spawnSync(process.execPath, [process.env.NW_BIN, '--once', '-tanp'], {
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
child.stdin.end();
process.stdout.write(JSON.stringify({
  uid: process.getuid(),
  childPid: child.pid,
  port,
  mine: mine && { inode: mine.inode, owners: (second.owners.get(mine.inode) ?? []).map((p) => [p.pid, p.command]) },
  roots: roots && { inode: roots.inode, owners: (second.owners.get(roots.inode) ?? []).length },
  stats: second.ownerStats,
  warnings: [first.warnings, second.warnings],
  truth,
  once: { status: once.status, stdout: once.stdout, stderr: once.stderr },
}) + '\\n');
`;

interface Report {
  uid: number;
  childPid: number;
  port: number;
  mine?: { inode: number; owners: [number, string][] };
  roots?: { inode: number; owners: number };
  stats: { processes: number; unreadable: number; firstUnreadable?: { pid: number; reason: string } };
  warnings: [string[], string[]];
  truth: number[];
  once: { status: number; stdout: string; stderr: string };
}

const why = impossible();

describe('sampling as nobody', () => {
  let root: SocketChild;
  let report: Report;

  beforeAll(async () => {
    if (why) return;
    root = await startSocketChild();
    const r = spawnSync(
      'setpriv',
      [
        '--reuid',
        String(NOBODY),
        '--regid',
        String(NOBODY),
        '--clear-groups',
        process.execPath,
        '--input-type=module',
        '-e',
        SCRIPT,
      ],
      {
        cwd: '/',
        encoding: 'utf8',
        timeout: 30_000,
        maxBuffer: 256 * 1024 * 1024, // the report carries --once -tanp's listing: megabytes on a busy host
        env: {
          ...process.env,
          NW_LIB: `${REPO}dist/lib.js`,
          NW_BIN: BIN,
          NW_ROOT_PORT: String(root.ports.tcp4),
          HOME: '/',
        },
      },
    );
    if (r.status !== 0) throw new Error(`the nobody run failed (${r.status}): ${r.stderr}`);
    report = JSON.parse(r.stdout);
  }, 40_000);

  afterAll(async () => {
    await root?.stop();
  });

  it.skipIf(why !== '')(`runs as nobody${why ? ` (skipped: ${why})` : ''}`, () => {
    expect(report.uid).toBe(NOBODY);
  });

  it.skipIf(why !== '')("reads every socket: its own with its owner, root's without one", () => {
    expect(report.mine?.owners).toEqual([[report.childPid, 'node']]);
    expect(report.roots).toBeDefined();
    expect(report.roots!.owners).toBe(0);
  });

  it.skipIf(why !== '')('warns about a forbidden file once, in the first sample only', () => {
    for (const w of report.warnings[0])
      expect(w).toMatch(/^cannot read \/proc\/\S+: EACCES: permission denied/);
    expect(report.warnings[1]).toEqual([]);
  });

  it.skipIf(why !== '')(
    'counts as unreadable the processes whose fds nobody may not list, the first by pid',
    () => {
      const { unreadable, firstUnreadable } = report.stats;
      expect(unreadable).toBeGreaterThan(0);
      // Processes start and end between the sample and the count (other suites run meanwhile).
      expect(Math.abs(unreadable - report.truth.length)).toBeLessThanOrEqual(
        Math.max(5, report.truth.length / 10),
      );
      expect(firstUnreadable?.reason).toBe('permission denied');
      expect(firstUnreadable!.pid).toBe(Math.min(...report.truth));
    },
  );

  it.skipIf(why !== '')("--once -p prints netstat's notice and no owner for root's sockets", () => {
    const { status, stdout, stderr } = report.once;
    expect(status).toBe(0);
    expect(stderr).toContain('(Not all processes could be identified');
    const line = (port: number) =>
      stdout.split('\n').find((l) => l.includes(`127.0.0.1:${port} `) && l.includes('LISTEN'));
    expect(line(report.port)).toContain(`${report.childPid}/node`);
    expect(line(root.ports.tcp4)).toMatch(/LISTEN\s+-\s*$/);
  });
});

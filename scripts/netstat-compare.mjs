#!/usr/bin/env node
// `netwatch --once FLAGS` beside net-tools `netstat FLAGS` on this machine, for every flag combination the
// README promises, compared line by line: exit status, stderr, header lines in order, and every line.
//
//   node scripts/netstat-compare.mjs [--no-load] [--only REGEX] [--verbose]
//
// Starts scripts/netstat-load.py (loopback sockets of every kind netstat has a rule for) unless --no-load,
// builds nothing (run `npm run build` first), and prints one line per combination, then the count.
// Exits 1 when any combination differs. test/integration/netstat-compat.test.ts runs the same comparison.
//
// The host keeps changing while it runs (other processes open and close sockets, counters count), so each
// combination runs netstat, then netwatch, then netstat again: a line that only one of the two netstat
// runs has is in flux, and netwatch may have it or not; every line both netstat runs agree on must be in
// netwatch's output, and every line netwatch prints must be in one of them. A combination that still
// differs is run again (up to 4 times). Counters (-s, -i, -ie) can move between any two runs: for those a
// match with every number masked counts, and is reported as such.
//
// The two documented differences are applied to netwatch's output before comparing: a unix socket path is
// cut at its first space as netstat cuts it (netwatch prints it whole), and the load holds no control
// characters (netwatch escapes them). Messages name the program: netstat's "netstat:" is netwatch's
// "netwatch:".
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const BIN = fileURLToPath(new URL('../dist/netwatch.js', import.meta.url));
const LOAD = `${HERE}netstat-load.py`;

/** Is net-tools netstat installed? (Debian/Ubuntu: apt-get install net-tools.) */
export function hasNetstat() {
  const r = spawnSync('netstat', ['-V'], { encoding: 'utf8' });
  return r.status === 0 && /net-tools/.test(r.stdout);
}

const c = (args, kind = 'table', extra = {}) => ({ args, kind, ...extra });

const PER_PROTO = ['', 'a', 'l', 'n', 'an', 'ln', 'anp', 'lnp', 'ane', 'anee', 'ano', 'anW', 'ap'];

/**
 * Every combination compared. kind: 'table' (lines compared as a set, headers in order), 'ordered'
 * (-ie: the whole text in order), 'counters' (-s, -i: in order, numbers may move).
 */
export const COMBINATIONS = [
  // Sockets: the defaults and every modifier.
  ...[
    '',
    '-a',
    '-l',
    '-n',
    '-an',
    '-ln',
    '-e',
    '-ee',
    '-ae',
    '-lne',
    '-o',
    '-ao',
    '-W',
    '-aW',
    '-N',
    '-d',
  ].map((f) => c(f ? [f] : [])),
  ...['-p', '-ap', '-lp', '-anp', '-anlp', '-anpe', '-anpW', '-anpo', '-aeep', '-alnpe'].map((f) => c([f])),
  ...['t', 'u', 'U', 'w', 'x'].flatMap((p) => PER_PROTO.map((m) => c([`-${p}${m}`]))),
  ...['-natu', '-tulpn', '-tuanp', '-tunlp', '-tuwanp', '-xtan', '-Uuan'].map((f) => c([f])),
  // Address families.
  ...['-4', '-6', '-a4', '-a6', '-an4', '-an6', '-tan4', '-tan6', '-uan6', '-x4', '-ax6', '-anp4'].map((f) =>
    c([f]),
  ),
  ...[
    ['-A', 'inet'],
    ['-A', 'inet6'],
    ['-A', 'unix'],
    ['-Ainet,unix'],
    ['-A', 'inet6,unix', '-a'],
    ['-A', 'inet,inet6', '-n'],
    ['-A', 'ip', '-a'],
    ['-A', 'tcpip'],
    ['-A', 'ddp'],
    ['-A', 'ddp,inet', '-n'],
    ['--inet'],
    ['--inet6', '-a'],
    ['--unix', '-l'],
    ['--ip'],
    ['--tcpip', '-n'],
    ['--protocol=inet', '-a'],
    ['--protocol', 'inet6'],
  ].map((a) => c(a)),
  // Long options.
  ...[
    ['--tcp', '--all', '--numeric'],
    ['--udp', '--listening', '--numeric', '--programs'],
    ['--udplite', '--all'],
    ['--raw', '--all', '--numeric'],
    ['--unix', '--all', '--programs'],
    ['--all', '--extend', '--numeric'],
    ['--extend', '--extend', '--tcp', '--all'],
    ['--all', '--timers', '--numeric', '--tcp'],
    ['--wide', '--all'],
    ['--verbose'],
    ['--verbose', '--all'],
    ['--symbolic', '-a'],
    ['--numeric-hosts', '-a'],
    ['--numeric-ports', '-a'],
    ['--numeric-users', '-ae'],
    ['--numeric-hosts', '--numeric-ports', '-tae'],
    ['--fib', '-a'],
    ['--cache', '-a'],
    ['--programs', '--all', '--tcp'],
    ['-C'],
    ['-F', '-t'],
  ].map((a) => c(a)),
  // What this kernel or build lacks: netstat's messages and exit statuses.
  ...[
    ['-S'],
    ['-Sa'],
    ['-Sl'],
    ['-tS'],
    ['-S', '-v'],
    ['--sctp', '-n'],
    ['-S4'],
    ['-gS'],
    ['-M'],
    ['-Mn'],
    ['-Mc'],
    ['--masquerade'],
    ['-Z'],
    ['--context', '-a'],
    ['--ax25'],
    ['--ipx'],
    ['--netrom'],
    ['--x25'],
    ['--rose'],
    ['--appletalk'],
    ['-A', 'x25'],
    ['-A', 'rose'],
    ['-t', '--ax25'],
    ['-x', '--ipx'],
    ['--bluetooth'],
    ['-A', 'bluetooth'],
    ['-2'],
    ['-f'],
    ['-t', '-2'],
  ].map((a) => c(a)),
  // Routes.
  ...[
    ['-r'],
    ['-rn'],
    ['-re'],
    ['-rne'],
    ['-ree'],
    ['-rnee'],
    ['-reee'],
    ['-r', '-e', '-e'],
    ['-r', '-6'],
    ['-rn6'],
    ['-r6e'],
    ['-rC'],
    ['-rCn'],
    ['-rCe'],
    ['-rCee'],
    ['-rF'],
    ['-rCF'],
    ['-r6C'],
    ['-r6CF'],
    ['-r4'],
    ['-r', '-A', 'inet,inet6'],
    ['-r', '-A', 'inet6', '-n'],
    ['--route'],
    ['--route', '--numeric'],
    ['-rN'],
    ['-rv'],
    ['-rW'],
    ['-ra'],
    ['-r', '--numeric-hosts'],
    ['-r', '--numeric-ports'],
    ['-r', '-x'],
    ['-r', '-A', 'ax25'],
    ['-r', '-A', 'ddp'],
    ['-r', '-A', 'x25'],
    ['-r', '-A', 'ipx'],
    ['-r', '-A', 'rose'],
    ['-r', '-A', 'econet'],
    ['-r', '-A', 'ash'],
    ['-r', '-A', 'bluetooth'],
    ['-r', '1'],
  ].map((a) => c(a)),
  // Interfaces.
  ...[
    ['-i'],
    ['-ia'],
    ['-in'],
    ['--interfaces'],
    ['--interfaces', '--all'],
    ['-iv'],
    ['-iW'],
    ['-iN'],
    ['-i', '2'],
  ].map((a) => c(a, 'counters')),
  ...[
    ['-ie'],
    ['-i', '-e'],
    ['-iea'],
    ['-iee'],
    ['-ien'],
    ['--interfaces', '--extend'],
    ['-ia', '-e', '1'],
  ].map((a) => c(a, 'counters')),
  // Statistics.
  ...[
    ['-s'],
    ['-st'],
    ['-su'],
    ['-sw'],
    ['-sU'],
    ['-sS'],
    ['-s', '-6'],
    ['-st6'],
    ['-su6'],
    ['-sw6'],
    ['-s', '-4'],
    ['-stu'],
    ['-stuw'],
    ['-s', '-A', 'inet'],
    ['-s', '-A', 'inet6'],
    ['-sn'],
    ['-sa'],
    ['-sc'],
    ['-s', '1'],
    ['--statistics'],
    ['--statistics', '--tcp'],
    ['--statistics', '--udp', '--inet6'],
  ].map((a) => c(a, 'counters')),
  ...[
    ['-s', '-x'],
    ['-s', '-A', 'unix'],
    ['-s', '-A', 'inet6,inet'],
    ['-s', '-6', '-4'],
  ].map((a) => c(a)),
  // Multicast groups.
  ...[
    ['-g'],
    ['-gn'],
    ['-g', '-4'],
    ['-g', '-6'],
    ['-gn4'],
    ['-gn6'],
    ['--groups'],
    ['-ga'],
    ['-gt'],
    ['-gx'],
    ['-gp'],
  ].map((a) => c(a)),
  // As an unprivileged user: the "Not all processes could be identified" rule.
  ...[['-tanp'], ['-anp'], ['-xlp'], ['-uanp']].map((a) => c(a, 'table', { user: 'nobody' })),
];

/**
 * The part of COMBINATIONS the test suite runs (test/integration/netstat-compat.test.ts): every flag and
 * every rule at least once, in about half the time; this script runs all of them.
 */
const TEST_KEYS = [
  ...['', '-a', '-l', '-n', '-an', '-ln', '-e', '-ee', '-lne', '-o', '-W', '-N', '-d'],
  ...['-p', '-anp', '-anlp', '-anpe', '-anpo', '-aeep'],
  ...['-tan', '-tlnp', '-tanp', '-t', '-uan', '-ulnp', '-uanp', '-Uan', '-Ulnp', '-Uanp'],
  ...['-wan', '-wlnp', '-wanp', '-xan', '-xlnp', '-xanp', '-tano', '-uano', '-natu', '-tulpn'],
  ...['-4', '-6', '-an4', '-an6', '-A inet', '-A inet6', '-A unix', '-Ainet,unix', '-A inet6,unix -a'],
  ...['--inet', '--inet6 -a', '--unix -l', '-A ddp', '--protocol=inet -a', '-A tcpip', '--tcpip -n'],
  ...['--tcp --all --numeric', '--udp --listening --numeric --programs', '--udplite --all'],
  ...['--raw --all --numeric', '--unix --all --programs', '--extend --extend --tcp --all'],
  ...['--all --timers --numeric --tcp', '--wide --all', '--verbose', '--symbolic -a'],
  ...['--numeric-hosts -a', '--numeric-ports -a', '--numeric-users -ae', '--fib -a', '--cache -a', '-C'],
  ...['-S', '-Sa', '-Sl', '-tS', '-M', '-Mc', '-Z', '--ax25', '--ipx', '--netrom', '-A x25', '-A rose'],
  ...['-t --ax25', '--bluetooth', '-2', '-f'],
  ...['-r', '-rn', '-re', '-ree', '-reee', '-r -6', '-rn6', '-rC', '-r6C', '-rCF', '-r -A inet,inet6'],
  ...['-rN', '-r -x', '-r -A ax25', '-r -A ddp', '-r -A bluetooth', '-r 1', '--route --numeric'],
  ...['-i', '-ia', '-ie', '-i -e', '-iea', '-i 2', '--interfaces --extend'],
  ...['-s', '-st', '-su', '-sw', '-sU', '-s -6', '-st6', '-stu', '-s -A inet6', '-sc', '-s 1'],
  ...['-s -x', '-s -A inet6,inet', '--statistics --tcp'],
  ...['-g', '-gn', '-g -4', '-g -6', '-gp'],
];

const key = (combo) => `${combo.user ? `${combo.user}:` : ''}${combo.args.join(' ')}`;

export const TEST_COMBINATIONS = (() => {
  const all = new Map(COMBINATIONS.map((c) => [key(c), c]));
  const picked = TEST_KEYS.map((k) => {
    const combo = all.get(k);
    if (!combo) throw new Error(`TEST_KEYS names ${JSON.stringify(k)}, which COMBINATIONS does not have`);
    return combo;
  });
  return [...picked, ...COMBINATIONS.filter((c) => c.user)];
})();

/** `-c`: the listing again every second; compared on the first two listings of each. */
export const CONTINUOUS = [
  ['-tlnc'],
  ['-anlpc'],
  ['--continuous', '-t', '-n'],
  ['-ic'],
  ['-rnc'],
  ['-gnc'],
  ['-xc'],
];

// Output goes to files, not pipes: Node's pipes to a child are unix socket pairs, which would be in the
// very listings being compared (each run would see its own).
const SCRATCH = mkdtempSync(join(tmpdir(), 'netwatch-compare-'));
process.on('exit', () => rmSync(SCRATCH, { recursive: true, force: true }));
let runs = 0;

/**
 * netstat looks names up in etc/hosts and then in DNS; netwatch only in the files. So netstat runs in a
 * mount namespace of its own where etc/nsswitch.conf says "hosts: files": the same names, and no DNS
 * query ever leaves this machine (there is none to answer here anyway; each would wait seconds).
 * That needs root; without it only the numeric combinations are compared.
 */
export const CAN_ISOLATE =
  process.geteuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0;
const NSSWITCH = join(SCRATCH, 'nsswitch.conf');
/** sh -c SHELL_SETUP NSSWITCH CMD ARGS...: CMD with that nsswitch.conf, in the mount namespace of unshare. */
const SHELL_SETUP = 'mount --bind "$0" /etc/nsswitch.conf && exec "$@"';
writeFileSync(
  NSSWITCH,
  `${readFileSync('/etc/nsswitch.conf', 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(hosts|networks):/.test(l))
    .join('\n')}\nhosts: files\nnetworks: files\n`,
);

/** Whether a combination can be compared here: without root, only those that look no names up. */
export function comparable(combo) {
  if (CAN_ISOLATE) return true;
  // Without root there is no other user to become either.
  return !combo.user && combo.args.some((a) => /^-[a-zA-Z]*n/.test(a) || a === '--numeric');
}

function run(cmd, args, { user, timeoutMs = 20_000 } = {}) {
  const asUser = user ? ['setpriv', '--reuid', user, '--regid', user, '--clear-groups', '--'] : [];
  const argv =
    cmd === 'netstat' && CAN_ISOLATE
      ? ['unshare', ['--mount', '--', 'sh', '-c', SHELL_SETUP, NSSWITCH, ...asUser, cmd, ...args]]
      : user
        ? [asUser[0], [...asUser.slice(1), cmd, ...args]]
        : [cmd, args];
  const base = join(SCRATCH, String(runs++));
  const out = openSync(`${base}.out`, 'w');
  const err = openSync(`${base}.err`, 'w');
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv[1], {
      stdio: ['ignore', out, err],
      env: { ...process.env, LC_ALL: 'C', NO_COLOR: '1' },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      closeSync(out);
      closeSync(err);
      const stdout = readFileSync(`${base}.out`, 'utf8');
      const stderr = readFileSync(`${base}.err`, 'utf8');
      rmSync(`${base}.out`);
      rmSync(`${base}.err`);
      resolve({ status: status ?? signal, stdout, stderr });
    });
  });
}

const HEADER =
  /^(Active |Proto |Kernel |Destination |Iface |Interface |-{5,}|IPv6\/IPv4 |Neighbour |Source |\S+ not configured|No routing|Address family)/;

function lines(text) {
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

/** netwatch's output with the documented differences undone: unix paths cut at the first space. */
function undoDifferences(text) {
  const out = [];
  let pathColumn = -1;
  for (const line of lines(text)) {
    if (line.startsWith('Proto RefCnt')) pathColumn = line.indexOf('Path');
    if (line.startsWith('unix ') && pathColumn > 0 && line.length > pathColumn) {
      const path = line.slice(pathColumn);
      out.push(line.slice(0, pathColumn) + path.split(/[ \t]/)[0]);
      continue;
    }
    out.push(line);
  }
  return out;
}

// Counters (packets, bytes, -s's sentences) move between runs; addresses, masks, flags and MTUs do not.
const maskNumbers = (l) =>
  /inet|netmask|flags=|txqueuelen|ether |unspec |Iface|Kernel/.test(l) ? l : l.replace(/\d+(\.\d+)?/g, '#');
const maskQueues = (l) => l.replace(/^(\S+) +\d+ +\d+ /, '$1 # # ');

/** What names a socket in a listing: a unix socket's inode, an inet socket's protocol and endpoints. */
function socketIdentity(line) {
  const unix = /^unix\s+\d+\s+\[[^\]]*\]\s+\S+\s+(?:\S+\s+)?(\d+)(?:\s|$)/.exec(line);
  if (unix) return `unix ${unix[1]}`;
  const f = line.split(/ +/);
  return /^(tcp|udp|raw)/.test(f[0] ?? '') && f.length >= 5 ? `${f[0]} ${f[3]} ${f[4]}` : '';
}
// -o: timers count down while the runs follow each other.
const maskTimers = (l) => l.replace(/\((\d+\.\d\d)\//, '(#/');

function multiset(list) {
  const m = new Map();
  for (const x of list) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/**
 * Does netwatch's output (`b`) agree with the two netstat runs around it (`a`, `c`)? Returns '' or what
 * differs, in a few lines.
 */
export function judge(kind, a, b, c, mask, between = []) {
  const norm = (list) => list.map((l) => (mask ? maskNumbers(l) : maskTimers(l)));
  const la = norm(lines(a));
  const lc = norm(lines(c));
  const lb = norm(undoDifferences(b));
  if (kind !== 'table') {
    if (lb.join('\n') === la.join('\n') || lb.join('\n') === lc.join('\n')) return '';
    let first = 0;
    while (first < Math.max(la.length, lb.length) && lb[first] === la[first]) first++;
    return `line ${first + 1}: netwatch ${JSON.stringify(lb[first])}, netstat ${JSON.stringify(la[first])}`;
  }
  const heads = (list) => list.filter((l) => HEADER.test(l)).join('\n');
  if (heads(lb) !== heads(la) && heads(lb) !== heads(lc)) {
    return `headers differ:\n  netwatch ${JSON.stringify(heads(lb))}\n  netstat  ${JSON.stringify(heads(la))}`;
  }
  const ma = multiset(la);
  const mb = multiset(lb);
  const mc = multiset(lc);
  const problems = [];
  // A busy connection's Send-Q / Recv-Q move every millisecond: a socket whose queues moved while
  // netwatch read is compared without them. Every other column is compared exactly.
  const queuesOf = (list) => multiset(list.map(maskQueues));
  const mbq = queuesOf(lb);
  for (const [line, n] of ma) {
    const stable = Math.min(n, mc.get(line) ?? 0);
    if ((mb.get(line) ?? 0) < stable && (mbq.get(maskQueues(line)) ?? 0) < stable)
      problems.push(`missing: ${line}`);
  }
  const others = between.flatMap((text) => norm(lines(text)));
  const seen = new Set([...la, ...lc, ...others].map(maskQueues));
  // A socket no netstat run saw at all (a child's stdio pair that lived a few milliseconds) cannot be
  // checked against anything: its line is let through. Every socket netstat saw is held to netstat's line.
  const known = new Set([...la, ...lc, ...others].map(socketIdentity).filter(Boolean));
  for (const [line, n] of mb) {
    if (n <= Math.max(ma.get(line) ?? 0, mc.get(line) ?? 0) || seen.has(maskQueues(line))) continue;
    const id = socketIdentity(line);
    if (id && !known.has(id)) continue;
    problems.push(`extra:   ${line}`);
  }
  return problems.slice(0, 6).join('\n');
}

const netstatStderr = (s) => s;
/** Messages name their program. */
const netwatchStderr = (s) => s.replaceAll('netwatch: ', 'netstat: ');

/** Compare one combination: { args, result: 'exact' | 'masked' | 'differs', detail, tries }. */
export async function compareOne(combo, { bin = BIN, tries = 4 } = {}) {
  let detail = '';
  let masked = false;
  for (let attempt = 1; attempt <= tries; attempt++) {
    const a = await run('netstat', combo.args, combo);
    // netstat again and again while netwatch runs (on a loaded machine that is seconds, and sockets come and
    // go meanwhile): a line netwatch prints must be one netstat printed at some moment around it.
    let running = true;
    const seen = [];
    const during = (async () => {
      while (running && seen.length < 30) seen.push((await run('netstat', combo.args, combo)).stdout);
    })();
    const b = await run(process.execPath, [bin, '--once', ...combo.args], combo);
    running = false;
    await during;
    const cc = await run('netstat', combo.args, combo);
    if (b.status !== a.status) {
      detail = `exit status: netwatch ${b.status}, netstat ${a.status}; netwatch stderr: ${b.stderr.slice(0, 300)}`;
      continue;
    }
    const eb = netwatchStderr(b.stderr);
    if (eb !== netstatStderr(a.stderr) && eb !== netstatStderr(cc.stderr)) {
      detail = `stderr: netwatch ${JSON.stringify(b.stderr.slice(0, 300))}, netstat ${JSON.stringify(a.stderr.slice(0, 300))}`;
      continue;
    }
    b.stdout = netwatchStderr(b.stdout);
    detail = judge(combo.kind, a.stdout, b.stdout, cc.stdout, false, seen);
    if (!detail) return { combo, result: 'exact', detail, tries: attempt };
    if (combo.kind === 'counters' && !judge(combo.kind, a.stdout, b.stdout, cc.stdout, true)) masked = true;
  }
  return { combo, result: masked ? 'masked' : 'differs', detail, tries };
}

/** Run `task` over `items`, `width` at a time, in order of results. */
export async function pool(items, width, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/**
 * `-c`: run both for a while, stop them with SIGINT, and compare the first listing of each (as a table)
 * and that each printed at least two. Returns '' or what differs.
 */
export async function compareContinuous(args, options = {}) {
  let detail = '';
  // As compareOne: a socket that came and went between the two programs' listings is a reason to look again.
  for (let attempt = 0; attempt < 3; attempt++) {
    detail = await continuousOnce(args, options);
    if (!detail) break;
  }
  return detail;
}

async function continuousOnce(args, { bin = BIN, timeoutMs = 20_000 } = {}) {
  const start = (cmd, argv) => {
    const base = join(SCRATCH, String(runs++));
    const outFd = openSync(`${base}.out`, 'w');
    const errFd = openSync(`${base}.err`, 'w');
    const child = spawn(cmd, argv, { stdio: ['ignore', outFd, errFd], env: { ...process.env, LC_ALL: 'C' } });
    const closed = new Promise((r) => child.on('close', (code, signal) => r(code ?? signal)));
    return { child, closed, base, outFd, errFd, out: () => readFileSync(`${base}.out`, 'utf8') };
  };
  const netstat = CAN_ISOLATE
    ? start('unshare', ['--mount', '--', 'sh', '-c', SHELL_SETUP, NSSWITCH, 'netstat', ...args])
    : start('netstat', args);
  const netwatch = start(process.execPath, [bin, ...args]);
  // Three listings each (every one is preceded by this header), however long a loaded machine takes.
  const header = /^(Active |Kernel IP|Kernel IPv6|Iface |IPv6\/IPv4)/m;
  const count = (text) =>
    text.split('\n').filter((l) => header.test(l) && !l.startsWith('Active UNIX')).length;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && (count(netstat.out()) < 3 || count(netwatch.out()) < 3)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  netstat.child.kill('SIGINT');
  netwatch.child.kill('SIGINT');
  const [, bStatus] = await Promise.all([netstat.closed, netwatch.closed]);
  for (const x of [netstat, netwatch]) {
    closeSync(x.outFd);
    closeSync(x.errFd);
  }
  const a = { out: netstat.out() };
  const b = { out: netwatch.out(), err: readFileSync(`${netwatch.base}.err`, 'utf8'), status: bStatus };
  // A listing starts with the first line that comes again (-i prints its title only once).
  const all = lines(a.out);
  const first = all.find((l, i) => all.indexOf(l, i + 1) > i);
  const split = (text) => {
    const parts = [];
    let seen = 0;
    for (const l of lines(text)) {
      // What comes before the second listing is the first (with -i's title before its header).
      if (l === first && seen++ > 0) parts.push([]);
      if (parts.length === 0) parts.push([]);
      parts.at(-1).push(l);
    }
    return parts.map((p) => p.join('\n'));
  };
  const pa = split(a.out);
  const pb = split(b.out);
  if (pa.length < 2) return `netstat printed ${pa.length} listing(s)`;
  if (pb.length < 2) return `netwatch printed ${pb.length} listing(s); stderr: ${b.err.slice(0, 300)}`;
  if (b.err && !/^(\(Not all|\(No info)/.test(b.err)) return `netwatch stderr: ${b.err.slice(0, 300)}`;
  if (b.status !== 'SIGINT' && b.status !== 130 && b.status !== 0) return `netwatch ended with ${b.status}`;
  const kind = /^-[a-z]*i/.test(args[0] ?? '') ? 'counters' : 'table';
  // The first listings, netstat's later ones as the other side of "in flux". (-g -c's later listings are
  // garbage in net-tools: its igmp parser keeps its IPv6 state from the listing before.)
  return judge(
    kind,
    pa[0],
    pb[0],
    pa[1],
    kind === 'counters',
    args.some((x) => x.includes('g')) ? [] : pa.slice(2),
  );
}

/** Start scripts/netstat-load.py; resolves to { pids, ports, stop } once its sockets are up. */
export function startLoad() {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [LOAD], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const ready = JSON.parse(out.slice(0, nl));
      if (!ready.ready) return reject(new Error('netstat-load.py did not start all its roles'));
      resolve({
        ...ready,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('close', () => done());
            child.stdin.end();
          }),
      });
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!out.includes('\n')) reject(new Error(`netstat-load.py exited with ${code}`));
    });
  });
}

/** Run a shell script in a mount namespace (and a network namespace too if `net`), as root. */
function inNamespace(script, { net = false } = {}) {
  const flags = net ? ['--mount', '--net'] : ['--mount'];
  return new Promise((resolve) => {
    const base = join(SCRATCH, String(runs++));
    const errFd = openSync(`${base}.err`, 'w');
    const child = spawn('unshare', [...flags, '--', 'bash', '-c', script], {
      stdio: ['ignore', 'ignore', errFd],
    });
    child.on('close', (status) => {
      closeSync(errFd);
      resolve({ status, stderr: readFileSync(`${base}.err`, 'utf8') });
    });
  });
}

/**
 * Runs `combos` through netstat, netwatch and netstat again inside a namespace set up by `setup`, and
 * judges each as compareOne does. `netwatchArgs` comes before each combination's (e.g. --root DIR).
 */
async function compareScripted(setup, combos, { net = false, netwatchArgs = [], netstatPrefix = '' } = {}) {
  const dir = mkdtempSync(join(SCRATCH, 'ns-'));
  const q = (a) => `'${a.replaceAll("'", "'\\''")}'`;
  const script = [setup];
  combos.forEach((combo, i) => {
    const args = combo.args.map(q).join(' ');
    for (const [tag, cmd] of [
      ['a', `${netstatPrefix}netstat ${args}`],
      ['b', `${q(process.execPath)} ${q(BIN)} --once ${netwatchArgs.map(q).join(' ')} ${args}`],
      ['c', `${netstatPrefix}netstat ${args}`],
    ]) {
      script.push(
        `${cmd} > ${dir}/${i}.${tag}.out 2> ${dir}/${i}.${tag}.err; echo $? > ${dir}/${i}.${tag}.rc`,
      );
    }
  });
  const ran = await inNamespace(script.join('\n'), { net });
  if (ran.status !== 0 && !existsSync(`${dir}/0.a.rc`))
    throw new Error(`namespace setup failed: ${ran.stderr}`);
  return combos.map((combo, i) => {
    const read = (tag, ext) => readFileSync(`${dir}/${i}.${tag}.${ext}`, 'utf8');
    const [a, b, cc] = ['a', 'b', 'c'].map((tag) => ({
      status: Number(read(tag, 'rc')),
      stdout: read(tag, 'out'),
      stderr: read(tag, 'err'),
    }));
    if (b.status !== a.status)
      return { combo, result: 'differs', detail: `exit status ${b.status} vs ${a.status}: ${b.stderr}` };
    if (netwatchStderr(b.stderr) !== a.stderr) {
      return {
        combo,
        result: 'differs',
        detail: `stderr: ${JSON.stringify(b.stderr)} vs ${JSON.stringify(a.stderr)}`,
      };
    }
    const kind = combo.kind ?? 'ordered';
    // A socket the kernel listed twice (as it may while its hash chain changes) netwatch prints once.
    if (combo.dedupe) {
      for (const x of [a, cc]) x.stdout = [...new Set(lines(x.stdout))].map((l) => `${l}\n`).join('');
    }
    const detail = judge(kind, a.stdout, netwatchStderr(b.stdout), cc.stdout, false);
    if (!detail) return { combo, result: 'exact', detail };
    if (kind === 'counters' && !judge(kind, a.stdout, b.stdout, cc.stdout, true)) {
      return { combo, result: 'masked', detail };
    }
    return { combo, result: 'differs', detail };
  });
}

/**
 * A network namespace of our own (gone with its last process): a veth pair with a second address under an
 * alias label, a secondary address, an address without a broadcast address, a point-to-point tun link, a
 * bridge that is down, routes whose names come from etc/networks and etc/hosts, an unreachable route, IPv6
 * addresses and routes; sysfs remounted for it, and name files of its own (files only, as netwatch reads).
 */
const NAMESPACE_SETUP = `set -e
# No router solicitations: the counters stay still once duplicate address detection is done.
sysctl -qw net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
ip link set lo up
ip link add nwc0 type veth peer name nwc1
ip link set nwc0 up; ip link set nwc1 up
ip addr add 10.1.2.3/24 dev nwc0
ip addr add 10.9.9.9/16 brd + dev nwc0 label nwc0:7
ip addr add 169.254.5.5/16 dev nwc0
ip addr add 10.1.2.4/24 dev nwc0
ip route add 10.20.0.0/16 via 10.1.2.1
ip route add 127.1.0.0/16 dev nwc0
ip route add 192.168.7.7 dev nwc0
ip route add unreachable 10.66.0.0/16
ip route add 169.254.0.0/16 dev nwc1 metric 5
ip tuntap add mode tun nwtun0; ip link set nwtun0 up
ip addr add 10.8.0.1 peer 10.8.0.2 dev nwtun0
ip link add name nwbr0 type bridge
ip -6 addr add fd00:1::5/64 dev nwc0 nodad
ip -6 route add fd00:2::/48 via fd00:1::1 dev nwc0
mount -t sysfs sysfs /sys
D=$(mktemp -d)
printf 'default 0.0.0.0\\nloopback 127.0.0.0\\nlink-local 169.254.0.0\\ntennet 10.20\\nnet10 10.1.2.0\\n' > $D/networks
printf '127.0.0.1 localhost\\n10.1.2.1 gw-host\\n10.8.0.2 peer-host\\n::1 ip6-localhost\\nfd00:1::1 gw6\\n' > $D/hosts
printf 'hosts: files\\nnetworks: files\\npasswd: files\\ngroup: files\\nservices: files\\nprotocols: files\\n' > $D/nss
mount --bind $D/networks /etc/networks; mount --bind $D/hosts /etc/hosts; mount --bind $D/nss /etc/nsswitch.conf
sleep 0.3
set +e`;

export const NAMESPACE_COMBINATIONS = [
  ['-i'],
  ['-ia'],
  ['-ie'],
  ['-iea'],
  ['-r'],
  ['-rn'],
  ['-re'],
  ['-ree'],
  ['-reee'],
  ['-rN'],
  ['-r', '-6'],
  ['-rn6'],
  ['-rC'],
  ['-r6C'],
  ['-r', '-A', 'inet,inet6'],
  ['-g'],
  ['-gn'],
  ['-ia', '-4'],
].map((args) => ({ args, kind: args[0].startsWith('-i') ? 'counters' : 'table' }));

/** -i, -r and -g on interfaces, addresses and routes this host has none of (see NAMESPACE_SETUP). */
export function compareInNetworkNamespace(combos = NAMESPACE_COMBINATIONS) {
  return compareScripted(NAMESPACE_SETUP, combos, { net: true });
}

/**
 * netstat run on a captured fixture (its proc/ and etc/ mounted over this host's in a mount namespace)
 * beside `netwatch --root FIXTURE`: whole outputs, in order, on text that does not move.
 */
export function compareOnFixture(fixture, combos) {
  // netwatch --root reads ROOT/etc only: where the fixture has no name file, netstat gets an empty one.
  const setup = `set -e
mount --bind ${fixture}/proc /proc
D=$(mktemp -d)
for f in hosts services protocols networks passwd group; do
  if [ -e ${fixture}/etc/$f ]; then mount --bind ${fixture}/etc/$f /etc/$f; else : > $D/$f; mount --bind $D/$f /etc/$f; fi
done
printf 'hosts: files\\nnetworks: files\\npasswd: files\\ngroup: files\\nservices: files\\nprotocols: files\\n' > $D/nss
mount --bind $D/nss /etc/nsswitch.conf
set +e`;
  return compareScripted(setup, combos, { netwatchArgs: ['--root', fixture] });
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The fixtures and flags compared by compareOnFixture (the unix path with spaces is a documented difference). */
export const FIXTURE_COMBINATIONS = [
  [
    'live-t0',
    [
      ...['-s', '-st', '-su', '-sw', '-sU', '-s -6', '-st6', '-su6', '-sw6'],
      ...['-r', '-rn', '-re', '-ree', '-r -6', '-rn6', '-g', '-gn', '-g -6'],
      ...['-tan', '-uan', '-Uan', '-wan', '-xan', '-tano', '-anp', '-lnpe', '-ta', '-a', '-uanp'],
    ],
  ],
  ['live-t1', ['-s', '-anp', '-lnp']],
  ['edge-net', ['-r', '-rn', '-ree', '-rn6', '-r -6', '-gn', '-g']],
  ['edge-counters', ['-s', '-st', '-su', '-sw', '-s -6', '-st6', '-su6']],
  ['edge-sockets', ['-an', '-ano', '-ane', '-a', '-ln', '-tan6', '-uan']],
];

async function compareFixtures() {
  const results = [];
  for (const [name, flags] of FIXTURE_COMBINATIONS) {
    const combos = flags.map((f) => ({
      args: f.split(' '),
      kind: 'ordered',
      fixture: name,
      dedupe: name === 'edge-sockets',
    }));
    for (const r of await compareOnFixture(`${FIXTURES}${name}`, combos)) results.push(r);
  }
  return results;
}

export { compareFixtures };

/** netstat's flags whose output on the namespace becomes a golden file of the fixture captured there. */
export const CAPTURED_GOLDEN = {
  i: ['-i'],
  ia: ['-ia'],
  ie: ['-ie'],
  iea: ['-iea'],
  r: ['-r'],
  rn: ['-rn'],
  re: ['-re'],
  ree: ['-ree'],
  r6: ['-r', '-6'],
  rn6: ['-rn6'],
  g: ['-g'],
};

/**
 * `--capture NAME`: the network namespace above as a fixture (fixtures/NAME, with its name files and
 * IPv4 addresses), and netstat's own output for CAPTURED_GOLDEN as test/golden/NAME-*.txt, the golden
 * files test/cli/cli.test.ts holds `netwatch --root fixtures/NAME` to.
 */
async function capture(name) {
  const repo = fileURLToPath(new URL('../', import.meta.url));
  const golden = Object.entries(CAPTURED_GOLDEN)
    .map(([file, args]) => `netstat ${args.join(' ')} > ${repo}test/golden/${name}-${file}.txt`)
    .join('\n');
  const script = `${NAMESPACE_SETUP}
sleep 2
cd ${repo} && ${process.execPath} scripts/capture-fixture.mjs ${name} --etc hosts,networks
${golden}`;
  const ran = await inNamespace(script, { net: true });
  process.stdout.write(ran.stderr);
  process.exit(ran.status ?? 1);
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--capture') return capture(argv[1] ?? 'netns-t0');
  const verbose = argv.includes('--verbose');
  const only = argv.includes('--only') ? new RegExp(argv[argv.indexOf('--only') + 1]) : undefined;
  if (!hasNetstat()) {
    console.log('netstat (net-tools) is not installed: nothing to compare with (apt-get install net-tools)');
    process.exit(0);
  }
  if (!existsSync(BIN)) {
    console.log(`${BIN} is missing: run npm run build first`);
    process.exit(2);
  }
  const load = argv.includes('--no-load') ? undefined : await startLoad();
  const started = Date.now();
  const combos = COMBINATIONS.filter((x) => (!only || only.test(x.args.join(' '))) && comparable(x));
  if (!CAN_ISOLATE) console.log('not root: comparing only the numeric combinations (see CAN_ISOLATE)');
  let counts = { exact: 0, masked: 0, differs: 0 };
  try {
    const results = await pool(combos, 4, (combo) => compareOne(combo));
    for (const r of results) {
      counts[r.result]++;
      const name = `${r.combo.user ? `(as ${r.combo.user}) ` : ''}netstat ${r.combo.args.join(' ')}`;
      if (r.result !== 'exact' || verbose) console.log(`${r.result.padEnd(7)} ${name}`);
      if (r.result === 'differs') console.log(`        ${r.detail.replaceAll('\n', '\n        ')}`);
    }
    if (CAN_ISOLATE && !only) {
      const scripted = [...(await compareInNetworkNamespace()), ...(await compareFixtures())];
      for (const r of scripted) {
        counts[r.result]++;
        const where = r.combo.fixture ? `(on fixtures/${r.combo.fixture}) ` : '(in a network namespace) ';
        if (r.result !== 'exact' || verbose)
          console.log(`${r.result.padEnd(7)} ${where}netstat ${r.combo.args.join(' ')}`);
        if (r.result === 'differs') console.log(`        ${r.detail.replaceAll('\n', '\n        ')}`);
      }
    }
    const continuous = CONTINUOUS.filter((a) => !only || only.test(a.join(' ')));
    const cont = await pool(continuous, 4, (a) => compareContinuous(a));
    cont.forEach((detail, i) => {
      const key = detail ? 'differs' : 'exact';
      counts = { ...counts, [key]: counts[key] + 1 };
      if (detail || verbose) console.log(`${key.padEnd(7)} netstat ${continuous[i].join(' ')}`);
      if (detail) console.log(`        ${detail.replaceAll('\n', '\n        ')}`);
    });
  } finally {
    await load?.stop();
  }
  const total = counts.exact + counts.masked + counts.differs;
  console.log(
    `${total} combinations: ${counts.exact} exact, ${counts.masked} equal but for counters that moved, ` +
      `${counts.differs} differ (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  process.exit(counts.differs ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

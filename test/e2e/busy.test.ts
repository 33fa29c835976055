// Issue 15: any local user could freeze the live view with a long command line. A child started with a
// 2 MB command line (15 arguments of 130,000 bytes, as in the issue) holds a loopback listener; the live
// view in tmux filters to it with cmd: and pid:, opens its details and scrolls them. Every key must be
// answered (the screen changes) within 200 ms, and q must end it.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/children.js';
import { BIN } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SESSION = `netwatch-busy-${process.pid}`;
// A tmux server of this file's own (-L), apart from other suites' sessions.
const SOCKET = `netwatch-busy-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);

let child: ChildProcess | undefined;
afterAll(() => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  child?.kill('SIGKILL');
});

/** Send one key and measure until the screen differs from what it was (and satisfies `check`). */
async function answered(key: string, check: (s: string) => boolean = () => true): Promise<number> {
  const before = screen();
  const t0 = performance.now();
  tmux('send-keys', '-t', SESSION, key);
  for (;;) {
    const now = screen();
    if (now !== before && check(now)) return performance.now() - t0;
    if (performance.now() - t0 > 5000) throw new Error(`key ${key} not answered in 5 s; screen:\n${now}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * answered(), again after `undo` when it missed the budget, at most three times: the best attempt. On a
 * machine loaded by other suites one attempt can miss 200 ms by scheduling alone; a key that is slow
 * three times in a row is slow. (The bug this guards against froze the view for good.)
 */
async function timed(
  key: string,
  check: (s: string) => boolean = () => true,
  undo?: [string, (s: string) => boolean],
): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3; attempt++) {
    best = Math.min(best, await answered(key, check));
    if (best < BUDGET_MS || !undo) break;
    await answered(undo[0], undo[1]);
  }
  return best;
}

const BUDGET_MS = 200;

describe('a 2 MB command line', () => {
  it('details, cmd: filter and scrolling each answer within 200 ms, and q exits', async () => {
    if (!hasTmux) throw new Error('tmux is not installed (apt-get install tmux)');
    const arg = 'x'.repeat(130_000);
    child = spawn(
      process.execPath,
      [
        '-e',
        "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port));process.stdin.resume();process.stdin.on('end',()=>process.exit(0))",
        ...Array.from({ length: 15 }, () => arg),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const port = await new Promise<number>((resolve) =>
      child!.stdout!.once('data', (d) => resolve(Number(String(d).trim()))),
    );
    tmux(
      'new-session',
      '-d',
      '-s',
      SESSION,
      '-x',
      '160',
      '-y',
      '40',
      'sh',
      '-c',
      `TERM=xterm-256color ${process.execPath} ${BIN} --interval 1; sleep 30`,
    );
    // The first sample (the status bar says how long it took), and a second one, so the keys meet a settled view.
    await waitFor(() => (/ in \d+ms/.test(screen()) ? true : undefined), 10_000, 'the first sample');
    await new Promise((r) => setTimeout(r, 1500));
    const times: Record<string, number> = {};
    const anything = () => true;
    // Connections: a row per socket, the process's with its command line in details.
    times.pane = await timed('2', (s) => s.includes('Foreign Address'), ['1', (s) => s.includes('Trouble')]);
    times.filter = await timed('/', anything, ['Escape', anything]);
    for (const ch of `cmd:node pid:${child.pid}`)
      times[`type ${ch}`] = await timed(ch === ' ' ? 'Space' : ch, anything, ['BSpace', anything]);
    times.apply = await answered('Enter', (s) => s.includes(String(port)));
    const inDetails = (s: string) => s.includes('xxxxxxxxxxxxxxxxxxxx');
    const notInDetails = (s: string) => !inDetails(s);
    times.details = await timed('Enter', inDetails, ['Escape', notInDetails]);
    // The details show at most 64 wrapped lines of the command line: two pages of 40 rows reach the end.
    times['scroll down'] = await timed('PageDown', anything, ['PageUp', anything]);
    times['scroll up'] = await timed('PageUp', anything, ['PageDown', anything]);
    times['line down'] = await timed('j', anything, ['k', anything]);
    times['line up'] = await timed('k', anything, ['j', anything]);
    times.close = await timed('Escape', notInDetails, ['Enter', inDetails]);
    console.log(
      `busy: key → screen ms ${JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v)])))}`,
    );
    for (const [key, ms] of Object.entries(times)) expect(ms, key).toBeLessThan(BUDGET_MS);
    tmux('send-keys', '-t', SESSION, 'q');
    await waitFor(
      () => (tmux('display', '-p', '-t', SESSION, '#{alternate_on}').trim() === '0' ? true : undefined),
      5000,
      'q to end the live view',
    );
  }, 60_000);
});

// End to end, as a person would: the real binary in tmux against the live machine. Start a listener on
// 127.0.0.1, find it with the filter, stop it, see it marked gone, quit with q, and check that the
// terminal came back (exit status 0, cursor visible, alternate screen left).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SocketChild, startSocketChild, waitFor } from '../helpers/children.js';
import { BIN } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SESSION = `netwatch-e2e-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
const keys = (...k: string[]) => tmux('send-keys', '-t', SESSION, ...k);
let lastScreen = '';
const screenWith = (text: string | RegExp) => () => {
  const s = screen();
  lastScreen = s;
  return (typeof text === 'string' ? s.includes(text) : text.test(s)) ? s : undefined;
};
// A failed wait says what was on the screen, which is what one needs to see.
async function waitScreen(text: string | RegExp, timeoutMs: number, what: string): Promise<string> {
  try {
    return await waitFor(screenWith(text), timeoutMs, what);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the screen was:\n${lastScreen}`);
  }
}

/** The `EXIT=N` line the pane's shell writes to DIR/exit after netwatch ends. */
function exitLine(dir: string, what: string): Promise<string> {
  return waitFor(
    () => {
      // The shell creates the file before it writes the line: an empty read is "not yet".
      try {
        const text = readFileSync(`${dir}/exit`, 'utf8');
        return text.endsWith('\n') ? text : undefined;
      } catch {
        return undefined;
      }
    },
    10_000,
    what,
  );
}

describe('the live view in tmux', () => {
  let child: SocketChild;
  let dir: string;

  beforeAll(async () => {
    if (!hasTmux)
      throw new Error('tmux is not installed (apt-get install tmux): the end-to-end test cannot run');
    child = await startSocketChild();
    dir = mkdtempSync(join(tmpdir(), 'netwatch-e2e-'));
    // A plain shell in the pane, so that after netwatch exits we can see what it left behind.
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '30', 'bash', '--norc', '--noprofile');
    keys(
      `TERM=xterm-256color ${process.execPath} ${BIN} --interval 0.5; echo "EXIT=$?" > ${dir}/exit`,
      'Enter',
    );
  });

  afterAll(async () => {
    spawnSync('tmux', ['kill-session', '-t', SESSION]);
    await child?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a listener, keeps it marked gone when it dies, and restores the terminal on q', async () => {
    await waitScreen('Connections', 10_000, 'the first frame');
    expect(tmux('display', '-p', '-t', SESSION, '#{alternate_on}').trim()).toBe('1');

    keys('3'); // Listeners
    await waitScreen(/Status\s+Proto.?\s+Local Address/, 5000, 'the Listeners pane');
    keys('/');
    keys('-l', `port:${child.ports.tcp4}`);
    keys('Enter');
    const port = String(child.ports.tcp4);
    const listed = await waitScreen(`filter: port:${port}`, 5000, 'the applied filter');
    expect(listed).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}|localhost:${port}`));
    expect(listed).toContain(`${child.pid}/node`);

    await child.stop();
    const gone = await waitScreen(/gone \d\d:\d\d:\d\d/, 10_000, 'the listener to be marked gone');
    expect(gone).toMatch(new RegExp(`gone \\d\\d:\\d\\d:\\d\\d\\s+tcp\\s+\\S+:${port}`));
    expect(gone).toMatch(/listeners? gone/);

    keys('q');
    const exit = await exitLine(dir, 'netwatch to exit');
    expect(exit.trim()).toBe('EXIT=0');
    expect(tmux('display', '-p', '-t', SESSION, '#{alternate_on}').trim()).toBe('0');
    expect(tmux('display', '-p', '-t', SESSION, '#{cursor_flag}').trim()).toBe('1');
    // Nothing of the live view was drawn onto the main screen after it left.
    expect(screen()).not.toContain('Connections');
  }, 60_000);
});

// An SSH session that drops closes the terminal under netwatch: SIGHUP, and every tty call fails with EIO.
// Node 20's own exit path then asserts on its failing tcsetattr and dies by SIGSEGV (nodejs/node#51519);
// netwatch must end by SIGHUP instead, as a program that does not handle it would.
describe('the live view when its terminal hangs up', () => {
  const session = `netwatch-hup-${process.pid}`;
  let dir: string;

  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends by SIGHUP (status 129), not by a crash, when tmux closes its pty', async () => {
    if (!hasTmux) throw new Error('tmux is not installed (apt-get install tmux)');
    dir = mkdtempSync(join(tmpdir(), 'netwatch-hup-'));
    // The shell ignores SIGHUP so it outlives the pty and records how netwatch ended (Node resets the
    // dispositions it inherits, so netwatch itself gets the signal).
    const script = `trap '' HUP; TERM=xterm-256color ${process.execPath} ${BIN} --interval 0.5; echo "EXIT=$?" > ${dir}/exit`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', 'sh', '-c', script);
    await waitFor(
      () => (tmux('capture-pane', '-p', '-t', session).includes('Connections') ? true : undefined),
      10_000,
      'the first frame',
    );
    tmux('kill-session', '-t', session);
    const exit = await exitLine(dir, 'netwatch to end');
    // 129 is 128 + SIGHUP; the crash this guards against reads 139 (SIGSEGV) or 134 (SIGABRT).
    expect(exit.trim()).toBe('EXIT=129');
  }, 30_000);
});

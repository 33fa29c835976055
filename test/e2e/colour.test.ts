// The live view in tmux, read with `capture-pane -e` (escape sequences included), as a person would see it:
// colour on a 256-colour terminal even with CI=true in the environment (chalk treats any CI variable as
// "no colour"), the Overview first, the selected row and the current tab highlighted, a vanished listener
// red, a listener restarted on the same port marked `restarted` with both pids; and with NO_COLOR=1 no
// colour at all but the selection and the current tab still visible (inverse, brackets).
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/children.js';
import { BIN } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

interface Cell {
  readonly ch: string;
  readonly inverse: boolean;
  readonly bold: boolean;
  /** SGR foreground as tmux writes it: '31', '91', '38;5;1', … or '' for the default. */
  readonly fg: string;
}

/** One captured line as cells with the attributes in force, from the SGR sequences tmux writes. */
export function cells(line: string): Cell[] {
  const out: Cell[] = [];
  let inverse = false;
  let bold = false;
  let fg = '';
  const sgr = /\u001B\[([0-9;]*)m/y;
  for (let i = 0; i < line.length; ) {
    sgr.lastIndex = i;
    const m = sgr.exec(line);
    if (m) {
      const codes = (m[1] || '0').split(';');
      for (let k = 0; k < codes.length; k++) {
        const c = codes[k]!;
        if (c === '0' || c === '') [inverse, bold, fg] = [false, false, ''];
        else if (c === '1') bold = true;
        else if (c === '22') bold = false;
        else if (c === '7') inverse = true;
        else if (c === '27') inverse = false;
        else if (c === '39') fg = '';
        else if (/^(3[0-7]|9[0-7])$/.test(c)) fg = c;
        else if (c === '38') {
          // 38;5;N or 38;2;R;G;B
          const n = codes[k + 1] === '5' ? 3 : 5;
          fg = codes.slice(k, k + n).join(';');
          k += n - 1;
        } else if (c === '48') k += codes[k + 1] === '5' ? 2 : 4;
      }
      i = sgr.lastIndex;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    out.push({ ch, inverse, bold, fg });
    i += ch.length;
  }
  return out;
}

const text = (cs: readonly Cell[]) => cs.map((c) => c.ch).join('');
const RED = /^(31|91|38;5;(1|9|196|160))$/;

/** A python3 listener on 127.0.0.1:port (0: any); resolves with its pid and port once it listens. */
function listener(port: number): Promise<{ child: ChildProcess; port: number }> {
  const code = `import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(16)
print(s.getsockname()[1], flush=True); time.sleep(600)`;
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', code, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    child.stdout!.once('data', (d: Buffer) => resolve({ child, port: Number(d.toString().trim()) }));
    child.once('error', reject);
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

const children = new Set<ChildProcess>();
const sessions: string[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const s of sessions) spawnSync('tmux', ['kill-session', '-t', s]);
  for (const c of children) await kill(c);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function start(
  name: string,
  env: string,
): { capture: () => string[]; keys: (...k: string[]) => void; dir: string } {
  const session = `netwatch-colour-${name}-${process.pid}`;
  sessions.push(session);
  const dir = mkdtempSync(join(tmpdir(), 'netwatch-colour-'));
  dirs.push(dir);
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', 'bash', '--norc', '--noprofile');
  tmux(
    'send-keys',
    '-t',
    session,
    `${env} TERM=xterm-256color ${process.execPath} ${BIN} --interval 1; echo "EXIT=$?" > ${dir}/exit`,
    'Enter',
  );
  return {
    capture: () => tmux('capture-pane', '-p', '-e', '-t', session).split('\n'),
    keys: (...k: string[]) => tmux('send-keys', '-t', session, ...k) && undefined,
    dir,
  };
}

async function screenWith(capture: () => string[], test: (plain: string) => boolean, what: string) {
  let last: string[] = [];
  try {
    return await waitFor(
      () => {
        last = capture();
        return test(last.map((l) => text(cells(l))).join('\n')) ? last : undefined;
      },
      15_000,
      what,
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}; the screen was:\n${last.map((l) => text(cells(l))).join('\n')}`,
    );
  }
}

describe.runIf(hasTmux || process.env.CI)('the live view in colour (tmux capture-pane -e)', () => {
  it('draws colour with CI=true set, highlights the selection and the tab, reds a gone listener, marks a restart', async () => {
    const { capture, keys, dir } = start('on', 'CI=true');
    // The Overview is the first screen.
    let screen = await screenWith(
      capture,
      (s) => s.includes('Trouble') && s.includes('Sockets'),
      'the Overview',
    );
    const tabs = cells(screen[0]!);
    const current = tabs.filter((c) => c.inverse);
    expect(text(current)).toContain('1 Overview');
    expect(text(current)).not.toContain('Connections');
    expect(screen.join('\n')).toMatch(/\u001B\[[0-9;]*(3[1-7]|9[1-7]|38;5;\d+)[0-9;]*m/);

    const a = await listener(0);
    const b = await listener(0);
    // Numeric: an ephemeral port may have a name in /etc/services, 127.0.0.1 one in /etc/hosts.
    keys('3', 'n');
    await screenWith(capture, (s) => /Status\s+Proto/.test(s) && s.includes('numeric'), 'the Listeners pane');
    keys('/');
    keys('-l', `port:${a.port},${b.port}`);
    keys('Enter');
    screen = await screenWith(
      capture,
      (s) => s.includes(`127.0.0.1:${a.port}`) && s.includes(`127.0.0.1:${b.port}`),
      'both listeners',
    );
    // The selected row (the first) is inverse, and only it.
    const body = screen.slice(2, -2).map(cells);
    const selected = body.filter((row) => row.some((c) => c.inverse && c.ch.trim() !== ''));
    expect(selected).toHaveLength(1);
    expect(text(selected[0]!)).toMatch(/127\.0\.0\.1:\d+/);

    await kill(b.child);
    screen = await screenWith(capture, (s) => /gone \d\d:\d\d:\d\d/.test(s), 'the listener marked gone');
    const goneRow = screen
      .map(cells)
      .find((row) => /gone \d\d:\d\d:\d\d/.test(text(row)) && text(row).includes(`:${b.port}`));
    expect(goneRow, 'a gone row for the killed listener').toBeDefined();
    // Pinned on top, it may be the selected row too: inverse then, and still red.
    const mark = goneRow!.filter((c) => c.ch.trim() !== '');
    expect(mark.length).toBeGreaterThan(0);
    expect(
      mark.every((c) => RED.test(c.fg)),
      `gone row colours: ${[...new Set(goneRow!.map((c) => c.fg))]}`,
    ).toBe(true);

    // Killed and started again on the same port: a restart, with both pids.
    const oldPid = a.child.pid!;
    await kill(a.child);
    const a2 = await listener(a.port);
    screen = await screenWith(capture, (s) => /restarted \d\d:\d\d:\d\d/.test(s), 'the restart');
    const restarted = screen.map((l) => text(cells(l))).find((l) => l.includes('restarted'))!;
    expect(restarted).toContain(`127.0.0.1:${a.port}`);
    expect(restarted).toContain(`${a2.child.pid}/python3`);
    expect(restarted).toContain(`was ${oldPid}`);

    // The Overview lists both changes.
    keys('1');
    screen = await screenWith(
      capture,
      (s) => s.includes('Changes') && s.includes('restarted'),
      'the changes',
    );
    const changes = screen.map((l) => text(cells(l)));
    expect(changes.some((l) => /gone\s+tcp 127\.0\.0\.1:\d+/.test(l) && l.includes(`:${b.port}`))).toBe(true);
    expect(
      changes.some(
        (l) => /restarted\s+tcp 127\.0\.0\.1:\d+/.test(l) && l.includes(`pid ${oldPid} → ${a2.child.pid}`),
      ),
    ).toBe(true);

    keys('q');
    const exit = await waitFor(
      () => {
        try {
          const t = readFileSync(`${dir}/exit`, 'utf8');
          return t.endsWith('\n') ? t : undefined;
        } catch {
          return undefined;
        }
      },
      10_000,
      'netwatch to exit',
    );
    expect(exit.trim()).toBe('EXIT=0');
  }, 90_000);

  it('with NO_COLOR=1 draws no colour, but the selection and the current tab still show', async () => {
    const { capture, keys } = start('off', 'NO_COLOR=1');
    await screenWith(capture, (s) => s.includes('Trouble'), 'the Overview');
    keys('2');
    const screen = await screenWith(
      capture,
      (s) => /Proto\S*\s+Recv-Q|Proto\S*\s+Local/.test(s),
      'Connections',
    );
    const all = screen.flatMap(cells);
    expect(all.filter((c) => c.fg !== '').map((c) => c.fg)).toEqual([]);
    const tab = cells(screen[0]!);
    expect(text(tab.filter((c) => c.inverse))).toContain('[2 Connections]');
    const selected = screen
      .slice(2, -2)
      .map(cells)
      .filter((row) => row.some((c) => c.inverse && c.ch.trim() !== ''));
    expect(selected).toHaveLength(1);
    keys('q');
  }, 60_000);
});

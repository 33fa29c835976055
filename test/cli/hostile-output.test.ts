// Issue 12/16: hostile names through every output path. No byte in 0x00–0x08, 0x0b–0x1f, 0x7f, no C1
// and none of the invisible set (src/view/escape.ts) may be written raw: --once tables, -s, stderr, JSON,
// the live view's frames and the exporter's metrics.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/cli/exporter.js';
import { filteredStdout } from '../../src/cli/terminal.js';
import { HostReader } from '../../src/sample/reader.js';
import { Collector, SELECT_ALL } from '../../src/sample/sampler.js';
import { fixedClock, KEY, makeStore, renderApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { HOSTILE_CHARS, HOSTILE_FIELD, rawUnsafe, writeHostileTree } from '../helpers/hostile.js';

let root = '';
beforeAll(() => {
  root = writeHostileTree(mkdtempSync(join(tmpdir(), 'netwatch-hostile-')));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const MODES = [
  ['-anpe'],
  ['-xanp'],
  ['-anpeW'],
  ['-tanpo'],
  ['-ia'],
  ['-i'],
  ['-s'],
  ['-rn'],
  ['-rn', '-6'],
  ['-r'],
  ['-g'],
  ['--json'],
  ['--json', '-l'],
];

describe('--once and --json on a tree of hostile names', () => {
  it.each(MODES)('%s %s: nothing raw on stdout or stderr', (...args) => {
    const r = runCli(['--once', '--root', root, ...args]);
    expect(r.status, r.stderr).toBe(0);
    expect(rawUnsafe(r.stdout), 'stdout').toBeUndefined();
    expect(rawUnsafe(r.stderr), 'stderr').toBeUndefined();
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    if (args.includes('--json')) JSON.parse(r.stdout);
  });

  it('the names do arrive, escaped', () => {
    const text = runCli(['--once', '--root', root, '-xanp']).stdout;
    expect(text).toContain('/run/p\\x00'.replace('\\x00', '\\x01')); // the path, its first escapes visible
    const s = runCli(['--once', '--root', root, '-s']).stdout;
    expect(s).toMatch(/Sync\\x01\\x02/);
    const json = runCli(['--once', '--json', '--root', root]).stdout;
    expect(json).toContain('\\u202e');
    expect(JSON.parse(json).hostname.startsWith('host\x01\x02\x03')).toBe(true);
  });

  it('stderr escapes what the command line and the tree put in messages', () => {
    const bad = runCli(['--once', `--bogus${HOSTILE_FIELD}`]);
    expect(bad.status).toBe(2);
    expect(rawUnsafe(bad.stderr)).toBeUndefined();
    const badRoot = runCli(['--once', '--root', `/nonexistent/${HOSTILE_FIELD}`]);
    expect(badRoot.status).toBe(1);
    expect(badRoot.stderr).toMatch(/^netwatch: .*is not a directory.*\n$/);
    expect(rawUnsafe(badRoot.stderr)).toBeUndefined();
    const interval = runCli(['--once', '--interval', `1${HOSTILE_FIELD}`]);
    expect(interval.status).toBe(2);
    expect(rawUnsafe(interval.stderr)).toBeUndefined();
  });
});

/** Ink's own sequences (SGR, cursor moves, erase) taken out of a frame, so what is left is the text. */
function withoutInkSequences(frame: string): string {
  return frame.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

describe('the live view on a tree of hostile names', () => {
  it('no pane, filter line, status bar or details view draws a hostile character raw', async () => {
    const snap = new Collector(new HostReader(root), fixedClock(0)).collect(SELECT_ALL);
    const app = await renderApp(makeStore([snap]), { columns: 160, rows: 30 });
    await app.press('x');
    for (const pane of ['1', '2', '3', '4', '5']) {
      await app.press(pane);
      await app.press(KEY.enter);
      await app.press(KEY.escape);
    }
    await app.press('1', '/', ...'pid:100', KEY.enter, KEY.enter);
    await app.until((f) => f.includes('Processes'), 'the details of the hostile process');
    await app.press('2', KEY.enter);
    for (const raw of app.frames) {
      expect(rawUnsafe(withoutInkSequences(raw))).toBeUndefined();
      expect(raw).not.toMatch(/\x1b\](?!\x07)/); // no OSC (title) from a name
    }
    app.unmount();
  });

  it("the frame filter escapes what a component might forget, and keeps Ink's own sequences", () => {
    const written: string[] = [];
    const sink = { write: (t: string) => written.push(t), columns: 80 };
    const out = filteredStdout(sink);
    out.write(
      `\x1b[2K\x1b[1Arow ${HOSTILE_CHARS.filter((c) => c !== '\x1b' && c !== '\r' && c !== '\n').join('.')}\r\n`,
    );
    expect(out.columns).toBe(80);
    expect(rawUnsafe(withoutInkSequences(written.join('')).replace(/\r\n$/, ''))).toBeUndefined();
    expect(written[0]!.startsWith('\x1b[2K\x1b[1Arow ')).toBe(true);
  });
});

describe('the exporter on a tree of hostile names', () => {
  it('escapes label values', async () => {
    const m = new Metrics();
    m.update(new Collector(new HostReader(root), fixedClock(0)).collect(SELECT_ALL));
    const text = await m.registry.metrics();
    expect(rawUnsafe(text)).toBeUndefined();
    expect(text).toMatch(/netwatch_listener_up\{proto="unix",address="\/run\/p\\\\x01/);
  });
});

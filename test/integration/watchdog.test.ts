// Issue 15: SIGTERM, SIGHUP and SIGINT must end the live view within 2 s even while its main thread is
// busy. JavaScript's listeners run only when the loop turns; the native helper's watchdog
// (src/sample/netwatch.c, last section) does not wait for it. Each child here arms it as live.ts does,
// then blocks its main thread in a loop and is sent a signal.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

const NODE_FILE = `${REPO}dist/netwatch.node`;

/** A child that listens for `signal` in JS (exit 100 + …), arms the watchdog unless told not to, then spins `busyMs`. */
function child(opts: { arm: boolean; busyMs: number }) {
  const source = `
    const { createRequire } = require('node:module');
    const binding = createRequire(${JSON.stringify(REPO)})(${JSON.stringify(NODE_FILE)});
    for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT']) process.on(s, () => { process.stdout.write('js-handler\\n'); process.exit(100); });
    if (${opts.arm}) binding.watchdogArm('RESTORED\\n', 500);
    process.stdout.write('ready\\n');
    setTimeout(() => { const end = Date.now() + ${opts.busyMs}; while (Date.now() < end) {} }, 10);
    setTimeout(() => process.exit(0), ${opts.busyMs} + 5000);
  `;
  const p = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.setEncoding('utf8');
  const ready = new Promise<void>((resolve) =>
    p.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('ready')) resolve();
    }),
  );
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    p.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { p, ready, ended, out: () => out };
}

describe.skipIf(!existsSync(NODE_FILE))('the signal watchdog', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    '%s ends a process whose main thread is busy within 2 s, after writing the restore bytes',
    async (signal) => {
      const c = child({ arm: true, busyMs: 20_000 });
      await c.ready;
      await new Promise((r) => setTimeout(r, 100)); // inside the busy loop
      const t0 = performance.now();
      c.p.kill(signal);
      const end = await c.ended;
      expect(end.signal).toBe(signal);
      expect(end.at - t0).toBeLessThan(2000);
      expect(c.out()).toContain('RESTORED');
      expect(c.out()).not.toContain('js-handler');
    },
    30_000,
  );

  it('leaves an idle process to its JavaScript listener', async () => {
    const c = child({ arm: true, busyMs: 0 });
    await c.ready;
    await new Promise((r) => setTimeout(r, 100));
    c.p.kill('SIGTERM');
    const end = await c.ended;
    expect(end.code).toBe(100);
    expect(c.out()).toContain('js-handler');
    expect(c.out()).not.toContain('RESTORED');
  });

  it('without it, a busy process answers only when the loop turns (what the watchdog is for)', async () => {
    const c = child({ arm: false, busyMs: 3000 });
    await c.ready;
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    c.p.kill('SIGTERM');
    const end = await c.ended;
    expect(end.code).toBe(100);
    expect(end.at - t0).toBeGreaterThan(2000);
  }, 30_000);
});

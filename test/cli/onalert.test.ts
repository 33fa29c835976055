// --on-alert with a hostile process name: the command's argv is what the user wrote, and the name arrives
// only as data (escaped environment variables, JSON on stdin); no shell ever sees it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventJson, eventLine, isoLocal } from '../../src/cli/eventtext.js';
import { AlertTroubles, alertArgv, alertEnv, runAlertCommand } from '../../src/cli/onalert.js';
import type { AlertFiring } from '../../src/model/alerts.js';
import { formatClock } from '../../src/view/format.js';
import { waitFor } from '../helpers/children.js';

const dir = mkdtempSync(join(tmpdir(), 'nw-alert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE = '$(touch /tmp/pwned-by-name); `id`; \u001b]0;pwned\u0007 "quote\'s';
const firing: AlertFiring = {
  rule: { text: 'listener:8080', kind: 'listener', port: 8080 },
  event: {
    id: 7,
    time: Date.UTC(2026, 11, 2, 13, 40, 1, 123),
    kind: 'listener-gone',
    object: 'tcp 0.0.0.0:8080',
    detail: `pid 812 (${HOSTILE})`,
    target: { table: 'listeners', key: 'tcp 0.0.0.0 8080' },
  },
};

describe('--on-alert', () => {
  it('splits the command on blanks only: no quotes, no expansion', () => {
    expect(alertArgv('  /usr/bin/page  --team  net$(x) ')).toEqual(['/usr/bin/page', '--team', 'net$(x)']);
  });

  it('gives the event in escaped environment variables', () => {
    const env = alertEnv(firing, {});
    expect(env).toEqual({
      NETWATCH_EVENT_KIND: 'listener-gone',
      NETWATCH_EVENT_OBJECT: 'tcp 0.0.0.0:8080',
      NETWATCH_EVENT_DETAIL: 'pid 812 ($(touch /tmp/pwned-by-name); `id`; \\e]0;pwned\\x07 "quote\'s)',
      NETWATCH_EVENT_TIME: isoLocal(firing.event.time),
      NETWATCH_ALERT_RULE: 'listener:8080',
    });
  });

  it('runs the command without a shell; the name reaches it only as data', async () => {
    const script = join(dir, 'hook.py');
    const out = join(dir, 'out.json');
    writeFileSync(
      script,
      `import json, os, sys\nopen(${JSON.stringify(out)}, 'w').write(json.dumps({'argv': sys.argv[1:], 'detail': os.environ['NETWATCH_EVENT_DETAIL'], 'stdin': sys.stdin.read()}))\n`,
    );
    const warnings: string[] = [];
    runAlertCommand(['python3', script, '--flag'], firing, (m) => warnings.push(m));
    const got = await waitFor(
      () => {
        try {
          return JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; detail: string; stdin: string };
        } catch {
          return undefined;
        }
      },
      10_000,
      'the hook to run',
    );
    expect(got.argv).toEqual(['--flag']);
    expect(got.detail).toContain('$(touch /tmp/pwned-by-name)');
    const stdin = JSON.parse(got.stdin);
    expect(stdin).toMatchObject({
      kind: 'listener-gone',
      object: 'tcp 0.0.0.0:8080',
      alerts: ['listener:8080'],
    });
    expect(stdin.detail).toBe(`pid 812 (${HOSTILE})`);
    expect(got.stdin).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(warnings).toEqual([]);
  });

  it('says so when the command cannot run', async () => {
    const warnings: string[] = [];
    runAlertCommand(['/nonexistent/netwatch-hook'], firing, (m) => warnings.push(m));
    await waitFor(() => (warnings.length > 0 ? true : undefined), 5000, 'the warning');
    expect(warnings[0]).toMatch(/^--on-alert: cannot run \/nonexistent\/netwatch-hook: .*ENOENT/);
  });
});

describe('--on-alert: a command that fails is reported', () => {
  it('names the exit status and the rule', async () => {
    const warnings: string[] = [];
    runAlertCommand(['python3', '-c', 'import sys; sys.exit(3)'], firing, (m) => warnings.push(m));
    await waitFor(() => (warnings.length > 0 ? true : undefined), 10_000, 'the warning');
    expect(warnings).toEqual(['--on-alert: python3 exited with status 3 (listener:8080)']);
  });

  it('names the signal that killed it', async () => {
    const warnings: string[] = [];
    runAlertCommand(
      ['python3', '-c', 'import os, signal; os.kill(os.getpid(), signal.SIGKILL)'],
      firing,
      (m) => warnings.push(m),
    );
    await waitFor(() => (warnings.length > 0 ? true : undefined), 10_000, 'the warning');
    expect(warnings).toEqual(['--on-alert: python3 was killed by SIGKILL (listener:8080)']);
  });

  it('a command that cannot start is one warning, not two', async () => {
    const warnings: string[] = [];
    runAlertCommand(['/nonexistent/netwatch-hook'], firing, (m) => warnings.push(m));
    await waitFor(() => (warnings.length > 0 ? true : undefined), 5000, 'the warning');
    await new Promise((r) => setTimeout(r, 300));
    expect(warnings).toHaveLength(1);
  });

  it("the live view's record: the latest trouble with its time and count, for a minute", () => {
    const t = new AlertTroubles(60_000);
    expect(t.note(1_000)).toBeUndefined();
    t.add('--on-alert: page exited with status 1 (listener:22)', 10_000);
    expect(t.note(10_000)).toBe(
      `--on-alert: page exited with status 1 (listener:22) at ${formatClock(10_000)}`,
    );
    t.add('--on-alert: cannot run /opt/page: ENOENT', 20_000);
    expect(t.note(30_000)).toBe(
      `--on-alert: cannot run /opt/page: ENOENT at ${formatClock(20_000)} (2 in the last minute)`,
    );
    expect(t.note(80_001)).toBeUndefined();
    // After a quiet minute the count starts again.
    t.add('--on-alert: page exited with status 2 (listener:22)', 200_000);
    expect(t.note(200_000)).toBe(
      `--on-alert: page exited with status 2 (listener:22) at ${formatClock(200_000)}`,
    );
  });
});

describe('event lines', () => {
  it('text: ISO time with offset, kind, object, detail, escaped, one line', () => {
    const line = eventLine({ ...firing.event, detail: 'a\nb \u001b[2J' }, ['listener:8080']);
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d listener-gone tcp 0\.0\.0\.0:8080 a\\nb \\e\[2J \[alert listener:8080\]$/,
    );
  });

  it('JSON: one object, valid, with the alert rules', () => {
    const obj = JSON.parse(eventJson(firing.event, ['listener:8080']));
    expect(obj).toMatchObject({
      kind: 'listener-gone',
      source: 'sample',
      target: { table: 'listeners', key: 'tcp 0.0.0.0 8080' },
    });
    expect(obj.time).toBe(isoLocal(firing.event.time));
  });
});

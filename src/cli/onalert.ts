// `--on-alert CMD`: run a command when an alert rule fires. Never through a shell, and never with event
// text in its command line: a process name is chosen by whoever started the process, so it reaches the
// command only as data, in environment variables (escaped) and as JSON on its stdin.
import { spawn } from 'node:child_process';
import type { AlertFiring } from '../model/alerts.js';
import { escapeControl } from '../view/escape.js';
import { formatClock } from '../view/format.js';
import { eventJson, isoLocal } from './eventtext.js';

/** Commands run at once at most; a firing past that is reported, not queued (an alert storm must not fork-bomb). */
export const MAX_RUNNING = 8;
let running = 0;

/**
 * Split `--on-alert` into argv on blanks, with no quoting, globbing or expansion of any kind: what the
 * user typed is what runs (`--on-alert "/usr/local/bin/page-oncall --team net"`).
 */
export function alertArgv(command: string): string[] {
  return command.split(/\s+/).filter((a) => a !== '');
}

/** The environment the command gets: the event, escaped, beside netwatch's own environment. */
export function alertEnv(f: AlertFiring, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    NETWATCH_EVENT_KIND: f.event.kind,
    NETWATCH_EVENT_OBJECT: escapeControl(f.event.object),
    NETWATCH_EVENT_DETAIL: escapeControl(f.event.detail),
    NETWATCH_EVENT_TIME: isoLocal(f.event.time),
    NETWATCH_ALERT_RULE: escapeControl(f.rule.text),
  };
}

export function runAlertCommand(
  argv: readonly string[],
  f: AlertFiring,
  warn: (message: string) => void,
  /** 'ignore' under the live view: a command's stderr would draw over the screen. */
  childStderr: 'inherit' | 'ignore' = 'inherit',
): void {
  if (argv.length === 0) return;
  if (running >= MAX_RUNNING) {
    warn(`--on-alert: ${MAX_RUNNING} commands still running; not started for ${f.rule.text}`);
    return;
  }
  running++;
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(argv[0]!, argv.slice(1), {
      env: alertEnv(f),
      stdio: ['pipe', 'ignore', childStderr],
      shell: false,
    });
  } catch (err) {
    running--;
    warn(`--on-alert: cannot run ${argv[0]}: ${(err as Error).message}`);
    return;
  }
  let started = true;
  child.once('error', (err) => {
    started = false;
    warn(`--on-alert: cannot run ${argv[0]}: ${err.message}`);
  });
  child.once('close', (code, signal) => {
    running--;
    if (!started) return;
    if (signal) warn(`--on-alert: ${argv[0]} was killed by ${signal} (${f.rule.text})`);
    else if (code !== 0) warn(`--on-alert: ${argv[0]} exited with status ${code} (${f.rule.text})`);
  });
  child.stdin?.on('error', () => {}); // a command that does not read its stdin is fine
  child.stdin?.end(`${eventJson(f.event, [f.rule.text])}\n`);
}

/**
 * The live view's record of what --on-alert's command did wrong: it cannot print a line over the screen,
 * so the status bar shows the latest trouble, with its time and how many there were, for a minute
 * (escaped there, with the bar's other items).
 */
export class AlertTroubles {
  private last: { message: string; wallMs: number } | undefined;
  private count = 0;

  constructor(private readonly keepMs = 60_000) {}

  add(message: string, wallMs: number): void {
    if (!this.last || wallMs - this.last.wallMs > this.keepMs) this.count = 0;
    this.last = { message, wallMs };
    this.count++;
  }

  /** The status bar's text, or undefined when nothing went wrong in the last minute. */
  note(nowMs: number): string | undefined {
    if (!this.last || nowMs - this.last.wallMs > this.keepMs) return undefined;
    const more = this.count > 1 ? ` (${this.count} in the last minute)` : '';
    return `${this.last.message} at ${formatClock(this.last.wallMs)}${more}`;
  }
}

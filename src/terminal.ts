// Whatever ends the process - a key, a signal, a crash - the user must get their terminal back:
// cursor visible, main screen, cooked mode. Ink 6 has no alternate-screen option, so we own both ends.
import { constants } from 'node:os';
import { inspect } from 'node:util';
import { cursorHide, cursorShow, enterAlternativeScreen, exitAlternativeScreen } from 'ansi-escapes';

/** The little of a writable stream we use. */
export interface TextSink {
  write(text: string): unknown;
}

/** The little of stdin we use: raw mode has to be switched off again. */
export interface InputLike {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** The little of `process` we use, so a test can drive it with an EventEmitter. */
export interface ProcessLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code?: number): unknown;
  stderr: TextSink;
}

export interface RestoreOptions {
  /** The stream enterFullscreen wrote to. */
  stdout: TextSink;
  /** Set back to cooked mode if it is a TTY. */
  stdin?: InputLike;
  /** Runs once, before the terminal is restored, when a signal, crash or exit ends the process
   * (not on a plain restore() call): unmount Ink here so its last frame lands on the alternate screen. */
  onExit?: () => void;
  /** Defaults to the real process. */
  proc?: ProcessLike;
}

export interface RestoreHandle {
  /** Show the cursor, leave the alternate screen, leave raw mode. Only the first call does anything. */
  restore(): void;
  /** Remove every process handler installed; does not restore. */
  dispose(): void;
}

export const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
export type HandledSignal = (typeof SIGNALS)[number];

/** Exit status of a process ended by `signal`, as a shell reports it (128 + signal number). */
export function signalExitCode(signal: HandledSignal): number {
  return 128 + constants.signals[signal];
}

/** Switch to the alternate screen and hide the cursor. Pair with installRestore. */
export function enterFullscreen(stdout: TextSink): void {
  stdout.write(enterAlternativeScreen + cursorHide);
}

/** The bytes that undo enterFullscreen, in the order they are written. */
export const RESTORE_SEQUENCE = cursorShow + exitAlternativeScreen;

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `Unhandled rejection: ${inspect(error)}`;
}

/**
 * Install handlers for SIGTERM, SIGHUP, SIGINT, 'exit', 'uncaughtException' and
 * 'unhandledRejection' that restore the terminal exactly once. Signals then exit with 128+signo;
 * errors print their stack to stderr after the main screen is back, then exit 1.
 */
export function installRestore(opts: RestoreOptions): RestoreHandle {
  const proc: ProcessLike = opts.proc ?? process;
  let restored = false;
  let ended = false;

  const restore = (): void => {
    if (restored) return;
    restored = true;
    // Best effort on every step: after SIGHUP the terminal may be gone, and a throw here would
    // skip the rest of the cleanup and the exit code.
    try {
      opts.stdout.write(RESTORE_SEQUENCE);
    } catch {}
    try {
      if (opts.stdin?.isTTY) opts.stdin.setRawMode?.(false);
    } catch {}
  };

  const end = (): void => {
    if (!ended) {
      ended = true;
      try {
        opts.onExit?.();
      } catch {}
    }
    restore();
  };

  const handlers: [string, (...args: unknown[]) => void][] = [];
  for (const signal of SIGNALS) {
    handlers.push([
      signal,
      () => {
        end();
        proc.exit(signalExitCode(signal));
      },
    ]);
  }
  const crash = (error: unknown): void => {
    end();
    try {
      proc.stderr.write(`${errorText(error)}\n`);
    } catch {}
    proc.exit(1);
  };
  handlers.push(['uncaughtException', crash], ['unhandledRejection', crash], ['exit', end]);

  for (const [event, handler] of handlers) proc.on(event, handler);
  return {
    restore,
    dispose() {
      for (const [event, handler] of handlers) proc.off(event, handler);
    },
  };
}

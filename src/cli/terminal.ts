// Whatever ends the process - a key, a signal, a crash - the user must get their terminal back:
// cursor visible, main screen, cooked mode. Ink 6 has no alternate-screen option, so we own both ends.
import { constants } from 'node:os';
import { inspect } from 'node:util';
import { cursorHide, cursorShow, enterAlternativeScreen, exitAlternativeScreen } from 'ansi-escapes';
import { escapeFrame, escapeText } from '../view/escape.js';

/** The little of a writable stream we use. */
export interface TextSink {
  write(text: string): unknown;
}

/** The little of stdin we use: raw mode has to be switched off again. */
export interface InputLike {
  isTTY?: boolean;
  /** Still true after setRawMode(false) when the tty refused (Node reports that as an 'error' event). */
  isRaw?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** The little of `process` we use, so a test can drive it with an EventEmitter. */
export interface ProcessLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code?: number): unknown;
  /** With pid, lets the process end by the signal it got (see installRestore). */
  kill?(pid: number, signal: string): unknown;
  pid?: number;
  removeAllListeners?(event: string): unknown;
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
  if (error instanceof Error) return escapeText(error.stack ?? `${error.name}: ${error.message}`);
  return escapeText(`Unhandled rejection: ${inspect(error)}`);
}

/**
 * `stdout` as Ink sees it, with every string it writes passed through escapeFrame: the rows escape each
 * field already, and this is the backstop that holds whatever a component renders (C1, DEL, the other C0
 * and the invisible set cannot come from Ink itself, whose own sequences are ESC, CR and LF).
 */
export function filteredStdout<T extends TextSink>(stdout: T): T {
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => unknown).call(
            target,
            typeof chunk === 'string' ? escapeFrame(chunk) : chunk,
            ...rest,
          );
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Install handlers for SIGTERM, SIGHUP, SIGINT, 'exit', 'uncaughtException' and
 * 'unhandledRejection' that restore the terminal exactly once. Signals then exit with 128+signo;
 * errors print their stack to stderr after the main screen is back, then exit 1.
 *
 * SIGHUP, an EIO error, or any signal once the terminal refused to leave raw mode, means the terminal is
 * gone (an SSH session dropped). Then the process ends by the signal itself (SIGHUP for the error), with its handlers removed, as a C program
 * re-raises it: Node's own exit path resets the tty it saw at start-up, and on Node 20 a failing
 * tcsetattr there is an assertion that aborts and segfaults (nodejs/node#51519, fixed in Node 24 by
 * #58200). The parent sees the same thing it would have for a program that never handled the signal.
 * exit(128 + signo) stays as the fallback for a process object that cannot signal itself.
 */
export function installRestore(opts: RestoreOptions): RestoreHandle {
  const proc: ProcessLike = opts.proc ?? process;
  let restored = false;
  let ended = false;
  let terminalGone = false;

  const restore = (): void => {
    if (restored) return;
    restored = true;
    // Best effort on every step: after SIGHUP the terminal may be gone, and a throw here would
    // skip the rest of the cleanup and the exit code.
    try {
      opts.stdout.write(RESTORE_SEQUENCE);
    } catch {}
    try {
      if (opts.stdin?.isTTY) {
        opts.stdin.setRawMode?.(false);
        if (opts.stdin.isRaw === true) terminalGone = true;
      }
    } catch {
      terminalGone = true; // EIO: the tty was hung up
    }
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
  const dispose = (): void => {
    for (const [event, handler] of handlers) proc.off(event, handler);
  };
  // The default action of `signal`, now that it has no listener: the process ends inside kill().
  const endBySignal = (signal: HandledSignal): void => {
    if (!proc.kill || proc.pid === undefined) return;
    dispose();
    // Others' listeners (Ink's signal-exit) would catch it again; the terminal is already restored.
    proc.removeAllListeners?.(signal);
    try {
      proc.kill(proc.pid, signal);
    } catch {}
  };
  for (const signal of SIGNALS) {
    handlers.push([
      signal,
      () => {
        end();
        if (signal === 'SIGHUP' || terminalGone) endBySignal(signal);
        proc.exit(signalExitCode(signal));
      },
    ]);
  }
  const crash = (error: unknown): void => {
    end();
    // Ink's next frame hit the hung-up tty (write EIO) before SIGHUP arrived: that is a hangup, not a bug
    // to report, and there is nowhere to report it.
    if (terminalGone || (error as { code?: unknown } | null)?.code === 'EIO') endBySignal('SIGHUP');
    try {
      proc.stderr.write(`${errorText(error)}\n`);
    } catch {}
    proc.exit(1);
  };
  handlers.push(['uncaughtException', crash], ['unhandledRejection', crash], ['exit', end]);

  for (const [event, handler] of handlers) proc.on(event, handler);
  return { restore, dispose };
}

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
  /** 'end' (EOF) and 'error' (EIO) on the terminal mean it is gone: the live view then ends. */
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
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
  /**
   * V8's CPU profiler (`node --cpu-prof`, `--prof`) samples with SIGPROF: a handler for it would end the
   * process at its first sample, so SIGPROF is left alone then. Defaults to what node's flags say.
   */
  profiling?: boolean;
}

/** Whether this node runs with V8's sampling profiler, which owns SIGPROF. */
export function underProfiler(execArgv: readonly string[] = process.execArgv): boolean {
  return execArgv.some((a) => /^--(cpu-prof|prof)(=|$|-)/.test(a));
}

export interface RestoreHandle {
  /** Show the cursor, leave the alternate screen, leave raw mode. Only the first call does anything. */
  restore(): void;
  /** Remove every process handler installed; does not restore. */
  dispose(): void;
}

/**
 * Every signal whose default action ends the process and that JavaScript can catch. SIGKILL and SIGSTOP
 * cannot be caught; SIGSEGV, SIGBUS, SIGFPE and SIGILL come from a fault in this thread, where no
 * JavaScript runs; SIGPIPE is ignored by Node and SIGUSR1 starts its inspector; SIGTRAP is a debugger's.
 */
export const TERMINATING = [
  'SIGTERM',
  'SIGHUP',
  'SIGINT',
  'SIGUSR2',
  'SIGALRM',
  'SIGVTALRM',
  'SIGPROF',
  'SIGPOLL',
  'SIGPWR',
  'SIGSTKFLT',
] as const;
/**
 * Of those, the ones whose default action also writes a core. netwatch restores the terminal and exits
 * with 128 + signo instead of re-raising: a core of a monitor's JavaScript heap (171 MB at 20,000
 * sockets) on a production disk helps nobody, and Ctrl-\ is how people quit a stuck program.
 */
export const CORE_DUMPING = ['SIGQUIT', 'SIGABRT', 'SIGXCPU', 'SIGXFSZ', 'SIGSYS'] as const;
export const SIGNALS = [...TERMINATING, ...CORE_DUMPING] as const;
export type HandledSignal = (typeof SIGNALS)[number];

/** Exit status of a process ended by `signal`, as a shell reports it (128 + signal number). */
export function signalExitCode(signal: HandledSignal): number {
  return 128 + (constants.signals as Record<string, number>)[signal]!;
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

/** What Ink is given as stdout, and a way to make it draw the whole frame again. */
export interface InkStdout<T> {
  readonly stream: T;
  /** Draw everything again (after a resume, the screen Ink drew on is gone). */
  redraw(): void;
}

/**
 * `stdout` as Ink sees it, with every string it writes passed through escapeFrame: the rows escape each
 * field already, and this is the backstop that holds whatever a component renders (C1, DEL, the other C0
 * and the invisible set cannot come from Ink itself, whose own sequences are ESC, CR and LF).
 * redraw() makes Ink believe the terminal narrowed by a column and widened again: Ink clears and draws
 * from scratch only when the width shrinks, and has no public call for it.
 */
export function inkStdout<T extends TextSink & { emit?: (event: string) => unknown }>(
  stdout: T,
): InkStdout<T> {
  let narrower = false;
  const stream = new Proxy(stdout, {
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
      if (prop === 'columns' && narrower && typeof value === 'number') return Math.max(1, value - 1);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    stream,
    redraw() {
      narrower = true;
      stdout.emit?.('resize');
      narrower = false;
      stdout.emit?.('resize');
    },
  };
}

/** `stdout` with the frame filter alone (see inkStdout). */
export function filteredStdout<T extends TextSink>(stdout: T): T {
  return inkStdout(stdout).stream;
}

/** The little of stdin job control needs. */
export interface SuspendableInput extends InputLike {
  read?(...args: unknown[]): unknown;
}

export interface JobControlOptions {
  stdout: TextSink;
  stdin: SuspendableInput;
  /** Defaults to the real process. */
  proc?: ProcessLike;
  /** After the process was continued: draw the whole frame again. */
  redraw: () => void;
}

export interface JobControl<I> {
  /** stdin as Ink should read it: Ctrl-Z (0x1a, a plain byte in raw mode) suspends instead of being a key. */
  readonly stdin: I;
  /** Give the terminal back, stop (as SIGTSTP's default does), and take it again when continued. */
  suspend(): void;
  dispose(): void;
}

/**
 * Ctrl-Z and SIGTSTP, as a shell user expects: the main screen and cooked mode come back while netwatch
 * is stopped, and on `fg` (SIGCONT) it enters the alternate screen and raw mode again and redraws.
 * Raw mode turns the terminal's ISIG off, so Ctrl-Z arrives as a byte, which the returned stdin takes
 * out of what Ink reads. Stopping is SIGTSTP's own default action, re-raised with our listener removed;
 * kill() returns when the process is continued (or at once, in an orphaned process group, where the
 * kernel discards it; then the terminal is simply taken again).
 */
export function installJobControl<I extends SuspendableInput>(
  opts: JobControlOptions & { stdin: I },
): JobControl<I> {
  const proc: ProcessLike = opts.proc ?? process;
  let suspending = false;
  const suspend = (): void => {
    if (suspending) return;
    suspending = true;
    try {
      try {
        opts.stdout.write(RESTORE_SEQUENCE);
        if (opts.stdin.isTTY) opts.stdin.setRawMode?.(false);
      } catch {}
      proc.off('SIGTSTP', onSignal);
      try {
        if (proc.kill && proc.pid !== undefined) proc.kill(proc.pid, 'SIGTSTP');
      } catch {}
      // Continued.
      proc.on('SIGTSTP', onSignal);
      try {
        enterFullscreen(opts.stdout);
        if (opts.stdin.isTTY) opts.stdin.setRawMode?.(true);
      } catch {}
      opts.redraw();
    } finally {
      suspending = false;
    }
  };
  const onSignal = (): void => suspend();
  proc.on('SIGTSTP', onSignal);
  const stdin = new Proxy(opts.stdin, {
    get(target, prop) {
      if (prop === 'read') {
        return (...args: unknown[]) => {
          const chunk = target.read?.(...args);
          if (typeof chunk !== 'string' || !chunk.includes('\x1a')) return chunk;
          setImmediate(suspend);
          return chunk.replaceAll('\x1a', '');
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { stdin, suspend, dispose: () => proc.off('SIGTSTP', onSignal) };
}

/**
 * Install handlers for every signal in SIGNALS, 'exit', 'uncaughtException' and 'unhandledRejection'
 * (and, when stdin is a TTY that can say so, its 'end' and EIO 'error') that restore the terminal
 * exactly once. Signals then exit with 128+signo; errors print their stack to stderr after the main
 * screen is back, then exit 1.
 *
 * SIGHUP, an EIO error, stdin's EOF, or any signal once the terminal refused to leave raw mode, means the
 * terminal is gone (an SSH session dropped, a tmux pane killed, SIGHUP ignored or not sent at all). Then
 * the process ends by the signal itself (SIGHUP for the others), with its handlers removed, as a C
 * program re-raises it: Node's own exit path resets the tty it saw at start-up, and on Node 20 a failing
 * tcsetattr there is an assertion that aborts and segfaults (nodejs/node#51519, fixed in Node 24 by
 * #58200). The parent sees the same thing it would have for a program that never handled the signal.
 * A core-dumping signal (CORE_DUMPING) exits 128 + signo instead of re-raising itself, so no core is
 * written. exit(128 + signo) stays as the fallback for a process object that cannot signal itself.
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
  const inputHandlers: (() => void)[] = [];
  const dispose = (): void => {
    for (const [event, handler] of handlers) proc.off(event, handler);
    for (const off of inputHandlers.splice(0)) off();
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
  const coreDumping = new Set<string>(CORE_DUMPING);
  const profiling = opts.profiling ?? underProfiler();
  for (const signal of SIGNALS) {
    if (signal === 'SIGPROF' && profiling) continue;
    handlers.push([
      signal,
      () => {
        end();
        // A core-dumping signal never re-raises itself (see CORE_DUMPING); on a gone terminal it ends as a
        // hangup, since Node's own exit path would crash on the tty.
        if (coreDumping.has(signal)) {
          if (terminalGone) endBySignal('SIGHUP');
        } else if (signal === 'SIGHUP' || terminalGone) endBySignal(signal);
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

  // The terminal went away without a SIGHUP reaching us (SIGHUP ignored where Node could not reset it,
  // or another session's tty): stdin reads EOF or EIO. End as if hung up, within the read that saw it.
  const hungUp = (): void => {
    terminalGone = true;
    end();
    endBySignal('SIGHUP');
    proc.exit(signalExitCode('SIGHUP'));
  };
  const inputError = (error: unknown): void => {
    if ((error as { code?: unknown } | null)?.code === 'EIO') hungUp();
    else crash(error);
  };
  if (opts.stdin?.isTTY && opts.stdin.on && opts.stdin.off) {
    const stdin = opts.stdin;
    stdin.on?.('end', hungUp);
    stdin.on?.('error', inputError);
    inputHandlers.push(
      () => stdin.off?.('end', hungUp),
      () => stdin.off?.('error', inputError),
    );
  }

  for (const [event, handler] of handlers) proc.on(event, handler);
  return { restore, dispose };
}

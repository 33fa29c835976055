import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  CORE_DUMPING,
  enterFullscreen,
  inkStdout,
  installJobControl,
  installRestore,
  type ProcessLike,
  RESTORE_SEQUENCE,
  SIGNALS,
  signalExitCode,
  underProfiler,
} from '../../src/cli/terminal.js';

const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';
const ENTER_ALT = '\x1b[?1049h';
const LEAVE_ALT = '\x1b[?1049l';
const HANDLED_EVENTS = ['SIGTERM', 'SIGHUP', 'SIGINT', 'uncaughtException', 'unhandledRejection', 'exit'];

/** A stream that remembers everything written to it, in order. */
function sink() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

// Everything the handlers do lands in one ordered log, so "restored before the stack was printed"
// is an assertion on positions.
function fakeProcess() {
  const log: string[] = [];
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const proc = Object.assign(emitter, {
    exit(code?: number) {
      exits.push(code ?? 0);
      log.push(`exit ${code}`);
    },
    stderr: {
      write(text: string) {
        log.push(`stderr ${text}`);
      },
    },
  }) satisfies ProcessLike;
  return { proc, exits, log };
}

function fakeStdin(isTTY: boolean, log: string[]) {
  return {
    isTTY,
    setRawMode(mode: boolean) {
      log.push(`raw ${mode}`);
    },
  };
}

function setup(isTTY = true) {
  const { proc, exits, log } = fakeProcess();
  const out = sink();
  out.stream.on('data', (chunk: Buffer) => log.push(`stdout ${chunk.toString('utf8')}`));
  const handle = installRestore({
    stdout: out.stream,
    stdin: fakeStdin(isTTY, log),
    proc,
    onExit: () => log.push('onExit'),
  });
  return { proc, exits, log, out, handle };
}

describe('enterFullscreen', () => {
  it('enters the alternate screen, then hides the cursor', () => {
    const out = sink();
    enterFullscreen(out.stream);
    expect(out.text()).toBe(ENTER_ALT + HIDE_CURSOR);
  });
});

describe('signalExitCode', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s exits with %i', (signal, code) => {
    expect(signalExitCode(signal)).toBe(code);
  });
});

describe('installRestore', () => {
  it('registers one handler for each event and removes them all on dispose', () => {
    const { proc, handle } = setup();
    for (const event of HANDLED_EVENTS) expect(proc.listenerCount(event)).toBe(1);
    handle.dispose();
    for (const event of HANDLED_EVENTS) expect(proc.listenerCount(event)).toBe(0);
  });

  it('restore() shows the cursor, leaves the alternate screen and raw mode, once', () => {
    const { handle, out, log, exits } = setup();
    handle.restore();
    handle.restore();
    expect(out.text()).toBe(SHOW_CURSOR + LEAVE_ALT);
    expect(RESTORE_SEQUENCE).toBe(SHOW_CURSOR + LEAVE_ALT);
    expect(log).toEqual([`stdout ${SHOW_CURSOR}${LEAVE_ALT}`, 'raw false']);
    expect(exits).toEqual([]);
  });

  it('leaves raw mode alone when stdin is not a TTY', () => {
    const { handle, log } = setup(false);
    handle.restore();
    expect(log).toEqual([`stdout ${SHOW_CURSOR}${LEAVE_ALT}`]);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s: onExit, restore, exit %i', (signal, code) => {
    const { proc, out, log, exits } = setup();
    proc.emit(signal, signal);
    expect(out.text()).toBe(SHOW_CURSOR + LEAVE_ALT);
    expect(exits).toEqual([code]);
    expect(log).toEqual(['onExit', `stdout ${SHOW_CURSOR}${LEAVE_ALT}`, 'raw false', `exit ${code}`]);
  });

  it('restores only once when a signal is followed by exit and a second signal', () => {
    const { proc, out, log, exits } = setup();
    proc.emit('SIGTERM', 'SIGTERM');
    proc.emit('exit', 143);
    proc.emit('SIGINT', 'SIGINT');
    expect(out.text()).toBe(SHOW_CURSOR + LEAVE_ALT);
    expect(log.filter((l) => l === 'onExit')).toHaveLength(1);
    expect(exits).toEqual([143, 130]);
  });

  it('exit: onExit and restore, without calling exit again', () => {
    const { proc, out, log, exits } = setup();
    proc.emit('exit', 0);
    expect(out.text()).toBe(SHOW_CURSOR + LEAVE_ALT);
    expect(log).toEqual(['onExit', `stdout ${SHOW_CURSOR}${LEAVE_ALT}`, 'raw false']);
    expect(exits).toEqual([]);
  });

  it('a plain restore() does not run onExit, but a later signal still does and exits', () => {
    const { proc, handle, out, log, exits } = setup();
    handle.restore();
    proc.emit('SIGHUP', 'SIGHUP');
    expect(out.text()).toBe(SHOW_CURSOR + LEAVE_ALT);
    expect(log).toEqual([`stdout ${SHOW_CURSOR}${LEAVE_ALT}`, 'raw false', 'onExit', 'exit 129']);
    expect(exits).toEqual([129]);
  });

  // A process that can signal itself; kill() is recorded (a real one would end there), with another
  // module's SIGHUP and SIGTERM listeners beside ours.
  function signallingProcess() {
    const { proc, exits, log } = fakeProcess();
    const other = () => log.push('other listener');
    proc.on('SIGHUP', other);
    proc.on('SIGTERM', other);
    const killable = Object.assign(proc, {
      pid: 4242,
      kill(pid: number, signal: string) {
        log.push(`kill ${pid} ${signal} (listeners ${proc.listenerCount(signal)})`);
      },
    });
    const handle = installRestore({ stdout: sink().stream, stdin: fakeStdin(true, log), proc: killable });
    return { proc: killable, exits, log, handle };
  }

  it('SIGHUP: restores, removes every listener, then ends by SIGHUP itself (exit only as a fallback)', () => {
    const { proc, log, exits } = signallingProcess();
    proc.emit('SIGHUP', 'SIGHUP');
    expect(log).toEqual(['other listener', 'raw false', 'kill 4242 SIGHUP (listeners 0)', 'exit 129']);
    expect(exits).toEqual([129]);
    // Ours are all gone, and so is anyone else's SIGHUP listener; another signal's listener stays.
    for (const event of HANDLED_EVENTS) expect(proc.listenerCount(event)).toBe(event === 'SIGTERM' ? 1 : 0);
  });

  it('SIGTERM with a working terminal exits 143 without signalling itself', () => {
    const { proc, log, exits } = signallingProcess();
    proc.emit('SIGTERM', 'SIGTERM');
    expect(log.some((l) => l.startsWith('kill'))).toBe(false);
    expect(exits).toEqual([143]);
  });

  it('SIGTERM after the terminal refused to leave raw mode ends by SIGTERM itself', () => {
    const { proc, exits, log } = fakeProcess();
    const killable = Object.assign(proc, {
      pid: 7,
      kill(pid: number, signal: string) {
        log.push(`kill ${pid} ${signal}`);
      },
    });
    installRestore({
      stdout: sink().stream,
      stdin: {
        isTTY: true,
        setRawMode() {
          throw Object.assign(new Error('setRawMode EIO'), { code: 'EIO' });
        },
      },
      proc: killable,
    });
    proc.emit('SIGTERM', 'SIGTERM');
    expect(log).toEqual(['kill 7 SIGTERM', 'exit 143']);
    expect(exits).toEqual([143]);
  });

  it('a write EIO (the tty hung up before SIGHUP came) ends by SIGHUP, not by exit 1', () => {
    const { proc, log, exits } = signallingProcess();
    proc.emit('uncaughtException', Object.assign(new Error('write EIO'), { code: 'EIO' }));
    expect(log.slice(0, 3)).toEqual([
      'raw false',
      'kill 4242 SIGHUP (listeners 0)',
      expect.stringMatching(/^stderr Error: write EIO/),
    ]);
    expect(exits).toEqual([1]); // only because the fake outlived its kill
  });

  it('a tty that stays raw after setRawMode(false) counts as gone: SIGINT then ends by SIGINT', () => {
    const { proc, log } = fakeProcess();
    const killable = Object.assign(proc, {
      pid: 9,
      kill(pid: number, signal: string) {
        log.push(`kill ${pid} ${signal}`);
      },
    });
    // Node reports a failed setRawMode as an 'error' event, not a throw; isRaw stays true.
    const stdin = { isTTY: true, isRaw: true, setRawMode: () => log.push('raw false (refused)') };
    installRestore({ stdout: sink().stream, stdin, proc: killable });
    proc.emit('SIGINT', 'SIGINT');
    expect(log).toEqual(['raw false (refused)', 'kill 9 SIGINT', 'exit 130']);
  });

  it('an ordinary error with a working terminal still prints and exits 1 without signalling', () => {
    const { proc, log, exits } = signallingProcess();
    proc.emit('uncaughtException', new Error('boom'));
    expect(log.some((l) => l.startsWith('kill'))).toBe(false);
    expect(exits).toEqual([1]);
  });

  it('uncaughtException: restores, then prints the stack to stderr, then exits 1', () => {
    const { proc, log, exits } = setup();
    const error = new Error('boom');
    proc.emit('uncaughtException', error, 'uncaughtException');
    expect(log).toEqual([
      'onExit',
      `stdout ${SHOW_CURSOR}${LEAVE_ALT}`,
      'raw false',
      `stderr ${error.stack}\n`,
      'exit 1',
    ]);
    expect(error.stack).toContain('boom');
    expect(exits).toEqual([1]);
  });

  it('unhandledRejection with an Error prints its stack after restoring, exits 1', () => {
    const { proc, log, exits } = setup();
    const error = new TypeError('bad promise');
    proc.emit('unhandledRejection', error, Promise.resolve());
    expect(log.indexOf(`stdout ${SHOW_CURSOR}${LEAVE_ALT}`)).toBeLessThan(
      log.indexOf(`stderr ${error.stack}\n`),
    );
    expect(exits).toEqual([1]);
  });

  it('unhandledRejection with a non-Error prints it inspected', () => {
    const { proc, log, exits } = setup();
    proc.emit('unhandledRejection', { code: 42 }, Promise.resolve());
    expect(log.at(-2)).toBe('stderr Unhandled rejection: { code: 42 }\n');
    expect(exits).toEqual([1]);
  });

  it('still restores and exits when onExit throws or stdout is gone', () => {
    const { proc, exits, log } = fakeProcess();
    const handle = installRestore({
      stdout: {
        write() {
          throw new Error('EIO');
        },
      },
      stdin: fakeStdin(true, log),
      proc,
      onExit: () => {
        throw new Error('unmount failed');
      },
    });
    proc.emit('SIGHUP', 'SIGHUP');
    expect(log).toEqual(['raw false', 'exit 129']);
    expect(exits).toEqual([129]);
    handle.dispose();
  });

  it('does nothing after dispose', () => {
    const { proc, handle, out, exits } = setup();
    handle.dispose();
    proc.emit('exit', 0);
    expect(out.text()).toBe('');
    expect(exits).toEqual([]);
  });

  it('defaults to the real process', () => {
    const before = HANDLED_EVENTS.map((e) => process.listenerCount(e));
    const handle = installRestore({ stdout: sink().stream });
    expect(HANDLED_EVENTS.map((e) => process.listenerCount(e))).toEqual(before.map((n) => n + 1));
    handle.dispose();
    expect(HANDLED_EVENTS.map((e) => process.listenerCount(e))).toEqual(before);
  });
});

describe('every signal whose default action ends the process', () => {
  it('has a handler, removed on dispose', () => {
    const { proc, handle } = setup();
    for (const signal of SIGNALS) expect(proc.listenerCount(signal), signal).toBe(1);
    expect(SIGNALS).toEqual(expect.arrayContaining(['SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGABRT']));
    handle.dispose();
    for (const signal of SIGNALS) expect(proc.listenerCount(signal)).toBe(0);
  });

  it("leaves SIGPROF to V8's profiler under node --cpu-prof (a handler ended the process at its first sample)", () => {
    const { proc } = fakeProcess();
    const handle = installRestore({ stdout: sink().stream, proc, profiling: true });
    expect(proc.listenerCount('SIGPROF')).toBe(0);
    expect(proc.listenerCount('SIGTERM')).toBe(1);
    handle.dispose();
    expect(underProfiler(['--cpu-prof', '--cpu-prof-dir', '/tmp/p'])).toBe(true);
    expect(underProfiler(['--prof'])).toBe(true);
    expect(underProfiler(['--cpu-prof-dir=/tmp/p', '--cpu-prof'])).toBe(true);
    expect(underProfiler(['--expose-gc', '--profile-deserialization'])).toBe(false);
  });

  it.each([
    ['SIGUSR2', 140],
    ['SIGALRM', 142],
    ['SIGQUIT', 131],
    ['SIGABRT', 134],
  ] as const)('%s: restores and exits %i', (signal, code) => {
    const { proc, out, exits } = setup();
    proc.emit(signal, signal);
    expect(out.text()).toBe(SHOW_CURSOR + LEAVE_ALT);
    expect(exits).toEqual([code]);
  });

  it('a core-dumping signal never re-raises itself (no core), even where a hangup would', () => {
    for (const signal of CORE_DUMPING) {
      const { proc, exits, log } = fakeProcess();
      const killable = Object.assign(proc, {
        pid: 5,
        kill(pid: number, sig: string) {
          log.push(`kill ${pid} ${sig}`);
        },
      });
      installRestore({ stdout: sink().stream, stdin: fakeStdin(true, log), proc: killable });
      proc.emit(signal, signal);
      expect(log.filter((l) => l.startsWith('kill'))).toEqual([]);
      expect(exits).toEqual([signalExitCode(signal)]);
    }
  });
});

describe('terminal loss without SIGHUP', () => {
  function withInput() {
    const { proc, exits, log } = fakeProcess();
    const killable = Object.assign(proc, {
      pid: 11,
      kill(pid: number, signal: string) {
        log.push(`kill ${pid} ${signal}`);
      },
    });
    const stdin = Object.assign(new EventEmitter(), fakeStdin(true, log));
    const handle = installRestore({
      stdout: sink().stream,
      stdin,
      proc: killable,
      onExit: () => log.push('onExit'),
    });
    return { stdin, exits, log, handle };
  }

  it('stdin EOF: restores and ends by SIGHUP', () => {
    const { stdin, log, exits } = withInput();
    stdin.emit('end');
    expect(log).toEqual(['onExit', 'raw false', 'kill 11 SIGHUP', 'exit 129']);
    expect(exits).toEqual([129]);
  });

  it('stdin EIO: the same', () => {
    const { stdin, log } = withInput();
    stdin.emit('error', Object.assign(new Error('read EIO'), { code: 'EIO' }));
    expect(log).toContain('kill 11 SIGHUP');
  });

  it('dispose removes the stdin listeners', () => {
    const { stdin, handle } = withInput();
    expect(stdin.listenerCount('end')).toBe(1);
    handle.dispose();
    expect(stdin.listenerCount('end')).toBe(0);
    expect(stdin.listenerCount('error')).toBe(0);
  });
});

describe('job control', () => {
  it('SIGTSTP: gives the terminal back, stops by SIGTSTP with no listener, then takes it again and redraws', () => {
    const { proc, log } = fakeProcess();
    const killable = Object.assign(proc, {
      pid: 21,
      kill(pid: number, signal: string) {
        log.push(`kill ${pid} ${signal} (listeners ${proc.listenerCount('SIGTSTP')})`);
      },
    });
    const out = sink();
    out.stream.on('data', (chunk: Buffer) => log.push(`stdout ${chunk.toString('utf8')}`));
    const jobs = installJobControl({
      stdout: out.stream,
      stdin: fakeStdin(true, log),
      proc: killable,
      redraw: () => log.push('redraw'),
    });
    proc.emit('SIGTSTP', 'SIGTSTP');
    expect(log).toEqual([
      `stdout ${SHOW_CURSOR}${LEAVE_ALT}`,
      'raw false',
      'kill 21 SIGTSTP (listeners 0)',
      `stdout ${ENTER_ALT}${HIDE_CURSOR}`,
      'raw true',
      'redraw',
    ]);
    expect(proc.listenerCount('SIGTSTP')).toBe(1);
    jobs.dispose();
    expect(proc.listenerCount('SIGTSTP')).toBe(0);
  });

  it('Ctrl-Z read from stdin is taken out of the keys and suspends', async () => {
    const { proc, log } = fakeProcess();
    const killable = Object.assign(proc, { pid: 22, kill: (_p: number, s: string) => log.push(`kill ${s}`) });
    const chunks = ['ab\x1acd', null];
    const stdin = { ...fakeStdin(true, log), read: () => chunks.shift() ?? null };
    const jobs = installJobControl({
      stdout: sink().stream,
      stdin,
      proc: killable,
      redraw: () => log.push('redraw'),
    });
    expect(jobs.stdin.read()).toBe('abcd');
    expect(jobs.stdin.read()).toBe(null);
    await new Promise((r) => setImmediate(r));
    expect(log).toContain('kill SIGTSTP');
    expect(log.at(-1)).toBe('redraw');
  });
});

describe('inkStdout', () => {
  it('filters what Ink writes and redraws by a narrower then the real width', () => {
    const written: string[] = [];
    const widths: number[] = [];
    const target = Object.assign(new EventEmitter(), { columns: 100, write: (t: string) => written.push(t) });
    const screen = inkStdout(target);
    target.on('resize', () => widths.push(screen.stream.columns));
    screen.stream.write('\x1b[1Aok\x9b\u202e');
    expect(written).toEqual(['\x1b[1Aok\\x9b\\u202e']);
    screen.redraw();
    expect(widths).toEqual([99, 100]);
    expect(screen.stream.columns).toBe(100);
  });
});

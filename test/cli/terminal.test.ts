import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  enterFullscreen,
  installRestore,
  type ProcessLike,
  RESTORE_SEQUENCE,
  signalExitCode,
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

// Starts the live view: alternate screen, sampler, store, Ink. Loaded with a dynamic import by main.ts,
// so Ink and React never load for --once. Written with createElement to keep JSX out of src/.
import chalk from 'chalk';
import { watch } from 'chokidar';
import { render } from 'ink';
import { createElement } from 'react';
import { App } from '../../components/App.js';
import { LiveStore } from '../model/livestore.js';
import { watchLinksFor } from '../sample/linkwatch.js';
import { NameResolver } from '../sample/names.js';
import { fdSocketsFor, nativeBinding, tcpDumpFor, tcpInfoUnavailableReason } from '../sample/native.js';
import type { HostReader } from '../sample/reader.js';
import { Sampler } from '../sample/sampler.js';
import { liveColourLevel, noColorRequested } from './colour.js';
import { ChurnCompaction, tuneHeapForLiveView } from './heap.js';
import { AlertTroubles, runAlertCommand } from './onalert.js';
import type { Options } from './options.js';
import {
  enterFullscreen,
  inkStdout,
  installJobControl,
  installRestore,
  RESTORE_SEQUENCE,
} from './terminal.js';

/** How long the watchdog lets JavaScript answer a signal before it ends the process itself. */
const WATCHDOG_GRACE_MS = 1000;

export async function runLive(o: Options, reader: HostReader): Promise<void> {
  tuneHeapForLiveView();
  const stdout = process.stdout;
  const noColor = noColorRequested(process.env);
  // Ink styles through chalk's shared instance: set its level before the first frame.
  chalk.level = liveColourLevel(chalk.level, process.env) as typeof chalk.level;
  const styled = chalk.level > 0;
  const sampler = new Sampler({
    reader,
    intervalMs: o.intervalMs,
    tcpDump: tcpDumpFor(reader.root, o.netlink),
    fdSockets: fdSocketsFor(reader.root, o.netlink),
  });
  const alertTroubles = new AlertTroubles();
  const store = new LiveStore(sampler, {
    onVanished: () => {
      if (o.bell) stdout.write('\x07');
    },
    alerts: o.alerts,
    // A rule that fires rings once (with --bell) and runs --on-alert's command, with the event as data.
    onAlerts: (firings) => {
      for (const f of firings) {
        if (o.bell) stdout.write('\x07');
        // Its stderr would draw over the screen (--events shows it); what went wrong goes to the status bar.
        if (o.onAlert) runAlertCommand(o.onAlert, f, (m) => alertTroubles.add(m, Date.now()), 'ignore');
      }
    },
  });
  const detach = store.attach();
  // Links, addresses and routes as the kernel reports them, between samples (a flap shorter than the
  // interval is still an event); the samples stay the truth.
  const unwatchLinks = watchLinksFor(reader.root, o.netlink, (notices) => store.notify(notices, Date.now()));
  const compaction = new ChurnCompaction();
  const unwatchChurn = sampler.subscribe(() => {
    const diff = sampler.getState()?.diff;
    if (diff) compaction.observe(diff.opened.length + diff.closed.length, diff.elapsedMs);
  });
  const names = new NameResolver(reader);
  // A monitor stays up for days: when an admin edits hosts, services or passwd, show the new names.
  // (/proc and /sys themselves send no file events, which is why the sampler polls.)
  const watcher = watch(
    ['etc/passwd', 'etc/hosts', 'etc/services', 'etc/protocols'].map((f) => reader.path(f)),
    { ignoreInitial: true, persistent: false },
  );
  watcher.on('all', () => {
    names.invalidate();
    sampler.users.invalidate();
  });
  watcher.on('error', () => {}); // names are a nicety; a watch that fails must not end the monitor

  enterFullscreen(stdout);
  let ink: ReturnType<typeof render> | undefined;
  // On a signal or crash: stop sampling and unmount Ink while still on the alternate screen, so Ink's
  // own exit handler does not draw a last frame onto the user's shell afterwards.
  const guard = installRestore({
    stdout,
    stdin: process.stdin,
    onExit: () => {
      sampler.stop();
      ink?.unmount();
    },
  });
  // SIGTERM, SIGHUP and SIGINT end the process within ~1 s even while this thread is busy: the helper's
  // watchdog (optional; chained after the listeners above, before Ink sets raw mode) restores and ends it.
  nativeBinding()?.watchdogArm?.(RESTORE_SEQUENCE, WATCHDOG_GRACE_MS);
  const screen = inkStdout(stdout);
  const jobs = installJobControl({ stdout, stdin: process.stdin, redraw: () => screen.redraw() });
  ink = render(
    createElement(App, {
      store,
      names,
      intervalMs: o.intervalMs,
      noColor,
      styled,
      root: process.getuid?.() === 0,
      tcpInfoNote: () => sampler.tcpDumpFailure || tcpInfoUnavailableReason(reader.root, o.netlink),
      alertNote: () => alertTroubles.note(Date.now()),
    }),
    {
      stdout: screen.stream,
      stdin: jobs.stdin,
      exitOnCtrlC: false, // Ctrl-C is a key in raw mode; the keymap quits on it and the terminal is restored
      patchConsole: false,
      maxFps: 30,
      incrementalRendering: true,
    },
  );
  // First frame first, then the first sample (it can take tens of ms on a busy host).
  setImmediate(() => {
    sampler.tick();
    sampler.start();
  });
  try {
    await ink.waitUntilExit();
  } finally {
    sampler.stop();
    unwatchLinks?.();
    detach();
    unwatchChurn();
    await watcher.close();
    jobs.dispose();
    guard.restore();
    guard.dispose();
  }
}

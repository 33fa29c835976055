// The streams for logs and scripts (issue 14):
//   netwatch --events [--json]        one line (or JSON object) per event as it happens, until SIGTERM,
//                                     SIGINT or a closed pipe; `| logger -t netwatch`, `| grep gone`
//   netwatch --json -c | --count N    one JSON object per sample (NDJSON), each with the counter deltas
//                                     and rates since the one before, so a script gets rates for free
// Both sample on the live schedule (--interval), and share the live view's store, so their events and
// alerts are the live view's.
import { diffSnapshots, type SnapshotDiff } from '../model/diff.js';
import type { NetEvent } from '../model/events.js';
import { LiveStore } from '../model/livestore.js';
import type { Snapshot } from '../model/types.js';
import { watchLinksFor } from '../sample/linkwatch.js';
import { fdSocketsFor, tcpDumpFor } from '../sample/native.js';
import type { HostReader } from '../sample/reader.js';
import { Sampler, SELECT_ALL } from '../sample/sampler.js';
import { escapeControl } from '../view/escape.js';
import { eventJson, eventLine } from './eventtext.js';
import { writeSnapshotJson } from './jsonout.js';
import { runAlertCommand } from './onalert.js';
import type { Options } from './options.js';

/** Resolves when SIGTERM or SIGINT arrives (and removes its handlers). */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/** What --on-alert's command did wrong (did not start, failed, too many running): one stderr line. */
function alertTrouble(message: string): void {
  process.stderr.write(`netwatch: ${escapeControl(message)}\n`);
}

function samplerFor(o: Options, reader: HostReader): Sampler {
  return new Sampler({
    reader,
    intervalMs: o.intervalMs,
    tcpDump: tcpDumpFor(reader.root, o.netlink),
    fdSockets: fdSocketsFor(reader.root, o.netlink),
    selection: SELECT_ALL,
  });
}

/**
 * `--events`: every event as it happens, a line each (flushed: stdout writes are synchronous for pipes
 * and files here), until SIGTERM/SIGINT, `--count` events, or a closed pipe (EPIPE ends the process in
 * main.ts).
 */
export async function runEvents(
  o: Options,
  reader: HostReader,
  write: (text: string) => void,
): Promise<void> {
  const sampler = samplerFor(o, reader);
  let written = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  // Alerts first, so an event an alert fired on is printed with the rule's name.
  const fired = new Map<number, string[]>();
  const store = new LiveStore(sampler, {
    alerts: o.alerts,
    onAlerts: (firings) => {
      for (const f of firings) {
        fired.set(f.event.id, [...(fired.get(f.event.id) ?? []), f.rule.text]);
        if (o.bell) write('\x07');
        if (o.onAlert) runAlertCommand(o.onAlert, f, alertTrouble);
      }
    },
    onEvents: (events) => {
      for (const e of events) {
        if (o.count !== undefined && written >= o.count) break;
        const rules = fired.get(e.id) ?? [];
        fired.delete(e.id);
        write(`${o.json ? eventJson(e, rules) : eventLine(e, rules)}\n`);
        if (++written === o.count) done();
      }
    },
  });
  const detach = store.attach();
  const unwatch = watchLinksFor(reader.root, o.netlink, (notices) => store.notify(notices, Date.now()));
  sampler.tick();
  sampler.start();
  try {
    await Promise.race([finished, untilStopped()]);
  } finally {
    sampler.stop();
    unwatch?.();
    detach();
  }
}

/** Counter deltas and rates since the previous sample: group → name → { delta, rate }, moved ones only. */
function counterChanges(diff: SnapshotDiff | undefined) {
  if (!diff) return undefined;
  const out: Record<string, Record<string, { delta: bigint; rate: number | undefined }>> = {};
  for (const [group, changes] of diff.counters)
    for (const [name, c] of changes) {
      if (c.delta === undefined || c.delta === 0n) continue;
      out[group] ??= {};
      out[group]![name] = { delta: c.delta, rate: c.rate };
    }
  return out;
}

function interfaceRates(diff: SnapshotDiff | undefined) {
  if (!diff) return undefined;
  const out: Record<string, Record<string, number | undefined>> = {};
  for (const i of diff.interfaces.values()) {
    const r = (
      f: 'rxBytes' | 'txBytes' | 'rxPackets' | 'txPackets' | 'rxErrs' | 'txErrs' | 'rxDrop' | 'txDrop',
    ) => i.counters.get(f)?.rate;
    out[i.name] = {
      rxBps: r('rxBytes'),
      txBps: r('txBytes'),
      rxPacketsPerSec: r('rxPackets'),
      txPacketsPerSec: r('txPackets'),
      errorsPerSec: (r('rxErrs') ?? 0) + (r('txErrs') ?? 0),
      dropsPerSec: (r('rxDrop') ?? 0) + (r('txDrop') ?? 0),
    };
  }
  return out;
}

/**
 * `--json -c`, `--json --count N`: one JSON object per sample on one line, the --json document plus
 * `intervalMs`, `counterDeltas` (what moved, with its rate) and `interfaceRates` since the previous sample
 * (absent on the first), and the events of that interval. `count` samples, or until stopped.
 */
export async function runJsonSamples(
  o: Options,
  reader: HostReader,
  write: (text: string) => void,
  count: number | undefined,
): Promise<void> {
  const sampler = samplerFor(o, reader);
  let pending: NetEvent[] = [];
  const store = new LiveStore(sampler, {
    alerts: o.alerts,
    onEvents: (events) => {
      pending = pending.concat(events);
    },
    onAlerts: (firings) => {
      for (const f of firings) if (o.onAlert) runAlertCommand(o.onAlert, f, alertTrouble);
    },
  });
  let previous: Snapshot | undefined;
  let written = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const detach = sampler.subscribe(() => {
    const state = sampler.getState();
    if (!state) return;
    store.ingest(state);
    const snapshot = state.snapshot;
    const diff = previous ? diffSnapshots(previous, snapshot) : undefined;
    previous = snapshot;
    const events = pending.map((e) => JSON.parse(eventJson(e)) as unknown);
    pending = [];
    const chunks: string[] = [];
    writeSnapshotJson(
      snapshot,
      o,
      (c) => chunks.push(c),
      {
        seq: state.seq,
        intervalMs: diff?.elapsedMs,
        counterDeltas: counterChanges(diff),
        interfaceRates: interfaceRates(diff),
        events,
      },
      0,
    );
    write(`${chunks.join('')}\n`);
    written++;
    if (count !== undefined && written >= count) done();
  });
  sampler.tick();
  sampler.start();
  try {
    await Promise.race([finished, untilStopped()]);
  } finally {
    sampler.stop();
    detach();
  }
}

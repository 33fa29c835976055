// Builds a LiveStore from given snapshots and renders <App> in a fake terminal of a given size, with
// key presses and a condition-polling wait. Snapshots come from fixture trees (a Collector per tree with an
// injected clock) or from test/helpers/snapshots.ts; the store is fed by hand, no timer runs.
import { createElement } from 'react';
import { App, type AppProps } from '../../components/App.js';
import { diffSnapshots } from '../../src/model/diff.js';
import { LiveStore, type LiveStoreOptions } from '../../src/model/livestore.js';
import type { Snapshot } from '../../src/model/types.js';
import { NameResolver } from '../../src/sample/names.js';
import { HostReader } from '../../src/sample/reader.js';
import { type Clock, Collector, Sampler, type SamplerState, SELECT_ALL } from '../../src/sample/sampler.js';
import { fixture } from './cli.js';
import { type Rendered, renderAt } from './render.js';

/** Wall clock of a fixture snapshot taken at monotonic `monoMs`. */
export const WALL_BASE = 1_700_000_000_000;

/** Keys as a terminal sends them (what ink-testing-library's stdin.write expects). */
export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  tab: '\t',
  shiftTab: '\u001B[Z',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

export function fixedClock(monoMs: number): Clock {
  return { mono: () => monoMs, wall: () => WALL_BASE + monoMs };
}

const collected = new Map<string, Snapshot>();

/** One snapshot of fixtures/NAME taken at `monoMs` (memoised: snapshots are immutable). */
export function fixtureSnapshot(name: string, monoMs = 0): Snapshot {
  const key = `${name}@${monoMs}`;
  let snap = collected.get(key);
  if (!snap) {
    snap = new Collector(new HostReader(fixture(name)), fixedClock(monoMs)).collect(SELECT_ALL);
    collected.set(key, snap);
  }
  return snap;
}

/** A LiveStore fed by hand: push() diffs against the previous snapshot and ingests, as the sampler would. */
export interface FedStore {
  readonly store: LiveStore;
  push(snapshot: Snapshot): SamplerState;
}

export function makeStore(snapshots: readonly Snapshot[] = [], opts: LiveStoreOptions = {}): FedStore {
  // The sampler is never attached or ticked; LiveStore only needs it for attach().
  const store = new LiveStore(new Sampler({ reader: new HostReader(fixture('live-t0')) }), opts);
  let prev: Snapshot | undefined;
  let seq = 0;
  const push = (snapshot: Snapshot): SamplerState => {
    seq += 1;
    const state = { snapshot, diff: prev ? diffSnapshots(prev, snapshot) : undefined, seq };
    prev = snapshot;
    store.ingest(state);
    return state;
  };
  for (const s of snapshots) push(s);
  return { store, push };
}

/** A reader that serves only the given files: lets a test give NameResolver an etc/hosts. */
class MemoryReader extends HostReader {
  constructor(private readonly files: Readonly<Record<string, string>>) {
    super('/nonexistent-netwatch-root');
  }

  override readText(rel: string): string | undefined {
    return this.files[rel];
  }
}

/** Names from the given etc/hosts and etc/services text (nothing else is read). */
export function namesFrom(files: { hosts?: string; services?: string }): NameResolver {
  const map: Record<string, string> = {};
  if (files.hosts !== undefined) map['etc/hosts'] = files.hosts;
  if (files.services !== undefined) map['etc/services'] = files.services;
  return new NameResolver(new MemoryReader(map));
}

const SGR = /\u001B\[[0-9;]*m/g;

/** The frame without colour / inverse codes. */
export function plain(frame: string): string {
  return frame.replace(SGR, '');
}

export interface AppHarness extends Rendered {
  readonly store: LiveStore;
  /** Feed the next sample to the store. */
  push(snapshot: Snapshot): SamplerState;
  /** Last frame, SGR codes stripped. */
  frame(): string;
  /** Last frame as written. */
  rawFrame(): string;
  /** Write keys one chunk each, as a person types them. */
  press(...keys: string[]): Promise<void>;
  /** Poll until `check(frame)` holds (at most `timeoutMs`); returns the plain frame. */
  until(check: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
}

export interface AppOptions extends Partial<Omit<AppProps, 'store'>> {
  columns?: number;
  rows?: number;
}

/** Poll `check` until it returns something other than undefined / false, bounded by `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  what: string,
  timeoutMs = 2000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    // Yield to the event loop (Ink's escape flush, React's passive effects), then look again.
    await new Promise((r) => setTimeout(r, 2));
  }
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** Render <App> over `fed` at columns × rows (80 × 24 by default) and wait until it takes keys. */
export async function renderApp(fed: FedStore, opts: AppOptions = {}): Promise<AppHarness> {
  const { columns = 80, rows = 24, ...props } = opts;
  const app = renderAt(
    createElement(App, {
      store: fed.store,
      names: props.names ?? new NameResolver(new HostReader(fixture('live-t0'))),
      intervalMs: props.intervalMs ?? 1000,
      noColor: props.noColor ?? false,
      styled: props.styled,
      root: props.root,
      initial: props.initial,
      onQuit: props.onQuit,
      tcpInfoNote: props.tcpInfoNote,
      alertNote: props.alertNote,
    }),
    { columns, rows },
  );
  const stdin = app.stdin as unknown as NodeJS.EventEmitter;
  // useInput subscribes in an effect; a key written before that would be lost.
  await waitFor(() => stdin.listenerCount('readable') > 0, 'the App to listen for keys');
  const rawFrame = () => app.lastFrame() ?? '';
  const frame = () => plain(rawFrame());
  return {
    ...app,
    store: fed.store,
    push: fed.push,
    frame,
    rawFrame,
    async press(...keys: string[]) {
      for (const k of keys) {
        app.stdin.write(k);
        // Ink holds a lone Esc until the next setImmediate to tell it from the start of a sequence; let it
        // go before the next key, or the two would be read as Alt+key.
        if (k === KEY.escape) await nextTurn();
      }
    },
    async until(check, what, timeoutMs = 2000) {
      try {
        return await waitFor(() => check(frame()) && frame(), what, timeoutMs);
      } catch (err) {
        throw new Error(`${(err as Error).message}; the frame was:\n${frame()}`);
      }
    },
  };
}

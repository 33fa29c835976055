// The CLI entry: owns process.stdout/stderr and exit codes. The live UI (Ink + React) is loaded with a
// dynamic import only when it is needed, so `--once` never pays for it.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { NameResolver } from '../sample/names.js';
import { fdSocketsFor, isLiveRoot, nativeBinding, tcpDumpFor } from '../sample/native.js';
import { ownersFromPairs } from '../sample/owners.js';
import { decodeOwners, type OwnersMessage } from '../sample/ownerswire.js';
import { HostReader } from '../sample/reader.js';
import { Collector } from '../sample/sampler.js';
import { escapeControl, escapeText } from '../view/escape.js';
import { prepareLiveEnv } from './colour.js';
import { tuneHeapForOneShot } from './heap.js';
import { writeSnapshotJson } from './jsonout.js';
import { jsonSelection, nameFailures, runListings } from './once.js';
import { type Options, parseOptions } from './options.js';
import { VERSION } from './version.js';

// Every byte this process writes goes through one of these two (or, for the live view, through the frame
// filter in live.ts): whatever a renderer forgot to escape, no control or invisible character from the host
// or the command line reaches the terminal raw (src/view/escape.ts).
function out(text: string): void {
  process.stdout.write(escapeText(text));
}

/** One `netwatch: ...` line on stderr: newlines inside `message` are escaped too, so it stays one line. */
function warn(message: string): void {
  process.stderr.write(`netwatch: ${escapeControl(message)}\n`);
}

function writeAndExit(stream: NodeJS.WriteStream, text: string, code: number): void {
  if (text) stream.write(escapeText(text.endsWith('\n') ? text : `${text}\n`));
  process.exitCode = code;
}

/**
 * Start the owner scan on the second core (dist/ownersworker.js). Resolves to undefined when no worker can
 * run (running from the TypeScript sources, or the worker failed): the caller then scans in this thread.
 */
function ownersInWorker(root: string): Promise<OwnersMessage | undefined> {
  const url = new URL('../sample/ownersworker.js', import.meta.url);
  if (!existsSync(url)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData: { netwatchOwners: true, root } });
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (m: { ok: boolean; message?: OwnersMessage }) =>
      resolve(m.ok ? m.message : undefined),
    );
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}

/**
 * The owner scan, off this thread: in C on a libuv thread when the native helper is built (on the live
 * host), else in a worker. Resolves to undefined when neither can run; the caller then scans here.
 */
async function ownersElsewhere(
  o: Options,
  reader: HostReader,
  collector: Collector,
): Promise<OwnersMessage | undefined> {
  const binding = o.netlink && isLiveRoot(reader.root) ? nativeBinding() : undefined;
  if (!binding) return ownersInWorker(reader.root);
  let scan: Awaited<ReturnType<typeof binding.socketOwners>>;
  try {
    scan = await binding.socketOwners(reader.path('proc'));
  } catch {
    return ownersInWorker(reader.root);
  }
  return ownersFromPairs(reader, collector.users, scan);
}

async function runOnce(o: Options, reader: HostReader): Promise<void> {
  // The text tables show no TCP tail, and -o's retransmit and probe counts need tcp_info: skip it otherwise.
  const tcpDump = tcpDumpFor(reader.root, o.netlink, o.json || o.timers);
  const collector = new Collector(reader, undefined, false, tcpDump, fdSocketsFor(reader.root, o.netlink));
  const names = new NameResolver(reader);
  if (!o.json) {
    process.exitCode = await runListings(o, reader, collector, names, {
      write: ({ fd, text }) => (fd === 1 ? out(text) : process.stderr.write(escapeText(text))),
      scanOwners: async () => {
        const message = await ownersElsewhere(o, reader, collector);
        return message && { owners: decodeOwners(message), stats: message.stats };
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    return;
  }
  const selection = jsonSelection(o);
  // The owner scan and reading the tables each take about half the time: run them side by side.
  const pending = ownersElsewhere(o, reader, collector);
  let snapshot = collector.collect({ ...selection, owners: false });
  const message = await pending;
  if (message) {
    // Every socket any process holds, a superset of this snapshot's: lookups by inode need no more.
    snapshot = { ...snapshot, owners: decodeOwners(message), ownerStats: message.stats };
  } else {
    snapshot = collector.collect(selection);
  }
  for (const w of snapshot.warnings) warn(w);
  for (const [file, n] of snapshot.skippedLines) {
    warn(`${file}: skipped ${n} malformed line${n === 1 ? '' : 's'}`);
  }
  writeSnapshotJson(snapshot, o, out);
  out('\n');
  for (const w of nameFailures(collector, names, snapshot.warnings)) warn(w);
}

async function runExporter(
  reader: HostReader,
  address: NonNullable<Options['exporter']>,
  o: Options,
): Promise<void> {
  // prom-client is only loaded here, so --once and the live view do not pay for it.
  const { startExporter } = await import('./exporter.js');
  const exporter = await startExporter(reader, address, {
    netlink: o.netlink,
    owners: o.exporterOwners ?? true,
  });
  warn(`serving metrics at ${exporter.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await exporter.close();
}

/** True once the live view runs: its terminal handling (src/cli/terminal.ts) owns write errors then. */
let live = false;

async function main(argv: string[]): Promise<void> {
  // `netwatch --once | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    // The live view's EIO is a hung-up terminal: terminal.ts restores and ends by SIGHUP (an exit() here
    // would run into Node 20's tty reset and segfault).
    if (live) throw err;
    warn(`cannot write to stdout: ${err.message}`);
    process.exit(1);
  });
  const parsed = parseOptions(argv, VERSION);
  if (parsed.kind === 'exit') {
    if (parsed.stdout) writeAndExit(process.stdout, parsed.stdout, parsed.code);
    if (parsed.stderr) writeAndExit(process.stderr, parsed.stderr, parsed.code);
    process.exitCode = parsed.code;
    return;
  }
  const o = parsed.options;
  const reader = new HostReader(o.root);
  if (!reader.hasProc()) {
    warn(`${reader.path('proc')} is not a directory: is --root ${o.root} a host root?`);
    process.exitCode = 1;
    return;
  }
  if (o.exporter) {
    await runExporter(reader, o.exporter, o);
    return;
  }
  if (o.events || (o.json && (o.continuous || o.count !== undefined))) {
    // Streams for logs and scripts (src/cli/stream.ts): they end on SIGTERM/SIGINT, --count, or a closed
    // pipe (EPIPE above).
    const { runEvents, runJsonSamples } = await import('./stream.js');
    if (o.events) await runEvents(o, reader, out);
    else await runJsonSamples(o, reader, out, o.count);
    return;
  }
  // -c is netstat's continuous listing, on a terminal too.
  if (o.once || o.continuous || !process.stdout.isTTY || !process.stdin.isTTY) {
    tuneHeapForOneShot(); // no mark-compact for a heap that is printed and dropped (src/cli/heap.ts)
    await runOnce(o, reader);
    // All is written: stdout and stderr are synchronous on Linux for files, pipes and terminals, and nothing
    // is queued. Leave now instead of letting Node take the heap apart (~10 ms at 20,000 sockets).
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
    return;
  }
  // We are on a terminal, so the live view must draw frames, in colour (src/cli/colour.ts).
  prepareLiveEnv(process.env);
  const { runLive } = await import('./live.js');
  live = true;
  await runLive(o, reader);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // One line, never a stack trace (NETWATCH_DEBUG=1 shows it, for a bug report).
  const debug = process.env.NETWATCH_DEBUG === '1' && err instanceof Error && err.stack;
  if (debug) process.stderr.write(`${escapeText(debug)}\n`);
  else warn(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});

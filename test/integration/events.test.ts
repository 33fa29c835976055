// `netwatch --events --json` against real changes: a listener on 127.0.0.1 killed and started again on the
// same port within one interval is one `listener-restarted` event with both pids; in a network namespace
// this test makes (and deletes), a veth link set down and up, and a route added and removed there, are
// events too. Nothing is sent to any address.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/children.js';
import { BIN } from '../helpers/cli.js';

interface Ev {
  kind: string;
  object: string;
  detail: string;
  source: string;
}

/** netwatch --events --json under `prefix` (e.g. ip netns exec NS), collecting what it prints. */
function events(
  prefix: string[] = [],
  extra: string[] = [],
): { child: ChildProcess; seen: Ev[]; stop: () => Promise<void> } {
  const [cmd, ...args] = [
    ...prefix,
    process.execPath,
    BIN,
    '--events',
    '--json',
    '--interval',
    '0.5',
    ...extra,
  ];
  const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const seen: Ev[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line) seen.push(JSON.parse(line) as Ev);
      nl = buf.indexOf('\n');
    }
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return { child, seen, stop };
}

const LISTEN = `import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(8)
print(s.getsockname()[1], flush=True); time.sleep(120)`;

function listener(port: number): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', LISTEN, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.once('data', (d: Buffer) => resolve({ child, port: Number(d.toString().trim()) }));
    child.once('error', reject);
  });
}

const kill = (c: ChildProcess) =>
  new Promise<void>((done) => {
    if (c.exitCode !== null || c.signalCode !== null) return done();
    c.once('exit', () => done());
    c.kill('SIGKILL');
  });

/**
 * Waits until the stream reports a change made after it started, so the changes a test makes next are not
 * taken into its first sample (the baseline, which no event describes). `probe(i)` makes a change and
 * returns the event that shows it; a change made before the first sample shows nothing, so it is made
 * again, up to 20 times (1.5 s each), rather than waited on for a guessed time.
 */
async function ready(
  stream: ReturnType<typeof events>,
  probe: (i: number) => Promise<{ match: (e: Ev) => boolean; undo?: () => Promise<void> }>,
): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const { match, undo } = await probe(i);
    const deadline = Date.now() + 1_500;
    while (Date.now() < deadline && !stream.seen.some(match)) await new Promise((r) => setTimeout(r, 50));
    await undo?.();
    if (stream.seen.some(match)) return;
  }
  throw new Error('the event stream never reported a change');
}

describe('--events --json on the live host', () => {
  it('a listener killed and started again within one interval: listener-restarted with both pids', async () => {
    const stream = events();
    let first: { child: ChildProcess; port: number } | undefined;
    try {
      // The listener must be news to the stream: started after its first sample.
      await ready(stream, async () => {
        if (first) await kill(first.child);
        const l = await listener(0);
        first = l;
        return { match: (e) => e.kind === 'listener-new' && e.object === `tcp 127.0.0.1:${l.port}` };
      });
      const { port, child: original } = first!;
      const before = original.pid!;
      await kill(original);
      const second = await listener(port);
      try {
        const restart = await waitFor(
          () =>
            stream.seen.find((e) => e.kind === 'listener-restarted' && e.object === `tcp 127.0.0.1:${port}`),
          10_000,
          'the restart event',
        );
        expect(restart.detail).toMatch(new RegExp(`^pid ${before} → ${second.child.pid}(, down [\\d.]+s)?$`));
      } finally {
        await kill(second.child);
      }
    } finally {
      if (first) await kill(first.child);
      await stream.stop();
    }
  }, 60_000);
});

const NS = `nwtest-${process.pid}`;
const canNetns = (() => {
  if (process.getuid?.() !== 0) return false;
  return (
    spawnSync('ip', ['netns', 'add', `${NS}-probe`]).status === 0 &&
    spawnSync('ip', ['netns', 'del', `${NS}-probe`]).status === 0
  );
})();
const ns = (...args: string[]) => execFileSync('ip', ['netns', 'exec', NS, ...args], { stdio: 'pipe' });

describe.runIf(canNetns)('--events --json in a network namespace of its own', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
    ns('ip', 'link', 'add', 'nwa', 'type', 'veth', 'peer', 'name', 'nwb');
    ns('ip', 'link', 'set', 'nwb', 'up');
    ns('ip', 'link', 'set', 'nwa', 'up');
    ns('ip', 'addr', 'add', '10.201.0.1/24', 'dev', 'nwa');
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  it('a link set down and up, and a route added and removed there, are events', async () => {
    const stream = events(['ip', 'netns', 'exec', NS]);
    try {
      await ready(stream, async (i) => {
        ns('ip', 'link', 'add', `nwp${i}`, 'type', 'veth', 'peer', 'name', `nwq${i}`);
        return {
          match: (e) => e.kind === 'iface-new' && e.object === `nwp${i}`,
          undo: async () => {
            ns('ip', 'link', 'del', `nwp${i}`);
          },
        };
      });
      ns('ip', 'link', 'set', 'nwa', 'down');
      await waitFor(
        () => stream.seen.find((e) => e.kind === 'iface-down' && e.object === 'nwa'),
        10_000,
        'down',
      );
      ns('ip', 'link', 'set', 'nwa', 'up');
      await waitFor(() => stream.seen.find((e) => e.kind === 'iface-up' && e.object === 'nwa'), 10_000, 'up');
      ns('ip', 'route', 'add', '10.202.0.0/16', 'via', '10.201.0.2', 'dev', 'nwa');
      const added = await waitFor(
        () => stream.seen.find((e) => e.kind === 'route-added' && e.object.startsWith('10.202.0.0/16')),
        10_000,
        'the route added',
      );
      expect(added.detail).toContain('via 10.201.0.2');
      ns('ip', 'route', 'del', '10.202.0.0/16');
      await waitFor(
        () => stream.seen.find((e) => e.kind === 'route-removed' && e.object.startsWith('10.202.0.0/16')),
        10_000,
        'the route removed',
      );
      // Each change once, whether the kernel's notice or the next sample saw it first.
      expect(stream.seen.filter((e) => e.kind === 'iface-down' && e.object === 'nwa')).toHaveLength(1);
    } finally {
      await stream.stop();
    }
  }, 60_000);
});

describe('--count and the NDJSON sample stream', () => {
  it('--json --count 3: three JSON objects, one a line, the later ones with counter deltas and rates', () => {
    const r = spawnSync(process.execPath, [BIN, '--json', '--count', '3', '--interval', '0.2'], {
      maxBuffer: 256 * 1024 * 1024, // a busy host's sockets: three documents can be megabytes
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(docs[0]!.intervalMs).toBeUndefined();
    expect(docs[2]!.intervalMs).toBeGreaterThan(100);
    expect(Array.isArray(docs[1]!.sockets)).toBe(true);
    expect(docs[2]!.interfaceRates).toHaveProperty('lo');
    expect(docs.map((d) => d.seq)).toEqual([...docs.map((d) => d.seq)].sort((a, b) => Number(a) - Number(b)));
  });

  it('--events --count 1 ends after the first event', async () => {
    const counted = events([], ['--count', '1']);
    const exited = new Promise<number | null>((done) => counted.child.once('exit', (code) => done(code)));
    let probe: { child: ChildProcess; port: number } | undefined;
    try {
      // Listeners come and go until the stream has seen one: then it has printed its one event.
      await ready(counted, async () => {
        if (probe) await kill(probe.child);
        const l = await listener(0);
        probe = l;
        return { match: () => true };
      });
      const code = await Promise.race([
        exited,
        new Promise<'running'>((done) => setTimeout(() => done('running'), 15_000)),
      ]);
      expect(code).toBe(0);
      expect(counted.seen).toHaveLength(1);
    } finally {
      if (probe) await kill(probe.child);
      await counted.stop();
    }
  }, 60_000);
});

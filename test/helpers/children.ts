// Child processes that hold real loopback sockets for integration and end-to-end tests.
// Loopback only (127.0.0.1 and ::1); every child is killed by stop(), and by the exit hook if a test dies.
import { type ChildProcess, spawn } from 'node:child_process';

export interface SocketChild {
  readonly pid: number;
  /** Ports the child bound: TCP listeners on 127.0.0.1 and ::1, UDP sockets, and the client side ports. */
  readonly ports: {
    tcp4: number;
    tcp6: number;
    udp4: number;
    udp6: number;
    client4: number;
    client6: number;
  };
  stop(): Promise<void>;
}

const CHILD_SOURCE = `
const net = require('node:net');
const dgram = require('node:dgram');
const listen = (host) => new Promise((res) => { const s = net.createServer(() => {}); s.listen(0, host, () => res(s)); });
const connect = (port, host) => new Promise((res) => { const c = net.connect(port, host, () => res(c)); });
const bind = (type, host) => new Promise((res) => { const s = dgram.createSocket(type); s.bind(0, host, () => res(s)); });
(async () => {
  const t4 = await listen('127.0.0.1');
  const t6 = await listen('::1');
  const c4 = await connect(t4.address().port, '127.0.0.1');
  const c6 = await connect(t6.address().port, '::1');
  const u4 = await bind('udp4', '127.0.0.1');
  const u6 = await bind('udp6', '::1');
  process.stdout.write(JSON.stringify({
    tcp4: t4.address().port, tcp6: t6.address().port, udp4: u4.address().port, udp6: u6.address().port,
    client4: c4.localPort, client6: c6.localPort,
  }) + '\\n');
})();
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export function startSocketChild(): Promise<SocketChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD_SOURCE], { stdio: ['pipe', 'pipe', 'inherit'] });
    live.add(child);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      resolve({
        pid: child.pid!,
        ports: JSON.parse(out.slice(0, nl)),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => {
              live.delete(child);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`socket child exited early with ${code}`));
    });
  });
}

/** Poll `check` until it returns a value other than undefined, or fail after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

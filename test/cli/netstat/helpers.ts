// A NameResolver and NetstatHost over an in-memory tree, for the netstat renderers' tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Ipv4Address, LinkInfo } from '../../../src/cli/netstat/interfaces.js';
import type { NetstatHost } from '../../../src/cli/netstat/run.js';
import { type Options, parseOptions } from '../../../src/cli/options.js';
import { NameResolver } from '../../../src/sample/names.js';
import { HostReader } from '../../../src/sample/reader.js';

// Resolvers read their files lazily, so the trees live as long as the test process.
const dirs: string[] = [];
process.on('exit', () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A host root holding `files` (path → text). */
export function tree(files: Record<string, string>): HostReader {
  const root = mkdtempSync(join(tmpdir(), 'nw-netstat-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return new HostReader(root);
}

export function names(files: Record<string, string> = {}): NameResolver {
  return new NameResolver(tree(files));
}

export function options(...argv: string[]): Options {
  const r = parseOptions(['--once', ...argv]);
  if (r.kind !== 'ok') throw new Error(`bad options ${argv.join(' ')}: ${r.stderr}`);
  return r.options;
}

/** A NetstatHost whose files are `files` (missing ones do not exist). */
export function host(
  files: Record<string, string> = {},
  extra: {
    ipv4?: Ipv4Address[];
    link?: Record<string, LinkInfo>;
    users?: Record<number, string>;
    euid?: number;
  } = {},
): NetstatHost {
  const reader = tree(files);
  return {
    readText: (rel) => files[rel],
    exists: (rel) => rel in files || Object.keys(files).some((f) => f.startsWith(`${rel}/`)),
    names: new NameResolver(reader),
    userOf: (uid) => extra.users?.[uid],
    ipv4Addresses: async () => extra.ipv4 ?? [],
    linkInfo: (iface) => extra.link?.[iface] ?? {},
    euid: extra.euid ?? 0,
  };
}

/** The /proc/net files whose presence the socket listing checks. */
export const PROC_NET = Object.fromEntries(
  [
    'tcp',
    'tcp6',
    'udp',
    'udp6',
    'udplite',
    'udplite6',
    'raw',
    'raw6',
    'unix',
    'igmp',
    'igmp6',
    'route',
    'ipv6_route',
    'rt_cache',
  ].map((f) => [`proc/net/${f}`, '']),
);

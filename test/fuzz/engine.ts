// The fuzzer's engine (issue 12): seeded mutations of the fixture trees, and every one-shot mode run on
// each mutated tree in this process. test/fuzz/fuzz.test.ts runs it in CI; scripts/fuzz.mjs runs more.
//
// Left out on purpose, because they belong to the sampling side (issue 16, the reader's bounds): FIFOs,
// devices and sockets in place of files, symlinks that leave the tree or loop, directories where files
// belong, unreadable files. Those need the real reader and a real tree; this engine serves a tree from
// memory so that 2,000 trees take seconds, not minutes. The binary is run on a sample of the same trees
// written to disk (fuzz-binary.test.ts), through the real reader.
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { writeSnapshotJson } from '../../src/cli/jsonout.js';
import { netstatFlags } from '../../src/cli/netstat/flags.js';
import { prepareNetstat } from '../../src/cli/netstat/run.js';
import { netstatHost } from '../../src/cli/once.js';
import { type Options, parseOptions } from '../../src/cli/options.js';
import type { InetProto } from '../../src/model/types.js';
import { parseConntrack } from '../../src/proc/conntrack.js';
import { parseDev } from '../../src/proc/dev.js';
import { parseIgmp, parseIgmp6 } from '../../src/proc/igmp.js';
import { parseInet } from '../../src/proc/inet.js';
import { parseIpv6Route } from '../../src/proc/ipv6route.js';
import { parseRoute } from '../../src/proc/route.js';
import { parseKeyValuePairs } from '../../src/proc/snmp.js';
import { parseSnmp6 } from '../../src/proc/snmp6.js';
import { parseSockstat } from '../../src/proc/sockstat.js';
import { parseUnix } from '../../src/proc/unix.js';
import { NameResolver } from '../../src/sample/names.js';
import { HostReader } from '../../src/sample/reader.js';
import { Collector, SELECT_ALL } from '../../src/sample/sampler.js';
import { escapeControl, escapeText } from '../../src/view/escape.js';
import { fixture } from '../helpers/cli.js';
import { HOSTILE_CHARS, rawUnsafe } from '../helpers/hostile.js';
import { rng } from '../helpers/random.js';

export type Entry = { kind: 'file'; data: Buffer } | { kind: 'link'; target: string };
/** A host root in memory: relative path → file or symlink. Directories are implied. */
export type Tree = Map<string, Entry>;

export const FIXTURES = [
  'live-t0',
  'live-t1',
  'edge-counters',
  'edge-hostile',
  'edge-net',
  'edge-sockets',
  'edge-sockets-broken',
];

/** The socket tables of the captured trees are cut to this many lines: the parsers see every kind of row, at a cost of ms a tree. */
const MAX_TABLE_LINES = 120;
const TABLES = /^proc\/net\/(tcp6?|udp6?|udplite6?|raw6?|unix)$/;

const loaded = new Map<string, Tree>();

/** fixtures/NAME as a Tree (memoised; callers copy before mutating). */
export function loadTree(name: string): Tree {
  const cached = loaded.get(name);
  if (cached) return cached;
  const tree: Tree = new Map();
  const root = fixture(name);
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isSymbolicLink())
        tree.set(path, { kind: 'link', target: readlinkSync(join(root, path)) });
      else if (entry.isFile()) {
        let data = readFileSync(join(root, path));
        if (TABLES.test(path)) {
          const lines = data.toString('latin1').split('\n');
          if (lines.length > MAX_TABLE_LINES)
            data = Buffer.from(lines.slice(0, MAX_TABLE_LINES).join('\n'), 'latin1');
        }
        tree.set(path, { kind: 'file', data });
      }
    }
  };
  walk('');
  loaded.set(name, tree);
  return tree;
}

export interface MutationLimits {
  /** Longest line a mutation may insert (bytes). */
  longLine: number;
}

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Random, n: number) => Math.floor(r() * n);

const NUMBERS = [
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999999999',
  '-1',
  '-9223372036854775808',
  '9007199254740993',
  '0',
  '00000000',
  'FFFFFFFF',
  'ffffffffffffffffffffffffffffffff',
  'NaN',
  '1e308',
  '0x10',
  '-0',
  '',
];
const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80], // a surrogate encoded in UTF-8
  [0xe2, 0x80], // cut short
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0x80, 0x80, 0x80],
];

function splice(data: Buffer, at: number, remove: number, insert: Buffer): Buffer {
  return Buffer.concat([data.subarray(0, at), insert, data.subarray(Math.min(data.length, at + remove))]);
}

/** Byte offsets of line starts. */
function lineStarts(data: Buffer): number[] {
  const starts = [0];
  for (let i = data.indexOf(10); i >= 0 && i + 1 < data.length; i = data.indexOf(10, i + 1))
    starts.push(i + 1);
  return starts;
}

function randomLine(data: Buffer, r: Random): [start: number, end: number] {
  const starts = lineStarts(data);
  const i = int(r, starts.length);
  const start = starts[i]!;
  const end = i + 1 < starts.length ? starts[i + 1]! - 1 : data.length;
  return [start, end];
}

/** Token spans (non-space runs) of a line. */
function tokens(line: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push([m.index, m.index + m[0].length]);
  return out;
}

const MUTATIONS: ((data: Buffer, r: Random, limits: MutationLimits) => Buffer | undefined)[] = [
  // truncate
  (d, r) => d.subarray(0, int(r, d.length + 1)),
  // random bytes
  (d, r) =>
    splice(
      d,
      int(r, d.length + 1),
      0,
      Buffer.from(Array.from({ length: 1 + int(r, 64) }, () => int(r, 256))),
    ),
  // NUL bytes
  (d, r) => splice(d, int(r, d.length + 1), int(r, 3), Buffer.alloc(1 + int(r, 8))),
  // a number token replaced by a huge, negative or not-a-number one
  (d, r) => {
    const [start, end] = randomLine(d, r);
    const line = d.subarray(start, end).toString('latin1');
    const spans = tokens(line);
    if (spans.length === 0) return undefined;
    const [a, b] = pick(r, spans);
    const number = pick(r, NUMBERS);
    const keepColon = line.slice(a, b).includes(':') && r() < 0.5;
    const text = keepColon ? `${number}:${pick(r, NUMBERS)}` : number;
    return splice(d, start + a, b - a, Buffer.from(text, 'latin1'));
  },
  // a line repeated
  (d, r) => {
    const [start, end] = randomLine(d, r);
    const line = Buffer.concat([d.subarray(start, end), Buffer.from('\n')]);
    return splice(d, Math.min(end + 1, d.length), 0, Buffer.concat(Array(1 + int(r, 50)).fill(line)));
  },
  // a long line
  (d, r, limits) => {
    const n = 1024 + int(r, limits.longLine);
    const fill = pick(r, ['A', '0', ' ', ':', 'é', '\u0301', '中']);
    return splice(
      d,
      int(r, d.length + 1),
      0,
      Buffer.from(`${fill.repeat(Math.ceil(n / Buffer.byteLength(fill)))}\n`),
    );
  },
  // a line removed
  (d, r) => {
    const [start, end] = randomLine(d, r);
    return splice(d, start, end - start + 1, Buffer.alloc(0));
  },
  // emptied
  () => Buffer.alloc(0),
  // a token dropped or two swapped
  (d, r) => {
    const [start, end] = randomLine(d, r);
    const line = d.subarray(start, end).toString('latin1');
    const spans = tokens(line);
    if (spans.length < 2) return undefined;
    const i = int(r, spans.length - 1);
    const [a, b] = spans[i]!;
    const [c, e] = spans[i + 1]!;
    const swapped = r() < 0.5 ? line.slice(c, e) + line.slice(b, c) + line.slice(a, b) : line.slice(c, e);
    return splice(d, start + a, e - a, Buffer.from(swapped, 'latin1'));
  },
  // hostile characters
  (d, r) =>
    splice(
      d,
      int(r, d.length + 1),
      0,
      Buffer.from(Array.from({ length: 1 + int(r, 6) }, () => pick(r, HOSTILE_CHARS)).join(''), 'utf8'),
    ),
  // binary garbage in place of the file
  (_d, r) => Buffer.from(Array.from({ length: int(r, 4096) }, () => int(r, 256))),
  // invalid UTF-8
  (d, r) => splice(d, int(r, d.length + 1), 0, Buffer.from(pick(r, INVALID_UTF8))),
  // whitespace changed: tabs, CRLF, runs of spaces
  (d, r) => {
    const text = d.toString('latin1');
    const how = int(r, 3);
    const out =
      how === 0
        ? text.replaceAll(' ', '\t')
        : how === 1
          ? text.replaceAll('\n', '\r\n')
          : text.replaceAll(' ', '      ');
    return Buffer.from(out, 'latin1');
  },
  // the header line changed
  (d, r) => {
    const end = d.indexOf(10);
    const header = d.subarray(0, end < 0 ? d.length : end).toString('latin1');
    const spans = tokens(header);
    if (spans.length === 0) return undefined;
    const [a, b] = pick(r, spans);
    return splice(
      d,
      a,
      b - a,
      Buffer.from(pick(r, ['X', '', 'Ip:', 'inode inode', `h${pick(r, HOSTILE_CHARS)}`]), 'utf8'),
    );
  },
];

/** Files a mutation is drawn from, the /proc/net tables three times as often as the rest. */
function targets(tree: Tree): string[] {
  const out: string[] = [];
  for (const [path, entry] of tree) {
    if (entry.kind !== 'file') continue;
    out.push(path);
    if (path.startsWith('proc/net/')) out.push(path, path);
  }
  return out;
}

export interface Mutant {
  readonly seed: number;
  readonly base: string;
  readonly tree: Tree;
  /** What was done, for the failure message. */
  readonly steps: string[];
}

/** Tree number `seed`: a fixture and 1–4 mutations, all drawn from the seed. */
export function mutant(seed: number, limits: MutationLimits): Mutant {
  const r = rng(seed);
  const base = pick(r, FIXTURES);
  const tree: Tree = new Map(loadTree(base));
  const steps: string[] = [];
  const count = 1 + int(r, 4);
  for (let i = 0; i < count; i++) {
    const files = targets(tree);
    const roll = r();
    if (roll < 0.05 && files.length > 0) {
      const path = pick(r, files);
      tree.delete(path);
      steps.push(`delete ${path}`);
      continue;
    }
    if (roll < 0.1) {
      // A process of its own with a hostile name and command line, holding a socket of the tree.
      const pid = 90000 + int(r, 9999);
      const name = Array.from({ length: 1 + int(r, 8) }, () => pick(r, [...HOSTILE_CHARS, 'a', 'é'])).join(
        '',
      );
      tree.set(`proc/${pid}/comm`, { kind: 'file', data: Buffer.from(`${name}\n`) });
      tree.set(`proc/${pid}/cmdline`, {
        kind: 'file',
        data: Buffer.from(`${name}\0${name.repeat(1 + int(r, 100))}\0`),
      });
      tree.set(`proc/${pid}/status`, {
        kind: 'file',
        data: Buffer.from(`Name:\t${name}\nUid:\t${int(r, 70000)}\t0\t0\t0\n`),
      });
      tree.set(`proc/${pid}/fd/3`, {
        kind: 'link',
        target: `socket:[${pick(r, ['5001', '5003', '1', '0', '99999999999', '-1'])}]`,
      });
      steps.push(`process ${pid}`);
      continue;
    }
    if (files.length === 0) break;
    const path = pick(r, files);
    const entry = tree.get(path) as { kind: 'file'; data: Buffer };
    const op = int(r, MUTATIONS.length);
    const data = MUTATIONS[op]!(entry.data, r, limits);
    if (data === undefined) continue;
    tree.set(path, { kind: 'file', data });
    steps.push(`mutation ${op} on ${path}`);
  }
  return { seed, base, tree, steps };
}

function isDirOf(tree: Tree, rel: string): boolean {
  const prefix = rel === '' ? '' : `${rel}/`;
  for (const path of tree.keys()) if (path.startsWith(prefix)) return true;
  return false;
}

/** A reader that serves a Tree from memory, with the errors the real one throws. */
export class TreeReader extends HostReader {
  constructor(private readonly tree: Tree) {
    super('/nonexistent-netwatch-fuzz-root');
  }

  private file(rel: string): Buffer | undefined {
    const entry = this.tree.get(rel);
    // A link in these trees is an fd link to socket:[N]: dangling, so reading it finds nothing.
    return entry?.kind === 'file' ? entry.data : undefined;
  }

  override readText(rel: string): string | undefined {
    return this.file(rel)?.toString('utf8');
  }

  override readPieces(rel: string): string[] | undefined {
    const text = this.readText(rel);
    return text === undefined ? undefined : [text];
  }

  override readDir(rel: string): string[] {
    if (!isDirOf(this.tree, rel)) throw Object.assign(new Error(`ENOENT: ${rel}`), { code: 'ENOENT' });
    const prefix = rel === '' ? '' : `${rel}/`;
    const names = new Set<string>();
    for (const path of this.tree.keys()) {
      if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]!);
    }
    return [...names];
  }

  override readLink(rel: string): string {
    const entry = this.tree.get(rel);
    if (entry?.kind === 'link') return entry.target;
    throw Object.assign(new Error(`EINVAL: ${rel}`), { code: entry ? 'EINVAL' : 'ENOENT' });
  }

  override statUid(rel: string): number | undefined {
    return this.tree.has(rel) || isDirOf(this.tree, rel) ? 0 : undefined;
  }

  override hasProc(): boolean {
    return isDirOf(this.tree, 'proc');
  }
}

/** The one-shot modes every tree is run through (netstat's tables, -s, --json). */
export const MODES: readonly string[][] = [
  ['-anpe'],
  ['-xanp'],
  ['-tanpoW'],
  ['-uanp'],
  ['-wan'],
  ['-s'],
  ['-rn'],
  ['-rn', '-6'],
  ['-ia'],
  ['-gn'],
  ['--json'],
];

const PARSERS: Record<string, (text: string) => unknown> = {
  'proc/net/route': parseRoute,
  'proc/net/ipv6_route': parseIpv6Route,
  'proc/net/dev': parseDev,
  'proc/net/snmp': parseKeyValuePairs,
  'proc/net/netstat': parseKeyValuePairs,
  'proc/net/snmp6': parseSnmp6,
  'proc/net/sockstat': parseSockstat,
  'proc/net/sockstat6': parseSockstat,
  'proc/net/igmp': parseIgmp,
  'proc/net/igmp6': parseIgmp6,
  'proc/net/nf_conntrack': parseConntrack,
  'proc/net/unix': (t) => parseUnix(t),
};
for (const proto of ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'] as InetProto[]) {
  PARSERS[`proc/net/${proto}`] = (t) => parseInet(t, proto);
}

export interface Outcome {
  /** What each mode would have written to stdout and stderr. */
  outputs: { args: string[]; stdout: string; stderr: string }[];
  ms: number;
}

function options(args: string[]): Options {
  const parsed = parseOptions(['--once', ...args]);
  if (parsed.kind !== 'ok') throw new Error(`bad fuzz mode ${args.join(' ')}`);
  return parsed.options;
}
const MODE_OPTIONS = MODES.map((args) => ({ args, o: options(args) }));

/**
 * Every parser on its file, then one snapshot of the tree and every mode rendered from it, as main.ts
 * writes them (escapeText at the write point, `netwatch: ` lines on stderr). Throws what any of it throws.
 */
export async function runTree(tree: Tree): Promise<Outcome> {
  const t0 = performance.now();
  for (const [path, parse] of Object.entries(PARSERS)) {
    const entry = tree.get(path);
    if (entry?.kind === 'file') parse(entry.data.toString('utf8'));
  }
  const reader = new TreeReader(tree);
  const collector = new Collector(reader, { mono: () => 0, wall: () => 1_700_000_000_000 }, false);
  const snapshot = collector.collect(SELECT_ALL);
  const names = new NameResolver(reader);
  const host = {
    ...netstatHost(reader, names, (uid: number) => collector.users.name(uid)),
    exists: (rel: string) => tree.has(rel) || isDirOf(tree, rel),
  };
  const stderr = [
    ...snapshot.warnings.map((w) => `netwatch: ${escapeControl(w)}\n`),
    ...[...snapshot.skippedLines].map(
      ([file, n]) => `netwatch: ${escapeControl(`${file}: skipped ${n} malformed lines`)}\n`,
    ),
  ].join('');
  const outputs: Outcome['outputs'] = [];
  for (const { args, o } of MODE_OPTIONS) {
    if (o.json) {
      const chunks: string[] = [];
      writeSnapshotJson(snapshot, o, (chunk) => chunks.push(escapeText(chunk)));
      outputs.push({ args, stdout: `${chunks.join('')}\n`, stderr });
      continue;
    }
    const finish = await prepareNetstat(o, netstatFlags(o), snapshot, host);
    const { chunks } = finish({ owners: snapshot.owners, stats: snapshot.ownerStats });
    const text = (fd: 1 | 2) =>
      escapeText(
        chunks
          .filter((c) => c.fd === fd)
          .map((c) => c.text)
          .join(''),
      );
    outputs.push({ args, stdout: text(1), stderr: stderr + text(2) });
  }
  return { outputs, ms: performance.now() - t0 };
}

/** What is wrong with one mode's output, or undefined. */
export function checkOutput(args: readonly string[], stdout: string, stderr: string): string | undefined {
  const bad = rawUnsafe(stdout);
  if (bad) return `raw ${bad} in stdout`;
  const badErr = rawUnsafe(stderr);
  if (badErr) return `raw ${badErr} in stderr`;
  if (/\n\s+at .*[:(]/.test(stderr)) return 'a stack trace on stderr';
  // Messages are netstat's own words ("netstat: no support for ...", "cannot open /proc/net/snmp: ...") or
  // `netwatch: ` lines: any text, but one line each and never a JavaScript error's.
  if (/^(TypeError|RangeError|SyntaxError|ReferenceError|Error): /m.test(stderr))
    return 'a JavaScript error on stderr';
  if (args.includes('--json')) {
    try {
      JSON.parse(stdout);
    } catch (err) {
      return `JSON does not parse: ${(err as Error).message}`;
    }
  }
  return undefined;
}

/** Write a tree under `dir` (for the binary). */
export function writeTree(tree: Tree, dir: string): void {
  for (const [path, entry] of tree) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    if (entry.kind === 'file') {
      try {
        writeFileSync(file, entry.data);
      } catch {
        // A path that is also a directory in this tree (a mutation cannot make one, a fixture can't either).
      }
    } else {
      try {
        symlinkSync(entry.target, file);
      } catch {}
    }
  }
  if (!statSync(join(dir, 'proc'), { throwIfNoEntry: false }))
    mkdirSync(join(dir, 'proc'), { recursive: true });
}

// The binary on a sample of the fuzzer's trees (engine.ts), written to disk and read by the real reader:
// exit 0, or 1 with one clear line (netstat's words for a missing table, or a `netwatch:` line); no stack trace; no raw control byte; JSON parses; each run
// under 10 s and 1 GiB. A failure names its seed (FUZZ_SEED=<seed> FUZZ_BINARY_TREES=1 reruns it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { checkOutput, mutant, writeTree } from './engine.js';

const TREES = Number(process.env.FUZZ_BINARY_TREES ?? 10);
const FIRST = Number(process.env.FUZZ_SEED ?? 1);
/** Every STRIDE-th seed of the in-process run, so the sample spreads over it. */
const STRIDE = Number(process.env.FUZZ_STRIDE ?? 200);
const MODES = [['-anpe'], ['-s'], ['-rn'], ['-ia'], ['-gn'], ['--json']];
const MAXRSS = fileURLToPath(new URL('../helpers/maxrss.mjs', import.meta.url));

describe(`fuzz: the binary on ${TREES} of the mutated trees`, () => {
  it('exits cleanly with valid, escaped output, in bounded time and memory', () => {
    const failures: string[] = [];
    let slowest = 0;
    let peakKiB = 0;
    for (let i = 0; i < TREES && failures.length < 10; i++) {
      const seed = FIRST + i * STRIDE;
      const m = mutant(seed, { longLine: Number(process.env.FUZZ_LONG_LINE ?? 256 * 1024) });
      const dir = mkdtempSync(join(tmpdir(), 'netwatch-fuzz-'));
      try {
        writeTree(m.tree, dir);
        for (const args of MODES) {
          const what = `seed ${seed} (${m.base}: ${m.steps.join(', ')}): ${args.join(' ')}`;
          const t0 = Date.now();
          const r = spawnSync(process.execPath, [MAXRSS, BIN, '--once', '--root', dir, ...args], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
            timeout: 20_000,
            maxBuffer: 512 * 1024 * 1024,
          });
          const ms = Date.now() - t0;
          slowest = Math.max(slowest, ms);
          const usage = r.output[3] ? (JSON.parse(r.output[3]) as { maxRssKiB: number }) : undefined;
          peakKiB = Math.max(peakKiB, usage?.maxRssKiB ?? 0);
          if (r.status !== 0 && !(r.status === 1 && /^[^\n]+\n$/.test(r.stderr))) {
            failures.push(
              `${what}: status ${r.status} ${r.signal ?? ''}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`,
            );
            continue;
          }
          const bad = checkOutput(args, r.stdout, r.stderr);
          if (bad) failures.push(`${what}: ${bad}`);
          if (ms > 10_000) failures.push(`${what}: took ${ms} ms`);
          if ((usage?.maxRssKiB ?? 0) > 1024 * 1024) failures.push(`${what}: ${usage?.maxRssKiB} KiB RSS`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    console.log(
      `fuzz binary: ${TREES} trees × ${MODES.length} modes, slowest ${slowest} ms, peak RSS ${Math.round(peakKiB / 1024)} MiB`,
    );
    expect(
      failures,
      'rerun one: FUZZ_SEED=<seed> FUZZ_BINARY_TREES=1 npx vitest run test/fuzz/fuzz-binary.test.ts',
    ).toEqual([]);
  }, 300_000);
});

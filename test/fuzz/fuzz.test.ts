// Issue 12: seeded, reproducible mutation of the fixture trees, every parser and every one-shot mode on
// each, in this process (engine.ts). Asserts: nothing throws (a throw would be a stack trace), the output
// has no raw control, DEL, C1 or invisible character, JSON parses, each tree takes under 10 s, and memory
// stays under 1 GiB. A failure names its seed; rerun it alone with
//   FUZZ_SEED=<seed> FUZZ_TREES=1 npx vitest run test/fuzz/fuzz.test.ts
// and run more with `node scripts/fuzz.mjs --trees 20000`.
import { describe, expect, it } from 'vitest';
import { checkOutput, mutant, runTree } from './engine.js';

const TREES = Number(process.env.FUZZ_TREES ?? 2000);
const FIRST = Number(process.env.FUZZ_SEED ?? 1);
const LONG_LINE = Number(process.env.FUZZ_LONG_LINE ?? 256 * 1024);
const GiB = 1024 ** 3;

describe(`fuzz: ${TREES} mutated trees from seed ${FIRST}`, () => {
  it('every parser and one-shot mode: no throw, no raw control byte, valid JSON, bounded time and memory', async () => {
    const failures: string[] = [];
    let slowest = 0;
    let peakRss = 0;
    const t0 = performance.now();
    for (let seed = FIRST; seed < FIRST + TREES && failures.length < 10; seed++) {
      const m = mutant(seed, { longLine: LONG_LINE });
      const what = `seed ${seed} (${m.base}: ${m.steps.join(', ')})`;
      let outcome: Awaited<ReturnType<typeof runTree>>;
      try {
        outcome = await runTree(m.tree);
      } catch (err) {
        failures.push(`${what}: threw ${(err as Error).stack?.split('\n').slice(0, 4).join(' | ')}`);
        continue;
      }
      slowest = Math.max(slowest, outcome.ms);
      if (outcome.ms > 10_000) failures.push(`${what}: took ${Math.round(outcome.ms)} ms`);
      for (const { args, stdout, stderr } of outcome.outputs) {
        const bad = checkOutput(args, stdout, stderr);
        if (bad) failures.push(`${what}: ${args.join(' ')}: ${bad}`);
      }
      if (seed % 100 === 0) {
        const rss = process.memoryUsage().rss;
        peakRss = Math.max(peakRss, rss);
        if (rss > GiB) failures.push(`${what}: RSS ${Math.round(rss / 2 ** 20)} MiB`);
      }
    }
    console.log(
      `fuzz: ${TREES} trees from seed ${FIRST} in ${Math.round(performance.now() - t0)} ms, slowest ${Math.round(slowest)} ms, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`,
    );
    expect(
      failures,
      'rerun one: FUZZ_SEED=<seed> FUZZ_TREES=1 npx vitest run test/fuzz/fuzz.test.ts',
    ).toEqual([]);
  }, 300_000);
});

#!/usr/bin/env node
// The fuzzer at more than CI's size (issue 12): the in-process run over --trees mutated fixture trees and
// the binary on --binary-trees of them, each reproducible by seed.
//   node scripts/fuzz.mjs [--trees 20000] [--binary-trees 200] [--seed 1] [--long-line 1048576]
// CI runs 2,000 and 10 (npm test). Needs `npm run build` first (the binary part runs dist/).
import { spawnSync } from 'node:child_process';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const trees = arg('--trees', '20000');
const binaryTrees = arg('--binary-trees', '200');
const seed = arg('--seed', '1');
const stride = String(Math.max(1, Math.floor(Number(trees) / Number(binaryTrees))));
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz/'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    FUZZ_TREES: trees,
    FUZZ_BINARY_TREES: binaryTrees,
    FUZZ_SEED: seed,
    FUZZ_STRIDE: stride,
    FUZZ_LONG_LINE: arg('--long-line', String(1024 * 1024)),
  },
});
process.exit(r.status ?? 1);

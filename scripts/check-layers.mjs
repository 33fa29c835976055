#!/usr/bin/env node
// The layout rule, checked: a stage imports only from the stages below it. Data flows
//   /proc parsers → sampling → model → view → components/hooks → CLI
// and `model` (plain data and pure functions over snapshots) sits under everything, so the order of
// imports is model < proc < sample < view < ui < cli. A file of src/ outside these folders is an error
// too: a new module must say which stage it is. Run by `npm test`; exits 1 with one line per violation.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder (relative to the repository) → rank; a file may import only ranks ≤ its own. */
export const LAYERS = [
  ['src/model', 0],
  ['src/proc', 1],
  ['src/sample', 2],
  ['src/view', 3],
  ['hooks', 4],
  ['components', 4],
  ['src/cli', 5],
];

// import … from '…', export … from '…', import '…', import('…')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

function layerOf(rel) {
  const posix = rel.split(sep).join('/');
  for (const [folder, rank] of LAYERS) if (posix.startsWith(`${folder}/`)) return { folder, rank };
  return undefined;
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx)$/.test(entry.name)) yield path;
  }
}

/** Every violation under `root` as one readable line; empty when the layout holds. */
export function checkLayers(root) {
  const problems = [];
  for (const top of ['src', 'hooks', 'components']) {
    for (const file of sourceFiles(join(root, top))) {
      const rel = relative(root, file);
      const from = layerOf(rel);
      if (!from) {
        problems.push(`${rel}: not in a stage folder (${LAYERS.map(([f]) => f).join(', ')})`);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(SPECIFIER)) {
        const target = relative(root, resolve(file, '..', match[2]));
        const to = layerOf(target);
        if (!to) {
          problems.push(`${rel}: imports ${match[2]}, which is in no stage folder`);
        } else if (to.rank > from.rank) {
          problems.push(`${rel}: ${from.folder} must not import ${to.folder} (${match[2]})`);
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const problems = checkLayers(root);
  for (const p of problems) process.stderr.write(`layers: ${p}\n`);
  process.exit(problems.length > 0 ? 1 : 0);
}

// The import-direction rule of the layout (scripts/check-layers.mjs): the real tree passes, and a tree
// with a lower stage importing a higher one, or a file outside any stage, fails with a line naming it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { checkLayers } from '../scripts/check-layers.mjs';

const check = checkLayers as (root: string) => string[];
const dirs: string[] = [];

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'nw-layers-'));
  dirs.push(root);
  for (const dir of ['src', 'hooks', 'components']) mkdirSync(join(root, dir), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('import-direction check', () => {
  it('passes on this repository', () => {
    expect(check(fileURLToPath(new URL('..', import.meta.url)))).toEqual([]);
  });

  it('allows imports downwards and from model everywhere', () => {
    const root = tree({
      'src/model/types.ts': 'export type A = 1;\n',
      'src/proc/tcp.ts': "import type { A } from '../model/types.js';\n",
      'src/sample/sampler.ts':
        "import { x } from '../proc/tcp.js';\nimport type { A } from '../model/types.js';\n",
      'src/view/rows.ts': "import { y } from '../sample/sampler.js';\n",
      'components/Pane.tsx': "import { z } from '../src/view/rows.js';\n",
      'src/cli/main.ts': "const { App } = await import('../../components/Pane.js');\n",
    });
    expect(check(root)).toEqual([]);
  });

  it('names a lower stage that imports a higher one, static or dynamic', () => {
    const root = tree({
      'src/model/store.ts': "import type { Sampler } from '../sample/sampler.js';\n",
      'src/sample/sampler.ts': "export * from '../view/rows.js';\n",
      'src/view/rows.ts': "const m = await import('../cli/options.js');\n",
      'src/cli/options.ts': '',
    });
    expect(check(root).sort()).toEqual([
      'src/model/store.ts: src/model must not import src/sample (../sample/sampler.js)',
      'src/sample/sampler.ts: src/sample must not import src/view (../view/rows.js)',
      'src/view/rows.ts: src/view must not import src/cli (../cli/options.js)',
    ]);
  });

  it('names a file that is in no stage folder', () => {
    const root = tree({ 'src/loose.ts': '' });
    expect(check(root)).toEqual([
      'src/loose.ts: not in a stage folder (src/model, src/proc, src/sample, src/view, hooks, components, src/cli)',
    ]);
  });
});

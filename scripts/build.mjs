#!/usr/bin/env node
import { readFileSync, rmSync } from 'node:fs';
// Bundle the CLI into dist/ with esbuild. Code splitting keeps Ink and React in a chunk that only the live
// view imports, so `netwatch --once` loads a few hundred KB less and starts faster.
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { netwatch: 'src/main.ts', lib: 'src/lib.ts', ownersworker: 'src/ownersworker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: true,
  minify: false,
  legalComments: 'none',
  banner: {
    // Some CommonJS dependencies (e.g. signal-exit via Ink) call require(); give the ESM bundle one.
    js: "#!/usr/bin/env node\nimport { createRequire as __nwCreateRequire } from 'node:module'; const require = __nwCreateRequire(import.meta.url);",
  },
  // React's development build records a performance measure with the props of every render (React 19's
  // performance tracks) and never frees them: the live view grew by 40 MB/s until it was built for production.
  define: {
    'process.env.NETWATCH_VERSION': JSON.stringify(pkg.version),
    'process.env.NODE_ENV': '"production"',
  },
  // Ink imports react-devtools-core only when DEV=true; it is not a dependency of ours.
  external: ['react-devtools-core'],
  logLevel: 'warning',
});

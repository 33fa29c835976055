#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Bundle the CLI into dist/ with esbuild. Code splitting keeps Ink and React in a chunk that only the live
// view imports, so `netwatch --once` loads a few hundred KB less and starts faster.
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// Ink's renderer gets src/cli/inkoutput.ts in place of its Output: the same frames, but rows that did
// not change are not rebuilt every frame (see that file). Tied to Ink 6.8's layout: if a later Ink no
// longer imports ./output.js from its renderer, the build stops here rather than quietly losing it.
let inkOutputReplaced = false;
const inkOutput = {
  name: 'netwatch-ink-output',
  setup(b) {
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]ink[\\/]build[\\/]renderer\.js$/.test(args.importer)) return undefined;
      inkOutputReplaced = true;
      return { path: fileURLToPath(new URL('../src/cli/inkoutput.ts', import.meta.url)) };
    });
  },
};

// Yoga (Ink's layout engine) carries its WebAssembly as a base64 data: URL and, finding a global `fetch`,
// loads it through fetch(): that boots undici and percent-decodes 95 KB, ~35 ms of the live view's first
// frame. Given the bytes up front (emscripten's `wasmBinary`), it instantiates them directly. The bytes are
// decoded with Buffer (native) and the data: URL is emptied so the bundle holds them once. Tied to
// yoga-layout 3.2's generated file: if either pattern is not there exactly once, the build stops.
let yogaPatched = false;
const yogaWasm = {
  name: 'netwatch-yoga-wasm',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const binaryVar = 'var w;h.wasmBinary&&(w=h.wasmBinary);';
      const urls = text.match(/"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/g) ?? [];
      if (text.split(binaryVar).length !== 2 || urls.length !== 1) return undefined;
      const base64 = urls[0].slice('"data:application/octet-stream;base64,'.length, -1);
      yogaPatched = true;
      const contents = text
        .replace(urls[0], '"data:application/octet-stream;base64,"')
        .replace(
          binaryVar,
          `var w=Buffer.from(${JSON.stringify(base64)},"base64");h.wasmBinary&&(w=h.wasmBinary);`,
        );
      return { contents, loader: 'js' };
    });
  },
};

await build({
  plugins: [inkOutput, yogaWasm],
  entryPoints: {
    netwatch: 'src/cli/main.ts',
    lib: 'src/cli/lib.ts',
    ownersworker: 'src/sample/ownersworker.ts',
  },
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
if (!inkOutputReplaced) {
  console.error("netwatch build: Ink's renderer no longer imports ./output.js; review src/cli/inkoutput.ts");
  process.exit(1);
}
if (!yogaPatched) {
  console.error("netwatch build: yoga-layout's wasm loader changed; review the netwatch-yoga-wasm plugin");
  process.exit(1);
}

// The optional native helper (src/sample/netwatch.c: TCP sockets from netlink sock_diag, the owner scan
// in C). Plain `cc`, no node-gyp: it needs only node_api.h, which ships with Node. Without a compiler or
// headers netwatch reads /proc as before, so a failure here is a note, not an error.
// NETWATCH_NATIVE=0 skips it (to test the fallback, or to build for a machine without it).
if (process.env.NETWATCH_NATIVE !== '0') {
  const headerDirs = [
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  const headers = headerDirs.find((dir) => existsSync(join(dir, 'node_api.h')));
  const cc = process.env.CC || 'cc';
  const source = fileURLToPath(new URL('../src/sample/netwatch.c', import.meta.url));
  const target = fileURLToPath(new URL('../dist/netwatch.node', import.meta.url));
  if (!headers) {
    console.warn('netwatch build: no node_api.h found; building without the native helper (TCP from /proc)');
  } else {
    const args = [
      '-O2',
      '-Wall',
      '-shared',
      '-fPIC',
      '-pthread',
      '-fvisibility=hidden',
      '-I',
      headers,
      '-o',
      target,
      source,
    ];
    const result = spawnSync(cc, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
      const why = result.error ? result.error.message : `${cc} exited with ${result.status}`;
      console.warn(`netwatch build: native helper not built (${why}); TCP sockets will be read from /proc`);
    }
  }
}

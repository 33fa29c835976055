// Runs dist/netwatch.js in this process and, when it exits, writes its peak RSS (KiB) and CPU time to fd 3:
// a child's peak memory, which spawnSync does not report. Usage: node maxrss.mjs dist/netwatch.js ARGS...
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
process.argv.splice(2, 1);
process.on('exit', () => {
  const u = process.resourceUsage();
  try {
    writeSync(3, JSON.stringify({ maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  } catch {}
});
await import(pathToFileURL(entry).href);

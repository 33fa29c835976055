#!/usr/bin/env node
// Copy the /proc and /sys files netwatch reads from the live machine into fixtures/NAME/,
// so parsers and diffs can be tested on what a real kernel prints.
//
//   node scripts/capture-fixture.mjs NAME [--pids PID,PID...] [--etc hosts,networks,...]
//
// Process fd tables are captured as plain symlinks (fd/N -> socket:[INODE]) for the given pids only,
// so the fixture stays small and contains nothing private. --etc copies those name files too (none by
// default). The interfaces' IPv4 addresses, which /proc and /sys do not have, go to ipv4-addresses.json
// (from the native helper's getifaddrs + ioctls when built: run `npm run build` first).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const [name, ...rest] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: capture-fixture.mjs NAME [--pids PID,...]\n');
  process.exit(2);
}
const pidsArg = rest.indexOf('--pids');
const pids = pidsArg >= 0 ? rest[pidsArg + 1].split(',').filter(Boolean) : [];
const etcArg = rest.indexOf('--etc');
const etc = etcArg >= 0 ? rest[etcArg + 1].split(',').filter(Boolean) : [];
const out = path.resolve('fixtures', name);

const NET_FILES = [
  'tcp',
  'tcp6',
  'udp',
  'udp6',
  'udplite',
  'udplite6',
  'raw',
  'raw6',
  'unix',
  'route',
  'ipv6_route',
  'dev',
  'snmp',
  'netstat',
  'snmp6',
  'sockstat',
  'sockstat6',
  'igmp',
  'igmp6',
  'nf_conntrack',
  'if_inet6',
  'rt_cache',
  'sctp/eps',
  'sctp/assocs',
  'sctp/snmp',
];

function copyText(rel) {
  try {
    const text = fs.readFileSync(path.join('/', rel));
    const dest = path.join(out, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, text);
  } catch (err) {
    if (err.code !== 'ENOENT' && err.code !== 'EINVAL') throw err;
  }
}

for (const f of NET_FILES) copyText(`proc/net/${f}`);
copyText('proc/sys/kernel/hostname');
for (const iface of fs.readdirSync('/sys/class/net')) {
  for (const attr of ['mtu', 'flags', 'ifindex', 'operstate', 'speed', 'type', 'address', 'tx_queue_len'])
    copyText(`sys/class/net/${iface}/${attr}`);
}
for (const name of etc) copyText(`etc/${path.basename(name)}`);
// What src/sample/ifaddrs.ts reads under --root: the native helper's getifaddrs + SIOCGIF* ioctls.
try {
  const binding = createRequire(import.meta.url)('../dist/netwatch.node');
  fs.writeFileSync(
    path.join(out, 'ipv4-addresses.json'),
    `${JSON.stringify(binding.ipv4Addresses(), null, 2)}\n`,
  );
} catch (err) {
  process.stderr.write(
    `no ipv4-addresses.json (${err.message}): run npm run build (with a C compiler) first\n`,
  );
}
for (const pid of pids) {
  for (const f of ['comm', 'cmdline', 'status']) copyText(`proc/${pid}/${f}`);
  const fdDir = `/proc/${pid}/fd`;
  if (!fs.existsSync(fdDir)) continue; // exited since the pids were chosen
  const dest = path.join(out, 'proc', pid, 'fd');
  fs.mkdirSync(dest, { recursive: true });
  for (const fd of fs.readdirSync(fdDir)) {
    try {
      const target = fs.readlinkSync(path.join(fdDir, fd));
      if (target.startsWith('socket:') || target.startsWith('pipe:'))
        fs.symlinkSync(target, path.join(dest, fd));
    } catch {}
  }
}
process.stdout.write(`captured into ${out}\n`);

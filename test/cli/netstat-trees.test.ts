// --once on small hand-made host trees, for what this machine lacks: SCTP sockets, SELinux contexts.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

function root(files: Record<string, string>, links: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'nw-tree-'));
  roots.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(target, join(dir, path));
  }
  return dir;
}

const PROC = {
  'proc/net/tcp': `${TCP_HEADER}   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 500 1 0000000000000000 100 0 0 10 0\n`,
  'proc/net/tcp6': TCP_HEADER,
  'proc/net/udp': TCP_HEADER,
  'proc/net/unix': 'Num       RefCount Protocol Flags    Type St Inode Path\n',
  'proc/42/comm': 'sshd\n',
  'proc/42/cmdline': '/usr/sbin/sshd\0-D\0',
  'proc/42/status': 'Name:\tsshd\nUid:\t0\t0\t0\t0\n',
  'proc/42/attr/current': 'system_u:system_r:sshd_t:s0-s0:c0.c1023\0',
};

describe('SCTP, when the kernel has it', () => {
  const sctp = root({
    ...PROC,
    'proc/net/sctp/eps':
      ' ENDPT     SOCK   STY SST HBKT LPORT   UID INODE LADDRS\n' +
      '       0        0 2   10  40   5000      0 600 127.0.0.1 0000:0000:0000:0000:0000:0000:0000:0001 \n',
    'proc/net/sctp/assocs':
      ' ASSOC     SOCK   STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT RPORT LADDRS <-> RADDRS HBINT INS OUTS MAXRT T1X T2X RTXC wmema wmemq sndbuf rcvbuf\n' +
      '       0        0 2   1   3  0       2        0        0       0 601  5000 40000  *127.0.0.1 10.0.0.1 <-> *127.0.0.1 \t   30000    10    10   10    0    0        0        1        0   212992   212992\n',
  });

  it('-S lists associations; -Sl endpoints, one line per address; -Sa both', () => {
    const assocs = runCli(['--once', '--root', sctp, '-Sn']);
    expect(assocs.status).toBe(0);
    expect(assocs.stderr).toBe('');
    expect(assocs.stdout.split('\n').slice(2)).toEqual([
      'sctp       0      0 127.0.0.1:5000          127.0.0.1:40000         ESTABLISHED',
      // Further addresses under the first, their state column empty.
      `${' '.repeat(20)}${'10.0.0.1'.padEnd(23)} ${''.padEnd(23)} ${''.padEnd(11)}`,
      '',
    ]);
    const eps = runCli(['--once', '--root', sctp, '-Sln']).stdout.split('\n').slice(2);
    expect(eps).toEqual([
      `sctp                ${'127.0.0.1:5000'.padEnd(47)} LISTEN     `,
      `                    ${'::1:5000'.padEnd(47)}            `,
      '',
    ]);
    expect(runCli(['--once', '--root', sctp, '-Sa']).stdout.split('\n').length).toBe(2 + 2 + 2 + 1);
  });
});

describe('-Z, SELinux contexts', () => {
  const links = { 'proc/42/fd/3': 'socket:[500]' };
  it('is refused where SELinux is not enabled, as netstat refuses it', () => {
    const r = runCli(['--once', '--root', root(PROC, links), '-tlZ']);
    expect(r).toEqual({ status: 1, stdout: '', stderr: 'SELinux is not enabled on this machine.\n' });
  });

  it('adds the program and its context where it is', () => {
    const r = runCli([
      '--once',
      '--root',
      root({ ...PROC, 'sys/fs/selinux/enforce': '1\n' }, links),
      '-tlnZ',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(1, 3)).toEqual([
      `Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    ${' Security Context'.padEnd(50)}`,
      `tcp        0      0 127.0.0.1:22            0.0.0.0:*               LISTEN      42/sshd              ${'system_u:system_r:sshd_t:s0-s0:c0.c1023'.padEnd(50)}`,
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { UnixSocket } from '../../src/model/types.js';
import { parseUnix, UnixLineCache, unixStateName } from '../../src/proc/unix.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/${name}/proc/net/unix`, import.meta.url), 'latin1');
}

function find(rows: readonly UnixSocket[], inode: number): UnixSocket {
  const row = rows.find((r) => r.inode === inode);
  if (row === undefined) throw new Error(`no row with inode ${inode}`);
  return row;
}

const HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';
const OK = '0000000000000000: 00000002 00000000 00010000 0001 01 1001 /run/ok.sock';

describe('parseUnix: malformed lines are skipped and counted, never thrown', () => {
  const cases: [string, string][] = [
    ['unix – no inode', '0000000000000000: 00000002 00000000 00000000 0001 01'],
    ['unix – only a pointer', '0000000000000000:'],
    ['unix – pointer without colon', '0000000000000000 00000002 00000000 00000000 0001 01 2002'],
    ['unix – refcount not hex', '0000000000000000: 0000000Z 00000000 00000000 0001 01 2002'],
    ['unix – flags not hex', '0000000000000000: 00000002 00000000 0001000G 0001 01 2002'],
    ['unix – type not hex', '0000000000000000: 00000002 00000000 00000000 00X1 01 2002'],
    ['unix – state not hex', '0000000000000000: 00000002 00000000 00000000 0001 -1 2002'],
    ['unix – inode not decimal', '0000000000000000: 00000002 00000000 00000000 0001 01 2A02 /x'],
    ['unix – negative inode', '0000000000000000: 00000002 00000000 00000000 0001 01 -2002'],
    ['unix – field wider than 32 bits', '0000000000000000: 000000002 00000000 00000000 0001 01 2002'],
    ['unix – garbage', 'hello'],
  ];
  // After an unbound socket's line (no name a line could continue) and before a good one.
  const UNBOUND = '0000000000000000: 00000003 00000000 00000000 0001 03 1000';
  it.each(cases)('%s', (_name, line) => {
    const parsed = parseUnix(`${HEADER}\n${UNBOUND}\n${line}\n${OK}\n`);
    expect(parsed.skipped).toBe(1);
    expect(parsed.rows.map((r) => r.inode)).toEqual([1000, 1001]);
  });

  it.each([
    ['two spaces after the colon', '0000000000000000:  00000002 00000000 00000000 0001 01 2002'],
    ['a short field', '0000000000000000: 0000002 00000000 00000000 0001 01 2002'],
    ['a tab between fields', '0000000000000000: 00000002\t00000000 00000000 0001 01 2002'],
    ['leading blanks', '  0000000000000000: 00000002 00000000 00000000 0001 01 2002'],
    ['a pointer too long', '00000000000000000: 00000002 00000000 00000000 0001 01 2002'],
    ['no space between inode and name', '0000000000000000: 00000002 00000000 00000000 0001 01 2002/x'],
  ])('not the kernel layout – %s', (_name, line) => {
    const parsed = parseUnix(`${HEADER}\n${line}\n${OK}\n`);
    expect(parsed.skipped).toBe(1);
    expect(parsed.rows.map((r) => r.inode)).toEqual([1001]);
  });

  it('a broken fixture keeps its good rows, reads a line after a name as its tail, and counts the rest', () => {
    const parsed = parseUnix(fixture('edge-sockets-broken'));
    expect(parsed.rows.map((r) => [r.inode, r.path])).toEqual([
      // The line without an inode fits in what is left of a 108-byte name: /proc cannot tell it from one.
      [90001, '/run/ok.sock\n0000000000000000: 00000002 00000000 00000000 0001 01'],
      [90005, ''],
    ]);
    expect(parsed.skipped).toBe(2);
  });
});

describe('parseUnix: names that hold newlines', () => {
  const bound = (inode: number, name: string) =>
    `0000000000000000: 00000002 00000000 00000000 0002 01 ${inode} ${name}`;

  it('a name may start with a space (the kernel prints one space, then the name)', () => {
    expect(parseUnix(`${HEADER}\n${bound(5000, ' /x')}\n`).rows[0]!.path).toBe(' /x');
  });

  it('a path with a newline keeps its tail', () => {
    const parsed = parseUnix(`${HEADER}\n${bound(5001, '/tmp/a\nb c\n')}\n${OK}\n`);
    expect(parsed.skipped).toBe(0);
    expect(parsed.rows.map((r) => [r.inode, r.path])).toEqual([
      [5001, '/tmp/a\nb c\n'],
      [1001, '/run/ok.sock'],
    ]);
  });

  it('an abstract name whose tail is a malformed line is one socket', () => {
    const tail = '0000000000000000: 00000002 00000000 00010000 0001 01 42424X /run/fake.sock';
    const parsed = parseUnix(`${HEADER}\n${bound(5002, `@x\n${tail}`)}\n`);
    expect(parsed.rows.map((r) => [r.inode, r.path])).toEqual([[5002, `@x\n${tail}`]]);
  });

  it('no name continues past 108 characters: a longer tail is malformed', () => {
    const name = `@${'n'.repeat(60)}`;
    const tail = 'x'.repeat(108 - name.length); // 108 with the newline: one too many
    const parsed = parseUnix(`${HEADER}\n${bound(5003, name)}\n${tail}\n`);
    expect(parsed.rows.map((r) => r.path)).toEqual([name]);
    expect(parsed.skipped).toBe(1);
    const fits = parseUnix(`${HEADER}\n${bound(5003, name)}\n${tail.slice(1)}\n`);
    expect(fits.rows.map((r) => r.path)).toEqual([`${name}\n${tail.slice(1)}`]);
  });

  it('an unbound socket has no name to continue', () => {
    const parsed = parseUnix(`${HEADER}\n${OK.replace(' /run/ok.sock', '')}\ngarbage\n`);
    expect(parsed.skipped).toBe(1);
  });

  it('a well-formed line in a name is a socket here: /proc cannot tell (the live host checks with netlink)', () => {
    const fake = '0000000000000000: 00000002 00000000 00010000 0001 01 424242 /run/fake-sshd.sock';
    const parsed = parseUnix(`${HEADER}\n${bound(5004, `@x\n${fake}`)}\n`);
    expect(parsed.rows.map((r) => r.inode)).toEqual([5004, 424242]);
  });

  it('the line cache reads a multi-line record the same way, twice', () => {
    const cache = new UnixLineCache();
    const text = `${HEADER}\n${bound(5005, '/tmp/a\nb')}\n${OK}\n`;
    const first = parseUnix(text, cache).rows;
    const second = parseUnix(text, cache).rows;
    expect(first.map((r) => r.path)).toEqual(['/tmp/a\nb', '/run/ok.sock']);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(parseUnix(text).rows).toEqual(first);
  });

  it('a 10 MB name in a --root tree is cut at 1,024 characters and marked', () => {
    const parsed = parseUnix(`${HEADER}\n${bound(5006, `/${'p'.repeat(10_000_000)}`)}\n`);
    expect(parsed.rows[0]!.path).toBe(`/${'p'.repeat(1023)}…`);
  });
});

describe('parseUnix: framing and duplicates', () => {
  it.each([
    ['empty text', ''],
    ['only a header', `${HEADER}\n`],
    ['only a header, no newline', HEADER],
    ['blank lines', `${HEADER}\n\n  \n`],
  ])('%s → no rows, nothing skipped', (_name, text) => {
    expect(parseUnix(text)).toEqual({ rows: [], skipped: 0 });
  });

  it('reads a last line without a newline', () => {
    expect(parseUnix(`${HEADER}\n${OK}`).rows.map((r) => r.path)).toEqual(['/run/ok.sock']);
  });

  it('parses a first line that is not a header (a pointer may start with a letter)', () => {
    const line = 'ffff888003a1b000: 00000002 00000000 00000000 0002 01 1002';
    expect(parseUnix(`${line}\n`).rows.map((r) => r.inode)).toEqual([1002]);
  });

  it('duplicate row kept once', () => {
    const parsed = parseUnix(`${HEADER}\n${OK}\n${OK}\n`);
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.skipped).toBe(0);
  });

  it('a repeat with another refcount is still the same row', () => {
    const again = OK.replace(': 00000002', ': 00000003');
    expect(parseUnix(`${HEADER}\n${OK}\n${again}\n`).rows).toHaveLength(1);
  });

  it('same inode in another state is a different row (kept)', () => {
    const connected = OK.replace('00010000 0001 01', '00000000 0001 03');
    const parsed = parseUnix(`${HEADER}\n${OK}\n${connected}\n${OK}\n`);
    expect(parsed.rows.map((r) => r.state)).toEqual(['LISTENING', 'CONNECTED']);
  });
});

describe('unixStateName', () => {
  it.each([
    [0x10000, 1, 'LISTENING'],
    [0, 1, ''],
    [0, 0, 'FREE'],
    [0, 2, 'CONNECTING'],
    [0, 3, 'CONNECTED'],
    [0x10000, 3, 'CONNECTED'],
    [0, 4, 'DISCONNECTING'],
    [0, 5, 'UNKNOWN'],
  ] as const)('flags %i st %i → %j', (flags, st, name) => {
    expect(unixStateName(flags, st)).toBe(name);
  });
});

describe('parseUnix on fixtures/edge-sockets', () => {
  const { rows, skipped } = parseUnix(fixture('edge-sockets'));

  it('parses every row once (the duplicated last line is dropped)', () => {
    expect(skipped).toBe(0);
    expect(rows.map((r) => r.inode)).toEqual([70001, 70002, 70003, 70004, 70005, 123, 70007]);
  });

  it('decodes a listening stream socket', () => {
    expect(rows[0]).toEqual({
      kind: 'unix',
      proto: 'unix',
      refcount: 2,
      flags: 0x10000,
      type: 'STREAM',
      state: 'LISTENING',
      stateCode: 1,
      inode: 70001,
      path: '/run/dbus/system_bus_socket',
    });
  });

  it('keeps paths byte for byte: inner double spaces, trailing space, abstract names', () => {
    expect(find(rows, 70002).path).toBe('/tmp/a path with  two  spaces.sock');
    expect(find(rows, 70007).path).toBe('/tmp/trailing space ');
    expect(find(rows, 70003)).toMatchObject({ path: '@abstract name', type: 'DGRAM', state: '' });
    expect(find(rows, 70005)).toMatchObject({ path: '@00012', type: 'SEQPACKET', state: 'CONNECTED' });
  });

  it('unbound sockets have an empty path, also with a padded short inode', () => {
    expect(find(rows, 70004)).toMatchObject({ path: '', state: 'CONNECTED', refcount: 3 });
    expect(find(rows, 123)).toMatchObject({ path: '', state: 'CONNECTING' });
    expect(find(rows, 70007).type).toBe('RDM');
  });
});

describe('parseUnix on the real capture fixtures/live-t0', () => {
  const text = fixture('live-t0');
  const { rows, skipped } = parseUnix(text);

  it('one row per distinct data line, nothing skipped', () => {
    const lines = new Set(
      text
        .split('\n')
        .slice(1)
        .filter((l) => l.trim() !== ''),
    );
    expect(skipped).toBe(0);
    expect(rows).toHaveLength(lines.size);
    expect(rows).toHaveLength(26);
  });

  it('finds the path with spaces and the abstract name', () => {
    expect(find(rows, 16576)).toMatchObject({
      path: '/tmp/netwatch path with spaces.sock',
      type: 'STREAM',
      state: 'LISTENING',
      flags: 0x10000,
    });
    expect(find(rows, 16575)).toMatchObject({ path: '@netwatch-abstract', type: 'DGRAM', state: '' });
  });

  it('decodes connected unbound sockets, including a padded 3-digit inode', () => {
    expect(find(rows, 115)).toMatchObject({ path: '', state: 'CONNECTED', refcount: 3, type: 'STREAM' });
    expect(rows.filter((r) => r.state === 'LISTENING')).toHaveLength(13);
    expect(rows.filter((r) => r.path.startsWith('/tmp/netwatch-loadgen-'))).toHaveLength(12);
  });
});

describe('UnixLineCache', () => {
  const other = '0000000000000000: 00000003 00000000 00000000 0001 03 1002 /run/other.sock';

  it('gives back the same row for an unchanged line and a new row for a changed one', () => {
    const cache = new UnixLineCache();
    const first = parseUnix(`${HEADER}\n${OK}\n${other}\n`, cache).rows;
    const changed = other.replace('00000003', '00000004'); // refcount went up
    const second = parseUnix(`${HEADER}\n${OK}\n${changed}\n`, cache).rows;
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]!.refcount).toBe(4);
    expect(second[1]).toEqual({ ...first[1], refcount: 4 });
  });

  it('forgets lines that were not in the last read', () => {
    const cache = new UnixLineCache();
    const first = parseUnix(`${HEADER}\n${OK}\n`, cache).rows;
    parseUnix(`${HEADER}\n${other}\n`, cache);
    const third = parseUnix(`${HEADER}\n${OK}\n`, cache).rows;
    expect(third[0]).not.toBe(first[0]);
    expect(third[0]).toEqual(first[0]);
  });
});

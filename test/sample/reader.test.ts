import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostReader } from '../../src/sample/reader.js';

describe('HostReader', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads files under its root, larger ones than its buffer too, and reuses the buffer', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-reader-'));
    mkdirSync(join(dir, 'proc/net'), { recursive: true });
    const big = `${'x'.repeat(700_000)}é\n`;
    writeFileSync(join(dir, 'proc/net/big'), big);
    writeFileSync(join(dir, 'proc/net/small'), 'small\n');
    const r = new HostReader(dir);
    expect(r.readText('proc/net/big')).toBe(big);
    expect(r.readText('proc/net/small')).toBe('small\n');
    expect(r.readText('/proc/net/small')).toBe('small\n');
    expect(r.readText('proc/net/missing')).toBeUndefined();
    expect(r.path('proc/net/tcp')).toBe(join(dir, 'proc/net/tcp'));
  });

  it('reads in pieces of at most 64 KiB cut at line ends, never inside a line or a character', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-reader-'));
    mkdirSync(join(dir, 'proc/net'), { recursive: true });
    // Lines of 100 bytes with a two-byte character at varying places, one line of 200 KiB, no final newline.
    const lines = Array.from({ length: 3000 }, (_, i) =>
      `${String(i).padStart(6, '0')} ${'a'.repeat(i % 90)}é`.padEnd(99, 'b'),
    );
    const long = 'L'.repeat(200 * 1024);
    const text = `${lines.slice(0, 1500).join('\n')}\n${long}\n${lines.slice(1500).join('\n')}`;
    writeFileSync(join(dir, 'proc/net/tcp'), text);
    writeFileSync(join(dir, 'proc/net/empty'), '');
    const r = new HostReader(dir);
    const pieces = r.readPieces('proc/net/tcp')!;
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBeGreaterThan(5);
    for (const [i, piece] of pieces.entries()) {
      if (i < pieces.length - 1) expect(piece.endsWith('\n')).toBe(true);
      if (!piece.includes(long)) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(64 * 1024);
    }
    expect(pieces.some((piece) => piece === `${long}\n`)).toBe(true); // the long line whole, on its own
    expect(r.readPieces('proc/net/empty')).toEqual([]);
    expect(r.readPieces('proc/net/missing')).toBeUndefined();
    expect(r.readPieces('proc/net/tcp')).toEqual(pieces); // and again, with the buffer reused
  });

  it('reads a real /proc file whose size the kernel reports as 0', () => {
    const text = new HostReader('/').readText('proc/net/tcp');
    expect(text?.startsWith('  sl  local_address')).toBe(true);
  });

  it('reads a sysctl file after its buffer has grown large (no multi-megabyte read request: ENOMEM)', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-reader-'));
    mkdirSync(join(dir, 'proc/net'), { recursive: true });
    writeFileSync(join(dir, 'proc/net/huge'), 'y'.repeat(5_000_000));
    const r = new HostReader(dir);
    expect(r.readText('proc/net/huge')?.length).toBe(5_000_000);
    const live = new HostReader('/');
    live.readText('proc/self/maps');
    expect(new HostReader('/').readText('proc/sys/kernel/hostname')?.trim().length).toBeGreaterThan(0);
    // The same reader, with its grown buffer, reading a sysctl file.
    (live as unknown as { buffer: Buffer }).buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
    expect(live.readText('proc/sys/kernel/hostname')?.trim().length).toBeGreaterThan(0);
  });

  it('refuses a directory where a file belongs', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-reader-'));
    mkdirSync(join(dir, 'proc/net/tcp'), { recursive: true });
    expect(() => new HostReader(dir).readText('proc/net/tcp')).toThrow('a directory, not a regular file');
  });

  it('reads at most its cap: cut back to the last line end, and says so', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-reader-'));
    mkdirSync(join(dir, 'proc/net'), { recursive: true });
    writeFileSync(join(dir, 'proc/net/lines'), 'aaaa\nbbbb\ncccc\n');
    const r = new HostReader(dir);
    expect(r.readText('proc/net/lines', 12)).toBe('aaaa\nbbbb\n');
    expect(r.lastCut).toBe(true);
    expect(r.readText('proc/net/lines', 15)).toBe('aaaa\nbbbb\ncccc\n');
    expect(r.lastCut).toBe(false);
    expect(r.readPieces('proc/net/lines', 7)).toEqual(['aaaa\n']);
    expect(r.lastCut).toBe(true);
    expect(r.readText('proc/net/missing', 7)).toBeUndefined();
    expect(r.lastCut).toBe(false);
  });

  it('cuts a command line at its cap without splitting a character', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-reader-'));
    mkdirSync(join(dir, 'proc/1'), { recursive: true });
    writeFileSync(join(dir, 'proc/1/cmdline'), 'ab\u00e9\u20ac\u{1f600}z'); // 2 + 2 + 3 + 4 + 1 bytes
    const r = new HostReader(dir);
    const cut = (limit: number) => r.readText('proc/1/cmdline', limit, false);
    expect(cut(3)).toBe('ab');
    expect(cut(4)).toBe('ab\u00e9');
    expect(cut(6)).toBe('ab\u00e9');
    expect(cut(7)).toBe('ab\u00e9\u20ac');
    expect(cut(10)).toBe('ab\u00e9\u20ac');
    expect(cut(11)).toBe('ab\u00e9\u20ac\u{1f600}');
    expect(r.lastCut).toBe(true);
    expect(cut(12)).toBe('ab\u00e9\u20ac\u{1f600}z');
    expect(r.lastCut).toBe(false);
  });

  it('under a --root tree, refuses what resolves outside it, and follows links that stay inside', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-reader-'));
    const root = join(dir, 'root');
    mkdirSync(join(root, 'proc/net'), { recursive: true });
    mkdirSync(join(root, 'proc/7/fd'), { recursive: true });
    writeFileSync(join(dir, 'secret'), 'outside\n');
    writeFileSync(join(root, 'proc/net/real'), 'inside\n');
    symlinkSync('../../../secret', join(root, 'proc/net/up'));
    symlinkSync(join(dir, 'secret'), join(root, 'proc/net/absolute'));
    symlinkSync('/dev/zero', join(root, 'proc/net/zero'));
    symlinkSync('real', join(root, 'proc/net/sibling'));
    symlinkSync('loop', join(root, 'proc/net/loop'));
    symlinkSync('socket:[42]', join(root, 'proc/7/fd/3'));
    symlinkSync(dir, join(root, 'proc/8'));
    const r = new HostReader(root);
    expect(r.live).toBe(false);
    expect(r.readText('proc/net/sibling')).toBe('inside\n');
    for (const rel of ['proc/net/up', 'proc/net/absolute', 'proc/net/zero'])
      expect(() => r.readText(rel), rel).toThrow('resolves outside the root');
    expect(() => r.readText('proc/net/loop')).toThrow(/ELOOP/);
    expect(r.readLink('proc/7/fd/3')).toBe('socket:[42]'); // a link's text is read, never followed
    expect(() => r.readDir('proc/8')).toThrow('resolves outside the root');
    expect(() => r.readLink('proc/8/secret')).toThrow('resolves outside the root');
    expect(() => r.statUid('proc/8')).toThrow('resolves outside the root');
    expect(r.readDir('proc').sort()).toEqual(['7', '8', 'net']);
  });

  it('the live host is "/" and reads its own /proc', () => {
    const r = new HostReader('/');
    expect(r.live).toBe(true);
    expect(r.readText('proc/self/comm', 4096)?.length).toBeGreaterThan(0);
  });
});

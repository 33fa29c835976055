import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostReader } from '../src/reader.js';

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

  it('throws for errors other than "not there"', () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-reader-'));
    mkdirSync(join(dir, 'proc/net/tcp'), { recursive: true });
    expect(() => new HostReader(dir).readText('proc/net/tcp')).toThrow(/EISDIR/);
  });
});

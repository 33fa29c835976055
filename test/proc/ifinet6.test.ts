import { describe, expect, it } from 'vitest';
import { parseIfInet6 } from '../../src/proc/ifinet6.js';

describe('/proc/net/if_inet6', () => {
  it('reads address, index, prefix length, scope, flags and device; skips what is not a line', () => {
    const { rows, skipped } = parseIfInet6(
      'fe8000000000000000fc00fffe000001 02 40 20 80     eth0\n' +
        '00000000000000000000000000000001 01 80 10 80       lo\n' +
        'not a line\n',
    );
    expect(skipped).toBe(1);
    expect(rows).toEqual([
      {
        address: 'fe80::fc:ff:fe00:1',
        ifindex: 2,
        prefixLength: 64,
        scope: 0x20,
        flags: 0x80,
        device: 'eth0',
      },
      { address: '::1', ifindex: 1, prefixLength: 128, scope: 0x10, flags: 0x80, device: 'lo' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  decodeIPv4Hex,
  decodeIPv6Hex,
  formatIPv6,
  parseIPv4,
  parseIPv6,
  tryDecodeIPv4Hex,
  tryDecodeIPv6Hex,
} from '../../src/proc/addr.js';

describe('decodeIPv4Hex', () => {
  const cases: [string, string, string][] = [
    ['loopback', '0100007F', '127.0.0.1'],
    ['any', '00000000', '0.0.0.0'],
    ['broadcast', 'FFFFFFFF', '255.255.255.255'],
    ['private', '0F02000A', '10.0.2.15'],
    ['high first byte (sign bit of the word)', '0101A8C0', '192.168.1.1'],
    ['lowercase hex', '0101a8c0', '192.168.1.1'],
  ];
  it.each(cases)('%s: %s → %s', (_name, hex, text) => {
    expect(decodeIPv4Hex(hex)).toBe(text);
  });

  const bad: [string, string][] = [
    ['empty', ''],
    ['7 digits', '0100007'],
    ['9 digits', '0100007F0'],
    ['not hex', '0100G07F'],
    ['sign', '-100007F'],
  ];
  it.each(bad)('malformed – %s', (_name, hex) => {
    expect(tryDecodeIPv4Hex(hex)).toBeUndefined();
    expect(() => decodeIPv4Hex(hex)).toThrow(RangeError);
  });

  it('stays correct after the cache overflows', () => {
    for (let i = 0; i < 10_000; i++) {
      const hex = i.toString(16).toUpperCase().padStart(8, '0');
      expect(decodeIPv4Hex(hex)).toBe(`${i & 0xff}.${(i >>> 8) & 0xff}.${(i >>> 16) & 0xff}.0`);
    }
    expect(decodeIPv4Hex('0100007F')).toBe('127.0.0.1');
  });
});

describe('decodeIPv6Hex', () => {
  const cases: [string, string, string][] = [
    ['link-local', '000080FE00000000FFADE15609667CFE', 'fe80::56e1:adff:fe7c:6609'],
    ['all zeros', '00000000000000000000000000000000', '::'],
    ['loopback', '00000000000000000000000001000000', '::1'],
    ['IPv4-mapped loopback', '0000000000000000FFFF00000100007F', '::ffff:127.0.0.1'],
    ['IPv4-mapped 1.2.3.4', '0000000000000000FFFF000004030201', '::ffff:1.2.3.4'],
    ['ties → first run', 'B80D0120000000000000010001000000', '2001:db8::1:0:0:1'],
    ['trailing zeros', 'B80D0120000000000000000000000000', '2001:db8::'],
    ['single zero group kept', 'B80D0120010000000100010001000100', '2001:db8:0:1:1:1:1:1'],
    ['lowercase input', '000080fe00000000ffade15609667cfe', 'fe80::56e1:adff:fe7c:6609'],
  ];
  it.each(cases)('%s: %s → %s', (_name, hex, text) => {
    expect(decodeIPv6Hex(hex)).toBe(text);
  });

  const bad: [string, string][] = [
    ['empty', ''],
    ['8 digits (an IPv4 word)', '0100007F'],
    ['31 digits', '0000000000000000000000000100000'],
    ['33 digits', '000000000000000000000000010000000'],
    ['not hex', '000080FE00000000FFADE15609667CFX'],
  ];
  it.each(bad)('malformed – %s', (_name, hex) => {
    expect(tryDecodeIPv6Hex(hex)).toBeUndefined();
    expect(() => decodeIPv6Hex(hex)).toThrow(RangeError);
  });
});

describe('formatIPv6 (RFC 5952)', () => {
  const cases: [string, number[], string][] = [
    ['all zeros', [0, 0, 0, 0, 0, 0, 0, 0], '::'],
    ['loopback', [0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    ['leading run', [0, 0, 0, 0, 0, 0, 0xabcd, 1], '::abcd:1'],
    ['trailing zeros', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], '2001:db8::'],
    ['middle run', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], '2001:db8::1'],
    ['single zero group not compressed', [0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
    ['ties → first run', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
    ['longest run wins over first', [0x2001, 0, 0, 1, 0, 0, 0, 1], '2001:0:0:1::1'],
    [
      'no leading zeros, lowercase',
      [0x2001, 0x0db8, 0x00ab, 0xcdef, 0x000f, 1, 2, 3],
      '2001:db8:ab:cdef:f:1:2:3',
    ],
    ['no zeros at all', [1, 2, 3, 4, 5, 6, 7, 8], '1:2:3:4:5:6:7:8'],
    ['IPv4-mapped', [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304], '::ffff:1.2.3.4'],
    ['IPv4-compatible stays hex', [0, 0, 0, 0, 0, 0, 0x0102, 0x0304], '::102:304'],
    ['ffff not in the mapped slot', [0, 0, 0, 0, 0xffff, 0, 0x0102, 0x0304], '::ffff:0:102:304'],
  ];
  it.each(cases)('%s → %s', (_name, groups, text) => {
    expect(formatIPv6(groups)).toBe(text);
  });

  const bad: [string, number[]][] = [
    ['7 groups', [0, 0, 0, 0, 0, 0, 1]],
    ['9 groups', [0, 0, 0, 0, 0, 0, 0, 0, 1]],
    ['group above 0xffff', [0x10000, 0, 0, 0, 0, 0, 0, 1]],
    ['negative group', [-1, 0, 0, 0, 0, 0, 0, 1]],
    ['fractional group', [1.5, 0, 0, 0, 0, 0, 0, 1]],
  ];
  it.each(bad)('refuses %s', (_name, groups) => {
    expect(() => formatIPv6(groups)).toThrow(RangeError);
  });
});

describe('parseIPv4', () => {
  it.each([
    ['127.0.0.1', [127, 0, 0, 1]],
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['10.20.30.40', [10, 20, 30, 40]],
  ])('%s', (text, bytes) => {
    expect(Array.from(parseIPv4(text)!)).toEqual(bytes);
  });

  it.each([
    ['empty', ''],
    ['three parts', '1.2.3'],
    ['five parts', '1.2.3.4.5'],
    ['byte above 255', '1.2.3.256'],
    ['leading zero (octal?)', '01.2.3.4'],
    ['empty part', '1..3.4'],
    ['sign', '1.2.3.-4'],
    ['hex', '0x1.2.3.4'],
    ['trailing dot', '1.2.3.4.'],
    ['prefix attached', '1.2.3.4/8'],
    ['space', ' 1.2.3.4'],
  ])('invalid – %s', (_name, text) => {
    expect(parseIPv4(text)).toBeUndefined();
  });
});

describe('parseIPv6', () => {
  const hex = (bytes: Uint8Array | undefined) =>
    bytes === undefined ? undefined : Buffer.from(bytes).toString('hex');

  it.each([
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['fe80::56e1:adff:fe7c:6609', 'fe8000000000000056e1adfffe7c6609'],
    ['FE80::56E1:ADFF:FE7C:6609', 'fe8000000000000056e1adfffe7c6609'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['1::3:4:5:6:7:8', '00010000000300040005000600070008'],
    ['::ffff:1.2.3.4', '00000000000000000000ffff01020304'],
    ['::1.2.3.4', '00000000000000000000000001020304'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
  ])('%s', (text, bytes) => {
    expect(hex(parseIPv6(text))).toBe(bytes);
  });

  it.each([
    ['empty', ''],
    ['single colon', ':'],
    [':::', ':::'],
    ['two gaps', '1::2::3'],
    ['7 groups, no gap', '1:2:3:4:5:6:7'],
    ['9 groups', '1:2:3:4:5:6:7:8:9'],
    ['8 groups and a gap', '1:2:3:4::5:6:7:8'],
    ['group of 5 digits', '12345::1'],
    ['not hex', 'fe80::g'],
    ['leading single colon', ':1:2:3:4:5:6:7'],
    ['trailing single colon', '1:2:3:4:5:6:7:'],
    ['IPv4 not last', '1.2.3.4::1'],
    ['bad embedded IPv4', '::ffff:1.2.3.256'],
    ['zone id', 'fe80::1%eth0'],
    ['prefix', '2001:db8::/32'],
    ['plain IPv4', '1.2.3.4'],
  ])('invalid – %s', (_name, text) => {
    expect(parseIPv6(text)).toBeUndefined();
  });

  it.each([
    '::',
    '::1',
    'fe80::56e1:adff:fe7c:6609',
    '2001:db8::1:0:0:1',
    '::ffff:10.0.0.1',
    '1:2:3:4:5:6:7:8',
  ])('round-trips %s through formatIPv6', (text) => {
    const bytes = parseIPv6(text)!;
    const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
    expect(formatIPv6(groups)).toBe(text);
  });
});

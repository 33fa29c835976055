import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth, fitText, padEnd, padStart, truncate, wrapText } from '../../src/view/textwidth.js';

describe('displayWidth', () => {
  it.each([
    ['empty', '', 0],
    ['ascii', 'nginx', 5],
    ['CJK wide', '中文', 4],
    ['fullwidth latin', 'ＡＢ', 4],
    ['combining acute is zero', 'e\u0301', 1],
    ['emoji', '🙂', 2],
    ['mixed', 'a中b', 4],
    ['ellipsis is narrow', '…', 1],
  ])('%s', (_name, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('truncate', () => {
  it.each([
    ['fits, unchanged', 'abc', 3, 'abc'],
    ['ascii cut', 'abcdef', 4, 'abc…'],
    ['width 0', 'abc', 0, ''],
    ['width 1', 'abc', 1, '…'],
    ['width 1, fits', 'a', 1, 'a'],
    ['negative width', 'abc', -3, ''],
    ['NaN width', 'abc', Number.NaN, ''],
    ['fractional width floors', 'abcdef', 4.9, 'abc…'],
    ['empty string', '', 5, ''],
    ['CJK fits exactly', '中文', 4, '中文'],
    ['CJK cut on a boundary', '中文字', 5, '中文…'],
    ['CJK straddling char dropped whole', '中文字', 4, '中…'],
    ['CJK width 2', '中文', 2, '…'],
    ['CJK width 1', '中文', 1, '…'],
    ['combining mark stays with its base', 'e\u0301e\u0301e\u0301', 2, 'e\u0301…'],
  ])('%s', (_name, text, width, expected) => {
    const cut = truncate(text, width);
    expect(cut).toBe(expected);
    expect(displayWidth(cut)).toBeLessThanOrEqual(Math.max(0, Math.floor(width) || 0));
  });
});

describe('padEnd / padStart', () => {
  it('pads ascii on the right and on the left', () => {
    expect(padEnd('ab', 4)).toBe('ab  ');
    expect(padStart('ab', 4)).toBe('  ab');
  });
  it('counts wide characters as two columns', () => {
    expect(padEnd('中', 4)).toBe('中  ');
    expect(padStart('中', 3)).toBe(' 中');
  });
  it('never shortens', () => {
    expect(padEnd('abcdef', 3)).toBe('abcdef');
    expect(padStart('中文', 1)).toBe('中文');
    expect(padEnd('x', 0)).toBe('x');
  });
});

describe('fitText', () => {
  it.each([
    ['pads short text left-aligned', 'ab', 4, 'left', 'ab  '],
    ['pads short text right-aligned', 'ab', 4, 'right', '  ab'],
    ['cuts long text', 'abcdef', 4, 'left', 'abc…'],
    ['fills the column a dropped wide char leaves', '中文字', 4, 'left', '中… '],
    ['width 1', 'abc', 1, 'right', '…'],
    ['width 0', 'abc', 0, 'left', ''],
  ] as const)('%s', (_name, text, width, align, expected) => {
    expect(fitText(text, width, align)).toBe(expected);
    expect(displayWidth(fitText(text, width, align))).toBe(width);
  });
});

// Issue 15: a 2 MB command line was segmented into graphemes on every frame and the event loop never came
// back. Cutting and wrapping look at a window bounded by the columns, not at the whole string.
describe('long text costs what is shown, not what the host holds', () => {
  const accented = 'é'.repeat(2_000_000);
  const asciiThenWide = `${'a'.repeat(2_000_000)}中`;
  const marks = `a${'\u0301'.repeat(2_000_000)}`;

  it('truncate cuts 2 MB strings in well under a millisecond each', () => {
    expect(truncate(accented, 10)).toBe(`${'é'.repeat(9)}…`);
    expect(truncate(asciiThenWide, 10)).toBe('aaaaaaaaa…');
    expect(truncate(marks, 10).endsWith('…')).toBe(true);
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) {
      truncate(accented, 40);
      truncate(asciiThenWide, 40);
      truncate(marks, 40);
    }
    // ~2 µs each here; 600 calls on a 2 MB string each took seconds when the whole string was segmented.
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('wrapText wraps at the width and stops at maxLines, saying how much is left', () => {
    expect(wrapText('abcdefghij', 3, 10)).toEqual(['abc', 'def', 'ghi', 'j']);
    expect(wrapText('abcdefghij', 3, 4)).toEqual(['abc', 'def', 'ghi', 'j']);
    expect(wrapText('abcdefghijklmnopqrstuvwxyz', 10, 2)).toEqual(['abcdefghij', '… (16 mor…']);
    expect(wrapText('中文字中文字', 4, 3)).toEqual(['中文', '字中', '文字']);
    expect(wrapText('中文字中文字中', 4, 2)).toEqual(['中文', '… (…']);
    expect(wrapText('', 4, 2)).toEqual(['']);
    for (const line of wrapText(accented, 80, 50)) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(wrapText(accented, 80, 50)).toHaveLength(50);
    expect(wrapText(accented, 80, 50)[49]).toBe(`… (${2_000_000 - 49 * 80} more characters not shown)`);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      wrapText(accented, 200, 50);
      wrapText(asciiThenWide, 200, 50);
      wrapText(marks, 200, 50);
    }
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('displayWidth on long text', () => {
  it('agrees with string-width, Ink’s measure, on mixed text of every length', () => {
    const parts = [
      'a',
      'é',
      'e\u0301',
      '中',
      '🙂',
      '👨‍👩‍👧',
      'Ａ',
      '\u0301',
      ' ',
      'ñ',
      'ǅ',
      '\u02ff',
      'x\u200d',
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 200; round++) {
      let s = '';
      const n = next() % 400;
      for (let i = 0; i < n; i++) s += parts[next() % parts.length];
      expect(displayWidth(s), JSON.stringify(s)).toBe(stringWidth(s));
    }
  });

  it('is linear: 2 MB of accented or CJK text in tens of milliseconds', () => {
    const t0 = performance.now();
    expect(displayWidth('é'.repeat(2_000_000))).toBe(2_000_000);
    expect(displayWidth('中'.repeat(200_000))).toBe(400_000);
    // string-width on the same two strings takes minutes (V8's segmenter is quadratic on long text).
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

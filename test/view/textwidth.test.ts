import { describe, expect, it } from 'vitest';
import { displayWidth, fitText, padEnd, padStart, truncate } from '../../src/view/textwidth.js';

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

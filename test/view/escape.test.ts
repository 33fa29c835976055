import { describe, expect, it } from 'vitest';
import { jsonString } from '../../src/cli/json.js';
import { escapeControl, escapeFrame, escapeText, isSafeText } from '../../src/view/escape.js';
import { HOSTILE_CHARS, rawUnsafe } from '../helpers/hostile.js';

describe('escapeControl', () => {
  it.each([
    ['terminal title', '\x1b]0;pwned\x07', '\\e]0;pwned\\x07'],
    ['newline, tab, CR', 'a\nb\tc\r', 'a\\nb\\tc\\r'],
    ['DEL and C1 CSI', 'x\x7f\x9b31m', 'x\\x7f\\x9b31m'],
    ['right-to-left override', 'evil\u202etxt.exe', 'evil\\u202etxt.exe'],
    ['isolates', '\u2066a\u2069', '\\u2066a\\u2069'],
    ['zero-width space and joiner', 'ng\u200binx\u200d', 'ng\\u200binx\\u200d'],
    ['BOM and word joiner', '\ufeffa\u2060', '\\ufeffa\\u2060'],
    ['tag characters', 'a\u{e0041}', 'a\\u{e0041}'],
    ['lone surrogate', 'a\ud800b', 'a\\ud800b'],
    ['a valid pair is kept', 'a🙂b', 'a🙂b'],
    ['ordinary non-ASCII is kept', 'café 中文 ñ', 'café 中文 ñ'],
    ['backslashes are kept', 'C:\\x', 'C:\\x'],
  ])('%s', (_name, input, want) => {
    expect(escapeControl(input)).toBe(want);
  });

  it('leaves nothing of the hostile set raw, alone or together', () => {
    for (const ch of HOSTILE_CHARS) {
      expect(rawUnsafe(escapeControl(`a${ch}b`)), JSON.stringify(ch)).toBeUndefined();
      expect(isSafeText(escapeText(`a${ch}b`)), JSON.stringify(ch)).toBe(true);
    }
    const all = HOSTILE_CHARS.join('.'); // apart: '\ud800' + '\udfff' would be one valid pair
    expect(rawUnsafe(escapeControl(all))).toBeUndefined();
    expect(escapeControl(all)).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe('escapeText and escapeFrame', () => {
  it('escapeText keeps newlines and tabs of a table, nothing else', () => {
    expect(escapeText('a\tb\nc\x1b[2Jd\x07\u202e')).toBe('a\tb\nc\\e[2Jd\\x07\\u202e');
  });
  it('escapeFrame keeps what Ink writes (ESC, CR, LF), nothing else', () => {
    expect(escapeFrame('\x1b[2K\x1b[1A\rrow\n')).toBe('\x1b[2K\x1b[1A\rrow\n');
    expect(escapeFrame('\x9b2J\x07\x00\t\u202e')).toBe('\\x9b2J\\x07\\x00\\t\\u202e');
  });
});

describe('jsonString', () => {
  it('writes DEL, C1 and the invisible set as \\u escapes, and lone surrogates as \\udXXX', () => {
    expect(jsonString('\x7f\x80\x9b\x9f')).toBe('"\\u007f\\u0080\\u009b\\u009f"');
    expect(jsonString('a\u202eb\ufeff')).toBe('"a\\u202eb\\ufeff"');
    expect(jsonString('\u{e0041}')).toBe('"\\udb40\\udc41"');
    expect(jsonString('\ud800')).toBe('"\\ud800"');
    expect(jsonString('\x1b\n')).toBe('"\\u001b\\n"');
    expect(jsonString('café 🙂')).toBe('"café 🙂"');
  });
  it('round-trips every hostile character through JSON.parse and leaves none raw', () => {
    for (const ch of HOSTILE_CHARS) {
      const text = jsonString(`x${ch}y`);
      expect(rawUnsafe(text), JSON.stringify(ch)).toBeUndefined();
      expect(JSON.parse(text)).toBe(`x${ch}y`);
    }
  });
});

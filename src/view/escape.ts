// Text from the kernel or from processes (comm, cmdline, unix paths, interface names) is untrusted:
// a process may call itself "\x1b]0;pwned\x07", or "\u202e" to turn a column around. Nothing reaches a
// terminal without passing here; JSON strings go through jsonString (src/cli/json.ts) with the same set.
//
// What is escaped (README, "Hostile input"):
// - C0 controls U+0000–U+001F, DEL U+007F and C1 controls U+0080–U+009F (U+009B is CSI on terminals that
//   honour 8-bit controls);
// - characters that are invisible or change the direction or joining of what follows, so a name cannot
//   hide, reorder or fake columns: U+00AD soft hyphen, U+061C Arabic letter mark, U+115F/U+1160 and
//   U+3164/U+FFA0 Hangul fillers (blank but wide), U+17B4/U+17B5 Khmer inherent vowels, U+180E
//   Mongolian vowel separator, U+200B–U+200F
//   (zero-width space, non-joiner, joiner, LRM, RLM), U+2028/U+2029 line and paragraph separators,
//   U+202A–U+202E (bidi embeddings and overrides), U+2060–U+206F (word joiner, invisible operators,
//   bidi isolates U+2066–U+2069, deprecated format characters), U+FEFF (BOM / zero-width no-break space),
//   U+FFF0–U+FFF8 (unassigned, ignorable) and U+FFF9–U+FFFB (interlinear annotation), the musical
//   formatting controls U+1D173–U+1D17A, the shorthand format controls U+1BCA0–U+1BCA3 and the tag
//   characters U+E0000–U+E007F;
// - lone surrogates (only a bug upstream could make one, but they are not text a terminal can show).
// An escape is visible ASCII: \e \n \t \r, \xHH for the other C0/DEL/C1, \uHHHH (\u{HHHHH}) for the rest.
// Backslashes are left as they are (netstat's habit; `\e` in a name is then ambiguous, but never raw).
// ZWJ inside an emoji sequence is escaped too: a family emoji shows as its parts, a price worth paying.

const INVISIBLE_CLASS =
  '\\u00ad\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff0-\\ufffb';
const SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
// Tag characters U+E0000–U+E007F, musical formatting controls U+1D173–U+1D17A, shorthand format controls
// U+1BCA0–U+1BCA3: all invisible.
const TAGS = '\\udb40[\\udc00-\\udc7f]|\\ud834[\\udd73-\\udd7a]|\\ud82f[\\udca0-\\udca3]';

/** Everything escapeControl replaces. */
const UNSAFE = new RegExp(`[\\x00-\\x1f\\x7f-\\x9f${INVISIBLE_CLASS}]|${TAGS}|${SURROGATE}`, 'g');
/** The same, but newline and tab pass: for whole blocks of text (a --once table, a stderr message). */
const UNSAFE_IN_TEXT = new RegExp(
  `[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f${INVISIBLE_CLASS}]|${TAGS}|${SURROGATE}`,
  'g',
);
/** For a frame Ink wrote: ESC (its own cursor and colour sequences), CR and LF pass. */
const UNSAFE_IN_FRAME = new RegExp(
  `[\\x00-\\x09\\x0b\\x0c\\x0e-\\x1a\\x1c-\\x1f\\x7f-\\x9f${INVISIBLE_CLASS}]|${TAGS}|${SURROGATE}`,
  'g',
);

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

function escapeChar(ch: string): string {
  switch (ch) {
    case '\n':
      return '\\n';
    case '\t':
      return '\\t';
    case '\r':
      return '\\r';
    case '\x1b':
      return '\\e';
  }
  const code = ch.codePointAt(0)!;
  if (code <= 0x9f) return `\\x${hex(code, 2)}`;
  if (ch.length === 1) return `\\u${hex(ch.charCodeAt(0), 4)}`;
  return `\\u{${hex(code, 5)}}`;
}

/** Most host text is printable ASCII: one cheap test settles it (the full pattern costs ~3× as much). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function escapeWith(pattern: RegExp, text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  pattern.lastIndex = 0;
  return pattern.test(text) ? text.replace(pattern, escapeChar) : text;
}

/** Replace control, invisible and direction-changing characters with visible escapes (\e, \n, \x07, \u202e ...). */
export function escapeControl(text: string): string {
  return escapeWith(UNSAFE, text);
}

/**
 * The same for a whole block of text that is written as it is (a --once table, a message on stderr):
 * newlines and tabs stay, everything else escapeControl replaces is replaced. The backstop at every write
 * point: a field some renderer forgot to escape still cannot reach the terminal raw.
 */
export function escapeText(text: string): string {
  return escapeWith(UNSAFE_IN_TEXT, text);
}

/**
 * The same for what Ink writes to the terminal: ESC, CR and LF are Ink's own (cursor moves, colours), so
 * they pass; C1, DEL, the other C0 and the invisible set cannot come from Ink and are escaped.
 */
export function escapeFrame(text: string): string {
  return escapeWith(UNSAFE_IN_FRAME, text);
}

/** True when `text` holds nothing escapeText would change (tests and the fuzzer use it). */
export function isSafeText(text: string): boolean {
  UNSAFE_IN_TEXT.lastIndex = 0;
  return !UNSAFE_IN_TEXT.test(text);
}

/** The characters JSON must write as \uXXXX beyond what JSON.stringify escapes: DEL, C1, the invisible set. */
export const JSON_UNSAFE = new RegExp(`[\\x7f-\\x9f${INVISIBLE_CLASS}]|${TAGS}`, 'g');

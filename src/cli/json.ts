// JSON with exact integers: bigint values are written as bare digits (not strings, not rounded),
// so 18446744073709551615 stays 18446744073709551615. Maps become objects. Strings go through
// jsonString: JSON's own escaping (C0 as \u00XX, a lone surrogate as \udXXX), then DEL, C1 and the
// invisible set of src/view/escape.ts as \uXXXX, so the document is valid UTF-8 with no raw control
// character and a name cannot turn a terminal that shows the JSON (`jq`, `less`) around.
import { JSON_UNSAFE } from '../view/escape.js';

function unicodeEscape(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** A JSON string literal for `s` with no raw control, DEL, C1 or invisible character. */
export function jsonString(s: string): string {
  const text = JSON.stringify(s);
  JSON_UNSAFE.lastIndex = 0;
  return JSON_UNSAFE.test(text) ? text.replace(JSON_UNSAFE, unicodeEscape) : text;
}

export function toJson(value: unknown, indent = 0): string {
  const chunks: string[] = [];
  writeJson(value, indent, (chunk) => chunks.push(chunk));
  return chunks.join('');
}

/** How much text writeJson gathers before it hands a chunk to its sink. */
const CHUNK = 64 * 1024;

/**
 * The same text as toJson, handed to `sink` in chunks of about 64 KiB as it is produced: a document of
 * 20,000 sockets never exists as one string or as a million pieces at once.
 */
export function writeJson(value: unknown, indent: number, sink: (chunk: string) => void): void {
  const out = new Pieces(sink);
  write(value, indent, 0, out);
  out.flush();
}

class Pieces {
  private pieces: string[] = [];
  private size = 0;
  constructor(private readonly sink: (chunk: string) => void) {}

  push(...texts: string[]): void {
    for (const text of texts) {
      this.pieces.push(text);
      this.size += text.length;
    }
    if (this.size >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.pieces.length === 0) return;
    this.sink(this.pieces.join(''));
    this.pieces = [];
    this.size = 0;
  }
}

function write(value: unknown, indent: number, depth: number, out: Pieces): void {
  if (value === null || value === undefined) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'bigint':
      out.push(value.toString());
      return;
    case 'number':
      out.push(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'string':
      out.push(jsonString(value));
      return;
    case 'object':
      break;
    default:
      out.push('null');
      return;
  }
  const nl = indent > 0 ? `\n${' '.repeat(indent * (depth + 1))}` : '';
  const close = indent > 0 ? `\n${' '.repeat(indent * depth)}` : '';
  const sep = indent > 0 ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      out.push(nl);
      write(item, indent, depth + 1, out);
    });
    out.push(close, ']');
    return;
  }
  const entries: [string, unknown][] =
    value instanceof Map
      ? [...value.entries()].map(([k, v]) => [String(k), v])
      : Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{');
  entries.forEach(([k, v], i) => {
    if (i > 0) out.push(',');
    out.push(nl, jsonString(k), sep);
    write(v, indent, depth + 1, out);
  });
  out.push(close, '}');
}

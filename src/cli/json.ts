// JSON with exact integers: bigint values are written as bare digits (not strings, not rounded),
// so 18446744073709551615 stays 18446744073709551615. Maps become objects. Strings go through
// JSON's own escaping, which already turns control characters into \u00XX.

export function toJson(value: unknown, indent = 0): string {
  const out: string[] = [];
  write(value, indent, 0, out);
  return out.join('');
}

function write(value: unknown, indent: number, depth: number, out: string[]): void {
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
      out.push(JSON.stringify(value));
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
    out.push(nl, JSON.stringify(k), sep);
    write(v, indent, depth + 1, out);
  });
  out.push(close, '}');
}

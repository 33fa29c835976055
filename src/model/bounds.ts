// How much host text the model keeps. Every name that comes from the host (a process's command line and
// comm, a unix path, an interface, user or host name) is cut here, where it enters the model, so nothing
// downstream (width measurement, wrapping, escaping, filtering, JSON) ever sees more than this, whatever
// a process or a --root tree holds. Real kernels stay far below the name cap (comm 15 bytes, a unix path
// 108, an interface name 15, a host name 64); a command line may legitimately be megabytes (ARG_MAX), so
// it has its own, larger cap and a flag on ProcessInfo saying it was cut.

/** Longest command line kept, in UTF-16 code units (4 KiB of ASCII), before the cut mark. */
export const CMDLINE_MAX = 4096;

/** Longest other name kept (comm, unix path, interface, user, host, service, counter name). */
export const NAME_MAX = 1024;

/**
 * Longest line a line-per-record /proc parser splits into fields (route, ipv6_route, dev, igmp, snmp6,
 * sockstat; snmp and netstat allow 16 times this); real ones are under 300 characters (TcpExt's header,
 * ~3 KB). A longer line is skipped as malformed before it is split: a 10 MB line costs one scan, not
 * millions of tokens.
 */
export const LINE_MAX = 4096;

/** Appended to text that was cut, so every output shows it without knowing the rule. */
export const CUT_MARK = '…';

/**
 * `text` when it has at most `max` code units, else its first `max` (one fewer when that would split a
 * surrogate pair) followed by CUT_MARK, holding no reference to `text`. Costs nothing for text under the
 * cap: no copy, no scan.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate whose low half would be cut off
  return markCut(text.slice(0, end));
}

/** `kept` + CUT_MARK as a string of its own. */
export function markCut(kept: string): string {
  // A slice of a long string keeps the whole string alive in V8 (a sliced string points into its parent):
  // slicing a concatenation flattens it into a new string first, so only the kept part stays in memory.
  return ` ${kept}${CUT_MARK}`.slice(1);
}

/** A name capped at NAME_MAX. */
export function capName(text: string): string {
  return capText(text, NAME_MAX);
}

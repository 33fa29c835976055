// Colour for the live view. Ink decides whether to draw frames from is-in-ci (CI / CONTINUOUS_INTEGRATION
// set and not "0"/"false"), and chalk, which Ink styles with, decides the colour level from the environment
// when it is first imported: any `CI` variable at all makes it level 0, no SGR sequence whatsoever. A user
// who opens the monitor on a terminal (even in a CI job's debug shell, or from a test run with CI=true)
// asked for the live view, so both variables go before Ink is imported; FORCE_COLOR still wins in chalk,
// and NO_COLOR is ours to honour (colours off, inverse and bold kept: see App's noColor).

/** Drop the variables that make Ink draw no frames and chalk draw no styles. Call before importing Ink. */
export function prepareLiveEnv(env: NodeJS.ProcessEnv): void {
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
}

/** What NO_COLOR asks for: colours off (https://no-color.org: set and not empty). */
export function noColorRequested(env: NodeJS.ProcessEnv): boolean {
  return 'NO_COLOR' in env && env.NO_COLOR !== '';
}

/**
 * The chalk level to use on a terminal: chalk's own detection, except that a terminal it does not
 * recognise (TERM unset or unknown) still gets level 1, the 16-colour SGR every terminal since the VT100
 * understands, so the selected row (inverse) and the current tab never vanish. FORCE_COLOR=0 is an explicit
 * "no styles" and is kept; the table then marks the selection with '>'.
 */
export function liveColourLevel(detected: number, env: NodeJS.ProcessEnv): number {
  if (detected > 0) return detected;
  if ('FORCE_COLOR' in env) return detected;
  if (env.TERM === 'dumb') return detected;
  return 1;
}

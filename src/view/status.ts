// The status bar's words: which toggles are in force, and what the owner scan could not see. Pure.
import { CHANGED_WINDOW_MS } from './stats.js';
import type { UiState } from './uistate.js';

/** The toggles in force, so a screen that hides counters or shows bits says so. */
export function togglesText(ui: UiState): string {
  const on: string[] = [];
  if (ui.numeric) on.push('numeric');
  if (ui.wide) on.push('wide');
  if (ui.showUnix) on.push('+unix');
  if (ui.bits) on.push('bits/s');
  if (ui.hideZero) on.push('no zeros');
  if (ui.changedOnly) on.push(`changed ≤${CHANGED_WINDOW_MS / 1000}s`);
  if (ui.hOffset[ui.pane] > 0) on.push(`→${ui.hOffset[ui.pane]} cols`);
  return on.join(' ');
}

/**
 * What the owner scan could not see, said as it is: as root, how many processes' fd tables were refused
 * (a sandbox or an LSM can refuse even root, as pid 1 is here); as a user, the usual advice.
 */
export function ownersNotice(
  stats: {
    readonly unreadable: number;
    readonly firstUnreadable?: { readonly pid: number; readonly reason: string };
  },
  root: boolean,
): string | undefined {
  const n = stats.unreadable;
  if (n <= 0) return undefined;
  if (!root) return 'run as root to see all owners';
  const first = stats.firstUnreadable;
  const why = first ? ` (pid ${first.pid}: ${first.reason})` : '';
  return `${n} process${n === 1 ? "'s" : "es'"} sockets could not be read${why}`;
}

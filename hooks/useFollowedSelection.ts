import { useRef } from 'react';
import type { UiState } from '../src/view/uistate.js';

/**
 * The selected row follows its socket (htop's habit): when a sample inserts or removes rows above it, or
 * reorders them, the same row stays selected at the same place on screen rather than the same index. A key
 * press or any other change of the UI state selects by index again (the App syncs the state first).
 */
export function useFollowedSelection(
  ui: UiState,
  rows: readonly unknown[],
): { selected: number; scrollTop: number } {
  // offset: the selected row's line on screen (index − scrollTop), kept when the row moves.
  const last = useRef<{ ui: UiState; row: unknown; index: number; offset: number }>(undefined);
  const clampIndex = (i: number) => Math.min(i, Math.max(0, rows.length - 1));
  const previous = last.current;
  let selected: number;
  let scrollTop: number;
  if (previous && previous.ui === ui) {
    // Only the rows changed since the last render. Rows are reused per socket, so identity finds it.
    const at =
      previous.row === undefined
        ? -1
        : rows[previous.index] === previous.row
          ? previous.index
          : rows.indexOf(previous.row);
    selected = at >= 0 ? at : clampIndex(previous.index);
    scrollTop = Math.max(0, (at >= 0 ? at : previous.index) - previous.offset);
  } else {
    selected = clampIndex(ui.selected[ui.pane]);
    scrollTop = ui.scrollTop[ui.pane];
  }
  last.current = { ui, row: rows[selected], index: selected, offset: selected - scrollTop };
  return { selected, scrollTop };
}

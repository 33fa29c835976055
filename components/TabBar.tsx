import { Text } from 'ink';
import { PANE_TITLES, PANES, type Pane } from '../src/view/uistate.js';

export interface TabBarProps {
  /** The pane in view. */
  pane: Pane;
  width: number;
  noColor: boolean;
  /** No styles at all (FORCE_COLOR=0): the current pane is bracketed. */
  plain?: boolean;
}

type Form = 'full' | 'short' | 'number' | 'tight';

function labelOf(p: Pane, i: number, form: Form): string {
  if (form === 'full') return `${i + 1} ${PANE_TITLES[p]}`;
  if (form === 'short') return `${i + 1} ${PANE_TITLES[p].slice(0, 4)}`;
  return `${i + 1}`;
}

/** Columns a tab takes: its label, padded with a space each side except in the tight form. */
function tabWidth(p: Pane, i: number, form: Form, current: boolean): number {
  return labelOf(p, i, current ? 'full' : form).length + (form === 'tight' && !current ? 0 : 2);
}

/** The richest form of the other tabs that fits beside the current one's full title. */
function formFor(pane: Pane, width: number): Form {
  for (const form of ['full', 'short', 'number'] as const) {
    let used = 0;
    PANES.forEach((p, i) => {
      used += tabWidth(p, i, form, p === pane);
    });
    if (used <= width) return form;
  }
  return 'tight';
}

/**
 * " 1 Overview  2 Connections ..." with the current pane inverse (and in [brackets] without styles).
 * When the full titles do not fit, the others shrink to four letters, then to their number; the current
 * pane keeps its full title, so it is always on screen.
 */
export function TabBar({ pane, width, noColor, plain = false }: TabBarProps) {
  const form = formFor(pane, width);
  return (
    <Text wrap="truncate-end">
      {PANES.map((p, i) => {
        const current = p === pane;
        const label = labelOf(p, i, current ? 'full' : form);
        const bracket = current && (noColor || plain);
        return (
          <Text key={p} inverse={current} bold={current} color={current && !noColor ? 'cyan' : undefined}>
            {bracket ? `[${label}]` : form === 'tight' && !current ? label : ` ${label} `}
          </Text>
        );
      })}
    </Text>
  );
}

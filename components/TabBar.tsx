import { Text } from 'ink';
import { PANE_TITLES, PANES, type Pane } from '../src/view/uistate.js';

export interface TabBarProps {
  /** The pane in view. */
  pane: Pane;
  width: number;
  noColor: boolean;
}

/** " 1 Connections  2 Listeners ..." with the current pane inverse (and in [brackets] without colour). */
export function TabBar({ pane, width, noColor }: TabBarProps) {
  const narrow = width < 60;
  return (
    <Text wrap="truncate-end">
      {PANES.map((p, i) => {
        const title = narrow ? PANE_TITLES[p].slice(0, width < 30 ? 1 : 4) : PANE_TITLES[p];
        const label = `${i + 1}${narrow && width < 30 ? '' : ' '}${title}`;
        const current = p === pane;
        return (
          <Text key={p} inverse={current && !noColor} bold={current}>
            {current && noColor ? `[${label}]` : ` ${label} `}
          </Text>
        );
      })}
    </Text>
  );
}

import { useStdout } from 'ink';
import { useCallback, useSyncExternalStore } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** Used when the stream reports no size (not a TTY, or a test double). */
export const DEFAULT_SIZE: Readonly<TerminalSize> = { columns: 80, rows: 24 };

// useSyncExternalStore needs the same object back while nothing changed, or it re-renders forever.
const lastSize = new WeakMap<object, TerminalSize>();

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
  const columns = stdout.columns > 0 ? stdout.columns : DEFAULT_SIZE.columns;
  const rows = stdout.rows > 0 ? stdout.rows : DEFAULT_SIZE.rows;
  const last = lastSize.get(stdout);
  if (last !== undefined && last.columns === columns && last.rows === rows) return last;
  const size = { columns, rows };
  lastSize.set(stdout, size);
  return size;
}

/** Size of the stream Ink renders to; the caller re-renders on every 'resize'. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const subscribe = useCallback(
    (onChange: () => void) => {
      stdout.on('resize', onChange);
      return () => {
        stdout.off('resize', onChange);
      };
    },
    [stdout],
  );
  const getSnapshot = useCallback(() => readSize(stdout), [stdout]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

// ink-testing-library's fake stdout is always 100 columns and has no rows. UI tests need to run
// at several terminal sizes, so we give the instance its own size and announce changes with
// 'resize', as a real TTY does.
import { render } from 'ink-testing-library';
import { createElement, Fragment, type ReactElement } from 'react';

export interface Size {
  columns: number;
  rows: number;
}

export type Rendered = ReturnType<typeof render> & {
  /**
   * Change the fake terminal's size and emit 'resize'. Resolves once React has re-rendered: a
   * store update from an event is flushed in a microtask, so we wait microtask turns, never timers
   * (safe under vi.useFakeTimers()).
   */
  resize(columns: number, rows: number): Promise<void>;
};

// React flushes a sync-lane update in the first microtask; the rest is margin for nested updates.
const SETTLE_TURNS = 5;

function setSize(stdout: object, { columns, rows }: Size): void {
  // Own properties shadow the prototype's read-only `columns` getter.
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true, writable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true, writable: true });
}

/** Render `node` in a fake terminal of `size`; the first frame is already laid out at that size. */
export function renderAt(node: ReactElement, size: Size): Rendered {
  // The fake stdout only exists once render() has run, so mount nothing, size it, then mount `node`.
  const instance = render(createElement(Fragment));
  setSize(instance.stdout, size);
  instance.stdout.frames.length = 0;
  instance.rerender(node);
  return {
    ...instance,
    async resize(columns: number, rows: number) {
      setSize(instance.stdout, { columns, rows });
      instance.stdout.emit('resize');
      for (let turn = 0; turn < SETTLE_TURNS; turn++) await Promise.resolve();
    },
  };
}

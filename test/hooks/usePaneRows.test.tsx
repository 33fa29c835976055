// The rows hook: the filter text of every row is made while the filter line is open, before a key is typed.
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { usePaneRows } from '../../hooks/usePaneRows.js';
import type { LiveView } from '../../src/model/livestore.js';
import { NameResolver } from '../../src/sample/names.js';
import { HostReader } from '../../src/sample/reader.js';
import { initialUiState, type UiState } from '../../src/view/uistate.js';
import { connectionRows, type Toggles, warmSubjects } from '../../src/view/viewmodel.js';
import { fixtureSnapshot, makeStore } from '../helpers/app.js';
import { fixture } from '../helpers/cli.js';

afterEach(() => {
  cleanup();
});

const T: Toggles = { numeric: false, showUnix: false, hideZero: false, changedOnly: false };

/** Whether a connection row's filter subject is already made (LazyConnectionRow keeps it in its cache). */
const warm = (row: unknown) => (row as { cache: { subject?: unknown } }).cache.subject !== undefined;

function Probe({ view, ui, names }: { view: LiveView; ui: UiState; names: NameResolver }) {
  const { rows } = usePaneRows(view, ui, names);
  return <Text>{rows.length}</Text>;
}

describe('warmSubjects', () => {
  it('makes the subjects of one chunk and says where the next starts', () => {
    let made = 0;
    const rows = Array.from({ length: 5 }, () => ({
      key: 'k',
      get subject() {
        made++;
        return { text: [] };
      },
    }));
    expect(warmSubjects(rows, 0, 2)).toBe(2);
    expect(made).toBe(2);
    expect(warmSubjects(rows, 2, 10)).toBe(5);
    expect(made).toBe(5);
    expect(warmSubjects(rows, 5, 10)).toBe(5);
  });
});

describe('usePaneRows', () => {
  it('makes every row’s filter text while the filter line is open, and not before', async () => {
    const view = makeStore([fixtureSnapshot('live-t0', 0)]).store.getView()!;
    const names = new NameResolver(new HostReader(fixture('live-t0')));
    // The hook builds the same row objects (rows are kept per socket), so their caches can be looked at.
    const rows = connectionRows(view, T, names);
    expect(rows.length).toBeGreaterThan(4000);

    const closed = render(<Probe view={view} ui={initialUiState({ pane: 'connections' })} names={names} />);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed.lastFrame()).toBe(String(rows.length));
    expect(rows.filter(warm).length).toBe(0);
    closed.unmount();

    render(
      <Probe view={view} ui={{ ...initialUiState({ pane: 'connections' }), editing: '' }} names={names} />,
    );
    for (let i = 0; i < 200 && !rows.every(warm); i++) await new Promise((r) => setImmediate(r));
    expect(rows.every(warm)).toBe(true);
  });
});

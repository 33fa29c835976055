import { describe, expect, it } from 'vitest';
import { ownersNotice, togglesText } from '../../src/view/status.js';
import { initialUiState } from '../../src/view/uistate.js';

describe('ownersNotice', () => {
  it('says nothing when every fd table was read', () => {
    expect(ownersNotice({ unreadable: 0 }, true)).toBeUndefined();
    expect(ownersNotice({ unreadable: 0 }, false)).toBeUndefined();
  });

  it('as a user, tells them to run as root', () => {
    expect(ownersNotice({ unreadable: 12 }, false)).toBe('run as root to see all owners');
  });

  it('as root, says how many and which was refused, not "run as root"', () => {
    expect(
      ownersNotice({ unreadable: 1, firstUnreadable: { pid: 1, reason: 'permission denied' } }, true),
    ).toBe("1 process's sockets could not be read (pid 1: permission denied)");
    expect(ownersNotice({ unreadable: 3 }, true)).toBe("3 processes' sockets could not be read");
  });
});

describe('togglesText', () => {
  it('lists only the toggles in force', () => {
    expect(togglesText(initialUiState())).toBe('');
    const s = initialUiState({
      pane: 'stats',
      numeric: true,
      wide: true,
      showUnix: true,
      bits: true,
      hideZero: true,
      changedOnly: true,
    });
    expect(togglesText(s)).toBe('numeric wide +unix bits/s no zeros changed ≤60s');
    expect(togglesText({ ...s, hOffset: { ...s.hOffset, stats: 2 } })).toContain('→2 cols');
  });
});

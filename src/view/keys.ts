// Ink hands useInput whatever arrived in one read: a paste, or keys typed quickly over SSH (or sent by
// tmux send-keys), arrive as one string such as "/port:80". Split such input into one key press per
// character, so "/" still opens the filter line and the rest is typed into it.
import { type Action, type KeyContext, type KeyPress, keyToAction, reduce, type UiState } from './uistate.js';

function pressOf(ch: string): KeyPress | undefined {
  switch (ch) {
    case '\r':
    case '\n':
      return { input: '', return: true };
    case '\t':
      return { input: '', tab: true };
    case '\x7f':
    case '\b':
      return { input: '', backspace: true };
    case '\x03':
      return { input: 'c', ctrl: true };
  }
  // Other control characters in a chunk carry no key we bind; drop them rather than type them.
  if (ch < ' ') return undefined;
  return { input: ch, shift: ch !== ch.toLowerCase() };
}

export function splitKeyPresses(k: KeyPress): KeyPress[] {
  // Esc and the next key in one read ("\x1bq": Esc typed fast, or over a slow link) reach us as meta +
  // that key; nothing here is bound to Alt, so it is two presses: Esc, then the key.
  if (k.meta && !k.escape && !k.ctrl && k.input.length > 0 && !k.upArrow && !k.downArrow) {
    const rest = splitKeyPresses({ ...k, meta: false });
    return [{ input: '', escape: true }, ...rest];
  }
  const special =
    k.leftArrow ||
    k.rightArrow ||
    k.home ||
    k.end ||
    k.ctrl ||
    k.tab ||
    k.escape ||
    k.return ||
    k.backspace ||
    k.delete ||
    k.upArrow ||
    k.downArrow ||
    k.pageUp ||
    k.pageDown;
  const chars = [...k.input];
  if (special || chars.length <= 1) return [k];
  return chars.map(pressOf).filter((p): p is KeyPress => p !== undefined);
}

/**
 * The actions a (possibly multi-character) key event produces, each computed against the state the previous
 * one leaves, so "/port:80" opens the filter line and then types into it.
 */
export function actionsFor(k: KeyPress, state: UiState, ctx: KeyContext): Action[] {
  const actions: Action[] = [];
  let current = state;
  // A notice ("sorted by State ▲") answers one key; the next key clears it.
  if (state.notice !== undefined) {
    actions.push({ type: 'notice', text: undefined });
    current = reduce(current, actions[0]!);
  }
  for (const press of splitKeyPresses(k)) {
    const action = keyToAction(press, current, ctx);
    if (!action) continue;
    actions.push(action);
    current = reduce(current, action);
  }
  return actions;
}

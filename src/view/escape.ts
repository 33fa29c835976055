// Text from the kernel or from processes (comm, cmdline, unix paths, interface names) is untrusted:
// a process may call itself "\x1b]0;pwned\x07". Nothing reaches a terminal without passing here.

const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

function escapeChar(ch: string): string {
  switch (ch) {
    case '\n':
      return '\\n';
    case '\t':
      return '\\t';
    case '\r':
      return '\\r';
    case '\x1b':
      return '\\e';
    default:
      return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  }
}

/** Replace C0, DEL and C1 control characters with visible escapes (\e, \n, \x07 ...). Backslashes are left as they are. */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, escapeChar) : text;
}

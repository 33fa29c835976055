// Kernel change notifications (rtnetlink) for the store, through the native helper's watchLinks. Only on
// the live host, and only where the helper is built; without it the samples alone report changes (a flap
// shorter than the interval is then missed, which the README says).
import type { LinkNotice } from '../model/notices.js';
import { isLiveRoot, nativeBinding } from './native.js';

interface WatchBinding {
  watchLinks(callback: (notices: LinkNotice[]) => void): { close(): void };
}

/**
 * Start watching; `onNotices` gets each batch. Returns the stop function, or undefined when notifications
 * cannot be had here (no helper, a --root tree, --no-netlink, or the kernel refused the socket).
 */
export function watchLinksFor(
  root: string,
  wanted: boolean,
  onNotices: (notices: readonly LinkNotice[]) => void,
): (() => void) | undefined {
  if (!wanted || !isLiveRoot(root)) return undefined;
  const binding = nativeBinding() as unknown as Partial<WatchBinding> | undefined;
  if (!binding || typeof binding.watchLinks !== 'function') return undefined;
  try {
    const handle = binding.watchLinks((notices) => onNotices(notices));
    return () => handle.close();
  } catch {
    return undefined;
  }
}

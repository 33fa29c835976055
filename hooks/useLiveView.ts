import { useSyncExternalStore } from 'react';
import type { LiveStore, LiveView } from '../src/model/livestore.js';

/** The view the store publishes (frozen while paused); undefined until the first sample. */
export function useLiveView(store: LiveStore): LiveView | undefined {
  return useSyncExternalStore(store.subscribe, store.getView, store.getView);
}

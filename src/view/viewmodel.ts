// LiveView (+ UI toggles) → plain rows for each pane, one file per pane. Pure functions: the components
// only lay rows out. Row building runs once per sample (memoised by the hooks); filtering and sorting run
// per key press over prepared rows, so they stay cheap at 20,000 rows.
export * from './connections.js';
export * from './events.js';
export * from './interfaces.js';
export * from './listeners.js';
export * from './processes.js';
export * from './routes.js';
export {
  filterRows,
  formatEndpointLive,
  type Mark,
  programText,
  type RowBase,
  sameRows,
  type Toggles,
  warmSubjects,
} from './rows.js';
export * from './stats.js';

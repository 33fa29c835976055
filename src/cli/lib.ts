// Programmatic entry (dist/lib.js): the sampler and diff without the CLI, for the benchmark and for
// anyone embedding netwatch's collection in their own tool.
export { diffSnapshots } from './diff.js';
export { LiveStore } from './livestore.js';
export { fdSocketsFor, nativeUnavailableReason, tcpDumpFor } from './native.js';
export { HostReader } from './reader.js';
export { Collector, Sampler, SELECT_ALL, type Selection } from './sampler.js';
export type { Snapshot } from './types.js';
export { connectionRows } from './viewmodel.js';

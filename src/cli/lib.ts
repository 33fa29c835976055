// Programmatic entry (dist/lib.js): the sampler and diff without the CLI, for the benchmark and for
// anyone embedding netwatch's collection in their own tool.
export { diffSnapshots } from '../model/diff.js';
export { LiveStore } from '../model/livestore.js';
export type { Snapshot } from '../model/types.js';
export { fdSocketsFor, nativeUnavailableReason, tcpDumpFor } from '../sample/native.js';
export { HostReader } from '../sample/reader.js';
export { Collector, Sampler, SELECT_ALL, type Selection } from '../sample/sampler.js';
export { connectionRows } from '../view/viewmodel.js';

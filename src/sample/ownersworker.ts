// Worker entry (dist/ownersworker.js) for `--once -p`: the owner scan (a readlink per fd of every process)
// is as long as reading and parsing the socket tables, and neither needs the other until the output is
// formatted. Run on the second core, it starts before the tables are read and is done about when they are.
import { parentPort, workerData } from 'node:worker_threads';
import { OwnerScanner } from './owners.js';
import { encodeOwners } from './ownerswire.js';
import { HostReader } from './reader.js';

if (parentPort && (workerData as { netwatchOwners?: boolean } | undefined)?.netwatchOwners) {
  const { root } = workerData as { root: string };
  try {
    const { owners, stats } = new OwnerScanner(new HostReader(root)).scanAll();
    const message = encodeOwners(owners, stats);
    parentPort.postMessage({ ok: true, message }, [message.pairs.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort.postMessage({ ok: false, error: (err as Error).message });
  }
}

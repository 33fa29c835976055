// /proc/net/dev (dev_seq_printf_stats): two header lines, then `%6s:` and 16 decimal counters per device.
// The name is right-aligned in 6 columns with no separator after the colon, so a long name or a wide
// counter runs straight into it: `verylongname0:18446744073709551615 ...`.
import { capName, LINE_MAX } from '../model/bounds.js';
import type { DevCounters, Parsed } from '../model/types.js';

const COUNTER_COUNT = 16;
const COUNTER = /^\d+$/;

/**
 * Which colon ends the name: the counters hold only digits and blanks, so the last colon on the line is
 * always the one before them, whatever the name holds. That covers the no-space case (`eth0:123 ...`) and
 * old-style alias names with a colon of their own (`eth0:1: 5 ...`), which net-tools' get_name also accepts.
 */
function parseDevLine(line: string): DevCounters | undefined {
  const colon = line.lastIndexOf(':');
  if (colon < 0) return undefined;
  const name = line.slice(0, colon).trim();
  // Interface names hold no whitespace; a blank inside means two lines ran together or the line is junk.
  if (name === '' || /\s/.test(name)) return undefined;
  const fields = line
    .slice(colon + 1)
    .trim()
    .split(/\s+/);
  if (fields.length !== COUNTER_COUNT || !fields.every((f) => COUNTER.test(f))) return undefined;
  const c = fields.map((f) => BigInt(f));
  return {
    name: capName(name),
    rxBytes: c[0]!,
    rxPackets: c[1]!,
    rxErrs: c[2]!,
    rxDrop: c[3]!,
    rxFifo: c[4]!,
    rxFrame: c[5]!,
    rxCompressed: c[6]!,
    rxMulticast: c[7]!,
    txBytes: c[8]!,
    txPackets: c[9]!,
    txErrs: c[10]!,
    txDrop: c[11]!,
    txFifo: c[12]!,
    txColls: c[13]!,
    txCarrier: c[14]!,
    txCompressed: c[15]!,
  };
}

/** /proc/net/dev text → one row per interface, counters exact (bigint). */
export function parseDev(text: string): Parsed<DevCounters> {
  const rows: DevCounters[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (line.length > LINE_MAX) {
      skipped++; // no device line is that long: do not split megabytes into tokens
      continue;
    }
    // The two header lines ('Inter-|   Receive ...', ' face |bytes ...'); only there, since a device
    // name may legally contain '|'.
    if (i < 2 && line.includes('|')) continue;
    const dev = parseDevLine(line);
    if (dev === undefined) skipped++;
    else rows.push(dev);
  }
  return { rows, skipped };
}

// Small formatters shared by the live view (and usable by any output). Pure.

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const SI_BITS = ['bit', 'kbit', 'Mbit', 'Gbit', 'Tbit', 'Pbit'];

/** Bytes per second in human units: "0 B/s", "12.3 KiB/s"; with bits, SI bit/s ("98.4 kbit/s"). No rate → "-". */
export function formatByteRate(bytesPerSec: number | undefined, bits = false): string {
  if (bytesPerSec === undefined || !Number.isFinite(bytesPerSec)) return '-';
  const base = bits ? 1000 : 1024;
  const units = bits ? SI_BITS : IEC;
  let v = bits ? bytesPerSec * 8 : bytesPerSec;
  let u = 0;
  while (Math.abs(v) >= base && u < units.length - 1) {
    v /= base;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return `${v.toFixed(digits)} ${units[u]}/s`;
}

/** Events per second: "0", "3", "12.5", "1.2k", "3.4M". No rate → "-". */
export function formatPerSecond(perSec: number | undefined): string {
  if (perSec === undefined || !Number.isFinite(perSec)) return '-';
  const a = Math.abs(perSec);
  if (a >= 1e9) return `${(perSec / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(perSec / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(perSec / 1e3).toFixed(1)}k`;
  if (a === 0 || Number.isInteger(perSec) || a >= 100) return String(Math.round(perSec));
  return perSec.toFixed(1);
}

/** Exact digits of a counter (bigint stays exact above 2^53). */
export function formatCount(n: bigint | number): string {
  return n.toString();
}

/** Signed delta: "+12", "0", "-" when there is none. */
export function formatDelta(delta: bigint | undefined): string {
  if (delta === undefined) return '-';
  return delta > 0n ? `+${delta}` : delta.toString();
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local wall-clock time, HH:MM:SS. */
export function formatClock(wallMs: number): string {
  const d = new Date(wallMs);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** A duration: "850ms", "12s", "3m04s", "2h05m", "3d04h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${pad2(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${pad2(m % 60)}m`;
  return `${Math.floor(h / 24)}d${pad2(h % 24)}h`;
}

/** Sample duration: "3.2ms". */
export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`;
}

// Bounded history for sparklines: one fixed-size ring of samples per series, written once per sample and
// read as "the last n values up to sample S". Reading by sample number is what lets a paused view stay
// frozen while the rings go on filling underneath: the frozen view keeps its S. A ring never grows and
// never copies on write, so keeping a history for every counter (~400) costs one Float64Array each.

/** Samples a ring keeps: 10 minutes at the default interval, so a pause of a few minutes stays exact. */
export const SERIES_CAPACITY = 600;

export class SeriesRing {
  private readonly values: Float64Array;
  /** Sample number of the newest value written; 0 before the first. */
  private last = 0;

  constructor(readonly capacity = SERIES_CAPACITY) {
    this.values = new Float64Array(Math.max(1, capacity)).fill(Number.NaN);
  }

  /** Record `value` (NaN or undefined for "no value") as sample `seq`; samples skipped in between are holes. */
  push(seq: number, value: number | undefined): void {
    if (seq <= this.last) return;
    const cap = this.values.length;
    // Holes for the samples this series missed (it did not exist, or was not sampled).
    for (let s = Math.max(this.last + 1, seq - cap + 1); s < seq; s++) this.values[s % cap] = Number.NaN;
    this.values[seq % cap] = value ?? Number.NaN;
    this.last = seq;
  }

  /** The newest sample number written. */
  get newest(): number {
    return this.last;
  }

  /**
   * The `n` values of samples (end − n, end], oldest first; undefined where there is no value (before the
   * series began, a hole, or overwritten since `end` was current).
   */
  window(end: number, n: number): (number | undefined)[] {
    const cap = this.values.length;
    const count = Math.max(0, Math.floor(n));
    const out: (number | undefined)[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const s = end - count + 1 + i;
      const fresh = s > 0 && s <= this.last && s > this.last - cap;
      const v = fresh ? this.values[s % cap]! : Number.NaN;
      out[i] = Number.isNaN(v) ? undefined : v;
    }
    return out;
  }
}

/**
 * `values` folded into `width` buckets of `per` samples each (the newest bucket at the right), keeping
 * each bucket's largest value: a sparkline of two minutes in 30 columns must still show a one-second spike.
 * A bucket with no value at all is undefined.
 */
export function bucketMax(values: readonly (number | undefined)[], per: number): (number | undefined)[] {
  const k = Math.max(1, Math.floor(per));
  if (k === 1) return values.slice();
  const out: (number | undefined)[] = [];
  // Align buckets to the right edge, so the newest sample always ends the last bucket.
  let i = values.length % k === 0 ? 0 : (values.length % k) - k;
  for (; i < values.length; i += k) {
    let best: number | undefined;
    for (let j = Math.max(0, i); j < i + k; j++) {
      const v = values[j];
      if (v !== undefined && (best === undefined || v > best)) best = v;
    }
    out.push(best);
  }
  return out;
}

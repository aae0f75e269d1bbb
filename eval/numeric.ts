/**
 * The arithmetic clemcore's eval does through pandas and numpy, replicated bit for bit so our tables equal
 * clemcore's: `np.round`, pandas' grouped mean (Kahan-compensated sum, NaN skipped), pandas' grouped std (Welford,
 * ddof 1) and the float formatting of `DataFrame.to_csv` (Python's `repr`).
 * Missing values are `NaN` inside this module only; nothing here is written to JSON.
 */

/** Round half to even at .5 exactly, like C's `rint` in the default rounding mode. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const diff = x - floor; // exact for doubles
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * `numpy.round(x, decimals)` exactly: `rint(x * 10**d) / 10**d` in binary floating point. So `0.125 → 0.12` (a tie
 * goes to even) and `2.675 → 2.68`: 2.675 is 2.67499999… in binary, but ×100 rounds to exactly 267.5, a tie, and
 * 268 is even (Python's built-in `round` says 2.67; numpy and so clemcore say 2.68). NaN stays NaN.
 */
export function roundHalfEven(x: number, decimals = 2): number {
  if (!Number.isFinite(x)) return x;
  if (decimals >= 0) {
    const f = 10 ** decimals;
    return rint(x * f) / f;
  }
  const f = 10 ** -decimals;
  return rint(x / f) * f;
}

/**
 * Mean as pandas' `groupby(...).mean()` computes it (`group_mean` in pandas/_libs/groupby.pyx): NaN skipped, sum
 * with Kahan compensation, divided by the count. NaN when no value is a number.
 */
export function pandasMean(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    count++;
    const y = v - compensation;
    const t = sum + y;
    compensation = t - sum - y;
    if (Number.isNaN(compensation)) compensation = 0; // pandas GH#50367: ±Infinity
    sum = t;
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Sample standard deviation as pandas' `groupby(...).std()` computes it (`group_var`, Welford's algorithm, then
 * sqrt): NaN skipped; NaN when fewer than `ddof + 1` numbers.
 */
export function pandasStd(values: ArrayLike<number>, ddof = 1): number {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    count++;
    const old = mean;
    mean += (v - old) / count;
    m2 += (v - old) * (v - mean);
  }
  return count <= ddof ? Number.NaN : Math.sqrt(m2 / (count - ddof));
}

/**
 * A float as Python's `repr` (and so pandas' `to_csv`) writes it: shortest round-trip digits, always a decimal
 * point or exponent (`100.0`, `0.0`, `1e-05`, `1e+16`), `''` for NaN (pandas' `na_rep`), `inf`/`-inf`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  // Both languages print the shortest round-trip digits; in this range neither uses an exponent.
  if (abs >= 1e-4 && abs < 1e16 && !Number.isInteger(x)) return String(x);
  const [mantissa = '', expText = '0'] = x.toExponential().split('e');
  const exponent = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const frac = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent) < 10 ? `0${Math.abs(exponent)}` : String(Math.abs(exponent));
    return `${sign}${frac}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intLen = exponent + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/**
 * Linear-interpolated percentile of sorted numbers (numpy's default method). `q` in [0, 100]. NaN when empty.
 */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return frac === 0 ? a : a + (b - a) * frac;
}

/**
 * The same value as {@link percentileSorted} on the sorted `values`, found by selection instead of a sort (O(n);
 * bootstrap intervals take two percentiles of each of thousands of resample arrays). Reorders `values` in place.
 */
export function percentileSelect(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  const a = selectKth(values, lo);
  if (frac === 0 || lo + 1 >= n) return a;
  // After selection everything right of `lo` is ≥ values[lo]: the next order statistic is their minimum.
  let b = values[lo + 1] as number;
  for (let i = lo + 2; i < n; i++) if ((values[i] as number) < b) b = values[i] as number;
  return a + (b - a) * frac;
}

/** Puts the k-th smallest of `xs` at index k, smaller ones left of it and larger or equal ones right (Hoare). */
function selectKth(xs: Float64Array, k: number): number {
  let left = 0;
  let right = xs.length - 1;
  while (left < right) {
    const mid = (left + right) >>> 1;
    // Median of three as the pivot keeps sorted or constant runs linear.
    const a = xs[left] as number;
    const b = xs[mid] as number;
    const c = xs[right] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((xs[i] as number) < pivot) i++;
      while ((xs[j] as number) > pivot) j--;
      if (i <= j) {
        const t = xs[i] as number;
        xs[i] = xs[j] as number;
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return xs[k] as number;
}

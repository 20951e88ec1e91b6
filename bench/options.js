'use strict';
// What the benchmark scripts share: reading `--name value` options, and medians.

const args = process.argv.slice(2);

/** The value of `--name value` on the command line, or the fallback. */
function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

/** The median of a list of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The q-quantile of a list of numbers (linear between the two nearest ranks). */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

/**
 * A distribution-free confidence interval for the median (by order statistics): the k-th smallest and the k-th largest
 * value, with k the largest rank such that a binomial(n, 1/2) count falls below k with probability at most
 * (1 - confidence) / 2. It assumes only that the runs are independent draws of one distribution. `coverage` is the
 * interval's exact coverage: with fewer than 6 values no 95% interval exists, and the whole range is returned with
 * the coverage it has (93.75% for 5 values). No values give an empty interval (NaN bounds, coverage 0).
 */
function medianInterval(values, confidence = 0.95) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) {
    return { low: NaN, high: NaN, coverage: 0 };
  }
  const tail = (1 - confidence) / 2;
  // P(Binomial(n, 1/2) <= j), each term computed in logarithms (0.5 ** n underflows from about 1,075 runs on).
  let logTerm = -n * Math.LN2;
  let below = 0;
  let k = 0;
  for (let j = 0; j < n; j++) {
    below += Math.exp(logTerm);
    if (below > tail) {
      break;
    }
    k = j + 1;
    logTerm += Math.log((n - j) / (j + 1));
  }
  // The interval [rank-th smallest, rank-th largest] misses the median with probability 2 P(Binomial <= rank - 1).
  // Without a 95% rank (k = 0), the whole range (rank 1) is returned with the coverage it has.
  const rank = Math.max(k, 1);
  let outside = 0;
  let term = -n * Math.LN2;
  for (let j = 0; j < rank; j++) {
    outside += Math.exp(term);
    term += Math.log((n - j) / (j + 1));
  }
  return { low: sorted[rank - 1], high: sorted[n - rank], coverage: 1 - 2 * outside };
}

/**
 * Whether a measured median meets a gate (at most `gate`): decided only when its confidence interval is on one side,
 * and only when the interval reaches 95% coverage.
 */
function verdict(interval, gate) {
  if (!(interval.coverage >= 0.95)) {
    return 'undecided (too few runs for a 95% interval)';
  }
  return interval.high <= gate ? 'within' : interval.low > gate ? 'over' : 'undecided (the interval spans the gate)';
}

module.exports = { median, medianInterval, option, quantile, verdict };

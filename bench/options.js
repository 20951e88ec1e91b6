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
 * (1 - confidence) / 2. It assumes only that the runs are independent draws of one distribution. With fewer than 6
 * values no 95% interval exists: the whole range is returned.
 */
function medianInterval(values, confidence = 0.95) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const tail = (1 - confidence) / 2;
  // P(Binomial(n, 1/2) <= j), summed term by term (n is at most a few hundred runs).
  let term = 0.5 ** n;
  let below = 0;
  let k = 0;
  for (let j = 0; j < n; j++) {
    below += term;
    if (below > tail) {
      break;
    }
    k = j + 1;
    term = (term * (n - j)) / (j + 1);
  }
  return k === 0 ? { low: sorted[0], high: sorted[n - 1] } : { low: sorted[k - 1], high: sorted[n - k] };
}

/** Whether a measured median meets a gate (at most `gate`): decided only when its confidence interval is on one side. */
function verdict(interval, gate) {
  return interval.high <= gate ? 'within' : interval.low > gate ? 'over' : 'undecided (the interval spans the gate)';
}

module.exports = { median, medianInterval, option, quantile, verdict };

//! A log-scale histogram of non-negative values with a fixed relative resolution,
//! for percentiles whose memory does not grow with the number of values.
//!
//! Bins are those of the value's IEEE-754 bits: the exponent and the top `bits`
//! bits of the mantissa, so every doubling is cut into 2^bits equal bins and a bin's
//! width is at most 2^−bits of its lower edge. A percentile is placed inside its
//! bin by rank and clamped to the exact smallest and largest values seen: its
//! relative error is at most the bin's width, 2^−bits (0.4% with the default 8
//! bits, 0.006% with 14), typically far less, and it is exact when every value is
//! the same (a zero-volatility run).
//!
//! Counts are integers, so merging is exact and order-free: the result is the same
//! whatever the number of threads or the order of the merges. Zero and +∞ (a path
//! whose notes never close) are kept in their own counts.
//!
//! Memory: only the span of bins between the smallest and largest value is kept
//! (about 256 × log2(max / min) counters), grown as values arrive.

/// Mantissa bits kept by default: 2^8 = 256 bins per doubling (per-date
/// histograms, 777 dates × 2 of them per thread).
pub const SUB_BITS: u32 = 8;
/// Mantissa bits for the few whole-run totals: 2^14 bins per doubling, so their
/// percentiles are good to five significant digits.
pub const FINE_SUB_BITS: u32 = 14;

/// The largest relative error of a reported percentile with `bits` mantissa bits
/// (a bin's width).
pub fn relative_error(bits: u32) -> f64 {
    1.0 / (1u64 << bits) as f64
}

/// See the module documentation. Equality is of the counts, not of how much
/// room the span happens to have kept.
#[derive(Debug, Clone)]
pub struct LogHistogram {
    /// 52 − the mantissa bits kept: a value's bin is its bits shifted right by it.
    shift: u32,
    /// Bin index of `counts[0]`.
    base: i64,
    counts: Vec<u32>,
    zeros: u64,
    infinite: u64,
    total: u64,
    /// Smallest and largest positive finite values seen.
    min: f64,
    max: f64,
}

impl Default for LogHistogram {
    fn default() -> LogHistogram {
        LogHistogram::with_bits(SUB_BITS)
    }
}

impl PartialEq for LogHistogram {
    fn eq(&self, other: &LogHistogram) -> bool {
        self.shift == other.shift
            && self.occupied().eq(other.occupied())
            && (self.zeros, self.infinite, self.total) == (other.zeros, other.infinite, other.total)
            && (self.min.to_bits(), self.max.to_bits())
                == (other.min.to_bits(), other.max.to_bits())
    }
}

impl LogHistogram {
    /// (bin, count) of every non-empty bin, in order.
    fn occupied(&self) -> impl Iterator<Item = (i64, u32)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (self.base + i as i64, *c))
    }

    pub fn new() -> LogHistogram {
        LogHistogram::default()
    }

    /// A histogram keeping `bits` mantissa bits (2^bits bins per doubling).
    pub fn with_bits(bits: u32) -> LogHistogram {
        LogHistogram {
            shift: 52 - bits.clamp(1, 20),
            base: 0,
            counts: Vec::new(),
            zeros: 0,
            infinite: 0,
            total: 0,
            min: 0.0,
            max: 0.0,
        }
    }

    /// A bin's width: the largest relative error of a percentile.
    pub fn relative_error(&self) -> f64 {
        relative_error(52 - self.shift)
    }

    /// Whether every value added was the same (then percentiles are exact).
    pub fn is_constant(&self) -> bool {
        self.infinite == 0
            && (self.zeros == self.total || (self.zeros == 0 && self.min == self.max))
    }

    #[inline]
    fn bin(&self, v: f64) -> i64 {
        (v.to_bits() >> self.shift) as i64
    }

    fn lower_edge(&self, b: i64) -> f64 {
        f64::from_bits((b as u64) << self.shift)
    }

    /// The number of values added.
    pub fn len(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Adds one value. Negative values and NaN count as zero (no figure we histogram
    /// can be negative; this keeps a bad value from corrupting the bins).
    #[inline]
    pub fn add(&mut self, v: f64) {
        self.total += 1;
        if v.is_nan() || v <= 0.0 {
            self.zeros += 1;
            return;
        }
        if v.is_infinite() {
            self.infinite += 1;
            return;
        }
        let b = self.bin(v);
        if self.counts.is_empty() {
            self.base = b;
            self.counts.push(0);
            self.min = v;
            self.max = v;
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
        let off = b - self.base;
        if off < 0 || off >= self.counts.len() as i64 {
            self.cover(b, b);
        }
        self.counts[(b - self.base) as usize] += 1;
    }

    /// Adds every value of `values`: the same histogram as `add` one by one. When
    /// all are positive and finite (always, for shares and prices), the span is
    /// grown once for their range and each value is one increment, with no
    /// per-value branch or bound to test.
    pub fn add_all(&mut self, values: &[f64]) {
        // A positive finite f64's bits lie strictly between those of 0 and +∞ and
        // order as its value does; zero, negatives (sign bit), ∞ and NaN fall
        // outside. So one integer min and max (no branch, vectorised) give both
        // the test and the range.
        let (mut lo_bits, mut hi_bits) = (u64::MAX, 0u64);
        for &v in values {
            lo_bits = lo_bits.min(v.to_bits());
            hi_bits = hi_bits.max(v.to_bits());
        }
        const INF_BITS: u64 = 0x7ff0_0000_0000_0000;
        if values.is_empty() || lo_bits == 0 || hi_bits >= INF_BITS {
            values.iter().for_each(|&v| self.add(v));
            return;
        }
        let (lo, hi) = (f64::from_bits(lo_bits), f64::from_bits(hi_bits));
        let (b_lo, b_hi) = (self.bin(lo), self.bin(hi));
        if self.counts.is_empty() {
            self.min = lo;
            self.max = hi;
            self.cover(b_lo, b_hi);
        } else {
            self.min = self.min.min(lo);
            self.max = self.max.max(hi);
            if b_lo < self.base || b_hi >= self.base + self.counts.len() as i64 {
                self.cover(b_lo.min(self.base), b_hi.max(self.base));
            }
        }
        self.total += values.len() as u64;
        let (shift, base) = (self.shift, self.base as u64);
        let counts = &mut self.counts[..];
        for &v in values {
            // In the span by the cover above; the index check stays as a guard.
            counts[((v.to_bits() >> shift).wrapping_sub(base)) as usize] += 1;
        }
    }

    /// Grows the span to cover bins `lo..=hi`, with slack on the side that grew so
    /// that a drifting series of values reallocates only logarithmically often.
    fn cover(&mut self, lo: i64, hi: i64) {
        let len = self.counts.len() as i64;
        let (cur_lo, cur_hi) = (self.base, self.base + len - 1);
        if len == 0 {
            self.base = lo;
            self.counts = vec![0; (hi - lo + 1) as usize];
            return;
        }
        let slack = (len / 2).max(16);
        let new_lo = if lo < cur_lo { lo - slack } else { cur_lo };
        let new_hi = if hi > cur_hi { hi + slack } else { cur_hi };
        let mut counts = vec![0u32; (new_hi - new_lo + 1) as usize];
        let at = (cur_lo - new_lo) as usize;
        counts[at..at + self.counts.len()].copy_from_slice(&self.counts);
        self.counts = counts;
        self.base = new_lo;
    }

    /// Adds every value of `other` (exact, order-free). Both keep the same bits.
    pub fn merge(&mut self, other: &LogHistogram) {
        debug_assert_eq!(self.shift, other.shift);
        if !other.counts.is_empty() {
            let first = other.counts.iter().position(|&c| c > 0);
            let last = other.counts.iter().rposition(|&c| c > 0);
            if let (Some(f), Some(l)) = (first, last) {
                let (lo, hi) = (other.base + f as i64, other.base + l as i64);
                if self.counts.is_empty() {
                    self.base = lo;
                    self.counts = vec![0; (hi - lo + 1) as usize];
                    self.min = other.min;
                    self.max = other.max;
                } else {
                    if lo < self.base || hi >= self.base + self.counts.len() as i64 {
                        self.cover(lo.min(self.base), hi.max(self.base));
                    }
                    self.min = self.min.min(other.min);
                    self.max = self.max.max(other.max);
                }
                for b in lo..=hi {
                    self.counts[(b - self.base) as usize] +=
                        other.counts[(b - other.base) as usize];
                }
            }
        }
        self.zeros += other.zeros;
        self.infinite += other.infinite;
        self.total += other.total;
    }

    /// The nearest-rank percentile `p` (0 < p ≤ 1): the smallest value with at
    /// least ⌈p·n⌉ values at or below it, to within `relative_error`. Within its
    /// bin it is placed by rank, geometrically between the bin's edges (values are
    /// spread evenly in log within a bin), so a series of percentiles moves
    /// smoothly rather than in bin-sized steps; then clamped to the smallest and
    /// largest values seen. `None` when empty; +∞ when it falls among the
    /// infinite values.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        self.percentiles([p])[0]
    }

    /// `percentile` of each of `ps` (in increasing order), in one pass over
    /// the bins.
    pub fn percentiles<const N: usize>(&self, ps: [f64; N]) -> [Option<f64>; N] {
        let mut out = [None; N];
        if self.total == 0 {
            return out;
        }
        debug_assert!(ps.is_sorted());
        let rank = ps.map(|p| ((p * self.total as f64).ceil() as u64).clamp(1, self.total));
        let mut k = 0;
        while k < N && rank[k] <= self.zeros {
            out[k] = Some(0.0);
            k += 1;
        }
        let mut seen = self.zeros;
        for (i, &c) in self.counts.iter().enumerate() {
            while k < N && seen + c as u64 >= rank[k] {
                let b = self.base + i as i64;
                let (lo, hi) = (self.lower_edge(b), self.lower_edge(b + 1));
                let f = ((rank[k] - seen) as f64 - 0.5) / c as f64;
                let x = lo * (hi / lo).powf(f);
                out[k] = Some(x.clamp(self.min, self.max));
                k += 1;
            }
            if k == N {
                return out;
            }
            seen += c as u64;
        }
        out[k..].fill(Some(f64::INFINITY));
        out
    }

    /// The number of values that are +∞.
    pub fn infinite(&self) -> u64 {
        self.infinite
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_values_give_that_value_exactly_at_every_percentile() {
        let mut h = LogHistogram::new();
        for _ in 0..1000 {
            h.add(0.001_42);
        }
        for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
            assert_eq!(h.percentile(p), Some(0.001_42));
        }
    }

    #[test]
    fn percentiles_of_a_known_sample_are_within_the_stated_relative_error() {
        let mut h = LogHistogram::new();
        let values: Vec<f64> = (1..=10_000)
            .map(|i| 1e9 * (1.0 + i as f64 / 100.0))
            .collect();
        for &v in &values {
            h.add(v);
        }
        for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = values[(p * values.len() as f64).ceil() as usize - 1];
            let got = h.percentile(p).unwrap();
            assert!(
                ((got - exact) / exact).abs() <= h.relative_error(),
                "p{p}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn merging_in_any_order_gives_the_same_histogram() {
        let parts: Vec<Vec<f64>> = vec![
            vec![3.0, 1e-6, 5e12],
            vec![0.0, 7.5, f64::INFINITY],
            vec![2e3, 2e3, 1e-3],
        ];
        let build = |order: &[usize]| {
            let mut all = LogHistogram::new();
            for &i in order {
                let mut h = LogHistogram::new();
                for &v in &parts[i] {
                    h.add(v);
                }
                all.merge(&h);
            }
            all
        };
        let a = build(&[0, 1, 2]);
        let b = build(&[2, 0, 1]);
        for p in [0.1, 0.3, 0.5, 0.7, 0.9, 1.0] {
            assert_eq!(a.percentile(p), b.percentile(p));
        }
        assert_eq!(a.len(), 9);
        assert_eq!(a.percentile(1.0), Some(f64::INFINITY));
        assert_eq!(a.percentile(0.1), Some(0.0));
    }

    proptest::proptest! {
        #[test]
        fn adding_a_batch_equals_adding_one_by_one(
            before in proptest::collection::vec(1e-9f64..1e13, 0..20),
            batch in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => 1e-9f64..1e13,
                    1 => proptest::strategy::Just(0.0),
                    1 => proptest::strategy::Just(f64::INFINITY),
                    1 => proptest::strategy::Just(f64::NAN),
                ],
                0..200,
            ),
        ) {
            let (mut one, mut all) = (LogHistogram::new(), LogHistogram::new());
            for &v in &before {
                one.add(v);
                all.add(v);
            }
            for &v in &batch {
                one.add(v);
            }
            all.add_all(&batch);
            proptest::prop_assert_eq!(&one, &all);
            for p in [0.05, 0.5, 0.95] {
                proptest::prop_assert_eq!(
                    one.percentile(p).map(f64::to_bits),
                    all.percentile(p).map(f64::to_bits)
                );
            }
        }
    }

    #[test]
    fn percentiles_in_one_pass_are_each_percentile() {
        let mut h = LogHistogram::new();
        for v in [0.0, 0.0, 1.5, 2.0, 2.0, 3e9, 7.0, f64::INFINITY, 0.001] {
            h.add(v);
        }
        let ps = [0.05, 0.2, 0.25, 0.5, 0.5, 0.75, 0.95, 1.0];
        let all = h.percentiles(ps);
        assert_eq!((all[0], all[1]), (Some(0.0), Some(0.0)));
        assert_eq!(all[7], Some(f64::INFINITY));
        // Against a scan per percentile, written out here.
        let naive = |p: f64| {
            let rank = ((p * h.total as f64).ceil() as u64).clamp(1, h.total);
            if rank <= h.zeros {
                return 0.0;
            }
            let mut seen = h.zeros;
            for (i, &c) in h.counts.iter().enumerate() {
                if seen + c as u64 >= rank {
                    let b = h.base + i as i64;
                    let (lo, hi) = (h.lower_edge(b), h.lower_edge(b + 1));
                    let f = ((rank - seen) as f64 - 0.5) / c as f64;
                    return (lo * (hi / lo).powf(f)).clamp(h.min, h.max);
                }
                seen += c as u64;
            }
            f64::INFINITY
        };
        for (k, p) in ps.into_iter().enumerate() {
            assert_eq!(all[k].map(f64::to_bits), Some(naive(p).to_bits()), "p{p}");
        }
    }

    #[test]
    fn an_empty_histogram_has_no_percentile() {
        assert_eq!(LogHistogram::new().percentile(0.5), None);
    }

    #[test]
    fn small_whole_numbers_each_have_their_own_bin() {
        let mut h = LogHistogram::new();
        for v in [0.0, 1.0, 2.0, 3.0, 7.0, 7.0, 7.0] {
            h.add(v);
        }
        assert_eq!(h.percentile(0.05), Some(0.0));
        assert_eq!(h.percentile(0.5).map(f64::round), Some(3.0));
        assert_eq!(h.percentile(0.95).map(f64::round), Some(7.0));
    }
}

//! Aggregation as the paths go, in memory that does not grow with their number:
//! per date, a `LogHistogram` of shares outstanding and one of the close; per
//! total, a `LogHistogram`, an exact sum (for the mean) and the count of paths that
//! exhausted the authorized shares. Percentiles are nearest-rank, to within 0.4%
//! per date and 0.006% for the totals (one bin); see `histogram`.
//!
//! Everything merges exactly (integer counts, exact decimal sums), so the result is
//! the same for any number of threads.
//!
//! Pure: no I/O. Merging runs on the current rayon pool.

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::engine::Totals;

use super::histogram::{FINE_SUB_BITS, LogHistogram};
use super::quantize::to_f64;

/// The percentiles reported everywhere.
pub const PERCENTILES: [(u32, f64); 5] =
    [(5, 0.05), (25, 0.25), (50, 0.50), (75, 0.75), (95, 0.95)];

/// One path's outcome: a row of paths.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct PathOutcome {
    /// 0-based; the path's random stream is (seed, index).
    pub index: u64,
    pub totals: Totals,
    /// The last close of the window, as the engine read it.
    pub close_end: Decimal,
    /// With `on_shortfall = "error"`: the date the engine stopped at.
    pub stopped_on: Option<NaiveDate>,
    /// Engine runs until the price impact was consistent (1 without impact).
    pub runs: u32,
}

impl PathOutcome {
    /// Calendar days from `start` until every note was gone, if they all were.
    pub fn days_to_notes_closed(&self, start: NaiveDate) -> Option<i64> {
        self.totals
            .notes_closed_date
            .map(|d| (d - start).num_days())
    }

    /// The conversions ran into the authorized count: a conversion was cut to the
    /// headroom, the engine stopped for it, or no headroom is left at the end.
    pub fn exhausted_authorized(&self) -> bool {
        self.totals.shortfall_days > 0 || self.stopped_on.is_some() || self.totals.headroom_end <= 0
    }
}

/// How a total is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Shares,
    Money,
    Fraction,
    Count,
    Price,
    /// Calendar days; +∞ (never) is written as null.
    Days,
}

/// The totals summarised in summary.json, in its order.
pub const METRICS: [(&str, Unit); 10] = [
    ("outstanding_end", Unit::Shares),
    ("shares_issued", Unit::Shares),
    ("holder_sale_proceeds", Unit::Money),
    ("cash_paid", Unit::Money),
    ("principal_converted", Unit::Money),
    ("days_to_notes_closed", Unit::Days),
    ("peak_holder_pct", Unit::Fraction),
    ("shortfall_days", Unit::Count),
    ("tranches_closed", Unit::Count),
    ("close_end", Unit::Price),
];

/// What the totals need of one path, computed on the thread that ran it: each
/// metric exact (for the mean) where there is an exact value, and as `f64` for the
/// histogram (`days_to_notes_closed` is +∞ when the notes outlive the window).
#[derive(Debug, Clone, PartialEq)]
pub struct PathFigures {
    values: [(Option<Decimal>, f64); 10],
    exhausted: bool,
    stopped: bool,
    runs: u32,
}

impl PathFigures {
    pub fn of(o: &PathOutcome, start: NaiveDate) -> PathFigures {
        let t = &o.totals;
        let exact = |d: Decimal| (Some(d), to_f64_any(d));
        let shares = |n: u64| (Some(Decimal::from(n)), n as f64);
        PathFigures {
            values: [
                shares(t.outstanding_end),
                shares(t.shares_issued),
                exact(t.holder_sale_proceeds),
                exact(t.cash_paid),
                exact(t.principal_converted),
                match o.days_to_notes_closed(start) {
                    Some(d) => (Some(Decimal::from(d)), d as f64),
                    None => (None, f64::INFINITY),
                },
                exact(t.peak_holder_pct),
                shares(t.shortfall_days as u64),
                shares(t.tranche_ids_closed.len() as u64),
                exact(o.close_end),
            ],
            exhausted: o.exhausted_authorized(),
            stopped: o.stopped_on.is_some(),
            runs: o.runs,
        }
    }
}

/// Any decimal as `f64` (long mantissas included).
fn to_f64_any(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    if d.scale() <= 22 && d.mantissa().unsigned_abs() < (1u128 << 53) {
        to_f64(d)
    } else {
        d.to_f64().unwrap_or(f64::NAN)
    }
}

/// Per-date histograms for the percentiles.csv and the fan chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayAggregate {
    pub outstanding: Vec<LogHistogram>,
    pub close: Vec<LogHistogram>,
}

impl DayAggregate {
    pub fn new(days: usize) -> DayAggregate {
        DayAggregate {
            outstanding: vec![LogHistogram::new(); days],
            close: vec![LogHistogram::new(); days],
        }
    }

    /// Adds `n` paths stored path-major: day t of the k-th path is at
    /// `k·days + t`. Dates go in blocks of `BLOCK`: each path's run of a block
    /// (one cache line) is copied into a small date-major tile, then each date's
    /// n values go into its two histograms, which are visited once per group.
    pub fn add_paths(&mut self, n: usize, outstanding: &[u64], close: &[f64]) {
        const BLOCK: usize = 8;
        let days = self.outstanding.len();
        let mut tile_o = vec![0f64; BLOCK * n];
        let mut tile_c = vec![0f64; BLOCK * n];
        for t0 in (0..days).step_by(BLOCK) {
            let b = BLOCK.min(days - t0);
            for k in 0..n {
                let run = k * days + t0..k * days + t0 + b;
                for (j, (&o, &c)) in outstanding[run.clone()].iter().zip(&close[run]).enumerate() {
                    tile_o[j * n + k] = o as f64;
                    tile_c[j * n + k] = c;
                }
            }
            for j in 0..b {
                self.outstanding[t0 + j].add_all(&tile_o[j * n..(j + 1) * n]);
                self.close[t0 + j].add_all(&tile_c[j * n..(j + 1) * n]);
            }
        }
    }

    /// Date by date, spread over the current rayon pool: the dates are
    /// independent, and the merge would otherwise be the run's one serial step.
    pub fn merge(&mut self, other: &DayAggregate) {
        let pairs = |a: &mut [LogHistogram], b: &[LogHistogram]| {
            a.par_iter_mut()
                .zip(b.par_iter())
                .for_each(|(a, b)| a.merge(b))
        };
        pairs(&mut self.outstanding, &other.outstanding);
        pairs(&mut self.close, &other.close);
    }
}

/// The totals over every path.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalsAggregate {
    pub paths: u64,
    pub histograms: Vec<LogHistogram>,
    /// Exact sums, and how many paths each sums (`days_to_notes_closed` only
    /// those whose notes closed).
    pub sums: Vec<(Decimal, u64)>,
    pub exhausted: u64,
    pub stopped: u64,
    pub max_runs: u32,
}

impl Default for TotalsAggregate {
    fn default() -> TotalsAggregate {
        TotalsAggregate::new()
    }
}

impl TotalsAggregate {
    pub fn new() -> TotalsAggregate {
        TotalsAggregate {
            paths: 0,
            histograms: vec![LogHistogram::with_bits(FINE_SUB_BITS); METRICS.len()],
            sums: vec![(Decimal::ZERO, 0); METRICS.len()],
            exhausted: 0,
            stopped: 0,
            max_runs: 0,
        }
    }

    pub fn add(&mut self, f: &PathFigures) {
        self.paths += 1;
        for (i, (exact, x)) in f.values.iter().enumerate() {
            self.histograms[i].add(*x);
            if let Some(d) = exact {
                let s = &mut self.sums[i];
                // A sum that leaves the decimal range is dropped from the mean
                // (it is a statistic, not a ledger amount).
                if let Some(v) = s.0.checked_add(*d) {
                    s.0 = v;
                    s.1 += 1;
                }
            }
        }
        self.exhausted += f.exhausted as u64;
        self.stopped += f.stopped as u64;
        self.max_runs = self.max_runs.max(f.runs);
    }

    /// The exact mean of metric `i` over the paths that have it.
    pub fn mean(&self, i: usize) -> Option<Decimal> {
        let (sum, n) = self.sums[i];
        (n > 0).then(|| sum / Decimal::from(n))
    }
}

//! What the generators learn from the scenario's own price path: the calendar,
//! the daily log returns, and the "marks" of each day that are not the close.
//!
//! - Calendar: generated paths use the source path's trading days. Rows dated before
//!   `start` are kept verbatim (the look-backs of the first days, the 5-day VWAP and
//!   the tranches' 20-day dollar volume, read real history); rows in [start, end] are
//!   generated; rows after `end` are dropped (the engine never reads them).
//! - Returns: ln(close_j / close_{j−1}) over the whole source path.
//! - Marks of day j: the VWAP and the bid as ratios to that day's close, and the
//!   volume's residual from a price-volume elasticity fit by least squares over the
//!   whole path, ln volume = a + b·ln close + e. A generated day takes one source
//!   day's marks together (so a wide spread and a thin day stay together) and sets
//!   volume = exp(a + b·ln close + e): shares traded follow the generated price as
//!   they followed the source's (on the shipped paths b ≈ −0.9: volume rises as the
//!   price falls), which keeps dollar volume, the tranches' condition and the
//!   holder's sales consistent with the price level. A day with zero volume has
//!   e = −∞ and gives zero volume. A path with no price variation fits b = 0.
//! - Splits: a split with `adjust_prices = false` means the source is post-split
//!   after its date (prices jump by the ratio). Returns and the fit use the path
//!   made continuous (prices ÷ k, volumes × k after the date), and generated days
//!   get the jump back, so the engine reads the kind of path the scenario declares.
//!   Splits with `adjust_prices = true` need nothing: the path is pre-split, as the
//!   generated one is, and the engine adjusts both alike.
//!
//! Pure: no I/O.

use chrono::NaiveDate;

use crate::market::{Bar, PricePath};
use crate::scenario::Scenario;
use crate::terms::ActionKind;

use super::quantize::to_f64;

/// Trading days per year: annual drift and volatility ↔ daily steps.
pub const TRADING_DAYS_PER_YEAR: f64 = 252.0;

/// The source path, prepared for generation.
#[derive(Debug, Clone)]
pub struct Source {
    /// Bars dated on or before `end`; those before `first` are kept verbatim.
    pub bars: Vec<Bar>,
    /// Index of the first generated bar (the first dated on or after `start`).
    pub first: usize,
    /// ln of the close the first generated day steps from, on the continuous scale.
    pub anchor: f64,
    /// Per generated day: the split factor that turns the continuous scale back into
    /// the path's own (1 unless a split with `adjust_prices = false` precedes it).
    pub factor: Vec<f64>,
    /// Per generated day: what the engine multiplies the day's own prices by for
    /// splits with `adjust_prices = true` (k × post_split_factor on and after the
    /// date), so that price percentiles show the market the engine reads.
    pub shown_factor: Vec<f64>,
    /// Daily log returns of the whole source path (continuous scale): `returns[j−1]`
    /// is day j's.
    pub returns: Vec<f64>,
    /// Per source day: VWAP ÷ close, bid ÷ close, and the volume residual e.
    pub marks: Vec<Mark>,
    /// The volume fit: ln volume = `volume_a` + `volume_b`·ln close + e.
    pub volume_a: f64,
    pub volume_b: f64,
}

/// One source day's marks (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub vwap_ratio: f64,
    pub bid_ratio: f64,
    pub residual: f64,
}

/// The product of the factors of the splits dated on or before `date` whose
/// `adjust_prices` is `adjusted`: with `true`, the engine's own-value adjustment
/// of a pre-split path (ratio × post-split factor, MODEL.md §9); with `false`, the
/// jumps in a path that is not adjusted (the ratios).
fn split_factor(s: &Scenario, date: NaiveDate, adjusted: bool) -> f64 {
    s.actions
        .iter()
        .filter(|a| a.date <= date)
        .map(|a| match a.kind {
            ActionKind::Split {
                ratio,
                adjust_prices,
                post_split_factor,
            } if adjust_prices == adjusted => {
                let post = if adjusted {
                    to_f64(post_split_factor)
                } else {
                    1.0
                };
                ratio as f64 * post
            }
            _ => 1.0,
        })
        .product()
}

impl Source {
    /// Prepares `path` for generation over the scenario's window. The path has at
    /// least one bar in the window (`app::load_prices` checks it).
    pub fn new(s: &Scenario, path: &PricePath) -> Source {
        let all = &path.bars;
        let factors: Vec<f64> = all.iter().map(|b| split_factor(s, b.date, false)).collect();
        let ln_close: Vec<f64> = all
            .iter()
            .zip(&factors)
            .map(|(b, f)| (to_f64(b.close) / f).ln())
            .collect();
        let returns: Vec<f64> = ln_close.windows(2).map(|w| w[1] - w[0]).collect();

        // Least squares of ln volume on ln close over days that traded.
        let traded: Vec<(f64, f64)> = all
            .iter()
            .zip(&factors)
            .zip(&ln_close)
            .filter(|((b, _), _)| b.volume > rust_decimal::Decimal::ZERO)
            .map(|((b, f), &x)| (x, (to_f64(b.volume) * f).ln()))
            .collect();
        let (volume_a, volume_b) = fit(&traded);
        let marks: Vec<Mark> = all
            .iter()
            .zip(&factors)
            .zip(&ln_close)
            .map(|((b, f), &x)| {
                let close = to_f64(b.close);
                let v = to_f64(b.volume) * f;
                Mark {
                    vwap_ratio: to_f64(b.vwap) / close,
                    bid_ratio: to_f64(b.bid) / close,
                    residual: if v > 0.0 {
                        v.ln() - volume_a - volume_b * x
                    } else {
                        f64::NEG_INFINITY
                    },
                }
            })
            .collect();

        let first = path.index_before(s.start);
        let last = all.partition_point(|b| b.date <= s.end);
        let anchor = ln_close[first.saturating_sub(1)];
        Source {
            bars: all[..last].to_vec(),
            first,
            anchor,
            factor: factors[first..last].to_vec(),
            shown_factor: all[first..last]
                .iter()
                .map(|b| split_factor(s, b.date, true))
                .collect(),
            returns,
            marks,
            volume_a,
            volume_b,
        }
    }

    /// Generated days per path.
    pub fn days(&self) -> usize {
        self.bars.len() - self.first
    }

    /// The dates of the generated days.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.bars[self.first..].iter().map(|b| b.date)
    }

    /// Mean and sample standard deviation of the daily log returns, or `None` with
    /// fewer than two returns.
    pub fn return_moments(&self) -> Option<(f64, f64)> {
        let n = self.returns.len();
        if n < 2 {
            return None;
        }
        let mean = self.returns.iter().sum::<f64>() / n as f64;
        let var = self
            .returns
            .iter()
            .map(|r| (r - mean) * (r - mean))
            .sum::<f64>()
            / (n - 1) as f64;
        Some((mean, var.sqrt()))
    }
}

/// Ordinary least squares y = a + b·x; b = 0 when x does not vary (a flat path),
/// and (−∞, 0) with no points (a path that never traded: every volume stays 0).
fn fit(points: &[(f64, f64)]) -> (f64, f64) {
    if points.is_empty() {
        return (f64::NEG_INFINITY, 0.0);
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    // Relative to the level: a flat path's ln closes can differ in the last bit.
    if sxx <= 1e-18 * n {
        return (my, 0.0);
    }
    let b = sxy / sxx;
    (my - b * mx, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fit_recovers_an_exact_line_and_a_flat_path_fits_no_slope() {
        let pts: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, 3.0 - 0.9 * i as f64)).collect();
        let (a, b) = fit(&pts);
        assert!((a - 3.0).abs() < 1e-12 && (b + 0.9).abs() < 1e-12);
        let flat = vec![(-6.5, 18.0); 5];
        assert_eq!(fit(&flat), (18.0, 0.0));
    }
}

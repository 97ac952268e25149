//! The market as the engine sees it: the price path with reverse splits applied
//! (MODEL.md §7, §9). Two adjustments:
//! - own values: with `adjust_prices` (a pre-split path), bars on and after the split
//!   date have prices × k × post_split_factor and volumes ÷ k. daily.csv shows these.
//! - look-backs: from a date t, a bar before a split dated ≤ t has its prices × k
//!   (and volume ÷ k), for every split between the bar and t.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::market::{Bar, PricePath};
use crate::terms::{Action, ActionKind};

/// The adjusted market.
#[derive(Debug, Clone)]
pub struct Market<'a> {
    /// Bars with their own values adjusted (borrowed as they are when no split
    /// touches them: Monte Carlo makes one engine per path).
    pub bars: Cow<'a, [Bar]>,
    /// Per bar, the product of all split ratios dated on or before it; empty when
    /// the scenario has no split (then every factor is 1).
    cum: Vec<u128>,
    splits: Vec<(NaiveDate, u64)>,
}

impl<'a> Market<'a> {
    pub fn new(path: &'a PricePath, actions: &[Action]) -> Market<'a> {
        let splits: Vec<(NaiveDate, u64, bool, Decimal)> = actions
            .iter()
            .filter_map(|a| match a.kind {
                ActionKind::Split {
                    ratio,
                    post_split_factor,
                    adjust_prices,
                } => Some((a.date, ratio, adjust_prices, post_split_factor)),
                ActionKind::Authorize { .. } => None,
            })
            .collect();
        if splits.is_empty() {
            return Market {
                bars: Cow::Borrowed(&path.bars),
                cum: Vec::new(),
                splits: Vec::new(),
            };
        }
        let mut bars = path.bars.clone();
        let mut cum = Vec::with_capacity(bars.len());
        for bar in &mut bars {
            let mut k_all: u128 = 1;
            for &(date, k, adjust, factor) in &splits {
                if date > bar.date {
                    continue;
                }
                k_all = k_all.saturating_mul(k as u128);
                if adjust {
                    let m = Decimal::from(k) * factor;
                    bar.close *= m;
                    bar.vwap *= m;
                    bar.bid *= m;
                    bar.volume /= Decimal::from(k);
                }
            }
            cum.push(k_all);
        }
        Market {
            bars: Cow::Owned(bars),
            cum,
            splits: splits.iter().map(|s| (s.0, s.1)).collect(),
        }
    }

    /// A market that owns its bars, for a scenario without splits (so they are
    /// the path's own, unadjusted).
    pub fn owning(bars: Vec<Bar>) -> Market<'a> {
        Market {
            bars: Cow::Owned(bars),
            cum: Vec::new(),
            splits: Vec::new(),
        }
    }

    /// Whether any split reaches the look-backs.
    pub fn has_splits(&self) -> bool {
        !self.splits.is_empty()
    }

    /// The product of the ratios of all splits dated on or before `date`.
    pub fn ratio_product_at(&self, date: NaiveDate) -> u128 {
        self.splits
            .iter()
            .filter(|(d, _)| *d <= date)
            .fold(1u128, |acc, (_, k)| acc.saturating_mul(*k as u128))
    }

    /// The factor a look-back from a date with ratio product `k_t` applies to the
    /// prices of bar `r` (its volume is divided by the same factor).
    pub fn lookback_factor(&self, k_t: u128, r: usize) -> u128 {
        if self.cum.is_empty() {
            1
        } else {
            k_t / self.cum[r].max(1)
        }
    }

    /// A bar's price as seen by a look-back: `price × factor`.
    pub fn scaled(price: Decimal, factor: u128) -> Decimal {
        if factor == 1 {
            price
        } else {
            price * Decimal::from(factor as u64)
        }
    }
}

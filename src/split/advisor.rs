//! The $1.00 advisor (MODEL.md §7, §9; the proxy: "One of these standards is the
//! 'minimum bid price' requirement ... at least $1.00 per share").
//!
//! For a hypothetical split on a date, along a pre-split price path: which ratios
//! would regain compliance (10 consecutive trading days with a closing bid at or
//! above $1.00) and by when, whether that is within the 180-day compliance period
//! of the deficiency in force, when the bid would next fall deficient, and what
//! each ratio does at the open of that date to the shares outstanding, the
//! authorized headroom and the noteholder's room under its ownership cap.
//!
//! The bid tracker here follows the same rules as the engine's (`run`'s
//! `bid_deficiency` / `bid_compliance` events); a property test holds them equal.
//! Pure: no I/O.

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

use super::{Holdings, RatioRange, split_pool, split_price};
use crate::money::{Shares, cap_room};

/// Deficient after this many consecutive trading days with the bid below $1.00.
pub const DAYS_TO_DEFICIENCY: u32 = 30;
/// Compliant again after this many consecutive trading days at or above $1.00.
pub const DAYS_TO_COMPLIANCE: u32 = 10;
/// The compliance period after a deficiency, in calendar days.
pub const COMPLIANCE_PERIOD_DAYS: i64 = 180;

/// A bid tracker event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BidEvent {
    /// Dated the 30th consecutive day below $1.00; the deadline is 180 days later.
    Deficiency {
        date: NaiveDate,
        deadline: NaiveDate,
    },
    /// Dated the 10th consecutive day at or above $1.00 after a deficiency.
    Compliance { date: NaiveDate },
}

impl BidEvent {
    pub fn date(&self) -> NaiveDate {
        match self {
            BidEvent::Deficiency { date, .. } | BidEvent::Compliance { date } => *date,
        }
    }
}

/// The tracker's state after some days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BidState {
    below: u32,
    above: u32,
    /// The deficiency in force: (its date, its deadline).
    pub deficiency: Option<(NaiveDate, NaiveDate)>,
}

impl BidState {
    /// One trading day's closing bid; returns the event it makes, if any.
    pub fn step(&mut self, date: NaiveDate, bid: Decimal) -> Option<BidEvent> {
        if bid < Decimal::ONE {
            self.below += 1;
            self.above = 0;
            if self.deficiency.is_none() && self.below == DAYS_TO_DEFICIENCY {
                // At the end of the calendar the deadline is the last date there is.
                let deadline = date
                    .checked_add_signed(Duration::days(COMPLIANCE_PERIOD_DAYS))
                    .unwrap_or(NaiveDate::MAX);
                self.deficiency = Some((date, deadline));
                return Some(BidEvent::Deficiency { date, deadline });
            }
        } else {
            self.above += 1;
            self.below = 0;
            if self.deficiency.is_some() && self.above == DAYS_TO_COMPLIANCE {
                self.deficiency = None;
                return Some(BidEvent::Compliance { date });
            }
        }
        None
    }
}

/// Every tracker event over trading days `(date, closing bid)`, counted from the
/// first (the scenario's `start`).
pub fn bid_events(days: &[(NaiveDate, Decimal)]) -> Vec<BidEvent> {
    let mut s = BidState::default();
    days.iter().filter_map(|&(d, b)| s.step(d, b)).collect()
}

/// The company just before the hypothetical split, at the open of its date.
#[derive(Debug, Clone, PartialEq)]
pub struct PreSplit {
    pub outstanding: Shares,
    /// The noteholder's shares.
    pub investor: Shares,
    pub named: Vec<Shares>,
    pub reserved: Vec<Shares>,
    pub authorized: Shares,
    /// The notes' ownership cap (9.99%).
    pub cap: Decimal,
}

/// Shares, headroom and the noteholder's cap room at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capital {
    pub outstanding: Shares,
    pub investor: Shares,
    /// authorized − outstanding − reserved.
    pub headroom: i128,
    /// x_max = floor((cap × O − H) / (1 − cap)) (MODEL.md §4).
    pub cap_room: i128,
}

impl PreSplit {
    /// The capital as it stands, or after a 1-for-k split (k = 1: unchanged).
    pub fn capital(&self, k: u64) -> Result<Capital, String> {
        let h = Holdings::new(self.outstanding, self.investor, &self.named)?;
        let (h, reserved): (Holdings, i128) = if k == 1 {
            (h, self.reserved.iter().map(|&r| r as i128).sum())
        } else {
            (
                h.split(k),
                self.reserved
                    .iter()
                    .map(|&r| split_pool(r, k) as i128)
                    .sum(),
            )
        };
        let outstanding = h.outstanding();
        Ok(Capital {
            outstanding,
            investor: h.investor,
            headroom: self.authorized as i128 - outstanding as i128 - reserved,
            cap_room: cap_room(self.cap, outstanding, h.investor)
                .ok_or("the ownership cap's arithmetic leaves its range")?,
        })
    }
}

/// What one ratio would do.
#[derive(Debug, Clone, PartialEq)]
pub struct RatioAdvice {
    pub ratio: u64,
    /// The first trading day on or after the split date and its adjusted bid.
    pub first_bid: Option<(NaiveDate, Decimal)>,
    /// The first `bid_compliance` on or after the split date.
    pub compliant_on: Option<NaiveDate>,
    /// Compliance regained no later than the deadline of the deficiency in force.
    pub in_time: bool,
    /// The first deficiency after the split date (the split wearing off).
    pub next_deficiency: Option<NaiveDate>,
    pub after: Capital,
}

/// The advisor's answer for one date.
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    pub date: NaiveDate,
    pub post_split_factor: Decimal,
    /// The deficiency in force at the open of `date`: (its date, deadline).
    pub deficiency: Option<(NaiveDate, NaiveDate)>,
    /// Without a split: the first compliance and the first new deficiency after `date`.
    pub unsplit_compliant_on: Option<NaiveDate>,
    pub unsplit_next_deficiency: Option<NaiveDate>,
    pub before: Capital,
    pub ratios: Vec<RatioAdvice>,
}

impl Advice {
    /// The smallest ratio that regains compliance within the compliance period.
    pub fn smallest_in_time(&self) -> Option<u64> {
        self.ratios.iter().find(|r| r.in_time).map(|r| r.ratio)
    }

    /// The smallest ratio that regains compliance at all along the path.
    pub fn smallest_at_all(&self) -> Option<u64> {
        self.ratios
            .iter()
            .find(|r| r.compliant_on.is_some())
            .map(|r| r.ratio)
    }
}

/// Advises on a 1-for-k split at the open of `date`, for every k of `ratios`.
/// `days` are the window's trading days with their closing bids as `run` sees them
/// without this split (a pre-split path); on and after `date` each bid is taken
/// × k × `post_split_factor` (MODEL.md §7).
pub fn advise(
    days: &[(NaiveDate, Decimal)],
    date: NaiveDate,
    ratios: RatioRange,
    post_split_factor: Decimal,
    pre: &PreSplit,
) -> Result<Advice, String> {
    let cut = days.partition_point(|(d, _)| *d < date);
    let (history, after) = days.split_at(cut);
    let mut state = BidState::default();
    for &(d, b) in history {
        state.step(d, b);
    }
    let deficiency = state.deficiency;
    let unsplit = follow(state, after, None, post_split_factor)?;
    let mut rows = Vec::with_capacity(ratios.len() as usize);
    for k in ratios.ratios() {
        let Path {
            compliant_on,
            next_deficiency,
            first_bid,
        } = follow(state, after, Some(k), post_split_factor)?;
        let in_time = match (deficiency, compliant_on) {
            (Some((_, deadline)), Some(c)) => c <= deadline,
            _ => false,
        };
        rows.push(RatioAdvice {
            ratio: k,
            first_bid,
            compliant_on,
            in_time,
            next_deficiency,
            after: pre.capital(k)?,
        });
    }
    Ok(Advice {
        date,
        post_split_factor,
        deficiency,
        unsplit_compliant_on: unsplit.compliant_on,
        unsplit_next_deficiency: unsplit.next_deficiency,
        before: pre.capital(1)?,
        ratios: rows,
    })
}

/// What the tracker sees after the split date.
struct Path {
    compliant_on: Option<NaiveDate>,
    next_deficiency: Option<NaiveDate>,
    first_bid: Option<(NaiveDate, Decimal)>,
}

/// Runs the tracker on from `state` over `after`, the bids × k × factor (no split:
/// `k = None`), until it has seen a compliance and a new deficiency.
fn follow(
    mut state: BidState,
    after: &[(NaiveDate, Decimal)],
    k: Option<u64>,
    factor: Decimal,
) -> Result<Path, String> {
    let mut p = Path {
        compliant_on: None,
        next_deficiency: None,
        first_bid: None,
    };
    for &(d, b) in after {
        let bid = match k {
            Some(k) => split_price(b, k, factor)
                .ok_or_else(|| format!("the bid {b} on {d} × {k} leaves the decimal range"))?,
            None => b,
        };
        if p.first_bid.is_none() {
            p.first_bid = Some((d, bid));
        }
        match state.step(d, bid) {
            Some(BidEvent::Compliance { date }) if p.compliant_on.is_none() => {
                p.compliant_on = Some(date)
            }
            Some(BidEvent::Deficiency { date, .. }) if p.next_deficiency.is_none() => {
                p.next_deficiency = Some(date)
            }
            _ => {}
        }
        if p.compliant_on.is_some() && p.next_deficiency.is_some() {
            break;
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn path(bids: &[Decimal]) -> Vec<(NaiveDate, Decimal)> {
        let d0: NaiveDate = "2013-01-01".parse().unwrap();
        bids.iter()
            .enumerate()
            .map(|(i, &b)| (d0 + Duration::days(i as i64), b))
            .collect()
    }

    #[test]
    fn deficiency_comes_on_the_30th_day_below_and_compliance_on_the_10th_above() {
        let mut bids = vec![dec!(0.5); 40];
        bids.extend(vec![dec!(1.0); 10]);
        let ev = bid_events(&path(&bids));
        let d0: NaiveDate = "2013-01-01".parse().unwrap();
        assert_eq!(
            ev,
            vec![
                BidEvent::Deficiency {
                    date: d0 + Duration::days(29),
                    deadline: d0 + Duration::days(29 + 180)
                },
                BidEvent::Compliance {
                    date: d0 + Duration::days(49)
                },
            ]
        );
    }

    #[test]
    fn the_smallest_ratio_that_lifts_the_bid_to_a_dollar_regains_compliance() {
        // 60 days at $0.67 (the proxy's close of 2013-04-25), then the split.
        let days = path(&[dec!(0.67); 80]);
        let pre = PreSplit {
            outstanding: 51_176_906,
            investor: 0,
            named: vec![],
            reserved: vec![4_500_000],
            authorized: 125_000_000,
            cap: dec!(0.0999),
        };
        let date = days[60].0;
        let a = advise(
            &days,
            date,
            RatioRange {
                first: 1 + 1,
                last: 10,
            },
            Decimal::ONE,
            &pre,
        )
        .unwrap();
        assert!(a.deficiency.is_some());
        assert_eq!(a.smallest_in_time(), Some(2));
        assert_eq!(a.ratios[0].compliant_on, Some(days[69].0));
        // A 30% post-split decline: 0.67 × k × 0.7 ≥ 1 needs k ≥ 3 (1.407).
        let a = advise(
            &days,
            date,
            RatioRange { first: 2, last: 10 },
            dec!(0.7),
            &pre,
        )
        .unwrap();
        assert_eq!(a.smallest_in_time(), Some(3));
        assert_eq!(
            a.ratios[3].after.headroom,
            125_000_000 - 10_235_382 - 900_000
        );
    }
}

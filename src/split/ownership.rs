//! Beneficial ownership as the proxy computes it, and a Form 4's ledger
//! (MODEL.md §8).
//!
//! The proxy ("Security Ownership of Certain Beneficial Owners and Management"):
//! beneficial ownership "includes ... all shares issuable upon exercise of options or
//! the vesting of restricted stock within 60 days", and the percentage divides it
//! by the shares outstanding plus that holder's own acquirable shares (SEC Rule
//! 13d-3(d)(1)). A group line sums its members' shares and their acquirable shares.
//!
//! Pure: no I/O.

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

use super::{Holdings, split_holder};
use crate::money::Shares;
use crate::terms::{NamedHolder, OwnershipTerms, Trade};

/// Shares a holder can acquire within `window_days` of `as_of`: options exercisable
/// now (`options_vested`, each grant's `vested`) and grant lines vesting by then,
/// restricted stock units vesting by then. An option grant that has expired by
/// `as_of` gives nothing; an RSU without a vesting date is not counted.
pub fn acquirable(h: &NamedHolder, as_of: NaiveDate, window_days: u32) -> Shares {
    let horizon = as_of
        .checked_add_signed(Duration::days(window_days as i64))
        .unwrap_or(NaiveDate::MAX);
    let options: u128 = h
        .options
        .iter()
        .filter(|g| g.expires.is_none_or(|e| e >= as_of))
        .map(|g| {
            g.vested as u128
                + g.vesting
                    .iter()
                    .filter(|v| v.date <= horizon)
                    .map(|v| v.shares as u128)
                    .sum::<u128>()
        })
        .sum();
    let rsus: u128 = h
        .rsus
        .iter()
        .filter(|r| r.vests.is_some_and(|d| d <= horizon))
        .map(|r| r.shares as u128)
        .sum();
    (h.options_vested as u128 + options + rsus).min(u64::MAX as u128) as Shares
}

/// One line of an ownership table (a holder or a group).
#[derive(Debug, Clone, PartialEq)]
pub struct OwnershipLine {
    pub name: String,
    pub group: Option<String>,
    /// Shares held of record.
    pub held: Shares,
    /// Shares acquirable within the window.
    pub acquirable: Shares,
    /// held + acquirable.
    pub beneficial: Shares,
    /// outstanding + this line's acquirable shares.
    pub denominator: Shares,
    /// beneficial / denominator, as a fraction (28 significant digits).
    pub pct: Decimal,
    /// What the filing prints, if the scenario gives it.
    pub filed_shares: Option<Shares>,
    pub filed_pct: Option<Decimal>,
}

impl OwnershipLine {
    /// The percentage as a proxy prints it: two decimals, halves away from zero.
    pub fn printed_pct(&self) -> Decimal {
        percent_2dp(self.pct)
    }
}

/// A fraction as a percentage with two decimals (0.311174... → 31.12).
pub fn percent_2dp(fraction: Decimal) -> Decimal {
    (fraction * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// The ownership table at one ratio (1: as filed).
#[derive(Debug, Clone, PartialEq)]
pub struct OwnershipTable {
    pub ratio: u64,
    pub as_of: NaiveDate,
    /// Shares outstanding on `as_of` (after the split: every holder rounded up).
    pub outstanding: Shares,
    pub holders: Vec<OwnershipLine>,
    pub groups: Vec<OwnershipLine>,
}

fn line(h: &NamedHolder, outstanding: Shares, terms: &OwnershipTerms) -> OwnershipLine {
    let acq = acquirable(h, terms.as_of, terms.window_days);
    group_line(
        h.name.clone(),
        h.group.clone(),
        h.shares,
        acq,
        outstanding,
        h.filed_shares,
        h.filed_pct,
    )
}

fn group_line(
    name: String,
    group: Option<String>,
    held: Shares,
    acq: Shares,
    outstanding: Shares,
    filed_shares: Option<Shares>,
    filed_pct: Option<Decimal>,
) -> OwnershipLine {
    let beneficial = held.saturating_add(acq);
    let denominator = outstanding.saturating_add(acq);
    OwnershipLine {
        name,
        group,
        held,
        acquirable: acq,
        beneficial,
        denominator,
        pct: Decimal::from(beneficial) / Decimal::from(denominator.max(1)),
        filed_shares,
        filed_pct,
    }
}

/// The ownership table after a 1-for-k split (k = 1: as filed). After a split,
/// held shares round up per holder, grants round down per grant, and the
/// outstanding count is the sum of the rounded holdings (`investor` is the
/// noteholder's shares, rounded as one more holder).
pub fn table(
    holders: &[NamedHolder],
    terms: &OwnershipTerms,
    investor: Shares,
    k: u64,
) -> Result<OwnershipTable, String> {
    let named: Vec<Shares> = holders.iter().map(|h| h.shares).collect();
    let before = Holdings::new(terms.outstanding, investor, &named)?;
    let (outstanding, after): (Shares, Vec<NamedHolder>) = if k == 1 {
        (terms.outstanding, holders.to_vec())
    } else {
        let split = holders
            .iter()
            .map(|h| split_holder(h, k))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("an exercise price × {k} leaves the decimal range"))?;
        (before.split(k).outstanding(), split)
    };
    let lines: Vec<OwnershipLine> = after.iter().map(|h| line(h, outstanding, terms)).collect();
    let groups = terms
        .groups
        .iter()
        .map(|g| {
            let members = lines
                .iter()
                .filter(|l| l.group.as_deref() == Some(g.name.as_str()));
            let (held, acq) = members.fold((0u64, 0u64), |(h, a), l| {
                (h.saturating_add(l.held), a.saturating_add(l.acquirable))
            });
            group_line(
                g.name.clone(),
                None,
                held,
                acq,
                outstanding,
                g.filed_shares,
                g.filed_pct,
            )
        })
        .collect();
    Ok(OwnershipTable {
        ratio: k,
        as_of: terms.as_of,
        outstanding,
        holders: lines,
        groups,
    })
}

/// A Form 4's holdings: before the first trade, and after each one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub opening: Shares,
    /// Shares held after each trade, in order (Form 4, Table I, column 5: "Amount of
    /// Securities Beneficially Owned Following Reported Transaction(s)").
    pub after: Vec<Shares>,
}

/// The ledger of a holder who holds `held` after all of `trades`: the opening
/// holding is `held − Σ trades`; no holding along the way may be negative.
pub fn ledger(held: Shares, trades: &[Trade]) -> Result<Ledger, String> {
    let net: i128 = trades.iter().map(|t| t.shares as i128).sum();
    let opening = held as i128 - net;
    if opening < 0 {
        return Err(format!(
            "the trades add {net} shares to reach {held}, so the holder would have started with {opening}"
        ));
    }
    let mut now = opening;
    let mut after = Vec::with_capacity(trades.len());
    for t in trades {
        now += t.shares as i128;
        if now < 0 {
            return Err(format!(
                "the trade of {} shares on {} leaves {now} shares held",
                t.shares, t.date
            ));
        }
        after.push(now as Shares);
    }
    Ok(Ledger {
        opening: opening as Shares,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::{OptionGrant, OwnershipGroup, RsuGrant, Vesting};
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_form_4_ledger_runs_766_678_443_237_61_30_0() {
        let sales = [-88, -235, -206, -176, -31, -30];
        let prices = [
            dec!(16.75),
            dec!(16.8),
            dec!(16.81),
            dec!(16.82),
            dec!(16.83),
            dec!(16.84),
        ];
        let trades: Vec<Trade> = sales
            .iter()
            .zip(prices)
            .map(|(&s, price)| Trade {
                date: d("2007-11-19"),
                shares: s,
                price,
            })
            .collect();
        let l = ledger(0, &trades).unwrap();
        assert_eq!(l.opening, 766);
        assert_eq!(l.after, vec![678, 443, 237, 61, 30, 0]);
    }

    #[test]
    fn a_ledger_that_would_go_negative_is_refused() {
        let t = |s| Trade {
            date: d("2007-11-19"),
            shares: s,
            price: dec!(1),
        };
        assert!(ledger(0, &[t(5)]).unwrap_err().contains("started with -5"));
        assert!(
            ledger(10, &[t(-20), t(30)])
                .unwrap_err()
                .contains("leaves -20")
        );
    }

    #[test]
    fn acquirable_counts_vested_options_and_what_vests_within_60_days() {
        // The proxy's Gary Gatchell: 103,750 "vested within 60 days of March 31, 2013",
        // from the Outstanding Equity Awards table and its vesting footnote.
        let g = |shares, price, vested, vesting: Vec<(&str, Shares)>| OptionGrant {
            shares,
            exercise_price: Some(price),
            vested,
            vesting: vesting
                .into_iter()
                .map(|(x, s)| Vesting {
                    date: d(x),
                    shares: s,
                })
                .collect(),
            expires: None,
        };
        let h = NamedHolder {
            name: "Gary Gatchell".into(),
            shares: 50_500,
            options: vec![
                g(20_000, dec!(3.17), 20_000, vec![]),
                g(
                    60_000,
                    dec!(4.17),
                    30_000,
                    vec![("2013-01-01", 15_000), ("2014-01-01", 15_000)],
                ),
                g(
                    40_000,
                    dec!(3.37),
                    10_000,
                    vec![
                        ("2013-02-04", 10_000),
                        ("2014-02-03", 10_000),
                        ("2015-02-03", 10_000),
                    ],
                ),
                g(
                    75_000,
                    dec!(0.68),
                    18_750,
                    vec![
                        ("2013-08-04", 18_750),
                        ("2014-08-04", 18_750),
                        ("2015-08-04", 18_750),
                    ],
                ),
            ],
            rsus: vec![
                RsuGrant {
                    shares: 7,
                    vests: Some(d("2013-05-30")),
                },
                RsuGrant {
                    shares: 100,
                    vests: Some(d("2013-05-31")),
                },
            ],
            ..NamedHolder::default()
        };
        assert_eq!(acquirable(&h, d("2013-03-31"), 60), 103_750 + 7);
    }

    #[test]
    fn the_group_line_divides_by_outstanding_plus_the_group_s_acquirable() {
        let terms = OwnershipTerms {
            as_of: d("2013-03-31"),
            outstanding: 51_523_758,
            window_days: 60,
            groups: vec![OwnershipGroup {
                name: "g".into(),
                filed_shares: None,
                filed_pct: None,
            }],
        };
        let h = |name: &str, shares, vested| NamedHolder {
            name: name.into(),
            shares,
            options_vested: vested,
            group: Some("g".into()),
            ..NamedHolder::default()
        };
        let t = table(
            &[
                h("a", 50_500, 103_750),
                h("b", 308_528, 8_000),
                h("c", 530_972, 0),
            ],
            &terms,
            0,
            1,
        )
        .unwrap();
        assert_eq!(t.groups[0].beneficial, 1_001_750);
        assert_eq!(t.groups[0].denominator, 51_523_758 + 111_750);
    }
}

//! Warnings: terms that are valid but probably not what the author meant. `check`
//! prints them all; `run` repeats them on stderr. Pure: no I/O.

use rust_decimal::Decimal;

use super::Scenario;
use crate::market::PricePath;
use crate::terms::ActionKind;

/// The warnings `run` repeats on stderr: the ones that make a whole run
/// meaningless (the rest are for `check`, and the run's events show them).
pub fn run_warnings(s: &Scenario) -> Vec<String> {
    let mut w = Vec::new();
    if s.notes.is_empty() && s.tranches.is_empty() {
        w.push("the scenario has no notes and no tranches: nothing can convert".into());
    }
    w
}

/// Every warning for a scenario, with its price path when there is one.
pub fn warnings(s: &Scenario, path: Option<&PricePath>) -> Vec<String> {
    let mut w = run_warnings(s);
    let c = &s.conversion;
    if let (Some(floor), Some(fixed)) = (c.floor, c.fixed_price) {
        if floor > fixed {
            w.push(format!(
                "conversion.floor {floor} is above conversion.fixed_price {fixed}: the price will always be the floor"
            ));
        }
    }
    for n in &s.notes {
        if n.maturity() > s.end {
            w.push(format!(
                "note {} matures on {}, after end {}: what is unpaid at end is reported as outstanding",
                n.id,
                n.maturity(),
                s.end
            ));
        }
    }
    for t in &s.tranches {
        if t.date > s.end {
            w.push(format!(
                "tranche {} on {} is after end {}: it is never decided",
                t.id, t.date, s.end
            ));
            continue;
        }
        let note = t.note();
        if note.maturity() > s.end {
            w.push(format!(
                "tranche {} would mature on {}, after end {}",
                t.id,
                note.maturity(),
                s.end
            ));
        }
        let (Some(test), Some(path)) = (&t.condition, path) else {
            continue;
        };
        let end = path.index_before(t.date);
        if end < test.lookback_days {
            w.push(format!(
                "tranche {} on {} can never close: the price path has {end} trading days before it, the test needs {}",
                t.id, t.date, test.lookback_days
            ));
            continue;
        }
        let sum: Decimal = path.bars[end - test.lookback_days..end]
            .iter()
            .map(|b| b.volume * b.vwap)
            .sum();
        let avg = sum / Decimal::from(test.lookback_days as u64);
        if avg < test.min {
            w.push(format!(
                "tranche {} on {} will not close on this path: average daily dollar volume {} < {}",
                t.id,
                t.date,
                avg.round_dp(2),
                test.min
            ));
        }
    }
    if let Some((lo, hi)) = s
        .split
        .as_ref()
        .and_then(|t| t.ratios.as_deref())
        .and_then(range)
    {
        for a in &s.actions {
            if let ActionKind::Split { ratio, .. } = a.kind {
                if ratio < lo || ratio > hi {
                    w.push(format!(
                        "the split on {} is 1-for-{ratio}, outside the authorised range {lo}..{hi} of [split] ratios",
                        a.date
                    ));
                }
            }
        }
    }
    w
}

/// "5..10" → (5, 10).
fn range(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once("..")?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

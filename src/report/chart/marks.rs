//! What the run charts read from a `Simulation`: daily series as `f64` (for pixels
//! only; the ledger stays exact) and the dated events they mark: splits, tranche
//! closings and skips, authorized-share changes.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::engine::{DayRow, EventKind, Simulation};

/// A decimal as a plotting coordinate. Chart code only: never written back.
pub fn px(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A dated event the charts mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub date: NaiveDate,
    pub label: String,
}

/// The events a run's charts mark, in date order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    /// Reverse splits: date and ratio k (1-for-k).
    pub splits: Vec<(NaiveDate, u64)>,
    pub tranches_closed: Vec<Mark>,
    pub tranches_skipped: Vec<Mark>,
    /// Authorized-share changes: date and the new count.
    pub authorized: Vec<(NaiveDate, f64)>,
}

impl Marks {
    pub fn of(sim: &Simulation) -> Marks {
        let mut m = Marks::default();
        let note_id = |i: Option<usize>| {
            i.and_then(|i| sim.notes.get(i))
                .map(|n| n.terms.id.clone())
                .unwrap_or_default()
        };
        for e in &sim.events {
            match &e.kind {
                EventKind::Split { ratio, .. } => m.splits.push((e.date, *ratio)),
                EventKind::Issue => {
                    let from_tranche = e
                        .note
                        .and_then(|i| sim.notes.get(i))
                        .is_some_and(|n| n.from_tranche);
                    if from_tranche {
                        m.tranches_closed.push(Mark {
                            date: e.date,
                            label: note_id(e.note),
                        });
                    }
                }
                EventKind::TrancheSkipped { .. } => m.tranches_skipped.push(Mark {
                    date: e.date,
                    label: note_id(e.note),
                }),
                EventKind::Authorize { .. } => {
                    let new = e.shares.map(|s| s as f64).unwrap_or(f64::NAN);
                    m.authorized.push((e.date, new));
                }
                _ => {}
            }
        }
        m
    }

    /// The product of split ratios in effect on `date` (a split acts at the open of
    /// its date, MODEL.md §6): what fixed prices and floors have been multiplied by.
    pub fn split_factor(&self, date: NaiveDate) -> f64 {
        self.splits
            .iter()
            .filter(|(d, _)| *d <= date)
            .map(|(_, k)| *k as f64)
            .product()
    }
}

/// The row recorded on `date`, or the next one (an event on a non-trading day shows
/// in the next row), or the last.
pub fn row_at(days: &[DayRow], date: NaiveDate) -> Option<&DayRow> {
    let i = days.partition_point(|r| r.date < date);
    days.get(i).or_else(|| days.last())
}

/// A step series: the value holds until the next point, then jumps (so a change
/// of authorized shares draws as a step, not a slope).
pub fn steps(points: &[(NaiveDate, f64)]) -> Vec<(NaiveDate, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, &(d, v)) in points.iter().enumerate() {
        if i > 0 {
            let prev = points[i - 1].1;
            if prev != v {
                out.push((d, prev));
            }
        }
        out.push((d, v));
    }
    // Drop repeated values between changes: the line is the same with fewer points.
    let mut thin: Vec<(NaiveDate, f64)> = Vec::with_capacity(out.len());
    for (i, p) in out.iter().enumerate() {
        let same_as_both = i > 0 && i + 1 < out.len() && out[i - 1].1 == p.1 && out[i + 1].1 == p.1;
        if !same_as_both {
            thin.push(*p);
        }
    }
    thin
}

/// Extends a level (a reference line or a step series) to the whole axis
/// `first..=last`, so it reads as a level even when the data is a single day.
pub fn span(
    mut points: Vec<(NaiveDate, f64)>,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<(NaiveDate, f64)> {
    if let Some(&(d, v)) = points.first() {
        if d > first {
            points.insert(0, (first, v));
        }
    }
    if let Some(&(d, v)) = points.last() {
        if d < last {
            points.push((last, v));
        }
    }
    points
}

/// The distinct successive values of a step series: "$0.002 → $0.01".
pub fn levels(points: &[(NaiveDate, f64)], fmt: impl Fn(f64) -> String) -> String {
    let mut out: Vec<String> = Vec::new();
    for &(_, v) in points {
        let s = fmt(v);
        if out.last() != Some(&s) {
            out.push(s);
        }
    }
    out.join(" → ")
}

/// Splits a series with gaps (`None`) into runs to draw as separate lines.
pub fn runs<T: Copy>(
    points: impl IntoIterator<Item = (NaiveDate, Option<T>)>,
) -> Vec<Vec<(NaiveDate, T)>> {
    let mut out: Vec<Vec<(NaiveDate, T)>> = Vec::new();
    let mut open = false;
    for (d, v) in points {
        match v {
            Some(v) => {
                if !open {
                    out.push(Vec::new());
                    open = true;
                }
                if let Some(run) = out.last_mut() {
                    run.push((d, v));
                }
            }
            None => open = false,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2018, 1, day).unwrap_or_default()
    }

    #[test]
    fn chart_steps_jump_at_changes_and_drop_repeats() {
        let s = steps(&[
            (d(1), 1.0),
            (d(2), 1.0),
            (d(3), 1.0),
            (d(4), 2.0),
            (d(5), 2.0),
        ]);
        assert_eq!(s, vec![(d(1), 1.0), (d(4), 1.0), (d(4), 2.0), (d(5), 2.0)]);
        assert_eq!(steps(&[(d(1), 3.0)]), vec![(d(1), 3.0)]);
        assert!(steps(&[]).is_empty());
    }

    #[test]
    fn chart_levels_span_the_axis_and_list_their_values() {
        let s = span(vec![(d(3), 2.0)], d(1), d(5));
        assert_eq!(s, vec![(d(1), 2.0), (d(3), 2.0), (d(5), 2.0)]);
        let steps = [(d(1), 0.002), (d(2), 0.002), (d(3), 0.01)];
        assert_eq!(levels(&steps, |v| format!("{v}")), "0.002 → 0.01");
    }

    #[test]
    fn chart_runs_break_at_gaps() {
        let r = runs([
            (d(1), None),
            (d(2), Some(1.0)),
            (d(3), None),
            (d(4), Some(2.0)),
            (d(5), Some(3.0)),
        ]);
        assert_eq!(r, vec![vec![(d(2), 1.0)], vec![(d(4), 2.0), (d(5), 3.0)]]);
    }
}

//! The six day-count conventions of MODEL.md §2, with QuantLib's definitions.
//!
//! A year fraction is returned as an exact rational (`YearFraction`), so that interest
//! = principal × rate × num / den needs one division at the very end.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A day-count convention, named as in scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayCount {
    /// `30/360`: QuantLib Thirty360(BondBasis), ISDA 30/360 (the default).
    Thirty360,
    /// `30/360-us`: QuantLib Thirty360(USA).
    Thirty360Us,
    /// `30e/360`: QuantLib Thirty360(European).
    Thirty360E,
    /// `act/365f`: Actual365Fixed.
    Act365F,
    /// `act/360`: Actual360.
    Act360,
    /// `act/act-isda`: ActualActual(ISDA).
    ActActIsda,
}

/// An exact year fraction `num / den` (den > 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearFraction {
    pub num: i64,
    pub den: i64,
}

impl DayCount {
    pub const ALL: [DayCount; 6] = [
        DayCount::Thirty360,
        DayCount::Thirty360Us,
        DayCount::Thirty360E,
        DayCount::Act365F,
        DayCount::Act360,
        DayCount::ActActIsda,
    ];

    /// The name used in scenario files (`30/360`, `act/act-isda`, ...).
    pub fn name(self) -> &'static str {
        todo!()
    }

    /// Parses a scenario name; `None` if unknown.
    pub fn parse(s: &str) -> Option<DayCount> {
        todo!()
    }

    /// The day count between two dates under this convention (QuantLib's `dayCount`).
    pub fn days(self, d1: NaiveDate, d2: NaiveDate) -> i64 {
        todo!()
    }

    /// The exact year fraction from `d1` to `d2` (negative if d2 < d1).
    pub fn year_fraction(self, d1: NaiveDate, d2: NaiveDate) -> YearFraction {
        todo!()
    }
}

impl YearFraction {
    /// `amount × num / den`, with the one division last.
    pub fn of(self, amount: Decimal) -> Decimal {
        todo!()
    }
}

//! Validated terms: the notes, the tranches, the conversion formula, the company's
//! share capital, the holder and the corporate actions. Values here have passed
//! `scenario::load`'s checks; nothing downstream re-validates them.
//!
//! Pure: no I/O.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::daycount::DayCount;
use crate::money::Shares;

/// A note's repayment kind (MODEL.md §3).
#[derive(Debug, Clone, PartialEq)]
pub enum Repayment {
    /// Principal and accrued interest in one payment at maturity.
    Bullet { maturity: NaiveDate },
    /// Level monthly payments from `first_payment`.
    Amortizing {
        installments: u32,
        first_payment: NaiveDate,
        prepayment: Prepayment,
    },
}

/// What a conversion does to an amortizing note's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prepayment {
    /// The level payment stays; the note ends sooner (default).
    Shorten,
    /// The level payment is recomputed over the installments left.
    Reamortize,
}

/// One piece of what a note's principal is made of (the 8-K's exchange).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub label: String,
    pub amount: Decimal,
    pub exchange: bool,
}

/// A note's contractual terms.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteTerms {
    pub id: String,
    pub principal: Decimal,
    pub issue: NaiveDate,
    pub rate: Decimal,
    pub day_count: DayCount,
    pub repayment: Repayment,
    pub parts: Vec<Part>,
}

impl NoteTerms {
    /// Every scheduled payment date: the installments, or the one maturity.
    pub fn payment_dates(&self) -> Vec<NaiveDate> {
        match &self.repayment {
            Repayment::Bullet { maturity } => vec![*maturity],
            Repayment::Amortizing {
                installments,
                first_payment,
                ..
            } => (0..*installments)
                .map(|k| add_months(*first_payment, k))
                .collect(),
        }
    }

    /// The final payment date (an amortizing note's last installment).
    pub fn maturity(&self) -> NaiveDate {
        match &self.repayment {
            Repayment::Bullet { maturity } => *maturity,
            Repayment::Amortizing {
                installments,
                first_payment,
                ..
            } => add_months(*first_payment, installments.saturating_sub(1)),
        }
    }

    /// The contractual level payment of an amortizing note (MODEL.md §3).
    pub fn level_payment(&self) -> Option<Decimal> {
        match &self.repayment {
            Repayment::Bullet { .. } => None,
            Repayment::Amortizing { installments, .. } => {
                level_payment(self.principal, self.rate, *installments)
            }
        }
    }

    /// A short description for events and tables: "bullet, matures 2018-11-30, 0.12 30/360".
    pub fn describe(&self) -> String {
        let kind = match self.repayment {
            Repayment::Bullet { .. } => "bullet",
            Repayment::Amortizing { .. } => "amortizing",
        };
        format!(
            "{kind}, matures {}, {} {}",
            self.maturity(),
            crate::money::plain(self.rate),
            self.day_count.name()
        )
    }
}

/// A = round_cent(P × i / (1 − (1+i)^−n)), i = rate / 12 whatever the day count
/// (MODEL.md §9). `None` if n = 0 or the arithmetic leaves the decimal range.
pub fn level_payment(principal: Decimal, rate: Decimal, n: u32) -> Option<Decimal> {
    if n == 0 {
        return None;
    }
    let i = rate.checked_div(Decimal::from(12))?;
    if i.is_zero() {
        return Some(crate::money::round_cent(principal / Decimal::from(n)));
    }
    // (1+i)^n by repeated squaring on decimals: 28 significant digits, far more than
    // the cent the result is rounded to.
    let mut growth = Decimal::ONE;
    let mut base = Decimal::ONE.checked_add(i)?;
    let mut e = n;
    while e > 0 {
        if e & 1 == 1 {
            growth = growth.checked_mul(base)?;
        }
        base = base.checked_mul(base)?;
        e >>= 1;
    }
    let a = principal
        .checked_mul(i)?
        .checked_mul(growth)?
        .checked_div(growth.checked_sub(Decimal::ONE)?)?;
    Some(crate::money::round_cent(a))
}

/// The same day of month `k` months after `first`; a month without that day uses
/// its last day (MODEL.md §2). Contractual dates are not moved for weekends.
pub fn add_months(first: NaiveDate, k: u32) -> NaiveDate {
    let months = first.year() as i64 * 12 + first.month0() as i64 + k as i64;
    let (y, m0) = (months.div_euclid(12) as i32, months.rem_euclid(12) as u32);
    let mut day = first.day();
    loop {
        if let Some(d) = NaiveDate::from_ymd_opt(y, m0 + 1, day) {
            return d;
        }
        day -= 1;
    }
}

/// The 8-K's tranche condition: average daily dollar volume (volume × VWAP) over
/// the `lookback_days` trading days strictly before the date, at least `min`.
#[derive(Debug, Clone, PartialEq)]
pub struct DollarVolumeTest {
    pub min: Decimal,
    pub lookback_days: usize,
}

/// A future note that closes on its date if its condition holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Tranche {
    pub id: String,
    pub date: NaiveDate,
    pub principal: Decimal,
    pub term_months: u32,
    pub rate: Decimal,
    pub day_count: DayCount,
    pub condition: Option<DollarVolumeTest>,
}

impl Tranche {
    /// The bullet note this tranche becomes when it closes.
    pub fn note(&self) -> NoteTerms {
        NoteTerms {
            id: self.id.clone(),
            principal: self.principal,
            issue: self.date,
            rate: self.rate,
            day_count: self.day_count,
            repayment: Repayment::Bullet {
                maturity: add_months(self.date, self.term_months),
            },
            parts: Vec::new(),
        }
    }
}

/// Which part of a note a conversion takes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    InterestFirst,
    PrincipalFirst,
}

/// What happens when a conversion is larger than the authorized headroom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnShortfall {
    /// Cut the conversion to the headroom and log the shortfall.
    Cut,
    /// Stop the run with a model error (exit 1).
    Error,
}

/// The conversion formula (MODEL.md §4): the lowest of the enabled components,
/// raised to the floor, never below par.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversionTerms {
    /// Trading days in the VWAP average; 0 disables the VWAP component.
    pub vwap_days: usize,
    pub discount: Decimal,
    pub prior_bid: bool,
    pub fixed_price: Option<Decimal>,
    pub floor: Option<Decimal>,
    pub cap: Decimal,
    pub apply: Apply,
    pub on_shortfall: OnShortfall,
}

impl ConversionTerms {
    /// Rows of history the price needs before it exists.
    pub fn history_needed(&self) -> usize {
        self.vwap_days.max(usize::from(self.prior_bid))
    }
}

/// A pool of shares set aside (options, RSUs, plans), as in the proxy's table.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservedPool {
    pub name: String,
    pub shares: Shares,
}

/// The company's share capital at `start`.
#[derive(Debug, Clone, PartialEq)]
pub struct Company {
    pub par_value: Decimal,
    pub outstanding: Shares,
    pub authorized: Shares,
    pub reserved: Vec<ReservedPool>,
}

impl Company {
    pub fn reserved_total(&self) -> Shares {
        self.reserved.iter().map(|p| p.shares).sum()
    }
}

/// The noteholder's behaviour (MODEL.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Hold,
    ConvertAndSell,
}

/// The noteholder.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub name: String,
    pub shares: Shares,
    pub policy: Policy,
    /// Share of each day's volume the holder sells.
    pub sell_share: Decimal,
    /// Dollars of conversion amount per day, if limited.
    pub daily_limit: Option<Decimal>,
}

/// A corporate action at the open of its date (MODEL.md §6 step 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub date: NaiveDate,
    pub kind: ActionKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ActionKind {
    /// A 1-for-`ratio` reverse split (MODEL.md §7).
    Split {
        ratio: u64,
        post_split_factor: Decimal,
        /// The path is pre-split: scale prices on and after the date.
        adjust_prices: bool,
    },
    /// A new authorized share count.
    Authorize { authorized: Shares },
}

/// A named holder for ownership tables and split rounding (MODEL.md §7-8).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NamedHolder {
    pub name: String,
    /// Shares held of record at `start`, restricted stock included, after every trade.
    pub shares: Shares,
    /// How many of `shares` are restricted stock (the proxy's footnotes list them).
    pub restricted_stock: Shares,
    /// Options exercisable within the ownership window (no grant detail given).
    pub options_vested: Shares,
    /// Options not exercisable within the window (no grant detail given).
    pub options_unvested: Shares,
    /// Option grants with their exercise prices and vesting.
    pub options: Vec<OptionGrant>,
    /// Restricted stock units (shares issued when they vest).
    pub rsus: Vec<RsuGrant>,
    /// A Form 4's transactions, in order; `shares` is the holding after the last.
    pub trades: Vec<Trade>,
    /// The ownership table's group line this holder belongs to.
    pub group: Option<String>,
    /// What the filing prints (shown beside ours, never computed with).
    pub filed_shares: Option<Shares>,
    /// The filing's percentage, as a fraction (31.10% → 0.3110).
    pub filed_pct: Option<Decimal>,
}

/// One option grant (the proxy's "Outstanding Equity Awards" table; a Form 4's
/// Table II). A reverse split divides it as one grant, rounding down, and
/// multiplies its exercise price (proxy, Proposal 5: "appropriate adjustments to ...
/// the number of shares subject to outstanding awards and the exercise prices").
#[derive(Debug, Clone, PartialEq)]
pub struct OptionGrant {
    pub shares: Shares,
    pub exercise_price: Option<Decimal>,
    /// Exercisable now.
    pub vested: Shares,
    /// Later vesting dates of the rest; their sum with `vested` is at most `shares`.
    pub vesting: Vec<Vesting>,
    pub expires: Option<NaiveDate>,
}

/// Shares of a grant that vest on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Vesting {
    pub date: NaiveDate,
    pub shares: Shares,
}

/// Restricted stock units: shares issued on `vests` (unknown: not acquirable).
#[derive(Debug, Clone, PartialEq)]
pub struct RsuGrant {
    pub shares: Shares,
    pub vests: Option<NaiveDate>,
}

/// One Form 4 transaction: shares acquired (+) or disposed of (−) at a price.
#[derive(Debug, Clone, PartialEq)]
pub struct Trade {
    pub date: NaiveDate,
    pub shares: i64,
    pub price: Decimal,
}

/// The beneficial-ownership table's snapshot (MODEL.md §8).
#[derive(Debug, Clone, PartialEq)]
pub struct OwnershipTerms {
    pub as_of: NaiveDate,
    pub outstanding: Shares,
    /// Shares acquirable within this many days count (60: SEC Rule 13d-3(d)(1)).
    pub window_days: u32,
    /// Group lines in first-appearance order, with the filing's figures.
    pub groups: Vec<OwnershipGroup>,
}

/// A group line ("All directors and executive officers as a group").
#[derive(Debug, Clone, PartialEq)]
pub struct OwnershipGroup {
    pub name: String,
    pub filed_shares: Option<Shares>,
    pub filed_pct: Option<Decimal>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn level_payment_of_the_8k_amortizing_note_is_111584_75() {
        assert_eq!(
            level_payment(dec!(3359538.57), dec!(0.12), 36),
            Some(dec!(111584.75))
        );
    }

    #[test]
    fn level_payment_at_zero_rate_is_principal_over_n() {
        assert_eq!(level_payment(dec!(1200), dec!(0), 12), Some(dec!(100)));
    }

    #[test]
    fn monthly_dates_keep_the_first_day_or_use_the_month_end() {
        assert_eq!(add_months(d("2018-01-15"), 35), d("2020-12-15"));
        assert_eq!(add_months(d("2018-01-31"), 1), d("2018-02-28"));
        assert_eq!(add_months(d("2018-01-31"), 2), d("2018-03-31"));
        assert_eq!(add_months(d("2019-12-31"), 2), d("2020-02-29"));
        assert_eq!(add_months(d("2017-12-29"), 12), d("2018-12-29"));
    }

    #[test]
    fn the_8k_amortizing_note_matures_on_2020_12_15() {
        let note = NoteTerms {
            id: "a".into(),
            principal: dec!(3359538.57),
            issue: d("2017-11-30"),
            rate: dec!(0.12),
            day_count: DayCount::Thirty360,
            repayment: Repayment::Amortizing {
                installments: 36,
                first_payment: d("2018-01-15"),
                prepayment: Prepayment::Shorten,
            },
            parts: vec![],
        };
        assert_eq!(note.maturity(), d("2020-12-15"));
        assert_eq!(note.payment_dates().len(), 36);
    }
}

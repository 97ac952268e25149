//! One note's ledger: principal, accrued interest, the accrual clock, the schedule,
//! and every dollar that leaves it (cash, conversion, rounding). MODEL.md §1-3, §9.
//!
//! Conservation holds by construction at every step:
//! issued = principal paid in cash + principal converted + principal outstanding;
//! interest accrued = paid in cash + converted + still accrued + rounding.
//!
//! Amounts are `Exact` (the engine's fast form of `Decimal`, same values); the
//! ledger and payments reach reports as `Decimal`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use rust_decimal::RoundingStrategy;

use crate::exact::{Exact, mul_i128};
use crate::money::Shares;

/// Interest is booked to 10^-18 of a dollar. A day count such as 1/360 does not
/// terminate, so some rounding is unavoidable in decimals; at a fixed 18 places
/// every later sum and difference of ledger amounts is exact (they fit the 28
/// digits), so the conservation identities hold exactly rather than to the 28th
/// significant digit, and the engine adds aligned decimals, which is faster.
pub const INTEREST_DP: u32 = 18;

/// A dollar amount or a price as the engine holds it: on `INTEREST_DP` places
/// when it fits (below about 7.9 × 10^10), like the interest it is added to and
/// compared with, so that those operations need no rescaling. The same value.
#[inline]
pub fn amount(d: Decimal) -> Exact {
    Exact::on_common_scale(d, INTEREST_DP)
}
use crate::terms::{Apply, NoteTerms, Prepayment, Repayment, level_payment};

/// `x` rounded to the cent (`money::round_cent`), on the engine's common scale.
#[inline]
fn cent(x: Exact) -> Exact {
    x.round_cent().to_common_scale(INTEREST_DP)
}

/// Where a note's money went, cumulatively: `Decimal` in reports, `Exact` in
/// the engine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger<N = Decimal> {
    pub issued: N,
    pub principal_paid_cash: N,
    pub principal_converted: N,
    /// Interest booked so far (accrual up to the note's last event).
    pub interest_accrued: N,
    pub interest_paid_cash: N,
    pub interest_converted: N,
    /// principal + accrued − cash at closing (|rounding| ≤ 0.005).
    pub rounding: N,
}

impl Ledger<Exact> {
    pub fn to_decimal(&self) -> Ledger {
        Ledger {
            issued: self.issued.into(),
            principal_paid_cash: self.principal_paid_cash.into(),
            principal_converted: self.principal_converted.into(),
            interest_accrued: self.interest_accrued.into(),
            interest_paid_cash: self.interest_paid_cash.into(),
            interest_converted: self.interest_converted.into(),
            rounding: self.rounding.into(),
        }
    }
}

/// A scheduled payment as made: `Decimal` in reports, `Exact` in the engine
/// (which converts it only for an observer that takes events).
#[derive(Debug, Clone, PartialEq)]
pub struct Payment<N = Decimal> {
    /// 1-based installment number (a bullet's maturity is 1).
    pub seq: u32,
    pub opening_principal: N,
    pub cash: N,
    pub interest: N,
    pub principal: N,
    pub rounding: N,
    /// The level payment in force (amortizing notes).
    pub level: Option<Decimal>,
    /// The payment closed the note.
    pub closed: bool,
}

impl Payment<Exact> {
    pub fn to_decimal(&self) -> Payment {
        Payment {
            seq: self.seq,
            opening_principal: self.opening_principal.into(),
            cash: self.cash.into(),
            interest: self.interest.into(),
            principal: self.principal.into(),
            rounding: self.rounding.into(),
            level: self.level,
            closed: self.closed,
        }
    }
}

/// The parts of a conversion amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Taken {
    pub interest: Exact,
    pub principal: Exact,
}

/// A note's terms with what follows from them alone: the payment dates and the
/// level payment. The same on every price path (`engine::Prepared` makes them
/// once; live notes borrow them).
#[derive(Debug, Clone)]
pub struct Instrument {
    pub terms: NoteTerms,
    pub dates: Vec<NaiveDate>,
    pub level: Option<Decimal>,
}

impl Instrument {
    pub fn new(terms: NoteTerms) -> Instrument {
        Instrument {
            dates: terms.payment_dates(),
            level: terms.level_payment(),
            terms,
        }
    }
}

/// The accrual period of a note: nothing to book, whole days on a fixed basis, or
/// an exact year fraction (ACT/ACT ISDA).
enum Accrual {
    None,
    Days(i64, i64),
    Fraction(crate::daycount::YearFraction),
}

/// A live note.
#[derive(Debug, Clone)]
pub struct NoteBook<'a> {
    pub terms: &'a NoteTerms,
    /// Scheduled payment dates (installments, or the one maturity).
    pub dates: &'a [NaiveDate],
    /// Index into `dates` of the next payment.
    pub next: usize,
    pub principal: Exact,
    /// Interest booked and not yet paid or converted (can be −0.005 after a payment
    /// rounded up: the remainder is carried, MODEL.md §1).
    pub accrued: Exact,
    /// Interest has been booked up to this date.
    pub since: NaiveDate,
    pub level: Option<Decimal>,
    /// A conversion has touched the note since its last installment (`reamortize`).
    pub touched: bool,
    pub open: bool,
    /// A bound on what the note can be worth from now to its maturity, set after a
    /// conversion takes all it could (`None` until then). At any price above
    /// it the note converts into no share, so the day's walk skips it without
    /// computing its value (a shortcut that changes no figure): a remainder of a
    /// fraction of a share waits for its payment. Principal and interest only
    /// fall between conversions, so the bound stays valid until the next one.
    pub ceiling: Option<Exact>,
    pub ledger: Ledger<Exact>,
    /// The rate, and principal × rate, cached: it changes only when the principal does.
    rate: Exact,
    principal_rate: Exact,
}

impl<'a> NoteBook<'a> {
    /// A note at its issue: interest runs from the issue date.
    pub fn new(instrument: &'a Instrument) -> NoteBook<'a> {
        let Instrument {
            terms,
            dates,
            level,
        } = instrument;
        let principal = amount(terms.principal);
        let rate = Exact::from(terms.rate);
        NoteBook {
            principal,
            principal_rate: principal * rate,
            rate,
            since: terms.issue,
            ledger: Ledger {
                issued: principal,
                ..Ledger::default()
            },
            dates,
            next: 0,
            accrued: Exact::ZERO,
            level: *level,
            touched: false,
            open: true,
            ceiling: None,
            terms,
        }
    }

    /// The final payment date.
    pub fn maturity(&self) -> NaiveDate {
        *self.dates.last().unwrap_or(&self.terms.issue)
    }

    /// The next scheduled payment date, if any is left.
    pub fn next_date(&self) -> Option<NaiveDate> {
        if self.open {
            self.dates.get(self.next).copied()
        } else {
            None
        }
    }

    /// Interest run since the last event and not booked (simple interest on the
    /// principal, end to end over the period: MODEL.md §2), to 10^-18 of a dollar:
    /// principal × rate × num / den rounded once, half to even, in integers. Only
    /// when that overflows an i128 (a principal × rate near 10^17 over decades) is
    /// the product taken to 28 significant digits first, then rounded.
    #[inline]
    pub fn unbooked(&self, t: NaiveDate) -> Exact {
        // days / basis as it stands (no reduction needed) on the fixed-basis counts.
        let (num, den) = match self.accrual(t) {
            Accrual::None => return Exact::ZERO,
            Accrual::Days(days, basis) => (days, basis),
            Accrual::Fraction(yf) => (yf.num, yf.den),
        };
        self.principal_rate
            .mul_ratio_rounded(num, den, INTEREST_DP)
            .unwrap_or_else(|| self.unbooked_in_decimals(t))
    }

    /// `unbooked` when the integers overflow: out of line, as it never runs on
    /// the engine's usual amounts.
    #[cold]
    #[inline(never)]
    fn unbooked_in_decimals(&self, t: NaiveDate) -> Exact {
        let yf = self.terms.day_count.year_fraction(self.since, t);
        Exact::from(
            yf.of(self.principal_rate.into())
                .round_dp_with_strategy(INTEREST_DP, RoundingStrategy::MidpointNearestEven),
        )
    }

    /// The period since the last booking to `t`, in the note's day count.
    #[inline]
    fn accrual(&self, t: NaiveDate) -> Accrual {
        if t <= self.since || self.principal_rate.is_zero() {
            return Accrual::None;
        }
        let dc = self.terms.day_count;
        match dc.fixed_basis(self.since, t) {
            Some((days, basis)) => Accrual::Days(days, basis),
            None => Accrual::Fraction(dc.year_fraction(self.since, t)),
        }
    }

    /// The unbooked interest as (principal × rate × days, basis) when the day count
    /// has a fixed basis: summed across notes before one division per basis.
    pub fn unbooked_parts(&self, t: NaiveDate) -> Option<(Exact, i64)> {
        match self.accrual(t) {
            Accrual::None => Some((Exact::ZERO, 360)),
            Accrual::Days(days, basis) => {
                Some((self.principal_rate * Exact::from(days as u64), basis))
            }
            Accrual::Fraction(_) => None,
        }
    }

    /// floor(value_at(t) / price): the shares this note could convert into, computed
    /// as floor((basis × (principal + accrued) + principal × rate × days) /
    /// (basis × price)) on the fixed-basis day counts, so no decimal division runs.
    pub fn convertible_shares(&self, t: NaiveDate, price: Exact) -> Option<Shares> {
        let parts = match self.accrual(t) {
            Accrual::None => Some((0, 360)),
            Accrual::Days(days, basis) => Some((days, basis)),
            Accrual::Fraction(_) => None,
        };
        if let Some((days, basis)) = parts
            && let Some(n) = self.shares_in_integers(days, basis, price)
        {
            return u64::try_from(n).ok();
        }
        // Decimals, when an amount leaves the integers' range (or ACT/ACT).
        let price = Decimal::from(price);
        match self.unbooked_parts(t) {
            Some((num, basis)) => {
                let b = Decimal::from(basis);
                let value = Decimal::from(self.principal + self.accrued)
                    .checked_mul(b)?
                    .checked_add(num.into())?;
                crate::money::shares_for(value, price.checked_mul(b)?)
            }
            None => crate::money::shares_for(self.value_at(t).into(), price),
        }
    }

    /// Whether the note surely converts into more than `shares` shares at `price`
    /// on any date from now: its booked principal and interest alone are worth
    /// `shares + 1` of them, and interest not yet booked only adds (the rate is
    /// not negative). The day's walk then needs no exact count of a note worth
    /// more than the day's budget.
    #[inline]
    pub fn covers(&self, price: Exact, shares: i128) -> bool {
        if self.rate.is_sign_negative() {
            return false;
        }
        match price.checked_mul_int(shares + 1) {
            Some(needed) => self.principal + self.accrued >= needed,
            None => false,
        }
    }

    /// The same count with every amount as an integer on their largest scale:
    /// floor((basis·(P + A) + P·r·days) / (basis·price)), exact. `None` when an
    /// amount does not fit (the caller divides decimals then).
    #[inline]
    fn shares_in_integers(&self, days: i64, basis: i64, price: Exact) -> Option<i128> {
        let scale = self
            .principal
            .scale()
            .max(self.accrued.scale())
            .max(self.principal_rate.scale())
            .max(price.scale());
        let held = self
            .principal
            .on_scale(scale)?
            .checked_add(self.accrued.on_scale(scale)?)?;
        let num = mul_i128(held, basis as i128)?.checked_add(mul_i128(
            self.principal_rate.on_scale(scale)?,
            days as i128,
        )?)?;
        let den = mul_i128(price.on_scale(scale)?, basis as i128)?;
        if den <= 0 {
            return None;
        }
        Some(if num <= 0 { 0 } else { num / den })
    }

    /// Sets `ceiling` after a conversion that took all the note could give: a
    /// generous bound on its value at maturity, principal × (1 + rate × (years
    /// left + 2)) + accrued, rounded up to the common scale (it has the rate's
    /// places more), where the day's price compares with it without rescaling.
    pub fn set_ceiling(&mut self, t: NaiveDate) {
        let years = Exact::from(((self.maturity() - t).num_days().max(0) / 360 + 2) as u64);
        self.ceiling = self
            .principal
            .checked_mul(Exact::ONE + self.rate * years)
            .and_then(|x| x.checked_add(self.accrued.non_negative()))
            .map(|c| c.ceil_to_scale(INTEREST_DP));
    }

    /// Interest accrued as of `t`: booked plus unbooked.
    pub fn accrued_at(&self, t: NaiveDate) -> Exact {
        self.accrued + self.unbooked(t)
    }

    /// Principal and interest as of `t`: what a conversion could take.
    pub fn value_at(&self, t: NaiveDate) -> Exact {
        self.principal + self.accrued_at(t)
    }

    /// Cuts the accrual period at `t` (a note's own event).
    #[inline]
    pub fn book_to(&mut self, t: NaiveDate) {
        let add = self.unbooked(t);
        self.accrued += add;
        self.ledger.interest_accrued += add;
        if t > self.since {
            self.since = t;
        }
    }

    #[inline]
    fn set_principal(&mut self, p: Exact) {
        self.principal = p;
        self.principal_rate = p * self.rate;
    }

    /// Makes the payment due on `t` (which must be `next_date()`), MODEL.md §3, §9.
    pub fn pay_scheduled(&mut self, t: NaiveDate) -> Payment<Exact> {
        debug_assert_eq!(self.next_date(), Some(t));
        self.book_to(t);
        let seq = self.next as u32 + 1;
        let opening = self.principal;
        let last = self.next + 1 == self.dates.len();
        self.next += 1;
        let Repayment::Amortizing { prepayment, .. } = self.terms.repayment else {
            return self.close(seq, opening, None);
        };
        if prepayment == Prepayment::Reamortize && self.touched {
            let left = (self.dates.len() - (seq as usize - 1)) as u32;
            if let Some(a) = level_payment(self.principal.into(), self.terms.rate, left) {
                self.level = Some(a);
            }
        }
        self.touched = false;
        let level = self.level.unwrap_or(Decimal::ZERO);
        if last {
            return self.close(seq, opening, Some(level));
        }
        let a = amount(level);
        let interest = a.min(cent(self.accrued).non_negative());
        let principal = (a - interest).min(self.principal);
        if principal == self.principal {
            // The principal part is all that is left: this installment closes the note.
            return self.close(seq, opening, Some(level));
        }
        self.accrued -= interest;
        self.set_principal(self.principal - principal);
        self.ledger.interest_paid_cash += interest;
        self.ledger.principal_paid_cash += principal;
        Payment {
            seq,
            opening_principal: opening,
            cash: interest + principal,
            interest,
            principal,
            rounding: Exact::ZERO,
            level: Some(level),
            closed: false,
        }
    }

    /// Closes the note: cash = round_cent(principal + accrued); the principal is
    /// paid exactly; interest = cash − principal; the sub-cent rest is `rounding`.
    fn close(&mut self, seq: u32, opening: Exact, level: Option<Decimal>) -> Payment<Exact> {
        let owed = self.principal + self.accrued;
        let cash_paid = owed.round_cent();
        let cash = cash_paid.to_common_scale(INTEREST_DP);
        let principal = self.principal;
        let interest = cash - principal;
        let rounding = owed - cash;
        self.ledger.principal_paid_cash += principal;
        self.ledger.interest_paid_cash += interest;
        self.ledger.rounding += rounding;
        self.set_principal(Exact::ZERO);
        self.accrued = Exact::ZERO;
        self.open = false;
        Payment {
            seq,
            opening_principal: opening,
            cash: cash_paid,
            interest,
            principal,
            rounding,
            level,
            closed: true,
        }
    }

    /// Converts `amount` (= shares × price, at most `value_at(t)`) on `t`.
    #[inline]
    pub fn convert(&mut self, t: NaiveDate, amount: Exact, apply: Apply) -> Taken {
        self.book_to(t);
        let (interest, principal) = match apply {
            Apply::InterestFirst => {
                let i = self.accrued.non_negative().min(amount);
                (i, amount - i)
            }
            Apply::PrincipalFirst => {
                let p = self.principal.min(amount);
                (amount - p, p)
            }
        };
        self.accrued -= interest;
        self.set_principal(self.principal - principal);
        self.ledger.interest_converted += interest;
        self.ledger.principal_converted += principal;
        self.touched = true;
        Taken {
            interest,
            principal,
        }
    }
}

/// The contractual schedule of a note as if nothing converted (amortization.csv).
pub fn contractual_schedule(terms: &NoteTerms) -> Vec<(NaiveDate, Payment)> {
    let instrument = Instrument::new(terms.clone());
    let mut book = NoteBook::new(&instrument);
    let mut rows = Vec::with_capacity(book.dates.len());
    while let Some(t) = book.next_date() {
        rows.push((t, book.pay_scheduled(t).to_decimal()));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daycount::DayCount;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn amortizing(issue: &str, first: &str, prepayment: Prepayment) -> NoteTerms {
        NoteTerms {
            id: "a".into(),
            principal: dec!(3359538.57),
            issue: d(issue),
            rate: dec!(0.12),
            day_count: DayCount::Thirty360,
            repayment: Repayment::Amortizing {
                installments: 36,
                first_payment: d(first),
                prepayment,
            },
            parts: vec![],
        }
    }

    #[test]
    fn first_installment_of_the_8k_note_carries_45_days_of_interest() {
        let rows =
            contractual_schedule(&amortizing("2017-11-30", "2018-01-15", Prepayment::Shorten));
        let (date, first) = &rows[0];
        assert_eq!(*date, d("2018-01-15"));
        assert_eq!(first.interest, dec!(50393.08));
        assert_eq!(first.principal, dec!(61191.67));
        assert_eq!(first.cash, dec!(111584.75));
    }

    #[test]
    fn last_installment_of_the_8k_note_absorbs_the_stub() {
        let rows =
            contractual_schedule(&amortizing("2017-11-30", "2018-01-15", Prepayment::Shorten));
        assert_eq!(rows.len(), 36);
        let (date, last) = rows.last().unwrap();
        assert_eq!(*date, d("2020-12-15"));
        assert_eq!(last.cash, dec!(135380.62));
        assert!(last.closed);
    }

    #[test]
    fn a_bullet_at_12_pct_for_one_30_360_year_pays_113722_55() {
        let terms = NoteTerms {
            id: "b".into(),
            principal: dec!(947687.94),
            issue: d("2017-11-30"),
            rate: dec!(0.12),
            day_count: DayCount::Thirty360,
            repayment: Repayment::Bullet {
                maturity: d("2018-11-30"),
            },
            parts: vec![],
        };
        let rows = contractual_schedule(&terms);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].1.interest, dec!(113722.55));
        // 947,687.94 × 12% = 113,722.5528: the 0.28 cent left is the rounding line.
        assert_eq!(rows[0].1.rounding, dec!(0.0028));
    }

    #[test]
    fn conversion_takes_interest_first_then_principal() {
        let terms = amortizing("2017-11-30", "2018-01-15", Prepayment::Shorten);
        let instrument = Instrument::new(terms);
        let mut n = NoteBook::new(&instrument);
        let taken = n.convert(d("2017-12-30"), dec!(40000).into(), Apply::InterestFirst);
        // 30 days of 30/360 at 12% on 3,359,538.57 = 33,595.3857.
        assert_eq!(taken.interest, dec!(33595.3857).into());
        assert_eq!(taken.principal, dec!(6404.6143).into());
        assert_eq!(n.accrued, Exact::ZERO);
    }

    #[test]
    fn conversion_principal_first_leaves_interest_accrued() {
        let terms = amortizing("2017-11-30", "2018-01-15", Prepayment::Shorten);
        let instrument = Instrument::new(terms);
        let mut n = NoteBook::new(&instrument);
        let taken = n.convert(d("2017-12-30"), dec!(40000).into(), Apply::PrincipalFirst);
        assert_eq!(taken.principal, dec!(40000).into());
        assert_eq!(n.accrued, dec!(33595.3857).into());
    }

    #[test]
    fn reamortize_recomputes_the_level_payment_after_a_conversion() {
        let terms = amortizing("2017-12-15", "2018-01-15", Prepayment::Reamortize);
        let instrument = Instrument::new(terms);
        let mut n = NoteBook::new(&instrument);
        n.pay_scheduled(d("2018-01-15"));
        n.convert(d("2018-01-20"), dec!(1000000).into(), Apply::PrincipalFirst);
        let p = Decimal::from(n.principal);
        let pay = n.pay_scheduled(d("2018-02-15")).to_decimal();
        assert_eq!(pay.level, level_payment(p, dec!(0.12), 35));
        assert!(pay.level.unwrap() < dec!(111584.75));
    }

    #[test]
    fn shorten_keeps_the_level_payment_and_ends_sooner() {
        let terms = amortizing("2017-12-15", "2018-01-15", Prepayment::Shorten);
        let instrument = Instrument::new(terms);
        let mut n = NoteBook::new(&instrument);
        n.convert(d("2018-01-02"), dec!(3000000).into(), Apply::PrincipalFirst);
        let mut paid = 0;
        while let Some(t) = n.next_date() {
            let pay = n.pay_scheduled(t).to_decimal();
            paid += 1;
            assert!(pay.cash <= dec!(111584.75) || pay.closed);
        }
        assert!(paid < 36, "{paid}");
    }
}

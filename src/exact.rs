//! `Exact`: the engine's working number. It is `rust_decimal::Decimal`'s value
//! (a 96-bit mantissa and a scale of 0..=28) held as an `i128` and a scale, so
//! that the arithmetic of the engine's hot loop (adding, comparing and
//! multiplying prices, amounts and ledger lines) runs inline in a few integer
//! instructions instead of a library call on 32-bit limbs.
//!
//! The contract: every operation gives the same value as the `Decimal` operation
//! on the same operands. When the exact result fits a `Decimal` (|mantissa| <
//! 2^96, scale ≤ 28) it is computed here in integers; otherwise the operands are
//! handed to `Decimal`, which rounds exactly as it always did. Swapping `Decimal`
//! for `Exact` therefore changes no figure (`tests` below check each operation
//! against `Decimal` with proptest; the golden and Monte Carlo outputs are
//! byte-identical). Reports keep `Decimal`: the engine converts at its edges.
//!
//! Two differences that no figure shows: a scale may differ (1.5 + 0.25 is
//! 1.75 either way; `Decimal` keeps 0 + x at x's scale, `Exact` at the larger),
//! and there is no negative zero.

use std::cmp::Ordering;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

use rust_decimal::Decimal;

use crate::money::POW10;

/// 2^96: a `Decimal` mantissa is below this in magnitude.
const LIMIT: i128 = 1 << 96;
const MAX_SCALE: u32 = 28;

/// a × b if it fits an i128: inline when the bit lengths show it does (always on
/// the engine's amounts), else the library's checked multiplication.
#[inline(always)]
pub fn mul_i128(a: i128, b: i128) -> Option<i128> {
    // Two 64-bit factors: one widening multiplication, which cannot overflow.
    if let (Ok(x), Ok(y)) = (i64::try_from(a), i64::try_from(b)) {
        return Some(i128::from(x) * i128::from(y));
    }
    let bits = 256 - a.unsigned_abs().leading_zeros() - b.unsigned_abs().leading_zeros();
    if bits <= 126 {
        Some(a * b)
    } else {
        a.checked_mul(b)
    }
}

/// A decimal number; see the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exact {
    /// |m| < 2^96.
    m: i128,
    /// 0..=28.
    s: u32,
}

impl Exact {
    pub const ZERO: Exact = Exact { m: 0, s: 0 };
    pub const ONE: Exact = Exact { m: 1, s: 0 };

    /// `m` × 10^-s, if it is a `Decimal` (|m| < 2^96, s ≤ 28).
    #[inline(always)]
    pub fn new(m: i128, s: u32) -> Option<Exact> {
        // One unsigned comparison for -2^96 < m < 2^96.
        let in_range = (m.wrapping_add(LIMIT - 1) as u128) < (2 * LIMIT - 1) as u128;
        (s <= MAX_SCALE && in_range).then_some(Exact { m, s })
    }

    /// `d` on `scale` places when it has fewer and fits there, else as it is:
    /// the same value. The engine keeps its amounts and prices on one scale
    /// (that of booked interest) so that they add and compare without rescaling.
    #[inline]
    pub fn on_common_scale(d: Decimal, scale: u32) -> Exact {
        Exact::from(d).to_common_scale(scale)
    }

    /// Self on `scale` places when it has fewer and fits there, else as it is
    /// (`on_common_scale` for an `Exact`).
    #[inline]
    pub fn to_common_scale(self, scale: u32) -> Exact {
        if self.s < scale
            && let Some(m) = self.on_scale(scale)
            && let Some(x) = Exact::new(m, scale)
        {
            return x;
        }
        self
    }

    /// Rounded to the cent, half away from zero, on exactly 2 places: the same
    /// value and scale as `money::round_cent` gives for the decimal.
    pub fn round_cent(self) -> Exact {
        let rounded = if self.s <= 2 {
            self.on_scale(2).map(|m| (m, 2))
        } else {
            POW10.get((self.s - 2) as usize).map(|&p| {
                let (q, r) = (self.m / p, self.m % p);
                // |r| ≥ p/2 rounds away from zero (q and r share m's sign).
                let away = 2 * r.unsigned_abs() >= p as u128;
                (q + if away { self.m.signum() } else { 0 }, 2)
            })
        };
        match rounded.and_then(|(m, s)| Exact::new(m, s)) {
            Some(e) => e,
            None => Exact::from(crate::money::round_cent(self.to_decimal())),
        }
    }

    #[inline]
    pub fn mantissa(self) -> i128 {
        self.m
    }

    #[inline]
    pub fn scale(self) -> u32 {
        self.s
    }

    #[inline]
    pub fn is_zero(self) -> bool {
        self.m == 0
    }

    #[inline]
    pub fn is_sign_negative(self) -> bool {
        self.m < 0
    }

    /// The mantissa on `scale` places (self × 10^scale), if self has at most that
    /// many places and it fits an i128.
    #[inline(always)]
    pub fn on_scale(self, scale: u32) -> Option<i128> {
        if scale < self.s {
            return None;
        }
        let k = scale - self.s;
        // |m| < 2^96 and 10^k < 2^30: the product fits without a check.
        if k <= 9 {
            Some(self.m * POW10[k as usize])
        } else {
            mul_i128(self.m, *POW10.get(k as usize)?)
        }
    }

    /// Both mantissas on the larger scale.
    #[inline(always)]
    fn aligned(self, o: Exact) -> Option<(i128, i128, u32)> {
        if self.s == o.s {
            Some((self.m, o.m, self.s))
        } else if self.s > o.s {
            Some((self.m, o.on_scale(self.s)?, self.s))
        } else {
            Some((self.on_scale(o.s)?, o.m, o.s))
        }
    }

    #[inline]
    pub fn to_decimal(self) -> Decimal {
        Decimal::from_i128_with_scale(self.m, self.s)
    }

    #[inline]
    pub fn checked_add(self, o: Exact) -> Option<Exact> {
        if let Some((a, b, s)) = self.aligned(o)
            && let Some(e) = Exact::new(a + b, s)
        {
            return Some(e);
        }
        slow::checked_add(self, o)
    }

    #[inline]
    pub fn checked_sub(self, o: Exact) -> Option<Exact> {
        self.checked_add(-o)
    }

    #[inline]
    pub fn checked_mul(self, o: Exact) -> Option<Exact> {
        if let Some(p) = mul_i128(self.m, o.m)
            && let Some(e) = Exact::new(p, self.s + o.s)
        {
            return Some(e);
        }
        self.to_decimal()
            .checked_mul(o.to_decimal())
            .map(Exact::from)
    }

    /// self × n for a whole number n (shares × price).
    #[inline(always)]
    pub fn checked_mul_int(self, n: i128) -> Option<Exact> {
        if let Some(p) = mul_i128(self.m, n)
            && let Some(e) = Exact::new(p, self.s)
        {
            return Some(e);
        }
        slow::checked_mul_int(self, n)
    }

    /// self × num / den rounded once to `dp` places, half to even, exactly (in
    /// integers). `None` if den ≤ 0 or a step leaves the i128 or `Decimal` range
    /// (the caller then uses decimals).
    #[inline]
    pub fn mul_ratio_rounded(self, num: i64, den: i64, dp: u32) -> Option<Exact> {
        // self = m / 10^s, so the result × 10^dp is m × num × 10^(dp − s) / den.
        let (n, d) = if self.s <= dp {
            (
                mul_i128(self.m, *POW10.get((dp - self.s) as usize)?)?,
                den as i128,
            )
        } else {
            (
                self.m,
                mul_i128(den as i128, *POW10.get((self.s - dp) as usize)?)?,
            )
        };
        let q = crate::money::div_half_even(mul_i128(n, num as i128)?, d)?;
        Exact::new(q, dp)
    }

    /// The smallest number ≥ self with at most `dp` places (self when it has no
    /// more). For bounds: a bound on the engine's common scale compares with its
    /// amounts without rescaling.
    pub fn ceil_to_scale(self, dp: u32) -> Exact {
        if self.s <= dp {
            return self;
        }
        let p = POW10[(self.s - dp) as usize];
        let q = self.m.div_euclid(p);
        Exact {
            m: q + i128::from(q * p != self.m),
            s: dp,
        }
    }

    /// max(self, 0), without a comparison: there is no negative zero, so a value
    /// that is not negative is its own maximum with zero (and keeps its scale,
    /// as `max` does).
    #[inline]
    pub fn non_negative(self) -> Exact {
        if self.m < 0 { Exact::ZERO } else { self }
    }

    /// The largest whole number ≤ self.
    #[inline]
    pub fn floor(self) -> Exact {
        if self.s == 0 {
            return self;
        }
        let p = POW10[self.s as usize];
        // A 64-bit division when it fits: the 128-bit one is a library call.
        let m = match (i64::try_from(self.m), i64::try_from(p)) {
            (Ok(m), Ok(p)) => i128::from(m.div_euclid(p)),
            _ => self.m.div_euclid(p),
        };
        Exact { m, s: 0 }
    }

    /// floor(self) as a u64, if it is one.
    #[inline]
    pub fn floor_u64(self) -> Option<u64> {
        u64::try_from(self.floor().m).ok()
    }

    #[inline]
    pub fn max(self, o: Exact) -> Exact {
        if self >= o { self } else { o }
    }

    #[inline]
    pub fn min(self, o: Exact) -> Exact {
        if self <= o { self } else { o }
    }
}

impl From<Decimal> for Exact {
    #[inline]
    fn from(d: Decimal) -> Exact {
        Exact {
            m: d.mantissa(),
            s: d.scale(),
        }
    }
}

impl From<Exact> for Decimal {
    #[inline]
    fn from(e: Exact) -> Decimal {
        e.to_decimal()
    }
}

impl From<u64> for Exact {
    #[inline]
    fn from(n: u64) -> Exact {
        Exact {
            m: i128::from(n),
            s: 0,
        }
    }
}

impl PartialEq for Exact {
    #[inline]
    fn eq(&self, o: &Exact) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    #[inline]
    fn partial_cmp(&self, o: &Exact) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Exact {
    #[inline(always)]
    fn cmp(&self, o: &Exact) -> Ordering {
        match self.aligned(*o) {
            Some((a, b, _)) => a.cmp(&b),
            None => slow::cmp(*self, *o),
        }
    }
}

impl Neg for Exact {
    type Output = Exact;
    #[inline]
    fn neg(self) -> Exact {
        Exact {
            m: -self.m,
            s: self.s,
        }
    }
}

/// Beyond the integers' fast range: `Decimal` does the operation. Out of line
/// and cold, so that each of the many inlined operations carries only its fast
/// path (smaller code around the engine's loop, fewer registers held for a
/// branch never taken on its amounts).
mod slow {
    use super::Exact;
    use rust_decimal::Decimal;
    use std::cmp::Ordering;

    #[cold]
    #[inline(never)]
    pub fn add(a: Exact, b: Exact) -> Exact {
        Exact::from(a.to_decimal() + b.to_decimal())
    }

    #[cold]
    #[inline(never)]
    pub fn checked_add(a: Exact, b: Exact) -> Option<Exact> {
        a.to_decimal().checked_add(b.to_decimal()).map(Exact::from)
    }

    #[cold]
    #[inline(never)]
    pub fn checked_mul_int(a: Exact, n: i128) -> Option<Exact> {
        Decimal::try_from_i128_with_scale(n, 0)
            .ok()?
            .checked_mul(a.to_decimal())
            .map(Exact::from)
    }

    #[cold]
    #[inline(never)]
    pub fn mul(a: Exact, b: Exact) -> Exact {
        Exact::from(a.to_decimal() * b.to_decimal())
    }

    #[cold]
    #[inline(never)]
    pub fn cmp(a: Exact, b: Exact) -> Ordering {
        a.to_decimal().cmp(&b.to_decimal())
    }
}

/// The operators behave as `Decimal`'s: they panic where `Decimal`'s would (a
/// result beyond ±7.9 × 10^28), which the scenario's bounds rule out.
impl Add for Exact {
    type Output = Exact;
    #[inline(always)]
    fn add(self, o: Exact) -> Exact {
        match self.aligned(o).and_then(|(a, b, s)| Exact::new(a + b, s)) {
            Some(e) => e,
            None => slow::add(self, o),
        }
    }
}

impl Sub for Exact {
    type Output = Exact;
    #[inline]
    fn sub(self, o: Exact) -> Exact {
        self + -o
    }
}

impl Mul for Exact {
    type Output = Exact;
    // The scales add: that is how a decimal product's places work.
    #[allow(clippy::suspicious_arithmetic_impl)]
    #[inline]
    fn mul(self, o: Exact) -> Exact {
        match mul_i128(self.m, o.m).and_then(|p| Exact::new(p, self.s + o.s)) {
            Some(e) => e,
            None => slow::mul(self, o),
        }
    }
}

impl AddAssign for Exact {
    #[inline]
    fn add_assign(&mut self, o: Exact) {
        *self = *self + o;
    }
}

impl SubAssign for Exact {
    #[inline]
    fn sub_assign(&mut self, o: Exact) {
        *self = *self - o;
    }
}

impl Sum for Exact {
    fn sum<I: Iterator<Item = Exact>>(iter: I) -> Exact {
        iter.fold(Exact::ZERO, |a, b| a + b)
    }
}

impl std::fmt::Display for Exact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_decimal().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Decimals across the whole range: any 96-bit mantissa, any scale, and
    /// the engine's usual shapes (cents, six significant digits, 18 places).
    fn any_decimal() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (any::<i64>(), 0u32..=28)
                .prop_map(|(m, s)| Decimal::from_i128_with_scale(m as i128, s)),
            (-(LIMIT - 1)..LIMIT, 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s)),
            (-10_000_000_000i128..10_000_000_000, 0u32..=2)
                .prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s)),
            (1i128..1_000_000, 0u32..=14).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s)),
            (-(10i128.pow(27))..10i128.pow(27), 18u32..=18)
                .prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s)),
            Just(Decimal::ZERO),
            Just(Decimal::MAX),
            Just(Decimal::MIN),
        ]
    }

    fn e(d: Decimal) -> Exact {
        Exact::from(d)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn round_trips_through_decimal(a in any_decimal()) {
            prop_assert_eq!(e(a).to_decimal(), a);
            prop_assert_eq!(e(a).to_decimal().scale(), a.scale());
        }

        #[test]
        fn adds_subtracts_and_multiplies_as_decimal_does(a in any_decimal(), b in any_decimal()) {
            prop_assert_eq!(e(a).checked_add(e(b)).map(Exact::to_decimal), a.checked_add(b));
            prop_assert_eq!(e(a).checked_sub(e(b)).map(Exact::to_decimal), a.checked_sub(b));
            prop_assert_eq!(e(a).checked_mul(e(b)).map(Exact::to_decimal), a.checked_mul(b));
            if let Some(sum) = a.checked_add(b) {
                prop_assert_eq!((e(a) + e(b)).to_decimal(), sum);
            }
            if let Some(product) = a.checked_mul(b) {
                prop_assert_eq!((e(a) * e(b)).to_decimal(), product);
            }
        }

        #[test]
        fn orders_as_decimal_does(a in any_decimal(), b in any_decimal()) {
            prop_assert_eq!(e(a).cmp(&e(b)), a.cmp(&b));
            prop_assert_eq!(e(a) == e(b), a == b);
            prop_assert_eq!(e(a).max(e(b)).to_decimal(), a.max(b));
            prop_assert_eq!(e(a).min(e(b)).to_decimal(), a.min(b));
        }

        #[test]
        fn rounds_to_the_cent_as_decimal_does(a in any_decimal()) {
            let want = crate::money::round_cent(a);
            let got = e(a).round_cent().to_decimal();
            prop_assert_eq!(got, want);
            prop_assert_eq!(got.scale(), want.scale());
        }

        #[test]
        fn on_a_common_scale_keeps_the_value(a in any_decimal(), scale in 0u32..=28) {
            let x = e(a).to_common_scale(scale);
            prop_assert_eq!(x.to_decimal(), a);
            prop_assert!(x.scale() == scale.max(a.scale()) || x.scale() == a.scale());
            prop_assert_eq!(x, Exact::on_common_scale(a, scale));
        }

        #[test]
        fn floors_as_decimal_does(a in any_decimal()) {
            prop_assert_eq!(e(a).floor().to_decimal(), a.floor());
        }

        /// The least value ≥ a on `dp` places: not below a, on at most `dp`
        /// places, and less than one unit of the last place above it.
        #[test]
        fn ceils_to_a_scale(a in any_decimal(), dp in 0u32..=28) {
            let c = e(a).ceil_to_scale(dp).to_decimal();
            prop_assert!(c >= a);
            prop_assert!(c.scale() <= dp.max(a.scale()));
            if a.scale() <= dp {
                prop_assert_eq!(c, a);
            } else {
                prop_assert_eq!(c.scale(), dp);
                prop_assert!(c - Decimal::new(1, dp) < a);
            }
        }

        #[test]
        fn non_negative_is_max_with_zero(a in any_decimal()) {
            let got = e(a).non_negative().to_decimal();
            let want = e(a).max(Exact::ZERO).to_decimal();
            prop_assert_eq!(got, want);
            prop_assert_eq!(got.scale(), want.scale());
        }

        #[test]
        fn multiplies_by_whole_numbers_as_decimal_does(a in any_decimal(), n in any::<u64>()) {
            prop_assert_eq!(
                e(a).checked_mul_int(n as i128).map(Exact::to_decimal),
                Decimal::from(n).checked_mul(a)
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// q = round(a × num / den) at `dp` places, half to even, checked by its
        /// definition in integers: |q·den·10^s − m·num·10^dp| ≤ den·10^s / 2,
        /// and an exact half goes to the even neighbour.
        #[test]
        fn mul_ratio_rounded_rounds_once_half_to_even(
            m in -(1i128 << 40)..(1i128 << 40),
            s in 0u32..=24,
            num in 0i64..20_000,
            den in prop_oneof![Just(360i64), Just(365), Just(366 * 365), 1i64..1000],
            dp in 0u32..=18,
        ) {
            let a = Exact::new(m, s).expect("in range");
            let Some(q) = a.mul_ratio_rounded(num, den, dp) else {
                return Ok(());
            };
            prop_assert_eq!(q.scale(), dp);
            // Both sides on 10^-(dp+s): q·10^s·den against m·num·10^dp (below
            // 2^116 with these ranges).
            let lhs = q.mantissa() * 10i128.pow(s) * den as i128;
            let rhs = m * num as i128 * 10i128.pow(dp);
            let twice_err = 2 * (lhs - rhs).abs();
            let unit = den as i128 * 10i128.pow(s);
            prop_assert!(twice_err <= unit, "{} × {}/{} → {}", a, num, den, q);
            if twice_err == unit {
                prop_assert!(q.mantissa() % 2 == 0, "a tie went to the odd side: {}", q);
            }
        }
    }

    #[test]
    fn interest_of_a_third_of_a_cent_rounds_at_the_18th_place() {
        // 0.01 × 1/3 = 0.00333…: 18 places, the last rounded down.
        let a = e(Decimal::new(1, 2));
        let q = a.mul_ratio_rounded(1, 3, 18).expect("fits");
        assert_eq!(
            q.to_decimal(),
            Decimal::from_i128_with_scale(3_333_333_333_333_333, 18)
        );
        // 2/3 rounds up; half of 10^-18 ties to the even 0, one and a half to 2.
        let q = a.mul_ratio_rounded(2, 3, 18).expect("fits");
        assert_eq!(q.mantissa(), 6_666_666_666_666_667);
        let tiny = Exact::new(5, 19).expect("in range");
        assert_eq!(
            tiny.mul_ratio_rounded(1, 1, 18).expect("fits").mantissa(),
            0
        );
        let tiny = Exact::new(15, 19).expect("in range");
        assert_eq!(
            tiny.mul_ratio_rounded(1, 1, 18).expect("fits").mantissa(),
            2
        );
    }

    #[test]
    fn equal_values_at_different_scales_are_equal() {
        let a = e(Decimal::from_i128_with_scale(150, 2));
        let b = e(Decimal::from_i128_with_scale(15, 1));
        assert_eq!(a, b);
        assert_eq!((a + b).to_decimal(), Decimal::from(3));
    }

    #[test]
    fn a_product_beyond_28_places_is_rounded_as_decimal_rounds_it() {
        let a = Decimal::from_i128_with_scale(123_456_789, 20);
        let b = Decimal::from_i128_with_scale(987_654_321, 20);
        assert_eq!((e(a) * e(b)).to_decimal(), a * b);
        assert!((a * b).scale() <= 28);
    }
}

//! Exact money and share arithmetic: the one rounding policy (cash to the cent, half
//! away from zero, MODEL.md §1), exact parsing (never rounding silently), whole-share
//! divisions that are exact to the last share, and plain-notation formatting.
//!
//! Nothing here allocates on the hot path or touches I/O.

use rust_decimal::{Decimal, RoundingStrategy};

/// A whole number of shares. Share counts can pass 10^12 in a death spiral; every
/// addition is checked by the caller and overflow is an error, never a wrap.
pub type Shares = u64;

/// Rounds cash actually paid to the cent, half away from zero (MODEL.md §1).
pub fn round_cent(x: Decimal) -> Decimal {
    let mut r = x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Parses a decimal exactly: "0.12" is 0.12, and a value that needs more than
/// 28 significant digits is an error rather than a silent rounding.
pub fn parse_exact(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("expected a decimal number, found an empty value".into());
    }
    let lower = t.to_ascii_lowercase();
    if [
        "nan",
        "inf",
        "+inf",
        "-inf",
        "infinity",
        "+infinity",
        "-infinity",
    ]
    .contains(&lower.as_str())
    {
        return Err(format!(
            "\"{t}\" is not a number: expected a decimal such as \"0.12\""
        ));
    }
    if t.contains(['$', '€', '£', ',']) {
        return Err(format!(
            "\"{t}\" has a currency sign or a thousands separator: write plain digits with a decimal point, e.g. \"1234.50\""
        ));
    }
    // Exponents ("4.094e-3", as spreadsheets export sub-penny prices) are read
    // exactly: the mantissa's digits shifted by the power of ten.
    if t.contains(['e', 'E']) {
        return Decimal::from_scientific(t).map_err(|_| {
            format!("\"{t}\" is not a number that can be held exactly (28 significant digits, magnitude below 7.9e28)")
        });
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let integer_digits = t
        .split('.')
        .next()
        .map(|i| i.chars().filter(char::is_ascii_digit).count())
        .unwrap_or(0);
    if integer_digits > 28 || (digits > 29 && integer_digits == digits) {
        return Err(format!(
            "\"{t}\" is outside the range of exact decimals (±7.9e28)"
        ));
    }
    Decimal::from_str_exact(t).map_err(|e| match e {
        rust_decimal::Error::Underflow => {
            format!("\"{t}\" has more decimal places than can be held exactly (28 at most)")
        }
        rust_decimal::Error::ExceedsMaximumPossibleValue
        | rust_decimal::Error::LessThanMinimumPossibleValue => {
            format!("\"{t}\" is outside the range of exact decimals (±7.9e28)")
        }
        _ => format!("expected a decimal number such as \"0.12\", found \"{t}\""),
    })
}

/// Plain notation without trailing zeros ("0.002", "665926.008", "0").
pub fn plain(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// Two decimal places, for contractual schedules whose figures are whole cents.
pub fn cents(d: Decimal) -> String {
    round_cent(d).to_string()
}

/// floor(amount / price) as whole shares, exact: never one share too many, so that
/// `shares × price ≤ amount` always holds. `price` must be positive. Negative
/// amounts give 0. `None` if the count does not fit a `u64`.
pub fn shares_for(amount: Decimal, price: Decimal) -> Option<Shares> {
    debug_assert!(price > Decimal::ZERO);
    if amount <= Decimal::ZERO {
        return Some(0);
    }
    // Fast exact path: both mantissas as integers on a common scale.
    let (a, sa) = (amount.mantissa(), amount.scale());
    let (b, sb) = (price.mantissa(), price.scale());
    let (num, den) = if sa >= sb {
        (Some(a), pow10(sa - sb).and_then(|p| b.checked_mul(p)))
    } else {
        (pow10(sb - sa).and_then(|p| a.checked_mul(p)), Some(b))
    };
    if let (Some(n), Some(d)) = (num, den) {
        return u64::try_from(n / d).ok();
    }
    // Fallback: decimal division, then correct the last share exactly.
    let mut q = amount.checked_div(price)?.floor();
    while q > Decimal::ZERO && q.checked_mul(price)? > amount {
        q -= Decimal::ONE;
    }
    while (q + Decimal::ONE).checked_mul(price)? <= amount {
        q += Decimal::ONE;
    }
    u64::try_from(q.mantissa() / pow10(q.scale())?).ok()
}

/// num / den for share counts, to 20 decimal places (half to even), in integers:
/// a ratio of whole numbers needs no decimal division. `None` if den ≤ 0 or the
/// scaled numerator does not fit an i128 (the caller divides decimals then).
pub fn ratio(num: i128, den: i128) -> Option<Decimal> {
    const DP: u32 = 20;
    let q = div_half_even(num.checked_mul(pow10(DP)?)?, den)?;
    Decimal::try_from_i128_with_scale(q, DP).ok()
}

/// num / den rounded to the nearest integer, ties to even, exactly. `None` if
/// den ≤ 0.
#[inline]
pub fn div_half_even(num: i128, den: i128) -> Option<i128> {
    if den <= 0 {
        return None;
    }
    // One unsigned division (the signed Euclidean pair costs two): round |num|,
    // then restore the sign (ties to even is symmetric).
    let (n, d) = (num.unsigned_abs(), den as u128);
    let q = n / d;
    let r = n - q * d;
    let up = r > d - r || (r == d - r && q % 2 == 1);
    let q = (q + u128::from(up)) as i128;
    Some(if num < 0 { -q } else { q })
}

/// 10^0 ..= 10^38: every power of ten an i128 holds.
pub(crate) const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// 10^n as i128, if it fits.
#[inline]
pub fn pow10(n: u32) -> Option<i128> {
    POW10.get(n as usize).copied()
}

/// floor(x / d) for i128 with d > 0 (rounds toward −∞, unlike `/`).
pub fn floor_div(x: i128, d: i128) -> i128 {
    // A 64-bit division when it fits: the 128-bit one is a library call. With a
    // positive divisor, floor is the truncated quotient, less one when a negative
    // x leaves a remainder.
    match (i64::try_from(x), i64::try_from(d)) {
        (Ok(x), Ok(d)) if d > 0 => {
            let (q, r) = (x / d, x % d);
            i128::from(q - i64::from(r < 0))
        }
        _ => x.div_euclid(d),
    }
}

/// The most shares a holder may receive under a beneficial-ownership cap
/// (MODEL.md §4): x_max = floor((cap × O − H) / (1 − cap)), exactly, in integers.
/// Counting only shares held is the blocker clause's reading (MODEL.md §4).
pub fn cap_room(cap: Decimal, outstanding: Shares, held: Shares) -> Option<i128> {
    Cap::new(cap)?.room(outstanding, held)
}

/// An ownership cap as the integers `cap_room` computes with: cap = m / one,
/// and 1 − cap = den / one (the engine asks every trading day; they are made once).
#[derive(Debug, Clone, Copy)]
pub struct Cap {
    m: i128,
    one: i128,
    den: i128,
}

impl Cap {
    /// `None` unless the cap is below 1 (then 1 − cap would not be positive).
    pub fn new(cap: Decimal) -> Option<Cap> {
        let (m, one) = (cap.mantissa(), pow10(cap.scale())?);
        let den = one - m;
        (den > 0).then_some(Cap { m, one, den })
    }

    /// `cap_room` for this cap.
    #[inline]
    pub fn room(&self, outstanding: Shares, held: Shares) -> Option<i128> {
        let num = crate::exact::mul_i128(self.m, outstanding as i128)?
            .checked_sub(crate::exact::mul_i128(held as i128, self.one)?)?;
        Some(floor_div(num, self.den))
    }
}

/// Whole-share ceiling division (reverse splits round fractions up, MODEL.md §7).
pub fn ceil_div(shares: Shares, k: u64) -> Shares {
    shares.div_ceil(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn cash_rounds_half_away_from_zero() {
        assert_eq!(round_cent(dec!(0.005)), dec!(0.01));
        assert_eq!(round_cent(dec!(-0.005)), dec!(-0.01));
        assert_eq!(round_cent(dec!(50393.07855)), dec!(50393.08));
        assert_eq!(round_cent(dec!(0.004999)), dec!(0.00));
        assert_eq!(round_cent(dec!(7)).to_string(), "7.00");
    }

    #[test]
    fn parse_exact_refuses_what_it_cannot_hold() {
        assert_eq!(parse_exact("3359538.57").unwrap(), dec!(3359538.57));
        assert!(parse_exact("").is_err());
        assert!(parse_exact("12abc").is_err());
        assert!(parse_exact("0.00000000000000000000000000001").is_err());
    }

    #[test]
    fn parse_exact_reads_exponents_exactly() {
        assert_eq!(parse_exact("4.094e-3").unwrap(), dec!(0.004094));
        assert_eq!(parse_exact("1E+3").unwrap(), dec!(1000));
    }

    #[test]
    fn parse_exact_names_what_it_refuses() {
        assert!(parse_exact("NaN").unwrap_err().contains("not a number"));
        assert!(parse_exact("inf").unwrap_err().contains("not a number"));
        assert!(
            parse_exact("$1,234.50")
                .unwrap_err()
                .contains("currency sign")
        );
        assert!(
            parse_exact("99999999999999999999999999999999")
                .unwrap_err()
                .contains("outside the range")
        );
    }

    #[test]
    fn plain_drops_trailing_zeros_and_never_uses_exponents() {
        assert_eq!(plain(dec!(0.0020)), "0.002");
        assert_eq!(plain(dec!(0.00001)), "0.00001");
        assert_eq!(plain(dec!(-0.0)), "0");
        assert_eq!(plain(dec!(1000000000000)), "1000000000000");
    }

    #[test]
    fn shares_for_never_gives_a_share_too_many() {
        assert_eq!(shares_for(dec!(665926.008), dec!(0.002)), Some(332963004));
        assert_eq!(shares_for(dec!(0.0019999), dec!(0.002)), Some(0));
        assert_eq!(shares_for(dec!(-1), dec!(0.002)), Some(0));
        let third = dec!(1) / dec!(3);
        let n = shares_for(dec!(100), third).unwrap();
        assert!(Decimal::from(n) * third <= dec!(100));
        assert!(Decimal::from(n + 1) * third > dec!(100));
    }

    #[test]
    fn cap_room_matches_the_8k_example_first_day() {
        // 9.99% of 3,000,000,000 with nothing held: floor(299,700,000 / 0.9001).
        assert_eq!(cap_room(dec!(0.0999), 3_000_000_000, 0), Some(332_963_004));
        // Already above the cap: negative room.
        assert!(cap_room(dec!(0.0999), 1000, 200).unwrap() < 0);
    }

    #[test]
    fn ratio_of_whole_numbers_has_twenty_places_rounded_half_even() {
        assert_eq!(
            ratio(332_963_004, 3_332_963_004),
            Some(dec!(0.09989999997011668000))
        );
        assert_eq!(ratio(1, 3), Some(dec!(0.33333333333333333333)));
        assert_eq!(ratio(2, 3), Some(dec!(0.66666666666666666667)));
        assert_eq!(ratio(-1, 4), Some(dec!(-0.25)));
        assert_eq!(ratio(1, 0), None);
    }

    #[test]
    fn floor_div_rounds_toward_negative_infinity() {
        assert_eq!(floor_div(-7, 2), -4);
        assert_eq!(floor_div(7, 2), 3);
        assert_eq!(floor_div(-8, 2), -4);
        assert_eq!(floor_div(0, 5), 0);
        assert_eq!(floor_div(-1, 9001), -1);
        assert_eq!(floor_div(i64::MIN as i128, 1), i64::MIN as i128);
        assert_eq!(floor_div(-(1i128 << 100) - 1, 2), -(1i128 << 99) - 1);
        for x in -50i128..50 {
            for d in 1i128..7 {
                assert_eq!(floor_div(x, d), x.div_euclid(d), "{x} / {d}");
            }
        }
    }
}

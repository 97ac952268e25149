//! From a drawn `f64` to the exact decimals the engine needs (MODEL.md §1).
//!
//! Prices are drawn in `f64` (randomness has no exact value to keep) and then fixed
//! once, here, as a decimal with `SIGNIFICANT_DIGITS` significant digits built from
//! an integer mantissa (`Decimal::from_parts`, i.e. `from_i128_with_scale` for a mantissa below 10^6), never through a decimal
//! parse of a float's text. From that point on the path is exact: the engine
//! computes conversions, proceeds and share counts on these decimals exactly as it
//! does on a CSV path. Six digits is finer than any real quote (sub-penny OTC
//! stocks trade in $0.0001 ticks) and keeps the engine's products short.
//!
//! Prices are kept within [`MIN_PRICE`, `MAX_PRICE`]: a price must stay positive
//! (a conversion divides by it), and far above any sensible level a share count ×
//! price would leave the 28-digit decimal range. Volumes are whole shares, at most
//! `MAX_VOLUME`.
//!
//! Every step is a deterministic function of its input (IEEE-754 arithmetic, no
//! parallel reduction), so a path is the same on every run and every thread.

use rust_decimal::Decimal;

/// Significant digits of a generated price.
pub const SIGNIFICANT_DIGITS: u32 = 6;
/// The smallest generated price: a tiny positive tick ($0.00000001), far below any
/// par value, so that a price never reaches zero.
pub const MIN_PRICE: f64 = 1e-8;
/// The largest generated price: keeps shares × price well inside the exact range.
pub const MAX_PRICE: f64 = 1e9;
/// The most decimal places of a generated price: six significant digits of the
/// smallest one, `MIN_PRICE` (the engine plans its VWAP sums on it).
pub const MAX_SCALE: u32 = SIGNIFICANT_DIGITS - 1 + 8;
/// The largest generated volume (shares per day).
pub const MAX_VOLUME: f64 = 1e15;

/// 10^k for k in 0..=22: all exact in `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];
const LOW: i64 = 10i64.pow(SIGNIFICANT_DIGITS - 1);
const HIGH: i64 = 10i64.pow(SIGNIFICANT_DIGITS);

/// `x` × 10^k, exactly rounded once (k within ±22).
#[inline]
fn times_pow10(x: f64, k: i32) -> f64 {
    if k >= 0 {
        x * POW10[k as usize]
    } else {
        x / POW10[(-k) as usize]
    }
}

/// A generated price as an exact decimal with `SIGNIFICANT_DIGITS` significant
/// digits (trailing zeros dropped), clamped to [`MIN_PRICE`, `MAX_PRICE`]; NaN
/// becomes `MIN_PRICE`.
#[inline(always)]
pub fn price(x: f64) -> Decimal {
    let x = if x.is_nan() {
        MIN_PRICE
    } else {
        x.clamp(MIN_PRICE, MAX_PRICE)
    };
    fixed(x)
}

/// Any finite `x` with |x| in [1e-16, 1e16] (or zero) to `SIGNIFICANT_DIGITS`
/// significant digits, for reporting statistics; `None` outside that range.
pub fn significant(x: f64) -> Option<Decimal> {
    if x == 0.0 {
        return Some(Decimal::ZERO);
    }
    let a = x.abs();
    if !(1e-16..=1e16).contains(&a) {
        return None;
    }
    let d = fixed(a);
    Some(if x < 0.0 { -d } else { d })
}

/// `x` (positive, within [1e-16, 1e16]) with `SIGNIFICANT_DIGITS` significant
/// digits, built from an integer mantissa. Always inlined: returned through
/// memory, a `Decimal` built from four 32-bit parts is read back as one 16-byte
/// load, which stalls on store forwarding (the profile showed it as half the cost
/// of rendering a path).
#[inline(always)]
fn fixed(x: f64) -> Decimal {
    // floor(log10 x) from the binary exponent: floor(e2 · log10 2), computed as
    // (e2 · 1233) >> 12 (1233/4096 ≈ log10 2), is it or one less; the mantissa test
    // below settles which, with no log and no libm call.
    let e2 = ((x.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let mut e10 = (e2 * 1233) >> 12;
    let mut m;
    loop {
        let scale = SIGNIFICANT_DIGITS as i32 - 1 - e10;
        // Positive and below 2^52: adding one half and truncating rounds half up
        // without a libm call.
        m = (times_pow10(x, scale) + 0.5) as i64;
        if m >= HIGH {
            e10 += 1;
        } else if m < LOW {
            e10 -= 1;
        } else {
            break;
        }
    }
    // Trailing zeros are kept: every price of a decade has the same scale, so the
    // engine's sums of them (the 5-day VWAP average) add aligned mantissas; with
    // varying scales each addition rescales (the profile showed rescaling as the
    // engine's largest cost on generated paths).
    let scale = SIGNIFICANT_DIGITS as i32 - 1 - e10;
    if scale >= 0 {
        // The integer mantissa (below 10^6, so its low 32 bits) and the scale:
        // `Decimal::from_i128_with_scale` without its range checks, which the
        // bounds above already guarantee.
        Decimal::from_parts(m as u32, 0, 0, false, scale as u32)
    } else {
        // ≥ 10^6: a whole number.
        Decimal::from(m * 10i64.pow((-scale) as u32))
    }
}

/// A generated volume: whole shares, rounded half away from zero, within
/// [0, `MAX_VOLUME`]; NaN becomes 0.
#[inline(always)]
pub fn volume(x: f64) -> Decimal {
    let v = if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, MAX_VOLUME)
    };
    // Non-negative: half up by truncation, no libm call.
    Decimal::from((v + 0.5) as u64)
}

/// A decimal as `f64` through its integer mantissa (cheap: no text). Exact to
/// the nearest `f64` for the short decimals this module makes.
#[inline]
pub fn to_f64(d: Decimal) -> f64 {
    let s = d.scale() as usize;
    let m = d.mantissa() as f64;
    if s < POW10.len() {
        m / POW10[s]
    } else {
        m / 10f64.powi(s as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_price_keeps_six_significant_digits() {
        assert_eq!(price(0.001_420_000_1), dec!(0.00142));
        assert_eq!(price(0.001_234_567_89).to_string(), "0.00123457");
        assert_eq!(price(123.456_789).to_string(), "123.457");
        assert_eq!(price(9_876_543.21).to_string(), "9876540");
    }

    #[test]
    fn prices_of_one_decade_share_one_scale() {
        for x in [0.001_000_01, 0.001_42, 0.005, 0.009_999_94] {
            assert_eq!(price(x).scale(), 8, "{x}");
        }
        assert_eq!(price(0.000_999_9).scale(), 9);
    }

    #[test]
    fn a_price_that_rounds_up_to_the_next_power_of_ten_stays_six_digits() {
        assert_eq!(price(0.000_999_999_9), dec!(0.001));
        assert_eq!(price(9.999_999_7), dec!(10));
    }

    #[test]
    fn a_price_never_falls_below_the_tick_nor_becomes_nan() {
        assert_eq!(price(0.0), dec!(0.00000001));
        assert_eq!(price(-3.0), dec!(0.00000001));
        assert_eq!(price(f64::NAN), dec!(0.00000001));
        assert_eq!(price(f64::INFINITY), dec!(1000000000));
    }

    #[test]
    fn powers_of_ten_are_exact() {
        for k in -8..=9 {
            let x = 10f64.powi(k);
            let d = price(x);
            assert_eq!(d, Decimal::from_i128_with_scale(1, 0) * pow10_dec(k), "{k}");
        }
    }

    fn pow10_dec(k: i32) -> Decimal {
        if k >= 0 {
            Decimal::from(10i64.pow(k as u32))
        } else {
            Decimal::from_i128_with_scale(1, (-k) as u32)
        }
    }

    #[test]
    fn no_price_has_more_places_than_max_scale() {
        assert_eq!(price(MIN_PRICE).scale(), MAX_SCALE);
        assert_eq!(price(0.0).scale(), MAX_SCALE);
        let mut x = MAX_PRICE;
        while x > MIN_PRICE / 10.0 {
            assert!(price(x).scale() <= MAX_SCALE, "{x}");
            assert!(price(x * 0.987_654_3).scale() <= MAX_SCALE, "{x}");
            x /= 3.0;
        }
    }

    #[test]
    fn volume_is_whole_shares_and_never_negative() {
        assert_eq!(volume(70_000_000.4), dec!(70000000));
        assert_eq!(volume(2.5), dec!(3));
        assert_eq!(volume(-5.0), dec!(0));
        assert_eq!(volume(f64::NAN), dec!(0));
    }

    #[test]
    fn to_f64_reads_short_decimals_exactly() {
        assert_eq!(to_f64(dec!(0.00142)), 0.00142);
        assert_eq!(to_f64(dec!(70000000)), 7e7);
        assert_eq!(to_f64(price(0.001_234_567)), 0.00123457);
    }
}

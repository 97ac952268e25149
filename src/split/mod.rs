//! Reverse stock splits, computed exactly (MODEL.md §7-9; the 2013 proxy's
//! Proposal 5, "Principal Effects of the Reverse Stock Split").
//!
//! What this module owns: the arithmetic of a 1-for-k split on a snapshot of the
//! company (every holder of record rounded up, the unnamed float rounded up as one
//! holder, reserved pools and grants rounded down, prices multiplied), the proxy's
//! share table for every whole ratio of a range (`table`), beneficial ownership
//! before and after (`ownership`, with a Form 4's ledger) and the $1.00 advisor
//! (`advisor`). The day-by-day engine applies the same rules inside `run`; the
//! property tests hold the two to each other.
//!
//! Pure: no file, no clock, no stdout. Errors are plain messages; `app` says which
//! file, key or argument they belong to.

pub mod advisor;
pub mod ownership;
pub mod table;

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::money::{Shares, parse_exact};
use crate::terms::{NamedHolder, OptionGrant, RsuGrant, Vesting};

/// The most ratios one range may hold (a typo like `5..5000000000` would otherwise
/// print for hours).
pub const MAX_RATIOS: u64 = 10_000;

/// An inclusive range of whole split ratios, `5..10` = 1-for-5 through 1-for-10
/// (the proxy: "any whole number ratio between, and inclusive of, one for five ...
/// and one for ten").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatioRange {
    pub first: u64,
    pub last: u64,
}

impl RatioRange {
    /// The proxy's range, 1-for-5 to 1-for-10.
    pub const PROXY: RatioRange = RatioRange { first: 5, last: 10 };

    /// Parses `"5..10"`, `"5..=10"` or a single ratio `"7"`. Every ratio is a whole
    /// number of at least 2; the range runs upwards.
    pub fn parse(text: &str) -> Result<RatioRange, String> {
        let t = text.trim();
        let (a, b) = match t.split_once("..") {
            Some((a, b)) => (a, b.strip_prefix('=').unwrap_or(b)),
            None => (t, t),
        };
        let first = ratio(a, text)?;
        let last = ratio(b, text)?;
        if first > last {
            return Err(format!(
                "\"{text}\" runs backwards; write the smaller ratio first ({last}..{first})"
            ));
        }
        let r = RatioRange { first, last };
        if r.len() > MAX_RATIOS {
            return Err(format!(
                "\"{text}\" holds {} ratios; at most {MAX_RATIOS} at a time",
                r.len()
            ));
        }
        Ok(r)
    }

    /// How many ratios the range holds.
    pub fn len(&self) -> u64 {
        self.last - self.first + 1
    }

    /// Never empty: `parse` refuses an empty range.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The ratios, smallest first.
    pub fn ratios(&self) -> std::ops::RangeInclusive<u64> {
        self.first..=self.last
    }
}

impl fmt::Display for RatioRange {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}..{}", self.first, self.last)
    }
}

/// One end of a range: a whole number ≥ 2.
fn ratio(part: &str, whole: &str) -> Result<u64, String> {
    let p = part.trim();
    if p.is_empty() {
        return Err(format!(
            "\"{whole}\" is not a range of ratios; write it as 5..10 (1-for-5 through 1-for-10)"
        ));
    }
    let d = parse_exact(p)
        .map_err(|_| format!("\"{p}\" in \"{whole}\" is not a number; write the range as 5..10"))?;
    if d.fract() != Decimal::ZERO {
        return Err(format!(
            "ratio {p} is not a whole number: a reverse split is 1-for-k with k whole (the proxy: \"any whole number ratio\")"
        ));
    }
    if d < Decimal::TWO {
        return Err(format!(
            "ratio {p} is below 2: a 1-for-k reverse split needs k of at least 2"
        ));
    }
    if d > Decimal::from(crate::scenario::MAX_SPLIT_RATIO) {
        return Err(format!(
            "ratio {p} is larger than the 1-for-{} this tool models",
            crate::scenario::MAX_SPLIT_RATIO
        ));
    }
    u64::try_from(d).map_err(|_| format!("ratio {p} is too large"))
}

/// An exact count after a division by k: `num / den`, kept as a fraction so that
/// nothing is rounded until a rule says how (MODEL.md §9: "the exact division").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact {
    pub num: i128,
    pub den: u64,
}

impl Exact {
    pub fn whole(n: i128) -> Exact {
        Exact { num: n, den: 1 }
    }

    /// n / k.
    pub fn div(n: i128, k: u64) -> Exact {
        Exact { num: n, den: k }
    }

    pub fn floor(&self) -> i128 {
        self.num.div_euclid(self.den as i128)
    }

    pub fn ceil(&self) -> i128 {
        -(-self.num).div_euclid(self.den as i128)
    }

    /// The nearest whole number, halves away from zero (what the proxy prints:
    /// 10,235,381.2 → 10,235,381; 5,117,690.6 → 5,117,691).
    pub fn nearest(&self) -> i128 {
        let d = self.den as i128;
        let twice = self.num.unsigned_abs() * 2 + d.unsigned_abs();
        let r = (twice / (2 * d.unsigned_abs())) as i128;
        if self.num < 0 { -r } else { r }
    }

    /// Whether the decimal expansion ends (the denominator has no prime factor
    /// but 2 and 5).
    pub fn terminates(&self) -> bool {
        let mut d = self.den / gcd(self.num.unsigned_abs(), self.den as u128) as u64;
        while d % 2 == 0 {
            d /= 2;
        }
        while d % 5 == 0 {
            d /= 5;
        }
        d == 1
    }

    /// As a decimal: exact when it terminates, else to 28 significant digits.
    /// `None` only if the numerator leaves the decimal range.
    pub fn to_decimal(&self) -> Option<Decimal> {
        let n = Decimal::try_from_i128_with_scale(self.num, 0).ok()?;
        n.checked_div(Decimal::from(self.den))
            .map(|d| d.normalize())
    }

    /// The decimal text for a CSV: exact when it terminates, else rounded to 20
    /// decimal places (the `exact_fraction` column keeps it exact).
    pub fn decimal_text(&self) -> String {
        match self.to_decimal() {
            Some(d) if self.terminates() => crate::money::plain(d),
            Some(d) => crate::money::plain(
                d.round_dp_with_strategy(20, RoundingStrategy::MidpointAwayFromZero),
            ),
            None => self.fraction_text(),
        }
    }

    /// `num/den` as written, unreduced: "51176906/5".
    pub fn fraction_text(&self) -> String {
        if self.den == 1 {
            self.num.to_string()
        } else {
            format!("{}/{}", self.num, self.den)
        }
    }
}

pub(crate) fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// Who holds the outstanding shares, for the split's rounding: the noteholder, the
/// named holders and the unnamed public float (MODEL.md §9: "the investor and each
/// `[[holders]]` entry are rounded up one by one; the float ... as one holder").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holdings {
    pub investor: Shares,
    pub named: Vec<Shares>,
    pub float: Shares,
}

impl Holdings {
    /// Splits `outstanding` into its holders; an error when the named holders own
    /// more than is outstanding.
    pub fn new(
        outstanding: Shares,
        investor: Shares,
        named: &[Shares],
    ) -> Result<Holdings, String> {
        let owned = named
            .iter()
            .fold(investor as u128, |acc, &n| acc + n as u128);
        if owned > outstanding as u128 {
            return Err(format!(
                "the holder and the named holders own {owned} shares, more than the {outstanding} outstanding"
            ));
        }
        Ok(Holdings {
            investor,
            named: named.to_vec(),
            float: (outstanding as u128 - owned) as Shares,
        })
    }

    /// The shares outstanding: the sum of the holdings.
    pub fn outstanding(&self) -> Shares {
        // Cannot overflow: each holding is at most what `new` was given (splits
        // only shrink them, rounding up by less than one share per holder).
        self.named
            .iter()
            .fold(self.investor as u128 + self.float as u128, |a, &n| {
                a + n as u128
            })
            .min(u64::MAX as u128) as Shares
    }

    /// After a 1-for-k split: each holding rounded up (the proxy: "Stockholders of
    /// record who otherwise would be entitled to receive fractional shares will be
    /// entitled to rounding up of their fractional share to the nearest whole
    /// share").
    pub fn split(&self, k: u64) -> Holdings {
        Holdings {
            investor: self.investor.div_ceil(k),
            named: self.named.iter().map(|n| n.div_ceil(k)).collect(),
            float: self.float.div_ceil(k),
        }
    }
}

/// A reserved pool after a split: one grant, rounded down (MODEL.md §9).
pub fn split_pool(shares: Shares, k: u64) -> Shares {
    shares / k
}

/// A price after a split: × k × factor, exactly; `None` if it leaves the decimal
/// range. `factor` is the `post_split_factor` (1 for terms such as an exercise
/// price or a note's fixed price).
pub fn split_price(price: Decimal, k: u64, factor: Decimal) -> Option<Decimal> {
    price.checked_mul(Decimal::from(k))?.checked_mul(factor)
}

/// An option grant after a split: its shares (and each vesting line) ÷ k rounded
/// down, its exercise price × k (proxy, Proposal 5: "the administrator will make
/// appropriate adjustments to ... the number of shares subject to outstanding
/// awards and the exercise prices relating to awards").
pub fn split_grant(g: &OptionGrant, k: u64) -> Option<OptionGrant> {
    Some(OptionGrant {
        shares: g.shares / k,
        exercise_price: match g.exercise_price {
            Some(p) => Some(split_price(p, k, Decimal::ONE)?),
            None => None,
        },
        vested: g.vested / k,
        vesting: g
            .vesting
            .iter()
            .map(|v| Vesting {
                date: v.date,
                shares: v.shares / k,
            })
            .collect(),
        expires: g.expires,
    })
}

/// A named holder after a split: shares rounded up, every grant rounded down, the
/// trades (history) unchanged. `None` if an exercise price leaves the decimal range.
pub fn split_holder(h: &NamedHolder, k: u64) -> Option<NamedHolder> {
    let options = h
        .options
        .iter()
        .map(|g| split_grant(g, k))
        .collect::<Option<Vec<_>>>()?;
    Some(NamedHolder {
        shares: h.shares.div_ceil(k),
        restricted_stock: h.restricted_stock.div_ceil(k).min(h.shares.div_ceil(k)),
        options_vested: h.options_vested / k,
        options_unvested: h.options_unvested / k,
        options,
        rsus: h
            .rsus
            .iter()
            .map(|r| RsuGrant {
                shares: r.shares / k,
                vests: r.vests,
            })
            .collect(),
        ..h.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn ratio_ranges_parse_inclusive_and_refuse_bad_input() {
        assert_eq!(
            RatioRange::parse("5..10"),
            Ok(RatioRange { first: 5, last: 10 })
        );
        assert_eq!(
            RatioRange::parse(" 5..=10 "),
            Ok(RatioRange { first: 5, last: 10 })
        );
        assert_eq!(RatioRange::parse("7"), Ok(RatioRange { first: 7, last: 7 }));
        assert!(
            RatioRange::parse("10..5")
                .unwrap_err()
                .contains("backwards")
        );
        assert!(RatioRange::parse("1..5").unwrap_err().contains("below 2"));
        assert!(
            RatioRange::parse("5.5..10")
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(
            RatioRange::parse("5..x")
                .unwrap_err()
                .contains("not a number")
        );
        assert!(RatioRange::parse("..").is_err());
        assert!(
            RatioRange::parse("2..20000")
                .unwrap_err()
                .contains("at most")
        );
        assert_eq!(RatioRange::PROXY.ratios().count(), 6);
    }

    #[test]
    fn exact_division_keeps_the_proxy_s_tenths() {
        let e = Exact::div(51_176_906, 5);
        assert_eq!(e.to_decimal(), Some(dec!(10235381.2)));
        assert_eq!(
            (e.floor(), e.ceil(), e.nearest()),
            (10_235_381, 10_235_382, 10_235_381)
        );
        let e = Exact::div(51_176_906, 10);
        assert_eq!(e.nearest(), 5_117_691);
        assert_eq!(e.decimal_text(), "5117690.6");
    }

    #[test]
    fn a_division_that_does_not_terminate_is_shown_as_a_fraction() {
        let e = Exact::div(51_176_906, 3);
        assert!(!e.terminates());
        assert_eq!(e.fraction_text(), "51176906/3");
        assert_eq!(e.decimal_text(), "17058968.66666666666666666667");
        assert_eq!(e.nearest(), 17_058_969);
    }

    #[test]
    fn negative_exact_values_round_the_right_way() {
        let e = Exact::div(-7, 2);
        assert_eq!((e.floor(), e.ceil(), e.nearest()), (-4, -3, -4));
    }

    #[test]
    fn holdings_refuse_named_shares_beyond_outstanding() {
        assert!(
            Holdings::new(100, 10, &[50, 41])
                .unwrap_err()
                .contains("more than the 100")
        );
        let h = Holdings::new(101, 1, &[7, 3]).unwrap();
        assert_eq!(h.float, 90);
        let s = h.split(5);
        assert_eq!((s.investor, s.named.clone(), s.float), (1, vec![2, 1], 18));
        assert_eq!(s.outstanding(), 22);
    }

    #[test]
    fn a_grant_rounds_down_and_its_price_scales() {
        let g = OptionGrant {
            shares: 75_000,
            exercise_price: Some(dec!(0.68)),
            vested: 18_750,
            vesting: vec![],
            expires: None,
        };
        let s = split_grant(&g, 7).unwrap();
        assert_eq!(
            (s.shares, s.vested, s.exercise_price),
            (10_714, 2_678, Some(dec!(4.76)))
        );
    }
}

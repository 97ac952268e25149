//! e^x for rendering generated paths: every day's close and every active day's
//! volume is one (1,400 a path on the shipped scenario).
//!
//! The platform's `exp` is a library call through a wrapper that checks
//! its range and sets errno; the profile had it at 5% of a Monte Carlo run. This
//! one is inlined and branch-free (so a loop over a path's days vectorises), and
//! uses only IEEE-754 additions, multiplications and bit operations, so it gives
//! the same bits on every platform. Within one unit in the last place of
//! `f64::exp` (tested; 90% of results are the same bits): far finer than the six significant digits a
//! generated price keeps (`quantize`).
//!
//! Method: x = k·ln 2 + r with k the nearest integer to x / ln 2 and |r| ≤ ln 2 / 2
//! (Cody-Waite: ln 2 in two parts so that k·ln 2 is exact), e^r by its Taylor
//! series to r^13 (the first term left out is below 5·10^-18 of the result,
//! evaluated by Estrin's scheme), and 2^k put in the exponent bits.

/// log2(e).
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// ln 2's leading bits (k·LN2_HI is exact for |k| < 2^11) and the rest, as
/// fdlibm splits them (about 0.6931471803691238 and 1.9082149292705877e-10).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// 1.5·2^52: adding it rounds a value of magnitude below 2^51 to an integer,
/// which is then the low bits of the sum's mantissa.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// Inputs are clamped here, so that 2^k stays a normal number (prices and
/// volumes are far inside: `quantize` clamps them again).
const LOWEST: f64 = -708.0;
const HIGHEST: f64 = 709.0;

/// 1/n! for n = 2 to 13: e^r = 1 + r + r²·(Q[0] + Q[1]·r + … + Q[11]·r^11).
const Q: [f64; 12] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// e^x for x clamped to [-708, 709]; NaN gives e^-708 (about 3·10^-308).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // max then min, not clamp: a NaN input becomes LOWEST (f64::max returns the
    // number), where clamp would pass the NaN on.
    #[allow(clippy::manual_clamp)]
    let x = x.max(LOWEST).min(HIGHEST);
    let shifted = x * LOG2_E + SHIFT;
    let k = shifted - SHIFT;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Estrin's scheme, not Horner's: pairs, then pairs of pairs, so the chain of
    // dependent operations is 6 long rather than 22 (a scalar caller waits on it).
    let (r2, r4) = (r * r, r * r * (r * r));
    let a0 = Q[0] + Q[1] * r;
    let a1 = Q[2] + Q[3] * r;
    let a2 = Q[4] + Q[5] * r;
    let a3 = Q[6] + Q[7] * r;
    let a4 = Q[8] + Q[9] * r;
    let a5 = Q[10] + Q[11] * r;
    let q = (a0 + a1 * r2) + ((a2 + a3 * r2) + (a4 + a5 * r2) * r4) * r4;
    // 1 + (r + r²·q): the small terms summed first.
    let e_r = 1.0 + (r + r2 * q);
    // k sits in the low bits of `shifted`'s mantissa, offset by SHIFT's.
    let k_int = (shifted.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let two_k = f64::from_bits(((k_int + 1023) as u64) << 52);
    e_r * two_k
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Units in the last place between a and b (both positive, finite).
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn exact_points_and_the_clamps() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::NAN), exp(LOWEST));
        assert_eq!(exp(-1e6), exp(LOWEST));
        assert_eq!(exp(1e6), exp(HIGHEST));
        assert!(exp(HIGHEST).is_finite() && exp(LOWEST) > 0.0);
        assert!(ulps(exp(1.0), std::f64::consts::E) <= 1);
        assert!(ulps(exp(std::f64::consts::LN_2), 2.0) <= 1);
    }

    #[test]
    fn within_one_ulp_of_the_platform_exp_on_a_grid() {
        // Every 1/1024 from -40 to 40 (the range of log prices and log volumes)
        // and across the clamps.
        let mut worst = 0;
        for i in -40 * 1024..=40 * 1024 {
            let x = i as f64 / 1024.0;
            worst = worst.max(ulps(exp(x), x.exp()));
        }
        for i in -708..=709 {
            let x = i as f64 + 0.123;
            if x <= HIGHEST {
                worst = worst.max(ulps(exp(x), x.exp()));
            }
        }
        assert!(worst <= 1, "{worst} ulps");
    }

    proptest! {
        #[test]
        fn within_one_ulp_of_the_platform_exp(x in -700.0f64..700.0) {
            prop_assert!(ulps(exp(x), x.exp()) <= 1, "{} → {} vs {}", x, exp(x), x.exp());
        }

        #[test]
        fn increasing(x in -700.0f64..700.0, dx in 1e-9f64..1.0) {
            prop_assert!(exp(x + dx) >= exp(x));
        }
    }
}

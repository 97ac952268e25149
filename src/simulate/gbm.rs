//! Geometric Brownian motion: ln S_{t+1} = ln S_t + (μ − σ²/2)·Δt + σ·√Δt·Z, with
//! Δt = 1/252 of a year per trading day and Z standard normal, so the median of
//! S_T is S_0·e^{(μ − σ²/2)T} and its mean S_0·e^{μT}. Each day also draws one
//! source day whose marks (VWAP and bid spreads, volume residual) it takes.
//!
//! Pure: no I/O. The draws per day are, in order: Z, then the mark's index.

use rand::Rng;
use rand_distr::StandardNormal;

use super::source::TRADING_DAYS_PER_YEAR;

/// Daily GBM steps from annual μ and σ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gbm {
    /// (μ − σ²/2) / 252: the daily log drift.
    pub step_mean: f64,
    /// σ / √252: the daily log volatility.
    pub step_sd: f64,
}

impl Gbm {
    pub fn new(drift: f64, volatility: f64) -> Gbm {
        Gbm {
            step_mean: (drift - volatility * volatility / 2.0) / TRADING_DAYS_PER_YEAR,
            step_sd: volatility / TRADING_DAYS_PER_YEAR.sqrt(),
        }
    }

    /// Fills one path's log-price steps and mark indices (`marks_len` source days).
    pub fn fill<R: Rng>(
        &self,
        rng: &mut R,
        marks_len: usize,
        steps: &mut [f64],
        marks: &mut [u32],
    ) {
        for (step, mark) in steps.iter_mut().zip(marks.iter_mut()) {
            let z: f64 = rng.sample(StandardNormal);
            *step = self.step_mean + self.step_sd * z;
            *mark = rng.gen_range(0..marks_len) as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn zero_drift_and_zero_volatility_give_zero_steps() {
        let g = Gbm::new(0.0, 0.0);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (mut steps, mut marks) = (vec![1.0; 50], vec![0; 50]);
        g.fill(&mut rng, 7, &mut steps, &mut marks);
        assert!(steps.iter().all(|&s| s == 0.0));
        assert!(marks.iter().all(|&m| m < 7));
    }

    #[test]
    fn daily_steps_have_the_annual_moments_scaled_by_252() {
        let g = Gbm::new(0.1, 0.8);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 200_000;
        let (mut steps, mut marks) = (vec![0.0; n], vec![0; n]);
        g.fill(&mut rng, 3, &mut steps, &mut marks);
        let mean = steps.iter().sum::<f64>() / n as f64;
        let sd = (steps.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        let want_sd = 0.8 / 252f64.sqrt();
        assert!((sd / want_sd - 1.0).abs() < 0.01, "{sd} vs {want_sd}");
        // The mean's standard error is sd/√n ≈ 1.1e-4; allow 4 of them.
        assert!((mean - (0.1 - 0.32) / 252.0).abs() < 4.0 * want_sd / (n as f64).sqrt());
    }
}

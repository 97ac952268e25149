//! Moving-block bootstrap of the source path's days: blocks of `block` consecutive
//! source days, each starting at a uniformly drawn day, laid end to end (the last
//! block cut at the path's end). A generated day takes one source day's log return
//! and its marks (spreads, volume residual) together, so fat tails, volatility
//! clusters and volume droughts as long as a block survive. Blocks never wrap
//! around the path's end: every return drawn is one that occurs in the source, next
//! to the return that followed it there.
//!
//! Pure: no I/O. One draw per block: its starting day.

use rand::Rng;

/// The block bootstrap; `block` ≤ the number of source returns (checked by
/// `params`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bootstrap {
    pub block: usize,
}

impl Bootstrap {
    /// Fills one path's log-price steps with source returns and the marks with the
    /// source day each return belongs to (`returns[j − 1]` is day j's).
    pub fn fill<R: Rng>(&self, rng: &mut R, returns: &[f64], steps: &mut [f64], marks: &mut [u32]) {
        let n = returns.len();
        debug_assert!(self.block >= 1 && self.block <= n);
        let mut t = 0;
        while t < steps.len() {
            // Day j = start + k + 1 for k in 0..block: the block's returns are
            // returns[start .. start + block].
            let start = rng.gen_range(0..=n - self.block);
            for k in 0..self.block.min(steps.len() - t) {
                steps[t] = returns[start + k];
                marks[t] = (start + k + 1) as u32;
                t += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn every_step_is_a_source_return_and_blocks_keep_their_order() {
        let returns: Vec<f64> = (0..30).map(|i| (i as f64 - 15.0) / 100.0).collect();
        let b = Bootstrap { block: 5 };
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (mut steps, mut marks) = (vec![0.0; 103], vec![0; 103]);
        b.fill(&mut rng, &returns, &mut steps, &mut marks);
        for (t, (&s, &m)) in steps.iter().zip(&marks).enumerate() {
            assert_eq!(s, returns[m as usize - 1], "day {t}");
            if t % 5 != 0 {
                assert_eq!(m, marks[t - 1] + 1, "a block continues at day {t}");
            }
        }
    }

    #[test]
    fn a_block_as_long_as_the_path_replays_it() {
        let returns = vec![0.01, -0.02, 0.03];
        let b = Bootstrap { block: 3 };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let (mut steps, mut marks) = (vec![0.0; 6], vec![0; 6]);
        b.fill(&mut rng, &returns, &mut steps, &mut marks);
        assert_eq!(steps, vec![0.01, -0.02, 0.03, 0.01, -0.02, 0.03]);
    }
}

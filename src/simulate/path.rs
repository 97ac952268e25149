//! One generated path: the draws (log-price steps and the source day whose marks
//! each day takes) rendered into the exact bars the engine reads.
//!
//! Rendering day t (bar `first + t`), on the continuous scale (see `source`):
//!   x_t   = anchor + step_0 + … + step_t          (the drawn log close)
//!   p_t   = x_t − impact_t                         (impact_t = 0 unless price impact)
//!   close = e^{p_t}, vwap = close·vwap_ratio_j, bid = close·bid_ratio_j
//!   volume = e^{a + b·p_t + e_j}
//! then back to the path's own scale (× the split factor; volume ÷ it) and fixed as
//! exact decimals by `quantize`. Draws are never touched by rendering, so a path can
//! be re-rendered with another impact (see `impact`).
//!
//! Pure: no I/O.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::market::{Bar, PricePath};

use super::bootstrap::Bootstrap;
use super::exp::exp;
use super::gbm::Gbm;
use super::quantize;
use super::source::Source;

/// The generator of a run, ready to draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Generator {
    Gbm(Gbm),
    Bootstrap(Bootstrap),
}

/// A path's random stream: ChaCha8 keyed by the seed, on the stream numbered by the
/// path's index. Streams are independent by construction (no mixing of seed and
/// index that two pairs could collide on), and a path's draws depend on nothing
/// but (seed, index): not on the thread, the chunk or the paths before it.
pub fn rng_for(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// Whether `fill_bars` fixes each day's close as a decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    Fill,
    Skip,
}

/// A worker's reusable buffers for one path at a time.
#[derive(Debug, Clone)]
pub struct PathBuffers {
    /// The path the engine reads: history verbatim, then the generated days.
    pub path: PricePath,
    pub steps: Vec<f64>,
    pub marks: Vec<u32>,
    /// Per generated day, the drawn close as `f64` on the engine's scale (for the
    /// percentiles).
    pub close: Vec<f64>,
    /// Per generated day, e^{p_t} × the split factor (the close before it is
    /// fixed as a decimal), and the volume before it is fixed as whole shares:
    /// what `fill_bars` reads. `log_volume` holds a + b·p_t + e_j on the way.
    drawn_close: Vec<f64>,
    drawn_volume: Vec<f64>,
    log_price: Vec<f64>,
    log_volume: Vec<f64>,
}

impl PathBuffers {
    pub fn new(src: &Source) -> PathBuffers {
        let days = src.days();
        PathBuffers {
            path: PricePath::from_bars(src.bars.clone()),
            steps: vec![0.0; days],
            marks: vec![0; days],
            close: vec![0.0; days],
            drawn_close: vec![0.0; days],
            drawn_volume: vec![0.0; days],
            log_price: vec![0.0; days],
            log_volume: vec![0.0; days],
        }
    }

    /// Draws path `index`'s steps and marks.
    pub fn draw(&mut self, src: &Source, generator: &Generator, seed: u64, index: u64) {
        let mut rng = rng_for(seed, index);
        match generator {
            Generator::Gbm(g) => {
                g.fill(&mut rng, src.marks.len(), &mut self.steps, &mut self.marks)
            }
            Generator::Bootstrap(b) => {
                b.fill(&mut rng, &src.returns, &mut self.steps, &mut self.marks)
            }
        }
    }

    /// Renders the drawn path into `path` (see the module documentation).
    /// `impact[t]`, when given, is subtracted from day t's log price.
    pub fn render(&mut self, src: &Source, impact: Option<&[f64]>) {
        self.render_closes(src, impact);
        let mut bars = std::mem::take(&mut self.path.bars);
        self.fill_bars(src, 0, &mut bars[src.first..], Close::Fill);
        self.path.bars = bars;
    }

    /// The first half of rendering, for every day: the close and the volume as
    /// `f64` (`close` for the percentiles). The bars are not touched.
    pub fn render_closes(&mut self, src: &Source, impact: Option<&[f64]>) {
        let mut x = src.anchor;
        for t in 0..self.steps.len() {
            x += self.steps[t];
            let p = match impact {
                Some(c) => x - c[t],
                None => x,
            };
            self.log_price[t] = p;
            let residual = src.marks[self.marks[t] as usize].residual;
            self.log_volume[t] = src.volume_a + src.volume_b * p + residual;
        }
        // Apart from the running sum and the marks above, no day depends on
        // another: this loop vectorises (`exp` is inlined and branch-free).
        for t in 0..self.steps.len() {
            let close = exp(self.log_price[t]) * src.factor[t];
            self.drawn_close[t] = close;
            // The drawn close, not its decimal: within 5·10⁻⁶ of it, far inside the
            // histograms' 0.4% bins, and no decimal-to-float conversion per day.
            self.close[t] = close * src.shown_factor[t];
            self.drawn_volume[t] = exp(self.log_volume[t]) / src.factor[t];
        }
    }

    /// The second half: the exact bars of generated days `from..from + bars.len()`
    /// (`bars[0]` is day `from`'s), from `render_closes`. With `Close::Skip` the
    /// close is left as it was, for a reader that needs only some days' (`close_of`).
    pub fn fill_bars(&self, src: &Source, from: usize, bars: &mut [Bar], close: Close) {
        for (k, bar) in bars.iter_mut().enumerate() {
            let t = from + k;
            let drawn = self.drawn_close[t];
            let m = &src.marks[self.marks[t] as usize];
            if close == Close::Fill {
                bar.close = self.close_of(t);
            }
            bar.vwap = quantize::price(drawn * m.vwap_ratio);
            bar.bid = quantize::price(drawn * m.bid_ratio);
            bar.volume = quantize::volume(self.drawn_volume[t]);
        }
    }

    /// Generated day t's close, as `fill_bars` fixes it.
    pub fn close_of(&self, t: usize) -> rust_decimal::Decimal {
        quantize::price(self.drawn_close[t])
    }
}

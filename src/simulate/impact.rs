//! Price impact: the holder's sales push the price down (the death-spiral
//! feedback). Off unless `[simulate] impact` (or `--impact`) is positive.
//!
//! The model: selling a fraction f_t = sold_t ÷ volume_t of day t's volume lowers
//! the log price of every later day by k·f_t (permanent impact, proportional to the
//! share of volume sold, k the coefficient):
//!   p_t = x_t − k·Σ_{u<t} f_u
//! VWAP and bid follow the close; volume follows the impacted price through the
//! source's elasticity (see `source`), so a falling price brings more shares to
//! sell into, as it does in a spiral.
//!
//! The engine consumes a whole path, and the sales depend on the path. The path is
//! made consistent by re-running: start from no impact, run, take the sales, render
//! the path with their impact, and run again, until rendering the sales of a run
//! gives back, decimal for decimal, the path that run read. That is a fixed point
//! (running it again would make the same sales), so the result is exact: the path a
//! day-by-day engine would make, up to the sixth digit every price is fixed to
//! anyway. It is reached: day t's sales depend only on prices up to day t, and day
//! t's price only on sales before it, so each run fixes at least one more day. In
//! practice 3–6 runs (see `OFFSET_GRID`). summary.json reports the most runs any
//! path took.
//!
//! An engine hook would make it one pass: see the report to the lead (an observer
//! call before each trading day that may lower that day's bar, and the day's sales
//! in the light observer).
//!
//! Pure: no I/O.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::engine::{DayRow, Engine, Observer, Prepared};
use crate::market::Bar;
use crate::money::Shares;

use super::path::PathBuffers;
use super::quantize::to_f64;
use super::source::Source;
use super::{Column, Finished, finish};

/// The impact offsets are rounded to this step of log price (0.001% of the
/// price, finer than the prices' own six digits). Without it a sale one share
/// larger moves a later day's volume across the rounding to a whole share, which
/// changes a later sale by a share, and so on: the runs still reach the fixed
/// point, but a prefix of the path at a time (tens of runs). With it a share's
/// difference moves no offset, and the fixed point comes in a few runs.
const OFFSET_GRID: f64 = 1e-5;

/// A worker's buffers for the re-runs.
#[derive(Debug, Clone)]
pub struct ImpactBuffers {
    /// Per generated day: the log-price offset k·Σ_{u<t} f_u.
    offset: Vec<f64>,
    /// The sales of the current run.
    made: Vec<Shares>,
    /// The generated bars of the path the current run read.
    previous: Vec<Bar>,
    /// The run's volume per day, as the engine read it.
    volume: Vec<f64>,
}

impl ImpactBuffers {
    pub fn new(days: usize) -> ImpactBuffers {
        ImpactBuffers {
            offset: vec![0.0; days],
            made: vec![0; days],
            previous: Vec::with_capacity(days),
            volume: vec![0.0; days],
        }
    }
}

/// Records the sales and volume of each row (a full observer: the light one does
/// not see sales) and the shares outstanding per day.
struct SalesTap<'a> {
    first: usize,
    outstanding: &'a mut [Shares],
    column: Column,
    sold: &'a mut [Shares],
    volume: &'a mut [f64],
    rows: usize,
    seen: usize,
    last_close: Decimal,
}

impl Observer for SalesTap<'_> {
    const FULL: bool = true;
    fn row(&mut self, row: DayRow) {
        if let (Some(s), Some(v)) = (self.sold.get_mut(self.rows), self.volume.get_mut(self.rows)) {
            *s = row.holder_sold;
            *v = to_f64(row.volume);
        }
        self.rows += 1;
    }
    fn trading_day(&mut self, index: usize, _date: NaiveDate, outstanding: Shares, close: Decimal) {
        let t = index - self.first;
        self.outstanding[self.column.at(t)] = outstanding;
        self.seen = t + 1;
        self.last_close = close;
    }
}

/// Runs the drawn path in `buf` with price impact `k` until its sales are
/// consistent (see the module documentation). Returns the last run's result and
/// the number of runs.
pub(crate) fn run_consistent(
    prepared: &Prepared,
    src: &Source,
    k: f64,
    buf: &mut PathBuffers,
    ib: &mut ImpactBuffers,
    outstanding: &mut [Shares],
    column: Column,
) -> (Finished, u32) {
    let days = src.days();
    ib.offset.fill(0.0);
    buf.render(src, Some(&ib.offset));
    let mut runs = 0u32;
    loop {
        ib.made.fill(0);
        let mut engine = Engine::new(prepared, &buf.path);
        let mut tap = SalesTap {
            first: src.first,
            outstanding: &mut *outstanding,
            column,
            sold: &mut ib.made,
            volume: &mut ib.volume,
            rows: 0,
            seen: 0,
            last_close: Decimal::ZERO,
        };
        let r = engine.run(&mut tap);
        runs += 1;
        let (seen, last_close) = (tap.seen, tap.last_close);
        let result = finish(&engine, r, seen, last_close, outstanding, column, days);
        if result.is_err() {
            return (result, runs);
        }
        // The path these sales imply, against the path that made them: the same
        // decimals bar for bar is the fixed point (running it again would make the
        // same sales). Comparing decimals rather than sales stops as soon as the
        // engine's input stops changing: a sale one share different moves a price
        // far less than its sixth digit.
        let mut c = 0.0;
        for t in 0..days {
            ib.offset[t] = (c / OFFSET_GRID).round() * OFFSET_GRID;
            if ib.volume[t] > 0.0 {
                c += k * ib.made[t] as f64 / ib.volume[t];
            }
        }
        ib.previous.clear();
        ib.previous.extend_from_slice(&buf.path.bars[src.first..]);
        buf.render(src, Some(&ib.offset));
        // Causality bounds the runs by days + 1 (each run fixes at least one more
        // day); the guard only makes the bound visible to a reader.
        if buf.path.bars[src.first..] == ib.previous[..] || runs as usize > days + 1 {
            return (result, runs);
        }
    }
}

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
//! the path with their impact, run again, until the sales of a run are those its
//! path was rendered with. That fixed point is exact (the same path a day-by-day
//! engine would make), and it is reached: day t's sales depend only on prices up to
//! day t, and day t's price only on sales before it, so each run fixes at least one
//! more day than the last; in practice 2–3 runs (the holder usually sells its full
//! share of volume whatever the price, until the notes are gone). summary.json
//! reports the most runs any path took.
//!
//! An engine hook would make it one pass: see the report to the lead (an observer
//! call before each trading day that may lower that day's bar, and the day's sales
//! in the light observer).
//!
//! Pure: no I/O.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::engine::{DayRow, Engine, Observer};
use crate::money::Shares;
use crate::scenario::Scenario;

use super::path::PathBuffers;
use super::quantize::to_f64;
use super::source::Source;
use super::{Column, Finished, finish};

/// A worker's buffers for the re-runs.
#[derive(Debug, Clone)]
pub struct ImpactBuffers {
    /// Per generated day: the log-price offset k·Σ_{u<t} f_u.
    offset: Vec<f64>,
    /// Sales the current path was rendered with, and those its run made.
    assumed: Vec<Shares>,
    made: Vec<Shares>,
    /// The run's volume per day, as the engine read it.
    volume: Vec<f64>,
}

impl ImpactBuffers {
    pub fn new(days: usize) -> ImpactBuffers {
        ImpactBuffers {
            offset: vec![0.0; days],
            assumed: vec![0; days],
            made: vec![0; days],
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
    s: &Scenario,
    src: &Source,
    k: f64,
    buf: &mut PathBuffers,
    ib: &mut ImpactBuffers,
    outstanding: &mut [Shares],
    column: Column,
) -> (Finished, u32) {
    let days = src.days();
    ib.offset.fill(0.0);
    ib.assumed.fill(0);
    let mut runs = 0u32;
    loop {
        buf.render(src, Some(&ib.offset));
        ib.made.fill(0);
        let mut engine = Engine::new(s, &buf.path);
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
        let result = finish(engine, r, seen, last_close, outstanding, column, days);
        // Causality bounds the runs by days + 1; the guard only makes the bound
        // visible to a reader.
        if result.is_err() || ib.made == ib.assumed || runs as usize > days + 1 {
            return (result, runs);
        }
        let mut c = 0.0;
        for t in 0..days {
            ib.offset[t] = c;
            if ib.volume[t] > 0.0 {
                c += k * ib.made[t] as f64 / ib.volume[t];
            }
        }
        std::mem::swap(&mut ib.assumed, &mut ib.made);
    }
}

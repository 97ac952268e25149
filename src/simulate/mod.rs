//! Monte Carlo (`dilution simulate`): the engine, unchanged, over many generated
//! price paths, and the distribution of what it computes.
//!
//! - Paths: `gbm` or `bootstrap` draws (see `gbm`, `bootstrap`), rendered as exact
//!   decimals on the source path's calendar (`source`, `path`, `quantize`).
//! - Engine: each path runs through `engine::Engine` with a light `Observer` that
//!   keeps only the shares outstanding per trading day; the path's `Totals` make
//!   its row. Every day's close is drawn (the percentiles need it), but the exact
//!   bars are rendered `BAR_BLOCK` days at a time only as far as the engine reads
//!   them: once it is at rest, the later days keep its last count. With price
//!   impact, see `impact`.
//! - Aggregation: per-date and per-total `LogHistogram`s (`aggregate`), so memory
//!   does not grow with the number of paths; rows go to the caller as they are made
//!   (paths.csv is streamed).
//! - Reproducible: path i's draws come from the ChaCha8 stream (seed, i) alone.
//!   Paths run in fixed chunks of `CHUNK` on rayon's threads; rows are handed over
//!   in index order; histograms merge exactly (integer counts). The same seed gives
//!   the same bytes for any number of threads.
//!
//! Pure: no I/O. The caller owns files, the progress bar and the thread pool
//! (`run` uses the rayon pool it is called in).

pub mod aggregate;
pub mod bootstrap;
pub mod exp;
pub mod gbm;
pub mod histogram;
pub mod impact;
pub mod in_order;
pub mod params;
pub mod path;
pub mod quantize;
pub mod source;

use std::sync::Mutex;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::engine::{Engine, Observer, Prepared, Progress};
use crate::error::ModelError;
use crate::money::Shares;
use crate::scenario::Scenario;

use aggregate::{DayAggregate, PathFigures, PathOutcome, TotalsAggregate};
use bootstrap::Bootstrap;
use gbm::Gbm;
use in_order::InOrder;
use params::{Model, Settings};
use path::{Close, Generator, PathBuffers};
use source::Source;

/// Paths per chunk: the unit of parallel work and of progress.
pub const CHUNK: usize = 64;
/// Paths a thread gathers before adding their days to its histograms: one pass
/// over the histograms (777 dates × 2, megabytes) per group, so the larger the
/// group the fewer cache misses per value (the profile: 4.9% of the run with 64,
/// 2.4% with 256). Independent of `CHUNK`, so the work stays finely divided.
pub const GROUP: usize = 256;

/// Generated days rendered at a time for an engine that takes its bars in blocks
/// (`Engine::with_bars`): days after the engine comes to rest (notes gone, holder
/// sold out) are never rendered into bars.
const BAR_BLOCK: usize = 64;

/// Chunks whose rows may wait for an earlier chunk, per thread: enough that a
/// thread rarely waits for a slow chunk of another, while the rows waiting in
/// memory stay bounded (`CHUNK` × `AHEAD` × threads of them).
const AHEAD: u64 = 4;

/// Everything a run needs, validated.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    pub scenario: &'a Scenario,
    pub source: &'a Source,
    pub settings: &'a Settings,
}

impl Plan<'_> {
    fn generator(&self) -> Generator {
        match &self.settings.model {
            Model::Gbm { drift, volatility } => {
                Generator::Gbm(Gbm::new(drift.value, volatility.value))
            }
            Model::Bootstrap { block } => Generator::Bootstrap(Bootstrap { block: block.value }),
        }
    }
}

/// What a run found, for percentiles.csv, summary.json and the fan chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The trading days of the window, one per generated day.
    pub dates: Vec<NaiveDate>,
    pub days: DayAggregate,
    pub totals: TotalsAggregate,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum RunError<E> {
    /// The engine failed on a path (a number left the exact range); the message
    /// names the path.
    Model(ModelError),
    /// The caller's row sink failed (a write).
    Sink(E),
}

/// What a chunk gives back: its rows, or the first error among its paths.
type ChunkRows<R> = Result<Vec<(PathFigures, R)>, ModelError>;

/// Runs every path on the current rayon pool. Each path's outcome goes through
/// `prepare` on the thread that ran it (formatting a row there keeps the one
/// sequential step short), and the results reach `sink` in index order; `progress`
/// hears the number of paths finished as chunks finish (from any thread).
///
/// Every pool thread takes the next chunk as soon as it is done with one; each
/// chunk's rows are handed to `sink` (and the totals) as soon as every chunk
/// before it has been (`InOrder`), so writing overlaps computing and no thread
/// waits at a batch's end.
pub fn run<R, E>(
    plan: &Plan,
    progress: &(dyn Fn(u64) + Sync),
    prepare: impl Fn(&PathOutcome) -> R + Sync,
    sink: impl FnMut(R) -> Result<(), E> + Send,
) -> Result<Outcome, RunError<E>>
where
    R: Send,
    E: Send,
{
    let days = plan.source.days();
    let paths = plan.settings.paths;
    let start = plan.scenario.start;
    let generator = plan.generator();
    // Terms, schedules and calendar: the same for every path (they share dates).
    let prepared = Prepared::new(plan.scenario, &PathBuffers::new(plan.source).path);
    let prepared = &prepared;
    let threads = rayon::current_num_threads();
    // One aggregate per pool thread: a chunk adds to its thread's, uncontended.
    let per_thread: Vec<Mutex<ThreadDays>> = (0..threads)
        .map(|_| Mutex::new(ThreadDays::new(days)))
        .collect();
    let chunks = paths.div_ceil(CHUNK as u64);
    let order: InOrder<ChunkRows<R>> = InOrder::new(chunks, AHEAD * threads as u64);
    // The rows' consumer: in index order, so the first failing path is the one
    // reported and the totals are added in the same order, whatever the threads.
    let consumer = Mutex::new(Rows {
        sink,
        totals: TotalsAggregate::new(),
        failed: None,
    });
    rayon::broadcast(|_| {
        let mut worker = Worker::new(plan, prepared, generator);
        while let Some(c) = order.take() {
            let rows = worker.chunk(c, &per_thread).map(|outcomes| {
                progress(outcomes.len() as u64);
                outcomes
                    .iter()
                    .map(|o| (PathFigures::of(o, start), prepare(o)))
                    .collect()
            });
            order.put(c, rows, &consumer, Rows::take);
        }
        // The thread's last, partial group goes into its histograms here, on
        // every thread at once, rather than one after another once all are done.
        ThreadDays::of(&per_thread).flush();
    });
    let Rows { totals, failed, .. } = consumer.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = failed {
        return Err(e);
    }
    debug_assert_eq!(order.consumed(), chunks);

    // The first thread's histograms take the others' (merging is exact and
    // order-free; starting from the first spares a copy of its 1,554). Every
    // pool thread ran the broadcast, so each has flushed its last group.
    let mut day_totals: Option<DayAggregate> = None;
    for m in per_thread {
        let t = m.into_inner().unwrap_or_else(|e| e.into_inner());
        debug_assert_eq!(t.filled, 0);
        match day_totals.as_mut() {
            None => day_totals = Some(t.days),
            Some(all) => all.merge(&t.days),
        }
    }
    Ok(Outcome {
        dates: plan.source.dates().collect(),
        days: day_totals.unwrap_or_else(|| DayAggregate::new(days)),
        totals,
    })
}

/// What takes the chunks' rows, in index order: the totals, and the caller's sink.
struct Rows<S, E> {
    sink: S,
    totals: TotalsAggregate,
    /// Why the run stopped: the first failing path in index order, or the sink.
    failed: Option<RunError<E>>,
}

impl<S, E> Rows<S, E> {
    /// Takes a chunk's rows; false to stop the run.
    fn take<R>(&mut self, chunk: ChunkRows<R>) -> bool
    where
        S: FnMut(R) -> Result<(), E>,
    {
        let rows = match chunk {
            Ok(rows) => rows,
            Err(e) => {
                self.failed = Some(RunError::Model(e));
                return false;
            }
        };
        for (figures, row) in rows {
            self.totals.add(&figures);
            if let Err(e) = (self.sink)(row) {
                self.failed = Some(RunError::Sink(e));
                return false;
            }
        }
        true
    }
}

/// Where a path's per-day values go in its thread's group buffers: day t at
/// `slot·days + t` (path-major: a running path writes one contiguous run, where
/// date-major writes touched a new cache line every day; see
/// `DayAggregate::add_paths` for the read).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub slot: usize,
    pub days: usize,
}

impl Column {
    #[inline]
    pub fn at(self, t: usize) -> usize {
        self.slot * self.days + t
    }

    /// The path's whole run of days.
    pub fn range(self) -> std::ops::Range<usize> {
        self.slot * self.days..(self.slot + 1) * self.days
    }
}

/// A pool thread's per-date histograms and the group of paths waiting to go in.
struct ThreadDays {
    days: DayAggregate,
    /// Up to `GROUP` paths' days, path-major (`Column`).
    outstanding: Vec<Shares>,
    close: Vec<f64>,
    filled: usize,
}

impl ThreadDays {
    fn new(days: usize) -> ThreadDays {
        ThreadDays {
            days: DayAggregate::new(days),
            outstanding: vec![0; GROUP * days],
            close: vec![0.0; GROUP * days],
            filled: 0,
        }
    }

    /// The current pool thread's own (locked: only that thread takes it, so
    /// it is never waited on).
    fn of(per_thread: &[Mutex<ThreadDays>]) -> std::sync::MutexGuard<'_, ThreadDays> {
        let slot = rayon::current_thread_index().unwrap_or(0) % per_thread.len();
        per_thread[slot].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next free column, adding the full group to the histograms first.
    fn column(&mut self) -> Column {
        if self.filled == GROUP {
            self.flush();
        }
        self.filled += 1;
        Column {
            slot: self.filled - 1,
            days: self.days.outstanding.len(),
        }
    }

    fn flush(&mut self) {
        if self.filled > 0 {
            self.days
                .add_paths(self.filled, &self.outstanding, &self.close);
            self.filled = 0;
        }
    }
}

/// The observer of a run without price impact: the shares outstanding per trading
/// day and the last close, nothing else (`FULL = false`: no rows, no events).
struct DayTap<'a> {
    first: usize,
    outstanding: &'a mut [Shares],
    column: Column,
    seen: usize,
    last_close: Decimal,
}

impl<'a> DayTap<'a> {
    /// A tap writing to `column` of the group's buffer; bar `first` is day 0.
    fn new(first: usize, outstanding: &'a mut [Shares], column: Column) -> DayTap<'a> {
        DayTap {
            first,
            outstanding,
            column,
            seen: 0,
            last_close: Decimal::ZERO,
        }
    }

    /// `finish` for the run this tap heard, `last_close` the close its row reports.
    fn finish<T>(self, engine: &Engine, r: Result<T, ModelError>, last_close: Decimal) -> Finished {
        let column = self.column;
        finish(
            engine,
            r,
            self.seen,
            last_close,
            self.outstanding,
            column,
            column.days,
        )
    }
}

impl Observer for DayTap<'_> {
    const FULL: bool = false;
    #[inline]
    fn trading_day(&mut self, index: usize, _date: NaiveDate, outstanding: Shares, close: Decimal) {
        let t = index - self.first;
        self.outstanding[self.column.at(t)] = outstanding;
        self.seen = t + 1;
        self.last_close = close;
    }
}

/// One thread's buffers, reused from path to path.
struct Worker<'a> {
    plan: &'a Plan<'a>,
    prepared: &'a Prepared<'a>,
    generator: Generator,
    buf: PathBuffers,
    impact: impact::ImpactBuffers,
    /// The engine takes the path's bars in blocks (`run_in_blocks`).
    in_blocks: bool,
}

impl<'a> Worker<'a> {
    fn new(plan: &'a Plan<'a>, prepared: &'a Prepared<'a>, generator: Generator) -> Worker<'a> {
        let days = plan.source.days();
        Worker {
            plan,
            prepared,
            generator,
            buf: PathBuffers::new(plan.source),
            impact: impact::ImpactBuffers::new(days),
            in_blocks: prepared.takes_bars_in_blocks(),
        }
    }

    /// Runs chunk `c`'s paths in order; their days go to this thread's group.
    fn chunk(
        &mut self,
        c: u64,
        per_thread: &[Mutex<ThreadDays>],
    ) -> Result<Vec<PathOutcome>, ModelError> {
        let lo = c * CHUNK as u64;
        let hi = (lo + CHUNK as u64).min(self.plan.settings.paths);
        // Held for the whole chunk.
        let mut mine = ThreadDays::of(per_thread);
        let mut rows = Vec::with_capacity((hi - lo) as usize);
        for index in lo..hi {
            let column = mine.column();
            rows.push(self.path(index, &mut mine, column)?);
        }
        Ok(rows)
    }

    /// Draws, renders and runs path `index`; its days go to `column` of the
    /// thread's group buffers.
    fn path(
        &mut self,
        index: u64,
        group: &mut ThreadDays,
        column: Column,
    ) -> Result<PathOutcome, ModelError> {
        let plan = self.plan;
        let src = plan.source;
        self.buf
            .draw(src, &self.generator, plan.settings.seed.value, index);
        let outstanding = &mut group.outstanding[..];
        let k = plan.settings.impact.value;
        let (engine_result, runs) = if k > 0.0 {
            impact::run_consistent(
                self.prepared,
                src,
                k,
                &mut self.buf,
                &mut self.impact,
                outstanding,
                column,
            )
        } else if self.in_blocks {
            (self.run_in_blocks(outstanding, column), 1)
        } else {
            self.buf.render(src, None);
            let mut engine = Engine::new(self.prepared, &self.buf.path);
            let mut tap = DayTap::new(src.first, outstanding, column);
            let r = engine.run_until(&mut tap, usize::MAX);
            let last_close = window_close(&tap, &r, engine.bars());
            (tap.finish(&engine, r, last_close), 1)
        };
        group.close[column.range()].copy_from_slice(&self.buf.close);
        let (totals, close_end, stopped_on) = engine_result.map_err(|e| in_path(e, index))?;
        Ok(PathOutcome {
            index,
            totals,
            close_end,
            stopped_on,
            runs,
        })
    }

    /// Renders the drawn path `BAR_BLOCK` days at a time as the engine reaches
    /// them, and runs it: the same run as rendering every day first, without the
    /// bars of the days after the engine comes to rest. The closes of every day
    /// are drawn all the same (the percentiles need them).
    fn run_in_blocks(&mut self, outstanding: &mut [Shares], column: Column) -> Finished {
        let src = self.plan.source;
        let (first, days) = (src.first, src.days());
        self.buf.render_closes(src, None);
        let mut bars = std::mem::take(&mut self.buf.path.bars);
        let total = bars.len();
        let mut ready = (first + BAR_BLOCK).min(total);
        // A light run reads no close but the window's last (the row's close_end)
        // or the one of the day it stops on; both come from `close_of`.
        self.buf
            .fill_bars(src, 0, &mut bars[first..ready], Close::Skip);
        let mut engine = Engine::with_bars(self.prepared, bars, ready, quantize::MAX_SCALE);
        let mut tap = DayTap::new(first, outstanding, column);
        let r = loop {
            match engine.run_until(&mut tap, ready) {
                Ok(Progress::NeedsBars) => {
                    let next = (ready + BAR_BLOCK).min(total);
                    let fill = &mut engine.bars_to_fill(ready)[..next - ready];
                    self.buf.fill_bars(src, ready - first, fill, Close::Skip);
                    ready = next;
                }
                done => break done,
            }
        };
        let last_close = match (&r, tap.seen) {
            (Ok(_), _) => self.buf.close_of(days - 1),
            (Err(_), 0) => tap.last_close,
            (Err(_), seen) => self.buf.close_of(seen - 1),
        };
        let result = tap.finish(&engine, r, last_close);
        self.buf.path.bars = engine.into_bars();
        result
    }
}

/// The close a path's row reports: the window's last, or the day the engine
/// stopped on (`on_shortfall = "error"`).
fn window_close(
    tap: &DayTap,
    r: &Result<Progress, ModelError>,
    bars: &[crate::market::Bar],
) -> Decimal {
    match r {
        Err(_) => tap.last_close,
        Ok(_) => bars.last().map_or(tap.last_close, |b| b.close),
    }
}

/// What a finished (or stopped) engine run leaves: its totals, the last close it
/// read and the date it stopped at. A shortfall with `on_shortfall = "error"`
/// stops the path, not the simulation: it is an outcome (the authorized shares ran
/// out), counted in summary.json; the days after it keep the last count.
pub(crate) type Finished = Result<(crate::engine::Totals, Decimal, Option<NaiveDate>), ModelError>;

pub(crate) fn finish<T>(
    engine: &Engine,
    r: Result<T, ModelError>,
    seen: usize,
    last_close: Decimal,
    outstanding: &mut [Shares],
    column: Column,
    days: usize,
) -> Finished {
    let stopped_on = match r {
        Ok(_) => None,
        Err(ModelError::Shortfall { date, .. }) => Some(date),
        Err(e) => return Err(e),
    };
    let totals = engine.totals();
    for t in seen..days {
        outstanding[column.at(t)] = totals.outstanding_end;
    }
    Ok((totals, last_close, stopped_on))
}

/// Names the path in an engine error (the one variant that stops a simulation).
fn in_path(e: ModelError, index: u64) -> ModelError {
    match e {
        ModelError::Overflow { date, note, what } => ModelError::Overflow {
            date,
            note,
            what: format!("{what} (simulated path {index})"),
        },
        other => other,
    }
}

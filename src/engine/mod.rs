//! The engine: every note, day by day, over a price path (MODEL.md §1-7, §9).
//!
//! `simulate(&Scenario, &PricePath) -> Simulation` is pure: no file, no clock, no
//! stdout. The day runs in MODEL.md §6's order: (1) corporate actions at the open;
//! (2) issues and tranche decisions, then installments and maturities; (3) on
//! trading days the holder's sales, then conversions; (4) the row. Monte Carlo runs
//! the same `Engine` with a lighter `Observer`, which lets a run stop once it is at
//! rest (no note open or to come, nothing left to sell: `Engine::at_rest`), and can
//! hand it a path's bars a block at a time (`Engine::with_bars`, `run_until`).

pub mod market;
pub mod note;
pub mod types;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

use crate::error::ModelError;
use crate::exact::Exact;
use crate::market::PricePath;
use crate::money::{self, Cap, Shares, shares_for};
use crate::scenario::Scenario;
use crate::terms::{ActionKind, OnShortfall, Policy, Repayment};
use market::Market;
use note::{Instrument, Ledger, NoteBook, contractual_schedule};
pub use types::*;

/// Receives what the engine produces. `FULL` observers get every event and a full
/// row per trading day; lighter ones (Monte Carlo) get only `trading_day`.
pub trait Observer {
    const FULL: bool;
    fn event(&mut self, _e: Event) {}
    fn row(&mut self, _row: DayRow) {}
    /// Called on every trading day in the window, after the day's conversions.
    fn trading_day(
        &mut self,
        _index: usize,
        _date: NaiveDate,
        _outstanding: Shares,
        _close: Decimal,
    ) {
    }
}

/// Keeps everything: what `run` reports.
#[derive(Default)]
pub struct Recorder {
    pub events: Vec<Event>,
    pub days: Vec<DayRow>,
}

impl Observer for Recorder {
    const FULL: bool = true;
    fn event(&mut self, e: Event) {
        self.events.push(e);
    }
    fn row(&mut self, row: DayRow) {
        self.days.push(row);
    }
}

/// Hands an event to a full observer. A light one takes none, so for it the
/// event is not even built (its decimals cost conversions).
#[inline(always)]
fn emit<O: Observer>(obs: &mut O, make: impl FnOnce() -> Event) {
    if O::FULL {
        obs.event(make());
    }
}

/// Runs a scenario over a price path and keeps everything.
pub fn simulate(s: &Scenario, path: &PricePath) -> Result<Simulation, ModelError> {
    // Room for every row, and a few events a day, up front.
    let days = path.bars.len();
    let mut rec = Recorder {
        events: Vec::with_capacity(days * 3),
        days: Vec::with_capacity(days),
    };
    let prepared = Prepared::new(s, path);
    let mut engine = Engine::new(&prepared, path);
    engine.run(&mut rec)?;
    Ok(engine.finish(rec))
}

/// What the engine derives from a scenario and a path's calendar before reading
/// any price: every instrument's terms (the notes, then the tranches), payment
/// dates and level payment, and the dates to process. Monte Carlo prepares once
/// and runs every generated path on it (they share the source path's dates).
#[derive(Debug, Clone)]
pub struct Prepared<'s> {
    s: &'s Scenario,
    instruments: Vec<Instrument>,
    /// The bars' dates this was prepared for (a path run on it must have them).
    bar_dates: usize,
    calendar: Vec<(NaiveDate, Option<usize>, bool)>,
    /// Per calendar entry, the trading days after it (counted, not run, once the
    /// engine is at rest).
    trading_after: Vec<usize>,
    /// The last date in the window on which a note can be issued, a tranche be
    /// decided or a corporate action fall: after it, only the notes already
    /// issued and the holder's shares can change anything.
    last_scheduled_change: Option<NaiveDate>,
}

impl<'s> Prepared<'s> {
    pub fn new(s: &'s Scenario, path: &PricePath) -> Prepared<'s> {
        let instruments: Vec<Instrument> = s.all_notes().into_iter().map(Instrument::new).collect();
        let calendar = calendar(s, &instruments, &path.bars);
        let mut trading_after = vec![0; calendar.len()];
        for k in (0..calendar.len().saturating_sub(1)).rev() {
            trading_after[k] = trading_after[k + 1] + usize::from(calendar[k + 1].1.is_some());
        }
        let last_scheduled_change = s
            .notes
            .iter()
            .map(|n| n.issue.max(s.start))
            .chain(s.tranches.iter().map(|t| t.date))
            .chain(s.actions.iter().map(|a| a.date))
            .filter(|d| *d >= s.start && *d <= s.end)
            .max();
        Prepared {
            s,
            instruments,
            bar_dates: path.bars.len(),
            calendar,
            trading_after,
            last_scheduled_change,
        }
    }

    /// Whether a path's bars can be handed to the engine a block at a time
    /// (`Engine::with_bars`): no split rewrites bars (their adjustment reads the
    /// whole path), and the VWAP sums keep a scale fixed by the terms alone.
    pub fn takes_bars_in_blocks(&self) -> bool {
        let c = &self.s.conversion;
        !self
            .s
            .actions
            .iter()
            .any(|a| matches!(a.kind, ActionKind::Split { .. }))
            && (c.vwap_days == 0 || exact_ratio(c.discount, c.vwap_days).is_some())
    }
}

/// Where a run stopped (`Engine::run_until`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Every date of the window is done.
    Finished,
    /// A light observer's run reached a state in which no later day can change
    /// anything but the count of trading days, which is added (see `at_rest`). The
    /// observer heard trading days up to and including bar `.0`.
    AtRest(usize),
    /// Stopped before the first trading day whose bar is not ready.
    NeedsBars,
}

/// The dates to process: trading days in [start, end] (with their bar index)
/// merged with every scheduled date in the window.
/// Each entry says whether the date is scheduled (an issue, tranche, payment or
/// action falls on it): other dates skip step (1) and (2) entirely.
fn calendar(
    s: &Scenario,
    instruments: &[Instrument],
    bars: &[crate::market::Bar],
) -> Vec<(NaiveDate, Option<usize>, bool)> {
    let (start, end) = (s.start, s.end);
    let mut scheduled: Vec<NaiveDate> = Vec::new();
    for i in instruments {
        scheduled.push(i.terms.issue.max(start));
        scheduled.extend(i.dates.iter().copied());
    }
    scheduled.extend(s.actions.iter().map(|a| a.date));
    scheduled.retain(|d| *d >= start && *d <= end);
    scheduled.sort_unstable();
    scheduled.dedup();

    let first = bars.partition_point(|b| b.date < start);
    let last = bars.partition_point(|b| b.date <= end);
    let mut out = Vec::with_capacity(last - first + scheduled.len());
    let (mut i, mut j) = (first, 0);
    while i < last || j < scheduled.len() {
        let bar = (i < last).then(|| bars[i].date);
        let sch = scheduled.get(j).copied();
        match (bar, sch) {
            (Some(b), Some(s)) if b == s => {
                out.push((b, Some(i), true));
                i += 1;
                j += 1;
            }
            (Some(b), Some(s)) if b < s => {
                out.push((b, Some(i), false));
                i += 1;
            }
            (Some(b), None) => {
                out.push((b, Some(i), false));
                i += 1;
            }
            (_, Some(s)) => {
                out.push((s, None, true));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// The $1.00 minimum-bid tracker (MODEL.md §7, §9).
#[derive(Debug, Clone, Default)]
struct BidTracker {
    below: u32,
    above: u32,
    deficient: bool,
}

const BID_DAYS_TO_DEFICIENCY: u32 = 30;
const BID_DAYS_TO_COMPLIANCE: u32 = 10;
const BID_COMPLIANCE_PERIOD_DAYS: i64 = 180;

/// `discount ÷ n` if it is an exact decimal (n divides a power of ten that fits).
fn exact_ratio(discount: Decimal, n: usize) -> Option<Decimal> {
    if n == 0 {
        return None;
    }
    let n = n as i128;
    (0..=12u32).find_map(|k| {
        let p = 10i128.pow(k);
        (p % n == 0).then(|| discount * Decimal::from_i128_with_scale(p / n, k))
    })
}

/// Prefix sums of a path's VWAPs, each brought to the path's largest VWAP scale:
/// `sums[i]` is the sum of bars `0..i`. A window's sum is then
/// `sums[end] − sums[start]`, the same value as adding its decimals (exact
/// integers), at a fixed cost whatever the window's length.
#[derive(Debug, Clone)]
struct VwapSums {
    sums: Vec<i128>,
    scale: u32,
}

impl VwapSums {
    /// The most places worth keeping: the sum's scale is carried by the price and
    /// every amount converted, which stay in `Exact`'s fast range below this.
    const MAX_SCALE: u32 = 15;

    /// `scale`: the places to keep the sums on if the VWAPs have no more (the
    /// conversion price then lands on the engine's common scale). `bars` are the
    /// bars known now; `later`, the most places of any bar still to come.
    /// The sums are empty: `extend` adds them.
    fn plan(
        bars: &[crate::market::Bar],
        later: Option<u32>,
        vwap_days: usize,
        scale: Option<u32>,
    ) -> Option<VwapSums> {
        if vwap_days == 0 {
            return None;
        }
        let most = bars.iter().map(|b| b.vwap.scale()).chain(later).max()?;
        if most > Self::MAX_SCALE {
            return None;
        }
        let scale = scale.unwrap_or(most).max(most);
        let mut sums = Vec::with_capacity(bars.len() + 1);
        sums.push(0);
        Some(VwapSums { sums, scale })
    }

    /// Adds the sums up to the end of `bars` (those not summed yet). `None` when a
    /// sum leaves the integers or a VWAP has more places than planned for: the
    /// engine then adds the window's decimals instead.
    fn extend(&mut self, bars: &[crate::market::Bar]) -> Option<()> {
        let mut total = *self.sums.last()?;
        for b in bars.get(self.sums.len() - 1..)? {
            let v = Exact::from(b.vwap);
            if v.scale() > self.scale {
                return None;
            }
            total = total.checked_add(v.on_scale(self.scale)?)?;
            self.sums.push(total);
        }
        Some(())
    }

    #[inline]
    fn window(&self, w: &std::ops::Range<usize>) -> Option<Exact> {
        Exact::new(self.sums[w.end] - self.sums[w.start], self.scale)
    }
}

/// A simulation in progress.
pub struct Engine<'a> {
    s: &'a Scenario,
    prepared: &'a Prepared<'a>,
    market: Market<'a>,
    /// Every note that can exist: the scenario's notes, then the tranches.
    books: Vec<NoteBook<'a>>,
    issued: Vec<bool>,
    closed_on: Vec<Option<NaiveDate>>,
    /// Issued, open notes in conversion order: earliest maturity, then id.
    order: Vec<usize>,
    outstanding: Shares,
    holder: Shares,
    named: Vec<Shares>,
    authorized: Shares,
    reserved: Vec<Shares>,
    /// Their sum (it changes only with a split), for the headroom each conversion reads.
    reserved_total: i128,
    issued_total: Shares,
    ratio_product: u128,
    fixed_price: Option<Exact>,
    floor: Option<Exact>,
    cash_paid: Exact,
    converted_total: Exact,
    sold_total: Shares,
    proceeds_total: Exact,
    tranches_closed: Vec<String>,
    tranches_skipped: Vec<String>,
    last_conversion: Option<NaiveDate>,
    /// The peak holder fraction as (held, outstanding, date): compared by
    /// cross-multiplication so that no division runs per day.
    peak: (Shares, Shares, Option<NaiveDate>),
    shortfall_days: usize,
    trading_days: usize,
    bid: BidTracker,
    /// Scratch for the day's per-note capacity (kept to avoid an allocation a day).
    capacity: Vec<(usize, Shares)>,
    /// discount ÷ vwap_days when that is an exact decimal (5 days: × 0.17), so the
    /// VWAP component needs a multiplication rather than a division.
    vwap_scale: Option<Exact>,
    /// Running sums of the VWAPs as integers on one scale, so that a window's sum
    /// is one subtraction (`VwapSums`); `None` where a split rescales look-backs
    /// or the path's VWAPs have too many places for it to pay.
    vwap_sums: Option<VwapSums>,
    /// The scenario's par value and sell share, as the engine computes with them.
    par: Exact,
    sell_share: Exact,
    /// The next calendar entry to run.
    cursor: usize,
    /// The ownership cap's integers (`None` for a cap of 1 or more, an error
    /// on the first conversion, as `cap_room` gives).
    cap: Option<Cap>,
}

/// What one trading day did, for its row.
#[derive(Default)]
struct DayFlow {
    price: Option<Exact>,
    converted: Shares,
    amount: Exact,
    sold: Shares,
    proceeds: Exact,
}

impl<'a> Engine<'a> {
    /// An engine at `start`, for a path with the dates `prepared` was made for.
    pub fn new(prepared: &'a Prepared<'a>, path: &'a PricePath) -> Engine<'a> {
        debug_assert_eq!(prepared.bar_dates, path.bars.len());
        let market = Market::new(path, &prepared.s.actions);
        Engine::on(prepared, market, path.bars.len(), None)
    }

    /// An engine that owns its bars, of which only the first `ready` hold values
    /// yet; the rest are filled through `bars_to_fill` as the run needs them
    /// (Monte Carlo renders a path's days only as far as the engine reads).
    /// `later_scale`: the most places any bar still to come will have. Only for
    /// scenarios that `takes_bars_in_blocks`.
    pub fn with_bars(
        prepared: &'a Prepared<'a>,
        bars: Vec<crate::market::Bar>,
        ready: usize,
        later_scale: u32,
    ) -> Engine<'a> {
        debug_assert_eq!(prepared.bar_dates, bars.len());
        debug_assert!(prepared.takes_bars_in_blocks());
        Engine::on(prepared, Market::owning(bars), ready, Some(later_scale))
    }

    fn on(
        prepared: &'a Prepared<'a>,
        market: Market<'a>,
        ready: usize,
        later_scale: Option<u32>,
    ) -> Engine<'a> {
        let s = prepared.s;
        let books: Vec<NoteBook> = prepared.instruments.iter().map(NoteBook::new).collect();
        let n = books.len();
        let vwap_scale =
            exact_ratio(s.conversion.discount, s.conversion.vwap_days).map(Exact::from);
        // Look-backs across a split are rescaled day by day: no running sums then.
        let vwap_sums = if market.has_splits() {
            None
        } else {
            // Planned on the bars known now; `run_until` sums them as it goes.
            VwapSums::plan(
                &market.bars[..ready],
                later_scale,
                s.conversion.vwap_days,
                vwap_scale.and_then(|m| note::INTEREST_DP.checked_sub(m.scale())),
            )
        };
        Engine {
            s,
            prepared,
            market,
            books,
            issued: vec![false; n],
            closed_on: vec![None; n],
            order: Vec::with_capacity(n),
            outstanding: s.company.outstanding,
            holder: s.holder.shares,
            named: s.holders.iter().map(|h| h.shares).collect(),
            authorized: s.company.authorized,
            reserved: s.company.reserved.iter().map(|r| r.shares).collect(),
            reserved_total: s.company.reserved.iter().map(|r| r.shares as i128).sum(),
            issued_total: 0,
            ratio_product: 1,
            fixed_price: s.conversion.fixed_price.map(note::amount),
            floor: s.conversion.floor.map(note::amount),
            cash_paid: Exact::ZERO,
            converted_total: Exact::ZERO,
            sold_total: 0,
            proceeds_total: Exact::ZERO,
            tranches_closed: Vec::new(),
            tranches_skipped: Vec::new(),
            last_conversion: None,
            peak: (0, 1, None),
            shortfall_days: 0,
            trading_days: 0,
            bid: BidTracker::default(),
            capacity: Vec::new(),
            vwap_scale,
            vwap_sums,
            par: note::amount(s.company.par_value),
            sell_share: Exact::from(s.holder.sell_share),
            cursor: 0,
            cap: Cap::new(s.conversion.cap),
        }
    }

    /// Runs every date of the window (or, for a light observer, until at rest).
    pub fn run<O: Observer>(&mut self, obs: &mut O) -> Result<(), ModelError> {
        self.run_until(obs, usize::MAX).map(|_| ())
    }

    /// The bars from `from` on, to fill before running further (`with_bars`).
    pub fn bars_to_fill(&mut self, from: usize) -> &mut [crate::market::Bar] {
        &mut self.market.bars.to_mut()[from..]
    }

    /// The bars as the engine reads them (split-adjusted).
    pub fn bars(&self) -> &[crate::market::Bar] {
        &self.market.bars
    }

    /// The bars back, once the run is over (`with_bars`).
    pub fn into_bars(self) -> Vec<crate::market::Bar> {
        self.market.bars.into_owned()
    }

    /// Runs the window from where it stopped, up to the first trading day whose
    /// bar is `ready` or later (bars before `ready` must hold their values). A
    /// light observer's run also stops once the engine is at rest: the trading
    /// days left are counted and nothing else can change (see `at_rest`).
    pub fn run_until<O: Observer>(
        &mut self,
        obs: &mut O,
        ready: usize,
    ) -> Result<Progress, ModelError> {
        let prepared = self.prepared;
        let ready_bars = &self.market.bars[..ready.min(self.market.bars.len())];
        if let Some(v) = self.vwap_sums.as_mut()
            && v.extend(ready_bars).is_none()
        {
            self.vwap_sums = None;
        }
        // Dates on or after the first bar not ready wait (a tranche test reads
        // the bars before its date).
        let wait_from = self.market.bars.get(ready).map(|b| b.date);
        while let Some(&(date, bar, scheduled)) = prepared.calendar.get(self.cursor) {
            if wait_from.is_some_and(|w| date >= w) {
                return Ok(Progress::NeedsBars);
            }
            self.cursor += 1;
            if scheduled {
                self.corporate_actions(date, obs)?;
                self.issues_and_tranches(date, obs);
                self.payments(date, obs);
            }
            if let Some(i) = bar {
                let flow = self.trade(date, i, obs)?;
                // The tracker only writes events; a light observer takes none.
                if O::FULL {
                    self.bid_tracker(date, i, obs);
                }
                self.trading_days += 1;
                let (h, o) = (self.holder as u128, self.outstanding as u128);
                if self.peak.2.is_none() || h * self.peak.1 as u128 > self.peak.0 as u128 * o {
                    self.peak = (self.holder, self.outstanding, Some(date));
                }
                obs.trading_day(i, date, self.outstanding, self.market.bars[i].close);
                if O::FULL {
                    obs.row(self.row(date, i, &flow));
                } else if self.at_rest(date) {
                    self.trading_days += prepared.trading_after[self.cursor - 1];
                    self.cursor = prepared.calendar.len();
                    return Ok(Progress::AtRest(i));
                }
            }
        }
        Ok(Progress::Finished)
    }

    /// After the day `date`, nothing a later day brings can change a total: no
    /// note is open, none can still be issued (issues, tranche decisions) and no
    /// corporate action is to come, and the holder has nothing to sell (or does
    /// not sell). Shares outstanding, the holder's stake (so its peak), cash and
    /// every ledger stay as they are; only the rows and the $1.00 tracker, which
    /// a light observer does not take, would go on.
    fn at_rest(&self, date: NaiveDate) -> bool {
        self.order.is_empty()
            && (self.holder == 0 || self.s.holder.policy == Policy::Hold)
            && self
                .prepared
                .last_scheduled_change
                .is_none_or(|d| d <= date)
    }

    /// Out of line and cold: the engine's amounts never get here, and the many
    /// call sites in the day loop then carry only a call.
    #[cold]
    #[inline(never)]
    fn overflow(date: NaiveDate, note: Option<&str>, what: &str) -> ModelError {
        ModelError::Overflow {
            date,
            note: note.map(str::to_string),
            what: what.to_string(),
        }
    }

    /// Step 1: splits and authorized-share changes at the open, in file order.
    fn corporate_actions<O: Observer>(
        &mut self,
        date: NaiveDate,
        obs: &mut O,
    ) -> Result<(), ModelError> {
        let s = self.s;
        for a in s.actions.iter().filter(|a| a.date == date) {
            match a.kind {
                ActionKind::Split {
                    ratio: k,
                    post_split_factor,
                    adjust_prices,
                } => {
                    // Every holder of record rounds up (the proxy); the unnamed float
                    // rounds up as one holder; pools round down per grant (MODEL.md §9).
                    let named_before: Shares = self.named.iter().sum();
                    let float = self
                        .outstanding
                        .saturating_sub(self.holder)
                        .saturating_sub(named_before);
                    self.holder = money::ceil_div(self.holder, k);
                    for n in &mut self.named {
                        *n = money::ceil_div(*n, k);
                    }
                    let float = money::ceil_div(float, k);
                    self.outstanding = self.holder + self.named.iter().sum::<Shares>() + float;
                    for r in &mut self.reserved {
                        *r /= k;
                    }
                    self.reserved_total = self.reserved.iter().map(|&r| r as i128).sum();
                    // Price-based terms × k (MODEL.md §9). Checked: an absurd ratio on
                    // a large fixed price is a model error naming the date, not a panic.
                    let kd = Exact::from(k);
                    let scale = |p: Option<Exact>, what: &str| match p {
                        Some(p) => p
                            .checked_mul(kd)
                            .map(Some)
                            .ok_or_else(|| Self::overflow(date, None, what)),
                        None => Ok(None),
                    };
                    self.fixed_price = scale(self.fixed_price, "fixed price after the split")?;
                    self.floor = scale(self.floor, "floor price after the split")?;
                    self.ratio_product = self
                        .ratio_product
                        .checked_mul(k as u128)
                        .ok_or_else(|| Self::overflow(date, None, "split ratio product"))?;
                    emit(obs, || Event {
                        date,
                        kind: EventKind::Split {
                            ratio: k,
                            adjust_prices,
                            post_split_factor,
                        },
                        note: None,
                        amount: None,
                        shares: Some(self.outstanding as i128),
                        price: None,
                    });
                }
                ActionKind::Authorize { authorized } => {
                    let previous = self.authorized;
                    self.authorized = authorized;
                    emit(obs, || Event {
                        date,
                        kind: EventKind::Authorize { previous },
                        note: None,
                        amount: None,
                        shares: Some(authorized as i128),
                        price: None,
                    });
                }
            }
        }
        Ok(())
    }

    fn issue<O: Observer>(&mut self, idx: usize, date: NaiveDate, obs: &mut O) {
        self.issued[idx] = true;
        emit(obs, || Event {
            date,
            kind: EventKind::Issue,
            note: Some(idx),
            amount: Some(self.books[idx].terms.principal),
            shares: None,
            price: None,
        });
        let key = |i: usize| (self.books[i].maturity(), self.books[i].terms.id.as_str());
        let k = key(idx);
        let pos = self.order.partition_point(|&o| key(o) < k);
        self.order.insert(pos, idx);
    }

    /// Step 2a: notes issued today (or before start, dated start) and tranche
    /// decisions (MODEL.md §3).
    fn issues_and_tranches<O: Observer>(&mut self, date: NaiveDate, obs: &mut O) {
        let s = self.s;
        for i in 0..s.notes.len() {
            if !self.issued[i] && s.notes[i].issue.max(s.start) == date {
                self.issue(i, date, obs);
            }
        }
        for (j, t) in s.tranches.iter().enumerate() {
            if t.date != date {
                continue;
            }
            let idx = s.notes.len() + j;
            let verdict = match &t.condition {
                None => Ok(()),
                Some(test) => {
                    // Rows strictly before the date; a split's factors cancel in
                    // volume × VWAP, so the adjusted own values serve as they are.
                    let end = self.market.bars.partition_point(|b| b.date < date);
                    if end < test.lookback_days {
                        Err(None)
                    } else {
                        let sum: Decimal = self.market.bars[end - test.lookback_days..end]
                            .iter()
                            .map(|b| b.volume * b.vwap)
                            .sum();
                        let avg = sum / Decimal::from(test.lookback_days as u64);
                        if avg >= test.min {
                            Ok(())
                        } else {
                            Err(Some(avg))
                        }
                    }
                }
            };
            match verdict {
                Ok(()) => {
                    self.tranches_closed.push(t.id.clone());
                    self.issue(idx, date, obs);
                }
                Err(avg) => {
                    self.tranches_skipped.push(t.id.clone());
                    emit(obs, || Event {
                        date,
                        kind: EventKind::TrancheSkipped {
                            min: t.condition.as_ref().map(|c| c.min).unwrap_or_default(),
                            average: avg,
                        },
                        note: Some(idx),
                        amount: avg,
                        shares: None,
                        price: None,
                    });
                }
            }
        }
    }

    /// Step 2b: installments and maturities due today, each followed by its
    /// rounding line.
    fn payments<O: Observer>(&mut self, date: NaiveDate, obs: &mut O) {
        for idx in 0..self.books.len() {
            if !self.issued[idx] || self.books[idx].next_date() != Some(date) {
                continue;
            }
            let pay = self.books[idx].pay_scheduled(date);
            self.cash_paid += pay.cash.to_common_scale(note::INTEREST_DP);
            let bullet = matches!(self.books[idx].terms.repayment, Repayment::Bullet { .. });
            // Decimals only for an observer that takes the events.
            emit(obs, || {
                let pay = pay.to_decimal();
                Event {
                    date,
                    note: Some(idx),
                    amount: Some(pay.cash),
                    shares: None,
                    price: None,
                    kind: if bullet {
                        EventKind::Maturity(pay)
                    } else {
                        EventKind::Installment(pay)
                    },
                }
            });
            if !pay.rounding.is_zero() {
                emit(obs, || Event {
                    date,
                    kind: EventKind::Rounding,
                    note: Some(idx),
                    amount: Some(pay.rounding.into()),
                    shares: None,
                    price: None,
                });
            }
            if pay.closed {
                self.closed_on[idx] = Some(date);
                self.order.retain(|&o| o != idx);
            }
        }
    }

    /// The conversion price on trading day `i`, before par (MODEL.md §4): the
    /// lowest enabled component, raised to the floor. `None` without history.
    #[inline]
    fn computed_price(&self, i: usize) -> Option<Exact> {
        let c = &self.s.conversion;
        if i < c.history_needed() {
            return None;
        }
        let bars = &self.market.bars;
        let k_t = self.ratio_product;
        let mut price: Option<Exact> = None;
        let mut lowest = |p: Exact| {
            price = Some(match price {
                Some(q) if q <= p => q,
                _ => p,
            })
        };
        if c.vwap_days > 0 {
            let window = i - c.vwap_days..i;
            let sum = match self.vwap_sums.as_ref().and_then(|v| v.window(&window)) {
                Some(sum) => sum,
                None => self.vwap_window_sum(window),
            };
            lowest(match self.vwap_scale {
                Some(m) => sum * m,
                None => {
                    Exact::from(c.discount * Decimal::from(sum) / Decimal::from(c.vwap_days as u64))
                }
            });
        }
        if c.prior_bid {
            lowest(note::amount(Market::scaled(
                bars[i - 1].bid,
                self.market.lookback_factor(k_t, i - 1),
            )));
        }
        if let Some(f) = self.fixed_price {
            lowest(f);
        }
        let price = price?;
        Some(match self.floor {
            Some(f) if price < f => f,
            _ => price,
        })
    }

    /// A VWAP window's sum added bar by bar (each rescaled across a split), where
    /// the running sums do not serve: out of line, off Monte Carlo's path.
    #[cold]
    #[inline(never)]
    fn vwap_window_sum(&self, window: std::ops::Range<usize>) -> Exact {
        let (bars, k_t) = (&self.market.bars, self.ratio_product);
        if self.market.has_splits() {
            window
                .map(|r| {
                    Exact::from(Market::scaled(
                        bars[r].vwap,
                        self.market.lookback_factor(k_t, r),
                    ))
                })
                .sum()
        } else {
            bars[window].iter().map(|b| Exact::from(b.vwap)).sum()
        }
    }

    fn headroom(&self) -> i128 {
        self.authorized as i128 - self.outstanding as i128 - self.reserved_total
    }

    /// Step 3: the conversion price, then the policy's sale and conversion.
    fn trade<O: Observer>(
        &mut self,
        date: NaiveDate,
        i: usize,
        obs: &mut O,
    ) -> Result<DayFlow, ModelError> {
        let mut flow = DayFlow::default();
        let par = self.par;
        // Without rows to fill, the price matters only while a note is open: days
        // when nothing can convert cost little (Monte Carlo).
        let computed = if O::FULL || !self.order.is_empty() {
            self.computed_price(i)
        } else {
            None
        };
        flow.price = computed.map(|computed| {
            if computed < par {
                emit(obs, || Event {
                    date,
                    kind: EventKind::ParFloor {
                        computed: computed.into(),
                    },
                    note: None,
                    amount: None,
                    shares: None,
                    price: Some(par.into()),
                });
                par
            } else {
                computed
            }
        });
        if self.s.holder.policy == Policy::Hold {
            return Ok(flow);
        }

        // Sell first: min(held, floor(sell_share × volume)) at the day's VWAP.
        let bar = &self.market.bars[i];
        let sell = if self.holder == 0 {
            0 // nothing to sell: skip the product
        } else {
            let want = (self.sell_share * Exact::from(bar.volume)).floor_u64();
            want.unwrap_or(u64::MAX).min(self.holder)
        };
        if sell > 0 {
            let proceeds = note::amount(bar.vwap)
                .checked_mul_int(i128::from(sell))
                .ok_or_else(|| Self::overflow(date, None, "sale proceeds"))?;
            self.holder -= sell;
            self.sold_total += sell;
            self.proceeds_total += proceeds;
            flow.sold = sell;
            flow.proceeds = proceeds;
            emit(obs, || Event {
                date,
                kind: EventKind::Sale,
                note: None,
                amount: Some(proceeds.into()),
                shares: Some(sell as i128),
                price: Some(bar.vwap),
            });
        }

        let Some(price) = flow.price else {
            return Ok(flow);
        };

        // Then convert: one budget across notes (MODEL.md §9). Notes are walked in
        // conversion order only as far as the budget needs: the cap usually binds
        // long before the last note, and each note's value costs an accrual.
        let room = self
            .cap
            .and_then(|c| c.room(self.outstanding, self.holder))
            .ok_or_else(|| Self::overflow(date, None, "ownership cap"))?;
        let by_limit = self
            .s
            .holder
            .daily_limit
            .map(|l| shares_for(l, price.into()).unwrap_or(u64::MAX) as i128);
        // With no room, only "is anything convertible?" matters (one share).
        let bound = if room <= 0 {
            1
        } else {
            room.min(by_limit.unwrap_or(i128::MAX)).max(1)
        };
        let mut capacity = std::mem::take(&mut self.capacity);
        capacity.clear();
        let mut total: i128 = 0;
        for &idx in &self.order {
            if total >= bound {
                break;
            }
            let book = &self.books[idx];
            if book.ceiling.is_some_and(|c| price > c) {
                continue;
            }
            // A note worth more than what is left of the budget needs no exact
            // count: a lower bound above the budget takes the same shares (all
            // that is left) and never reads as fully taken.
            let need = bound - total;
            let n = match Shares::try_from(need + 1) {
                Ok(more) if book.covers(price, need) => more,
                _ => book.convertible_shares(date, price).ok_or_else(|| {
                    Self::overflow(date, Some(&book.terms.id), "conversion share count")
                })?,
            };
            if n > 0 {
                capacity.push((idx, n));
                total += n as i128;
            }
        }
        let result = self.convert(
            date, price, room, by_limit, total, &capacity, &mut flow, obs,
        );
        self.capacity = capacity;
        result?;
        Ok(flow)
    }

    /// Conversion proper, given the notes' capacity walked in order (`total` is
    /// their sum, at least the budget unless every note was walked).
    #[allow(clippy::too_many_arguments)]
    fn convert<O: Observer>(
        &mut self,
        date: NaiveDate,
        price: Exact,
        room: i128,
        by_limit: Option<i128>,
        total: i128,
        capacity: &[(usize, Shares)],
        flow: &mut DayFlow,
        obs: &mut O,
    ) -> Result<(), ModelError> {
        if total == 0 {
            return Ok(());
        }
        if room <= 0 {
            emit(obs, || Event {
                date,
                kind: EventKind::CapBlocked {
                    outstanding: self.outstanding,
                    held: self.holder,
                },
                note: None,
                amount: None,
                shares: Some(room),
                price: Some(price.into()),
            });
            return Ok(());
        }
        let mut n = total.min(room).min(by_limit.unwrap_or(i128::MAX));
        let headroom = self.headroom();
        if n > headroom {
            let cut = n - headroom.max(0);
            if self.s.conversion.on_shortfall == OnShortfall::Error {
                return Err(ModelError::Shortfall {
                    date,
                    wanted: n as u64,
                    headroom,
                });
            }
            emit(obs, || Event {
                date,
                kind: EventKind::Shortfall {
                    wanted: n as u64,
                    headroom,
                },
                note: None,
                amount: Some(
                    price
                        .checked_mul_int(cut)
                        .map_or(Decimal::MAX, Decimal::from),
                ),
                shares: Some(cut),
                price: Some(price.into()),
            });
            n = headroom.max(0);
            self.shortfall_days += 1;
        }
        let n = n as u64;
        let mut left = n;
        let apply = self.s.conversion.apply;
        for &(idx, cap) in capacity {
            if left == 0 {
                break;
            }
            let take = cap.min(left);
            left -= take;
            let amount = price.checked_mul_int(i128::from(take)).ok_or_else(|| {
                Self::overflow(date, Some(&self.books[idx].terms.id), "conversion amount")
            })?;
            let taken = self.books[idx].convert(date, amount, apply);
            if take == cap {
                self.books[idx].set_ceiling(date);
            }
            // The first amount replaces the zero the day starts at (the same
            // value and scale as adding it, without rescaling that zero; 1.2% of
            // a Monte Carlo path's instructions).
            flow.amount = if flow.amount.is_zero() {
                amount
            } else {
                flow.amount + amount
            };
            emit(obs, || Event {
                date,
                kind: EventKind::Conversion {
                    interest: taken.interest.into(),
                    principal: taken.principal.into(),
                },
                note: Some(idx),
                amount: Some(amount.into()),
                shares: Some(take as i128),
                price: Some(price.into()),
            });
        }
        if n > 0 {
            let overflow = || Self::overflow(date, None, "shares outstanding");
            self.outstanding = self.outstanding.checked_add(n).ok_or_else(overflow)?;
            self.holder = self.holder.checked_add(n).ok_or_else(overflow)?;
            self.issued_total = self.issued_total.checked_add(n).ok_or_else(overflow)?;
            self.converted_total += flow.amount;
            self.last_conversion = Some(date);
            flow.converted = n;
        }
        Ok(())
    }

    /// The $1.00 tracker on the day's closing bid (MODEL.md §7, §9).
    fn bid_tracker<O: Observer>(&mut self, date: NaiveDate, i: usize, obs: &mut O) {
        let bid = self.market.bars[i].bid;
        let t = &mut self.bid;
        let event = if bid < Decimal::ONE {
            t.below += 1;
            t.above = 0;
            if !t.deficient && t.below == BID_DAYS_TO_DEFICIENCY {
                t.deficient = true;
                Some(EventKind::BidDeficiency {
                    deadline: date + Duration::days(BID_COMPLIANCE_PERIOD_DAYS),
                })
            } else {
                None
            }
        } else {
            t.above += 1;
            t.below = 0;
            if t.deficient && t.above == BID_DAYS_TO_COMPLIANCE {
                t.deficient = false;
                Some(EventKind::BidCompliance)
            } else {
                None
            }
        };
        if let Some(kind) = event {
            emit(obs, || Event {
                date,
                kind,
                note: None,
                amount: None,
                shares: None,
                price: Some(bid),
            });
        }
    }

    /// Step 4: the day's row.
    fn row(&self, date: NaiveDate, i: usize, flow: &DayFlow) -> DayRow {
        let bar = &self.market.bars[i];
        let mut principal = Exact::ZERO;
        let mut accrued = Exact::ZERO;
        // Unbooked interest summed per basis (360, 365), divided once each.
        let (mut on_360, mut on_365) = (Exact::ZERO, Exact::ZERO);
        let mut note_principal = vec![Decimal::ZERO; self.books.len()];
        for &idx in &self.order {
            let b = &self.books[idx];
            principal += b.principal;
            note_principal[idx] = b.principal.into();
            match b.unbooked_parts(date) {
                Some((x, 365)) => {
                    accrued += b.accrued;
                    on_365 += x;
                }
                Some((x, _)) => {
                    accrued += b.accrued;
                    on_360 += x;
                }
                None => accrued += b.accrued_at(date),
            }
        }
        let mut accrued = Decimal::from(accrued);
        if !on_360.is_zero() {
            accrued += Decimal::from(on_360) / Decimal::from(360);
        }
        if !on_365.is_zero() {
            accrued += Decimal::from(on_365) / Decimal::from(365);
        }
        let o = Decimal::from(self.outstanding);
        let start = Decimal::from(self.s.company.outstanding);
        // 1 − (start ÷ ratios) ÷ outstanding, with one division (MODEL.md §9).
        let k_o = (self.outstanding as i128).saturating_mul(self.ratio_product as i128);
        let dilution =
            money::ratio(k_o - self.s.company.outstanding as i128, k_o).unwrap_or_else(|| {
                Decimal::ONE - start / (o * Decimal::from(self.ratio_product as u64))
            });
        DayRow {
            date,
            close: bar.close,
            vwap: bar.vwap,
            volume: bar.volume,
            bid: bar.bid,
            conversion_price: flow.price.map(Decimal::from),
            shares_converted: flow.converted,
            amount_converted: flow.amount.into(),
            holder_sold: flow.sold,
            holder_proceeds: flow.proceeds.into(),
            holder_shares: self.holder,
            outstanding: self.outstanding,
            holder_pct: money::ratio(self.holder as i128, self.outstanding as i128)
                .unwrap_or_else(|| Decimal::from(self.holder) / o),
            issued_total: self.issued_total,
            dilution_pct: dilution,
            principal_outstanding: principal.into(),
            accrued_interest: accrued,
            cash_paid: self.cash_paid.into(),
            headroom: self.headroom(),
            authorized: self.authorized,
            note_principal,
            converted_total: self.converted_total.into(),
        }
    }

    /// The totals at `end`, without consuming the engine (Monte Carlo reads these
    /// per path).
    pub fn totals(&self) -> Totals {
        let mut t = Totals {
            outstanding_start: self.s.company.outstanding,
            outstanding_end: self.outstanding,
            holder_shares_end: self.holder,
            authorized_end: self.authorized,
            headroom_end: self.headroom(),
            cash_paid: self.cash_paid.into(),
            amount_converted: self.converted_total.into(),
            shares_issued: self.issued_total,
            holder_shares_sold: self.sold_total,
            holder_sale_proceeds: self.proceeds_total.into(),
            tranche_ids_closed: self.tranches_closed.clone(),
            tranche_ids_skipped: self.tranches_skipped.clone(),
            last_conversion_date: self.last_conversion,
            trading_days: self.trading_days,
            shortfall_days: self.shortfall_days,
            peak_holder_pct: Decimal::from(self.peak.0) / Decimal::from(self.peak.1.max(1)),
            peak_holder_pct_date: self.peak.2,
            ..Totals::default()
        };
        let mut all_closed = true;
        let mut last_close: Option<NaiveDate> = None;
        // Summed as the engine holds them, then written as decimals once
        // (`Exact` sums are `Decimal`'s, value and scale).
        let mut sum = Ledger::<Exact>::default();
        for (idx, book) in self.books.iter().enumerate() {
            if !self.issued[idx] {
                continue;
            }
            let l = &book.ledger;
            let mut unbooked = Exact::ZERO;
            if book.open {
                all_closed = false;
                let (principal_out, interest_out, u) = self.outstanding_at_end(idx);
                t.principal_outstanding += principal_out;
                t.interest_outstanding += interest_out;
                unbooked = u.into();
            }
            sum.issued += l.issued;
            sum.principal_paid_cash += l.principal_paid_cash;
            sum.principal_converted += l.principal_converted;
            // Interest accrued to `end`: booked, plus what is not booked yet.
            sum.interest_accrued += l.interest_accrued + unbooked;
            sum.interest_paid_cash += l.interest_paid_cash;
            sum.interest_converted += l.interest_converted;
            sum.rounding += l.rounding;
            if let Some(c) = self.closed_on[idx] {
                last_close = last_close.max(Some(c));
            }
        }
        let l = sum.to_decimal();
        t.principal_issued = l.issued;
        t.principal_paid_cash = l.principal_paid_cash;
        t.principal_converted = l.principal_converted;
        t.interest_accrued = l.interest_accrued;
        t.interest_paid_cash = l.interest_paid_cash;
        t.interest_converted = l.interest_converted;
        t.interest_rounding = l.rounding;
        t.notes_closed_date = if all_closed { last_close } else { None };
        t
    }

    /// A note's (principal, interest incl. unbooked, unbooked interest) at `end`.
    fn outstanding_at_end(&self, idx: usize) -> (Decimal, Decimal, Decimal) {
        let book = &self.books[idx];
        if self.issued[idx] && book.open {
            let unbooked = book.unbooked(self.s.end);
            (
                book.principal.into(),
                (book.accrued + unbooked).into(),
                unbooked.into(),
            )
        } else {
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO)
        }
    }

    /// The finished simulation: notes, rows, events and totals at `end`.
    pub fn finish(self, rec: Recorder) -> Simulation {
        let totals = self.totals();
        let n_scenario = self.s.notes.len();
        let mut notes = Vec::with_capacity(self.books.len());
        for idx in 0..self.books.len() {
            let (principal_out, interest_out, _) = self.outstanding_at_end(idx);
            let book = &self.books[idx];
            let schedule = contractual_schedule(book.terms);
            notes.push(NoteRecord {
                from_tranche: idx >= n_scenario,
                issued: self.issued[idx],
                ledger: book.ledger.to_decimal(),
                principal_outstanding: principal_out,
                interest_outstanding: interest_out,
                closed_on: self.closed_on[idx],
                schedule,
                terms: (*book.terms).clone(),
            });
        }
        Simulation {
            notes,
            days: rec.days,
            events: rec.events,
            totals,
        }
    }
}

//! Coordinates for charts: a date axis ticked at month starts, a log axis ticked at
//! 1-2-5 steps or decades, a padded linear range, and the mesh (grid, tick labels,
//! axis titles) drawn in the house style. Plotters' own axes tick dates by day
//! numbers and log axes only at decades; a reader of a board deck wants "Jan 2018"
//! and "$0.0005".
//!
//! What it must not do: know what is being plotted. Callers pass the formatter.

use std::ops::Range;

use chrono::{Datelike, Days, Months, NaiveDate};
use plotters::coord::ranged1d::{
    KeyPointHint, KeyPointWeight, NoDefaultFormatting, Ranged, ValueFormatter,
};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::ChartError;
use super::style::{self, Typography};

/// Month steps a date axis may tick at, finest first.
const MONTH_STEPS: [u32; 8] = [1, 2, 3, 6, 12, 24, 60, 120];
/// Day steps for a window too short to hold two month starts.
const DAY_STEPS: [u64; 5] = [1, 2, 7, 14, 28];

/// A date axis from `first` to `last`, ticked at month starts (every 1, 2, 3, 6 or 12
/// months, whichever keeps at most `max_labels` labels), or at days for a window of
/// a few weeks. Labels read "Jan 2018" at each January and at the first tick, and
/// "Apr" in between, so the year is never lost and the labels stay short.
#[derive(Debug, Clone)]
pub struct MonthAxis {
    first: NaiveDate,
    last: NaiveDate,
    ticks: Vec<NaiveDate>,
    monthly: bool,
}

impl MonthAxis {
    /// An axis covering `first..=last`. A single day is widened by three days either
    /// side so it has a width to draw in.
    pub fn new(first: NaiveDate, last: NaiveDate, max_labels: usize) -> MonthAxis {
        let (mut first, mut last) = if first <= last {
            (first, last)
        } else {
            (last, first)
        };
        if first == last {
            first = first.checked_sub_days(Days::new(3)).unwrap_or(first);
            last = last.checked_add_days(Days::new(3)).unwrap_or(last);
        }
        let max_labels = max_labels.max(2);
        let monthly = MONTH_STEPS
            .iter()
            .map(|&step| month_ticks(first, last, step))
            .find(|t| t.len() >= 2 && t.len() <= max_labels);
        let (ticks, monthly) = match monthly {
            Some(t) => (t, true),
            None => {
                let daily = DAY_STEPS
                    .iter()
                    .map(|&step| day_ticks(first, last, step))
                    .find(|t| t.len() <= max_labels)
                    .unwrap_or_else(|| vec![first]);
                (daily, false)
            }
        };
        MonthAxis {
            first,
            last,
            ticks,
            monthly,
        }
    }

    /// The dates ticked and labelled.
    pub fn ticks(&self) -> &[NaiveDate] {
        &self.ticks
    }

    /// The label at a tick.
    pub fn label(&self, d: &NaiveDate) -> String {
        let is_first = self.ticks.first() == Some(d);
        if self.monthly {
            if d.month() == 1 || is_first {
                style::month(*d)
            } else {
                style::month_name(*d).to_string()
            }
        } else if is_first {
            format!("{} {} {}", d.day(), style::month_name(*d), d.year())
        } else {
            format!("{} {}", d.day(), style::month_name(*d))
        }
    }

    fn span_days(&self) -> f64 {
        ((self.last - self.first).num_days() as f64).max(1.0)
    }
}

fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// First days of months in `first..=last` whose month index is a multiple of `step`
/// (so 3-monthly ticks fall on Jan, Apr, Jul, Oct).
fn month_ticks(first: NaiveDate, last: NaiveDate, step: u32) -> Vec<NaiveDate> {
    let mut d = match first.with_day(1) {
        Some(d) if d >= first => d,
        Some(d) => d.checked_add_months(Months::new(1)).unwrap_or(last),
        None => return Vec::new(),
    };
    let mut out = Vec::new();
    while d <= last && out.len() < 10_000 {
        if month_index(d).rem_euclid(i64::from(step)) == 0 {
            out.push(d);
        }
        match d.checked_add_months(Months::new(1)) {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

fn day_ticks(first: NaiveDate, last: NaiveDate, step: u64) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = first;
    while d <= last && out.len() < 10_000 {
        out.push(d);
        match d.checked_add_days(Days::new(step)) {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

impl Ranged for MonthAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = NaiveDate;

    fn map(&self, value: &NaiveDate, limit: (i32, i32)) -> i32 {
        let f = (*value - self.first).num_days() as f64 / self.span_days();
        to_pixel(f, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<NaiveDate> {
        match hint.weight() {
            KeyPointWeight::Bold => self.ticks.clone(),
            // Light grid: every month between labelled ticks, when that stays sparse.
            KeyPointWeight::Any => {
                let months = month_ticks(self.first, self.last, 1);
                if self.monthly && months.len() <= hint.max_num_points() && months.len() <= 80 {
                    months
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn range(&self) -> Range<NaiveDate> {
        self.first..self.last
    }
}

impl ValueFormatter<NaiveDate> for MonthAxis {
    fn format_ext(&self, value: &NaiveDate) -> String {
        self.label(value)
    }
}

/// A fraction of an axis to a pixel, without overflow for values far outside it.
fn to_pixel(fraction: f64, limit: (i32, i32)) -> i32 {
    let f = if fraction.is_finite() {
        fraction.clamp(-4.0, 5.0)
    } else {
        0.0
    };
    (f64::from(limit.0) + f * f64::from(limit.1 - limit.0)).round() as i32
}

/// A base-10 log axis over positive values. Labelled ticks are the finest of
/// 1…9, 1-1.5-2-3-5-7, 1-2-3-5, 1-2-5, 1-3 or decades (thinned to every n-th decade) whose closest pair is
/// still about two label heights apart, so labels never crowd at the top of a decade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogAxis {
    lo: f64,
    hi: f64,
    /// How many label heights fit along the axis.
    room: f64,
}

/// Label heights between neighbouring labelled ticks, at least.
const LABEL_GAP: f64 = 1.8;

impl LogAxis {
    /// An axis covering every positive finite value in `values`, padded by 4% of its
    /// log span on each side so no line sits on the frame. A range narrower than ×4
    /// (all prices equal, say) is widened around its centre to ×4, so there is a
    /// range to draw and ticks to label; with no positive value at all, 1..10.
    /// `room` is the axis length divided by a label's height.
    pub fn covering(values: impl IntoIterator<Item = f64>, room: f64) -> LogAxis {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            if v.is_finite() && v > 0.0 {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (1.0, 10.0);
        }
        let (mut a, mut b) = (lo.log10(), hi.log10());
        const MIN_SPAN: f64 = 0.602; // log10(4)
        if b - a < MIN_SPAN {
            let mid = (a + b) / 2.0;
            a = mid - MIN_SPAN / 2.0;
            b = mid + MIN_SPAN / 2.0;
        }
        let pad = (b - a) * 0.04;
        LogAxis {
            lo: 10f64.powf(a - pad),
            hi: 10f64.powf(b + pad),
            room: if room.is_finite() { room.max(2.0) } else { 2.0 },
        }
    }

    fn span(&self) -> f64 {
        self.hi.log10() - self.lo.log10()
    }

    /// Label heights between the closest two of `ticks`.
    fn closest_gap(&self, ticks: &[f64]) -> f64 {
        ticks
            .windows(2)
            .map(|w| (w[1].log10() - w[0].log10()) / self.span() * self.room)
            .fold(f64::INFINITY, f64::min)
    }

    /// The labelled ticks.
    pub fn ticks(&self) -> Vec<f64> {
        // Finest first; each set's closest pair is further apart than the last's.
        const SETS: [&[f64]; 7] = [
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
            &[1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0],
            &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0],
            &[1.0, 2.0, 3.0, 5.0],
            &[1.0, 2.0, 5.0],
            &[1.0, 3.0],
            &[1.0],
        ];
        for mantissas in SETS {
            let t = self.ticks_with(mantissas, 1);
            // Also no more than one label per three label heights on average: a
            // long axis of prices reads better at 1-2-3-5 than at 1-1.5-2-3-5-7.
            let sparse = t.len() as f64 <= (self.room / 3.0).max(2.0);
            if t.len() >= 2 && sparse && self.closest_gap(&t) >= LABEL_GAP {
                return t;
            }
        }
        // Many decades: every n-th decade.
        let per_decade = self.room / self.span();
        let every = (LABEL_GAP / per_decade).ceil().max(1.0) as usize;
        let t = self.ticks_with(&[1.0], every);
        if t.len() >= 2 {
            t
        } else {
            // Too little room for two labels: label the decades anyway.
            self.ticks_with(&[1.0], 1)
        }
    }

    fn ticks_with(&self, mantissas: &[f64], every_decades: usize) -> Vec<f64> {
        let (a, b) = (
            self.lo.log10().floor() as i32,
            self.hi.log10().ceil() as i32,
        );
        let mut out = Vec::new();
        for e in a..=b {
            if (e - a) as usize % every_decades != 0 {
                continue;
            }
            for m in mantissas {
                // Built from a decimal literal so labels read 0.0002, not 0.00019999.
                let v: f64 = format!("{m}e{e}").parse().unwrap_or(m * 10f64.powi(e));
                if v >= self.lo && v <= self.hi {
                    out.push(v);
                }
            }
        }
        out
    }
}

impl Ranged for LogAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let v = if *value > 0.0 { *value } else { self.lo / 1e3 };
        let (a, b) = (self.lo.log10(), self.hi.log10());
        to_pixel((v.log10() - a) / (b - a), limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let bold = self.ticks();
        match hint.weight() {
            KeyPointWeight::Bold => bold,
            KeyPointWeight::Any => {
                // Minor grid at 1…9 of each decade when the labels are sparser.
                let all = self.ticks_with(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], 1);
                // Only when each decade is tall enough for nine lines to read as a grid.
                if all.len() > bold.len() && self.room / self.span() >= 4.0 {
                    all
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for LogAxis {
    fn format_ext(&self, value: &f64) -> String {
        format!("{value}")
    }
}

/// A category axis: `n` categories centred at 0, 1, …, n − 1, each in a slot one unit
/// wide (the range runs from −0.5 to n − 0.5). Every category is labelled unless the
/// caller picks which (`labelled`), so a long range of ratios thins its labels
/// instead of printing them over each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryAxis {
    labels: Vec<String>,
    shown: Vec<usize>,
}

impl CategoryAxis {
    /// An axis over `labels`, labelling every one.
    pub fn new(labels: Vec<String>) -> CategoryAxis {
        let shown = (0..labels.len()).collect();
        CategoryAxis { labels, shown }
    }

    /// Labels (and ticks) only the categories at `indices`; others are left out.
    pub fn labelled(mut self, indices: Vec<usize>) -> CategoryAxis {
        let n = self.labels.len();
        self.shown = indices.into_iter().filter(|i| *i < n).collect();
        self
    }

    /// How many categories.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The label of the category at `v` (rounded to the nearest centre).
    pub fn label(&self, v: f64) -> &str {
        let i = v.round();
        if i < 0.0 || !i.is_finite() {
            return "";
        }
        self.labels
            .get(i as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// How many categories apart labels must be so that labels `widest` pixels wide,
    /// with `gap` pixels between them, fit in slots `slot` pixels wide.
    pub fn label_step(widest: i32, gap: i32, slot: f64) -> usize {
        if slot <= 0.0 || !slot.is_finite() {
            return 1;
        }
        (f64::from(widest + gap) / slot).ceil().max(1.0) as usize
    }
}

impl Ranged for CategoryAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let n = self.labels.len().max(1) as f64;
        to_pixel((value + 0.5) / n, limit)
    }

    /// The labelled categories, for bold and light points alike: a category axis has
    /// nothing between its categories to grid.
    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.shown.iter().map(|i| *i as f64).collect()
    }

    fn range(&self) -> Range<f64> {
        -0.5..(self.labels.len().max(1) as f64 - 0.5)
    }
}

impl ValueFormatter<f64> for CategoryAxis {
    fn format_ext(&self, value: &f64) -> String {
        self.label(*value).to_string()
    }
}

/// A linear range from zero (or below, if a value is negative) to the largest value
/// plus `headroom` (0.08 = 8%). All zeros gives 0..1 so the axis has a span.
pub fn zero_based(values: impl IntoIterator<Item = f64>, headroom: f64) -> RangedCoordf64 {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        hi = lo + 1.0;
    }
    let span = hi - lo;
    let lo = if lo < 0.0 { lo - span * headroom } else { lo };
    (lo..hi + span * headroom).into()
}

/// What the mesh of one panel shows besides the grid.
pub struct MeshText<'a, Y> {
    /// The y axis title, with its unit.
    pub y_desc: &'a str,
    /// The x axis title; `None` for a panel stacked above another that shares it.
    pub x_desc: Option<&'a str>,
    /// Whether to label the x ticks (false above a panel sharing the axis).
    pub x_labels: bool,
    pub y_format: &'a dyn Fn(&Y) -> String,
    /// How many y labels plotters may choose for a linear axis.
    pub y_labels: usize,
}

/// Draws grid, ticks, tick labels and axis titles in the house style.
pub fn draw_mesh<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    t: &Typography,
    m: MeshText<'_, Y::ValueType>,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = NaiveDate> + ValueFormatter<NaiveDate>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
{
    let hide = |_: &NaiveDate| String::new();
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(style::GRID.stroke_width(t.width(1.0)))
        .light_line_style(style::GRID_LIGHT.stroke_width(t.width(1.0)))
        .axis_style(style::INK.stroke_width(t.width(1.5)))
        .label_style(style::text(t.tick))
        .axis_desc_style(style::text(t.axis))
        .y_desc(m.y_desc)
        .y_labels(m.y_labels)
        // One light line between labelled ones: a denser grid competes with the data.
        .y_max_light_lines(1)
        .y_label_formatter(m.y_format)
        .x_labels(40)
        .set_all_tick_mark_size(t.width(6.0));
    if !m.x_labels {
        mesh.x_label_formatter(&hide);
    }
    if let Some(x) = m.x_desc {
        mesh.x_desc(x);
    }
    mesh.draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn chart_month_axis_ticks_three_years_quarterly_or_coarser() {
        let a = MonthAxis::new(d(2017, 11, 30), d(2020, 12, 31), 14);
        let t = a.ticks();
        assert!(t.len() >= 6 && t.len() <= 14, "{t:?}");
        assert!(t.iter().all(|x| x.day() == 1));
        assert_eq!(a.label(&t[0]), style::month(t[0]));
        let jan = t.iter().find(|x| x.month() == 1 && **x != t[0]);
        if let Some(j) = jan {
            assert_eq!(a.label(j), style::month(*j));
        }
        let other = t.iter().skip(1).find(|x| x.month() != 1);
        if let Some(o) = other {
            assert_eq!(a.label(o).len(), 3);
        }
    }

    #[test]
    fn chart_month_axis_one_day_has_width_and_ticks() {
        let a = MonthAxis::new(d(2018, 3, 14), d(2018, 3, 14), 10);
        assert!(!a.ticks().is_empty());
        assert!(a.range().start < a.range().end);
        let (x0, x1) = (
            a.map(&a.range().start, (0, 100)),
            a.map(&a.range().end, (0, 100)),
        );
        assert_eq!((x0, x1), (0, 100));
    }

    #[test]
    fn chart_log_axis_ticks_one_two_five_over_a_few_decades() {
        // A 700-pixel axis with 24-pixel labels: about 30 label heights.
        let a = LogAxis::covering([0.00007, 0.002], 30.0);
        let t = a.ticks();
        assert!(
            t.contains(&0.0001) && t.contains(&0.0002) && t.contains(&0.001),
            "{t:?}"
        );
        assert!(!t.contains(&0.0009), "{t:?}");
        // Half the room: fewer, sparser labels, still at least two.
        let short = LogAxis::covering([0.00007, 0.002], 14.0).ticks();
        assert!(short.len() >= 2 && short.len() <= 4, "{short:?}");
    }

    #[test]
    fn chart_log_axis_with_equal_values_has_range_and_ticks() {
        let a = LogAxis::covering([0.001, 0.001, 0.001], 14.0);
        let r = a.range();
        assert!(r.start < 0.001 && r.end > 0.001);
        assert!(a.ticks().len() >= 2, "{:?}", a.ticks());
        let nothing = LogAxis::covering([0.0, -1.0, f64::NAN], 14.0);
        assert!(nothing.ticks().len() >= 2);
    }

    #[test]
    fn chart_log_axis_over_many_decades_thins_to_decades() {
        let a = LogAxis::covering([1.0, 1e15], 14.0);
        let t = a.ticks();
        assert!(t.len() <= 8 && t.len() >= 2, "{t:?}");
        let tiny = LogAxis::covering([1.0, 1e15], 2.0);
        assert!(tiny.ticks().len() >= 2);
    }

    #[test]
    fn chart_category_axis_centres_categories_in_equal_slots() {
        let labels: Vec<String> = ["Current", "1-for-5", "1-for-6", "1-for-7"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let a = CategoryAxis::new(labels.clone());
        assert_eq!(a.range(), -0.5..3.5);
        // Four 100-pixel slots: centres at 50, 150, 250, 350.
        assert_eq!(a.map(&0.0, (0, 400)), 50);
        assert_eq!(a.map(&3.0, (0, 400)), 350);
        assert_eq!(a.label(1.0), "1-for-5");
        assert_eq!(a.label(9.0), "");
        assert_eq!(a.label(-1.0), "");
        assert_eq!(a.key_points(10), vec![0.0, 1.0, 2.0, 3.0]);
        let thinned = CategoryAxis::new(labels).labelled(vec![0, 2, 7]);
        assert_eq!(thinned.key_points(10), vec![0.0, 2.0]);
        assert_eq!(CategoryAxis::label_step(90, 10, 100.0), 1);
        assert_eq!(CategoryAxis::label_step(90, 20, 50.0), 3);
        assert_eq!(CategoryAxis::label_step(90, 20, 0.0), 1);
        let none = CategoryAxis::new(Vec::new());
        assert!(none.range().start < none.range().end);
        assert!(none.key_points(10).is_empty());
    }

    #[test]
    fn chart_zero_based_range_has_span() {
        assert_eq!(zero_based([0.0, 0.0], 0.1).range(), 0.0..1.1);
        let r = zero_based([0.0, 100.0], 0.1).range();
        assert!(r.start == 0.0 && r.end > 100.0);
    }
}

//! Charts of a run: `dilution`, `prices` and `balances` (INTERFACE.md, issue 4), and
//! `split` for `dilution split`, drawn with plotters on any `DrawingBackend` so
//! tests render into memory and the app encodes PNG or SVG bytes for `Staging`.
//! `style`, `axis` and `draw` hold what every chart shares (font, palette,
//! formatters, date, log and category axes, legend, title) so other charts (the
//! Monte Carlo fan chart) look the same.
//!
//! What it must not do: compute a figure of the model. Charts read a finished
//! `Simulation` and its `Scenario` (or `split`'s `ShareTable`); decimals become
//! `f64` only as pixel coordinates.

pub mod axis;
mod balances;
mod dilution;
pub mod draw;
pub mod marks;
mod prices;
pub mod split;
pub mod style;
pub mod text;

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;

use crate::engine::Simulation;
use crate::scenario::Scenario;
use crate::split::table::ShareTable;
use axis::MonthAxis;
use draw::{LegendItem, Rect};
use style::Typography;
use text::CrispText;

/// A chart could not be drawn or encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> ChartError {
        ChartError(e.to_string())
    }
}

/// Image size in pixels (`--chart-size WxH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    pub width: u32,
    pub height: u32,
}

impl ChartSize {
    /// Smallest size the layout holds together at (labels shrink with the image).
    pub const MIN: ChartSize = ChartSize {
        width: 320,
        height: 200,
    };
    /// Largest: 8000×8000 RGB is 192 MB of buffer already.
    pub const MAX: ChartSize = ChartSize {
        width: 8000,
        height: 8000,
    };
}

impl Default for ChartSize {
    /// 1600×1000: readable when printed across a page (INTERFACE.md).
    fn default() -> ChartSize {
        ChartSize {
            width: 1600,
            height: 1000,
        }
    }
}

impl fmt::Display for ChartSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl FromStr for ChartSize {
    type Err = String;

    /// Parses `WIDTHxHEIGHT` (also `×` or `X`), each within `MIN..=MAX`.
    fn from_str(s: &str) -> Result<ChartSize, String> {
        let shape = || format!("expected WIDTHxHEIGHT in pixels, such as 1600x1000; found \"{s}\"");
        let t = s.trim();
        let (w, h) = t.split_once(['x', 'X', '×']).ok_or_else(shape)?;
        let num = |v: &str| {
            let v = v.trim();
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            v.parse::<u32>().ok()
        };
        let (Some(width), Some(height)) = (num(w), num(h)) else {
            return Err(shape());
        };
        let (lo, hi) = (ChartSize::MIN, ChartSize::MAX);
        if !(lo.width..=hi.width).contains(&width) || !(lo.height..=hi.height).contains(&height) {
            return Err(format!(
                "{width}x{height} is out of range: width must be {}..{} and height {}..{} pixels",
                lo.width, hi.width, lo.height, hi.height
            ));
        }
        Ok(ChartSize { width, height })
    }
}

/// The file format of rendered charts (`--chart-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ChartFormat {
    #[default]
    Png,
    Svg,
}

impl ChartFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// The charts every `run` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunChart {
    /// Shares outstanding (log) with authorized, tranche and split markers; the
    /// holder's stake against the cap beneath.
    Dilution,
    /// Close and VWAP against the conversion price (log), par, fixed price, floor.
    Prices,
    /// Principal outstanding per note, stacked; cumulative cash vs converted.
    Balances,
}

impl RunChart {
    pub const ALL: [RunChart; 3] = [RunChart::Dilution, RunChart::Prices, RunChart::Balances];

    /// The file name without extension.
    pub fn stem(self) -> &'static str {
        match self {
            RunChart::Dilution => "dilution",
            RunChart::Prices => "prices",
            RunChart::Balances => "balances",
        }
    }

    pub fn file_name(self, format: ChartFormat) -> String {
        format!("{}.{}", self.stem(), format.extension())
    }

    /// Draws this chart on `area` (the whole image, or any part of one).
    pub fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        s: &Scenario,
        sim: &Simulation,
    ) -> Result<(), ChartError> {
        if !style::register_fonts() {
            return Err(ChartError("the embedded font could not be loaded".into()));
        }
        match self {
            RunChart::Dilution => dilution::draw(area, s, sim),
            RunChart::Prices => prices::draw(area, s, sim),
            RunChart::Balances => balances::draw(area, s, sim),
        }
    }
}

/// Renders one chart of a run to PNG or SVG bytes.
pub fn render(
    chart: RunChart,
    s: &Scenario,
    sim: &Simulation,
    size: ChartSize,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    match format {
        ChartFormat::Png => render_png(size, |area| chart.draw(area, s, sim)),
        ChartFormat::Svg => render_svg(size, |area| chart.draw(area, s, sim)),
    }
}

/// Renders `dilution split`'s chart of `table` (see `split`) to PNG or SVG bytes;
/// `name` is the scenario's, for the subtitle.
pub fn render_split(
    name: &str,
    table: &ShareTable,
    size: ChartSize,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    match format {
        ChartFormat::Png => render_png(size, |area| split::draw(area, name, table)),
        ChartFormat::Svg => render_svg(size, |area| split::draw(area, name, table)),
    }
}

/// Draws into an RGB buffer and encodes it as PNG, all in memory (so `Staging` can
/// write it, and a failure leaves the previous files untouched).
pub fn render_png<F>(size: ChartSize, draw: F) -> Result<Vec<u8>, ChartError>
where
    F: FnOnce(&DrawingArea<CrispText<BitMapBackend<'_>>, Shift>) -> Result<(), ChartError>,
{
    let (w, h) = (size.width, size.height);
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = CrispText::new(BitMapBackend::with_buffer(&mut rgb, (w, h))).into_drawing_area();
        draw(&root)?;
        root.present()?;
    }
    encode_png(&rgb, w, h)
}

/// Encodes an RGB buffer as PNG. Fast compression: charts are mostly flat colour,
/// so the files stay small, and the default level costs more time than it saves.
pub fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let fail = |e: png::EncodingError| ChartError(format!("PNG encoding: {e}"));
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header().map_err(fail)?;
    writer.write_image_data(rgb).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(out)
}

/// Draws into an SVG document. Text stays text in the SVG: its font family names the
/// embedded font first, then `sans-serif` for viewers without DejaVu Sans.
pub fn render_svg<F>(size: ChartSize, draw: F) -> Result<Vec<u8>, ChartError>
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), ChartError>,
{
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, size.height)).into_drawing_area();
        draw(&root)?;
        root.present()?;
    }
    let named = format!("font-family=\"{}\"", style::FONT_FAMILY);
    let with_fallback = format!("font-family=\"{}, sans-serif\"", style::FONT_FAMILY);
    Ok(svg.replace(&named, &with_fallback).into_bytes())
}

// ---- layout shared by the run charts ----------------------------------------------

/// Fills the page, draws the title block, and returns the body rectangle.
fn page<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Typography,
    title: &str,
    subtitle: &str,
) -> Result<Rect, ChartError> {
    root.fill(&style::PAPER)?;
    let m = (t.title * 0.6) as i32;
    let body = Rect::of(root).inset(m, m, m / 2, m);
    draw::title_block(root, body, t, title, subtitle)
}

/// Width of the y tick labels and axis title: the widest label any panel of the
/// chart shows, so stacked panels' plot areas line up on the shared date axis.
fn y_label_area<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Typography,
    labels: &[String],
) -> i32 {
    let widest = labels
        .iter()
        .map(|l| draw::measure(root, l, &style::text(t.tick)).0)
        .max()
        .unwrap_or(0);
    widest + (t.tick * 0.8 + t.axis * 1.9) as i32
}

/// The labels plotters will put on a linear axis asking for `n` labels.
fn linear_labels(
    y: &plotters::coord::types::RangedCoordf64,
    n: usize,
    fmt: impl Fn(f64) -> String,
) -> Vec<String> {
    y.key_points(n).into_iter().map(fmt).collect()
}

/// Room for the date labels under the bottom panel (or a sliver above it).
fn x_label_area(t: &Typography, labelled: bool) -> i32 {
    if labelled {
        (t.tick * 1.8) as i32
    } else {
        (t.tick * 0.5) as i32
    }
}

/// A first guess at the y label area, before the axes (and so their labels) are
/// known: room for eight characters of tick label.
fn rough_left(t: &Typography) -> i32 {
    (t.tick * 4.8 + t.axis * 1.9) as i32
}

/// The plot height a panel in `r` will have, for choosing its ticks before the
/// final y label width is known (the legend may wrap differently by a few pixels).
fn plot_height<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    items: &[LegendItem],
    t: &Typography,
    x_labels: bool,
) -> f64 {
    let legend = draw::legend_height(root, items, r.w - rough_left(t), t) + (t.legend * 0.3) as i32;
    let margins = (t.tick * 0.5) as i32 + x_label_area(t, x_labels);
    f64::from((r.h - legend - margins).max(1))
}

/// How many labels a linear axis of `plot_h` pixels takes.
fn linear_label_count(plot_h: f64, t: &Typography) -> usize {
    ((plot_h / (t.tick * 2.5)) as usize).clamp(2, 8)
}

/// Draws a panel's legend in a band at the top of `r`, aligned with the plot area,
/// and returns the rectangle left for the plot.
fn legend_band<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    items: &[LegendItem],
    t: &Typography,
    left: i32,
) -> Result<Rect, ChartError> {
    let band = Rect {
        x: r.x + left,
        w: (r.w - left).max(1),
        ..r
    };
    let h = draw::legend_height(root, items, band.w, t);
    let (top, rest) = r.take_top(h + (t.legend * 0.3) as i32);
    draw::legend(root, Rect { h: top.h, ..band }, items, t)?;
    Ok(rest)
}

/// A chart on `area` with the house margins: date axis `x`, value axis `y`.
/// `tag_room` leaves a strip above the plot for split labels, so they never sit on
/// a line (the authorized count usually runs along the top).
fn panel<'a, DB, Y>(
    area: &'a DrawingArea<DB, Shift>,
    t: &Typography,
    x: MonthAxis,
    y: Y,
    x_labels: bool,
    left: i32,
    tag_room: bool,
) -> Result<ChartContext<'a, DB, Cartesian2d<MonthAxis, Y>>, ChartError>
where
    DB: DrawingBackend,
    Y: Ranged + ValueFormatter<Y::ValueType>,
{
    let top = if tag_room {
        t.annotation * 1.5
    } else {
        t.tick * 0.5
    };
    Ok(ChartBuilder::on(area)
        .margin_right((t.tick * 1.5) as i32)
        .margin_top(top as i32)
        .x_label_area_size(x_label_area(t, x_labels))
        .y_label_area_size(left)
        .build_cartesian_2d(x, y)?)
}

/// The date axis of a run's panels: its trading days, else the scenario's window.
fn date_axis(s: &Scenario, sim: &Simulation, plot_width: i32, t: &Typography) -> MonthAxis {
    let first = sim.days.first().map(|d| d.date).unwrap_or(s.start);
    let last = sim.days.last().map(|d| d.date).unwrap_or(s.end);
    // A short month label ("Apr") is about three ems; keep twice that between labels.
    let max_labels = (f64::from(plot_width.max(1)) / (t.tick * 4.5)).floor() as usize;
    MonthAxis::new(first, last, max_labels.clamp(2, 24))
}

/// The pixel box of a chart's plotting area (absolute).
fn plot_box<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
) -> Rect {
    Rect::of(chart.plotting_area())
}

/// Vertical rules at each split date, and with `tagged` a "1-for-k split" label in
/// the strip above the plot (see `panel`'s `tag_room`).
fn split_rules<DB: DrawingBackend, Y: Ranged>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<MonthAxis, Y>>,
    splits: &[(NaiveDate, u64)],
    tagged: bool,
    t: &Typography,
) -> Result<(), ChartError> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let b = plot_box(chart);
    for (d, k) in splits {
        let x = chart.as_coord_spec().x_spec().map(d, (b.x, b.x + b.w));
        draw::rule(root, x, b.y, b.y + b.h, SPLIT_PEN, t)?;
        if tagged {
            let label = format!("1-for-{k} split");
            let w = draw::measure(root, &label, &style::text(t.annotation)).0;
            let left = (x - w / 2).clamp(b.x, (b.x + b.w - w).max(b.x));
            draw::tag(
                root,
                &label,
                (left, b.y - (t.annotation * 0.25) as i32),
                Pos::new(HPos::Left, VPos::Bottom),
                t,
            )?;
        }
    }
    Ok(())
}

/// How a split date is drawn on every chart.
const SPLIT_PEN: style::Pen = style::Pen::new(style::INK, 2.0, style::Dash::Dotted);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_size_parses_and_validates() {
        assert_eq!(
            "1600x1000".parse::<ChartSize>(),
            Ok(ChartSize {
                width: 1600,
                height: 1000
            })
        );
        assert_eq!("800X500".parse::<ChartSize>().map(|s| s.width), Ok(800));
        for bad in [
            "10x",
            "0x5",
            "x",
            "",
            "1600",
            "16a0x1000",
            "-5x10",
            "1600x1000x2",
        ] {
            assert!(bad.parse::<ChartSize>().is_err(), "{bad}");
        }
        assert!(
            "0x5"
                .parse::<ChartSize>()
                .is_err_and(|e| e.contains("out of range"))
        );
        assert!(
            "10x"
                .parse::<ChartSize>()
                .is_err_and(|e| e.contains("WIDTHxHEIGHT"))
        );
    }
}

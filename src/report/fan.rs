//! `fan.png`: the Monte Carlo fan chart. Shares outstanding over time on a log
//! axis (a spiral multiplies them), across every simulated path: the 5–95th
//! percentile band, the 25–75th band inside it, the median as a line, and the
//! authorized count as the ceiling the conversions run into. Drawn with the run
//! charts' look (`chart::style`, `chart::axis`, `chart::draw`) on any plotters
//! backend, so tests render into memory.
//!
//! What it must not do: compute a figure. It reads per-date percentiles.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::axis::{self, LogAxis, MeshText, MonthAxis};
use super::chart::draw::{self, LegendItem, Rect, Swatch};
use super::chart::style::{self, Dash, Pen, Typography, okabe_ito};
use super::chart::{ChartError, ChartSize, render_png};

const MEDIAN: Pen = Pen::new(okabe_ito::BLUE, 4.0, Dash::Solid);
const AUTHORIZED: Pen = Pen::new(okabe_ito::VERMILLION, 3.0, Dash::Dashed);
/// The outer band light and the inner one darker, both of the median's hue, so
/// they read as one distribution (and stay apart in greyscale).
const OUTER: RGBColor = RGBColor(0xC6, 0xDB, 0xEF);
const INNER: RGBColor = RGBColor(0x6B, 0xAE, 0xD6);

/// What the chart shows.
pub struct Fan<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    /// Per date: the 5th, 25th, 50th, 75th and 95th percentiles of shares outstanding.
    pub series: &'a [(NaiveDate, [f64; 5])],
    /// The authorized count over the window (a step line), if known.
    pub authorized: &'a [(NaiveDate, f64)],
    /// The count at start (the axis covers it).
    pub start: f64,
    /// A line about the model, shown in the plot's bottom-right corner.
    pub note: &'a str,
    /// The share of paths that ran into the authorized count, for its legend entry.
    pub exhausted: Option<f64>,
}

/// Renders the fan chart to PNG bytes.
pub fn render(fan: &Fan, size: ChartSize) -> Result<Vec<u8>, ChartError> {
    render_png(size, |area| draw(area, fan))
}

/// Draws the fan chart on `root`.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fan: &Fan,
) -> Result<(), ChartError> {
    if !style::register_fonts() {
        return Err(ChartError("the embedded font could not be loaded".into()));
    }
    let root = root.use_screen_coord();
    let (w, h) = root.dim_in_pixel();
    let t = Typography::for_size(w, h);
    root.fill(&style::PAPER)?;
    let m = (t.title * 0.6) as i32;
    let body = Rect::of(&root).inset(m, m, m / 2, m);
    let body = draw::title_block(&root, body, &t, fan.title, fan.subtitle)?;

    let series: Vec<&(NaiveDate, [f64; 5])> = fan
        .series
        .iter()
        .filter(|(_, v)| v.iter().all(|x| x.is_finite() && *x > 0.0))
        .collect();
    let items = vec![
        LegendItem::new("Median path", Swatch::Line(MEDIAN)),
        LegendItem::new("25th–75th percentile", Swatch::Band(INNER)),
        LegendItem::new("5th–95th percentile", Swatch::Band(OUTER)),
        LegendItem::new(
            match fan.exhausted {
                Some(f) => format!(
                    "Authorized shares (reached on {} of paths)",
                    style::percent(f)
                ),
                None => "Authorized shares".to_string(),
            },
            Swatch::Line(AUTHORIZED),
        ),
    ];

    // The y labels decide the left margin; a first guess of the plot height is
    // enough to choose them.
    let legend_h = draw::legend_height(&root, &items, body.w, &t) + (t.legend * 0.3) as i32;
    let plot_h = f64::from((body.h - legend_h - (t.tick * 2.3) as i32).max(1));
    let y = LogAxis::covering(
        series
            .iter()
            .flat_map(|(_, v)| [v[0], v[4]])
            .chain(fan.authorized.iter().map(|p| p.1))
            .chain([fan.start]),
        plot_h / t.tick,
    );
    let widest = y
        .ticks()
        .into_iter()
        .map(|v| draw::measure(&root, &style::shares(v), &style::text(t.tick)).0)
        .max()
        .unwrap_or(0);
    let left = widest + (t.tick * 0.8 + t.axis * 1.9) as i32;

    let band = Rect {
        x: body.x + left,
        w: (body.w - left).max(1),
        ..body
    };
    let lh = draw::legend_height(&root, &items, band.w, &t);
    let (top, rest) = body.take_top(lh + (t.legend * 0.3) as i32);
    draw::legend(&root, Rect { h: top.h, ..band }, &items, &t)?;

    let (first, last) = match (series.first(), series.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => {
            draw::empty_note(&root, rest, "no trading day in the window", &t)?;
            return Ok(());
        }
    };
    let max_labels = (f64::from((rest.w - left).max(1)) / (t.tick * 4.5)).floor() as usize;
    let x = MonthAxis::new(first, last, max_labels.clamp(2, 24));
    let area = rest.area(&root);
    let mut chart = ChartBuilder::on(&area)
        .margin_right((t.tick * 1.5) as i32)
        .margin_top((t.tick * 0.5) as i32)
        .x_label_area_size((t.tick * 1.8) as i32)
        .y_label_area_size(left)
        .build_cartesian_2d(x, y)?;
    axis::draw_mesh(
        &mut chart,
        &t,
        MeshText {
            y_desc: "Shares outstanding (log scale)",
            x_desc: None,
            x_labels: true,
            y_format: &|v| style::shares(*v),
            y_labels: 40,
        },
    )?;

    for (lo, hi, fill) in [(0, 4, OUTER), (1, 3, INNER)] {
        let mut ring: Vec<(NaiveDate, f64)> = series.iter().map(|(d, v)| (*d, v[hi])).collect();
        ring.extend(series.iter().rev().map(|(d, v)| (*d, v[lo])));
        chart.draw_series(std::iter::once(Polygon::new(ring, fill.filled())))?;
    }
    if !fan.authorized.is_empty() {
        draw::line(&mut chart, steps(fan.authorized), AUTHORIZED, &t)?;
    }
    let median: Vec<(NaiveDate, f64)> = series.iter().map(|(d, v)| (*d, v[2])).collect();
    draw::line(&mut chart, median, MEDIAN, &t)?;

    // The end of each band, labelled inside it: the reader gets the spread without
    // reading the log axis, and no label sits on the authorized line above.
    if let Some((d, v)) = series.last() {
        let lift = (t.annotation * 0.4) as i32;
        let near = (t.annotation * 3.8) as i32;
        let y = |k: usize| chart.backend_coord(&(*d, v[k])).1;
        // 95th below its edge, inside the band; the median above its line unless
        // that would meet the 95th's label, then below; the 5th above its edge
        // unless that would meet the median's, then below, outside the band.
        let median_below = (y(2) - y(4)).abs() < near;
        let fifth_below = (y(0) - y(2)).abs() < near;
        let place = |below: bool| {
            if below {
                (VPos::Top, lift)
            } else {
                (VPos::Bottom, -lift)
            }
        };
        for (k, name, (v_pos, dy)) in [
            (4, "95th", place(true)),
            (2, "median", place(median_below)),
            (0, "5th", place(fifth_below)),
        ] {
            let px = chart.backend_coord(&(*d, v[k])).0;
            draw::tag(
                &root,
                &format!("{name}: {}", style::shares(v[k])),
                (px - lift, y(k) + dy),
                Pos::new(HPos::Right, v_pos),
                &t,
            )?;
        }
    }
    // The model, in the bottom-right corner: below the lowest band at the end,
    // where a chart of shares that only grow leaves room.
    if !fan.note.is_empty() {
        let plot = Rect::of(chart.plotting_area());
        let pad = (t.annotation * 0.6) as i32;
        let (note, _) = draw::fit_text(&root, fan.note, t.annotation, false, plot.w - 2 * pad);
        draw::tag(
            &root,
            &note,
            (plot.x + plot.w - pad, plot.y + plot.h - pad),
            Pos::new(HPos::Right, VPos::Bottom),
            &t,
        )?;
    }
    Ok(())
}

/// A step line: each value holds until the next date.
fn steps(points: &[(NaiveDate, f64)]) -> Vec<(NaiveDate, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, p) in points.iter().enumerate() {
        if i > 0 {
            out.push((p.0, points[i - 1].1));
        }
        out.push(*p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fan_chart_renders_in_memory() {
        let d0 = NaiveDate::from_ymd_opt(2018, 1, 2).unwrap_or_default();
        let series: Vec<(NaiveDate, [f64; 5])> = (0..300)
            .map(|i| {
                let m = 5e9 * (1.0 + i as f64 / 50.0);
                (
                    d0 + chrono::Duration::days(i),
                    [m * 0.5, m * 0.8, m, m * 1.3, m * 2.0],
                )
            })
            .collect();
        let fan = Fan {
            title: "t",
            subtitle: "s",
            series: &series,
            authorized: &[(d0, 2e10)],
            start: 5e9,
            note: "GBM",
            exhausted: Some(0.25),
        };
        let png = render(&fan, ChartSize::default()).unwrap_or_default();
        assert!(png.starts_with(b"\x89PNG"));
    }
}

//! `split.png`: what each whole ratio of a reverse split does, read from the share
//! table `dilution split` prints. For "Current" and every 1-for-k: shares
//! outstanding (each holder of record rounded up, MODEL.md §9) beside the authorized
//! but unissued and unreserved headroom, under the authorized count (which a split
//! leaves alone); beneath, on the same ratio axis and only when a price is given,
//! the price each ratio implies against the $1.00 Nasdaq minimum bid.
//!
//! What it must not do: compute a figure. Every value is a cell of the
//! `ShareTable`; counts and prices become `f64` only as pixel coordinates, and the
//! price labels are the table's exact decimals.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use rust_decimal::Decimal;

use super::axis::{self, CategoryAxis};
use super::draw::{self, LegendItem, Marker, Rect, Swatch};
use super::marks::px;
use super::style::{self, Dash, Pen, Typography, okabe_ito};
use super::{ChartError, ChartFormat};
use crate::report::split::{price_text, ratio_label};
use crate::split::table::ShareTable;

/// The file name without extension.
pub const STEM: &str = "split";

/// `split.png` or `split.svg`.
pub fn file_name(format: ChartFormat) -> String {
    format!("{STEM}.{}", format.extension())
}

/// Outstanding: solid dark blue. Headroom: pale orange, hatched. In greyscale one is
/// dark and flat, the other light and striped.
const OUTSTANDING: RGBColor = okabe_ito::BLUE;
const HEADROOM_FILL: RGBColor = RGBColor(0xF8, 0xDC, 0x9E);
const HEADROOM_INK: RGBColor = RGBColor(0xB0, 0x6C, 0x00);
const AUTHORIZED: Pen = Pen::new(style::INK, 2.5, Dash::Dashed);
const PRICE: Pen = Pen::new(okabe_ito::VERMILLION, 3.5, Dash::Solid);
const PRICE_MARK: Marker = Marker::Dot(okabe_ito::VERMILLION);
const NASDAQ: Pen = Pen::new(style::INK, 2.5, Dash::Dashed);
/// Nasdaq Listing Rule 5550(a)(2): a closing bid of at least $1.00.
const NASDAQ_MINIMUM: f64 = 1.0;

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<CategoryAxis, RangedCoordf64>>;

/// Draws the split chart of `table` on `area`, titled with the ratio range and
/// subtitled with the scenario's `name`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    name: &str,
    table: &ShareTable,
) -> Result<(), ChartError> {
    if !style::register_fonts() {
        return Err(ChartError("the embedded font could not be loaded".into()));
    }
    let root = area.use_screen_coord();
    let (w, h) = root.dim_in_pixel();
    let t = Typography::for_size(w, h);
    let cols = &table.columns;
    let n = cols.len();
    let labels: Vec<String> = cols.iter().map(|c| ratio_label(c.ratio)).collect();
    let outstanding: Vec<f64> = cols.iter().map(|c| c.outstanding.rounded as f64).collect();
    let headroom: Vec<f64> = cols.iter().map(|c| c.headroom.rounded as f64).collect();
    let authorized = table.authorized as f64;
    // A price panel only when every column has a price (they all do, or none).
    let prices: Option<Vec<Decimal>> = cols.iter().map(|c| c.implied_price).collect();
    let prices = prices.filter(|p| !p.is_empty());

    let body = super::page(&root, &t, &title(table, prices.is_some()), name)?;
    let (top, bottom) = match prices {
        Some(_) => {
            let (a, b) = body.take_top((f64::from(body.h) * 0.6) as i32);
            (a, Some(b.inset((t.legend * 0.6) as i32, 0, 0, 0)))
        }
        None => (body, None),
    };

    let top_legend = vec![
        LegendItem::new(
            "Shares outstanding (each holder rounded up)",
            Swatch::Band(OUTSTANDING),
        ),
        LegendItem::new(
            "Authorized but unissued and unreserved",
            Swatch::Hatched {
                fill: HEADROOM_FILL,
                ink: HEADROOM_INK,
            },
        ),
        LegendItem::new(
            format!("Authorized: {} at every ratio", style::shares(authorized)),
            Swatch::Line(AUTHORIZED),
        ),
    ];
    let bottom_legend = vec![
        LegendItem::new(price_legend(table), Swatch::Line(PRICE)),
        LegendItem::new("Nasdaq minimum bid price, $1.00", Swatch::Line(NASDAQ)),
    ];

    // Axes first: their labels decide the y label width both panels share.
    let top_h = super::plot_height(&root, top, &top_legend, &t, bottom.is_none());
    let n_top = super::linear_label_count(top_h, &t);
    let y_top = axis::zero_based(
        outstanding
            .iter()
            .chain(&headroom)
            .copied()
            .chain([authorized]),
        0.1,
    );
    let mut y_labels = super::linear_labels(&y_top, n_top, style::shares);
    let price_axis = match (&prices, bottom) {
        (Some(p), Some(b)) => {
            // Denser than the house default: a reader compares $3.35 with $4.02.
            let h = super::plot_height(&root, b, &bottom_legend, &t, true);
            let n = ((h / (t.tick * 1.8)) as usize).clamp(2, 8);
            let y = axis::zero_based(p.iter().map(|v| px(*v)).chain([NASDAQ_MINIMUM]), 0.2);
            y_labels.extend(super::linear_labels(&y, n, style::money));
            Some((y, n))
        }
        _ => None,
    };
    let left = super::y_label_area(&root, &t, &y_labels);
    let right = (t.tick * 1.5) as i32;
    let slot = f64::from((body.w - left - right).max(1)) / n.max(1) as f64;
    let widest = labels
        .iter()
        .map(|l| draw::measure(&root, l, &style::text(t.tick)).0)
        .max()
        .unwrap_or(0);
    let need = CategoryAxis::label_step(widest, (t.tick * 1.2) as i32, slot);
    let ratios: Vec<u64> = cols.iter().map(|c| c.ratio).collect();
    let x_axis = CategoryAxis::new(labels).labelled(labelled(&ratios, need));

    // ---- top: outstanding and headroom, side by side, under the authorized count ----
    let plot = super::legend_band(&root, top, &top_legend, &t, left)?;
    let area = plot.area(&root);
    let mut chart = panel(&area, &t, x_axis.clone(), y_top, bottom.is_none(), left)?;
    mesh(
        &mut chart,
        &t,
        "Shares",
        &|v| style::shares(*v),
        bottom.is_none(),
        n_top,
    )?;
    bars(&root, &mut chart, &outstanding, &headroom, authorized, &t)?;
    if n == 0 {
        draw::empty_note(&root, super::plot_box(&chart), "No ratios to show", &t)?;
    }

    // ---- bottom: the implied price against the $1.00 minimum ----
    if let (Some(prices), Some(b), Some((y, n_bottom))) = (prices, bottom, price_axis) {
        let plot = super::legend_band(&root, b, &bottom_legend, &t, left)?;
        let area = plot.area(&root);
        let mut chart = panel(&area, &t, x_axis, y, true, left)?;
        mesh(
            &mut chart,
            &t,
            "Price (USD)",
            &|v| style::money(*v),
            true,
            n_bottom,
        )?;
        price_line(&root, &mut chart, &ratios, &prices, &t)?;
    }
    Ok(())
}

/// "Reverse split 1-for-5 to 1-for-10: shares, headroom and price".
fn title(table: &ShareTable, priced: bool) -> String {
    let what = if priced {
        "shares, headroom and price"
    } else {
        "shares and headroom"
    };
    let mut ks = table.columns.iter().map(|c| c.ratio).filter(|k| *k > 1);
    let (first, last) = (ks.next(), ks.next_back());
    match (first, last) {
        (Some(a), Some(b)) if a != b => format!("Reverse split 1-for-{a} to 1-for-{b}: {what}"),
        (Some(a), _) => format!("Reverse split 1-for-{a}: {what}"),
        _ => format!("Reverse split: {what}"),
    }
}

/// "Implied price: $0.67 × ratio", with the post-split factor when it is not 1.
fn price_legend(table: &ShareTable) -> String {
    let base = match table.price {
        Some(p) => format!("Implied price: {} × ratio", price_text(p)),
        None => "Implied price".to_string(),
    };
    if table.post_split_factor == Decimal::ONE {
        base
    } else {
        format!("{base} × {}", table.post_split_factor.normalize())
    }
}

/// Which columns to label when labels must be `need` columns apart: every column if
/// they fit, else "Current" and the ratios that are multiples of a round step (5, 10,
/// 20, 50, …), so a reader sees 1-for-10, 1-for-20 rather than 1-for-6, 1-for-11.
fn labelled(ratios: &[u64], need: usize) -> Vec<usize> {
    let all: Vec<usize> = (0..ratios.len()).collect();
    if need <= 1 {
        return all;
    }
    let need_k = need as u64;
    let step = [1u64, 2, 5]
        .iter()
        .flat_map(|m| (0..6).map(move |e| m * 10u64.pow(e)))
        .filter(|s| *s >= need_k)
        .min()
        .unwrap_or(need_k);
    let mut shown: Vec<usize> = Vec::new();
    for (i, k) in ratios.iter().enumerate() {
        let round = *k == 1 || k % step == 0;
        let clear = shown.last().is_none_or(|last| i - last >= need);
        if round && clear {
            shown.push(i);
        }
    }
    shown
}

/// A chart on `area` with the house margins: the ratio axis `x`, a linear `y`.
fn panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    t: &Typography,
    x: CategoryAxis,
    y: RangedCoordf64,
    x_labels: bool,
    left: i32,
) -> Result<Chart<'a, DB>, ChartError> {
    Ok(ChartBuilder::on(area)
        .margin_right((t.tick * 1.5) as i32)
        .margin_top((t.tick * 0.5) as i32)
        .x_label_area_size(super::x_label_area(t, x_labels))
        .y_label_area_size(left)
        .build_cartesian_2d(x, y)?)
}

/// Grid, ticks and labels in the house style (`axis::draw_mesh`'s), without vertical
/// grid lines: they would run through the bars.
fn mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Typography,
    y_desc: &str,
    y_format: &dyn Fn(&f64) -> String,
    x_labels: bool,
    y_labels: usize,
) -> Result<(), ChartError> {
    let hide = |_: &f64| String::new();
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .bold_line_style(style::GRID.stroke_width(t.width(1.0)))
        .light_line_style(style::GRID_LIGHT.stroke_width(t.width(1.0)))
        .axis_style(style::INK.stroke_width(t.width(1.5)))
        .label_style(style::text(t.tick))
        .axis_desc_style(style::text(t.axis))
        .y_desc(y_desc)
        .y_labels(y_labels)
        .y_max_light_lines(1)
        .y_label_formatter(y_format)
        .set_all_tick_mark_size(t.width(6.0));
    if !x_labels {
        mesh.x_label_formatter(&hide);
    }
    mesh.draw()?;
    Ok(())
}

/// The size at which every label fits in `max_w` pixels, between `size` and 70% of
/// it; `None` if even the smallest is too wide (the labels are then left out).
fn fitting_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &[String],
    size: f64,
    max_w: i32,
) -> Option<f64> {
    let widest = |s: f64| {
        labels
            .iter()
            .map(|l| draw::measure(root, l, &style::text(s)).0)
            .max()
            .unwrap_or(0)
    };
    let mut s = size;
    while s >= size * 0.7 {
        if widest(s) <= max_w {
            return Some(s);
        }
        s *= 0.93;
    }
    None
}

/// A value label with a white box behind it, centred on `x`, its bottom (or top)
/// edge at `y`.
fn value_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    (x, y): (i32, i32),
    above: bool,
) -> Result<(), ChartError> {
    let st = style::text(size);
    let (w, h) = draw::measure(root, text, &st);
    let top = if above { y - h } else { y };
    let pad = (size * 0.15) as i32;
    root.draw(&Rectangle::new(
        [
            (x - w / 2 - pad, top - pad),
            (x + w / 2 + pad, top + h + pad),
        ],
        style::PAPER.filled(),
    ))?;
    root.draw_text(text, &st, (x - w / 2, top))?;
    Ok(())
}

/// Each category's two bars (outstanding left, headroom right), the authorized line
/// over them, and a value label on each bar when there is room for one.
fn bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Chart<'_, DB>,
    outstanding: &[f64],
    headroom: &[f64],
    authorized: f64,
    t: &Typography,
) -> Result<(), ChartError> {
    let n = outstanding.len();
    let x_of = |chart: &Chart<'_, DB>, i: f64| chart.backend_coord(&(i, 0.0)).0;
    let slot = f64::from(x_of(chart, 1.0) - x_of(chart, 0.0)).max(0.0);
    let gap = (slot * 0.02).round() as i32;
    // Never wider than about five ems: two categories would otherwise draw slabs.
    let bw = ((slot * 0.36).min(t.tick * 5.0).round() as i32).max(1);
    let base = chart.backend_coord(&(0.0, 0.0)).1;
    let edge = |c: RGBColor| c.stroke_width(t.width(1.0));
    let hatch_min = (t.tick * 0.5) as i32;

    // (centre x of the bar, y of its end, value)
    let mut ends: Vec<(i32, i32, f64)> = Vec::with_capacity(2 * n);
    for i in 0..n {
        let cx = x_of(chart, i as f64);
        for (j, v) in [outstanding[i], headroom[i]].into_iter().enumerate() {
            let x0 = if j == 0 { cx - gap - bw } else { cx + gap };
            let y = chart.backend_coord(&(i as f64, v)).1;
            let r = Rect {
                x: x0,
                y: y.min(base),
                w: bw,
                h: (y - base).abs().max(i32::from(v != 0.0)),
            };
            if j == 0 {
                root.draw(&Rectangle::new(
                    [(r.x, r.y), (r.x + r.w, r.y + r.h)],
                    OUTSTANDING.filled(),
                ))?;
            } else {
                if bw >= hatch_min {
                    draw::hatched_rect(root, r, HEADROOM_FILL, HEADROOM_INK, t)?;
                } else {
                    // Too narrow to show stripes (hundreds of ratios): a flat fill,
                    // at a fraction of the drawing cost.
                    root.draw(&Rectangle::new(
                        [(r.x, r.y), (r.x + r.w, r.y + r.h)],
                        HEADROOM_FILL.filled(),
                    ))?;
                }
                if bw > 3 {
                    root.draw(&Rectangle::new(
                        [(r.x, r.y), (r.x + r.w, r.y + r.h)],
                        edge(HEADROOM_INK),
                    ))?;
                }
            }
            ends.push((x0 + bw / 2, y, v));
        }
    }
    let first = chart.x_range().start;
    let last = chart.x_range().end;
    if chart.y_range().start < 0.0 {
        // Bars run both ways from zero: mark it as firmly as the axis.
        draw::line(
            chart,
            vec![(first, 0.0), (last, 0.0)],
            Pen::new(style::INK, 1.5, Dash::Solid),
            t,
        )?;
    }
    draw::line(
        chart,
        vec![(first, authorized), (last, authorized)],
        AUTHORIZED,
        t,
    )?;

    let texts: Vec<String> = ends.iter().map(|e| style::shares(e.2)).collect();
    let room = bw + 2 * gap - (t.annotation * 0.2) as i32;
    let Some(size) = fitting_size(root, &texts, t.annotation, room) else {
        return Ok(());
    };
    let lift = (t.annotation * 0.35) as i32;
    let line_y = chart.backend_coord(&(0.0, authorized)).1;
    let line_half = t.width(AUTHORIZED.width) as i32 + 1;
    // (label height, where inside the bar's end, where beyond it, whether beyond it
    // sits on the authorized line, whether the bar is tall enough to hold it)
    let places: Vec<_> = ends
        .iter()
        .zip(&texts)
        .map(|((_, y, v), text)| {
            let h = draw::measure(root, text, &style::text(size)).1;
            let (inside, outside) = if *v >= 0.0 {
                ((y + lift, false), (y - lift, true))
            } else {
                ((y - lift, true), (y + lift, false))
            };
            let (a, b) = if outside.1 {
                (outside.0 - h, outside.0)
            } else {
                (outside.0, outside.0 + h)
            };
            let on_line = a - lift <= line_y + line_half && line_y - line_half <= b + lift;
            let fits_inside = (y - base).abs() > h + 3 * lift;
            (inside, outside, on_line, fits_inside)
        })
        .collect();
    // Beyond the bar's end, unless a label of the series would sit on the authorized
    // line (headroom nearly reaches it): then the whole series' labels go inside
    // their bars where they fit, so neighbours read alike.
    let inside_series: Vec<bool> = (0..2)
        .map(|j| places.iter().skip(j).step_by(2).any(|p| p.2 && p.3))
        .collect();
    for (i, ((x, _, _), text)) in ends.iter().zip(&texts).enumerate() {
        let (inside, outside, _, fits_inside) = places[i];
        let (at, above) = if inside_series[i % 2] && fits_inside {
            inside
        } else {
            outside
        };
        value_label(root, text, size, (*x, at), above)?;
    }
    Ok(())
}

/// The implied price at each ratio (a line through markers; "Current" stands apart,
/// since the categories are evenly spaced but the ratios jump from 1 to the first
/// k), the $1.00 minimum beneath it, tagged where it is clear of the prices, and
/// each price labelled when there is room.
fn price_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Chart<'_, DB>,
    ratios: &[u64],
    prices: &[Decimal],
    t: &Typography,
) -> Result<(), ChartError> {
    let (first, last) = (chart.x_range().start, chart.x_range().end);
    draw::line(
        chart,
        vec![(first, NASDAQ_MINIMUM), (last, NASDAQ_MINIMUM)],
        NASDAQ,
        t,
    )?;
    let points: Vec<(f64, f64)> = prices
        .iter()
        .enumerate()
        .map(|(i, p)| (i as f64, px(*p)))
        .collect();
    let split: Vec<(f64, f64)> = points
        .iter()
        .zip(ratios)
        .filter(|(_, k)| **k > 1)
        .map(|(p, _)| *p)
        .collect();
    draw::line(chart, split, PRICE, t)?;

    let b = super::plot_box(chart);
    let slot = f64::from(chart.backend_coord(&(1.0, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0);
    let marker_r = (9.0 * t.line).round().max(3.0);
    let mut taken: Vec<Rect> = Vec::new();
    if slot >= marker_r * 3.0 {
        let r = marker_r as i32 + 2;
        for p in &points {
            let (x, y) = chart.backend_coord(p);
            draw::marker(root, (x, y), PRICE_MARK, t)?;
            taken.push(Rect {
                x: x - r,
                y: y - r,
                w: 2 * r,
                h: 2 * r,
            });
        }
        let texts: Vec<String> = prices.iter().map(|p| price_text(*p)).collect();
        if let Some(size) = fitting_size(root, &texts, t.annotation, (slot * 0.9) as i32) {
            let line_y = chart.backend_coord(&(0.0, NASDAQ_MINIMUM)).1;
            let off = (marker_r * 1.6) as i32;
            for (p, text) in points.iter().zip(&texts) {
                let (x, y) = chart.backend_coord(p);
                let (w, h) = draw::measure(root, text, &style::text(size));
                // Above the marker, unless that puts the label on the $1.00 line or
                // out of the plot and below does neither.
                let above_hits = (y - off - h..=y - off).contains(&line_y) || y - off - h < b.y;
                let below_hits =
                    (y + off..=y + off + h).contains(&line_y) || y + off + h > b.y + b.h;
                let above = !above_hits || below_hits;
                let at = if above { y - off } else { y + off };
                value_label(root, text, size, (x, at), above)?;
                taken.push(Rect {
                    x: x - w / 2,
                    y: if above { at - h } else { at },
                    w,
                    h,
                });
            }
        }
    }
    minimum_tag(root, chart, &taken, t)
}

/// "$1.00 minimum bid" on the dashed line, at whichever end (above or below it) is
/// clear of the markers and their labels; left out if none is.
fn minimum_tag<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    taken: &[Rect],
    t: &Typography,
) -> Result<(), ChartError> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let text = "$1.00 minimum bid";
    let b = super::plot_box(chart);
    let y = chart.backend_coord(&(0.0, NASDAQ_MINIMUM)).1;
    let (w, h) = draw::measure(root, text, &style::text(t.annotation));
    let pad = (t.annotation * 0.4) as i32;
    // Top-left corners: right end above the line, below it, then the left end.
    let candidates = [
        (b.x + b.w - pad - w, y - pad - h),
        (b.x + b.w - pad - w, y + pad),
        (b.x + pad, y - pad - h),
        (b.x + pad, y + pad),
    ];
    let overlaps = |r: &Rect, o: &Rect| {
        r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h
    };
    for (x, top) in candidates {
        let r = Rect { x, y: top, w, h }.inset(-pad / 2, -pad / 2, -pad / 2, -pad / 2);
        let inside = r.x >= b.x && r.y >= b.y && r.x + r.w <= b.x + b.w && r.y + r.h <= b.y + b.h;
        if inside && !taken.iter().any(|o| overlaps(&r, o)) {
            draw::tag(root, text, (x, top), Pos::new(HPos::Left, VPos::Top), t)?;
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::split::RatioRange;
    use crate::split::table::{Snapshot, build};
    use rust_decimal_macros::dec;

    fn table(ratios: RatioRange, price: Option<Decimal>, factor: Decimal) -> ShareTable {
        let snap = Snapshot {
            authorized: 125_000_000,
            outstanding: 51_176_906,
            reserved: &[],
            investor: None,
            holders: &[],
        };
        build(&snap, ratios, price, factor).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn chart_split_title_names_the_range_and_what_is_drawn() {
        let t = table(RatioRange::PROXY, Some(dec!(0.67)), Decimal::ONE);
        assert_eq!(
            title(&t, true),
            "Reverse split 1-for-5 to 1-for-10: shares, headroom and price"
        );
        let one = table(RatioRange { first: 7, last: 7 }, None, Decimal::ONE);
        assert_eq!(
            title(&one, false),
            "Reverse split 1-for-7: shares and headroom"
        );
        assert_eq!(price_legend(&t), "Implied price: $0.67 × ratio");
        let f = table(RatioRange::PROXY, Some(dec!(0.67)), dec!(0.80));
        assert_eq!(price_legend(&f), "Implied price: $0.67 × ratio × 0.8");
        assert_eq!(file_name(ChartFormat::Svg), "split.svg");
    }

    #[test]
    fn chart_split_labels_round_ratios_when_they_must_thin() {
        let ratios: Vec<u64> = std::iter::once(1).chain(2..=60).collect();
        assert_eq!(labelled(&ratios, 1).len(), 60);
        let shown = labelled(&ratios, 4);
        let ks: Vec<u64> = shown.iter().map(|i| ratios[*i]).collect();
        assert_eq!(ks[..4], [1, 5, 10, 15]);
        assert!(shown.windows(2).all(|w| w[1] - w[0] >= 4));
        // 1-for-2 is a multiple of 2 but too close to "Current".
        let ks: Vec<u64> = labelled(&ratios, 2).iter().map(|i| ratios[*i]).collect();
        assert_eq!(ks[..3], [1, 4, 6]);
    }
}

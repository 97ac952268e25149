//! `dilution.png`: shares outstanding on a log axis (it grows by orders of magnitude
//! in a spiral) with the authorized count as a step line and markers for tranche
//! closings, skipped tranches, splits and authorized changes; beneath it, on the same
//! dates, the holder's stake against the ownership cap.

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{self, LogAxis, MeshText};
use super::draw::{self, LegendItem, Marker, Swatch};
use super::marks::{Marks, px, row_at, span, steps};
use super::style::{self, Dash, Pen, Typography, okabe_ito};
use super::{ChartError, Rect, SPLIT_PEN};
use crate::engine::Simulation;
use crate::scenario::Scenario;

const OUTSTANDING: Pen = Pen::new(okabe_ito::BLUE, 4.0, Dash::Solid);
const AUTHORIZED: Pen = Pen::new(okabe_ito::VERMILLION, 3.0, Dash::Dashed);
const HOLDER: Pen = Pen::new(okabe_ito::BLUISH_GREEN, 3.0, Dash::Solid);
const CAP: Pen = Pen::new(okabe_ito::VERMILLION, 3.0, Dash::Dashed);
const TRANCHE: Marker = Marker::Triangle(okabe_ito::BLACK);
const SKIPPED: Marker = Marker::HollowTriangle(okabe_ito::BLACK);
const AUTHORIZE: Marker = Marker::Diamond(okabe_ito::VERMILLION);

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Scenario,
    sim: &Simulation,
) -> Result<(), ChartError> {
    let root = root.use_screen_coord();
    let (w, h) = root.dim_in_pixel();
    let t = Typography::for_size(w, h);
    let marks = Marks::of(sim);
    let days = &sim.days;

    // The count before the first day's conversions, so the line starts where the
    // company did (the first row is recorded after that day's trading).
    let start = sim.totals.outstanding_start as f64;
    let mut outstanding: Vec<_> = days
        .iter()
        .map(|d| (d.date, d.outstanding as f64))
        .collect();
    if let Some(&(d0, v0)) = outstanding.first() {
        if v0 != start {
            outstanding.insert(0, (d0, start));
        }
    }
    let authorized: Vec<_> = days.iter().map(|d| (d.date, d.authorized as f64)).collect();
    let cap = px(s.conversion.cap);
    let holder: Vec<_> = days.iter().map(|d| (d.date, px(d.holder_pct))).collect();

    let title = match outstanding.last() {
        Some(&(_, end)) => format!(
            "Shares outstanding {} → {}",
            style::shares(start),
            style::shares(end)
        ),
        None => "Shares outstanding".to_string(),
    };
    let body = super::page(&root, &t, &title, &s.name)?;
    let (top, bottom) = body.take_top((f64::from(body.h) * 0.6) as i32);
    let bottom = bottom.inset((t.legend * 0.5) as i32, 0, 0, 0);

    let mut top_legend = vec![
        LegendItem::new("Shares outstanding", Swatch::Line(OUTSTANDING)),
        LegendItem::new("Authorized shares", Swatch::Line(AUTHORIZED)),
    ];
    if !marks.tranches_closed.is_empty() {
        top_legend.push(LegendItem::new("Tranche closed", Swatch::Marker(TRANCHE)));
    }
    if !marks.tranches_skipped.is_empty() {
        top_legend.push(LegendItem::new("Tranche skipped", Swatch::Marker(SKIPPED)));
    }
    if !marks.authorized.is_empty() {
        top_legend.push(LegendItem::new(
            "Authorized count changed",
            Swatch::Marker(AUTHORIZE),
        ));
    }
    if !marks.splits.is_empty() {
        top_legend.push(LegendItem::new("Reverse split", Swatch::Rule(SPLIT_PEN)));
    }
    let bottom_legend = vec![
        LegendItem::new(
            format!("{}'s stake (% of shares outstanding)", s.holder.name),
            Swatch::Line(HOLDER),
        ),
        LegendItem::new(
            format!("Ownership cap ({})", style::percent(cap)),
            Swatch::Line(CAP),
        ),
    ];

    // Axes first: their labels decide the y label width both panels share.
    let top_h = super::plot_height(&root, top, &top_legend, &t, false);
    let y_top = LogAxis::covering(
        outstanding.iter().chain(&authorized).map(|p| p.1),
        top_h / t.tick,
    );
    let bottom_h = super::plot_height(&root, bottom, &bottom_legend, &t, true);
    let n_bottom = super::linear_label_count(bottom_h, &t);
    let y_bottom = axis::zero_based(holder.iter().map(|p| p.1).chain([cap]), 0.15);
    let mut labels: Vec<String> = y_top.ticks().into_iter().map(style::shares).collect();
    labels.extend(super::linear_labels(&y_bottom, n_bottom, style::percent));
    let left = super::y_label_area(&root, &t, &labels);
    let x_axis = super::date_axis(s, sim, body.w - left, &t);

    // ---- top: shares outstanding and authorized, log scale ----
    let plot = super::legend_band(&root, top, &top_legend, &t, left)?;
    let area = plot.area(&root);
    let mut chart = super::panel(
        &area,
        &t,
        x_axis.clone(),
        y_top,
        false,
        left,
        !marks.splits.is_empty(),
    )?;
    axis::draw_mesh(
        &mut chart,
        &t,
        MeshText {
            y_desc: "Shares (log scale)",
            x_desc: None,
            x_labels: false,
            y_format: &|v| style::shares(*v),
            y_labels: 40,
        },
    )?;
    // Authorized over outstanding: where the count runs into it, both stay visible.
    let (first, last) = (x_axis.range().start, x_axis.range().end);
    draw::line(&mut chart, outstanding.clone(), OUTSTANDING, &t)?;
    draw::line(
        &mut chart,
        span(steps(&authorized), first, last),
        AUTHORIZED,
        &t,
    )?;
    super::split_rules(&root, &chart, &marks.splits, true, &t)?;
    for (list, m) in [
        (&marks.tranches_closed, TRANCHE),
        (&marks.tranches_skipped, SKIPPED),
    ] {
        for e in list {
            if let Some(r) = row_at(days, e.date) {
                let at = chart.backend_coord(&(e.date, r.outstanding as f64));
                draw::marker(&root, at, m, &t)?;
            }
        }
    }
    for (d, n) in &marks.authorized {
        if n.is_finite() {
            let at = chart.backend_coord(&(*d, *n));
            draw::marker(&root, at, AUTHORIZE, &t)?;
        }
    }
    end_tags(&root, &chart, &outstanding, &t)?;

    // ---- bottom: the holder's stake against the cap ----
    let plot = super::legend_band(&root, bottom, &bottom_legend, &t, left)?;
    let area = plot.area(&root);
    let mut chart = super::panel(&area, &t, x_axis.clone(), y_bottom, true, left, false)?;
    axis::draw_mesh(
        &mut chart,
        &t,
        MeshText {
            y_desc: "Holder's stake (%)",
            x_desc: None,
            x_labels: true,
            y_format: &|v| style::percent(*v),
            y_labels: n_bottom,
        },
    )?;
    draw::line(&mut chart, vec![(first, cap), (last, cap)], CAP, &t)?;
    draw::line(&mut chart, holder, HOLDER, &t)?;
    super::split_rules(&root, &chart, &marks.splits, false, &t)?;
    Ok(())
}

/// Labels the last value of the outstanding line, so the reader sees where it ended
/// without reading the log axis (the title gives the start).
fn end_tags<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<super::axis::MonthAxis, LogAxis>>,
    series: &[(chrono::NaiveDate, f64)],
    t: &Typography,
) -> Result<(), ChartError> {
    let lift = (t.annotation * 0.5) as i32;
    if let Some(b) = series.last() {
        let (x, y) = chart.backend_coord(b);
        let bx: Rect = super::plot_box(chart);
        // Above the line, unless that would leave the plot (a count at its ceiling).
        let (y, v) = if y - bx.y > (t.annotation * 2.5) as i32 {
            (y - lift * 2, VPos::Bottom)
        } else {
            (y + lift * 2, VPos::Top)
        };
        draw::tag(
            root,
            &style::shares(b.1),
            (x.min(bx.x + bx.w - lift), y),
            Pos::new(HPos::Right, v),
            t,
        )?;
    }
    Ok(())
}

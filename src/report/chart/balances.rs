//! `balances.png`: principal outstanding per note, stacked (how the debt ran off,
//! note by note), and beneath it the cumulative cash the company paid against the
//! cumulative amount converted into shares (how it was settled).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{self, MeshText, MonthAxis};
use super::draw::{self, LegendItem, Swatch};
use super::marks::{Marks, px};
use super::style::{self, Dash, Pen, Typography, okabe_ito};
use super::{ChartError, SPLIT_PEN};
use crate::engine::Simulation;
use crate::scenario::Scenario;

const CASH: Pen = Pen::new(okabe_ito::BLUE, 4.0, Dash::Solid);
const CONVERTED: Pen = Pen::new(okabe_ito::VERMILLION, 4.0, Dash::Dashed);

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

    let body = super::page(
        &root,
        &t,
        "Note principal outstanding, and how the notes were settled",
        &s.name,
    )?;
    let (top, bottom) = body.take_top((f64::from(body.h) * 0.55) as i32);
    let bottom = bottom.inset((t.legend * 0.5) as i32, 0, 0, 0);

    // ---- top: principal outstanding per note, stacked ----
    // Only notes that carried principal in the window; a skipped tranche never did.
    let shown: Vec<usize> = (0..sim.notes.len())
        .filter(|&i| {
            days.iter()
                .any(|d| d.note_principal.get(i).is_some_and(|p| !p.is_zero()))
        })
        .collect();
    // Cumulative tops per band: tops[b][day].
    let mut tops: Vec<Vec<f64>> = Vec::with_capacity(shown.len());
    for (b, &i) in shown.iter().enumerate() {
        let row: Vec<f64> = days
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let below = if b == 0 { 0.0 } else { tops[b - 1][k] };
                below + d.note_principal.get(i).map(|p| px(*p)).unwrap_or(0.0)
            })
            .collect();
        tops.push(row);
    }
    // Legend reads in stacking order, bottom band first, like the notes' order in
    // the scenario.
    let mut legend: Vec<LegendItem> = shown
        .iter()
        .enumerate()
        .map(|(b, &i)| {
            let id = sim.notes.get(i).map(|n| n.terms.id.as_str()).unwrap_or("");
            LegendItem::new(id, Swatch::Band(style::band_fill(b)))
        })
        .collect();
    if !marks.splits.is_empty() {
        legend.push(LegendItem::new("Reverse split", Swatch::Rule(SPLIT_PEN)));
    }
    let cash: Vec<_> = days.iter().map(|d| (d.date, px(d.cash_paid))).collect();
    let converted: Vec<_> = days
        .iter()
        .map(|d| (d.date, px(d.converted_total)))
        .collect();
    let bottom_legend = vec![
        LegendItem::new(
            "Cash paid by the company (principal + interest, cumulative)",
            Swatch::Line(CASH),
        ),
        LegendItem::new(
            "Converted into shares (principal + interest, cumulative)",
            Swatch::Line(CONVERTED),
        ),
    ];

    // Axes first: their labels decide the y label width both panels share.
    let n_top = super::linear_label_count(super::plot_height(&root, top, &legend, &t, false), &t);
    let y_top = axis::zero_based(tops.last().into_iter().flatten().copied(), 0.08);
    let n_bottom = super::linear_label_count(
        super::plot_height(&root, bottom, &bottom_legend, &t, true),
        &t,
    );
    let y_bottom = axis::zero_based(cash.iter().chain(&converted).map(|p| p.1), 0.12);
    let mut labels = super::linear_labels(&y_top, n_top, style::money);
    labels.extend(super::linear_labels(&y_bottom, n_bottom, style::money));
    let left = super::y_label_area(&root, &t, &labels);
    let x_axis = super::date_axis(s, sim, body.w - left, &t);

    let plot = super::legend_band(&root, top, &legend, &t, left)?;
    let area = plot.area(&root);
    let mut chart = super::panel(&area, &t, x_axis.clone(), y_top, false, left)?;
    axis::draw_mesh(
        &mut chart,
        &t,
        MeshText {
            y_desc: "Principal outstanding (USD)",
            x_desc: None,
            x_labels: false,
            y_format: &|v| style::money(*v),
            y_labels: n_top,
        },
    )?;
    stack(&mut chart, sim, &tops, &t)?;
    if shown.is_empty() {
        draw::empty_note(
            &root,
            super::plot_box(&chart),
            "No note carried principal in this window",
            &t,
        )?;
    }
    super::split_rules(&root, &chart, &marks.splits, true, &t)?;

    // ---- bottom: cumulative cash paid against amount converted ----
    let gap = (t.legend * 0.5) as i32;
    let plot = super::legend_band(&root, bottom, &bottom_legend, &t, left)?;
    let area = plot.area(&root);
    let mut chart = super::panel(&area, &t, x_axis, y_bottom, true, left)?;
    axis::draw_mesh(
        &mut chart,
        &t,
        MeshText {
            y_desc: "Cumulative (USD)",
            x_desc: None,
            x_labels: true,
            y_format: &|v| style::money(*v),
            y_labels: n_bottom,
        },
    )?;
    draw::line(&mut chart, converted.clone(), CONVERTED, &t)?;
    draw::line(&mut chart, cash.clone(), CASH, &t)?;
    let bx = super::plot_box(&chart);
    for series in [&cash, &converted] {
        if let Some(&last) = series.last() {
            let (x, y) = chart.backend_coord(&last);
            draw::tag(
                &root,
                &style::money(last.1),
                (x.min(bx.x + bx.w) - gap, y - gap),
                Pos::new(HPos::Right, VPos::Bottom),
                &t,
            )?;
        }
    }
    super::split_rules(&root, &chart, &marks.splits, false, &t)?;
    Ok(())
}

/// Fills each note's band between the band below and its own top, with a white rule
/// on top so neighbouring bands stay apart in greyscale.
fn stack<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<MonthAxis, plotters::coord::types::RangedCoordf64>,
    >,
    sim: &Simulation,
    tops: &[Vec<f64>],
    t: &Typography,
) -> Result<(), ChartError> {
    let dates: Vec<_> = sim.days.iter().map(|d| d.date).collect();
    for (b, top) in tops.iter().enumerate() {
        let mut outline: Vec<_> = dates.iter().copied().zip(top.iter().copied()).collect();
        let below: Vec<_> = match b {
            0 => dates.iter().map(|d| (*d, 0.0)).collect(),
            _ => dates
                .iter()
                .copied()
                .zip(tops[b - 1].iter().copied())
                .collect(),
        };
        outline.extend(below.into_iter().rev());
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            style::band_fill(b).filled(),
        )))?;
    }
    for top in tops {
        let line: Vec<_> = dates.iter().copied().zip(top.iter().copied()).collect();
        draw::line(chart, line, Pen::new(style::PAPER, 1.5, Dash::Solid), t)?;
    }
    Ok(())
}

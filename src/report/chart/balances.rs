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
use chrono::NaiveDate;
use plotters::coord::types::RangedCoordf64;

use crate::engine::{EventKind, Simulation};
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

    let body = super::page(&root, &t, &title(sim), &s.name)?;
    let (top, bottom) = body.take_top((f64::from(body.h) * 0.55) as i32);
    let bottom = bottom.inset((t.legend * 0.5) as i32, 0, 0, 0);

    // ---- top: principal outstanding per note, stacked ----
    let (dates, per_note) = note_balances(sim);
    // Only notes that carried principal in the window; a skipped tranche never did.
    let shown: Vec<usize> = (0..per_note.len())
        .filter(|&i| per_note[i].iter().any(|v| *v != 0.0))
        .collect();
    // Cumulative tops per band: tops[b][point].
    let mut tops: Vec<Vec<f64>> = Vec::with_capacity(shown.len());
    for &i in &shown {
        let row: Vec<f64> = match tops.last() {
            None => per_note[i].clone(),
            Some(below) => below.iter().zip(&per_note[i]).map(|(a, b)| a + b).collect(),
        };
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
            y_desc: "Principal outstanding (USD)",
            x_desc: None,
            x_labels: false,
            y_format: &|v| style::money(*v),
            y_labels: n_top,
        },
    )?;
    stack(&mut chart, &dates, &tops, &t)?;
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
    let mut chart = super::panel(&area, &t, x_axis, y_bottom, true, left, false)?;
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

/// "Note principal $6.06M: $4.15M converted, $1.9M paid in cash": the whole story
/// of the chart in its title.
fn title(sim: &Simulation) -> String {
    let tot = &sim.totals;
    if tot.principal_issued.is_zero() {
        return "Note principal: no notes issued in this window".into();
    }
    let mut parts = vec![
        format!("{} converted", style::money(px(tot.principal_converted))),
        format!("{} paid in cash", style::money(px(tot.principal_paid_cash))),
    ];
    if !tot.principal_outstanding.is_zero() {
        parts.push(format!(
            "{} outstanding",
            style::money(px(tot.principal_outstanding))
        ));
    }
    format!(
        "Note principal {}: {}",
        style::money(px(tot.principal_issued)),
        parts.join(", ")
    )
}

/// Each note's principal on the stack's x grid: for every trading day, the balance
/// before trading (the previous close plus what was issued since) and after it, both
/// at that date. The bands are then steps, and a tranche issued and converted on the
/// same day still shows its principal.
fn note_balances(sim: &Simulation) -> (Vec<NaiveDate>, Vec<Vec<f64>>) {
    let n = sim.notes.len();
    let mut issued: Vec<Vec<(NaiveDate, f64)>> = vec![Vec::new(); n];
    for e in &sim.events {
        if let (EventKind::Issue, Some(i)) = (&e.kind, e.note) {
            if let Some(list) = issued.get_mut(i) {
                list.push((e.date, e.amount.map(px).unwrap_or(0.0)));
            }
        }
    }
    let mut dates = Vec::with_capacity(sim.days.len() * 2);
    let mut values = vec![Vec::with_capacity(sim.days.len() * 2); n];
    let mut prev_date: Option<NaiveDate> = None;
    for d in &sim.days {
        dates.push(d.date);
        dates.push(d.date);
        for (i, series) in values.iter_mut().enumerate() {
            let before = series.last().copied().unwrap_or(0.0);
            let new: f64 = issued[i]
                .iter()
                .filter(|(on, _)| prev_date.is_none_or(|p| *on > p) && *on <= d.date)
                .map(|(_, a)| a)
                .sum();
            let after = d.note_principal.get(i).map(|p| px(*p)).unwrap_or(0.0);
            series.push(before + new);
            series.push(after);
        }
        prev_date = Some(d.date);
    }
    (dates, values)
}

/// Fills each note's band between the band below and its own top, with a white rule
/// on top so neighbouring bands stay apart in greyscale.
fn stack<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<MonthAxis, RangedCoordf64>>,
    dates: &[NaiveDate],
    tops: &[Vec<f64>],
    t: &Typography,
) -> Result<(), ChartError> {
    for (b, top) in tops.iter().enumerate() {
        let mut outline: Vec<_> = dates.iter().copied().zip(top.iter().copied()).collect();
        match b {
            0 => outline.extend(dates.iter().rev().map(|d| (*d, 0.0))),
            _ => outline.extend(dates.iter().copied().zip(tops[b - 1].iter().copied()).rev()),
        }
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            style::band_fill(b).filled(),
        )))?;
    }
    // The rule follows each top's level stretches only: on a vertical jump (an issue
    // or a conversion) it would paint over a band one pixel wide, such as a tranche
    // issued and converted on the same day.
    let rule = Pen::new(style::PAPER, 1.5, Dash::Solid);
    for top in tops {
        let mut run: Vec<(NaiveDate, f64)> = Vec::new();
        for (d, v) in dates.iter().copied().zip(top.iter().copied()) {
            if run.last().is_some_and(|&(pd, pv)| pd == d && pv != v) {
                if run.len() > 1 {
                    draw::line(chart, std::mem::take(&mut run), rule, t)?;
                }
                run.clear();
            }
            run.push((d, v));
        }
        if run.len() > 1 {
            draw::line(chart, run, rule, t)?;
        }
    }
    Ok(())
}

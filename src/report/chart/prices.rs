//! `prices.png`: the market (close and VWAP) against the price the notes convert at,
//! on a log axis (prices fall by decades in a spiral), with the par value, the fixed
//! price and the floor as lines and split dates marked. The fixed price and floor
//! are multiplied by k at a 1-for-k split (MODEL.md §7), so they are step lines.

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;

use super::axis::{self, LogAxis, MeshText};
use super::draw::{self, LegendItem, Swatch};
use super::marks::{Marks, levels, px, runs, span, steps};
use super::style::{self, Dash, Pen, Typography, okabe_ito};
use super::{ChartError, SPLIT_PEN};
use crate::engine::Simulation;
use crate::scenario::Scenario;

// Close and VWAP nearly coincide: VWAP is a wide pale band under a thin black close,
// so both stay visible (and tell apart in greyscale) where they overlap.
const CLOSE: Pen = Pen::new(okabe_ito::BLACK, 1.5, Dash::Solid);
const VWAP: Pen = Pen::new(okabe_ito::SKY_BLUE, 7.0, Dash::Solid);
const CONVERSION: Pen = Pen::new(okabe_ito::VERMILLION, 4.0, Dash::Solid);
// Reference levels are drawn over the prices, dashed and thinner, so a conversion
// price that sits on its floor or fixed price shows both.
const PAR: Pen = Pen::new(okabe_ito::REDDISH_PURPLE, 2.5, Dash::Dashed);
const FIXED: Pen = Pen::new(okabe_ito::BLUISH_GREEN, 2.5, Dash::Dashed);
const FLOOR: Pen = Pen::new(okabe_ito::BLUE, 2.5, Dash::Dashed);

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
        "Share price and the notes' conversion price",
        &s.name,
    )?;

    let close: Vec<_> = days.iter().map(|d| (d.date, px(d.close))).collect();
    let vwap: Vec<_> = days.iter().map(|d| (d.date, px(d.vwap))).collect();
    let conversion = runs(days.iter().map(|d| (d.date, d.conversion_price.map(px))));
    let par = px(s.company.par_value);
    // Scaled by the splits in effect on each day, as the engine scales them.
    let scaled = |base: Option<rust_decimal::Decimal>| {
        base.map(|b| {
            let pts: Vec<_> = days
                .iter()
                .map(|d| (d.date, px(b) * marks.split_factor(d.date)))
                .collect();
            steps(&pts)
        })
    };
    let fixed = scaled(s.conversion.fixed_price);
    let floor = scaled(s.conversion.floor);

    let conversion_label = if conversion.is_empty() {
        format!(
            "Conversion price (none yet: it needs {} trading days of history)",
            s.conversion.vwap_days
        )
    } else {
        "Conversion price".to_string()
    };
    let mut legend = vec![
        LegendItem::new("Close", Swatch::Line(CLOSE)),
        LegendItem::new("VWAP", Swatch::Line(VWAP)),
        LegendItem::new(conversion_label, Swatch::Line(CONVERSION)),
        LegendItem::new(
            format!("Par value ({})", style::money(par)),
            Swatch::Line(PAR),
        ),
    ];
    // A fixed price or floor is multiplied at each split: the label lists its levels.
    let with_value = |name: &str, steps: &[(chrono::NaiveDate, f64)]| {
        format!("{name} ({})", levels(steps, style::money))
    };
    if let Some(f) = &fixed {
        legend.push(LegendItem::new(
            with_value("Fixed price", f),
            Swatch::Line(FIXED),
        ));
    }
    if let Some(f) = &floor {
        legend.push(LegendItem::new(with_value("Floor", f), Swatch::Line(FLOOR)));
    }
    if !marks.splits.is_empty() {
        legend.push(LegendItem::new("Reverse split", Swatch::Rule(SPLIT_PEN)));
    }
    let every = close
        .iter()
        .chain(&vwap)
        .chain(conversion.iter().flatten())
        .chain(fixed.iter().flatten())
        .chain(floor.iter().flatten())
        .map(|p| p.1)
        .chain([par]);
    let y = LogAxis::covering(
        every,
        super::plot_height(&root, body, &legend, &t, true) / t.tick,
    );
    let labels: Vec<String> = y.ticks().into_iter().map(style::money).collect();
    let left = super::y_label_area(&root, &t, &labels);
    let x_axis = super::date_axis(s, sim, body.w - left, &t);

    let plot = super::legend_band(&root, body, &legend, &t, left)?;
    let area = plot.area(&root);
    let mut chart = super::panel(
        &area,
        &t,
        x_axis.clone(),
        y,
        true,
        left,
        !marks.splits.is_empty(),
    )?;
    axis::draw_mesh(
        &mut chart,
        &t,
        MeshText {
            y_desc: "Price per share (USD, log scale)",
            x_desc: None,
            x_labels: true,
            y_format: &|v| style::money(*v),
            y_labels: 40,
        },
    )?;
    draw::line(&mut chart, vwap, VWAP, &t)?;
    draw::line(&mut chart, close, CLOSE, &t)?;
    for run in conversion {
        draw::line(&mut chart, run, CONVERSION, &t)?;
    }
    let (first, last) = (x_axis.range().start, x_axis.range().end);
    draw::line(&mut chart, vec![(first, par), (last, par)], PAR, &t)?;
    if let Some(f) = fixed {
        draw::line(&mut chart, span(f, first, last), FIXED, &t)?;
    }
    if let Some(f) = floor {
        draw::line(&mut chart, span(f, first, last), FLOOR, &t)?;
    }
    super::split_rules(&root, &chart, &marks.splits, true, &t)?;
    Ok(())
}

//! Drawing helpers every chart shares: the title block, a legend laid out in its own
//! band (so it never covers data), markers, dashed lines in data coordinates and
//! vertical rules for dated events. Everything draws on the image's root area in
//! absolute pixels, or on a chart in data coordinates.
//!
//! What it must not do: know what is being plotted.

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartError;
use super::style::{self, Pen, Typography};

/// A rectangle in absolute pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    /// The whole of an area, in absolute pixels.
    pub fn of<DB: DrawingBackend, C: plotters::coord::CoordTranslate>(
        area: &DrawingArea<DB, C>,
    ) -> Rect {
        let (xs, ys) = area.get_pixel_range();
        Rect {
            x: xs.start,
            y: ys.start,
            w: xs.end - xs.start,
            h: ys.end - ys.start,
        }
    }

    /// This rectangle less a margin on each side.
    pub fn inset(&self, top: i32, right: i32, bottom: i32, left: i32) -> Rect {
        Rect {
            x: self.x + left,
            y: self.y + top,
            w: (self.w - left - right).max(1),
            h: (self.h - top - bottom).max(1),
        }
    }

    /// Cuts `h` pixels off the top: (the strip, the rest).
    pub fn take_top(&self, h: i32) -> (Rect, Rect) {
        let h = h.clamp(0, self.h - 1);
        (
            Rect { h, ..*self },
            Rect {
                y: self.y + h,
                h: self.h - h,
                ..*self
            },
        )
    }

    /// The sub-area of `root` this rectangle covers (its own coordinates start at
    /// the rectangle's corner).
    pub fn area<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawingArea<DB, Shift> {
        let (bx, by) = root.get_base_pixel();
        root.clone().shrink(
            (self.x - bx, self.y - by),
            (self.w.max(1) as u32, self.h.max(1) as u32),
        )
    }
}

/// Text width and height in pixels; zero if the font cannot measure it.
pub fn measure<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    st: &TextStyle,
) -> (i32, i32) {
    root.estimate_text_size(text, st)
        .map(|(w, h)| (w as i32, h as i32))
        .unwrap_or((0, 0))
}

/// The largest size ≤ `size` (down to 60% of it) at which `text` fits in `max_w`
/// pixels, and the text itself, shortened with an ellipsis if even that is too wide.
pub fn fit_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    bold: bool,
    max_w: i32,
) -> (String, f64) {
    let make = |s: f64| if bold { style::bold(s) } else { style::text(s) };
    let mut s = size;
    while s > size * 0.6 && measure(root, text, &make(s)).0 > max_w {
        s *= 0.95;
    }
    if measure(root, text, &make(s)).0 <= max_w {
        return (text.to_string(), s);
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let t: String = chars.iter().collect::<String>() + "…";
        if measure(root, &t, &make(s)).0 <= max_w {
            return (t, s);
        }
    }
    (String::new(), s)
}

/// Draws a bold title and a lighter subtitle (the scenario's name) at the top of
/// `r`; returns the rectangle left below them.
pub fn title_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    t: &Typography,
    title: &str,
    subtitle: &str,
) -> Result<Rect, ChartError> {
    let (title, ts) = fit_text(root, title, t.title, true, r.w);
    root.draw_text(&title, &style::bold(ts), (r.x, r.y))?;
    let mut y = r.y + (ts * 1.25) as i32;
    if !subtitle.is_empty() {
        let (sub, ss) = fit_text(root, subtitle, t.subtitle, false, r.w);
        root.draw_text(&sub, &style::text(ss).color(&style::MUTED), (r.x, y))?;
        y += (ss * 1.3) as i32;
    }
    Ok(r.take_top(y - r.y + (t.subtitle * 0.4) as i32).1)
}

/// A point marker. Shapes differ as well as colours, so markers survive greyscale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Marker {
    /// Filled upward triangle.
    Triangle(RGBColor),
    /// Outlined upward triangle (something that did not happen: a skipped tranche).
    HollowTriangle(RGBColor),
    /// Filled diamond.
    Diamond(RGBColor),
    /// Filled circle.
    Dot(RGBColor),
}

/// Draws a marker centred at `(x, y)` in absolute pixels.
pub fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    m: Marker,
    t: &Typography,
) -> Result<(), ChartError> {
    let s = (9.0 * t.line).round().max(3.0) as i32;
    let edge = |c: RGBColor| ShapeStyle {
        color: c.into(),
        filled: false,
        stroke_width: t.width(2.5),
    };
    // A white halo first, so a marker on a line stays readable.
    let halo = |pts: &[(i32, i32)]| -> Result<(), ChartError> {
        let grown: Vec<(i32, i32)> = pts
            .iter()
            .map(|(px, py)| (x + (px - x) * 13 / 10, y + (py - y) * 13 / 10))
            .collect();
        root.draw(&Polygon::new(grown, style::PAPER.filled()))?;
        Ok(())
    };
    match m {
        Marker::Triangle(c) | Marker::HollowTriangle(c) => {
            let pts = [(x, y - s), (x + s, y + s * 3 / 4), (x - s, y + s * 3 / 4)];
            halo(&pts)?;
            if matches!(m, Marker::Triangle(_)) {
                root.draw(&Polygon::new(pts.to_vec(), c.filled()))?;
            } else {
                let mut ring = pts.to_vec();
                ring.push(pts[0]);
                root.draw(&PathElement::new(ring, edge(c)))?;
            }
        }
        Marker::Diamond(c) => {
            let pts = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)];
            halo(&pts)?;
            root.draw(&Polygon::new(pts.to_vec(), c.filled()))?;
        }
        Marker::Dot(c) => {
            root.draw(&Circle::new((x, y), s * 13 / 10, style::PAPER.filled()))?;
            root.draw(&Circle::new((x, y), s, c.filled()))?;
        }
    }
    Ok(())
}

/// Draws a polyline in a chart's data coordinates with a pen's dash.
pub fn line<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    points: Vec<(X::ValueType, Y::ValueType)>,
    pen: Pen,
    t: &Typography,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    X: Ranged,
    Y: Ranged,
    X::ValueType: Clone + 'static,
    Y::ValueType: Clone + 'static,
{
    let stroke = pen.stroke(t);
    if points.len() < 2 {
        // One day of data has no line to draw: show the point itself.
        let r = t.width(pen.width * 1.5).max(t.width(5.0));
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, r, pen.color.filled())),
        )?;
        return Ok(());
    }
    match pen.dash_pattern(t) {
        None => {
            chart.draw_series(std::iter::once(PathElement::new(points, stroke)))?;
        }
        Some((on, off)) => {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                points, on, off, stroke,
            )))?;
        }
    }
    Ok(())
}

/// A dashed or solid segment between two absolute pixels.
pub fn segment<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    pen: Pen,
    t: &Typography,
) -> Result<(), ChartError> {
    match pen.dash_pattern(t) {
        None => root.draw(&PathElement::new(vec![from, to], pen.stroke(t)))?,
        Some((on, off)) => root.draw(&DashedPathElement::new(
            vec![from, to],
            on,
            off,
            pen.stroke(t),
        ))?,
    }
    Ok(())
}

/// What a legend entry shows beside its label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    Line(Pen),
    /// A vertical rule (a dated event drawn across the plot).
    Rule(Pen),
    Band(RGBColor),
    /// A band filled with `fill` and hatched with diagonal lines of `ink`, so it
    /// stays apart from a solid band in greyscale.
    Hatched {
        fill: RGBColor,
        ink: RGBColor,
    },
    Marker(Marker),
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendItem {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> LegendItem {
        LegendItem {
            label: label.into(),
            swatch,
        }
    }
}

/// Lays out legend entries left to right, wrapping at `width`; returns each entry's
/// offset from the legend's top-left and the total height.
fn legend_layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    width: i32,
    t: &Typography,
) -> (Vec<(i32, i32)>, i32) {
    let swatch_w = (t.legend * 2.2) as i32;
    let gap = (t.legend * 0.4) as i32;
    let spacing = (t.legend * 1.3) as i32;
    let row_h = (t.legend * 1.45) as i32;
    let (mut x, mut y) = (0, 0);
    let mut at = Vec::with_capacity(items.len());
    for it in items {
        let w = swatch_w + gap + measure(root, &it.label, &style::text(t.legend)).0;
        if x > 0 && x + w > width {
            x = 0;
            y += row_h;
        }
        at.push((x, y));
        x += w + spacing;
    }
    let h = if items.is_empty() { 0 } else { y + row_h };
    (at, h)
}

/// The height a legend of `items` needs at `width` pixels.
pub fn legend_height<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    width: i32,
    t: &Typography,
) -> i32 {
    legend_layout(root, items, width, t).1
}

/// Draws a legend in its own band `r` (above a plot, never over it).
pub fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    items: &[LegendItem],
    t: &Typography,
) -> Result<(), ChartError> {
    let (at, _) = legend_layout(root, items, r.w, t);
    let swatch_w = (t.legend * 2.2) as i32;
    let gap = (t.legend * 0.4) as i32;
    let row_h = (t.legend * 1.45) as i32;
    for (it, (dx, dy)) in items.iter().zip(at) {
        let (x, y) = (r.x + dx, r.y + dy);
        let mid = y + row_h / 2;
        match it.swatch {
            Swatch::Line(pen) => segment(root, (x, mid), (x + swatch_w, mid), pen, t)?,
            Swatch::Rule(pen) => {
                let h = (t.legend * 0.6) as i32;
                segment(
                    root,
                    (x + swatch_w / 2, mid - h),
                    (x + swatch_w / 2, mid + h),
                    pen,
                    t,
                )?
            }
            Swatch::Band(c) => {
                let h = (t.legend * 0.45) as i32;
                root.draw(&Rectangle::new(
                    [(x, mid - h), (x + swatch_w, mid + h)],
                    c.filled(),
                ))?;
                root.draw(&Rectangle::new(
                    [(x, mid - h), (x + swatch_w, mid + h)],
                    style::INK.stroke_width(1),
                ))?;
            }
            Swatch::Hatched { fill, ink } => {
                let h = (t.legend * 0.45) as i32;
                hatched_rect(
                    root,
                    Rect {
                        x,
                        y: mid - h,
                        w: swatch_w,
                        h: 2 * h,
                    },
                    fill,
                    ink,
                    t,
                )?;
                root.draw(&Rectangle::new(
                    [(x, mid - h), (x + swatch_w, mid + h)],
                    style::INK.stroke_width(1),
                ))?;
            }
            Swatch::Marker(m) => marker(root, (x + swatch_w / 2, mid), m, t)?,
        }
        root.draw_text(
            &it.label,
            &style::text(t.legend).pos(Pos::new(HPos::Left, VPos::Center)),
            (x + swatch_w + gap, mid),
        )?;
    }
    Ok(())
}

/// Fills `r` (absolute pixels) with `fill` and hatches it with 45° lines of `ink`,
/// clipped to the rectangle, spaced with the type scale so the pattern reads the
/// same at every image size.
pub fn hatched_rect<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    fill: RGBColor,
    ink: RGBColor,
    t: &Typography,
) -> Result<(), ChartError> {
    if r.w <= 0 || r.h <= 0 {
        return Ok(());
    }
    root.draw(&Rectangle::new(
        [(r.x, r.y), (r.x + r.w, r.y + r.h)],
        fill.filled(),
    ))?;
    let step = (11.0 * t.line).round().max(4.0) as i32;
    let stroke = ink.stroke_width(t.width(1.5));
    // The line through (x0 + d, bottom) rising to the right: (x0 + d + u, bottom − u).
    // Anchored to multiples of `step` in absolute pixels, so neighbouring bars hatch
    // in phase.
    let (x0, bottom) = (r.x, r.y + r.h);
    let mut d = -r.h + (r.h - x0 - bottom).rem_euclid(step);
    while d <= r.w {
        let lo = (-d).max(0);
        let hi = r.h.min(r.w - d);
        if lo < hi {
            root.draw(&PathElement::new(
                vec![(x0 + d + lo, bottom - lo), (x0 + d + hi, bottom - hi)],
                stroke,
            ))?;
        }
        d += step;
    }
    Ok(())
}

/// A vertical rule across a plot at pixel column `x`, from `top` to `bottom`.
pub fn rule<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    top: i32,
    bottom: i32,
    pen: Pen,
    t: &Typography,
) -> Result<(), ChartError> {
    segment(root, (x, top), (x, bottom), pen, t)
}

/// A short label with a white box behind it, anchored at `(x, y)`.
pub fn tag<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    (x, y): (i32, i32),
    anchor: Pos,
    t: &Typography,
) -> Result<(), ChartError> {
    let st = style::text(t.annotation);
    let (w, h) = measure(root, text, &st);
    let left = match anchor.h_pos {
        HPos::Left => x,
        HPos::Center => x - w / 2,
        HPos::Right => x - w,
    };
    let top = match anchor.v_pos {
        VPos::Top => y,
        VPos::Center => y - h / 2,
        VPos::Bottom => y - h,
    };
    let pad = (t.annotation * 0.2) as i32;
    root.draw(&Rectangle::new(
        [(left - pad, top - pad), (left + w + pad, top + h + pad)],
        style::PAPER.mix(0.85).filled(),
    ))?;
    root.draw_text(text, &st, (left, top))?;
    Ok(())
}

/// Draws a centred note (e.g. "no notes in this scenario") in a plot.
pub fn empty_note<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    text: &str,
    t: &Typography,
) -> Result<(), ChartError> {
    root.draw_text(
        text,
        &style::text(t.axis)
            .color(&style::MUTED)
            .pos(Pos::new(HPos::Center, VPos::Center)),
        (r.x + r.w / 2, r.y + r.h / 2),
    )?;
    Ok(())
}

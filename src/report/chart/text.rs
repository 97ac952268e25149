//! Text for bitmap charts, set from the embedded font with each glyph at its own
//! side bearing. plotters 0.3.7's `ab_glyph` text path places every glyph's bitmap
//! at the pen position and drops the bearing, so "convertible" prints as
//! "con vertible"; a board deck deserves better. `CrispText` wraps any backend and
//! draws text itself (through `draw_pixel`, with coverage as alpha), passing every
//! other call through. SVG does not need it: there the viewer sets the text.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};

use super::style;

fn face(bold: bool) -> Option<&'static FontRef<'static>> {
    static REGULAR: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    static BOLD: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD, style::DEJAVU_SANS_BOLD)
    } else {
        (&REGULAR, style::DEJAVU_SANS)
    };
    cell.get_or_init(|| FontRef::try_from_slice(bytes).ok())
        .as_ref()
}

/// One line of text laid out: each glyph's coverage pixels relative to the top-left
/// of the line box, and the box size.
struct Line {
    width: i32,
    height: i32,
    /// (x, y, coverage 0..1)
    pixels: Vec<(i32, i32, f32)>,
}

fn layout(text: &str, size: f64, bold: bool, with_pixels: bool) -> Option<Line> {
    let font = face(bold)?;
    // plotters' size is ab_glyph's pixel scale (ascent − descent), as in its own
    // ab_glyph backend, so sizes match the SVG and every estimate plotters makes.
    let scaled = font.as_scaled(PxScale::from(size as f32));
    let ascent = scaled.ascent();
    let height = (scaled.ascent() - scaled.descent()).ceil() as i32;
    let mut pen = 0f32;
    let mut prev = None;
    let mut pixels = Vec::new();
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        if with_pixels {
            let glyph = id.with_scale_and_position(scaled.scale(), point(pen, ascent));
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                let (bx, by) = (b.min.x as i32, b.min.y as i32);
                outline.draw(|x, y, cov| {
                    if cov > 0.0 {
                        pixels.push((bx + x as i32, by + y as i32, cov.min(1.0)));
                    }
                });
            }
        }
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    Some(Line {
        width: pen.ceil() as i32,
        height,
        pixels,
    })
}

/// A backend whose text is set from the embedded font with correct glyph spacing.
pub struct CrispText<DB> {
    inner: DB,
}

impl<DB> CrispText<DB> {
    pub fn new(inner: DB) -> CrispText<DB> {
        CrispText { inner }
    }
}

impl<DB: DrawingBackend> DrawingBackend for CrispText<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let bold = matches!(style.style(), FontStyle::Bold);
        match layout(text, style.size(), bold, false) {
            Some(l) => Ok((l.width.max(0) as u32, l.height.max(0) as u32)),
            None => self.inner.estimate_text_size(text, style),
        }
    }

    /// Anchors and rotations as plotters' default `draw_text`: the anchor offsets
    /// the unrotated box, then the box turns about `pos`.
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let bold = matches!(style.style(), FontStyle::Bold);
        let Some(line) = layout(text, style.size(), bold, true) else {
            return self.inner.draw_text(text, style, pos);
        };
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -line.width,
            HPos::Center => -line.width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -line.height / 2,
            VPos::Bottom => -line.height,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        for (x, y, cov) in line.pixels {
            let (x, y) = trans.transform(x + dx, y + dy);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                self.inner.draw_pixel(
                    (x, y),
                    BackendColor {
                        alpha: color.alpha * f64::from(cov),
                        rgb: color.rgb,
                    },
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_text_layout_keeps_side_bearings() {
        let Some(nv) = layout("nv", 40.0, false, true) else {
            panic!("embedded font did not load");
        };
        // The 'v' starts within a pixel or two of where the 'n' advance ends, not a
        // bearing's width later.
        let n_right = nv
            .pixels
            .iter()
            .filter(|p| p.0 < nv.width / 2)
            .map(|p| p.0)
            .max()
            .unwrap_or(0);
        let v_left = nv
            .pixels
            .iter()
            .filter(|p| p.0 >= nv.width / 2)
            .map(|p| p.0)
            .min()
            .unwrap_or(0);
        assert!(v_left - n_right <= 6, "gap {}", v_left - n_right);
        assert!(nv.height >= 38 && nv.height <= 42, "{}", nv.height);
    }
}

//! The look every chart of this crate shares: the embedded font, the type sizes, the
//! palette and line styles, and the label formatters for share counts, money,
//! percentages and months. The run charts use it, and so can any other chart (the
//! Monte Carlo fan chart) that should look like them.
//!
//! What it must not do: know about a `Simulation` or a `Scenario`. Everything here
//! takes plain numbers, dates and colours.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Datelike, NaiveDate};
use plotters::style::{FontDesc, FontStyle, RGBColor, ShapeStyle, TextStyle};

/// The family name the embedded font is registered under. It is also the family an
/// SVG names, so a viewer with DejaVu Sans installed shows the same glyphs.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// DejaVu Sans, shipped in `assets/fonts/` with its licence.
pub static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

static REGISTER: Once = Once::new();
static REGISTERED: AtomicBool = AtomicBool::new(false);

/// Registers the shipped DejaVu Sans (regular and bold) with plotters, once per
/// process. Text never depends on the fonts a machine happens to have: the bytes are
/// compiled into the binary, and plotters' `ab_glyph` backend draws from them.
///
/// Returns false only if the embedded font files were unreadable (a corrupt build).
pub fn register_fonts() -> bool {
    REGISTER.call_once(|| {
        let regular = plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, DEJAVU_SANS);
        let bold = plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, DEJAVU_SANS_BOLD);
        // Also as the generic family plotters falls back to for any text a chart
        // leaves unstyled, so no text ever asks the machine for a font.
        let generic = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
        REGISTERED.store(
            regular.is_ok() && bold.is_ok() && generic.is_ok(),
            Ordering::SeqCst,
        );
    });
    REGISTERED.load(Ordering::SeqCst)
}

/// Type sizes in pixels, scaled with the image so that a 1600×1000 chart printed at
/// half a page width still has legible tick labels (about 7 pt).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Typography {
    pub title: f64,
    pub subtitle: f64,
    pub axis: f64,
    pub tick: f64,
    pub legend: f64,
    pub annotation: f64,
    /// Line widths scale too, so thick lines stay thick on a large image.
    pub line: f64,
}

impl Typography {
    /// Sizes for an image of `width` × `height` pixels (1600×1000 is the reference).
    pub fn for_size(width: u32, height: u32) -> Typography {
        let k = (f64::from(width) / 1600.0)
            .min(f64::from(height) / 1000.0)
            .clamp(0.35, 4.0);
        Typography {
            title: 38.0 * k,
            subtitle: 26.0 * k,
            axis: 27.0 * k,
            tick: 24.0 * k,
            legend: 24.0 * k,
            annotation: 21.0 * k,
            line: k,
        }
    }

    /// A line width of `base` pixels at the reference size, at least 1.
    pub fn width(&self, base: f64) -> u32 {
        (base * self.line).round().max(1.0) as u32
    }
}

/// Regular text in the embedded font.
pub fn text(size: f64) -> TextStyle<'static> {
    FontDesc::new(FONT_FAMILY.into(), size, FontStyle::Normal).color(&INK)
}

/// Bold text in the embedded font.
pub fn bold(size: f64) -> TextStyle<'static> {
    FontDesc::new(FONT_FAMILY.into(), size, FontStyle::Bold).color(&INK)
}

/// Text, axes.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (subtitles, notes).
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Major grid lines: light enough not to compete with data in greyscale.
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Minor grid lines.
pub const GRID_LIGHT: RGBColor = RGBColor(0xF0, 0xF0, 0xF0);
/// The page.
pub const PAPER: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// Okabe & Ito's palette (2008), distinguishable under the common colour-vision
/// deficiencies. Yellow is left out of line series: on white it vanishes in print.
pub mod okabe_ito {
    use plotters::style::RGBColor;
    pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
}

/// How a line is stroked. Colour alone does not survive a greyscale printer, so every
/// pair of series a reader must tell apart also differs in dash or width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    Solid,
    /// Long dashes.
    Dashed,
    /// Short dashes, close together.
    Dotted,
}

/// A line's colour, width (at the reference size) and dash.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pen {
    pub color: RGBColor,
    pub width: f64,
    pub dash: Dash,
}

impl Pen {
    pub const fn new(color: RGBColor, width: f64, dash: Dash) -> Pen {
        Pen { color, width, dash }
    }

    /// The plotters stroke for this pen at the given type scale.
    pub fn stroke(&self, t: &Typography) -> ShapeStyle {
        ShapeStyle {
            color: self.color.into(),
            filled: false,
            stroke_width: t.width(self.width),
        }
    }

    /// Dash length and gap in pixels, proportional to the line width so a dash stays
    /// recognisable on a thick line.
    pub fn dash_pattern(&self, t: &Typography) -> Option<(u32, u32)> {
        let w = t.width(self.width);
        match self.dash {
            Dash::Solid => None,
            Dash::Dashed => Some((w * 5 + 6, w * 2 + 4)),
            Dash::Dotted => Some((w + 1, w * 2 + 2)),
        }
    }
}

/// Pens for series of one kind (one per note, one per scenario): colour and dash
/// both cycle, so neighbours differ in grey as well as in hue.
pub fn series_pen(i: usize) -> Pen {
    use okabe_ito::*;
    const COLORS: [RGBColor; 6] = [
        BLUE,
        VERMILLION,
        BLUISH_GREEN,
        BLACK,
        REDDISH_PURPLE,
        ORANGE,
    ];
    const DASHES: [Dash; 3] = [Dash::Solid, Dash::Dashed, Dash::Dotted];
    Pen::new(COLORS[i % COLORS.len()], 3.0, DASHES[i % DASHES.len()])
}

/// Fills for stacked bands (one per note). Adjacent bands alternate dark and light,
/// so they stay apart in greyscale; the caller also draws a white rule between bands.
/// Past the eight Okabe-Ito hues come greys and pale tints, so ten bands in a row
/// are all distinct.
pub fn band_fill(i: usize) -> RGBColor {
    use okabe_ito::*;
    const FILLS: [RGBColor; 12] = [
        BLUE,
        YELLOW,
        VERMILLION,
        SKY_BLUE,
        BLACK,
        ORANGE,
        BLUISH_GREEN,
        REDDISH_PURPLE,
        RGBColor(0x99, 0x99, 0x99),
        RGBColor(0x5E, 0x3C, 0x99),
        RGBColor(0xB3, 0xDE, 0xF2),
        RGBColor(0x66, 0x4D, 0x00),
    ];
    FILLS[i % FILLS.len()]
}

/// Relative luminance (0 dark … 1 light), to pick legible text over a fill.
pub fn luminance(c: RGBColor) -> f64 {
    (0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2)) / 255.0
}

// ---- label formatters -------------------------------------------------------------

/// `v` with at most `sig` significant digits, no exponent, trailing zeros removed.
fn significant(v: f64, sig: i32) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (sig - 1 - magnitude).max(0) as usize;
    trim_zeros(format!("{v:.decimals$}"))
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `v` rounded to `sig` significant digits.
fn round_significant(v: f64, sig: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return 0.0;
    }
    let step = 10f64.powi(v.abs().log10().floor() as i32 - sig + 1);
    (v / step).round() * step
}

/// `v` scaled to K/M/B/T, at most `sig` significant digits: 500, 12K, 5M, 1.2B, 3.4T.
fn with_suffix(v: f64, sig: i32) -> String {
    const UNITS: [(f64, &str); 4] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")];
    let sign = if v < 0.0 { "−" } else { "" };
    // Rounding first, so 999,999,999 reads "1B" rather than "1000M".
    let a = round_significant(v.abs(), sig);
    for (unit, suffix) in UNITS {
        if a >= unit {
            return format!("{sign}{}{suffix}", significant(a / unit, sig));
        }
    }
    format!("{sign}{}", significant(a.round(), sig.max(3)))
}

/// A share count for an axis or annotation: 5M, 1.2B, 3.4T (three significant
/// digits at most).
pub fn shares(v: f64) -> String {
    with_suffix(v, 3)
}

/// A dollar amount: small prices keep two significant digits ($0.0014, $0.00005),
/// large amounts take a suffix ($250K, $1.2M), and the rest plain ($12, $1.5).
pub fn money(v: f64) -> String {
    let sign = if v < 0.0 { "−" } else { "" };
    let a = v.abs();
    let body = if a == 0.0 || !a.is_finite() {
        "0".to_string()
    } else if a < 1.0 {
        significant(a, 2)
    } else if a < 1000.0 {
        trim_zeros(format!("{a:.2}"))
    } else {
        with_suffix(a, 3)
    };
    format!("{sign}${body}")
}

/// A fraction as a percentage with at most two decimals: 0.0999 → "9.99%".
pub fn percent(fraction: f64) -> String {
    format!("{}%", trim_zeros(format!("{:.2}", fraction * 100.0)))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A month with its year: "Jan 2018".
pub fn month(d: NaiveDate) -> String {
    format!("{} {}", month_name(d), d.year())
}

/// A month's short name: "Jan".
pub fn month_name(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize % 12]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_share_counts_read_as_suffixes() {
        assert_eq!(shares(5_000_000.0), "5M");
        assert_eq!(shares(1_200_000_000.0), "1.2B");
        assert_eq!(shares(3_400_000_000_000.0), "3.4T");
        assert_eq!(shares(16_233_347_820.0), "16.2B");
        assert_eq!(shares(999_999_999.0), "1B");
        assert_eq!(shares(12_500.0), "12.5K");
        assert_eq!(shares(500.0), "500");
        assert_eq!(shares(0.0), "0");
        assert_eq!(shares(-2_000_000.0), "−2M");
    }

    #[test]
    fn chart_money_keeps_small_prices_and_shortens_large_amounts() {
        assert_eq!(money(0.0014), "$0.0014");
        assert_eq!(money(0.00142), "$0.0014");
        assert_eq!(money(0.00005), "$0.00005");
        assert_eq!(money(0.0001), "$0.0001");
        assert_eq!(money(0.002), "$0.002");
        assert_eq!(money(0.25), "$0.25");
        assert_eq!(money(1.5), "$1.5");
        assert_eq!(money(12.0), "$12");
        assert_eq!(money(250_000.0), "$250K");
        assert_eq!(money(1_200_000.0), "$1.2M");
        assert_eq!(money(4_307_226.51), "$4.31M");
        assert_eq!(money(0.0), "$0");
        assert_eq!(money(-1_500.0), "−$1.5K");
    }

    #[test]
    fn chart_percent_and_months() {
        assert_eq!(percent(0.0999), "9.99%");
        assert_eq!(percent(0.05), "5%");
        assert_eq!(percent(0.0), "0%");
        let d = NaiveDate::from_ymd_opt(2018, 1, 15).unwrap_or_default();
        assert_eq!(month(d), "Jan 2018");
        assert_eq!(month_name(d), "Jan");
    }

    #[test]
    fn chart_font_registers_once_and_succeeds() {
        assert!(register_fonts());
        assert!(register_fonts());
    }

    #[test]
    fn chart_series_pens_differ_from_their_neighbours_in_more_than_colour() {
        for i in 0..12 {
            let (a, b) = (series_pen(i), series_pen(i + 1));
            assert_ne!(a.color, b.color);
            assert_ne!(a.dash, b.dash, "{i}");
        }
    }
}

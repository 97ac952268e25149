//! Charts of a run, drawn with plotters on any `DrawingBackend`: the app encodes
//! them as PNG or SVG, tests render them into memory. `style` holds what every
//! chart shares (font, palette, formatters) so other charts can look the same.

pub mod style;

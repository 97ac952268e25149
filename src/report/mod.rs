//! Reports: turn a finished `Simulation` into files and text. Nothing here
//! computes a figure of the model; each format is one file.

pub mod chart;
pub mod csv;
pub mod json;
pub mod output;
pub mod split;
pub mod table;
pub mod terms;

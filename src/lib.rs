//! `dilution`: convertible notes and share dilution, computed exactly.
//!
//! Data flows one way: load (TOML, CSV) → validated domain values → engine (pure)
//! → finished simulation → reports. The pure modules (`money`, `daycount`, `terms`,
//! `engine`, `split`) never touch a file, a clock or stdout.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod cli;
pub mod daycount;
pub mod engine;
pub mod error;
pub mod exact;
pub mod market;
pub mod money;
pub mod report;
pub mod scenario;
pub mod simulate;
pub mod split;
pub mod terms;

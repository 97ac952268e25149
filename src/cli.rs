//! Command-line arguments (clap derive structs only; `app` does the work).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::chart::{ChartFormat, ChartSize};

/// Convertible notes and share dilution, computed exactly.
///
/// Reads a scenario (TOML: the notes' terms, the company's share capital, the
/// holder's policy) and a price path (CSV), and writes the amortization schedule,
/// the day-by-day dilution, every event and a summary. Exit codes: 0 success,
/// 1 model error (e.g. a shortfall with on_shortfall = "error"), 2 bad input.
#[derive(Debug, Parser)]
#[command(name = "dilution", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate every note over the price path; write CSVs, summary.json and charts.
    Run(RunArgs),
    /// Print and write the contractual schedule of every note (no price path needed).
    Amortize(AmortizeArgs),
    /// Validate a scenario; print the resolved terms and the 8-K reconciliation.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// A price-path CSV to use instead of the scenario's `prices`.
    #[arg(long, value_name = "FILE.csv")]
    pub prices: Option<PathBuf>,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart size in pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1600x1000")]
    pub chart_size: ChartSize,
    /// Chart file format.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = ChartFormat::Png)]
    pub chart_format: ChartFormat,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AmortizeArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Only this note (an id from [[notes]] or [[tranches]]).
    #[arg(long, value_name = "ID")]
    pub note: Option<String>,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
}

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
    /// Run the engine over many generated price paths; write paths.csv,
    /// percentiles.csv, summary.json and fan.png.
    Simulate(SimulateArgs),
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

/// The price-path generator of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelArg {
    /// Geometric Brownian motion (drift and volatility given, or estimated).
    Gbm,
    /// Block bootstrap of the price path's daily returns and volumes.
    Bootstrap,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The scenario file (TOML); an optional [simulate] table sets defaults.
    pub scenario: PathBuf,
    /// How many price paths to generate and run.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub paths: i64,
    /// Seed of the random streams: the same seed gives the same files [default: 0].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// The path generator [default: gbm].
    #[arg(long, value_enum)]
    pub model: Option<ModelArg>,
    /// GBM annual drift μ, an exact decimal such as -0.5 [default: estimated].
    #[arg(long, value_name = "MU", allow_negative_numbers = true)]
    pub drift: Option<String>,
    /// GBM annual volatility σ, an exact decimal such as 0.8 [default: estimated].
    #[arg(long, value_name = "SIGMA", allow_negative_numbers = true)]
    pub volatility: Option<String>,
    /// Bootstrap block length in trading days [default: 20].
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
    pub block: Option<i64>,
    /// Price impact: log price falls by this × the share of a day's volume the
    /// holder sold [default: 0, off].
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    pub impact: Option<String>,
    /// The price path to learn from, instead of the scenario's `prices`.
    #[arg(long, value_name = "FILE.csv")]
    pub prices: Option<PathBuf>,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads [default: all cores]; the files do not depend on it.
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Skip the fan chart.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

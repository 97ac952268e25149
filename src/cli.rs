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
    /// Reverse splits: the proxy's share table for every whole ratio, ownership, the $1.00 advisor.
    ///
    /// Without --advise: the share table of the 2013 proxy's "Principal Effects of the
    /// Reverse Stock Split" at the scenario's `start` (authorized, outstanding, each
    /// reserved pool, authorized but unissued and unreserved), each count exact
    /// (10,235,381.2), rounded by the split's rules (every holder of record rounded up,
    /// the public float as one holder, pools and grants rounded down) and to the nearest
    /// whole share (as the proxy prints it); each named holder and grant (exercise
    /// prices x k); the price each ratio implies at --price; beneficial ownership before
    /// and after (shares held + acquirable within 60 days); the Form 4 ledgers. Writes
    /// split.csv, ownership.csv, trades.csv and the chart split.png (outstanding,
    /// headroom and implied price per ratio; --chart-format svg, --no-charts).
    ///
    /// With --advise DATE: for a split at the open of DATE on the (pre-split) price path,
    /// which ratios regain $1.00 compliance (10 consecutive trading days with a closing
    /// bid of at least $1.00), whether within the 180-day compliance period, when the bid
    /// next falls deficient, and what each ratio does to shares outstanding, authorized
    /// headroom and the noteholder's room under its ownership cap. Writes advice.csv
    /// (no chart).
    #[command(after_long_help = "Examples:\n  \
        dilution split scenarios/ascent-2013-split.toml\n  \
        dilution split scenarios/ascent-2013-split.toml --ratios 5..20 --price 0.67 --json\n  \
        dilution split scenarios/ascent-2017.toml --advise 2018-07-20 --ratios 1000..3000\n  \
        dilution split scenarios/ascent-2017.toml --advise 2018-07-20 --ratios 1000..3000 --post-split-factor 0.8")]
    Split(SplitArgs),
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
    #[command(flatten)]
    pub charts: ChartArgs,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The chart options `run` and `split` share.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart size in pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1600x1000")]
    pub chart_size: ChartSize,
    /// Chart file format.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = ChartFormat::Png)]
    pub chart_format: ChartFormat,
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

/// `dilution split` (see `Command::Split`).
#[derive(Debug, Args)]
pub struct SplitArgs {
    /// The scenario file (TOML): [company], [[holders]], [split], [split.ownership].
    pub scenario: PathBuf,
    /// Whole ratios, inclusive: 5..10 is 1-for-5 through 1-for-10; a single 7 is 1-for-7
    /// [default: [split] ratios, else 5..10].
    #[arg(long, value_name = "A..B")]
    pub ratios: Option<String>,
    /// The pre-split share price to show each ratio's implied price at, as a decimal
    /// (0.67 becomes 3.35 at 1-for-5) [default: [split] price].
    #[arg(long, value_name = "P")]
    pub price: Option<String>,
    /// Post-split prices are also multiplied by this factor (0.8 models the decline
    /// the proxy warns of) [default: 1].
    #[arg(long, value_name = "F")]
    pub post_split_factor: Option<String>,
    /// Advise on a split at the open of this date (YYYY-MM-DD, within the scenario's
    /// window) instead of printing the share table.
    #[arg(long, value_name = "DATE")]
    pub advise: Option<String>,
    /// With --advise: the price-path CSV to use instead of the scenario's `prices`
    /// (pre-split prices: the split multiplies those on and after DATE).
    #[arg(long, value_name = "FILE.csv", requires = "advise")]
    pub prices: Option<PathBuf>,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub charts: ChartArgs,
    /// Print the result as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
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

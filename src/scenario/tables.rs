//! Optional tables read by single commands: `[split]` (the `split` command) and
//! `[simulate]` (the `simulate` command). Each command's owner extends its table
//! here; `run` ignores both.

use serde::Deserialize;

use super::raw::Dec;

/// `[split]`: defaults for `dilution split`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSplitTable {
    /// A whole-number range such as "5..10".
    pub ratios: Option<String>,
    /// The price to show each ratio's implied price at.
    pub price: Option<Dec>,
}

/// `[simulate]`: defaults for `dilution simulate`; a command-line flag wins over
/// the key of the same name. Validated by `simulate::params`, which names the key
/// in its errors (so signed integers here: a negative block is reported by us, in
/// our words, rather than by serde).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSimulateTable {
    /// "gbm" or "bootstrap".
    pub model: Option<String>,
    /// The seed of every path's random stream.
    pub seed: Option<i64>,
    /// GBM: annual drift μ (E[S_T] = S_0·e^{μT}), e.g. "-0.5".
    pub drift: Option<Dec>,
    /// GBM: annual volatility σ, e.g. "0.8".
    pub volatility: Option<Dec>,
    /// Bootstrap: block length in trading days.
    pub block: Option<i64>,
    /// Price impact: the next day's log price falls by `impact` × (shares the
    /// holder sold ÷ the day's volume). 0 (off) by default.
    pub impact: Option<Dec>,
}

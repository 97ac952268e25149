//! Optional tables read by single commands: `[split]` with `[split.ownership]` (the
//! `split` command) and `[simulate]` (the `simulate` command). Each command's owner
//! extends its table here; `run` ignores them.

use serde::Deserialize;

use super::raw::{Count, Date, Dec};

/// `[split]`: defaults for `dilution split`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSplitTable {
    /// A whole-number range such as "5..10".
    pub ratios: Option<String>,
    /// The price to show each ratio's implied price at.
    pub price: Option<Dec>,
    /// `[split.ownership]`: the beneficial-ownership table's snapshot.
    pub ownership: Option<RawOwnershipTable>,
}

/// `[split.ownership]`: the beneficial-ownership table's own date and share count
/// (MODEL.md §8). The 2013 proxy computes its percentages "as of March 31, 2013" on
/// 51,523,758 shares, while its split table is "as market close on April 25, 2013"
/// on 51,176,906: two snapshots in one filing.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawOwnershipTable {
    /// The table's date [default: the scenario's `start`].
    pub as_of: Option<Date>,
    /// Shares outstanding on `as_of` [default: `company.outstanding`].
    pub outstanding: Option<Count>,
    /// "acquirable within N days" [default: 60, the SEC's Rule 13d-3(d)(1)].
    pub window_days: Option<u32>,
    /// Group lines (holders join one with `group = "..."`), with the filed figures.
    #[serde(default)]
    pub groups: Vec<RawGroup>,
}

/// One group line of an ownership table.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub name: String,
    pub filed_shares: Option<Count>,
    pub filed_percent: Option<Dec>,
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

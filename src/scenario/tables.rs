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

/// `[simulate]`: defaults for `dilution simulate`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSimulateTable {}

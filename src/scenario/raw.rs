//! The scenario file as written: serde structs that mirror the TOML, with exact
//! decimals (quoted strings or integers; a bare TOML float is refused), ISO dates
//! and unknown keys refused. `scenario::compile` turns these into validated terms.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::money::parse_exact;

/// A decimal written as a quoted string ("0.12") or an integer (250000).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dec(pub Decimal);

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Dec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal as a quoted string (\"0.12\") or an integer")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Dec, E> {
                parse_exact(s).map(Dec).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dec, E> {
                Ok(Dec(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dec, E> {
                Ok(Dec(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dec, E> {
                Err(E::custom(format!(
                    "{v} is a bare TOML float: quote it (\"{v}\"); TOML floats are binary and would lose cents"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// A whole, non-negative share count written as a TOML integer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Count(pub u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole, non-negative number of shares (an integer)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                u64::try_from(v)
                    .map(Count)
                    .map_err(|_| E::custom(format!("a share count cannot be negative, found {v}")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Ok(Count(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                Err(E::custom(format!(
                    "a share count must be a whole number written as an integer, found {v}"
                )))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Count, E> {
                s.trim()
                    .replace('_', "")
                    .parse::<u64>()
                    .map(Count)
                    .map_err(|_| {
                        E::custom(format!(
                            "expected a whole, non-negative number of shares, found \"{s}\""
                        ))
                    })
            }
        }
        d.deserialize_any(V)
    }
}

/// An ISO date, quoted ("2017-11-30") or as a TOML date literal (2017-11-30).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date as \"YYYY-MM-DD\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Date, E> {
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .map(Date)
                    .map_err(|_| {
                        E::custom(format!("expected a date as \"YYYY-MM-DD\", found \"{s}\""))
                    })
            }
            // toml hands a date literal over as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date"));
                };
                self.visit_str(&text)
            }
        }
        d.deserialize_any(V)
    }
}

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub start: Date,
    pub end: Date,
    #[serde(default)]
    pub prices: Option<String>,
    #[serde(default)]
    pub defaults: RawDefaults,
    pub company: RawCompany,
    #[serde(default)]
    pub holder: Option<RawHolder>,
    #[serde(default)]
    pub conversion: Option<RawConversion>,
    #[serde(default)]
    pub notes: Vec<RawNote>,
    #[serde(default)]
    pub tranches: Vec<RawTranche>,
    #[serde(default)]
    pub actions: Vec<RawAction>,
    #[serde(default)]
    pub holders: Vec<RawNamedHolder>,
    #[serde(default)]
    pub split: Option<super::tables::RawSplitTable>,
    #[serde(default)]
    pub simulate: Option<super::tables::RawSimulateTable>,
}

/// Inherited by every note and tranche.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    pub rate: Option<Dec>,
    pub day_count: Option<String>,
    pub term_months: Option<u32>,
    pub min_dollar_volume: Option<Dec>,
    pub lookback_days: Option<usize>,
    pub prepayment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompany {
    pub par_value: Dec,
    pub outstanding: Count,
    pub authorized: Count,
    #[serde(default)]
    pub reserved: Vec<RawReserved>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReserved {
    pub name: String,
    pub shares: Count,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHolder {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub shares: Count,
    #[serde(default)]
    pub policy: Option<String>,
    #[serde(default)]
    pub sell_share: Option<Dec>,
    #[serde(default)]
    pub daily_limit: Option<Dec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConversion {
    pub vwap_days: Option<usize>,
    pub discount: Option<Dec>,
    pub prior_bid: Option<bool>,
    pub fixed_price: Option<Dec>,
    pub floor: Option<Dec>,
    pub cap: Option<Dec>,
    pub apply: Option<String>,
    pub on_shortfall: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPart {
    pub label: String,
    pub amount: Dec,
    #[serde(default)]
    pub exchange: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNote {
    pub id: String,
    pub principal: Option<Dec>,
    pub issue: Date,
    pub kind: String,
    pub rate: Option<Dec>,
    pub day_count: Option<String>,
    pub maturity: Option<Date>,
    pub installments: Option<u32>,
    pub first_payment: Option<Date>,
    pub prepayment: Option<String>,
    #[serde(default)]
    pub parts: Vec<RawPart>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTranche {
    pub id: String,
    pub date: Date,
    pub principal: Option<Dec>,
    pub term_months: Option<u32>,
    pub rate: Option<Dec>,
    pub day_count: Option<String>,
    pub min_dollar_volume: Option<Dec>,
    pub lookback_days: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub kind: String,
    pub date: Date,
    pub ratio: Option<Dec>,
    pub post_split_factor: Option<Dec>,
    pub adjust_prices: Option<bool>,
    pub authorized: Option<Count>,
}

/// A signed whole number of shares (a trade: + acquired, − disposed), as a TOML
/// integer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SignedCount(pub i64);

impl<'de> Deserialize<'de> for SignedCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SignedCount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number of shares (an integer: + acquired, - disposed)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SignedCount, E> {
                Ok(SignedCount(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SignedCount, E> {
                i64::try_from(v)
                    .map(SignedCount)
                    .map_err(|_| E::custom(format!("{v} shares is too large")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<SignedCount, E> {
                Err(E::custom(format!(
                    "a share count must be a whole number written as an integer, found {v}"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// `[[holders]]`: a holder of record named in an ownership table (the proxy's
/// beneficial-ownership table, a Form 4's reporting person).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNamedHolder {
    pub name: String,
    /// Shares held of record, restricted stock included, at `start` (after every trade).
    #[serde(default)]
    pub shares: Count,
    /// How many of `shares` are restricted stock (shown; already counted in `shares`).
    #[serde(default)]
    pub restricted_stock: Count,
    /// Options exercisable within the ownership window, no price given.
    #[serde(default)]
    pub options_vested: Count,
    /// Options not exercisable within the window, no price given.
    #[serde(default)]
    pub options_unvested: Count,
    #[serde(default)]
    pub options: Vec<RawOptionGrant>,
    #[serde(default)]
    pub rsus: Vec<RawRsuGrant>,
    #[serde(default)]
    pub trades: Vec<RawTrade>,
    /// The ownership table's group line this holder is summed into.
    #[serde(default)]
    pub group: Option<String>,
    /// What the filing prints, to show beside ours (never used in a computation).
    #[serde(default)]
    pub filed_shares: Option<Count>,
    /// The filing's percentage as printed ("31.10" for 31.10%).
    #[serde(default)]
    pub filed_percent: Option<Dec>,
}

/// `[[holders.options]]`: one option grant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOptionGrant {
    pub shares: Count,
    #[serde(default)]
    pub exercise_price: Option<Dec>,
    /// Shares of the grant exercisable now; required (0 if none).
    #[serde(default)]
    pub vested: Option<Count>,
    /// Later vesting dates of the rest of the grant.
    #[serde(default)]
    pub vesting: Vec<RawVesting>,
    #[serde(default)]
    pub expires: Option<Date>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVesting {
    pub date: Date,
    pub shares: Count,
}

/// `[[holders.rsus]]`: restricted stock units (or unvested restricted stock grants).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRsuGrant {
    pub shares: Count,
    #[serde(default)]
    pub vests: Option<Date>,
}

/// `[[holders.trades]]`: one line of a Form 4's Table I.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrade {
    pub date: Date,
    pub shares: SignedCount,
    pub price: Dec,
}

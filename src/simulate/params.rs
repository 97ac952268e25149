//! The simulation's settings and where each came from: a command-line flag wins over
//! the scenario's `[simulate]` key, which wins over an estimate from the price path
//! (drift, volatility) or a default. Every problem names the flag or the key.
//!
//! Pure: no I/O (the caller has read the scenario and the path).

use std::fmt;
use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::InputError;
use crate::money::{parse_exact, plain};
use crate::scenario::tables::RawSimulateTable;

use super::source::{Source, TRADING_DAYS_PER_YEAR};

/// Fewer daily returns than this and the drift and volatility are not estimated:
/// a month of trading days is the least that says anything about either.
pub const MIN_RETURNS_TO_ESTIMATE: usize = 20;
/// The bootstrap's default block: about a month of trading days, long enough for
/// a volume drought or a crash to survive as a run.
pub const DEFAULT_BLOCK: usize = 20;
/// The most paths one run takes (per-date counters are 32-bit).
pub const MAX_PATHS: i64 = 1_000_000_000;

/// Which generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    Gbm,
    Bootstrap,
}

impl ModelKind {
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Gbm => "gbm",
            ModelKind::Bootstrap => "bootstrap",
        }
    }
}

/// Where a setting came from (summary.json says it).
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    CommandLine,
    Scenario,
    /// Estimated from the scenario's price path, from this many daily log returns.
    Estimated {
        returns: usize,
    },
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::CommandLine => f.write_str("command line"),
            Origin::Scenario => f.write_str("scenario [simulate]"),
            Origin::Estimated { returns } => {
                write!(
                    f,
                    "estimated from the price path ({returns} daily log returns)"
                )
            }
            Origin::Default => f.write_str("default"),
        }
    }
}

/// A setting, its value as shown (exact text when the user gave it) and its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    pub value: T,
    pub shown: String,
    pub origin: Origin,
}

/// The generator and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    /// Annual drift μ and volatility σ.
    Gbm {
        drift: Setting<f64>,
        volatility: Setting<f64>,
    },
    /// Block length in trading days.
    Bootstrap { block: Setting<usize> },
}

impl Model {
    pub fn kind(&self) -> ModelKind {
        match self {
            Model::Gbm { .. } => ModelKind::Gbm,
            Model::Bootstrap { .. } => ModelKind::Bootstrap,
        }
    }
}

/// Validated settings for one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub paths: u64,
    pub seed: Setting<u64>,
    pub model: Model,
    /// Price-impact coefficient; 0 is off.
    pub impact: Setting<f64>,
}

/// What the command line gave (all optional but `paths`), as typed.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub paths: i64,
    pub seed: Option<u64>,
    pub model: Option<ModelKind>,
    pub drift: Option<String>,
    pub volatility: Option<String>,
    pub block: Option<i64>,
    pub impact: Option<String>,
}

/// Where a value was given, for error messages: `--flag` or the scenario's key.
enum Place<'a> {
    Flag(&'static str),
    Key(&'a Path, &'static str),
}

impl Place<'_> {
    fn error(&self, message: String) -> InputError {
        match self {
            Place::Flag(flag) => InputError::Usage(format!("{flag}: {message}")),
            Place::Key(path, key) => InputError::Invalid {
                path: path.to_path_buf(),
                key: format!("simulate.{key}"),
                message,
            },
        }
    }
}

fn decimal_to_f64(d: Decimal, place: &Place) -> Result<f64, InputError> {
    d.to_f64()
        .ok_or_else(|| place.error(format!("{d} is out of range")))
}

/// Six significant digits, plain notation, for estimated values.
fn shown(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = 6 - 1 - x.abs().log10().floor() as i32;
    format!("{:.*}", digits.max(0) as usize, x)
}

/// Resolves every setting. `scenario` and `prices` name the files in errors.
pub fn resolve(
    o: &Overrides,
    table: Option<&RawSimulateTable>,
    scenario: &Path,
    prices: &Path,
    source: &Source,
) -> Result<Settings, InputError> {
    let empty = RawSimulateTable::default();
    let t = table.unwrap_or(&empty);
    let key = |k: &'static str| Place::Key(scenario, k);

    if o.paths < 1 {
        return Err(Place::Flag("--paths").error(format!("must be at least 1, found {}", o.paths)));
    }
    if o.paths > MAX_PATHS {
        return Err(Place::Flag("--paths").error(format!(
            "at most {MAX_PATHS} paths in one run, found {}",
            o.paths
        )));
    }

    let seed = match (o.seed, t.seed) {
        (Some(s), _) => Setting {
            value: s,
            shown: s.to_string(),
            origin: Origin::CommandLine,
        },
        (None, Some(s)) => {
            let v = u64::try_from(s)
                .map_err(|_| key("seed").error(format!("must not be negative, found {s}")))?;
            Setting {
                value: v,
                shown: v.to_string(),
                origin: Origin::Scenario,
            }
        }
        (None, None) => Setting {
            value: 0,
            shown: "0".into(),
            origin: Origin::Default,
        },
    };

    let kind = match (o.model, t.model.as_deref()) {
        (Some(k), _) => k,
        (None, Some("gbm")) => ModelKind::Gbm,
        (None, Some("bootstrap")) => ModelKind::Bootstrap,
        (None, Some(other)) => {
            return Err(key("model").error(format!(
                "unknown model \"{other}\"; expected \"gbm\" or \"bootstrap\""
            )));
        }
        (None, None) => ModelKind::Gbm,
    };

    // A flag for the other model is a mistake worth saying; a [simulate] key for
    // it is a default for another run and is left alone.
    let misplaced = |flag: &'static str, given: bool, for_kind: ModelKind| {
        if given && kind != for_kind {
            Err(Place::Flag(flag).error(format!(
                "applies to --model {}, and the model is {}",
                for_kind.name(),
                kind.name()
            )))
        } else {
            Ok(())
        }
    };
    misplaced("--drift", o.drift.is_some(), ModelKind::Gbm)?;
    misplaced("--volatility", o.volatility.is_some(), ModelKind::Gbm)?;
    misplaced("--block", o.block.is_some(), ModelKind::Bootstrap)?;

    // A decimal from the flag (text) or the key (already exact).
    let decimal = |flag: &'static str,
                   text: &Option<String>,
                   k: &'static str,
                   from_table: Option<Decimal>|
     -> Result<Option<(Decimal, Origin, Place)>, InputError> {
        match (text, from_table) {
            (Some(s), _) => {
                let place = Place::Flag(flag);
                let d = parse_exact(s).map_err(|m| place.error(m))?;
                Ok(Some((d, Origin::CommandLine, place)))
            }
            (None, Some(d)) => Ok(Some((d, Origin::Scenario, key(k)))),
            (None, None) => Ok(None),
        }
    };

    let impact = match decimal("--impact", &o.impact, "impact", t.impact.map(|d| d.0))? {
        Some((d, origin, place)) => {
            if d < Decimal::ZERO {
                return Err(place.error(format!("must not be negative, found {d}")));
            }
            Setting {
                value: decimal_to_f64(d, &place)?,
                shown: plain(d),
                origin,
            }
        }
        None => Setting {
            value: 0.0,
            shown: "0".into(),
            origin: Origin::Default,
        },
    };

    let returns = source.returns.len();
    let model = match kind {
        ModelKind::Gbm => {
            let vol = decimal(
                "--volatility",
                &o.volatility,
                "volatility",
                t.volatility.map(|d| d.0),
            )?;
            let drift = decimal("--drift", &o.drift, "drift", t.drift.map(|d| d.0))?;
            if let Some((d, _, place)) = &vol {
                if *d < Decimal::ZERO {
                    return Err(place.error(format!("must not be negative, found {d}")));
                }
            }
            let estimate = if vol.is_none() || drift.is_none() {
                match source.return_moments() {
                    Some(m) if returns >= MIN_RETURNS_TO_ESTIMATE => Some(m),
                    _ => {
                        return Err(InputError::Usage(format!(
                            "{}: too short to estimate the drift and volatility from: {returns} daily log return{}, need at least {MIN_RETURNS_TO_ESTIMATE} (give a longer path, or --drift and --volatility)",
                            prices.display(),
                            if returns == 1 { "" } else { "s" }
                        )));
                    }
                }
            } else {
                None
            };
            let volatility = match vol {
                Some((d, origin, place)) => Setting {
                    value: decimal_to_f64(d, &place)?,
                    shown: plain(d),
                    origin,
                },
                None => {
                    let (_, sd) = estimate.unwrap_or_default();
                    let v = sd * TRADING_DAYS_PER_YEAR.sqrt();
                    Setting {
                        value: v,
                        shown: shown(v),
                        origin: Origin::Estimated { returns },
                    }
                }
            };
            let drift = match drift {
                Some((d, origin, place)) => Setting {
                    value: decimal_to_f64(d, &place)?,
                    shown: plain(d),
                    origin,
                },
                None => {
                    // The mean daily log return is (μ − σ²/2)/252 under GBM; with the
                    // estimated σ this makes the model's median path the source's
                    // trend exactly. With σ given, μ keeps that same median trend.
                    let (mean, _) = estimate.unwrap_or_default();
                    let v =
                        mean * TRADING_DAYS_PER_YEAR + volatility.value * volatility.value / 2.0;
                    Setting {
                        value: v,
                        shown: shown(v),
                        origin: Origin::Estimated { returns },
                    }
                }
            };
            Model::Gbm { drift, volatility }
        }
        ModelKind::Bootstrap => {
            let (b, origin, place) = match (o.block, t.block) {
                (Some(b), _) => (b, Origin::CommandLine, Place::Flag("--block")),
                (None, Some(b)) => (b, Origin::Scenario, key("block")),
                (None, None) => (
                    DEFAULT_BLOCK as i64,
                    Origin::Default,
                    Place::Flag("--block"),
                ),
            };
            if b < 1 {
                return Err(place.error(format!("must be at least 1 trading day, found {b}")));
            }
            if b as u64 > returns as u64 {
                let what = if origin == Origin::Default {
                    format!("the default block of {b} trading days")
                } else {
                    format!("a block of {b} trading days")
                };
                return Err(place.error(format!(
                    "{what} is longer than the price path {} ({returns} daily log returns); give a shorter --block or a longer path",
                    prices.display()
                )));
            }
            Model::Bootstrap {
                block: Setting {
                    value: b as usize,
                    shown: b.to_string(),
                    origin,
                },
            }
        }
    };

    Ok(Settings {
        paths: o.paths as u64,
        seed,
        model,
        impact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_are_shown_with_six_significant_digits() {
        assert_eq!(shown(0.712_345_678), "0.712346");
        assert_eq!(shown(-1.234_567_8), "-1.23457");
        assert_eq!(shown(123.456_789), "123.457");
    }
}

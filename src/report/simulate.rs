//! The files and the table of `dilution simulate`: paths.csv (one row per path,
//! written as the paths finish), percentiles.csv (per date), summary.json and the
//! stdout table. Nothing here computes a figure: the outcomes come from `simulate`.
//!
//! Exact figures (a path's totals, the means) are written as exact decimals in plain
//! notation. Percentiles come from log histograms (`simulate::histogram`) and are
//! written with the digits they are good for: four significant digits per date
//! (0.4% bins), five for the totals (0.006% bins), whole numbers for counts and
//! days; when every path gave the same value it is exact and written in full.
//! summary.json says so.

use std::io;

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::money::plain;
use crate::report::table;
use crate::scenario::Scenario;
use crate::simulate::aggregate::{METRICS, PERCENTILES, PathOutcome, Unit};
use crate::simulate::histogram::{FINE_SUB_BITS, LogHistogram, SUB_BITS, relative_error};
use crate::simulate::params::{Model, Origin, Setting, Settings};
use crate::simulate::quantize::{self, MAX_PRICE, MIN_PRICE, SIGNIFICANT_DIGITS};
use crate::simulate::source::Source;
use crate::simulate::{CHUNK, Outcome};

/// paths.csv's columns.
pub const PATHS_HEADER: [&str; 14] = [
    "path",
    "outstanding_end",
    "shares_issued",
    "holder_sale_proceeds",
    "cash_paid",
    "principal_converted",
    "notes_closed_date",
    "days_to_notes_closed",
    "peak_holder_pct",
    "shortfall_days",
    "tranches_closed",
    "close_end",
    "exhausted_authorized",
    "stopped_on",
];

/// One row of paths.csv. `days_to_notes_closed` counts calendar days from `start`;
/// it and `notes_closed_date` are empty when a note is still open at `end`.
pub fn path_record(o: &PathOutcome, start: NaiveDate) -> [String; 14] {
    let t = &o.totals;
    [
        o.index.to_string(),
        t.outstanding_end.to_string(),
        t.shares_issued.to_string(),
        plain(t.holder_sale_proceeds),
        plain(t.cash_paid),
        plain(t.principal_converted),
        t.notes_closed_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        o.days_to_notes_closed(start)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        plain(t.peak_holder_pct),
        t.shortfall_days.to_string(),
        t.tranche_ids_closed.len().to_string(),
        plain(o.close_end),
        o.exhausted_authorized().to_string(),
        o.stopped_on.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

/// Six significant digits in plain notation ("0.00142", "0.0999").
fn sig(x: f64) -> String {
    match quantize::significant(x) {
        Some(d) => plain(d),
        None => format!("{x}"),
    }
}

/// `x` rounded to `digits` significant digits, plain notation.
fn rounded(x: f64, digits: u32) -> String {
    Decimal::from_f64_retain(x)
        .and_then(|d| d.round_sf(digits))
        .map(plain)
        .unwrap_or_else(|| format!("{x}"))
}

/// Significant digits a percentile is written with (see the module documentation).
const DATE_DIGITS: u32 = 4;
const TOTAL_DIGITS: u32 = 5;

/// Percentile `p` of `h` in a metric's unit, or `null` when there is none (no
/// paths) or it is +∞ (the notes outlive the window).
fn value(h: &LogHistogram, p: f64, unit: Unit) -> Value {
    let Some(x) = h.percentile(p).filter(|x| x.is_finite()) else {
        return Value::Null;
    };
    let exact = h.is_constant();
    match unit {
        Unit::Count | Unit::Days => json!(x.round() as u64),
        Unit::Shares if exact => json!(x.round() as u64),
        Unit::Shares => json!(
            rounded(x, TOTAL_DIGITS)
                .parse::<u64>()
                .unwrap_or(x.round() as u64)
        ),
        Unit::Money if exact => Value::String(format!("{x:.2}")),
        Unit::Fraction | Unit::Price if exact => Value::String(sig(x)),
        Unit::Money | Unit::Fraction | Unit::Price => Value::String(rounded(x, TOTAL_DIGITS)),
    }
}

/// An exact mean in a metric's unit (money to the cent, counts to 0.01).
fn mean(d: Option<Decimal>, unit: Unit) -> Value {
    let Some(d) = d else { return Value::Null };
    let dp = match unit {
        Unit::Money | Unit::Count | Unit::Days => 2,
        Unit::Shares => 0,
        Unit::Fraction | Unit::Price => 8,
    };
    Value::String(plain(d.round_dp(dp)))
}

/// Writes percentiles.csv: per date, the 5/25/50/75/95th percentiles of shares
/// outstanding (whole shares) and of the close (six significant digits).
pub fn write_percentiles<W: io::Write>(outcome: &Outcome, w: W) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header = vec!["date".to_string()];
    for what in ["outstanding", "close"] {
        for (p, _) in PERCENTILES {
            header.push(format!("{what}_p{p}"));
        }
    }
    out.write_record(&header)?;
    // The rows are independent: made on the current rayon pool (the dates'
    // percentiles and their decimal rounding), then written in order.
    let rows: Vec<Vec<String>> = (0..outcome.dates.len())
        .into_par_iter()
        .map(|i| percentile_row(outcome, i))
        .collect();
    for row in rows {
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(())
}

/// Date `i`'s row of percentiles.csv.
fn percentile_row(outcome: &Outcome, i: usize) -> Vec<String> {
    let mut row = Vec::with_capacity(1 + 2 * PERCENTILES.len());
    row.push(outcome.dates[i].to_string());
    let ps = PERCENTILES.map(|(_, p)| p);
    let shares = &outcome.days.outstanding[i];
    for x in shares.percentiles(ps) {
        row.push(match x {
            Some(x) if shares.is_constant() => (x.round() as u64).to_string(),
            Some(x) => rounded(x, DATE_DIGITS),
            None => String::new(),
        });
    }
    let close = &outcome.days.close[i];
    for x in close.percentiles(ps) {
        row.push(match x {
            Some(x) if close.is_constant() => sig(x),
            Some(x) => rounded(x, DATE_DIGITS),
            None => String::new(),
        });
    }
    row
}

/// The per-date percentiles of shares outstanding for the fan chart.
pub fn fan_series(outcome: &Outcome) -> Vec<(NaiveDate, [f64; 5])> {
    let pick = |h: &LogHistogram| {
        h.percentiles(PERCENTILES.map(|(_, p)| p))
            .map(|x| x.unwrap_or(f64::NAN))
    };
    outcome
        .dates
        .iter()
        .zip(&outcome.days.outstanding)
        .map(|(d, h)| (*d, pick(h)))
        .collect()
}

fn setting<T>(s: &Setting<T>) -> Value {
    json!({ "value": s.shown, "source": s.origin.to_string() })
}

/// A whole-number setting (seed, block) as a JSON integer.
fn count_setting<T: Copy + Into<u64>>(s: &Setting<T>) -> Value {
    json!({ "value": s.value.into(), "source": s.origin.to_string() })
}

/// A short description of the model for the table and the chart.
pub fn model_line(settings: &Settings) -> String {
    let impact = if settings.impact.value > 0.0 {
        format!(", price impact {}", settings.impact.shown)
    } else {
        String::new()
    };
    let origin = |o: &Origin| match o {
        Origin::Estimated { .. } => " (estimated from the price path)".to_string(),
        Origin::CommandLine => String::new(),
        Origin::Scenario => " ([simulate])".to_string(),
        Origin::Default => " (default)".to_string(),
    };
    match &settings.model {
        Model::Gbm { drift, volatility } => {
            if drift.origin == volatility.origin {
                format!(
                    "GBM, drift {} and volatility {} a year{}{impact}",
                    drift.shown,
                    volatility.shown,
                    origin(&drift.origin)
                )
            } else {
                format!(
                    "GBM, drift {}{} and volatility {}{} a year{impact}",
                    drift.shown,
                    origin(&drift.origin),
                    volatility.shown,
                    origin(&volatility.origin)
                )
            }
        }
        Model::Bootstrap { block } => format!(
            "block bootstrap of the price path, {}-day blocks{}{impact}",
            block.shown,
            origin(&block.origin)
        ),
    }
}

/// What `summary` needs beside the outcome.
pub struct SummaryInput<'a> {
    pub scenario: &'a Scenario,
    pub settings: &'a Settings,
    pub source: &'a Source,
    /// The price path learnt from, as the user named it.
    pub prices: &'a str,
}

/// summary.json.
pub fn summary(i: &SummaryInput, outcome: &Outcome) -> Value {
    let (s, st, src) = (i.scenario, i.settings, i.source);
    let totals = &outcome.totals;
    let mut model = Map::new();
    model.insert("name".into(), json!(st.model.kind().name()));
    match &st.model {
        Model::Gbm { drift, volatility } => {
            model.insert("drift".into(), setting(drift));
            model.insert("volatility".into(), setting(volatility));
            model.insert(
                "definition".into(),
                json!("ln S(t+1) = ln S(t) + (drift − volatility²/2)/252 + volatility/√252 · Z; drift and volatility are annual"),
            );
        }
        Model::Bootstrap { block } => {
            model.insert(
                "block".into(),
                json!({ "value": block.value, "source": block.origin.to_string() }),
            );
            model.insert(
                "definition".into(),
                json!("moving blocks of consecutive source days (log return with its marks), starting days drawn uniformly, never wrapping"),
            );
        }
    }
    model.insert(
        "volume".into(),
        json!({
            "fit": format!(
                "ln volume = {} {} {} · ln close + e, least squares over the price path",
                sig(src.volume_a),
                if src.volume_b < 0.0 { "−" } else { "+" },
                sig(src.volume_b.abs())
            ),
            "a": sig(src.volume_a),
            "b": sig(src.volume_b),
            "marks": match st.model.kind() {
                crate::simulate::params::ModelKind::Gbm => "each day takes a source day drawn at random: its residual e, VWAP ÷ close and bid ÷ close",
                crate::simulate::params::ModelKind::Bootstrap => "each day takes its return's source day: its residual e, VWAP ÷ close and bid ÷ close",
            },
        }),
    );
    model.insert(
        "impact".into(),
        json!({
            "value": st.impact.shown,
            "source": st.impact.origin.to_string(),
            "definition": "each later day's log price falls by impact × (shares the holder sold ÷ that day's volume)",
            "max_engine_runs_per_path": totals.max_runs,
        }),
    );

    let mut tot = Map::new();
    for (k, (name, unit)) in METRICS.iter().enumerate() {
        let h = &totals.histograms[k];
        let mut m = Map::new();
        for (p, q) in PERCENTILES {
            m.insert(format!("p{p}"), value(h, q, *unit));
        }
        m.insert("mean".into(), mean(totals.mean(k), *unit));
        if *unit == Unit::Days {
            m.insert("paths_never".into(), json!(h.infinite()));
        }
        tot.insert((*name).into(), Value::Object(m));
    }

    let paths = totals.paths.max(1);
    let probability = Decimal::from(totals.exhausted) / Decimal::from(paths);
    json!({
        "scenario": s.name,
        "start": s.start.to_string(),
        "end": s.end.to_string(),
        "price_path": i.prices,
        "paths": totals.paths,
        "seed": count_setting(&st.seed),
        "model": Value::Object(model),
        "trading_days": outcome.dates.len(),
        "history_days_kept": src.first,
        "probability_exhausted_authorized": plain(probability),
        "paths_exhausted_authorized": totals.exhausted,
        "paths_stopped_by_shortfall": totals.stopped,
        "totals": Value::Object(tot),
        "method": {
            "prices": format!("drawn in f64, fixed as exact decimals with {SIGNIFICANT_DIGITS} significant digits within [{}, {}]; volumes whole shares", sig(MIN_PRICE), sig(MAX_PRICE)),
            "calendar": "the price path's trading days; rows before start kept from the path",
            "percentiles": format!(
                "nearest rank on log histograms: per date {} bins per doubling (within {}%, written to {DATE_DIGITS} significant digits), totals {} bins per doubling (within {}%, {TOTAL_DIGITS} significant digits); exact when every path agrees; means are exact",
                1u32 << SUB_BITS,
                sig(relative_error(SUB_BITS) * 100.0),
                1u32 << FINE_SUB_BITS,
                sig(relative_error(FINE_SUB_BITS) * 100.0)
            ),
            "exhausted_authorized": "a conversion was cut to the authorized headroom, the engine stopped for it (on_shortfall = \"error\"), or no headroom is left at end",
            "random_streams": format!("ChaCha8 keyed by the seed, stream = path index; paths run in chunks of {CHUNK}; files do not depend on the number of threads"),
        },
    })
}

/// The stdout table.
pub fn table(i: &SummaryInput, outcome: &Outcome) -> String {
    let totals = &outcome.totals;
    let mut rows: Vec<(String, String)> = vec![
        ("Scenario".into(), i.scenario.name.clone()),
        (
            "Paths".into(),
            format!(
                "{} × {} trading days (seed {})",
                table::group(totals.paths as i128),
                outcome.dates.len(),
                i.settings.seed.shown
            ),
        ),
        ("Model".into(), model_line(i.settings)),
    ];
    let p = |k: usize, q: f64| totals.histograms[k].percentile(q);
    for (k, (name, unit)) in METRICS.iter().enumerate() {
        let show = |x: Option<f64>| match (x, unit) {
            (None, _) => "—".to_string(),
            (Some(x), _) if !x.is_finite() => "never".to_string(),
            (Some(x), Unit::Count | Unit::Days) => table::group(x.round() as i128),
            (Some(x), Unit::Shares) => {
                table::group(rounded(x, 4).parse::<i128>().unwrap_or(x.round() as i128))
            }
            (Some(x), Unit::Money) => format!("${}", style_money(x)),
            (Some(x), Unit::Fraction) => format!("{}%", rounded(x * 100.0, 4)),
            (Some(x), Unit::Price) => format!("${}", rounded(x, 4)),
        };
        rows.push((
            format!("{name} (5% / 50% / 95%)"),
            format!(
                "{} / {} / {}",
                show(p(k, 0.05)),
                show(p(k, 0.5)),
                show(p(k, 0.95))
            ),
        ));
    }
    let prob = Decimal::from(totals.exhausted) / Decimal::from(totals.paths.max(1));
    rows.push((
        "Exhausted authorized shares".into(),
        format!(
            "{} of {} paths ({}%)",
            table::group(totals.exhausted as i128),
            table::group(totals.paths as i128),
            plain((prob * Decimal::ONE_HUNDRED).round_dp(2))
        ),
    ));
    table::render(&rows)
}

/// Money to four significant digits with thousands separators ("4,252,000").
fn style_money(x: f64) -> String {
    let r = rounded(x, 4);
    match r.parse::<i128>() {
        Ok(n) => table::group(n),
        Err(_) => r,
    }
}

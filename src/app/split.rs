//! `dilution split`: load the scenario → the share table, ownership tables and
//! Form 4 ledgers (or, with `--advise`, the $1.00 advice) → split.csv,
//! ownership.csv, trades.csv and split.png (advice.csv) and what to print. The
//! figures come from the pure `crate::split`; this file only gathers inputs and
//! names what is wrong with them (the file and key, or the argument).

use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Printed, default_out, load_prices};
use crate::cli::SplitArgs;
use crate::engine;
use crate::error::{Error, InputError, OutputError};
use crate::money::parse_exact;
use crate::report::chart;
use crate::report::output::Staging;
use crate::report::split as out;
use crate::scenario::Scenario;
use crate::split::advisor::{self, PreSplit};
use crate::split::{RatioRange, ownership, split_pool, table};
use crate::terms::ActionKind;

/// Runs `dilution split`.
pub fn run(a: SplitArgs) -> Result<Printed, Error> {
    let s = Scenario::load(&a.scenario)?;
    let ratios = ratios(&a, &s)?;
    let factor = match decimal_arg("--post-split-factor", a.post_split_factor.as_deref())? {
        Some(f) => f,
        None => Decimal::ONE,
    };
    if let Some(date) = &a.advise {
        let date = advise_date(date, &s, &a.scenario)?;
        let mut printed = advise(&a, &s, date, ratios, factor)?;
        if a.price.is_some() {
            printed.stderr.insert(
                0,
                "note: --price is not used with --advise (the path gives the prices)".into(),
            );
        }
        return Ok(printed);
    }
    let price = match decimal_arg("--price", a.price.as_deref())? {
        Some(p) => Some(p),
        None => s.split.as_ref().and_then(|t| t.price).map(|p| p.0),
    };
    let invalid = |key: &str, message: String| InputError::Invalid {
        path: a.scenario.clone(),
        key: key.into(),
        message,
    };

    // The noteholder is a holder of record too, when the scenario has one.
    let investor = (s.holder.shares > 0 || !s.notes.is_empty() || !s.tranches.is_empty())
        .then_some((s.holder.name.as_str(), s.holder.shares));
    let snapshot = table::Snapshot {
        authorized: s.company.authorized,
        outstanding: s.company.outstanding,
        reserved: &s.company.reserved,
        investor,
        holders: &s.holders,
    };
    let share_table =
        table::build(&snapshot, ratios, price, factor).map_err(|e| invalid("holders", e))?;
    let mut tables = Vec::new();
    let terms = s.ownership();
    if !s.holders.is_empty() {
        for k in std::iter::once(1).chain(ratios.ratios()) {
            tables.push(
                ownership::table(&s.holders, &terms, s.holder.shares, k)
                    .map_err(|e| invalid("split.ownership", e))?,
            );
        }
    }
    let mut ledgers = Vec::new();
    for (i, h) in s.holders.iter().enumerate() {
        if h.trades.is_empty() {
            continue;
        }
        let ledger = ownership::ledger(h.shares, &h.trades)
            .map_err(|e| invalid(&format!("holders[{i}].trades"), e))?;
        ledgers.push(out::HolderLedger {
            holder: &h.name,
            trades: &h.trades,
            ledger,
        });
    }

    let dir = a.out.clone().unwrap_or_else(|| default_out(&a.scenario));
    let mut files = Staging::new(&dir)?;
    files.write("split.csv", |w| out::write_split_csv(&share_table, w))?;
    if !tables.is_empty() {
        files.write("ownership.csv", |w| out::write_ownership_csv(&tables, w))?;
    }
    if !ledgers.is_empty() {
        files.write("trades.csv", |w| out::write_trades_csv(&ledgers, w))?;
    }
    if !a.charts.no_charts {
        // Rendered before commit: a chart that fails leaves the previous outputs whole.
        let name = chart::split::file_name(a.charts.chart_format);
        let bytes = chart::render_split(
            &s.name,
            &share_table,
            a.charts.chart_size,
            a.charts.chart_format,
        )
        .map_err(|e| OutputError {
            path: dir.join(&name),
            message: format!("cannot draw the chart: {e}"),
        })?;
        files.write_bytes(&name, &bytes)?;
    }
    let landed = files.commit()?;
    let stdout = if a.json {
        let v = out::json(&s.name, &share_table, &tables, &ledgers);
        format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
    } else {
        out::text(&s.name, s.start, &share_table, &tables, &ledgers)
    };
    Ok(Printed {
        stdout,
        stderr: vec![format!("wrote {} files to {}", landed.len(), dir.display())],
    })
}

/// `--ratios`, else `[split] ratios` (validated at load), else the proxy's 5..10.
fn ratios(a: &SplitArgs, s: &Scenario) -> Result<RatioRange, InputError> {
    if let Some(text) = &a.ratios {
        return RatioRange::parse(text)
            .map_err(|e| InputError::Usage(format!("--ratios {text}: {e}")));
    }
    match s.split.as_ref().and_then(|t| t.ratios.as_deref()) {
        Some(text) => RatioRange::parse(text).map_err(|message| InputError::Invalid {
            path: a.scenario.clone(),
            key: "split.ratios".into(),
            message,
        }),
        None => Ok(RatioRange::PROXY),
    }
}

/// A positive exact decimal given on the command line.
fn decimal_arg(flag: &str, text: Option<&str>) -> Result<Option<Decimal>, InputError> {
    let Some(t) = text else { return Ok(None) };
    let d = parse_exact(t).map_err(|e| InputError::Usage(format!("{flag} {t}: {e}")))?;
    if d <= Decimal::ZERO {
        return Err(InputError::Usage(format!("{flag} {t}: must be positive")));
    }
    // The scenario's own bounds (a price, a post-split factor), so that every
    // product stays inside the exact decimal range.
    let max = if flag == "--price" {
        crate::scenario::MAX_PRICE
    } else {
        crate::scenario::MAX_RATE
    };
    if d > max {
        return Err(InputError::Usage(format!(
            "{flag} {t}: larger than the {max} this tool models"
        )));
    }
    Ok(Some(d))
}

fn advise_date(text: &str, s: &Scenario, path: &Path) -> Result<NaiveDate, InputError> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        InputError::Usage(format!("--advise {text}: expected a date as YYYY-MM-DD"))
    })?;
    if date < s.start || date > s.end {
        return Err(InputError::Usage(format!(
            "--advise {date}: the split date is outside the window of {}, {} .. {}",
            path.display(),
            s.start,
            s.end
        )));
    }
    Ok(date)
}

/// `--advise DATE`: the engine runs the scenario twice (to the eve of DATE, for the
/// capital at the open; and whole, for the bids as `run` sees them), then the pure
/// advisor tries every ratio.
fn advise(
    a: &SplitArgs,
    s: &Scenario,
    date: NaiveDate,
    ratios: RatioRange,
    factor: Decimal,
) -> Result<Printed, Error> {
    let prices = load_prices(s, &a.scenario, a.prices.as_deref())?;
    let whole = engine::simulate(s, &prices)?;
    let days: Vec<(NaiveDate, Decimal)> = whole.days.iter().map(|r| (r.date, r.bid)).collect();

    // The capital at the open of DATE: the scenario run to the day before.
    let (outstanding, investor, authorized) = match date.pred_opt() {
        Some(eve) if date > s.start => {
            let mut to_eve = s.clone();
            to_eve.end = eve;
            let t = engine::simulate(&to_eve, &prices)?.totals;
            (t.outstanding_end, t.holder_shares_end, t.authorized_end)
        }
        _ => (s.company.outstanding, s.holder.shares, s.company.authorized),
    };
    // Named holders and pools after the scenario's own splits before DATE (the
    // engine applies the same rules; it does not report them).
    let mut named: Vec<u64> = s.holders.iter().map(|h| h.shares).collect();
    let mut reserved: Vec<u64> = s.company.reserved.iter().map(|r| r.shares).collect();
    let mut stderr = Vec::new();
    for act in &s.actions {
        if let ActionKind::Split { ratio: k, .. } = act.kind {
            if act.date < date {
                named.iter_mut().for_each(|n| *n = n.div_ceil(k));
                reserved.iter_mut().for_each(|r| *r = split_pool(*r, k));
            } else {
                stderr.push(format!(
                    "note: {} has its own 1-for-{k} split on {}; the advice adds a split on {date} to it",
                    a.scenario.display(),
                    act.date
                ));
            }
        }
    }
    let pre = PreSplit {
        outstanding,
        investor,
        named,
        reserved,
        authorized,
        cap: s.conversion.cap,
    };
    let advice = advisor::advise(&days, date, ratios, factor, &pre).map_err(|message| {
        InputError::Invalid {
            path: a.scenario.clone(),
            key: "holders".into(),
            message,
        }
    })?;

    let dir = a.out.clone().unwrap_or_else(|| default_out(&a.scenario));
    let mut files = Staging::new(&dir)?;
    files.write("advice.csv", |w| out::write_advice_csv(&advice, w))?;
    let landed = files.commit()?;
    let stdout = if a.json {
        let v = out::advice_json(&s.name, &advice);
        format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
    } else {
        out::advice_text(&s.name, &advice, s.conversion.cap)
    };
    stderr.push(format!("wrote {} files to {}", landed.len(), dir.display()));
    Ok(Printed { stdout, stderr })
}

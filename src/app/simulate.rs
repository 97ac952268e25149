//! `dilution simulate`: load → settings → run the paths (streaming paths.csv) →
//! percentiles.csv, summary.json, fan.png → commit. The thread pool, the progress
//! bar and the files live here; `simulate` itself is pure.

use std::io::IsTerminal;
use std::time::Instant;

use chrono::NaiveDate;

use super::{Printed, default_out, load_prices};
use crate::cli::{ModelArg, SimulateArgs};
use crate::error::{Error, InputError, ModelError, OutputError};
use crate::report::chart::ChartSize;
use crate::report::output::Staging;
use crate::report::{fan, simulate as out};
use crate::scenario::Scenario;
use crate::simulate::params::{self, ModelKind, Overrides};
use crate::simulate::source::Source;
use crate::simulate::{self, Plan, RunError};
use crate::terms::ActionKind;

pub fn simulate(a: SimulateArgs) -> Result<Printed, Error> {
    let s = Scenario::load(&a.scenario)?;
    let prices = load_prices(&s, &a.scenario, a.prices.as_deref())?;
    let prices_name = match (&a.prices, &s.prices) {
        (Some(p), _) | (None, Some(p)) => p.display().to_string(),
        (None, None) => String::new(),
    };
    let source = Source::new(&s, &prices);
    let overrides = Overrides {
        paths: a.paths,
        seed: a.seed,
        model: a.model.map(|m| match m {
            ModelArg::Gbm => ModelKind::Gbm,
            ModelArg::Bootstrap => ModelKind::Bootstrap,
        }),
        drift: a.drift.clone(),
        volatility: a.volatility.clone(),
        block: a.block,
        impact: a.impact.clone(),
    };
    let settings = params::resolve(
        &overrides,
        s.simulate.as_ref(),
        &a.scenario,
        std::path::Path::new(&prices_name),
        &source,
    )?;
    if a.threads == Some(0) {
        return Err(InputError::Usage("--threads: must be at least 1, found 0".into()).into());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.unwrap_or(0))
        .build()
        .map_err(|e| InputError::Usage(format!("--threads: cannot start the threads: {e}")))?;
    let threads = pool.current_num_threads();

    let plan = Plan {
        scenario: &s,
        source: &source,
        settings: &settings,
    };
    let out_dir = a.out.clone().unwrap_or_else(|| default_out(&a.scenario));
    let mut files = Staging::new(&out_dir)?;

    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(settings.paths);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} paths, {elapsed} elapsed, about {eta} left",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let progress = |n: u64| bar.inc(n);

    // paths.csv is written row by row as the paths finish. An engine error inside
    // is kept aside so that it exits 1 as a model error, not as a write failure.
    let clock = Instant::now();
    let mut outcome = None;
    let mut model_error: Option<ModelError> = None;
    let written = files.write("paths.csv", |w| -> Result<(), String> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(out::PATHS_HEADER)
            .map_err(|e| e.to_string())?;
        let start = s.start;
        let r = pool.install(|| {
            simulate::run(
                &plan,
                &progress,
                |o| out::path_record(o, start),
                |row| csv.write_record(row),
            )
        });
        match r {
            Ok(o) => outcome = Some(o),
            Err(RunError::Model(e)) => {
                let m = e.to_string();
                model_error = Some(e);
                return Err(m);
            }
            Err(RunError::Sink(e)) => return Err(e.to_string()),
        }
        csv.flush().map_err(|e| e.to_string())
    });
    bar.finish_and_clear();
    if let Some(e) = model_error {
        return Err(e.into());
    }
    written?;
    let elapsed = clock.elapsed().as_secs_f64();
    let Some(outcome) = outcome else {
        return Err(OutputError {
            path: out_dir.join("paths.csv"),
            message: "the simulation produced no outcome".into(),
        }
        .into());
    };

    let input = out::SummaryInput {
        scenario: &s,
        settings: &settings,
        source: &source,
        prices: &prices_name,
    };
    let summary = out::summary(&input, &outcome);
    // On the run's pool: its rows are made in parallel.
    files.write("percentiles.csv", |w| {
        pool.install(|| out::write_percentiles(&outcome, w))
    })?;
    files.write("summary.json", |w| {
        serde_json::to_writer_pretty(&mut *w, &summary)?;
        std::io::Write::write_all(w, b"\n").map_err(serde_json::Error::io)
    })?;
    if !a.no_charts {
        let series = out::fan_series(&outcome);
        let authorized = authorized_steps(&s, &outcome.dates);
        let title = format!(
            "Shares outstanding across {} simulated price paths",
            crate::report::table::group(settings.paths as i128)
        );
        let note = format!(
            "{}; seed {}",
            out::model_line(&settings),
            settings.seed.shown
        );
        let totals = &outcome.totals;
        let fan = fan::Fan {
            title: &title,
            subtitle: &s.name,
            series: &series,
            authorized: &authorized,
            start: s.company.outstanding as f64,
            note: &note,
            exhausted: (totals.paths > 0).then(|| totals.exhausted as f64 / totals.paths as f64),
        };
        let png = fan::render(&fan, ChartSize::default()).map_err(|e| OutputError {
            path: out_dir.join("fan.png"),
            message: format!("cannot draw the chart: {e}"),
        })?;
        files.write_bytes("fan.png", &png)?;
    }
    let landed = files.commit()?;

    let path_days = settings.paths as f64 * source.days() as f64;
    let stdout = if a.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        )
    } else {
        out::table(&input, &outcome)
    };
    Ok(Printed {
        stdout,
        stderr: vec![
            format!(
                "simulated {} paths × {} trading days in {:.2} s ({:.2} M path-days/s, {} thread{})",
                settings.paths,
                source.days(),
                elapsed,
                path_days / elapsed.max(1e-9) / 1e6,
                threads,
                if threads == 1 { "" } else { "s" }
            ),
            format!("wrote {} files to {}", landed.len(), out_dir.display()),
        ],
    })
}

/// The authorized count on each date of the window (it changes only by
/// `authorize` actions), for the chart's ceiling line.
fn authorized_steps(s: &Scenario, dates: &[NaiveDate]) -> Vec<(NaiveDate, f64)> {
    let mut out: Vec<(NaiveDate, f64)> = Vec::new();
    let (Some(&first), Some(&last)) = (dates.first(), dates.last()) else {
        return out;
    };
    let mut current = s.company.authorized;
    for a in s.actions.iter().filter(|a| a.date <= first) {
        if let ActionKind::Authorize { authorized } = a.kind {
            current = authorized;
        }
    }
    out.push((first, current as f64));
    for a in s
        .actions
        .iter()
        .filter(|a| a.date > first && a.date <= last)
    {
        if let ActionKind::Authorize { authorized } = a.kind {
            out.push((a.date, authorized as f64));
        }
    }
    out.push((last, out.last().map(|p| p.1).unwrap_or(current as f64)));
    out
}

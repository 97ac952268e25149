//! The one place that sees everything: load → simulate → report, per command.
//! Returns what to print; `main` prints it.

mod simulate;
mod split;

use std::path::{Path, PathBuf};

use crate::cli::{AmortizeArgs, CheckArgs, Cli, Command, RunArgs};
use crate::engine::{self, Simulation};
use crate::error::{Error, InputError, OutputError};
use crate::market::PricePath;
use crate::report::chart::{self, RunChart};
use crate::report::{csv as csv_out, json, output::Staging, table};
use crate::scenario::Scenario;
use crate::terms::NoteTerms;

/// What a command prints: stdout (the result) and stderr (diagnostics).
#[derive(Debug, Default)]
pub struct Printed {
    pub stdout: String,
    pub stderr: Vec<String>,
}

/// Runs one command. Each command that has more than a few lines lives in its own
/// file under `app/`.
pub fn run(cli: Cli) -> Result<Printed, Error> {
    match cli.command {
        Command::Run(a) => run_scenario(a),
        Command::Amortize(a) => amortize(a),
        Command::Check(a) => check(a),
        Command::Simulate(a) => simulate::simulate(a),
        Command::Split(a) => split::run(a),
    }
}

/// `output/<scenario file stem>/`.
pub fn default_out(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    PathBuf::from("output").join(stem)
}

/// The price path: `--prices` if given, else the scenario's `prices`.
pub fn load_prices(
    s: &Scenario,
    scenario_path: &Path,
    over: Option<&Path>,
) -> Result<PricePath, InputError> {
    let path = match (over, &s.prices) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(p)) => p.clone(),
        (None, None) => {
            return Err(InputError::Invalid {
                path: scenario_path.to_path_buf(),
                key: "prices".into(),
                message: "missing: give the scenario a price path (prices = \"prices/x.csv\") or pass --prices FILE.csv".into(),
            });
        }
    };
    if path.is_dir() {
        return Err(InputError::Usage(format!(
            "{}: is a directory; expected a price-path CSV",
            path.display()
        )));
    }
    let file = std::fs::File::open(&path).map_err(|source| InputError::Read {
        path: path.clone(),
        source,
    })?;
    let prices = PricePath::read(std::io::BufReader::new(file), &path)?;
    let in_window = prices
        .bars
        .iter()
        .any(|b| b.date >= s.start && b.date <= s.end);
    if !in_window {
        return Err(InputError::Csv {
            path,
            line: 1,
            column: Some("date".into()),
            message: format!(
                "no trading day falls in the scenario's window {} .. {}",
                s.start, s.end
            ),
        });
    }
    Ok(prices)
}

/// The notes a run lists in amortization.csv: the scenario's and the tranches that closed.
fn issued_notes(sim: &Simulation) -> Vec<&NoteTerms> {
    sim.notes
        .iter()
        .filter(|n| n.issued)
        .map(|n| &n.terms)
        .collect()
}

fn run_scenario(a: RunArgs) -> Result<Printed, Error> {
    let s = Scenario::load(&a.scenario)?;
    let prices = load_prices(&s, &a.scenario, a.prices.as_deref())?;
    let sim = engine::simulate(&s, &prices)?;
    let summary = json::summary(&s, &sim);
    let warnings = crate::scenario::lint::run_warnings(&s);

    let out = a.out.clone().unwrap_or_else(|| default_out(&a.scenario));
    let mut files = Staging::new(&out)?;
    files.write("amortization.csv", |w| {
        csv_out::write_amortization(&issued_notes(&sim), w)
    })?;
    files.write("daily.csv", |w| csv_out::write_daily(&sim, w))?;
    files.write("events.csv", |w| csv_out::write_events(&sim, w))?;
    files.write("summary.json", |w| {
        serde_json::to_writer_pretty(&mut *w, &summary)?;
        std::io::Write::write_all(w, b"\n").map_err(serde_json::Error::io)
    })?;
    if !a.charts.no_charts {
        // Rendered before commit: a chart that fails leaves the previous outputs whole.
        for chart in RunChart::ALL {
            let name = chart.file_name(a.charts.chart_format);
            let bytes = chart::render(chart, &s, &sim, a.charts.chart_size, a.charts.chart_format)
                .map_err(|e| OutputError {
                    path: out.join(&name),
                    message: format!("cannot draw the chart: {e}"),
                })?;
            files.write_bytes(&name, &bytes)?;
        }
    }
    let landed = files.commit()?;

    let stdout = if a.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        )
    } else {
        table::run_summary(&s, &sim)
    };
    let mut stderr: Vec<String> = warnings.iter().map(|w| format!("warning: {w}")).collect();
    stderr.push(format!("wrote {} files to {}", landed.len(), out.display()));
    Ok(Printed { stdout, stderr })
}

fn amortize(a: AmortizeArgs) -> Result<Printed, Error> {
    let s = Scenario::load(&a.scenario)?;
    let all = s.all_notes();
    let notes: Vec<&NoteTerms> = match &a.note {
        None => all.iter().collect(),
        Some(id) => {
            let found: Vec<&NoteTerms> = all.iter().filter(|n| &n.id == id).collect();
            if found.is_empty() {
                let ids: Vec<&str> = all.iter().map(|n| n.id.as_str()).collect();
                return Err(InputError::Usage(format!(
                    "--note {id}: no such note in {}; the notes are: {}",
                    a.scenario.display(),
                    ids.join(", ")
                ))
                .into());
            }
            found
        }
    };
    let mut text = Vec::new();
    csv_out::write_amortization(&notes, &mut text).map_err(|e| InputError::Usage(e.to_string()))?;
    let out = a.out.clone().unwrap_or_else(|| default_out(&a.scenario));
    let mut files = Staging::new(&out)?;
    files.write_bytes("amortization.csv", &text)?;
    let landed = files.commit()?;
    Ok(Printed {
        stdout: String::from_utf8_lossy(&text).into_owned(),
        stderr: vec![format!("wrote {}", landed[0].display())],
    })
}

fn check(a: CheckArgs) -> Result<Printed, Error> {
    let s = Scenario::load(&a.scenario)?;
    let mut out = format!(
        "{}: ok\n\n{}\n",
        a.scenario.display(),
        crate::report::terms::describe(&s)
    );
    out.push_str("\nReconciliation (8-K, MODEL.md §3)\n");
    out.push_str(&table::reconciliation(&s));
    let mut stderr = Vec::new();
    let prices = match s.prices {
        Some(_) => {
            let p = load_prices(&s, &a.scenario, None)?;
            let first = p.bars.first().map(|b| b.date.to_string());
            let last = p.bars.last().map(|b| b.date.to_string());
            out.push_str(&format!(
                "\nprice path: {} trading days, {} .. {}\n",
                p.bars.len(),
                first.unwrap_or_default(),
                last.unwrap_or_default()
            ));
            Some(p)
        }
        None => {
            stderr.push("note: the scenario names no price path; `run` will need --prices".into());
            None
        }
    };
    let warnings = crate::scenario::lint::warnings(&s, prices.as_ref());
    if !warnings.is_empty() {
        out.push_str(&format!("\n{} warning(s)\n", warnings.len()));
        for w in warnings {
            out.push_str(&format!("  warning: {w}\n"));
        }
    }
    Ok(Printed {
        stdout: out,
        stderr,
    })
}

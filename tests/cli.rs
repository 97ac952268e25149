//! CLI tests: every command runs, `--json` is JSON, and each kind of bad input
//! exits 2 with a message naming the file and the line or key, without a panic
//! and without touching the outputs of an earlier good run.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use common::*;
use predicates::prelude::*;

/// A scratch copy of the 8-K example (scenario + prices) that a test may break.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        for f in ["scenario.toml", "prices.csv"] {
            fs::copy(
                repo().join("tests/data/8k-example").join(f),
                dir.path().join(f),
            )
            .expect("copy");
        }
        Sandbox { dir }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn scenario(&self) -> String {
        fs::read_to_string(self.path("scenario.toml")).expect("readable")
    }
    /// Writes a variant of the scenario with `from` replaced by `to` (which must occur).
    fn scenario_with(&self, name: &str, from: &str, to: &str) -> PathBuf {
        let text = self.scenario();
        assert!(text.contains(from), "{from} is not in the scenario");
        fs::write(self.path(name), text.replacen(from, to, 1)).expect("writable");
        self.path(name)
    }
    /// Writes a variant of the price path with line `line` (1-based) replaced, and a
    /// scenario pointing at it.
    fn prices_with(&self, name: &str, edit: impl Fn(Vec<String>) -> Vec<String>) -> PathBuf {
        let lines: Vec<String> = fs::read_to_string(self.path("prices.csv"))
            .expect("readable")
            .lines()
            .map(str::to_string)
            .collect();
        fs::write(self.path(name), edit(lines).join("\n") + "\n").expect("writable");
        self.scenario_with(
            &format!("{name}.toml"),
            "prices = \"prices.csv\"",
            &format!("prices = \"{name}\""),
        )
    }
    fn out(&self) -> PathBuf {
        self.path("out")
    }
}

fn run_ok(scenario: &Path, out: &Path) {
    bin()
        .args(["run", "--no-charts", "--out"])
        .arg(out)
        .arg(scenario)
        .assert()
        .success();
}

/// Runs a bad scenario after a good run into the same folder: exit 2, the message
/// contains each of `needles`, no panic, and the good outputs are untouched.
fn assert_refused(sb: &Sandbox, scenario: &Path, needles: &[&str]) {
    run_ok(&sb.path("scenario.toml"), &sb.out());
    let before: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(sb.out())
        .expect("out exists")
        .map(|e| {
            let p = e.expect("entry").path();
            let bytes = fs::read(&p).expect("readable");
            (p, bytes)
        })
        .collect();
    let mut a = bin()
        .args(["run", "--no-charts", "--out"])
        .arg(sb.out())
        .arg(scenario)
        .assert()
        .code(2);
    for n in needles {
        a = a.stderr(predicate::str::contains(*n));
    }
    a.stderr(predicate::str::contains("panicked").not());
    for (p, bytes) in before {
        assert_eq!(
            fs::read(&p).expect("still there"),
            bytes,
            "{} changed",
            p.display()
        );
    }
}

#[test]
fn the_cli_definition_is_consistent() {
    dilution::cli::Cli::command().debug_assert();
}

#[test]
fn run_writes_the_four_files_and_prints_a_table() {
    let sb = Sandbox::new();
    bin()
        .args(["run", "--no-charts", "--out"])
        .arg(sb.out())
        .arg(sb.path("scenario.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("shares issued on conversion"))
        .stdout(predicate::str::contains("8,950,000,000"));
    for f in [
        "amortization.csv",
        "daily.csv",
        "events.csv",
        "summary.json",
    ] {
        assert!(sb.out().join(f).is_file(), "{f}");
    }
    // No staging folder is left behind.
    let leftovers: Vec<_> = fs::read_dir(sb.dir.path())
        .expect("listable")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn run_json_prints_the_summary_as_json() {
    let sb = Sandbox::new();
    let out = bin()
        .args(["run", "--no-charts", "--json", "--out"])
        .arg(sb.out())
        .arg(sb.path("scenario.toml"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v["shares_issued"], 8_950_000_000u64);
    assert_eq!(
        v["checks"]["level_payment"]["exchange-amortizing"],
        "111584.75"
    );
}

#[test]
fn run_with_prices_replaces_the_scenarios_path() {
    let sb = Sandbox::new();
    let flat = sb.prices_with("flat.csv", |lines| {
        let mut out = vec![lines[0].clone()];
        out.extend(lines[1..].iter().map(|l| {
            let date = l.split(',').next().unwrap_or_default();
            format!("{date},0.004,0.004,20000000,0.004")
        }));
        out
    });
    let _ = flat;
    let out = bin()
        .args(["run", "--no-charts", "--json", "--prices"])
        .arg(sb.path("flat.csv"))
        .arg("--out")
        .arg(sb.out())
        .arg(sb.path("scenario.toml"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // At a flat $0.004, 85% of VWAP ($0.0034) is above the $0.002 ceiling: every
    // conversion is at $0.002, and the dollar-volume test ($80,000) passes.
    assert_eq!(v["tranches_closed"], 7);
}

#[test]
fn default_out_is_output_slash_the_scenario_stem() {
    let sb = Sandbox::new();
    bin()
        .current_dir(sb.dir.path())
        .args(["run", "--no-charts", "scenario.toml"])
        .assert()
        .success();
    assert!(sb.path("output/scenario/daily.csv").is_file());
}

#[test]
fn amortize_prints_every_note_and_tranche_as_if_closed() {
    let sb = Sandbox::new();
    bin()
        .args(["amortize", "--out"])
        .arg(sb.out())
        .arg(sb.path("scenario.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "exchange-amortizing,36,2020-12-15,134040.22,1340.40,134040.22,135380.62,0.00",
        ))
        .stdout(predicate::str::contains(
            "tranche-5,1,2019-03-29,250000.00,30000.00,250000.00,280000.00,0.00",
        ));
    assert!(sb.out().join("amortization.csv").is_file());
}

#[test]
fn amortize_one_note() {
    let sb = Sandbox::new();
    bin()
        .args(["amortize", "--note", "exchange-bullet", "--out"])
        .arg(sb.out())
        .arg(sb.path("scenario.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "exchange-bullet,1,2018-11-30,947687.94,113722.55,947687.94,1061410.49,0.00",
        ))
        .stdout(predicate::str::contains("exchange-amortizing").not());
}

#[test]
fn amortize_an_unknown_note_lists_the_ids() {
    let sb = Sandbox::new();
    bin()
        .args(["amortize", "--note", "nope"])
        .arg(sb.path("scenario.toml"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--note nope")
                .and(predicate::str::contains("exchange-bullet")),
        );
}

#[test]
fn check_prints_the_8k_reconciliation() {
    bin()
        .arg("check")
        .arg(repo().join("scenarios/ascent-2017.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "$3,359,538.57 + $252,465.75 + $445,222.19 = $4,057,226.51",
        ))
        .stdout(predicate::str::contains("$250,000.00 = $4,307,226.51"))
        .stdout(predicate::str::contains("7 tranches = $1,750,000.00"))
        .stdout(predicate::str::contains("$111,584.75"));
}

#[test]
fn a_shortfall_with_on_shortfall_error_exits_1() {
    let sb = Sandbox::new();
    let s = sb.scenario_with(
        "err.toml",
        "on_shortfall = \"cut\"",
        "on_shortfall = \"error\"",
    );
    bin()
        .args(["run", "--no-charts", "--out"])
        .arg(sb.out())
        .arg(s)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("shortfall on 2019-07-03"));
}

#[test]
fn malformed_toml_names_the_file_and_line() {
    let sb = Sandbox::new();
    let s = sb.scenario_with("bad.toml", "[company]", "[company");
    assert_refused(&sb, &s, &["bad.toml", "line 10"]);
}

#[test]
fn an_unknown_key_is_refused_by_name() {
    let sb = Sandbox::new();
    let s = sb.scenario_with("bad.toml", "sell_share = ", "sell_shares = ");
    assert_refused(
        &sb,
        &s,
        &["bad.toml", "unknown field `sell_shares`", "line 23"],
    );
}

#[test]
fn a_bare_float_is_refused_with_advice_to_quote_it() {
    let sb = Sandbox::new();
    let s = sb.scenario_with(
        "bad.toml",
        "principal = \"3359538.57\"",
        "principal = 3359538.57",
    );
    assert_refused(
        &sb,
        &s,
        &["bad.toml", "line 36", "quote it (\"3359538.57\")"],
    );
}

#[test]
fn a_missing_principal_is_refused_by_key() {
    let sb = Sandbox::new();
    let s = sb.scenario_with("bad.toml", "principal = \"947687.94\"\n", "");
    assert_refused(&sb, &s, &["bad.toml", "notes[1].principal", "missing"]);
}

#[test]
fn a_negative_principal_is_refused_by_key() {
    let sb = Sandbox::new();
    let s = sb.scenario_with(
        "bad.toml",
        "principal = \"947687.94\"",
        "principal = \"-947687.94\"",
    );
    assert_refused(
        &sb,
        &s,
        &["bad.toml", "notes[1].principal", "must be positive"],
    );
}

#[test]
fn a_cap_outside_zero_one_is_refused() {
    let sb = Sandbox::new();
    for bad in ["\"1\"", "\"0\"", "\"-0.1\"", "\"9.99\""] {
        let s = sb.scenario_with("bad.toml", "cap = \"0.0999\"", &format!("cap = {bad}"));
        assert_refused(
            &sb,
            &s,
            &["bad.toml", "conversion.cap", "strictly between 0 and 1"],
        );
    }
}

#[test]
fn an_unreadable_price_path_is_named() {
    let sb = Sandbox::new();
    let s = sb.scenario_with(
        "bad.toml",
        "prices = \"prices.csv\"",
        "prices = \"missing.csv\"",
    );
    assert_refused(&sb, &s, &["missing.csv", "cannot read"]);
}

#[test]
fn an_empty_price_path_is_refused() {
    let sb = Sandbox::new();
    let s = sb.prices_with("empty.csv", |_| vec![]);
    assert_refused(&sb, &s, &["empty.csv", "empty"]);
}

#[test]
fn a_price_path_with_only_a_header_is_refused() {
    let sb = Sandbox::new();
    let s = sb.prices_with("header.csv", |l| vec![l[0].clone()]);
    assert_refused(&sb, &s, &["header.csv", "no price rows"]);
}

#[test]
fn a_missing_column_is_named() {
    let sb = Sandbox::new();
    let s = sb.prices_with("novolume.csv", |l| {
        l.iter()
            .map(|x| {
                x.split(',')
                    .filter(|_| true)
                    .enumerate()
                    .filter(|(i, _)| *i != 3)
                    .map(|(_, c)| c)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect()
    });
    assert_refused(
        &sb,
        &s,
        &["novolume.csv", "line 1", "missing required column `volume`"],
    );
}

#[test]
fn non_increasing_dates_are_refused_with_the_line() {
    let sb = Sandbox::new();
    let s = sb.prices_with("dates.csv", |mut l| {
        let (a, b) = (l[10].clone(), l[11].clone());
        l[10] = b;
        l[11] = a;
        l
    });
    assert_refused(&sb, &s, &["dates.csv", "line 12", "strictly increase"]);
}

#[test]
fn a_zero_or_negative_price_is_refused_with_line_and_column() {
    let sb = Sandbox::new();
    for bad in ["0", "-0.004"] {
        let s = sb.prices_with("zero.csv", |mut l| {
            let mut cells: Vec<String> = l[7].split(',').map(str::to_string).collect();
            cells[1] = bad.to_string();
            l[7] = cells.join(",");
            l
        });
        assert_refused(
            &sb,
            &s,
            &["zero.csv", "line 8", "column `close`", "must be positive"],
        );
    }
}

#[test]
fn a_non_numeric_cell_is_refused_with_line_and_column() {
    let sb = Sandbox::new();
    let s = sb.prices_with("text.csv", |mut l| {
        let mut cells: Vec<String> = l[3].split(',').map(str::to_string).collect();
        cells[3] = "lots".to_string();
        l[3] = cells.join(",");
        l
    });
    assert_refused(
        &sb,
        &s,
        &["text.csv", "line 4", "column `volume`", "\"lots\""],
    );
}

#[test]
fn a_scenario_that_is_a_directory_is_refused() {
    let sb = Sandbox::new();
    bin()
        .arg("check")
        .arg(sb.dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
}

#[test]
fn check_reports_several_problems_at_once() {
    let sb = Sandbox::new();
    let text = sb
        .scenario()
        .replacen("cap = \"0.0999\"", "cap = \"2\"", 1)
        .replacen("principal = \"947687.94\"", "principal = \"-1\"", 1);
    fs::write(sb.path("two.toml"), text).expect("writable");
    bin()
        .arg("check")
        .arg(sb.path("two.toml"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("conversion.cap")
                .and(predicate::str::contains("notes[1].principal")),
        );
}

#[test]
fn usage_errors_exit_2() {
    bin().arg("frobnicate").assert().code(2);
    bin().args(["run"]).assert().code(2);
}

#[test]
fn an_output_folder_that_cannot_be_written_is_named_and_exits_2() {
    let sb = Sandbox::new();
    fs::write(sb.path("a-file"), "not a folder").expect("writable");
    bin()
        .args(["run", "--no-charts", "--out"])
        .arg(sb.path("a-file").join("out"))
        .arg(sb.path("scenario.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a-file").and(predicate::str::contains("cannot write")));
}

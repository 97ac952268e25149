//! `dilution simulate`: reproducibility across threads, the degenerate model that
//! must give back `run`, the GBM median against its formula, the bootstrap's
//! returns against the source's, price impact, and the errors users can make.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use rust_decimal::Decimal;

use dilution::engine;
use dilution::market::PricePath;
use dilution::scenario::Scenario;
use dilution::simulate::aggregate::PathOutcome;
use dilution::simulate::params::{self, Model, ModelKind, Overrides, Settings};
use dilution::simulate::path::{Generator, PathBuffers};
use dilution::simulate::quantize::to_f64;
use dilution::simulate::source::Source;
use dilution::simulate::{self, Outcome, Plan, bootstrap::Bootstrap, gbm::Gbm};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

const SCENARIO: &str = "scenarios/ascent-2017.toml";

fn scenario() -> Scenario {
    Scenario::load(&repo(SCENARIO)).unwrap_or_else(|e| panic!("{e}"))
}

fn prices(name: &str) -> PricePath {
    let p = repo(&format!("scenarios/prices/{name}.csv"));
    let f = std::fs::File::open(&p).unwrap_or_else(|e| panic!("{e}"));
    PricePath::read(std::io::BufReader::new(f), &p).unwrap_or_else(|e| panic!("{e}"))
}

fn settings(src: &Source, o: Overrides) -> Settings {
    params::resolve(&o, None, Path::new(SCENARIO), Path::new("prices.csv"), src)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `simulate::run` on `threads` threads and keeps every path's outcome.
fn run_all(
    s: &Scenario,
    src: &Source,
    st: &Settings,
    threads: usize,
) -> (Outcome, Vec<PathOutcome>) {
    let plan = Plan {
        scenario: s,
        source: src,
        settings: st,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut rows = Vec::new();
    let outcome = pool
        .install(|| {
            simulate::run(
                &plan,
                &|_| {},
                |o| o.clone(),
                |o| {
                    rows.push(o);
                    Ok::<(), ()>(())
                },
            )
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    (outcome, rows)
}

fn cli_simulate(args: &[&str], out: &Path) {
    Command::cargo_bin("dilution")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(repo(""))
        .arg("simulate")
        .arg(SCENARIO)
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn the_same_seed_gives_byte_identical_files_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // 200 paths: three full chunks of 64 and a partial one.
    for (name, extra) in [
        ("gbm", vec!["--paths", "200", "--seed", "42"]),
        (
            "bootstrap",
            vec![
                "--paths",
                "70",
                "--seed",
                "7",
                "--model",
                "bootstrap",
                "--block",
                "15",
                "--impact",
                "0.5",
            ],
        ),
    ] {
        let one = dir.path().join(format!("{name}-1"));
        let two = dir.path().join(format!("{name}-2"));
        let mut a = extra.clone();
        a.extend(["--threads", "1"]);
        cli_simulate(&a, &one);
        let mut b = extra.clone();
        b.extend(["--threads", "2"]);
        cli_simulate(&b, &two);
        for file in ["paths.csv", "percentiles.csv", "summary.json", "fan.png"] {
            let x = std::fs::read(one.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let y = std::fs::read(two.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(x == y, "{name}: {file} differs between 1 and 2 threads");
        }
        let rows = std::fs::read_to_string(one.join("paths.csv")).unwrap_or_default();
        let n: usize = extra[1].parse().unwrap_or(0);
        assert_eq!(
            rows.lines().count(),
            n + 1,
            "{name}: a header and one row per path"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_outcome_in_the_library_whatever_the_threads() {
    let s = scenario();
    let src = Source::new(&s, &prices("crash-recovery"));
    let st = settings(
        &src,
        Overrides {
            paths: 130,
            seed: Some(3),
            ..Overrides::default()
        },
    );
    let (a, rows_a) = run_all(&s, &src, &st, 1);
    let (b, rows_b) = run_all(&s, &src, &st, 2);
    assert_eq!(rows_a, rows_b);
    assert_eq!(a, b);
    assert!(rows_a.iter().enumerate().all(|(i, r)| r.index == i as u64));
}

#[test]
fn zero_volatility_and_zero_drift_make_every_path_the_run_of_the_flat_path() {
    let s = scenario();
    let flat = prices("flat");
    let src = Source::new(&s, &flat);
    let st = settings(
        &src,
        Overrides {
            paths: 5,
            seed: Some(11),
            drift: Some("0".into()),
            volatility: Some("0".into()),
            ..Overrides::default()
        },
    );
    let expected = engine::simulate(&s, &flat).unwrap_or_else(|e| panic!("{e}"));
    let (outcome, rows) = run_all(&s, &src, &st, 2);
    assert_eq!(rows.len(), 5);
    for r in &rows {
        assert_eq!(r.totals, expected.totals, "path {}", r.index);
        assert_eq!(r.close_end, Decimal::new(142, 5));
    }
    // Every path is the same path, so every percentile is the run's own count.
    for (i, day) in expected.days.iter().enumerate() {
        assert_eq!(outcome.dates[i], day.date);
        for p in [0.05, 0.5, 0.95] {
            assert_eq!(
                outcome.days.outstanding[i].percentile(p),
                Some(day.outstanding as f64),
                "{}",
                day.date
            );
        }
    }
}

#[test]
fn a_generated_flat_path_is_the_flat_path_bar_for_bar() {
    let s = scenario();
    let flat = prices("flat");
    let src = Source::new(&s, &flat);
    let mut buf = PathBuffers::new(&src);
    buf.draw(&src, &Generator::Gbm(Gbm::new(0.0, 0.0)), 5, 9);
    buf.render(&src, None);
    let end = flat.bars.partition_point(|b| b.date <= s.end);
    assert_eq!(buf.path.bars, flat.bars[..end].to_vec());
}

#[test]
fn the_median_of_many_gbm_paths_matches_the_analytic_median_of_the_price() {
    let s = scenario();
    let src = Source::new(&s, &prices("ascent-decline"));
    let (mu, sigma) = (0.3, 0.8);
    let generator = Generator::Gbm(Gbm::new(mu, sigma));
    let n = 4000;
    let mut buf = PathBuffers::new(&src);
    let mut last: Vec<f64> = (0..n)
        .map(|i| {
            buf.draw(&src, &generator, 2024, i);
            buf.render(&src, None);
            to_f64(buf.path.bars[buf.path.bars.len() - 1].close)
        })
        .collect();
    last.sort_by(f64::total_cmp);
    let median = (last[n as usize / 2 - 1] + last[n as usize / 2]) / 2.0;
    let years = src.days() as f64 / 252.0;
    let s0 = src.anchor.exp();
    let analytic = s0 * ((mu - sigma * sigma / 2.0) * years).exp();
    // The sample median of a lognormal has a relative standard error of
    // √(π/2)·σ√T/√n (about 2.8% here); allow four of them.
    let se = (std::f64::consts::PI / 2.0).sqrt() * sigma * years.sqrt() / (n as f64).sqrt();
    let rel = (median / analytic - 1.0).abs();
    assert!(
        rel < 4.0 * se,
        "median {median} vs analytic {analytic}: {rel} > 4 × {se}"
    );
}

#[test]
fn bootstrap_returns_only_returns_that_occur_in_the_source_path() {
    let s = scenario();
    let source_path = prices("crash-recovery");
    let src = Source::new(&s, &source_path);
    let source_returns: Vec<f64> = source_path
        .bars
        .windows(2)
        .map(|w| (to_f64(w[1].close) / to_f64(w[0].close)).ln())
        .collect();
    let generator = Generator::Bootstrap(Bootstrap { block: 10 });
    let mut buf = PathBuffers::new(&src);
    for i in 0..20 {
        buf.draw(&src, &generator, 99, i);
        buf.render(&src, None);
        // The draws are source returns, bit for bit.
        for step in &buf.steps {
            assert!(
                src.returns.contains(step),
                "path {i}: {step} is not a source return"
            );
        }
        // And the decimal closes the engine reads step by those returns, up to the
        // six-digit rounding of each close (≤ 5·10⁻⁶ relative, so ≤ 10⁻⁵ in log).
        let bars = &buf.path.bars[src.first - 1..];
        for w in bars.windows(2) {
            let r = (to_f64(w[1].close) / to_f64(w[0].close)).ln();
            let near = source_returns.iter().any(|x| (x - r).abs() <= 1.1e-5);
            assert!(
                near,
                "path {i}, {}: return {r} is not in the source",
                w[1].date
            );
        }
    }
}

#[test]
fn price_impact_lowers_prices_and_raises_dilution_and_reaches_a_consistent_path() {
    let s = scenario();
    let src = Source::new(&s, &prices("ascent-decline"));
    let base = Overrides {
        paths: 6,
        seed: Some(5),
        ..Overrides::default()
    };
    let without = settings(&src, base.clone());
    let with = settings(
        &src,
        Overrides {
            impact: Some("2".into()),
            ..base
        },
    );
    let (_, plain) = run_all(&s, &src, &without, 1);
    let (summary, impacted) = run_all(&s, &src, &with, 2);
    assert!(
        summary.totals.max_runs >= 2,
        "the sales feed back at least once"
    );
    for (a, b) in plain.iter().zip(&impacted) {
        assert!(b.close_end < a.close_end, "path {}", a.index);
    }
    let issued = |rows: &[PathOutcome]| rows.iter().map(|r| r.totals.shares_issued).sum::<u64>();
    assert!(issued(&impacted) > issued(&plain));
}

#[test]
fn estimated_parameters_say_where_they_came_from() {
    let s = scenario();
    let src = Source::new(&s, &prices("ascent-decline"));
    let st = settings(
        &src,
        Overrides {
            paths: 1,
            volatility: Some("0.5".into()),
            ..Overrides::default()
        },
    );
    let Model::Gbm { drift, volatility } = &st.model else {
        panic!("gbm is the default");
    };
    assert_eq!(volatility.shown, "0.5");
    assert_eq!(volatility.origin, params::Origin::CommandLine);
    assert_eq!(drift.origin, params::Origin::Estimated { returns: 838 });
    assert_eq!(st.model.kind(), ModelKind::Gbm);
}

// ---- bad input: exit 2 and a message that names the flag or the key ----------------

fn fails_with(args: &[&str], scenario: &Path, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let assert = Command::cargo_bin("dilution")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(repo(""))
        .arg("simulate")
        .arg(scenario)
        .args(args)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let mut a = assert;
    for n in needles {
        a = a.stderr(predicate::str::contains(*n));
    }
    assert!(!dir.path().join("out").join("paths.csv").exists());
}

/// A copy of the shipped scenario with `extra` appended and its price path made
/// absolute (or replaced).
fn scenario_with(dir: &Path, extra: &str, prices: Option<&Path>) -> PathBuf {
    let text = std::fs::read_to_string(repo(SCENARIO)).unwrap_or_default();
    let p = prices
        .map(Path::to_path_buf)
        .unwrap_or_else(|| repo("scenarios/prices/ascent-decline.csv"));
    let text = text.replace(
        "prices = \"prices/ascent-decline.csv\"",
        &format!("prices = {:?}", p.display().to_string()),
    );
    let path = dir.join("s.toml");
    std::fs::write(&path, format!("{text}\n{extra}\n")).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn zero_or_negative_paths_are_refused_naming_the_flag() {
    let s = repo(SCENARIO);
    fails_with(&["--paths", "0"], &s, &["--paths", "at least 1"]);
    fails_with(&["--paths", "-5"], &s, &["--paths", "at least 1, found -5"]);
}

#[test]
fn a_negative_volatility_is_refused_naming_the_flag_or_the_key() {
    let s = repo(SCENARIO);
    fails_with(
        &["--paths", "10", "--volatility", "-0.2"],
        &s,
        &["--volatility", "must not be negative"],
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let t = scenario_with(dir.path(), "[simulate]\nvolatility = \"-0.2\"", None);
    fails_with(
        &["--paths", "10"],
        &t,
        &["simulate.volatility", "must not be negative"],
    );
}

#[test]
fn a_path_too_short_to_estimate_from_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let short = dir.path().join("short.csv");
    let mut csv = String::from("date,close,volume\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(2017, 11, 30).unwrap_or_default();
    let mut rows = 0;
    while rows < 12 {
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 {
            csv.push_str(&format!("{day},0.0014,70000000\n"));
            rows += 1;
        }
        day = day.succ_opt().unwrap_or(day);
    }
    std::fs::write(&short, csv).unwrap_or_else(|e| panic!("{e}"));
    let t = scenario_with(dir.path(), "", Some(&short));
    fails_with(
        &["--paths", "10"],
        &t,
        &[
            "too short to estimate",
            "11 daily log returns",
            "--volatility",
        ],
    );
    // Given both parameters, nothing needs estimating.
    let out = dir.path().join("ok");
    Command::cargo_bin("dilution")
        .unwrap_or_else(|e| panic!("{e}"))
        .arg("simulate")
        .arg(&t)
        .args([
            "--paths",
            "3",
            "--drift",
            "0",
            "--volatility",
            "0.5",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn a_block_longer_than_the_path_is_refused_naming_the_flag_or_the_key() {
    let s = repo(SCENARIO);
    fails_with(
        &["--paths", "10", "--model", "bootstrap", "--block", "5000"],
        &s,
        &[
            "--block",
            "longer than the price path",
            "838 daily log returns",
        ],
    );
    fails_with(
        &["--paths", "10", "--model", "bootstrap", "--block", "0"],
        &s,
        &["--block", "at least 1"],
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let t = scenario_with(
        dir.path(),
        "[simulate]\nmodel = \"bootstrap\"\nblock = 900",
        None,
    );
    fails_with(&["--paths", "10"], &t, &["simulate.block", "longer than"]);
}

#[test]
fn other_bad_settings_are_refused_with_their_names() {
    let s = repo(SCENARIO);
    fails_with(
        &["--paths", "10", "--block", "5"],
        &s,
        &["--block", "applies to --model bootstrap"],
    );
    fails_with(
        &["--paths", "10", "--impact", "-1"],
        &s,
        &["--impact", "must not be negative"],
    );
    fails_with(&["--paths", "10", "--threads", "0"], &s, &["--threads"]);
    fails_with(&["--paths", "10", "--drift", "abc"], &s, &["--drift"]);
    fails_with(&["--paths", "10", "--model", "heston"], &s, &["--model"]);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let t = scenario_with(dir.path(), "[simulate]\nmodel = \"heston\"", None);
    fails_with(&["--paths", "10"], &t, &["simulate.model", "unknown model"]);
    let t = scenario_with(dir.path(), "[simulate]\nvolatility = 0.5", None);
    fails_with(&["--paths", "10"], &t, &["bare TOML float"]);
}

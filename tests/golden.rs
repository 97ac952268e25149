//! Golden tests: the worked 8-K example of shared/examples (computed by an
//! independent implementation of MODEL.md in exact rational arithmetic) must come
//! out of `dilution run` row by row, with the tolerances of its README.

mod common;

use common::*;

fn run_example() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    bin()
        .args(["run", "--no-charts", "--out"])
        .arg(out.path())
        .arg(repo().join("tests/data/8k-example/scenario.toml"))
        .assert()
        .success();
    out
}

fn expected(name: &str) -> std::path::PathBuf {
    repo().join("tests/data/8k-example/expected").join(name)
}

fn assert_none(diffs: Vec<String>) {
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs[..diffs.len().min(40)].join("\n")
    );
}

#[test]
fn the_8k_example_amortization_matches_row_by_row() {
    let out = run_example();
    assert_none(compare_keyed(
        &expected("amortization.csv"),
        &out.path().join("amortization.csv"),
        &["note", "seq"],
    ));
}

#[test]
fn the_8k_example_daily_rows_match_row_by_row() {
    let out = run_example();
    assert_none(compare_keyed(
        &expected("daily.csv"),
        &out.path().join("daily.csv"),
        &["date"],
    ));
}

#[test]
fn the_8k_example_events_match_per_date_kind_and_note() {
    let out = run_example();
    assert_none(compare_events(
        &expected("events.csv"),
        &out.path().join("events.csv"),
    ));
}

#[test]
fn the_8k_example_summary_matches_every_key() {
    let out = run_example();
    let mut diffs = Vec::new();
    compare_json(
        &read_json(&expected("summary.json")),
        &read_json(&out.path().join("summary.json")),
        "",
        &mut diffs,
    );
    assert_none(diffs);
}

#[test]
fn the_comparison_itself_catches_a_one_cent_error() {
    // Guard against a comparator that accepts anything.
    let dir = tempfile::tempdir().expect("temp dir");
    let original = std::fs::read_to_string(expected("amortization.csv")).expect("readable");
    let altered = original.replacen("111584.75,3298346.90", "111584.77,3298346.90", 1);
    assert_ne!(original, altered);
    std::fs::write(dir.path().join("a.csv"), altered).expect("writable");
    let diffs = compare_keyed(
        &expected("amortization.csv"),
        &dir.path().join("a.csv"),
        &["note", "seq"],
    );
    assert_eq!(diffs.len(), 1, "{diffs:?}");
}

//! The catalogue of bad inputs (tests/bad/): each case is a folder with a
//! `scenario.toml` (and usually a `prices.csv`) and an `expected` file holding the
//! exit code and the exact stderr of `dilution run scenario.toml --no-charts --out
//! out`, run from a copy of the folder. Messages name the file, the line (and
//! column or key), what was found and what was expected.
//!
//! After a deliberate change of wording, re-bless with `BLESS=1 cargo test --test
//! bad_inputs` and review the diff of tests/bad/*/expected.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn run_case(case: &Path) -> (i32, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in fs::read_dir(case).expect("case folder") {
        let p = entry.expect("entry").path();
        if p.file_name().is_some_and(|n| n != "expected") {
            fs::copy(&p, dir.path().join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let out = bin()
        .current_dir(dir.path())
        .args(["run", "scenario.toml", "--no-charts", "--out", "out"])
        .output()
        .expect("the binary runs");
    let code = out.status.code().expect("exited, not killed");
    (code, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn every_bad_input_gets_its_expected_message_and_exit_code() {
    let bless = std::env::var_os("BLESS").is_some();
    let root = repo().join("tests/bad");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .expect("tests/bad")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "the catalogue has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let (code, stderr) = run_case(case);
        let got = format!("exit: {code}\n{stderr}");
        let expected_path = case.join("expected");
        if bless {
            fs::write(&expected_path, &got).expect("writable");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                case.display()
            ));
        }
        assert!(
            !stderr.contains("panicked"),
            "{} panicked:\n{stderr}",
            case.display()
        );
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.ends_with("-accepted") || name == "toml-no-notes" {
            assert_eq!(code, 0, "{name} should be accepted:\n{stderr}");
        } else {
            assert_eq!(code, 2, "{name} should be refused:\n{stderr}");
            assert!(
                stderr.contains("scenario.toml") || stderr.contains("prices.csv"),
                "{name} does not name the file:\n{stderr}"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

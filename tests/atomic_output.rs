//! A run killed at any moment, or one that fails, leaves the previous results
//! whole: the output folder holds either every file of the old run or every file
//! of the new one, never a mix or a partial file.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::*;

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .expect("out exists")
        .map(|e| {
            let p = e.expect("entry").path();
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                fs::read(&p).expect("readable"),
            )
        })
        .collect()
}

fn run(scenario: &Path, prices: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_dilution"))
        .args(["run", "--no-charts", "--prices"])
        .arg(prices)
        .arg("--out")
        .arg(out)
        .arg(scenario)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts")
}

#[test]
fn a_run_killed_at_any_moment_leaves_old_or_new_results_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = repo().join("tests/data/8k-example");
    let scenario = data.join("scenario.toml");
    let old_prices = data.join("prices.csv");
    // A second path with other volumes, so the new results differ from the old.
    let new_prices = dir.path().join("prices-new.csv");
    let text = fs::read_to_string(&old_prices).expect("readable");
    fs::write(&new_prices, text.replace(",1", ",2")).expect("writable");

    let (out, reference) = (dir.path().join("out"), dir.path().join("reference"));
    assert!(
        run(&scenario, &new_prices, &reference)
            .wait()
            .expect("waits")
            .success()
    );
    let new = snapshot(&reference);
    assert!(
        run(&scenario, &old_prices, &out)
            .wait()
            .expect("waits")
            .success()
    );
    let old = snapshot(&out);
    assert_ne!(old, new);

    let (mut saw_old, mut saw_new) = (0, 0);
    for step in 0..40u64 {
        let mut child = run(&scenario, &new_prices, &out);
        std::thread::sleep(Duration::from_millis(step * 3));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&out);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
            // Put the old results back for the next attempt.
            assert!(
                run(&scenario, &old_prices, &out)
                    .wait()
                    .expect("waits")
                    .success()
            );
            assert_eq!(snapshot(&out), old);
        } else {
            panic!(
                "after a kill at {} ms the output folder is a mix: {:?}",
                step * 3,
                now.keys().collect::<Vec<_>>()
            );
        }
    }
    // The kills landed both before and after the switch at least once.
    assert!(saw_old > 0, "no kill landed before the switch");
    assert!(saw_new > 0, "no run finished before its kill");
}

#[test]
fn a_failed_run_leaves_the_previous_results_and_no_staging_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = repo().join("tests/data/8k-example");
    let out = dir.path().join("out");
    assert!(
        run(&data.join("scenario.toml"), &data.join("prices.csv"), &out)
            .wait()
            .expect("waits")
            .success()
    );
    let before = snapshot(&out);
    let bad = dir.path().join("bad.csv");
    fs::write(&bad, "date,close,volume\n2018-01-02,abc,1\n").expect("writable");
    let status = run(&data.join("scenario.toml"), &bad, &out)
        .wait()
        .expect("waits");
    assert_eq!(status.code(), Some(2));
    assert_eq!(snapshot(&out), before);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("listable")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn files_of_another_command_survive_a_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = repo().join("tests/data/8k-example");
    let out = dir.path().join("out");
    fs::create_dir_all(&out).expect("creatable");
    fs::write(out.join("split.csv"), "kept").expect("writable");
    assert!(
        run(&data.join("scenario.toml"), &data.join("prices.csv"), &out)
            .wait()
            .expect("waits")
            .success()
    );
    assert_eq!(
        fs::read_to_string(out.join("split.csv")).expect("still there"),
        "kept"
    );
    assert!(out.join("daily.csv").is_file());
}

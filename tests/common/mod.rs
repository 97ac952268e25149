//! Shared helpers for the integration tests: running the binary, and comparing
//! output files with the tolerances of shared/examples/README.md.
#![allow(dead_code)]

pub mod image;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("dilution").expect("the binary is built")
}

/// Reads a CSV as header + rows of strings.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// How close two cells must be: share counts, prices and volumes exactly; money
/// within a cent; ratios (`_pct`) within 1e-9.
pub fn tolerance(column: &str) -> Decimal {
    let exact = [
        "close",
        "vwap",
        "volume",
        "bid",
        "conversion_price",
        "price",
        "shares",
        "shares_converted",
        "holder_sold",
        "holder_shares",
        "outstanding",
        "issued_total",
        "headroom",
        "seq",
    ];
    if column.ends_with("pct") {
        Decimal::new(1, 9)
    } else if exact.contains(&column) {
        Decimal::ZERO
    } else {
        Decimal::new(1, 2)
    }
}

pub fn same(a: &str, b: &str, column: &str) -> bool {
    if a == b {
        return true;
    }
    match (Decimal::from_str(a), Decimal::from_str(b)) {
        (Ok(x), Ok(y)) => (x - y).abs() <= tolerance(column),
        _ => false,
    }
}

/// Compares two CSVs keyed by `key` columns; returns the differences found.
pub fn compare_keyed(expected: &Path, got: &Path, key: &[&str]) -> Vec<String> {
    let (he, re) = read_csv(expected);
    let (hg, rg) = read_csv(got);
    let mut diffs = Vec::new();
    if he != hg {
        diffs.push(format!("header differs: {he:?} vs {hg:?}"));
        return diffs;
    }
    let idx: Vec<usize> = key
        .iter()
        .map(|k| he.iter().position(|h| h == k).expect("key column"))
        .collect();
    let keyed = |rows: &[Vec<String>]| -> BTreeMap<Vec<String>, Vec<String>> {
        rows.iter()
            .map(|r| (idx.iter().map(|&i| r[i].clone()).collect(), r.clone()))
            .collect()
    };
    let (me, mg) = (keyed(&re), keyed(&rg));
    for k in me.keys().filter(|k| !mg.contains_key(*k)) {
        diffs.push(format!("missing row {k:?}"));
    }
    for k in mg.keys().filter(|k| !me.contains_key(*k)) {
        diffs.push(format!("extra row {k:?}"));
    }
    for (k, e) in &me {
        let Some(g) = mg.get(k) else { continue };
        for (c, col) in he.iter().enumerate() {
            if !same(&e[c], &g[c], col) {
                diffs.push(format!("{k:?} {col}: expected {}, got {}", e[c], g[c]));
            }
        }
    }
    diffs
}

/// events.csv: per (date, kind, note) the same number of events with the same
/// amount, shares and price; order within a date and `detail` are free; sub-cent
/// `rounding` lines may be on one side only.
pub fn compare_events(expected: &Path, got: &Path) -> Vec<String> {
    let group = |p: &Path| {
        let (h, rows) = read_csv(p);
        let col = |n: &str| h.iter().position(|x| x == n).expect("column");
        let (d, k, n, a, s, pr) = (
            col("date"),
            col("kind"),
            col("note"),
            col("amount"),
            col("shares"),
            col("price"),
        );
        let mut m: BTreeMap<(String, String, String), Vec<[String; 3]>> = BTreeMap::new();
        for r in rows.into_iter().filter(|r| r[k] != "rounding") {
            m.entry((r[d].clone(), r[k].clone(), r[n].clone()))
                .or_default()
                .push([r[a].clone(), r[s].clone(), r[pr].clone()]);
        }
        m
    };
    let (me, mg) = (group(expected), group(got));
    let mut diffs = Vec::new();
    let keys: std::collections::BTreeSet<_> = me.keys().chain(mg.keys()).cloned().collect();
    for k in keys {
        let (e, g) = (
            me.get(&k).cloned().unwrap_or_default(),
            mg.get(&k).cloned().unwrap_or_default(),
        );
        if e.len() != g.len() {
            diffs.push(format!(
                "{k:?}: {} events expected, {} found",
                e.len(),
                g.len()
            ));
            continue;
        }
        for (x, y) in e.iter().zip(&g) {
            for (i, col) in ["amount", "shares", "price"].iter().enumerate() {
                if !same(&x[i], &y[i], col) {
                    diffs.push(format!("{k:?} {col}: expected {}, got {}", x[i], y[i]));
                }
            }
        }
    }
    diffs
}

/// summary.json: every expected key present, numbers within tolerance.
pub fn compare_json(
    expected: &serde_json::Value,
    got: &serde_json::Value,
    path: &str,
    diffs: &mut Vec<String>,
) {
    use serde_json::Value;
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            for (k, v) in e {
                match g.get(k) {
                    None => diffs.push(format!("{path}{k}: missing")),
                    Some(w) => compare_json(v, w, &format!("{path}{k}."), diffs),
                }
            }
        }
        (Value::String(a), Value::String(b)) => {
            let col = if path.contains("pct") {
                "x_pct"
            } else {
                "money"
            };
            if !same(a, b, col) {
                diffs.push(format!("{path}: expected {a}, got {b}"));
            }
        }
        (a, b) if a != b => diffs.push(format!("{path}: expected {a}, got {b}")),
        _ => {}
    }
}

pub fn read_json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).expect("readable")).expect("valid JSON")
}

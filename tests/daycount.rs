//! Every day-count convention against QuantLib's own output.
//!
//! `tests/data/daycount.csv` holds `convention,start,end,days,year_fraction` rows
//! produced by QuantLib. Day counts must match exactly; our exact rational year
//! fraction must match QuantLib's `double` within 1e-12.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use dilution::daycount::DayCount;
use serde::Deserialize;

const TOLERANCE: f64 = 1e-12;

#[derive(Debug, Deserialize)]
struct Row {
    convention: String,
    start: String,
    end: String,
    days: i64,
    year_fraction: f64,
}

#[test]
fn every_convention_matches_quantlib_on_every_fixture_row() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/daycount.csv");
    let mut reader = csv::Reader::from_path(&path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));

    let mut failures = Vec::new();
    let mut rows_per_convention: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (index, record) in reader.deserialize::<Row>().enumerate() {
        // Line 1 is the header, so record `index` sits on line `index + 2`.
        let line = index + 2;
        let row = record.unwrap_or_else(|e| panic!("line {line}: unreadable row: {e}"));
        // Dates are read as text: the crate's chrono has no `serde` feature.
        let date = |s: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .unwrap_or_else(|e| panic!("line {line}: bad date {s:?}: {e}"))
        };
        let (start, end) = (date(&row.start), date(&row.end));
        let Some(dc) = DayCount::parse(&row.convention) else {
            failures.push(format!(
                "line {line}: unknown convention {:?}",
                row.convention
            ));
            continue;
        };
        *rows_per_convention.entry(dc.name()).or_default() += 1;

        let name = format!(
            "line {line} ({} {} → {})",
            row.convention, row.start, row.end
        );
        let days = dc.days(start, end);
        if days != row.days {
            failures.push(format!("{name}: days {days}, QuantLib {}", row.days));
        }
        let yf = dc.year_fraction(start, end);
        let ours = yf.num as f64 / yf.den as f64;
        if (ours - row.year_fraction).abs() > TOLERANCE {
            failures.push(format!(
                "{name}: year fraction {}/{} = {ours}, QuantLib {}",
                yf.num, yf.den, row.year_fraction
            ));
        }
    }

    assert!(
        failures.is_empty(),
        "{} mismatch(es) with QuantLib:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every convention must actually have been exercised by the fixture.
    for dc in DayCount::ALL {
        let count = rows_per_convention.get(dc.name()).copied().unwrap_or(0);
        assert!(count > 0, "no fixture rows for {}", dc.name());
    }
}

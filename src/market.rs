//! The price path: one bar per trading day, read from CSV (any `io::Read`), with
//! exact decimals and the fallbacks of INTERFACE.md (no `vwap` → close, no `bid` →
//! close). Dates strictly increase. A path may start before the scenario so that
//! look-backs have history.

use std::io;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;

use crate::error::InputError;
use crate::money::parse_exact;
use crate::scenario::{MAX_PRICE, MAX_SHARES};

/// One trading day of the market.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub date: NaiveDate,
    pub close: Decimal,
    pub vwap: Decimal,
    /// Shares traded; a split-adjusted volume can be fractional (MODEL.md §9).
    pub volume: Decimal,
    /// The closing bid (the `bid` column, else the close).
    pub bid: Decimal,
}

/// A validated price path: bars with strictly increasing dates, positive prices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PricePath {
    pub bars: Vec<Bar>,
}

impl PricePath {
    /// Builds a path from bars already validated by the caller (generators, tests).
    pub fn from_bars(bars: Vec<Bar>) -> PricePath {
        PricePath { bars }
    }

    /// The number of bars dated strictly before `date`: the index of the first bar
    /// on or after it.
    pub fn index_before(&self, date: NaiveDate) -> usize {
        self.bars.partition_point(|b| b.date < date)
    }

    /// Reads a CSV price path. `path` names the source in error messages.
    pub fn read<R: io::Read>(reader: R, path: &Path) -> Result<PricePath, InputError> {
        let err = |line: u64, column: Option<&str>, message: String| InputError::Csv {
            path: path.to_path_buf(),
            line,
            column: column.map(str::to_string),
            message,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let headers = rdr
            .headers()
            .map_err(|e| err(1, None, csv_message(&e)))?
            .clone();
        if headers.is_empty()
            || headers
                .iter()
                .all(|h| h.trim_start_matches('\u{feff}').is_empty())
        {
            return Err(err(
                1,
                None,
                "the file is empty: expected a header row with date,close,volume".into(),
            ));
        }
        if headers.get(0).is_some_and(|h| {
            NaiveDate::parse_from_str(h.trim_start_matches('\u{feff}').trim(), "%Y-%m-%d").is_ok()
        }) {
            return Err(err(
                1,
                None,
                "the first line looks like data, not a header: the file needs a header row such as date,close,volume".into(),
            ));
        }
        let columns = Columns::locate(&headers).map_err(|m| err(1, None, m))?;

        let mut bars: Vec<Bar> = Vec::new();
        let mut prev_line = 0;
        for record in rdr.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                err(line, None, csv_message(&e))
            })?;
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            let cell = |i: usize, name: &str| -> Result<&str, InputError> {
                match record.get(i) {
                    Some(s) if !s.is_empty() => Ok(s),
                    _ => Err(err(line, Some(name), "the cell is empty".into())),
                }
            };
            let date_text = cell(columns.date, "date")?;
            let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d").map_err(|_| {
                err(
                    line,
                    Some("date"),
                    format!("expected a date as YYYY-MM-DD, found \"{date_text}\""),
                )
            })?;
            // A weekend row is almost always a date-format slip in an export; a
            // price path holds trading days only.
            if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(err(
                    line,
                    Some("date"),
                    format!(
                        "{date} is a {}: a price path holds trading days only",
                        date.format("%A")
                    ),
                ));
            }
            let price = |i: usize, name: &str| -> Result<Decimal, InputError> {
                let v = parse_exact(cell(i, name)?).map_err(|m| err(line, Some(name), m))?;
                if v <= Decimal::ZERO {
                    return Err(err(
                        line,
                        Some(name),
                        format!("a price must be positive, found {v}"),
                    ));
                }
                if v > MAX_PRICE {
                    return Err(err(
                        line,
                        Some(name),
                        format!("{v} is larger than the {MAX_PRICE} a share this tool models"),
                    ));
                }
                Ok(v)
            };
            let close = price(columns.close, "close")?;
            let vwap = match columns.vwap {
                Some(i) => price(i, "vwap")?,
                None => close,
            };
            let bid = match columns.bid {
                Some(i) => price(i, "bid")?,
                None => close,
            };
            let volume = parse_exact(cell(columns.volume, "volume")?)
                .map_err(|m| err(line, Some("volume"), m))?;
            if volume > Decimal::from(MAX_SHARES) {
                return Err(err(
                    line,
                    Some("volume"),
                    format!("{volume} shares is more than the {MAX_SHARES} this tool models"),
                ));
            }
            if volume < Decimal::ZERO {
                return Err(err(
                    line,
                    Some("volume"),
                    format!("a volume cannot be negative, found {volume}"),
                ));
            }
            if let Some(prev) = bars.last() {
                if date == prev.date {
                    return Err(err(
                        line,
                        Some("date"),
                        format!(
                            "{date} appears twice (also on line {prev_line}): one row per trading day"
                        ),
                    ));
                }
                if date < prev.date {
                    return Err(err(
                        line,
                        Some("date"),
                        format!(
                            "dates must strictly increase: {date} comes after {} (line {prev_line})",
                            prev.date
                        ),
                    ));
                }
            }
            prev_line = line;
            bars.push(Bar {
                date,
                close,
                vwap,
                volume,
                bid,
            });
        }
        if bars.is_empty() {
            return Err(err(
                2,
                None,
                "the file has a header but no price rows".into(),
            ));
        }
        Ok(PricePath { bars })
    }
}

/// Where each named column is.
struct Columns {
    date: usize,
    close: usize,
    volume: usize,
    vwap: Option<usize>,
    bid: Option<usize>,
}

impl Columns {
    const KNOWN: [&'static str; 8] = [
        "date", "close", "volume", "vwap", "bid", "open", "high", "low",
    ];

    fn locate(headers: &csv::StringRecord) -> Result<Columns, String> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
            .collect();
        for (i, n) in names.iter().enumerate() {
            if names[..i].contains(n) {
                return Err(format!("column `{n}` appears twice in the header"));
            }
        }
        let find = |name: &str| names.iter().position(|n| n == name);
        let need = |name: &str| {
            find(name).ok_or_else(|| {
                format!(
                    "missing required column `{name}` (the header has: {}; required: date, close, volume; optional: vwap, bid, open, high, low)",
                    names.join(", ")
                )
            })
        };
        let _ = Self::KNOWN;
        Ok(Columns {
            date: need("date")?,
            close: need("close")?,
            volume: need("volume")?,
            vwap: find("vwap"),
            bid: find("bid"),
        })
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields as in the header, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8 text".into(),
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn read(text: &str) -> Result<PricePath, InputError> {
        PricePath::read(text.as_bytes(), Path::new("p.csv"))
    }

    #[test]
    fn missing_vwap_and_bid_fall_back_to_close() {
        let p = read("date,close,volume\n2018-01-02,0.004,100\n").unwrap();
        assert_eq!(p.bars[0].vwap, dec!(0.004));
        assert_eq!(p.bars[0].bid, dec!(0.004));
    }

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        let p = read("volume,bid,date,close,vwap\n5,0.1,2018-01-02,0.2,0.3\n").unwrap();
        assert_eq!(
            p.bars[0],
            Bar {
                date: "2018-01-02".parse().unwrap(),
                close: dec!(0.2),
                vwap: dec!(0.3),
                volume: dec!(5),
                bid: dec!(0.1)
            }
        );
    }

    #[test]
    fn non_increasing_dates_are_refused_with_the_line() {
        let e = read("date,close,volume\n2018-01-03,1,1\n2018-01-02,1,1\n").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("p.csv: line 3"), "{m}");
        assert!(m.contains("strictly increase"), "{m}");
    }

    #[test]
    fn a_zero_price_is_refused() {
        let m = read("date,close,volume\n2018-01-02,0,1\n")
            .unwrap_err()
            .to_string();
        assert!(m.contains("line 2, column `close`"), "{m}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let m = read("date,close\n2018-01-02,1\n").unwrap_err().to_string();
        assert!(m.contains("missing required column `volume`"), "{m}");
    }

    #[test]
    fn index_before_counts_bars_strictly_before() {
        let p = read("date,close,volume\n2018-01-02,1,1\n2018-01-04,1,1\n").unwrap();
        assert_eq!(p.index_before("2018-01-02".parse().unwrap()), 0);
        assert_eq!(p.index_before("2018-01-03".parse().unwrap()), 1);
        assert_eq!(p.index_before("2018-01-05".parse().unwrap()), 2);
    }
}

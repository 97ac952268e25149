//! What `dilution split` prints and writes: the share table, the ownership tables,
//! the Form 4 ledgers and the $1.00 advice, as text (stdout), CSV and JSON. Nothing
//! here computes a figure; `split` did. Text here; `csv`, `json` and `advice` (the
//! $1.00 advisor's answer in all three forms) beside it.

mod advice;
mod csv;
mod json;

pub use advice::{advice_json, advice_text, write_advice_csv};
pub use csv::{write_ownership_csv, write_split_csv, write_trades_csv};
pub use json::json;

use rust_decimal::Decimal;

use crate::money::plain;
use crate::report::table::{group, render};
use crate::split::ownership::{Ledger, OwnershipLine, OwnershipTable, percent_2dp};
use crate::split::table::{Cell, ShareTable};
use crate::split::{Exact, gcd};
use crate::terms::Trade;

/// A holder's Form 4 trades with the holdings they leave.
pub struct HolderLedger<'a> {
    pub holder: &'a str,
    pub trades: &'a [Trade],
    pub ledger: Ledger,
}

/// For people: "10,235,381.2", or "17,058,968 2/3" when the division does not
/// terminate.
pub fn exact_text(e: &Exact) -> String {
    if e.den == 1 {
        return group(e.num);
    }
    if e.terminates() {
        if let Some(d) = e.to_decimal() {
            let whole = d.trunc();
            let frac = (d - whole).abs().normalize().to_string();
            let w = whole.mantissa() / 10i128.pow(whole.scale());
            let sign = if d < Decimal::ZERO && w == 0 { "-" } else { "" };
            return format!("{sign}{}{}", group(w), frac.trim_start_matches('0'));
        }
    }
    let w = e.num / e.den as i128;
    let r = (e.num % e.den as i128).unsigned_abs();
    let g = gcd(r, e.den as u128);
    format!("{} {}/{}", group(w), r / g, e.den as u128 / g)
}

pub(crate) fn ratio_label(k: u64) -> String {
    if k == 1 {
        "Current".into()
    } else {
        format!("1-for-{k}")
    }
}

/// "$3.35" with as many decimals as the exact price has (at least two).
pub fn price_text(p: Decimal) -> String {
    let n = p.normalize();
    let s = if n.scale() < 2 {
        format!("{:.2}", n)
    } else {
        n.to_string()
    };
    format!("${s}")
}

/// Lines of a text table: a label and one cell per column.
pub(crate) struct Grid {
    heads: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
}

impl Grid {
    fn row(&mut self, label: impl Into<String>, cells: Vec<String>) {
        self.rows.push((label.into(), cells));
    }

    /// A count three ways: one row when exact, rounded and nearest agree in every
    /// column, else a header and three labelled sub-rows.
    fn cells(&mut self, label: &str, cells: &[Cell], rounded: &str, nearest: &str) {
        let same = cells
            .iter()
            .all(|c| c.exact.den == 1 || (c.exact.num % c.exact.den as i128 == 0));
        if same && cells.iter().all(|c| c.rounded == c.nearest) {
            self.row(label, cells.iter().map(|c| group(c.rounded)).collect());
            return;
        }
        let indent = " ".repeat(label.len() - label.trim_start().len() + 2);
        self.row(label, vec![String::new(); cells.len()]);
        self.row(
            format!("{indent}exact"),
            cells.iter().map(|c| exact_text(&c.exact)).collect(),
        );
        self.row(
            format!("{indent}{rounded}"),
            cells.iter().map(|c| group(c.rounded)).collect(),
        );
        self.row(
            format!("{indent}{nearest}"),
            cells.iter().map(|c| group(c.nearest)).collect(),
        );
    }

    fn render(&self, out: &mut String) {
        let lw = self
            .rows
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        let mut widths: Vec<usize> = self.heads.iter().map(|h| h.chars().count()).collect();
        for (_, cells) in &self.rows {
            for (i, c) in cells.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(c.chars().count());
                }
            }
        }
        out.push_str(&format!("  {:lw$}", ""));
        for (h, w) in self.heads.iter().zip(&widths) {
            out.push_str(&format!("  {h:>w$}"));
        }
        out.push('\n');
        for (label, cells) in &self.rows {
            let mut line = format!("  {label:<lw$}");
            for (c, w) in cells.iter().zip(&widths) {
                line.push_str(&format!("  {c:>w$}"));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// How many ratio columns a block of the text table holds (after "Current").
const BLOCK: usize = 4;

/// The share table and the ownership tables as text, in blocks of columns.
pub fn text(
    name: &str,
    snapshot_date: chrono::NaiveDate,
    table: &ShareTable,
    ownership: &[OwnershipTable],
    ledgers: &[HolderLedger],
) -> String {
    let mut out = format!(
        "{name}\nReverse split, share information at {snapshot_date} (proxy, Proposal 5, \"Principal Effects of the Reverse Stock Split\")\n"
    );
    let current = &table.columns[0];
    let ratios = &table.columns[1..];
    for block in ratios.chunks(BLOCK) {
        let cols: Vec<_> = std::iter::once(current).chain(block.iter()).collect();
        let mut g = Grid {
            heads: cols.iter().map(|c| ratio_label(c.ratio)).collect(),
            rows: Vec::new(),
        };
        g.row(
            "Authorized common stock",
            cols.iter().map(|c| group(c.authorized as i128)).collect(),
        );
        let o: Vec<Cell> = cols.iter().map(|c| c.outstanding).collect();
        g.cells(
            "Common stock outstanding",
            &o,
            "rounded up per holder (MODEL.md §9)",
            "nearest whole share (as the proxy prints)",
        );
        for (i, name) in table.pool_names.iter().enumerate() {
            let c: Vec<Cell> = cols.iter().map(|c| c.pools[i]).collect();
            g.cells(name, &c, "rounded down (one grant)", "nearest whole share");
        }
        let h: Vec<Cell> = cols.iter().map(|c| c.headroom).collect();
        g.cells(
            "Authorized but unissued and unreserved",
            &h,
            "by our rounding",
            "from the nearest whole shares",
        );
        if let Some(p) = table.price {
            let label = if table.post_split_factor == Decimal::ONE {
                format!("Price at {}", price_text(p))
            } else {
                format!(
                    "Price at {} x post-split factor {}",
                    price_text(p),
                    plain(table.post_split_factor)
                )
            };
            g.row(
                label,
                cols.iter()
                    .map(|c| c.implied_price.map(price_text).unwrap_or_default())
                    .collect(),
            );
        }
        let holders_shown = table.investor_name.is_some() || !table.holder_names.is_empty();
        if holders_shown {
            g.row(
                "Holders of record (each rounded up)",
                vec![String::new(); cols.len()],
            );
            if let Some(n) = &table.investor_name {
                let c: Vec<Cell> = cols.iter().filter_map(|c| c.investor).collect();
                g.cells(&format!("  {n} (noteholder)"), &c, "rounded up", "nearest");
            }
            for (i, n) in table.holder_names.iter().enumerate() {
                let c: Vec<Cell> = cols.iter().map(|c| c.holders[i]).collect();
                g.cells(&format!("  {n}"), &c, "rounded up", "nearest");
            }
            let f: Vec<Cell> = cols.iter().map(|c| c.float).collect();
            g.cells("  public float (one holder)", &f, "rounded up", "nearest");
        }
        if !current.grants.is_empty() {
            g.row(
                "Options and RSUs (each grant rounded down)",
                vec![String::new(); cols.len()],
            );
            for (i, gr) in current.grants.iter().enumerate() {
                let c: Vec<Cell> = cols.iter().map(|c| c.grants[i].shares).collect();
                g.row(
                    format!("  {}: {}", gr.holder, gr.label),
                    c.iter().map(|c| group(c.rounded)).collect(),
                );
                if gr.exercise_price.is_some() {
                    g.row(
                        "    exercise price",
                        cols.iter()
                            .map(|c| {
                                c.grants[i]
                                    .exercise_price
                                    .map(price_text)
                                    .unwrap_or_default()
                            })
                            .collect(),
                    );
                }
            }
        }
        out.push('\n');
        g.render(&mut out);
    }
    if let Some(first) = ownership.first() {
        out.push_str(&ownership_text(first, ownership));
    }
    for l in ledgers {
        out.push_str(&ledger_text(l));
    }
    out
}

fn ownership_text(first: &OwnershipTable, all: &[OwnershipTable]) -> String {
    let mut out = format!(
        "\nBeneficial ownership (MODEL.md §8): shares held + acquirable within the window, over outstanding + the line's acquirable; as of {}, {} shares outstanding\n",
        first.as_of,
        group(first.outstanding as i128)
    );
    for block in all[1..]
        .chunks(BLOCK)
        .map(|b| std::iter::once(&all[0]).chain(b.iter()).collect::<Vec<_>>())
    {
        let mut g = Grid {
            heads: block.iter().map(|t| ratio_label(t.ratio)).collect(),
            rows: Vec::new(),
        };
        g.row(
            "Shares outstanding",
            block.iter().map(|t| group(t.outstanding as i128)).collect(),
        );
        let lines = first.holders.len() + first.groups.len();
        for i in 0..lines {
            let pick = |t: &OwnershipTable| -> OwnershipLine {
                if i < t.holders.len() {
                    t.holders[i].clone()
                } else {
                    t.groups[i - t.holders.len()].clone()
                }
            };
            let l0 = pick(first);
            g.row(
                l0.name.clone(),
                block
                    .iter()
                    .map(|t| {
                        let l = pick(t);
                        format!("{} {:.2}%", group(l.beneficial as i128), l.printed_pct())
                    })
                    .collect(),
            );
        }
        out.push('\n');
        g.render(&mut out);
    }
    let mut notes: Vec<(String, String)> = Vec::new();
    for l in first.holders.iter().chain(&first.groups) {
        if l.filed_shares.is_none() && l.filed_pct.is_none() {
            continue;
        }
        let ours = format!(
            "{} shares, {:.2}%",
            group(l.beneficial as i128),
            l.printed_pct()
        );
        let filed = format!(
            "{} shares, {}",
            l.filed_shares
                .map(|s| group(s as i128))
                .unwrap_or_else(|| "-".into()),
            l.filed_pct
                .map(|p| format!("{:.2}%", percent_2dp(p)))
                .unwrap_or_else(|| "-".into())
        );
        let same_shares = l.filed_shares.is_none_or(|s| s == l.beneficial);
        let same_pct = l
            .filed_pct
            .is_none_or(|p| percent_2dp(p) == l.printed_pct());
        let verdict = if same_shares && same_pct {
            "as filed".to_string()
        } else {
            format!("the filing prints {filed}")
        };
        notes.push((l.name.clone(), format!("ours {ours}: {verdict}")));
    }
    if !notes.is_empty() {
        out.push_str("\nAgainst the filing\n");
        out.push_str(&render(&notes));
    }
    out
}

fn ledger_text(l: &HolderLedger) -> String {
    let mut out = format!(
        "\nForm 4 ledger, {}: {} shares before the first trade\n",
        l.holder,
        group(l.ledger.opening as i128)
    );
    let rows: Vec<(String, String)> = l
        .trades
        .iter()
        .zip(&l.ledger.after)
        .map(|(t, after)| {
            let verb = if t.shares < 0 {
                "disposed of"
            } else {
                "acquired"
            };
            (
                format!(
                    "{} {verb} {} at {}",
                    t.date,
                    group(t.shares.unsigned_abs() as i128),
                    price_text(t.price)
                ),
                format!("{} held after", group(*after as i128)),
            )
        })
        .collect();
    out.push_str(&render(&rows));
    out
}

pub(crate) fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn exact_counts_read_as_the_proxy_prints_them() {
        assert_eq!(exact_text(&Exact::div(51_176_906, 5)), "10,235,381.2");
        assert_eq!(exact_text(&Exact::div(1_138_646_188, 10)), "113,864,618.8");
        assert_eq!(exact_text(&Exact::div(51_176_906, 3)), "17,058,968 2/3");
        assert_eq!(exact_text(&Exact::div(-1, 2)), "-0.5");
        assert_eq!(exact_text(&Exact::whole(125_000_000)), "125,000,000");
    }

    #[test]
    fn prices_keep_every_decimal_and_at_least_cents() {
        assert_eq!(price_text(dec!(3.35)), "$3.35");
        assert_eq!(price_text(dec!(6.7)), "$6.70");
        assert_eq!(price_text(dec!(0.0014)), "$0.0014");
    }
}

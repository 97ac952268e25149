//! What `dilution split` prints and writes: the share table, the ownership tables,
//! the Form 4 ledgers and the $1.00 advice, as text (stdout), CSV and JSON. Nothing
//! here computes a figure; `split` did.

use std::io;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::money::plain;
use crate::report::table::{group, render};
use crate::split::advisor::{Advice, Capital};
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

fn ratio_label(k: u64) -> String {
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
struct Grid {
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

/// split.csv: one row per (ratio, line), three ways where a rule rounds.
pub fn write_split_csv<W: io::Write>(t: &ShareTable, w: W) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "ratio",
        "section",
        "line",
        "exact",
        "exact_fraction",
        "rounded",
        "nearest",
        "rule",
    ])?;
    for c in &t.columns {
        let k = c.ratio.to_string();
        let cell = |out: &mut csv::Writer<W>, section: &str, line: &str, x: &Cell, rule: &str| {
            out.write_record([
                k.as_str(),
                section,
                line,
                &x.exact.decimal_text(),
                &x.exact.fraction_text(),
                &x.rounded.to_string(),
                &x.nearest.to_string(),
                rule,
            ])
        };
        let auth = Cell {
            exact: Exact::whole(c.authorized as i128),
            rounded: c.authorized as i128,
            nearest: c.authorized as i128,
        };
        cell(
            &mut out,
            "company",
            "authorized",
            &auth,
            "unchanged by a split",
        )?;
        cell(
            &mut out,
            "company",
            "outstanding",
            &c.outstanding,
            "sum of the holdings, each rounded up; the float as one holder",
        )?;
        for (i, n) in t.pool_names.iter().enumerate() {
            cell(
                &mut out,
                "reserved",
                n,
                &c.pools[i],
                "rounded down (one grant)",
            )?;
        }
        cell(
            &mut out,
            "company",
            "authorized but unissued and unreserved",
            &c.headroom,
            "authorized - outstanding - reserved",
        )?;
        if let Some(n) = &t.investor_name {
            if let Some(x) = &c.investor {
                cell(&mut out, "holders", n, x, "rounded up")?;
            }
        }
        for (i, n) in t.holder_names.iter().enumerate() {
            cell(&mut out, "holders", n, &c.holders[i], "rounded up")?;
        }
        cell(
            &mut out,
            "holders",
            "public float",
            &c.float,
            "rounded up as one holder",
        )?;
        for g in &c.grants {
            let line = format!("{}: {}", g.holder, g.label);
            cell(
                &mut out,
                "grants",
                &line,
                &g.shares,
                "rounded down (per grant)",
            )?;
            if let Some(p) = g.exercise_price {
                let p = plain(p);
                out.write_record([
                    k.as_str(),
                    "grants",
                    &format!("{line}: exercise price"),
                    &p,
                    &p,
                    "",
                    "",
                    "exercise price x k",
                ])?;
            }
        }
        if let Some(p) = c.implied_price {
            let p = plain(p);
            out.write_record([
                k.as_str(),
                "price",
                "implied price",
                &p,
                &p,
                "",
                "",
                "price x k x post_split_factor",
            ])?;
        }
    }
    out.flush()?;
    Ok(())
}

/// ownership.csv: every line of every ownership table.
pub fn write_ownership_csv<W: io::Write>(tables: &[OwnershipTable], w: W) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "ratio",
        "as_of",
        "line",
        "group",
        "held",
        "acquirable",
        "beneficial",
        "denominator",
        "pct",
        "percent_as_printed",
        "filed_shares",
        "filed_pct",
    ])?;
    for t in tables {
        let group_lines = t.groups.iter().map(|g| (g, "(group)".to_string()));
        let holder_lines = t
            .holders
            .iter()
            .map(|h| (h, h.group.clone().unwrap_or_default()));
        for (l, grp) in holder_lines.chain(group_lines) {
            out.write_record([
                t.ratio.to_string(),
                t.as_of.to_string(),
                l.name.clone(),
                grp,
                l.held.to_string(),
                l.acquirable.to_string(),
                l.beneficial.to_string(),
                l.denominator.to_string(),
                plain(l.pct),
                format!("{:.2}", l.printed_pct()),
                l.filed_shares.map(|s| s.to_string()).unwrap_or_default(),
                l.filed_pct.map(plain).unwrap_or_default(),
            ])?;
        }
    }
    out.flush()?;
    Ok(())
}

/// trades.csv: each holder's opening holding (seq 0), then each trade and the
/// holding after it.
pub fn write_trades_csv<W: io::Write>(ledgers: &[HolderLedger], w: W) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["holder", "seq", "date", "shares", "price", "held_after"])?;
    for l in ledgers {
        out.write_record([l.holder, "0", "", "", "", &l.ledger.opening.to_string()])?;
        for (i, (t, after)) in l.trades.iter().zip(&l.ledger.after).enumerate() {
            out.write_record([
                l.holder.to_string(),
                (i + 1).to_string(),
                t.date.to_string(),
                t.shares.to_string(),
                plain(t.price),
                after.to_string(),
            ])?;
        }
    }
    out.flush()?;
    Ok(())
}

fn cell_json(c: &Cell) -> Value {
    json!({
        "exact": c.exact.decimal_text(),
        "exact_fraction": c.exact.fraction_text(),
        "rounded": c.rounded,
        "nearest": c.nearest,
    })
}

fn line_json(l: &OwnershipLine) -> Value {
    json!({
        "name": l.name,
        "group": l.group,
        "held": l.held,
        "acquirable": l.acquirable,
        "beneficial": l.beneficial,
        "denominator": l.denominator,
        "pct": plain(l.pct),
        "percent_as_printed": format!("{:.2}", l.printed_pct()),
        "filed_shares": l.filed_shares,
        "filed_pct": l.filed_pct.map(plain),
    })
}

/// The whole answer of `split` (no `--advise`) as JSON.
pub fn json(
    scenario: &str,
    table: &ShareTable,
    ownership: &[OwnershipTable],
    ledgers: &[HolderLedger],
) -> Value {
    let columns: Vec<Value> = table
        .columns
        .iter()
        .map(|c| {
            json!({
                "ratio": c.ratio,
                "authorized": c.authorized,
                "outstanding": cell_json(&c.outstanding),
                "reserved": table.pool_names.iter().zip(&c.pools).map(|(n, p)| {
                    let mut v = cell_json(p);
                    v["name"] = json!(n);
                    v
                }).collect::<Vec<_>>(),
                "unissued_unreserved": cell_json(&c.headroom),
                "investor": c.investor.as_ref().map(cell_json),
                "holders": table.holder_names.iter().zip(&c.holders).map(|(n, h)| {
                    let mut v = cell_json(h);
                    v["name"] = json!(n);
                    v
                }).collect::<Vec<_>>(),
                "float": cell_json(&c.float),
                "implied_price": c.implied_price.map(plain),
                "grants": c.grants.iter().map(|g| {
                    let mut v = cell_json(&g.shares);
                    v["holder"] = json!(g.holder);
                    v["label"] = json!(g.label);
                    v["exercise_price"] = json!(g.exercise_price.map(plain));
                    v
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "scenario": scenario,
        "price": table.price.map(plain),
        "post_split_factor": plain(table.post_split_factor),
        "columns": columns,
        "ownership": ownership.iter().map(|t| json!({
            "ratio": t.ratio,
            "as_of": t.as_of.to_string(),
            "outstanding": t.outstanding,
            "holders": t.holders.iter().map(line_json).collect::<Vec<_>>(),
            "groups": t.groups.iter().map(line_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "trades": ledgers.iter().map(|l| json!({
            "holder": l.holder,
            "opening": l.ledger.opening,
            "trades": l.trades.iter().zip(&l.ledger.after).map(|(t, a)| json!({
                "date": t.date.to_string(),
                "shares": t.shares,
                "price": plain(t.price),
                "held_after": a,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
}

/// The advisor's answer as text.
pub fn advice_text(name: &str, a: &Advice, cap: Decimal) -> String {
    let mut out = format!(
        "{name}\n$1.00 minimum bid: a reverse split at the open of {}",
        a.date
    );
    if a.post_split_factor != Decimal::ONE {
        out.push_str(&format!(
            ", post-split prices x {}",
            plain(a.post_split_factor)
        ));
    }
    out.push('\n');
    match a.deficiency {
        Some((d, deadline)) => out.push_str(&format!(
            "Deficient since {d} (30 trading days below $1.00); the 180-day compliance period ends {deadline}{}\n",
            if deadline < a.date { ", before the split date" } else { "" }
        )),
        None => out.push_str(&format!(
            "No deficiency in force on {}: there is no compliance to regain; the table shows when each ratio's bid would next fall deficient\n",
            a.date
        )),
    }
    out.push_str(&format!(
        "Without a split: compliance regained {}, next deficiency {}\n",
        date_text(a.unsplit_compliant_on),
        date_text(a.unsplit_next_deficiency)
    ));
    let cap_text = format!("{}%", plain(cap * Decimal::ONE_HUNDRED));
    out.push_str(&format!(
        "Before the split: {} outstanding, headroom {}, noteholder {} shares, room under the {cap_text} cap {}\n",
        group(a.before.outstanding as i128),
        group(a.before.headroom),
        group(a.before.investor as i128),
        group(a.before.cap_room)
    ));
    out.push_str(&match (a.smallest_in_time(), a.smallest_at_all()) {
        (Some(k), _) => format!("Smallest ratio that regains compliance in time: 1-for-{k}\n"),
        (None, Some(k)) if a.deficiency.is_some() => format!(
            "No ratio in the range regains compliance by the deadline; the smallest that regains it at all: 1-for-{k}\n"
        ),
        _ if a.deficiency.is_some() => "No ratio in the range regains compliance along the path\n".into(),
        _ => String::new(),
    });
    let mut g = Grid {
        heads: [
            "first bid, on",
            "compliant on",
            "in time",
            "next deficiency",
            "outstanding",
            "headroom",
            "noteholder",
            "cap room",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: Vec::new(),
    };
    // Long ranges: one line per run of ratios with the same outcome.
    let mut i = 0;
    let rows = &a.ratios;
    while i < rows.len() {
        let r = &rows[i];
        let key = (r.compliant_on, r.in_time, r.next_deficiency);
        let mut j = i;
        if rows.len() > 40 {
            while j + 1 < rows.len()
                && (
                    rows[j + 1].compliant_on,
                    rows[j + 1].in_time,
                    rows[j + 1].next_deficiency,
                ) == key
            {
                j += 1;
            }
        }
        let label = if j > i {
            format!("1-for-{}..{} (first shown)", r.ratio, rows[j].ratio)
        } else {
            format!("1-for-{}", r.ratio)
        };
        g.row(
            label,
            advice_cells(
                r.first_bid,
                r.compliant_on,
                r.in_time,
                r.next_deficiency,
                &r.after,
            ),
        );
        i = j + 1;
    }
    out.push('\n');
    g.render(&mut out);
    out
}

fn advice_cells(
    first: Option<(chrono::NaiveDate, Decimal)>,
    compliant: Option<chrono::NaiveDate>,
    in_time: bool,
    next: Option<chrono::NaiveDate>,
    c: &Capital,
) -> Vec<String> {
    vec![
        first
            .map(|(d, b)| format!("{} {d}", price_text(b)))
            .unwrap_or_else(|| "-".into()),
        date_text(compliant),
        if in_time { "yes" } else { "no" }.into(),
        date_text(next),
        group(c.outstanding as i128),
        group(c.headroom),
        group(c.investor as i128),
        group(c.cap_room),
    ]
}

/// advice.csv: ratio 1 is "no split".
pub fn write_advice_csv<W: io::Write>(a: &Advice, w: W) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "ratio",
        "split_date",
        "post_split_factor",
        "deficiency",
        "deadline",
        "first_trading_day",
        "first_bid",
        "compliant_on",
        "in_time",
        "next_deficiency",
        "outstanding",
        "headroom",
        "investor_shares",
        "cap_room",
    ])?;
    let (def, deadline) = match a.deficiency {
        Some((d, dl)) => (d.to_string(), dl.to_string()),
        None => (String::new(), String::new()),
    };
    let mut row = |k: u64,
                   first: Option<(chrono::NaiveDate, Decimal)>,
                   compliant: Option<chrono::NaiveDate>,
                   in_time: bool,
                   next: Option<chrono::NaiveDate>,
                   c: &Capital| {
        out.write_record([
            k.to_string(),
            a.date.to_string(),
            plain(a.post_split_factor),
            def.clone(),
            deadline.clone(),
            first.map(|f| f.0.to_string()).unwrap_or_default(),
            first.map(|f| plain(f.1)).unwrap_or_default(),
            compliant.map(|d| d.to_string()).unwrap_or_default(),
            in_time.to_string(),
            next.map(|d| d.to_string()).unwrap_or_default(),
            c.outstanding.to_string(),
            c.headroom.to_string(),
            c.investor.to_string(),
            c.cap_room.to_string(),
        ])
    };
    let unsplit_in_time =
        matches!((a.deficiency, a.unsplit_compliant_on), (Some((_, dl)), Some(c)) if c <= dl);
    row(
        1,
        None,
        a.unsplit_compliant_on,
        unsplit_in_time,
        a.unsplit_next_deficiency,
        &a.before,
    )?;
    for r in &a.ratios {
        row(
            r.ratio,
            r.first_bid,
            r.compliant_on,
            r.in_time,
            r.next_deficiency,
            &r.after,
        )?;
    }
    out.flush()?;
    Ok(())
}

/// The advisor's answer as JSON.
pub fn advice_json(scenario: &str, a: &Advice) -> Value {
    let cap = |c: &Capital| {
        json!({
            "outstanding": c.outstanding,
            "headroom": c.headroom,
            "investor_shares": c.investor,
            "cap_room": c.cap_room,
        })
    };
    json!({
        "scenario": scenario,
        "split_date": a.date.to_string(),
        "post_split_factor": plain(a.post_split_factor),
        "deficiency": a.deficiency.map(|(d, _)| d.to_string()),
        "deadline": a.deficiency.map(|(_, dl)| dl.to_string()),
        "unsplit_compliant_on": a.unsplit_compliant_on.map(|d| d.to_string()),
        "unsplit_next_deficiency": a.unsplit_next_deficiency.map(|d| d.to_string()),
        "before": cap(&a.before),
        "smallest_in_time": a.smallest_in_time(),
        "smallest_at_all": a.smallest_at_all(),
        "ratios": a.ratios.iter().map(|r| json!({
            "ratio": r.ratio,
            "first_trading_day": r.first_bid.map(|f| f.0.to_string()),
            "first_bid": r.first_bid.map(|f| plain(f.1)),
            "compliant_on": r.compliant_on.map(|d| d.to_string()),
            "in_time": r.in_time,
            "next_deficiency": r.next_deficiency.map(|d| d.to_string()),
            "after": cap(&r.after),
        })).collect::<Vec<_>>(),
    })
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

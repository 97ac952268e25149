//! split.csv, ownership.csv and trades.csv: one row per (ratio, line), exact
//! decimals in plain notation.

use std::io;

use super::HolderLedger;
use crate::money::plain;
use crate::split::Exact;
use crate::split::ownership::OwnershipTable;
use crate::split::table::{Cell, ShareTable};

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

//! `dilution split --json`: the share table, the ownership tables and the ledgers.

use serde_json::{Value, json};

use super::HolderLedger;
use crate::money::plain;
use crate::split::ownership::{OwnershipLine, OwnershipTable};
use crate::split::table::{Cell, ShareTable};

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

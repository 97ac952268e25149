//! The $1.00 advisor's answer: text, advice.csv and JSON.

use std::io;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Grid, date_text, price_text};
use crate::money::plain;
use crate::report::table::group;
use crate::split::advisor::{Advice, Capital};

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

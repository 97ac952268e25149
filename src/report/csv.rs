//! amortization.csv, daily.csv and events.csv (INTERFACE.md): exact decimals in
//! plain notation, ISO dates, columns in the documented order.

use std::io;

use crate::engine::{EventKind, Simulation};
use crate::money::{cents, plain};
use crate::terms::NoteTerms;

pub const AMORTIZATION_HEADER: [&str; 8] = [
    "note",
    "seq",
    "date",
    "opening_principal",
    "interest",
    "principal",
    "payment",
    "closing_principal",
];

pub const DAILY_HEADER: [&str; 19] = [
    "date",
    "close",
    "vwap",
    "volume",
    "bid",
    "conversion_price",
    "shares_converted",
    "amount_converted",
    "holder_sold",
    "holder_proceeds",
    "holder_shares",
    "outstanding",
    "holder_pct",
    "issued_total",
    "dilution_pct",
    "principal_outstanding",
    "accrued_interest",
    "cash_paid",
    "headroom",
];

pub const EVENTS_HEADER: [&str; 7] = [
    "date", "kind", "note", "amount", "shares", "price", "detail",
];

/// The contractual schedule of each note, as if nothing converted.
pub fn write_amortization<W: io::Write>(notes: &[&NoteTerms], w: W) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(AMORTIZATION_HEADER)?;
    for terms in notes {
        for (date, p) in crate::engine::note::contractual_schedule(terms) {
            let closing = p.opening_principal - p.principal;
            out.write_record([
                terms.id.clone(),
                p.seq.to_string(),
                date.to_string(),
                cents(p.opening_principal),
                cents(p.interest),
                cents(p.principal),
                cents(p.cash),
                cents(closing),
            ])?;
        }
    }
    out.flush()?;
    Ok(())
}

/// One row per trading day.
pub fn write_daily<W: io::Write>(sim: &Simulation, w: W) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(DAILY_HEADER)?;
    for r in &sim.days {
        out.write_record([
            r.date.to_string(),
            plain(r.close),
            plain(r.vwap),
            plain(r.volume),
            plain(r.bid),
            r.conversion_price.map(plain).unwrap_or_default(),
            r.shares_converted.to_string(),
            plain(r.amount_converted),
            r.holder_sold.to_string(),
            plain(r.holder_proceeds),
            r.holder_shares.to_string(),
            r.outstanding.to_string(),
            plain(r.holder_pct),
            r.issued_total.to_string(),
            plain(r.dilution_pct),
            plain(r.principal_outstanding),
            plain(r.accrued_interest),
            plain(r.cash_paid),
            r.headroom.to_string(),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// Every event, in order.
pub fn write_events<W: io::Write>(sim: &Simulation, w: W) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(EVENTS_HEADER)?;
    for e in &sim.events {
        let note = e.note.map(|i| &sim.notes[i]);
        out.write_record([
            e.date.to_string(),
            e.kind.name().to_string(),
            note.map(|n| n.terms.id.clone()).unwrap_or_default(),
            e.amount.map(plain).unwrap_or_default(),
            e.shares.map(|s| s.to_string()).unwrap_or_default(),
            e.price.map(plain).unwrap_or_default(),
            detail(&e.kind, note.map(|n| &n.terms)),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// The human sentence of an event's `detail` column.
pub fn detail(kind: &EventKind, note: Option<&NoteTerms>) -> String {
    match kind {
        EventKind::Issue => note.map(NoteTerms::describe).unwrap_or_default(),
        EventKind::TrancheSkipped { min, average } => match average {
            Some(a) => format!(
                "average daily dollar volume {} < {}",
                plain(a.round_dp(2)),
                plain(*min)
            ),
            None => format!(
                "fewer trading days of history than the look-back; threshold {}",
                plain(*min)
            ),
        },
        EventKind::ParFloor { computed } => {
            format!("computed price {} raised to par", plain(*computed))
        }
        EventKind::Installment(p) | EventKind::Maturity(p) => {
            let mut s = format!(
                "seq {}: interest {}, principal {}",
                p.seq,
                plain(p.interest),
                plain(p.principal)
            );
            if let Some(a) = p.level {
                s.push_str(&format!(", level payment {}", plain(a)));
            }
            s
        }
        EventKind::Rounding => "sub-cent accrued interest left at close".into(),
        EventKind::Conversion {
            interest,
            principal,
        } => format!(
            "interest {}, principal {}",
            plain(*interest),
            plain(*principal)
        ),
        EventKind::CapBlocked { outstanding, held } => {
            format!("holder already at the cap: {held} held of {outstanding} outstanding")
        }
        EventKind::Shortfall { wanted, headroom } => {
            format!("wanted {wanted} shares, headroom {headroom}")
        }
        EventKind::Sale => String::new(),
        EventKind::Split {
            ratio,
            adjust_prices,
            post_split_factor,
        } => {
            let mut s = format!("1-for-{ratio} reverse split; shares outstanding after");
            if *adjust_prices {
                s.push_str(&format!(
                    "; prices on and after scaled by {ratio} x {}",
                    plain(*post_split_factor)
                ));
            }
            s
        }
        EventKind::Authorize { previous } => format!("authorized shares changed from {previous}"),
        EventKind::BidDeficiency { deadline } => {
            format!("30 consecutive trading days below $1.00; compliance period ends {deadline}")
        }
        EventKind::BidCompliance => "10 consecutive trading days at or above $1.00".into(),
    }
}

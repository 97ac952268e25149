//! The resolved terms of a scenario as text (what `check` prints): every default
//! filled in, so a reader sees exactly what the engine will use.

use crate::money::plain;
use crate::report::table::{dollars, group, render};
use crate::scenario::Scenario;
use crate::terms::{ActionKind, Apply, OnShortfall, Policy, Prepayment, Repayment};

pub fn describe(s: &Scenario) -> String {
    let c = &s.conversion;
    let mut rows: Vec<(String, String)> = vec![
        ("scenario".into(), s.name.clone()),
        ("window".into(), format!("{} .. {}", s.start, s.end)),
        (
            "par value".into(),
            format!("${}", plain(s.company.par_value)),
        ),
        ("outstanding".into(), group(s.company.outstanding as i128)),
        ("authorized".into(), group(s.company.authorized as i128)),
    ];
    for r in &s.company.reserved {
        rows.push((format!("reserved: {}", r.name), group(r.shares as i128)));
    }
    let policy = match s.holder.policy {
        Policy::Hold => "hold".to_string(),
        Policy::ConvertAndSell => format!(
            "convert-and-sell, selling {} of each day's volume",
            plain(s.holder.sell_share)
        ),
    };
    rows.push((
        "holder".into(),
        format!(
            "{} ({} shares): {policy}",
            s.holder.name,
            group(s.holder.shares as i128)
        ),
    ));
    if let Some(l) = s.holder.daily_limit {
        rows.push(("daily conversion limit".into(), dollars(l)));
    }
    let mut lowest = Vec::new();
    if c.vwap_days > 0 {
        lowest.push(format!(
            "{} x mean VWAP of the {} prior trading days",
            plain(c.discount),
            c.vwap_days
        ));
    }
    if c.prior_bid {
        lowest.push("the prior closing bid".into());
    }
    if let Some(f) = c.fixed_price {
        lowest.push(format!("${}", plain(f)));
    }
    rows.push((
        "conversion price".into(),
        format!("lowest of {}", lowest.join("; ")),
    ));
    rows.push((
        "floor".into(),
        c.floor
            .map(|f| format!("${}", plain(f)))
            .unwrap_or_else(|| "none (par only)".into()),
    ));
    rows.push((
        "ownership cap".into(),
        format!("{} of outstanding", plain(c.cap)),
    ));
    rows.push((
        "applied to".into(),
        match c.apply {
            Apply::InterestFirst => "interest first, then principal",
            Apply::PrincipalFirst => "principal first, then interest",
        }
        .into(),
    ));
    rows.push((
        "on shortfall".into(),
        match c.on_shortfall {
            OnShortfall::Cut => "cut to the headroom and log it",
            OnShortfall::Error => "stop with an error (exit 1)",
        }
        .into(),
    ));
    for n in &s.notes {
        let extra = match &n.repayment {
            Repayment::Bullet { .. } => String::new(),
            Repayment::Amortizing {
                installments,
                first_payment,
                prepayment,
            } => format!(
                "; {installments} installments from {first_payment}, {}",
                match prepayment {
                    Prepayment::Shorten => "shorten",
                    Prepayment::Reamortize => "reamortize",
                }
            ),
        };
        rows.push((
            format!("note {}", n.id),
            format!(
                "{} issued {}, {}{extra}",
                dollars(n.principal),
                n.issue,
                n.describe()
            ),
        ));
    }
    for t in &s.tranches {
        let cond = match &t.condition {
            Some(c) => format!(
                "if avg dollar volume over {} days >= {}",
                c.lookback_days,
                dollars(c.min)
            ),
            None => "unconditionally".into(),
        };
        rows.push((
            format!("tranche {}", t.id),
            format!(
                "{} on {} {cond}, {}",
                dollars(t.principal),
                t.date,
                t.note().describe()
            ),
        ));
    }
    for a in &s.actions {
        let what = match &a.kind {
            ActionKind::Split {
                ratio,
                post_split_factor,
                adjust_prices,
            } => format!(
                "1-for-{ratio} reverse split{}",
                if *adjust_prices {
                    format!(
                        " (pre-split path: prices x {ratio} x {})",
                        plain(*post_split_factor)
                    )
                } else {
                    String::new()
                }
            ),
            ActionKind::Authorize { authorized } => {
                format!("authorized shares -> {}", group(*authorized as i128))
            }
        };
        rows.push((format!("action {}", a.date), what));
    }
    render(&rows)
}

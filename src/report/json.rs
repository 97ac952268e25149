//! summary.json (INTERFACE.md): money and ratios as decimal strings, share counts
//! as integers, dates as ISO strings or null, and the 8-K's reconciliation checks.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::engine::Simulation;
use crate::money::plain;
use crate::scenario::Scenario;

/// The 8-K's own exchange figures (Item 1.01): 3,359,538.57 + 252,465.75 +
/// 445,222.19. Used for `exchange_8k` only when the scenario declares no `parts`.
pub const EIGHT_K_EXCHANGE: [&str; 3] = ["3359538.57", "252465.75", "445222.19"];

/// The reconciliation figures `check` prints and summary.json carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Checks {
    /// Principal of the scenario's notes (issued on or before start).
    pub notes_at_start: Decimal,
    pub tranches_scheduled: Decimal,
    pub tranches_count: usize,
    /// (note id, level payment) for each amortizing note.
    pub level_payment: Vec<(String, Decimal)>,
    /// Exchange principal: the notes' `exchange` parts, else the 8-K's figures.
    pub exchange_8k: Decimal,
    /// Whether `exchange_8k` came from the scenario's parts.
    pub exchange_from_parts: bool,
}

impl Checks {
    pub fn of(s: &Scenario) -> Checks {
        let parts: Vec<_> = s
            .notes
            .iter()
            .flat_map(|n| &n.parts)
            .filter(|p| p.exchange)
            .collect();
        let exchange_from_parts = !parts.is_empty();
        let exchange_8k = if exchange_from_parts {
            parts.iter().map(|p| p.amount).sum()
        } else {
            EIGHT_K_EXCHANGE
                .iter()
                .map(|x| x.parse::<Decimal>().unwrap_or_default())
                .sum()
        };
        Checks {
            notes_at_start: s
                .notes
                .iter()
                .filter(|n| n.issue <= s.start)
                .map(|n| n.principal)
                .sum(),
            tranches_scheduled: s.tranches.iter().map(|t| t.principal).sum(),
            tranches_count: s.tranches.len(),
            level_payment: s
                .notes
                .iter()
                .filter_map(|n| n.level_payment().map(|a| (n.id.clone(), a)))
                .collect(),
            exchange_8k,
            exchange_from_parts,
        }
    }
}

fn money(d: Decimal) -> Value {
    Value::String(plain(d))
}

fn date(d: Option<chrono::NaiveDate>) -> Value {
    d.map(|d| Value::String(d.to_string()))
        .unwrap_or(Value::Null)
}

/// The summary object, keys in INTERFACE.md's order.
pub fn summary(s: &Scenario, sim: &Simulation) -> Value {
    let t = &sim.totals;
    let c = Checks::of(s);
    let mut level = Map::new();
    for (id, a) in &c.level_payment {
        level.insert(id.clone(), money(*a));
    }
    json!({
        "scenario": s.name,
        "start": s.start.to_string(),
        "end": s.end.to_string(),
        "principal_issued": money(t.principal_issued),
        "principal_paid_cash": money(t.principal_paid_cash),
        "principal_converted": money(t.principal_converted),
        "principal_outstanding": money(t.principal_outstanding),
        "interest_accrued": money(t.interest_accrued),
        "interest_paid_cash": money(t.interest_paid_cash),
        "interest_converted": money(t.interest_converted),
        "interest_outstanding": money(t.interest_outstanding),
        "interest_rounding": money(t.interest_rounding),
        "cash_paid": money(t.cash_paid),
        "amount_converted": money(t.amount_converted),
        "shares_issued": t.shares_issued,
        "outstanding_start": t.outstanding_start,
        "outstanding_end": t.outstanding_end,
        "holder_shares_end": t.holder_shares_end,
        "authorized_end": t.authorized_end,
        "headroom_end": t.headroom_end as i64,
        "peak_holder_pct": money(t.peak_holder_pct),
        "peak_holder_pct_date": date(t.peak_holder_pct_date),
        "holder_shares_sold": t.holder_shares_sold,
        "holder_sale_proceeds": money(t.holder_sale_proceeds),
        "tranches_closed": t.tranche_ids_closed.len(),
        "tranches_skipped": t.tranche_ids_skipped.len(),
        "tranche_ids_closed": t.tranche_ids_closed,
        "tranche_ids_skipped": t.tranche_ids_skipped,
        "last_conversion_date": date(t.last_conversion_date),
        "notes_closed_date": date(t.notes_closed_date),
        "trading_days": t.trading_days,
        "checks": {
            "notes_at_start": money(c.notes_at_start),
            "tranches_scheduled": money(c.tranches_scheduled),
            "tranches_count": c.tranches_count,
            "level_payment": Value::Object(level),
            "exchange_8k": money(c.exchange_8k),
        }
    })
}

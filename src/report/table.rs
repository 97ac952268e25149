//! The human summary printed on stdout: a two-column table with thousands
//! separators, for a reader rather than a script (scripts use `--json`).

use rust_decimal::Decimal;

use crate::engine::Simulation;
use crate::money::round_cent;
use crate::report::json::Checks;
use crate::scenario::Scenario;

/// 5000000000 → "5,000,000,000".
pub fn group(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Dollars to the cent with separators: "$4,307,226.51".
pub fn dollars(d: Decimal) -> String {
    let c = round_cent(d);
    let whole = c.trunc();
    let frac = ((c - whole).abs() * Decimal::from(100)).trunc();
    let sign = if c < Decimal::ZERO { "-" } else { "" };
    let w: i128 = whole.abs().mantissa() / 10i128.pow(whole.scale());
    format!(
        "{sign}${}.{:02}",
        group(w),
        frac.mantissa() / 10i128.pow(frac.scale())
    )
}

/// A fraction as a percentage with two decimals: 0.0999 → "9.99%".
pub fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::from(100)).round_dp(2))
}

/// Lines of "label  value", aligned.
pub fn render(rows: &[(String, String)]) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("  {k:<width$}  {v}\n"))
        .collect()
}

/// The run summary.
pub fn run_summary(s: &Scenario, sim: &Simulation) -> String {
    let t = &sim.totals;
    let date =
        |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
    let rows: Vec<(String, String)> = vec![
        (
            "window".into(),
            format!("{} .. {} ({} trading days)", s.start, s.end, t.trading_days),
        ),
        ("principal issued".into(), dollars(t.principal_issued)),
        ("  paid in cash".into(), dollars(t.principal_paid_cash)),
        ("  converted".into(), dollars(t.principal_converted)),
        (
            "  outstanding at end".into(),
            dollars(t.principal_outstanding),
        ),
        ("interest accrued".into(), dollars(t.interest_accrued)),
        ("  paid in cash".into(), dollars(t.interest_paid_cash)),
        ("  converted".into(), dollars(t.interest_converted)),
        (
            "  outstanding at end".into(),
            dollars(t.interest_outstanding),
        ),
        ("cash paid by the company".into(), dollars(t.cash_paid)),
        (
            "shares outstanding".into(),
            format!(
                "{} -> {}",
                group(t.outstanding_start as i128),
                group(t.outstanding_end as i128)
            ),
        ),
        (
            "shares issued on conversion".into(),
            group(t.shares_issued as i128),
        ),
        (
            "authorized / headroom at end".into(),
            format!(
                "{} / {}",
                group(t.authorized_end as i128),
                group(t.headroom_end)
            ),
        ),
        (
            "holder: peak ownership".into(),
            format!(
                "{} on {}",
                percent(t.peak_holder_pct),
                date(t.peak_holder_pct_date)
            ),
        ),
        (
            "holder: shares sold".into(),
            group(t.holder_shares_sold as i128),
        ),
        (
            "holder: sale proceeds".into(),
            dollars(t.holder_sale_proceeds),
        ),
        (
            "tranches closed / skipped".into(),
            format!(
                "{} / {}",
                t.tranche_ids_closed.len(),
                t.tranche_ids_skipped.len()
            ),
        ),
        ("last conversion".into(), date(t.last_conversion_date)),
        ("all notes closed".into(), date(t.notes_closed_date)),
    ];
    format!("{}\n{}", s.name, render(&rows))
}

/// The 8-K reconciliation `check` prints (MODEL.md §3).
pub fn reconciliation(s: &Scenario) -> String {
    let c = Checks::of(s);
    let mut rows: Vec<(String, String)> = Vec::new();
    let source = if c.exchange_from_parts {
        "from the notes' parts"
    } else {
        "the 8-K's figures (no parts declared)"
    };
    let exchange: Vec<String> = if c.exchange_from_parts {
        s.notes
            .iter()
            .flat_map(|n| &n.parts)
            .filter(|p| p.exchange)
            .map(|p| dollars(p.amount))
            .collect()
    } else {
        crate::report::json::EIGHT_K_EXCHANGE
            .iter()
            .map(|x| dollars(x.parse().unwrap_or_default()))
            .collect()
    };
    rows.push((
        "exchange notes".into(),
        format!(
            "{} = {} ({source})",
            exchange.join(" + "),
            dollars(c.exchange_8k)
        ),
    ));
    let cash_parts: Decimal = s
        .notes
        .iter()
        .flat_map(|n| &n.parts)
        .filter(|p| !p.exchange)
        .map(|p| p.amount)
        .sum();
    if !cash_parts.is_zero() {
        rows.push((
            "+ cash in the notes".into(),
            format!(
                "{} = {}",
                dollars(cash_parts),
                dollars(c.exchange_8k + cash_parts)
            ),
        ));
    }
    rows.push((
        "notes outstanding at start".into(),
        dollars(c.notes_at_start),
    ));
    rows.push((
        "future tranches".into(),
        format!(
            "{} tranches = {}",
            c.tranches_count,
            dollars(c.tranches_scheduled)
        ),
    ));
    for (id, a) in &c.level_payment {
        rows.push((format!("level payment, {id}"), dollars(*a)));
    }
    render(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn group_puts_separators_every_three_digits() {
        assert_eq!(group(5_000_000_000), "5,000,000,000");
        assert_eq!(group(-1234), "-1,234");
        assert_eq!(group(12), "12");
    }

    #[test]
    fn dollars_rounds_to_the_cent() {
        assert_eq!(dollars(dec!(4307226.51)), "$4,307,226.51");
        assert_eq!(dollars(dec!(0.005)), "$0.01");
        assert_eq!(dollars(dec!(-12.3)), "-$12.30");
    }
}

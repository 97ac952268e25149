//! Extreme but valid scenarios still run and stay exact: prices of $0.00001, a
//! trillion shares, a 1-for-10,000 split, 30 years of daily prices, a hundred notes.
//! "Exact" is checked as the ledger identities holding with `==` and every
//! conversion amount equal to shares × price.

use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_decimal::Decimal;

use dilution::engine::{EventKind, Simulation, simulate};
use dilution::market::{Bar, PricePath};
use dilution::scenario::Scenario;

/// Weekdays from `from` for `n` days, the price drifting down from `start` by
/// `step` (a fraction in ten-thousandths per day) and never below `low`.
fn path(from: NaiveDate, n: usize, start: Decimal, low: Decimal, volume: u64) -> PricePath {
    let mut bars = Vec::with_capacity(n);
    let mut d = from;
    let mut p = start;
    let decay = Decimal::new(9990, 4);
    while bars.len() < n {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            let price = p.max(low).round_dp(8).max(low);
            bars.push(Bar {
                date: d,
                close: price,
                vwap: price,
                volume: Decimal::from(volume),
                bid: price,
            });
            p = (p * decay).round_dp(12);
        }
        d += Duration::days(1);
    }
    PricePath::from_bars(bars)
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("valid")
}

/// A scenario around the given company, conversion and note tables.
fn scenario(start: &str, end: &str, company: &str, extra: &str) -> Scenario {
    let text = format!(
        r#"
name = "extreme"
start = "{start}"
end = "{end}"

[defaults]
rate = "0.12"
day_count = "30/360"

{company}

[holder]
shares = 0
policy = "convert-and-sell"
sell_share = "0.10"

[conversion]
vwap_days = 5
discount = "0.85"
prior_bid = true
cap = "0.0999"

{extra}
"#
    );
    Scenario::parse(&text, Path::new("extreme.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_exact(sim: &Simulation) {
    let t = &sim.totals;
    assert_eq!(
        t.principal_issued,
        t.principal_paid_cash + t.principal_converted + t.principal_outstanding
    );
    assert_eq!(
        t.interest_accrued,
        t.interest_paid_cash + t.interest_converted + t.interest_outstanding + t.interest_rounding
    );
    for n in sim.notes.iter().filter(|n| n.issued) {
        let l = &n.ledger;
        assert_eq!(
            l.issued,
            l.principal_paid_cash + l.principal_converted + n.principal_outstanding,
            "{}",
            n.terms.id
        );
    }
    let mut shares = 0u64;
    for e in &sim.events {
        if let EventKind::Conversion {
            interest,
            principal,
        } = e.kind
        {
            let (s, p, a) = (
                e.shares.expect("shares"),
                e.price.expect("price"),
                e.amount.expect("amount"),
            );
            assert_eq!(Decimal::from(s as u64) * p, a);
            assert_eq!(interest + principal, a);
            shares += s as u64;
        }
    }
    assert_eq!(shares, t.shares_issued);
    // Without a split, the share count is the start plus what was issued.
    if !sim
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Split { .. }))
    {
        assert_eq!(t.outstanding_end, t.outstanding_start + t.shares_issued);
    }
}

fn bullet(id: &str, principal: &str, issue: &str, maturity: &str) -> String {
    format!(
        "[[notes]]\nid = \"{id}\"\nprincipal = \"{principal}\"\nissue = \"{issue}\"\nkind = \"bullet\"\nmaturity = \"{maturity}\"\n"
    )
}

#[test]
fn prices_of_a_thousandth_of_a_cent_stay_exact() {
    let p = path(
        date("2018-01-01"),
        300,
        Decimal::new(3, 5),
        Decimal::new(1, 5),
        2_000_000_000,
    );
    let company = "[company]\npar_value = \"0.000001\"\noutstanding = 5_000_000_000\nauthorized = 900_000_000_000";
    let s = scenario(
        "2018-02-01",
        "2019-02-01",
        company,
        &bullet("n", "500000", "2018-02-01", "2019-01-15"),
    );
    let sim = simulate(&s, &p).expect("runs");
    assert!(
        sim.totals.shares_issued > 10_000_000_000,
        "{}",
        sim.totals.shares_issued
    );
    assert!(
        sim.days
            .iter()
            .filter_map(|d| d.conversion_price)
            .all(|c| c <= Decimal::new(3, 5))
    );
    assert_exact(&sim);
}

#[test]
fn a_trillion_shares_outstanding_stay_whole_and_exact() {
    let p = path(
        date("2018-01-01"),
        300,
        Decimal::new(2, 4),
        Decimal::new(1, 4),
        500_000_000_000,
    );
    let company = "[company]\npar_value = \"0.0001\"\noutstanding = 1_000_000_000_000\nauthorized = 5_000_000_000_000";
    let s = scenario(
        "2018-02-01",
        "2019-02-01",
        company,
        &bullet("n", "50000000", "2018-02-01", "2019-01-15"),
    );
    let sim = simulate(&s, &p).expect("runs");
    assert!(sim.totals.outstanding_end > 1_000_000_000_000);
    assert!(
        sim.totals.shares_issued > 100_000_000_000,
        "{}",
        sim.totals.shares_issued
    );
    assert_exact(&sim);
}

#[test]
fn a_1_for_10000_split_scales_shares_and_prices() {
    let p = path(
        date("2018-01-01"),
        300,
        Decimal::new(2, 3),
        Decimal::new(1, 4),
        50_000_000,
    );
    let company = "[company]\npar_value = \"0.0001\"\noutstanding = 5_000_000_000\nauthorized = 20_000_000_000";
    let extra = format!(
        "{}\n[[actions]]\nkind = \"split\"\ndate = \"2018-07-02\"\nratio = 10000\nadjust_prices = true\n",
        bullet("n", "500000", "2018-02-01", "2019-01-15")
    );
    let s = scenario("2018-02-01", "2019-02-01", company, &extra);
    let sim = simulate(&s, &p).expect("runs");
    let before = sim
        .days
        .iter()
        .rfind(|d| d.date < date("2018-07-02"))
        .expect("a day before");
    let after = sim
        .days
        .iter()
        .find(|d| d.date >= date("2018-07-02"))
        .expect("a day after");
    assert!(after.outstanding * 10_000 >= before.outstanding);
    assert!(after.outstanding < before.outstanding / 9_000);
    assert!(after.close >= before.close * Decimal::from(9_000));
    assert!(
        sim.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Split { ratio: 10_000, .. }))
    );
    assert_exact(&sim);
}

#[test]
fn thirty_years_of_daily_prices_run() {
    let p = path(
        date("1995-01-02"),
        7_830,
        Decimal::new(5, 2),
        Decimal::new(1, 4),
        100_000_000,
    );
    let company = "[company]\npar_value = \"0.0001\"\noutstanding = 5_000_000_000\nauthorized = 900_000_000_000";
    let extra = format!(
        "[[notes]]\nid = \"long\"\nprincipal = \"3000000\"\nissue = \"1995-03-01\"\nkind = \"amortizing\"\ninstallments = 360\nfirst_payment = \"1995-04-01\"\n{}",
        bullet("b", "100000", "2010-01-04", "2011-01-04")
    );
    let s = scenario("1995-03-01", "2024-12-31", company, &extra);
    let sim = simulate(&s, &p).expect("runs");
    assert!(sim.days.len() > 7_500, "{}", sim.days.len());
    assert_exact(&sim);
}

#[test]
fn a_hundred_notes_run_and_reconcile() {
    let p = path(
        date("2018-01-01"),
        500,
        Decimal::new(2, 3),
        Decimal::new(1, 4),
        80_000_000,
    );
    let company = "[company]\npar_value = \"0.0001\"\noutstanding = 5_000_000_000\nauthorized = 900_000_000_000";
    let mut extra = String::new();
    for i in 0..100 {
        let issue = date("2018-02-01") + Duration::days(i * 3);
        let maturity = issue + Duration::days(200 + i * 2);
        extra.push_str(&bullet(
            &format!("n{i:03}"),
            &format!("{}", 10_000 + i * 137),
            &issue.to_string(),
            &maturity.to_string(),
        ));
    }
    let s = scenario("2018-02-01", "2019-12-31", company, &extra);
    let sim = simulate(&s, &p).expect("runs");
    assert_eq!(sim.notes.iter().filter(|n| n.issued).count(), 100);
    assert_exact(&sim);
}

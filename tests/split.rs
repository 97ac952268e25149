//! Reverse splits (MODEL.md §7-9): the 2013 proxy's share table cell by cell, its
//! ownership table, the Form 4 ledger, the invariants of a split (pure and inside
//! the engine), the $1.00 tracker, and the `split` command's exit codes and errors.

use std::path::Path;

use assert_cmd::Command;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use clap::CommandFactory;
use predicates::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use dilution::engine::{self, EventKind, Simulation};
use dilution::market::{Bar, PricePath};
use dilution::money::cap_room;
use dilution::scenario::Scenario;
use dilution::split::advisor::{self, BidEvent};
use dilution::split::ownership;
use dilution::split::table::{self, ShareTable, Snapshot};
use dilution::split::{Holdings, RatioRange};

const PROXY_SCENARIO: &str = "scenarios/ascent-2013-split.toml";

fn proxy() -> Scenario {
    Scenario::load(Path::new(PROXY_SCENARIO)).expect("the shipped scenario loads")
}

fn proxy_table(s: &Scenario) -> ShareTable {
    let snap = Snapshot {
        authorized: s.company.authorized,
        outstanding: s.company.outstanding,
        reserved: &s.company.reserved,
        investor: None,
        holders: &s.holders,
    };
    table::build(&snap, RatioRange::PROXY, Some(dec!(0.67)), Decimal::ONE).unwrap()
}

// ---------------------------------------------------------------------------------------
// Golden: the proxy's table under "Principal Effects of the Reverse Stock Split".
// ---------------------------------------------------------------------------------------

#[test]
fn the_proxy_s_share_table_is_reproduced_cell_by_cell_at_1_for_5_and_1_for_10() {
    let s = proxy();
    let t = proxy_table(&s);
    let col = |k: u64| t.columns.iter().find(|c| c.ratio == k).unwrap();
    // (current, 1-for-5, 1-for-10) as the proxy prints them.
    let authorized = [125_000_000, 125_000_000, 125_000_000];
    let outstanding = [51_176_906, 10_235_381, 5_117_691];
    let pools: [[i128; 3]; 4] = [
        [1_200_000, 240_000, 120_000],
        [300_000, 60_000, 30_000],
        [1_800_000, 360_000, 180_000],
        [1_200_000, 240_000, 120_000],
    ];
    let unissued = [dec!(69323094), dec!(113864618.8), dec!(119432309.4)];
    for (i, k) in [1u64, 5, 10].into_iter().enumerate() {
        let c = col(k);
        assert_eq!(c.authorized, authorized[i], "authorized, ratio {k}");
        // The proxy prints the outstanding count to the nearest whole share ...
        assert_eq!(
            c.outstanding.nearest, outstanding[i],
            "outstanding, ratio {k}"
        );
        for (p, row) in pools.iter().enumerate() {
            assert_eq!(c.pools[p].exact.to_decimal(), Some(Decimal::from(row[i])));
            assert_eq!(c.pools[p].rounded, row[i], "pool {p}, ratio {k}");
            assert_eq!(c.pools[p].nearest, row[i], "pool {p}, ratio {k}");
        }
        // ... and "authorized but unissued and unreserved" exactly.
        assert_eq!(
            c.headroom.exact.to_decimal(),
            Some(unissued[i]),
            "unissued, ratio {k}"
        );
    }
    // The exact divisions beside them.
    assert_eq!(
        col(5).outstanding.exact.to_decimal(),
        Some(dec!(10235381.2))
    );
    assert_eq!(
        col(10).outstanding.exact.to_decimal(),
        Some(dec!(5117690.6))
    );
    // Our rounding (MODEL.md §9): every holder of record up, the float as one holder.
    assert_eq!(col(5).outstanding.rounded, 10_235_383);
    assert_eq!(col(10).outstanding.rounded, 5_117_693);
    assert_eq!(col(5).headroom.rounded, 113_864_617);
    assert_eq!(col(10).headroom.rounded, 119_432_307);
    assert_eq!(col(1).headroom.rounded, 69_323_094);
    // The nearest whole share of the unissued line.
    assert_eq!(col(5).headroom.nearest, 113_864_619);
    assert_eq!(col(10).headroom.nearest, 119_432_309);
    // "five times greater than $0.67, or $3.35".
    assert_eq!(col(5).implied_price, Some(dec!(3.35)));
    assert_eq!(col(10).implied_price, Some(dec!(6.70)));
}

#[test]
fn every_ratio_from_5_to_10_has_a_column_whose_rounding_stays_within_one_share_per_holder() {
    let s = proxy();
    let t = proxy_table(&s);
    assert_eq!(
        t.columns.iter().map(|c| c.ratio).collect::<Vec<_>>(),
        vec![1, 5, 6, 7, 8, 9, 10]
    );
    let holders_of_record = s.holders.len() as i128 + 1; // + the float
    for c in &t.columns[1..] {
        let exact = c.outstanding.exact;
        assert!(c.outstanding.rounded * exact.den as i128 >= exact.num);
        assert!(c.outstanding.rounded - exact.floor() <= holders_of_record);
        let sum: i128 = c.holders.iter().map(|h| h.rounded).sum::<i128>() + c.float.rounded;
        assert_eq!(sum, c.outstanding.rounded);
    }
}

#[test]
fn options_are_divided_per_grant_rounding_down_and_exercise_prices_multiplied() {
    let s = proxy();
    let t = proxy_table(&s);
    let c7 = t.columns.iter().find(|c| c.ratio == 7).unwrap();
    let g = c7
        .grants
        .iter()
        .find(|g| g.label.starts_with("options at $0.68"))
        .unwrap();
    assert_eq!(g.shares.rounded, 10_714); // 75,000 / 7 = 10,714 2/7
    assert_eq!(g.exercise_price, Some(dec!(4.76)));
}

#[test]
fn the_officers_and_directors_group_is_1_72_pct_as_the_proxy_prints_it() {
    let s = proxy();
    let t = ownership::table(&s.holders, &s.ownership(), 0, 1).unwrap();
    assert_eq!(t.outstanding, 51_523_758);
    let g = &t.groups[0];
    assert_eq!(g.beneficial, 889_750);
    assert_eq!(g.acquirable, 103_750 + 8_000);
    assert_eq!(g.denominator, 51_523_758 + 111_750);
    assert_eq!(g.printed_pct(), dec!(1.72));
    assert_eq!(g.filed_pct, Some(dec!(0.0172)));
    // Each officer's line matches its filed share count.
    for h in t.holders.iter().filter(|h| h.filed_shares.is_some()) {
        assert_eq!(Some(h.beneficial), h.filed_shares, "{}", h.name);
    }
}

#[test]
fn tfg_radiant_is_31_12_pct_by_the_method_where_the_proxy_prints_31_10() {
    // Reported, not fudged (MODEL.md §9): 16,032,842 / 51,523,758 = 31.117...%.
    let s = proxy();
    let t = ownership::table(&s.holders, &s.ownership(), 0, 1).unwrap();
    let tfg = t
        .holders
        .iter()
        .find(|h| h.name.starts_with("TFG Radiant"))
        .unwrap();
    assert_eq!(tfg.beneficial, 16_032_842);
    assert_eq!(tfg.printed_pct(), dec!(31.12));
    assert_eq!(tfg.filed_pct, Some(dec!(0.3110)));
    assert_ne!(tfg.printed_pct(), dec!(31.10));
}

#[test]
fn ownership_after_a_split_rounds_holdings_up_and_grants_down() {
    let s = proxy();
    let t = ownership::table(&s.holders, &s.ownership(), 0, 5).unwrap();
    let line = |n: &str| t.holders.iter().find(|h| h.name.starts_with(n)).unwrap();
    assert_eq!(line("TFG").held, 3_206_569); // 3,206,568.4 up
    assert_eq!(line("Gary").acquirable, 4_000 + 9_000 + 4_000 + 3_750); // per grant, down
    assert_eq!(line("Amit").acquirable, 1_600);
    assert_eq!(t.groups[0].printed_pct(), dec!(1.72));
}

#[test]
fn the_form_4_ledger_in_the_scenario_runs_766_678_443_237_61_30_0() {
    let s = proxy();
    let nath = s.holders.iter().find(|h| h.name == "Prem Nath").unwrap();
    let l = ownership::ledger(nath.shares, &nath.trades).unwrap();
    assert_eq!(l.opening, 766);
    assert_eq!(l.after, vec![678, 443, 237, 61, 30, 0]);
    assert_eq!(
        nath.trades.iter().map(|t| t.shares).collect::<Vec<_>>(),
        vec![-88, -235, -206, -176, -31, -30]
    );
    // Footnote (2): vested options count as acquirable, unvested do not.
    assert_eq!(
        ownership::acquirable(nath, s.ownership().as_of, s.ownership().window_days),
        18_333
    );
}

// ---------------------------------------------------------------------------------------
// Properties: the split's rules, pure and inside the engine.
// ---------------------------------------------------------------------------------------

proptest! {
    #[test]
    fn a_split_never_loses_a_holder_or_value_beyond_the_round_up(
        investor in 0u64..5_000_000,
        named in prop::collection::vec(0u64..5_000_000, 0..6),
        float in 0u64..50_000_000,
        k in 2u64..2_000,
        cents in 1u64..100_000,
    ) {
        let outstanding = investor + named.iter().sum::<u64>() + float;
        let before = Holdings::new(outstanding, investor, &named).unwrap();
        let after = before.split(k);
        let price = Decimal::new(cents as i64, 4);
        let post = price * Decimal::from(k);
        let pairs = std::iter::once((before.investor, after.investor))
            .chain(before.named.iter().copied().zip(after.named.iter().copied()))
            .chain(std::iter::once((before.float, after.float)));
        for (b, a) in pairs {
            // Nobody with a share is rounded away; nobody gains a whole post-split share.
            prop_assert_eq!(b > 0, a > 0);
            prop_assert!(a * k >= b && a * k < b + k);
            let (vb, va) = (Decimal::from(b) * price, Decimal::from(a) * post);
            prop_assert!(va >= vb && va - vb < post);
        }
        prop_assert_eq!(
            after.outstanding(),
            after.investor + after.named.iter().sum::<u64>() + after.float
        );
    }

    #[test]
    fn cap_room_after_a_split_is_the_cap_room_before_divided_by_k_up_to_the_rounding(
        investor in 0u64..100_000_000,
        float in 1u64..2_000_000_000,
        named in prop::collection::vec(0u64..10_000_000, 0..4),
        k in 2u64..5_000,
    ) {
        let cap = dec!(0.0999);
        let outstanding = investor + float + named.iter().sum::<u64>();
        let h = Holdings::new(outstanding, investor, &named).unwrap();
        let s = h.split(k);
        let before = cap_room(cap, outstanding, investor).unwrap();
        let after = cap_room(cap, s.outstanding(), s.investor).unwrap();
        // cap·O − H moves by less than cap·(holders) + 1 post-split shares, so the room
        // (÷ (1 − cap)) by less than that ÷ 0.9001, plus one for each floor.
        let holders = Decimal::from(named.len() as u64 + 2);
        let slack = (cap * holders + Decimal::ONE) / (Decimal::ONE - cap) + Decimal::TWO;
        let diff = (Decimal::from(after) - Decimal::from(before) / Decimal::from(k)).abs();
        prop_assert!(diff <= slack, "before {before} after {after} k {k}");
    }
}

/// The i-th weekday from Wednesday 2020-01-01 (a price path holds trading days only).
fn day(i: usize) -> NaiveDate {
    let weeks = (i / 5) as i64;
    let mut d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::weeks(weeks);
    for _ in 0..i % 5 {
        d += Duration::days(1);
        while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            d += Duration::days(1);
        }
    }
    d
}

fn path(prices: &[Decimal], volume: Decimal) -> PricePath {
    PricePath::from_bars(
        prices
            .iter()
            .enumerate()
            .map(|(i, &p)| Bar {
                date: day(i),
                close: p,
                vwap: p,
                volume,
                bid: p * dec!(0.99),
            })
            .collect(),
    )
}

struct Setup<'a> {
    outstanding: u64,
    investor: u64,
    named: &'a [u64],
    pools: &'a [u64],
    policy: &'a str,
    terms: &'a str,
    split: Option<(usize, u64, bool, &'a str)>,
    days: usize,
}

fn scenario(x: &Setup) -> Scenario {
    let mut t = format!(
        "name = \"property\"\nstart = \"{}\"\nend = \"{}\"\n\n[company]\npar_value = \"0.0001\"\noutstanding = {}\nauthorized = {}\nreserved = [{}]\n\n[holder]\nshares = {}\npolicy = \"{}\"\nsell_share = \"0.1\"\n\n[conversion]\nvwap_days = 3\ndiscount = \"0.85\"\nprior_bid = true\ncap = \"0.0999\"\n{}\n\n[[notes]]\nid = \"n\"\nprincipal = \"500000\"\nissue = \"{}\"\nkind = \"bullet\"\nmaturity = \"2021-12-31\"\nrate = \"0.12\"\n",
        day(0),
        day(x.days - 1),
        x.outstanding,
        x.outstanding * 20,
        x.pools
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{{ name = \"pool {i}\", shares = {s} }}"))
            .collect::<Vec<_>>()
            .join(", "),
        x.investor,
        x.policy,
        x.terms,
        day(0),
    );
    for (i, n) in x.named.iter().enumerate() {
        t.push_str(&format!("\n[[holders]]\nname = \"h{i}\"\nshares = {n}\n"));
    }
    if let Some((d, k, adjust, factor)) = x.split {
        t.push_str(&format!(
            "\n[[actions]]\nkind = \"split\"\ndate = \"{}\"\nratio = {k}\nadjust_prices = {adjust}\npost_split_factor = \"{factor}\"\n",
            day(d)
        ));
    }
    Scenario::parse(&t, Path::new("property.toml")).unwrap()
}

/// Equal to the decimal's precision: a mean over three days or a volume ÷ 3 does not
/// terminate, and rust_decimal keeps 28 significant digits, so (x × k) / 3 and
/// (x / 3) × k can differ in the last one.
fn same(a: Decimal, b: Decimal) -> bool {
    (a - b).abs() <= dec!(0.000000000000000000000001) * a.abs().max(Decimal::ONE)
}

fn run(s: &Scenario, p: &PricePath) -> Simulation {
    engine::simulate(s, p).unwrap()
}

fn prices() -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::vec(100u64..10_000, 30).prop_map(|v| {
        v.into_iter()
            .map(|c| Decimal::new(c as i64, 5)) // $0.001 .. $0.1
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_engine_s_outstanding_after_a_split_is_the_sum_of_the_rounded_holdings(
        px in prices(),
        named in prop::collection::vec(0u64..3_000_000, 0..4),
        pools in prop::collection::vec(0u64..9_999_999, 0..3),
        d in 5usize..29,
        k in 2u64..1_500,
    ) {
        let setup = Setup {
            outstanding: 50_000_000,
            investor: 0,
            named: &named,
            pools: &pools,
            policy: "convert-and-sell",
            terms: "",
            split: Some((d, k, true, "1")),
            days: 30,
        };
        let s = scenario(&setup);
        let sim = run(&s, &path(&px, dec!(1000000)));
        let eve = &sim.days[d - 1];
        let split = sim
            .events
            .iter()
            .find(|e| matches!(e.kind, EventKind::Split { .. }))
            .unwrap();
        let expected = Holdings::new(eve.outstanding, eve.holder_shares, &named)
            .unwrap()
            .split(k);
        prop_assert_eq!(split.shares, Some(expected.outstanding() as i128));
        // Headroom at the open: authorized − the rounded holdings − each pool rounded down.
        let row = &sim.days[d];
        let reserved: i128 = pools.iter().map(|&r| (r / k) as i128).sum();
        prop_assert_eq!(
            row.headroom,
            row.authorized as i128 - row.outstanding as i128 - reserved
        );
        prop_assert_eq!(row.outstanding - row.shares_converted, expected.outstanding());
        // The investor, rounded up like every holder, then its own day's trading.
        prop_assert_eq!(
            row.holder_shares + row.holder_sold - row.shares_converted,
            expected.investor
        );
    }

    #[test]
    fn every_price_based_term_scales_by_k_after_a_split_on_an_adjusted_path(
        px in prices(),
        d in 5usize..29,
        k in 2u64..1_000,
        fixed in 100u64..10_000,
        floor in 10u64..100,
    ) {
        // Hold: no conversions, so both runs see the same market; conversion_price is
        // filled under hold (MODEL.md §9).
        let terms = format!(
            "fixed_price = \"{}\"\nfloor = \"{}\"",
            Decimal::new(fixed as i64, 5),
            Decimal::new(floor as i64, 5)
        );
        let base = Setup {
            outstanding: 50_000_000,
            investor: 0,
            named: &[],
            pools: &[],
            policy: "hold",
            terms: &terms,
            split: None,
            days: 30,
        };
        let p = path(&px, dec!(1000000));
        let unsplit = run(&scenario(&base), &p);
        let split = run(&scenario(&Setup { split: Some((d, k, true, "1")), ..base }), &p);
        let kd = Decimal::from(k);
        for (a, b) in unsplit.days.iter().zip(&split.days) {
            let factor = if a.date >= day(d) { kd } else { Decimal::ONE };
            // Well above par ($0.0001), so par never binds in either run.
            match (a.conversion_price, b.conversion_price) {
                (Some(x), Some(y)) => prop_assert!(same(y, x * factor), "{} {y} vs {x} x {factor}", a.date),
                (x, y) => prop_assert_eq!(x, y),
            }
            prop_assert_eq!(b.bid, a.bid * factor);
        }
    }

    #[test]
    fn the_same_path_with_and_without_adjust_prices_differs_as_documented(
        px in prices(),
        d in 5usize..25,
        k in 2u64..1_000,
        f in 50u64..150,
    ) {
        // adjust_prices = true reads the path as pre-split: on and after the split
        // date prices × k × post_split_factor and volumes ÷ k. false reads it as
        // already post-split: taken as given. Look-backs from on or after the date
        // multiply earlier bars by k in both. So: identical before the date; on and
        // after it the own prices differ by k × factor and the volumes by k; once the
        // look-back (3 VWAPs and the prior bid) lies wholly after the date, the
        // conversion price differs by k × factor too (no fixed price or floor here).
        let factor = Decimal::new(f as i64, 2);
        let base = Setup {
            outstanding: 50_000_000,
            investor: 0,
            named: &[],
            pools: &[],
            policy: "hold",
            terms: "",
            split: None,
            days: 30,
        };
        let factor_text = factor.to_string();
        let p = path(&px, dec!(1000000));
        let adjusted = run(&scenario(&Setup { split: Some((d, k, true, &factor_text)), ..base }), &p);
        let as_given = run(&scenario(&Setup { split: Some((d, k, false, &factor_text)), ..base }), &p);
        let m = Decimal::from(k) * factor;
        for (i, (a, g)) in adjusted.days.iter().zip(&as_given.days).enumerate() {
            if i < d {
                prop_assert_eq!(a, g);
                continue;
            }
            prop_assert_eq!(a.close, g.close * m);
            prop_assert_eq!(a.vwap, g.vwap * m);
            prop_assert_eq!(a.bid, g.bid * m);
            prop_assert!(same(a.volume * Decimal::from(k), g.volume));
            prop_assert_eq!(a.outstanding, g.outstanding);
            if i >= d + 3 {
                let (ca, cg) = (a.conversion_price.unwrap(), g.conversion_price.unwrap());
                prop_assert!(same(ca, cg * m), "{ca} vs {cg} x {m}");
            }
        }
    }

    #[test]
    fn the_advisor_s_bid_tracker_and_the_engine_s_bid_events_agree(
        bids in prop::collection::vec(prop_oneof![90u64..100, 100u64..110], 120),
    ) {
        let px: Vec<Decimal> = bids.iter().map(|&c| Decimal::new(c as i64, 2)).collect();
        let p = PricePath::from_bars(
            px.iter()
                .enumerate()
                .map(|(i, &b)| Bar { date: day(i), close: b, vwap: b, volume: dec!(1000), bid: b })
                .collect(),
        );
        let setup = Setup {
            outstanding: 50_000_000,
            investor: 0,
            named: &[],
            pools: &[],
            policy: "hold",
            terms: "",
            split: None,
            days: 120,
        };
        let sim = run(&scenario(&setup), &p);
        let engine_events: Vec<BidEvent> = sim
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::BidDeficiency { deadline } => {
                    Some(BidEvent::Deficiency { date: e.date, deadline })
                }
                EventKind::BidCompliance => Some(BidEvent::Compliance { date: e.date }),
                _ => None,
            })
            .collect();
        let days: Vec<(NaiveDate, Decimal)> = sim.days.iter().map(|r| (r.date, r.bid)).collect();
        prop_assert_eq!(advisor::bid_events(&days), engine_events);
    }
}

// ---------------------------------------------------------------------------------------
// The command: output, files, exit codes and errors that name the file and key.
// ---------------------------------------------------------------------------------------

fn dilution() -> Command {
    Command::cargo_bin("dilution").unwrap()
}

#[test]
fn the_command_line_definition_is_consistent() {
    dilution::cli::Cli::command().debug_assert();
}

#[test]
fn split_prints_the_proxy_s_figures_and_writes_split_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    dilution()
        .args(["split", PROXY_SCENARIO, "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("10,235,381.2")
                .and(predicate::str::contains("5,117,690.6"))
                .and(predicate::str::contains("10,235,381"))
                .and(predicate::str::contains("5,117,691"))
                .and(predicate::str::contains("113,864,618.8"))
                .and(predicate::str::contains("119,432,309.4"))
                .and(predicate::str::contains("69,323,094"))
                .and(predicate::str::contains("$3.35"))
                .and(predicate::str::contains("889,750 1.72%"))
                .and(predicate::str::contains(
                    "the filing prints 16,032,842 shares, 31.10%",
                ))
                .and(predicate::str::contains("30 held after")),
        );
    let csv = std::fs::read_to_string(out.join("split.csv")).unwrap();
    assert!(csv.contains("5,company,outstanding,10235381.2,51176906/5,10235383,10235381,"));
    assert!(csv.contains(
        "10,company,authorized but unissued and unreserved,119432309.4,1194323094/10,119432307,119432309,"
    ));
    let trades = std::fs::read_to_string(out.join("trades.csv")).unwrap();
    assert!(trades.contains("Prem Nath,6,2007-11-19,-30,16.84,0"));
    assert!(out.join("ownership.csv").exists());
}

#[test]
fn split_json_carries_every_column_exact_and_rounded() {
    let dir = tempfile::tempdir().unwrap();
    let assert = dilution()
        .args([
            "split",
            PROXY_SCENARIO,
            "--ratios",
            "5..6",
            "--json",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(v["columns"].as_array().unwrap().len(), 3);
    assert_eq!(v["columns"][1]["outstanding"]["exact"], "10235381.2");
    assert_eq!(v["columns"][1]["outstanding"]["nearest"], 10_235_381);
    assert_eq!(v["ownership"][0]["groups"][0]["percent_as_printed"], "1.72");
}

#[test]
fn bad_ratio_arguments_exit_2_and_say_what_is_wrong() {
    for (arg, says) in [
        ("10..5", "runs backwards"),
        ("1..5", "below 2"),
        ("5.5..10", "not a whole number"),
        ("five..10", "not a number"),
    ] {
        dilution()
            .args([
                "split",
                PROXY_SCENARIO,
                "--ratios",
                arg,
                "--out",
                "/nonexistent/never",
            ])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(format!("--ratios {arg}"))
                    .and(predicate::str::contains(says)),
            );
    }
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const SMALL: &str = "name = \"small\"\nstart = \"2013-04-25\"\nend = \"2013-04-25\"\n\n[company]\npar_value = \"0.0001\"\noutstanding = 1000\nauthorized = 5000\n";

#[test]
fn holders_owning_more_than_outstanding_exit_2_naming_the_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "over.toml",
        &format!(
            "{SMALL}\n[[holders]]\nname = \"a\"\nshares = 600\n\n[[holders]]\nname = \"b\"\nshares = 401\n"
        ),
    );
    dilution().arg("split").arg(&f).assert().code(2).stderr(
        predicate::str::contains("over.toml")
            .and(predicate::str::contains("key `holders`"))
            .and(predicate::str::contains(
                "1001 shares, more than the 1000 outstanding",
            )),
    );
}

#[test]
fn a_split_dated_outside_the_scenario_exits_2_naming_the_action() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "late.toml",
        &format!("{SMALL}\n[[actions]]\nkind = \"split\"\ndate = \"2014-01-02\"\nratio = 5\n"),
    );
    dilution().arg("split").arg(&f).assert().code(2).stderr(
        predicate::str::contains("late.toml")
            .and(predicate::str::contains("actions[0].date"))
            .and(predicate::str::contains("outside the scenario's window")),
    );
    dilution()
        .args(["split", PROXY_SCENARIO, "--advise", "2013-06-03"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--advise 2013-06-03")
                .and(predicate::str::contains(PROXY_SCENARIO))
                .and(predicate::str::contains("outside the window")),
        );
}

#[test]
fn bad_split_and_holder_keys_in_the_file_exit_2_naming_each_key() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "keys.toml",
        &format!(
            "{SMALL}\n[split]\nratios = \"10..5\"\n\n[[actions]]\nkind = \"split\"\ndate = \"2013-04-25\"\nratio = \"2.5\"\n\n[[holders]]\nname = \"n\"\nshares = 0\n[[holders.trades]]\ndate = \"2013-05-01\"\nshares = 5\nprice = \"1\"\n[[holders.options]]\nshares = 10\nexercise_price = \"1\"\n"
        ),
    );
    dilution().arg("split").arg(&f).assert().code(2).stderr(
        predicate::str::contains("keys.toml: key `split.ratios`: \"10..5\" runs backwards")
            .and(predicate::str::contains(
                "key `actions[0].ratio`: must be a whole number of at least 2",
            ))
            .and(predicate::str::contains(
                "key `holders[0].trades[0].date`: 2013-05-01 is after start",
            ))
            .and(predicate::str::contains(
                "key `holders[0].options[0].vested`: missing",
            )),
    );
}

#[test]
fn a_bare_toml_float_as_an_exercise_price_is_refused_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "float.toml",
        &format!(
            "{SMALL}\n[[holders]]\nname = \"n\"\noptions = [ {{ shares = 10, vested = 10, exercise_price = 0.68 }} ]\n"
        ),
    );
    dilution()
        .arg("split")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("float.toml").and(predicate::str::contains("quote it")));
}

#[test]
fn the_advisor_names_the_smallest_ratio_that_regains_compliance() {
    // A flat $0.40 bid: deficient on the 30th trading day; a split on day 40 at
    // 1-for-3 lifts it to $1.20, compliant on the 10th day after.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("date,close,volume,bid\n");
    for i in 0..80 {
        csv.push_str(&format!("{},0.41,100000,0.40\n", day(i)));
    }
    write(dir.path(), "flat.csv", &csv);
    let f = write(
        dir.path(),
        "advise.toml",
        &format!(
            "name = \"advise\"\nstart = \"{}\"\nend = \"{}\"\nprices = \"flat.csv\"\n\n[company]\npar_value = \"0.0001\"\noutstanding = 1000000\nauthorized = 5000000\n",
            day(0),
            day(79)
        ),
    );
    let out = dir.path().join("out");
    dilution()
        .arg("split")
        .arg(&f)
        .args([
            "--advise",
            &day(40).to_string(),
            "--ratios",
            "2..4",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains(format!("Deficient since {}", day(29))).and(
                predicate::str::contains("Smallest ratio that regains compliance in time: 1-for-3"),
            ),
        );
    let advice = std::fs::read_to_string(out.join("advice.csv")).unwrap();
    assert!(advice.contains(&format!("3,{},1,{},", day(40), day(29))));
    assert!(advice.contains(&format!(",{},true,", day(49))));
    // With a 20% post-split decline, 1-for-3 gives $0.96: 1-for-4 is needed.
    dilution()
        .arg("split")
        .arg(&f)
        .args([
            "--advise",
            &day(40).to_string(),
            "--ratios",
            "2..4",
            "--post-split-factor",
            "0.8",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("in time: 1-for-4"));
}

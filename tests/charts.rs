//! Charts (issue 4): every chart rendered in memory on the shipped scenarios and on
//! the degenerate runs the issue lists (one trading day, no conversions, a holder
//! that never sells, all prices equal, a split on the first day, no notes), checked
//! for size, for not being blank and for text in the title band; and the binary,
//! with fontconfig pointed at an empty configuration, still writing charts with text.

mod common;

use std::path::{Path, PathBuf};

use common::image::{Look, assert_readable, decode, look};

use assert_cmd::Command;
use chrono::{Datelike, NaiveDate, Weekday};
use dilution::engine::{self, Simulation};
use dilution::market::{Bar, PricePath};
use dilution::report::chart::{self, ChartFormat, ChartSize, RunChart};
use dilution::scenario::Scenario;
use plotters::prelude::*;
use rust_decimal::Decimal;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn load(path: &str) -> (Scenario, Simulation) {
    let path = repo(path);
    let s = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let prices = dilution::app::load_prices(&s, &path, None).unwrap_or_else(|e| panic!("{e}"));
    let sim = engine::simulate(&s, &prices).unwrap_or_else(|e| panic!("{e}"));
    (s, sim)
}

/// Draws a chart straight onto a plain plotters bitmap in memory (any backend works).
fn draw_in_memory(chart: RunChart, s: &Scenario, sim: &Simulation, w: u32, h: u32) -> Look {
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        chart
            .draw(&root, s, sim)
            .unwrap_or_else(|e| panic!("{}: {e}", chart.stem()));
        root.present().unwrap_or_else(|e| panic!("{e}"));
    }
    look(&rgb, w, h)
}

/// Renders through the app's path (PNG bytes) and decodes them again. With
/// `DILUTION_CHART_DUMP=dir` set, also writes the PNG there, to look at.
fn render_png(chart: RunChart, s: &Scenario, sim: &Simulation, size: ChartSize) -> Look {
    let bytes = chart::render(chart, s, sim, size, ChartFormat::Png)
        .unwrap_or_else(|e| panic!("{}: {e}", chart.stem()));
    if let Some(dir) = std::env::var_os("DILUTION_CHART_DUMP") {
        let name: String = s
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(24)
            .collect();
        let file = PathBuf::from(dir).join(format!("{name}-{}-{size}.png", chart.stem()));
        std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    decode(&bytes)
}

#[test]
fn every_chart_of_the_default_scenario_renders_in_memory() {
    let (s, sim) = load("scenarios/ascent-2017.toml");
    for chart in RunChart::ALL {
        let l = draw_in_memory(chart, &s, &sim, 1600, 1000);
        assert_eq!((l.width, l.height), (1600, 1000));
        assert_readable(&l, chart.stem());
    }
}

#[test]
fn every_chart_of_the_8k_example_renders_as_png_at_the_default_size() {
    let (s, sim) = load("tests/data/8k-example/scenario.toml");
    for chart in RunChart::ALL {
        let l = render_png(chart, &s, &sim, ChartSize::default());
        assert_eq!((l.width, l.height), (1600, 1000), "{}", chart.stem());
        assert_readable(&l, chart.stem());
    }
}

#[test]
fn charts_render_at_the_smallest_and_a_large_size() {
    let (s, sim) = load("scenarios/ascent-2017-floor.toml");
    for size in [
        ChartSize::MIN,
        ChartSize {
            width: 2400,
            height: 1500,
        },
    ] {
        for chart in RunChart::ALL {
            let l = render_png(chart, &s, &sim, size);
            assert_eq!((l.width, l.height), (size.width, size.height));
            assert!(l.inked > 0.01, "{} at {size}", chart.stem());
        }
    }
}

#[test]
fn svg_charts_keep_text_as_text_in_the_embedded_family() {
    let (s, sim) = load("scenarios/ascent-2017.toml");
    for chart in RunChart::ALL {
        let bytes = chart::render(chart, &s, &sim, ChartSize::default(), ChartFormat::Svg)
            .unwrap_or_else(|e| panic!("{e}"));
        let svg = String::from_utf8(bytes).unwrap_or_default();
        assert!(svg.starts_with("<svg"), "{}", chart.stem());
        assert!(svg.contains(r#"width="1600""#) && svg.contains(r#"height="1000""#));
        assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
        assert!(
            svg.contains("Ascent Solar"),
            "{}: no title text",
            chart.stem()
        );
    }
}

// ---- degenerate runs ---------------------------------------------------------------

/// A small scenario: one bullet note (unless `notes` is false), a holder, a cap.
fn scenario(
    name: &str,
    start: &str,
    end: &str,
    holder: &str,
    extra: &str,
    notes: bool,
) -> Scenario {
    let note = if notes {
        r#"
[[notes]]
id = "bullet"
principal = "100000"
issue = "2018-01-02"
kind = "bullet"
maturity = "2018-12-31"
"#
    } else {
        ""
    };
    let text = format!(
        r#"
name = "{name}"
start = "{start}"
end = "{end}"

[defaults]
rate = "0.10"

[company]
par_value = "0.0001"
outstanding = 1000000000
authorized = 3000000000

[holder]
name = "Investor"
{holder}

[conversion]
vwap_days = 5
discount = "0.85"
prior_bid = true
fixed_price = "0.002"
cap = "0.0999"
{note}
{extra}
"#
    );
    Scenario::parse(&text, Path::new("degenerate.toml")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const SELLS: &str = "policy = \"convert-and-sell\"\nsell_share = \"0.10\"";

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Weekday bars from `from` to `to`, the close from `price(i)`.
fn path(from: &str, to: &str, price: impl Fn(usize) -> Decimal) -> PricePath {
    let (mut d, to) = (date(from), date(to));
    let mut bars = Vec::new();
    while d <= to {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            let p = price(bars.len());
            bars.push(Bar {
                date: d,
                close: p,
                vwap: p,
                volume: Decimal::from(50_000_000),
                bid: p,
            });
        }
        d = d.succ_opt().unwrap_or(d);
    }
    PricePath::from_bars(bars)
}

/// A falling price: 0.001 × 0.99^i, kept exact.
fn falling(i: usize) -> Decimal {
    let mut p = Decimal::new(1, 3);
    for _ in 0..i.min(400) {
        p = (p * Decimal::new(99, 2)).round_dp(10);
    }
    p.max(Decimal::new(1, 6))
}

fn all_charts_draw(s: &Scenario, prices: &PricePath) {
    let sim = engine::simulate(s, prices).unwrap_or_else(|e| panic!("{}: {e}", s.name));
    for chart in RunChart::ALL {
        let l = draw_in_memory(chart, s, &sim, 1600, 1000);
        assert!(l.inked > 0.01, "{}: {} is blank", s.name, chart.stem());
        assert!(
            l.title_text > 500,
            "{}: {} has no title",
            s.name,
            chart.stem()
        );
        let png = render_png(chart, s, &sim, ChartSize::default());
        assert_eq!((png.width, png.height), (1600, 1000));
    }
}

#[test]
fn degenerate_a_path_with_one_trading_day() {
    let s = scenario(
        "One trading day",
        "2018-01-02",
        "2018-01-02",
        SELLS,
        "",
        true,
    );
    all_charts_draw(
        &s,
        &path("2018-01-02", "2018-01-02", |_| Decimal::new(1, 3)),
    );
}

#[test]
fn degenerate_a_run_with_no_conversions() {
    let s = scenario(
        "No conversions",
        "2018-01-02",
        "2018-06-29",
        "policy = \"hold\"",
        "",
        true,
    );
    all_charts_draw(&s, &path("2017-12-01", "2018-06-29", falling));
}

#[test]
fn degenerate_a_holder_that_never_sells() {
    let holder = "policy = \"convert-and-sell\"\nsell_share = \"0\"";
    let s = scenario("Never sells", "2018-01-02", "2018-06-29", holder, "", true);
    all_charts_draw(&s, &path("2017-12-01", "2018-06-29", falling));
}

#[test]
fn degenerate_prices_all_equal() {
    let s = scenario("Flat", "2018-01-02", "2018-06-29", SELLS, "", true);
    all_charts_draw(
        &s,
        &path("2017-12-01", "2018-06-29", |_| Decimal::new(1, 3)),
    );
}

#[test]
fn degenerate_a_split_on_the_first_day() {
    let split = r#"
[[actions]]
kind = "split"
date = "2018-01-02"
ratio = "10"
adjust_prices = true
"#;
    let s = scenario(
        "Split on day one",
        "2018-01-02",
        "2018-06-29",
        SELLS,
        split,
        true,
    );
    all_charts_draw(&s, &path("2017-12-01", "2018-06-29", falling));
}

#[test]
fn degenerate_no_notes_at_all() {
    let s = scenario("No notes", "2018-01-02", "2018-06-29", SELLS, "", false);
    all_charts_draw(&s, &path("2017-12-01", "2018-06-29", falling));
}

#[test]
fn marks_a_skipped_tranche_a_split_and_an_authorized_change() {
    let extra = r#"
[[tranches]]
id = "closes"
date = "2018-02-01"
principal = "50000"
term_months = 12

[[tranches]]
id = "skipped"
date = "2018-03-01"
principal = "50000"
term_months = 12
min_dollar_volume = "1000000000"
lookback_days = 20

[[actions]]
kind = "authorize"
date = "2018-04-02"
authorized = 6000000000

[[actions]]
kind = "split"
date = "2018-05-01"
ratio = "5"
adjust_prices = true
"#;
    let s = scenario("Marks", "2018-01-02", "2018-06-29", SELLS, extra, true);
    all_charts_draw(&s, &path("2017-12-01", "2018-06-29", falling));
}

// ---- the binary --------------------------------------------------------------------

/// A fontconfig that knows no font at all: text must still come out.
fn empty_fontconfig(dir: &Path) -> PathBuf {
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig></fontconfig>\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    conf
}

fn dilution(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dilution").unwrap_or_else(|e| panic!("{e}"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FONTCONFIG_FILE", empty_fontconfig(dir))
        .env_remove("FONTCONFIG_PATH");
    cmd
}

#[test]
fn cli_run_writes_three_pngs_with_text_under_an_empty_fontconfig() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    dilution(tmp.path())
        .args(["run", "scenarios/ascent-2017.toml", "--out"])
        .arg(&out)
        .assert()
        .success();
    for chart in RunChart::ALL {
        let bytes = std::fs::read(out.join(chart.file_name(ChartFormat::Png)))
            .unwrap_or_else(|e| panic!("{}: {e}", chart.stem()));
        let l = decode(&bytes);
        assert_eq!((l.width, l.height), (1600, 1000));
        assert_readable(&l, chart.stem());
    }
}

#[test]
fn cli_chart_size_and_svg_format() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    dilution(tmp.path())
        .args([
            "run",
            "tests/data/8k-example/scenario.toml",
            "--chart-size",
            "800x500",
        ])
        .args(["--chart-format", "svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    for chart in RunChart::ALL {
        let svg = std::fs::read_to_string(out.join(chart.file_name(ChartFormat::Svg)))
            .unwrap_or_else(|e| panic!("{}: {e}", chart.stem()));
        assert!(svg.contains(r#"width="800""#) && svg.contains(r#"height="500""#));
        assert!(!out.join(chart.file_name(ChartFormat::Png)).exists());
    }
}

#[test]
fn cli_no_charts_writes_none() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    dilution(tmp.path())
        .args([
            "run",
            "tests/data/8k-example/scenario.toml",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("daily.csv").exists());
    assert!(!out.join("dilution.png").exists());
}

#[test]
fn cli_bad_chart_size_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (bad, says) in [
        ("10x", "WIDTHxHEIGHT"),
        ("0x5", "out of range"),
        ("axb", "WIDTHxHEIGHT"),
    ] {
        let out = tmp.path().join(format!("out-{bad}"));
        dilution(tmp.path())
            .args([
                "run",
                "tests/data/8k-example/scenario.toml",
                "--chart-size",
                bad,
                "--out",
            ])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says))
            .stderr(predicates::str::contains("--chart-size"));
        assert!(!out.exists(), "{bad}: wrote output");
    }
}

//! `split.png` (issue 4: "`split` writes `split.png`: outstanding, headroom and
//! implied price for each ratio"): the proxy's table rendered in memory and as PNG
//! and SVG bytes, checked for size, for not being blank and for text in the title
//! band (the criteria of `tests/charts.rs`); degenerate tables (a single ratio and no
//! price, headroom below zero, thousands of ratios, the smallest size) draw without
//! panicking; and the binary writes split.png, or split.svg, or with `--no-charts`
//! nothing but the CSVs.

mod common;

use std::path::{Path, PathBuf};

use common::image::{Look, assert_readable, decode, look};

use assert_cmd::Command;
use dilution::report::chart::{self, ChartFormat, ChartSize};
use dilution::scenario::Scenario;
use dilution::split::RatioRange;
use dilution::split::table::{self, ShareTable, Snapshot};
use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const PROXY_SCENARIO: &str = "scenarios/ascent-2013-split.toml";

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn proxy() -> Scenario {
    Scenario::load(&repo(PROXY_SCENARIO)).unwrap_or_else(|e| panic!("{e}"))
}

/// The proxy's table as `dilution split` builds it (with its named holders).
fn proxy_table(s: &Scenario, ratios: RatioRange, price: Option<Decimal>) -> ShareTable {
    let snap = Snapshot {
        authorized: s.company.authorized,
        outstanding: s.company.outstanding,
        reserved: &s.company.reserved,
        investor: None,
        holders: &s.holders,
    };
    table::build(&snap, ratios, price, Decimal::ONE).unwrap_or_else(|e| panic!("{e}"))
}

/// Draws the chart straight onto a plain plotters bitmap in memory.
fn draw_in_memory(name: &str, t: &ShareTable, w: u32, h: u32) -> Look {
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        chart::split::draw(&root, name, t).unwrap_or_else(|e| panic!("{name}: {e}"));
        root.present().unwrap_or_else(|e| panic!("{e}"));
    }
    look(&rgb, w, h)
}

/// Renders through the app's path (PNG bytes) and decodes them again. With
/// `DILUTION_CHART_DUMP=dir` set, also writes the PNG there, to look at.
fn render_png(name: &str, t: &ShareTable, size: ChartSize) -> Look {
    let bytes = chart::render_split(name, t, size, ChartFormat::Png)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Some(dir) = std::env::var_os("DILUTION_CHART_DUMP") {
        let stem: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(24)
            .collect();
        let file = PathBuf::from(dir).join(format!("{stem}-split-{size}.png"));
        std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    decode(&bytes)
}

#[test]
fn the_proxy_s_split_chart_renders_in_memory_and_as_png() {
    let s = proxy();
    let t = proxy_table(&s, RatioRange::PROXY, Some(dec!(0.67)));
    let l = draw_in_memory(&s.name, &t, 1600, 1000);
    assert_eq!((l.width, l.height), (1600, 1000));
    assert_readable(&l, "split (in memory)");
    let l = render_png(&s.name, &t, ChartSize::default());
    assert_eq!((l.width, l.height), (1600, 1000));
    assert_readable(&l, "split.png");
}

#[test]
fn the_split_chart_as_svg_keeps_its_title_labels_and_the_minimum_as_text() {
    let s = proxy();
    let t = proxy_table(&s, RatioRange::PROXY, Some(dec!(0.67)));
    let bytes = chart::render_split(&s.name, &t, ChartSize::default(), ChartFormat::Svg)
        .unwrap_or_else(|e| panic!("{e}"));
    let svg = String::from_utf8(bytes).unwrap_or_default();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains(r#"width="1600""#) && svg.contains(r#"height="1000""#));
    assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
    for text in [
        "Reverse split 1-for-5 to 1-for-10: shares, headroom and price",
        "Ascent Solar 2013 proxy",
        "Current",
        "1-for-10",
        // Value labels: outstanding rounded up per holder, headroom, implied prices.
        "10.2M",
        "114M",
        "$3.35",
        "$6.70",
        "$1.00 minimum bid",
    ] {
        assert!(svg.contains(text), "no \"{text}\" in the SVG");
    }
}

#[test]
fn degenerate_a_single_ratio_and_no_price_draws_shares_only() {
    let s = proxy();
    let t = proxy_table(&s, RatioRange { first: 7, last: 7 }, None);
    assert_eq!(t.columns.len(), 2);
    let l = draw_in_memory("One ratio, no price", &t, 1600, 1000);
    assert_readable(&l, "one ratio, no price");
    let bytes = chart::render_split(
        "One ratio, no price",
        &t,
        ChartSize::default(),
        ChartFormat::Svg,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let svg = String::from_utf8(bytes).unwrap_or_default();
    assert!(svg.contains("Reverse split 1-for-7: shares and headroom"));
    // No price panel: no price axis, no $1.00 line.
    assert!(!svg.contains("Price (USD)") && !svg.contains("$1.00"));
}

#[test]
fn degenerate_tables_draw_without_panicking() {
    let s = proxy();
    // Headroom below zero: more shares outstanding and reserved than authorized.
    let over = Snapshot {
        authorized: 40_000_000,
        outstanding: s.company.outstanding,
        reserved: &s.company.reserved,
        investor: None,
        holders: &[],
    };
    let t = table::build(&over, RatioRange::PROXY, Some(dec!(0.67)), Decimal::ONE)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(t.columns[0].headroom.rounded < 0);
    assert_readable(
        &draw_in_memory("Over-issued", &t, 1600, 1000),
        "negative headroom",
    );
    // Thousands of ratios, a price far below $1.00, at the smallest and default sizes.
    let many = proxy_table(
        &s,
        RatioRange {
            first: 2,
            last: 3000,
        },
        Some(dec!(0.0004)),
    );
    for size in [ChartSize::MIN, ChartSize::default()] {
        let l = render_png("Thousands of ratios", &many, size);
        assert_eq!((l.width, l.height), (size.width, size.height));
        assert!(l.inked > 0.01, "thousands of ratios at {size}");
    }
    // The proxy at the smallest size still has ink and its size.
    let t = proxy_table(&s, RatioRange::PROXY, Some(dec!(0.67)));
    let l = render_png(&s.name, &t, ChartSize::MIN);
    assert_eq!((l.width, l.height), (320, 200));
    assert!(l.inked > 0.01);
}

// ---- the binary --------------------------------------------------------------------

/// A fontconfig that knows no font at all: text must still come out.
fn dilution(dir: &Path) -> Command {
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig></fontconfig>\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = Command::cargo_bin("dilution").unwrap_or_else(|e| panic!("{e}"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FONTCONFIG_FILE", conf)
        .env_remove("FONTCONFIG_PATH");
    cmd
}

#[test]
fn cli_split_writes_split_png_and_no_charts_writes_none() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    dilution(tmp.path())
        .args(["split", PROXY_SCENARIO, "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains("wrote 4 files"));
    let bytes = std::fs::read(out.join("split.png")).unwrap_or_else(|e| panic!("{e}"));
    let l = decode(&bytes);
    assert_eq!((l.width, l.height), (1600, 1000));
    assert_readable(&l, "split.png from the binary");

    let bare = tmp.path().join("bare");
    dilution(tmp.path())
        .args(["split", PROXY_SCENARIO, "--no-charts", "--out"])
        .arg(&bare)
        .assert()
        .success();
    assert!(bare.join("split.csv").exists());
    assert!(!bare.join("split.png").exists() && !bare.join("split.svg").exists());
}

#[test]
fn cli_split_chart_size_and_svg_format() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    dilution(tmp.path())
        .args(["split", PROXY_SCENARIO, "--chart-size", "800x500"])
        .args(["--chart-format", "svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(out.join("split.svg")).unwrap_or_else(|e| panic!("{e}"));
    assert!(svg.contains(r#"width="800""#) && svg.contains(r#"height="500""#));
    assert!(!out.join("split.png").exists());

    let bad = tmp.path().join("bad");
    dilution(tmp.path())
        .args(["split", PROXY_SCENARIO, "--chart-size", "10x", "--out"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--chart-size"));
    assert!(!bad.exists());
}

//! Fuzzing the two parsers with proptest (runs in every `cargo test`): arbitrary
//! bytes, and arbitrary mutations of valid files, fed to the scenario parser and
//! the price-path reader must give a value or an error, never a panic or a hang.
//! The coverage-guided cargo-fuzz targets in fuzz/ use the same entry points and
//! keep their corpus in fuzz/corpus/.

use std::path::Path;

use proptest::prelude::*;

use dilution::market::PricePath;
use dilution::scenario::Scenario;

const SCENARIO: &str = include_str!("data/8k-example/scenario.toml");
const PRICES: &str = include_str!("data/8k-example/prices.csv");

/// A mutation of a valid text: delete, duplicate or overwrite a span, or insert
/// bytes drawn from the characters the formats care about.
fn mutated(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let len = base.len();
    prop::collection::vec(
        (
            0..len,
            0usize..40,
            0u8..4,
            prop::collection::vec(
                prop::sample::select(
                    b"0123456789.-+eE,\"'=[]{}#\n\r\t $_abcxyz\xef\xbb\xbf\x00\xff".to_vec(),
                ),
                0..12,
            ),
        ),
        1..6,
    )
    .prop_map(move |edits| {
        let mut bytes = base.as_bytes().to_vec();
        for (at, span, op, insert) in edits {
            let at = at.min(bytes.len());
            let end = (at + span).min(bytes.len());
            match op {
                0 => {
                    bytes.drain(at..end);
                }
                1 => {
                    let copy = bytes[at..end].to_vec();
                    bytes.splice(at..at, copy);
                }
                2 => {
                    bytes.splice(at..end, insert);
                }
                _ => {
                    bytes.splice(at..at, insert);
                }
            }
        }
        bytes
    })
}

fn parse_scenario(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = Scenario::parse(text, Path::new("fuzz.toml"));
    }
}

fn read_prices(bytes: &[u8]) {
    let _ = PricePath::read(bytes, Path::new("fuzz.csv"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_scenario_parser_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_scenario(&bytes);
    }

    #[test]
    fn the_scenario_parser_never_panics_on_mutated_scenarios(bytes in mutated(SCENARIO)) {
        parse_scenario(&bytes);
    }

    #[test]
    fn the_price_reader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        read_prices(&bytes);
    }

    #[test]
    fn the_price_reader_never_panics_on_mutated_paths(bytes in mutated(PRICES)) {
        read_prices(&bytes);
    }

    #[test]
    fn a_valid_scenario_mutated_still_runs_or_is_refused_cleanly(bytes in mutated(SCENARIO)) {
        // When a mutation still parses, the engine must run it without panicking.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Ok(s) = Scenario::parse(text, Path::new("fuzz.toml")) {
                let path = PricePath::read(PRICES.as_bytes(), Path::new("prices.csv")).expect("valid");
                let _ = dilution::engine::simulate(&s, &path);
            }
        }
    }
}

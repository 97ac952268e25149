//! Coverage-guided fuzzing of the scenario parser, and of the engine on every
//! scenario that parses (with the worked example's price path).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

const PRICES: &str = include_str!("../../tests/data/8k-example/prices.csv");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = dilution::scenario::Scenario::parse(text, Path::new("fuzz.toml")) {
        if let Ok(path) = dilution::market::PricePath::read(PRICES.as_bytes(), Path::new("p.csv")) {
            let _ = dilution::engine::simulate(&s, &path);
        }
    }
});

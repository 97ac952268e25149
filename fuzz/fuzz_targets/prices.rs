//! Coverage-guided fuzzing of the price-path CSV reader.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dilution::market::PricePath::read(data, Path::new("fuzz.csv"));
});

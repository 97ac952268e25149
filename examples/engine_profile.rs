//! Runs the engine on a scenario many times without rows or events, for profilers:
//! `valgrind --tool=callgrind target/release/examples/engine_profile scenarios/ascent-2017.toml 20`.

use std::path::PathBuf;

use dilution::engine::{Engine, Observer, Prepared};
use dilution::market::PricePath;
use dilution::scenario::Scenario;

struct Quiet;
impl Observer for Quiet {
    const FULL: bool = false;
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "scenarios/ascent-2017.toml".into()),
    );
    let times: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(100);
    let s = Scenario::load(&path)?;
    let csv = s.prices.clone().ok_or("the scenario names no price path")?;
    let p = PricePath::read(std::fs::File::open(&csv)?, &csv)?;
    let prepared = Prepared::new(&s, &p);
    let start = std::time::Instant::now();
    let mut shares = 0;
    for _ in 0..times {
        let mut e = Engine::new(&prepared, &p);
        e.run(&mut Quiet)?;
        shares += e.totals().shares_issued;
    }
    let per = start.elapsed() / times as u32;
    println!(
        "{times} runs, {per:?} per run (shares issued per run {})",
        shares / times as u64
    );
    Ok(())
}

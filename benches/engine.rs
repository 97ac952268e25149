//! Criterion benchmarks of the engine on the shipped default scenario
//! (scenarios/ascent-2017.toml: ~800 trading days, nine instruments).
//!
//! `cargo bench --bench engine`. Targets on the 2-core reference machine: the
//! simulation alone under 1 ms; the whole `run --no-charts` process under 20 ms.

use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use dilution::engine::{self, Engine, Observer, Prepared};
use dilution::market::PricePath;
use dilution::scenario::Scenario;

fn load() -> (Scenario, PricePath) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ascent-2017.toml");
    let s = Scenario::load(&path).expect("the shipped scenario loads");
    let csv = s.prices.clone().expect("it names a price path");
    let file = std::fs::File::open(&csv).expect("the price path opens");
    let p = PricePath::read(file, &csv).expect("the price path parses");
    (s, p)
}

/// Counts nothing: the engine's work alone, without rows or events.
struct Quiet;
impl Observer for Quiet {
    const FULL: bool = false;
}

fn bench(c: &mut Criterion) {
    let (s, p) = load();
    c.bench_function("simulate ascent-2017 (rows + events)", |b| {
        b.iter(|| engine::simulate(&s, &p).expect("runs"))
    });
    // As Monte Carlo runs it: prepared once, then a light run per path.
    let prepared = Prepared::new(&s, &p);
    c.bench_function("simulate ascent-2017 (totals only)", |b| {
        b.iter(|| {
            let mut e = Engine::new(&prepared, &p);
            e.run(&mut Quiet).expect("runs");
            e.totals()
        })
    });
    let exe = env!("CARGO_BIN_EXE_dilution");
    let out = std::env::temp_dir().join("dilution-bench-run");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ascent-2017.toml");
    let mut g = c.benchmark_group("process");
    g.sample_size(20);
    g.bench_function("dilution run ascent-2017 --no-charts", |b| {
        b.iter(|| {
            let st = Command::new(exe)
                .arg("run")
                .arg(&scenario)
                .arg("--no-charts")
                .arg("--out")
                .arg(&out)
                .output()
                .expect("the binary starts");
            assert!(st.status.success());
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

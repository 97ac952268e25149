//! Rendering time of the three run charts of the default scenario (issue 4: under
//! 300 ms for all three). Run: `cargo bench --bench charts`.
//!
//! The scenario is loaded and simulated once, outside the timing: this measures the
//! charts only, drawn and encoded as PNG bytes in memory exactly as `run` does.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use dilution::engine;
use dilution::report::chart::{self, ChartFormat, ChartSize, RunChart};
use dilution::scenario::Scenario;

fn charts(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ascent-2017.toml");
    let s = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let prices = dilution::app::load_prices(&s, &path, None).unwrap_or_else(|e| panic!("{e}"));
    let sim = engine::simulate(&s, &prices).unwrap_or_else(|e| panic!("{e}"));
    let size = ChartSize::default();

    let mut g = c.benchmark_group("charts/ascent-2017");
    g.sample_size(20);
    g.bench_function("all three, PNG 1600x1000", |b| {
        b.iter(|| {
            for chart in RunChart::ALL {
                let bytes = chart::render(chart, &s, &sim, size, ChartFormat::Png);
                std::hint::black_box(bytes.map(|b| b.len()).unwrap_or(0));
            }
        })
    });
    for chart in RunChart::ALL {
        g.bench_function(format!("{}, PNG 1600x1000", chart.stem()), |b| {
            b.iter(|| chart::render(chart, &s, &sim, size, ChartFormat::Png).map(|b| b.len()))
        });
    }
    g.bench_function("all three, SVG 1600x1000", |b| {
        b.iter(|| {
            for chart in RunChart::ALL {
                let bytes = chart::render(chart, &s, &sim, size, ChartFormat::Svg);
                std::hint::black_box(bytes.map(|b| b.len()).unwrap_or(0));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, charts);
criterion_main!(benches);

//! Monte Carlo on the shipped scenario `scenarios/ascent-2017.toml` (777 trading
//! days in the window, nine notes): the whole `simulate::run` on 1 and 2 threads,
//! and its parts per path (drawing and rendering a path, one engine run, adding a
//! chunk's days to the per-date histograms), so the report can say where the time
//! goes. Throughput is in path-days (paths × trading days).
//!
//!   cargo bench --bench simulate
//!   cargo bench --bench simulate -- 'simulate/'      # only the whole run

use std::hint::black_box;
use std::path::Path;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;

use dilution::engine::{Engine, Observer, Prepared};
use dilution::market::PricePath;
use dilution::scenario::Scenario;
use dilution::simulate::aggregate::DayAggregate;
use dilution::simulate::params::{self, Overrides, Settings};
use dilution::simulate::path::{Generator, PathBuffers};
use dilution::simulate::source::Source;
use dilution::simulate::{self, GROUP, Plan, gbm::Gbm};

const SCENARIO: &str = "scenarios/ascent-2017.toml";

fn load() -> (Scenario, Source) {
    let s = Scenario::load(Path::new(SCENARIO)).expect("the shipped scenario loads");
    let prices = s.prices.clone().expect("the scenario names its price path");
    let file = std::fs::File::open(&prices).expect("the price path opens");
    let path = PricePath::read(std::io::BufReader::new(file), &prices).expect("the path reads");
    let src = Source::new(&s, &path);
    (s, src)
}

fn settings(src: &Source, paths: i64) -> Settings {
    let o = Overrides {
        paths,
        ..Overrides::default()
    };
    params::resolve(&o, None, Path::new(SCENARIO), Path::new("prices"), src)
        .expect("default settings resolve")
}

/// The light observer `simulate` uses, as a bench sees it.
struct Days(Vec<u64>);
impl Observer for Days {
    const FULL: bool = false;
    fn trading_day(&mut self, i: usize, _: NaiveDate, outstanding: u64, _: Decimal) {
        if let Some(v) = self.0.get_mut(i) {
            *v = outstanding;
        }
    }
}

fn parts(c: &mut Criterion) {
    let (s, src) = load();
    let st = settings(&src, 1);
    let days = src.days() as u64;
    let generator = match &st.model {
        params::Model::Gbm { drift, volatility } => {
            Generator::Gbm(Gbm::new(drift.value, volatility.value))
        }
        params::Model::Bootstrap { .. } => unreachable!("the default model is gbm"),
    };
    let mut g = c.benchmark_group("parts");
    g.throughput(Throughput::Elements(days));

    let mut buf = PathBuffers::new(&src);
    let mut index = 0u64;
    g.bench_function("draw and render one path", |b| {
        b.iter(|| {
            index += 1;
            buf.draw(&src, &generator, 0, index);
            buf.render(&src, None);
            black_box(&buf.path);
        })
    });

    buf.draw(&src, &generator, 0, 1);
    buf.render(&src, None);
    let mut obs = Days(vec![0; buf.path.bars.len()]);
    let prepared = Prepared::new(&s, &buf.path);
    g.bench_function("engine run of one path", |b| {
        b.iter(|| {
            let mut e = Engine::new(&prepared, &buf.path);
            e.run(&mut obs).expect("the path runs");
            black_box(e.totals());
        })
    });

    // A group's worth of realistic days, path-major as `simulate` stores them: the
    // generated path's closes and an outstanding count that grows as in the spiral.
    let n = GROUP;
    let d = src.days();
    let outstanding: Vec<u64> = (0..n * d)
        .map(|k| 5_000_000_000 + (k % d) as u64 * 15_000_000 + (k / d) as u64 * 7_919_000)
        .collect();
    let close: Vec<f64> = (0..n * d)
        .map(|k| buf.close[k % d] * (1.0 + (k / d) as f64 / 50.0))
        .collect();
    let mut agg = DayAggregate::new(d);
    agg.add_paths(n, &outstanding, &close);
    g.throughput(Throughput::Elements(days * n as u64));
    g.bench_function("aggregate a group of paths", |b| {
        b.iter(|| agg.add_paths(n, black_box(&outstanding), black_box(&close)))
    });
    g.finish();
}

fn whole(c: &mut Criterion) {
    let (s, src) = load();
    let paths = 512;
    let st = settings(&src, paths);
    let plan = Plan {
        scenario: &s,
        source: &src,
        settings: &st,
    };
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10);
    g.throughput(Throughput::Elements(paths as u64 * src.days() as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool");
        g.bench_function(format!("{paths} paths, {threads} thread(s)"), |b| {
            b.iter(|| {
                pool.install(|| {
                    simulate::run(
                        &plan,
                        &|_| {},
                        |o| o.index,
                        |i| {
                            black_box(i);
                            Ok::<(), ()>(())
                        },
                    )
                })
                .expect("the run succeeds")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, parts, whole);
criterion_main!(benches);

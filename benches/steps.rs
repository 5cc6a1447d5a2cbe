//! In-process timings of the library's steps on the workloads of issue 9
//! (`cargo bench`; one group: `cargo bench -- gradient/W3`): parse,
//! gradient, Hessian, Taylor polynomial, tape compilation and evaluation.
//! The side-by-side comparison with other tools is `bench/compare.sh`.
//!
//! The workloads are defined once, in `bench/workloads.py`; this bench reads
//! them from `python3 bench/workloads.py --json` (set `PYTHON` to use another
//! interpreter; no packages are needed).

use std::hint::black_box;
use std::process::Command;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main,
};
use deriv::diff::Differentiator;
use deriv::eval::Tape;
use deriv::expr::{ExprId, Store, Sym};
use deriv::parse::{ParseOptions, parse_expr};
use deriv::series::{SeriesOptions, taylor};
use serde_json::Value;

/// One case of `bench/workloads.py`.
struct Case {
    key: String,
    kind: String,
    expr: String,
    vars: Vec<String>,
    at: Vec<(String, String)>,
    order: u32,
}

/// The cases, from `bench/workloads.py --json`.
fn cases() -> Vec<Case> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/workloads.py");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let out = Command::new(&python)
        .args([script, "--json"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} {script}: {e}"));
    assert!(out.status.success(), "{script} --json failed");
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).expect("workloads JSON");
    all.iter().map(case_of).collect()
}

fn case_of(v: &Value) -> Case {
    let s = |k: &str| v[k].as_str().expect("a string field").to_string();
    let strs = |x: &Value| -> Vec<String> {
        let xs = x.as_array().expect("an array");
        xs.iter()
            .map(|s| s.as_str().expect("a string").to_string())
            .collect()
    };
    Case {
        key: s("key"),
        kind: s("kind"),
        expr: s("expr"),
        vars: strs(&v["vars"]),
        at: v["at"]
            .as_array()
            .expect("at")
            .iter()
            .map(|p| {
                let p = strs(p);
                (p[0].clone(), p[1].clone())
            })
            .collect(),
        order: v["order"].as_u64().expect("order") as u32,
    }
}

/// A case parsed: the store, the expression and its variables.
#[derive(Clone)]
struct Parsed {
    store: Store,
    f: ExprId,
    vars: Vec<Sym>,
}

fn parse(case: &Case) -> Parsed {
    let mut store = Store::new();
    let f = parse_expr(&mut store, &case.expr, &ParseOptions::default()).expect("parses");
    let vars = case.vars.iter().map(|v| store.sym(v)).collect();
    Parsed { store, f, vars }
}

/// A parsed case with its gradient.
fn with_gradient(case: &Case) -> (Parsed, Vec<ExprId>) {
    let mut p = parse(case);
    let g = Differentiator::default()
        .gradient(&mut p.store, p.f, &p.vars)
        .expect("differentiates");
    (p, g)
}

/// Few samples for the steps that take a second or more before issue 9's
/// speed work (criterion needs at least 10).
fn configure(group: &mut BenchmarkGroup<WallTime>, case: &Case) {
    let big = case.expr.len() > 30_000;
    group.sample_size(if big { 10 } else { 50 });
    group.measurement_time(Duration::from_secs(if big { 10 } else { 3 }));
    group.warm_up_time(Duration::from_secs(1));
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    let mut seen = Vec::new();
    for case in cases() {
        if seen.contains(&case.expr) {
            continue;
        }
        configure(&mut group, &case);
        group.throughput(Throughput::Bytes(case.expr.len() as u64));
        group.bench_function(&case.key, |b| b.iter(|| parse(black_box(&case)).f));
        seen.push(case.expr);
    }
    group.finish();
}

/// Gradients (W1, W3, W4, W5) and Hessians (W3), each on a fresh copy of
/// the parsed store, so that no derivative is already interned.
fn bench_derivatives(c: &mut Criterion) {
    let mut group = c.benchmark_group("derivative");
    for case in cases()
        .iter()
        .filter(|c| c.kind == "grad" || c.kind == "hessian")
    {
        configure(&mut group, case);
        let parsed = parse(case);
        group.bench_function(&case.key, |b| {
            b.iter_batched(
                || parsed.clone(),
                |mut p| {
                    let mut d = Differentiator::default();
                    if case.kind == "grad" {
                        d.gradient(&mut p.store, p.f, &p.vars)
                            .expect("gradient")
                            .len()
                    } else {
                        d.hessian(&mut p.store, p.f, &p.vars)
                            .expect("hessian")
                            .len()
                    }
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// Taylor polynomials (W2, W6) with exact coefficients.
fn bench_taylor(c: &mut Criterion) {
    let mut group = c.benchmark_group("taylor");
    for case in cases().iter().filter(|c| c.kind == "taylor") {
        configure(&mut group, case);
        let mut parsed = parse(case);
        let point: Vec<(Sym, ExprId)> = case
            .at
            .iter()
            .map(|(n, v)| {
                let s = parsed.store.sym(n);
                let val = parse_expr(&mut parsed.store, v, &ParseOptions::default());
                (s, val.expect("a point value"))
            })
            .collect();
        group.bench_function(&case.key, |b| {
            b.iter_batched(
                || parsed.clone(),
                |mut p| {
                    let t = taylor(
                        &mut p.store,
                        p.f,
                        &point,
                        case.order,
                        &SeriesOptions::default(),
                    );
                    t.expect("expands").terms.len()
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// The values of the variables, indexed by `Sym`.
fn values(p: &Parsed, at: &[f64]) -> Vec<f64> {
    let n = p.vars.iter().map(|s| s.index() + 1).max().unwrap_or(0);
    let mut v = vec![0.0; n];
    for (s, x) in p.vars.iter().zip(at) {
        v[s.index()] = *x;
    }
    v
}

/// W1's gradient: the tape compiled, and evaluated at x = 1.
fn bench_tape(c: &mut Criterion) {
    let mut group = c.benchmark_group("tape");
    for case in cases().iter().filter(|c| c.kind == "value") {
        configure(&mut group, case);
        let (p, g) = with_gradient(case);
        group.bench_function(format!("{}: compile", case.key), |b| {
            b.iter(|| Tape::new(black_box(&p.store), black_box(&g)))
        });
        let tape = Tape::new(&p.store, &g);
        let at: Vec<f64> = case
            .at
            .iter()
            .map(|(_, v)| v.parse().expect("a number"))
            .collect();
        let vals = values(&p, &at);
        group.bench_function(format!("{}: eval", case.key), |b| {
            b.iter(|| tape.eval(&|s: Sym| black_box(vals[s.index()])))
        });
    }
    group.finish();
}

/// W7's gradients on the tape at 10,000 points uniform in [-2, 2] (a
/// xorshift generator; bench/compare.sh runs the 10^6 points of the CLI).
fn bench_points(c: &mut Criterion) {
    const N: usize = 10_000;
    let mut group = c.benchmark_group("points");
    for case in cases().iter().filter(|c| c.kind == "points") {
        configure(&mut group, case);
        group.throughput(Throughput::Elements(N as u64));
        let (p, g) = with_gradient(case);
        let tape = Tape::new(&p.store, &g);
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let points: Vec<Vec<f64>> = (0..N)
            .map(|_| {
                let at: Vec<f64> = (0..p.vars.len()).map(|_| uniform(&mut state)).collect();
                values(&p, &at)
            })
            .collect();
        let name = case.key.replace(" at 1e6 points", ": 10000 points");
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0.0;
                for vals in &points {
                    sum += tape.eval(&|s: Sym| vals[s.index()]).iter().sum::<f64>();
                }
                sum
            })
        });
    }
    group.finish();
}

/// A number uniform in [-2, 2) (xorshift64).
fn uniform(state: &mut u64) -> f64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    (*state >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0
}

criterion_group!(
    benches,
    bench_parse,
    bench_derivatives,
    bench_taylor,
    bench_tape,
    bench_points
);
criterion_main!(benches);

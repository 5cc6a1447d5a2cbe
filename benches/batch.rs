//! Batch evaluation (W7): the W1 gradient and the W3 Rosenbrock N=10
//! gradient at 1,000,000 points, on one thread and on two. Criterion's
//! throughput is points per second; the time per point is its inverse.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deriv::diff::Differentiator;
use deriv::eval::{Batch, Tape, Workers};
use deriv::expr::Store;
use deriv::parse::{ParseOptions, parse_expr};

const POINTS: usize = 1_000_000;

/// The gradient of `src` in its variables, compiled for batches.
fn gradient_batch(src: &str) -> Batch {
    let mut s = Store::new();
    let f = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
    let vars = s.free_vars(&[f]);
    let g = Differentiator::default()
        .gradient(&mut s, f, &vars)
        .expect("differentiates");
    // The columns come in the tape's input order (`Batch::inputs`).
    Batch::new(&Tape::new(&s, &g))
}

/// W3: `sum_{i=1}^{n-1} 100*(x{i+1}-x{i}^2)^2 + (1-x{i})^2`, written out.
fn rosenbrock(n: usize) -> String {
    (1..n)
        .map(|i| format!("100*(x{}-x{i}^2)^2 + (1-x{i})^2", i + 1))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Points in [-2, 2), from a fixed linear congruential sequence.
fn columns(inputs: usize) -> Vec<Vec<f64>> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        4.0 * ((state >> 11) as f64 / (1u64 << 53) as f64) - 2.0
    };
    (0..inputs)
        .map(|_| (0..POINTS).map(|_| next()).collect())
        .collect()
}

fn bench_gradient(c: &mut Criterion, name: &str, src: &str) {
    let batch = gradient_batch(src);
    let cols = columns(batch.inputs().len());
    let inputs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let mut out = vec![Vec::new(); batch.outputs()];
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.throughput(Throughput::Elements(POINTS as u64));
    for threads in [1, 2] {
        let workers = Workers::new(threads).expect("threads start");
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| {
                batch
                    .eval_columns(POINTS, &inputs, &mut out, &workers)
                    .expect("columns fit")
            })
        });
    }
    group.finish();
}

/// W7, W1: the gradient of `sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))`.
fn w1_gradient(c: &mut Criterion) {
    bench_gradient(
        c,
        "w7_w1_gradient",
        "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))",
    );
}

/// W7, W3: the gradient of Rosenbrock N=10.
fn w3_gradient(c: &mut Criterion) {
    bench_gradient(c, "w7_w3_gradient_n10", &rosenbrock(10));
}

criterion_group!(benches, w1_gradient, w3_gradient);
criterion_main!(benches);

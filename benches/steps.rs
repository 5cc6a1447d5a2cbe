//! In-process timings of the library's steps (`cargo bench`); the
//! side-by-side comparison with other tools is `bench/compare.sh`.

use criterion::{Criterion, criterion_group, criterion_main};
use deriv::diff::Differentiator;
use deriv::expr::Store;
use deriv::parse::{ParseOptions, parse_expr};

/// W1: the lecture notes' example, parsed and differentiated.
fn notes_gradient(c: &mut Criterion) {
    let src = "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))";
    c.bench_function("w1_gradient", |b| {
        b.iter(|| {
            let mut s = Store::new();
            let f = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
            let vars = s.free_vars(&[f]);
            Differentiator::default()
                .gradient(&mut s, f, &vars)
                .expect("differentiates")
        })
    });
}

criterion_group!(benches, notes_gradient);
criterion_main!(benches);

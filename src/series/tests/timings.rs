//! Timing probes behind `SeriesOptions::DEFAULT_MAX_TERMS` (ignored by
//! default): `cargo test --release --test integration timings -- --ignored --nocapture`.

use super::opts;
use crate::expr::{ExprId, Func, Store, Sym};
use crate::series::taylor;

/// Timings that justify `SeriesOptions::DEFAULT_MAX_TERMS`; run with
/// `cargo test --release --test integration timings -- --ignored --nocapture`.
#[test]
#[ignore]
fn timings() {
    let mut s = Store::new();
    let names = ["x", "y", "z"];
    let vars: Vec<ExprId> = names.iter().map(|n| s.var(n)).collect();
    let syms: Vec<Sym> = names.iter().map(|n| s.sym(n)).collect();
    let f = moderate(&mut s, &vars);
    println!("expression of {} nodes", s.dag_size(&[f]));
    let points: [(&str, MakePoint); 3] = [
        ("0", |s| s.int(0)),
        ("1/2", |s| s.frac(1, 2)),
        ("0.5", |s| s.float(0.5)),
    ];
    for nv in 1..=3 {
        for (name, p) in &points {
            let point: Vec<(Sym, ExprId)> = syms.iter().map(|&v| (v, p(&mut s))).collect();
            for limit in [25, 50, 100, 200, 400, 800, 1600, 3200] {
                let order = max_order(nv, limit);
                let start = std::time::Instant::now();
                let mut s2 = s.clone();
                let r = taylor(&mut s2, f, &point[..nv], order, &opts());
                let el = start.elapsed();
                eprintln!(
                    "{nv} vars order {order} at {name}: {el:?} ({} new nodes) {}",
                    s2.len() - s.len(),
                    r.map_or_else(|e| e.to_string(), |t| format!("{} terms", t.terms.len()))
                );
                if el.as_secs_f64() > 2.0 {
                    break;
                }
            }
        }
    }
}

/// Deep chains at a symbolic point: the coefficient of a chain is a product
/// with one factor per level, which the canonical constructors sort.
#[test]
#[ignore]
fn timings_deep_chains() {
    for depth in [100, 200, 400] {
        let mut s = Store::new();
        let x = s.var("x");
        let mut e = x;
        for i in 0..depth {
            let c = s.frac(1, 2 + i % 3);
            let m = s.mul(&[c, e]);
            e = s.call1(if i % 2 == 0 { Func::Sin } else { Func::Tanh }, m);
        }
        let sx = s.sym("x");
        for p in [s.int(1), s.float(1.0)] {
            let start = std::time::Instant::now();
            let r = taylor(&mut s, e, &[(sx, p)], 2, &opts());
            eprintln!("depth {depth} order 2: {:?} {}", start.elapsed(), r.is_ok());
        }
    }
}

/// Builds a coordinate of an expansion point.
type MakePoint = fn(&mut Store) -> ExprId;

/// The largest order whose basis fits in `limit` terms.
fn max_order(vars: usize, limit: usize) -> u32 {
    let count = |n: u32| (1..=vars as u64).fold(1u64, |c, i| c * (u64::from(n) + i) / i);
    (0..)
        .take_while(|&n| count(n) <= limit as u64)
        .last()
        .unwrap_or(0)
}

/// `exp(x*y)*sin(x + z)/(1 + x^2 + y^2) + sqrt(2 + x - z)*atan(y)`: about 20 nodes.
fn moderate(s: &mut Store, v: &[ExprId]) -> ExprId {
    let (x, y, z) = (v[0], v[1], v[2]);
    let (one, two) = (s.int(1), s.int(2));
    let xy = s.mul(&[x, y]);
    let e = s.call1(Func::Exp, xy);
    let xz = s.add(&[x, z]);
    let sn = s.call1(Func::Sin, xz);
    let (x2, y2) = (s.powi(x, 2), s.powi(y, 2));
    let d = s.add(&[one, x2, y2]);
    let num = s.mul(&[e, sn]);
    let q = s.div(num, d);
    let mz = s.neg(z);
    let r = s.add(&[two, x, mz]);
    let sq = s.sqrt(r);
    let at = s.call1(Func::Atan, y);
    let p = s.mul(&[sq, at]);
    s.add(&[q, p])
}

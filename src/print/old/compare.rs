//! The new printers print byte for byte what the old ones printed.

use crate::diff::Differentiator;
use crate::expr::{Constant, ExprId, Func, Store};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

fn leaf(s: &mut Store, r: &mut Rng) -> ExprId {
    match r.below(7) {
        0 | 1 | 6 => {
            let name = *r.pick(&["x", "y", "z", "x_1", "theta"]);
            s.var(name)
        }
        2 => s.int(r.below(16) as i64 - 6),
        3 => {
            let (n, d) = *r.pick(&[(1, 2), (-3, 4), (5, 3), (-1, 2), (7, 6)]);
            s.frac(n, d)
        }
        4 => {
            let f = *r.pick(&[2.0, 0.25, -1.5, 0.5, 1.5e-7, -3.0]);
            s.float(f)
        }
        _ => s.constant(*r.pick(&[Constant::Pi, Constant::E])),
    }
}

fn generate(s: &mut Store, r: &mut Rng, depth: u32) -> ExprId {
    if depth == 0 || r.below(5) == 0 {
        return leaf(s, r);
    }
    let a = generate(s, r, depth - 1);
    let b = generate(s, r, depth - 1);
    match r.below(15) {
        0 | 11 => s.add(&[a, b]),
        1 | 12 => s.sub(a, b),
        2 | 13 => s.mul(&[a, b]),
        3 => s.div(a, b),
        4 => s.powi(a, r.below(9) as i64 - 4),
        5 => {
            let (n, d) = *r.pick(&[(1, 2), (-1, 2), (3, 2), (1, 3), (-2, 3), (-3, 2)]);
            let e = s.frac(n, d);
            s.pow(a, e)
        }
        6 => s.pow(a, b),
        7 => s.sqrt(a),
        8 => {
            let f = *r.pick(&[Func::Atan2, Func::Min, Func::Max]);
            s.call(f, &[a, b])
        }
        9 => s.neg(a),
        14 => {
            let f = s.float(*r.pick(&[-1.0, 2.5, -0.5, 1.0]));
            s.pow(a, f)
        }
        _ => {
            let f = *r.pick(Func::ALL);
            match f.arity() {
                Some(1) => s.call1(f, a),
                _ => s.call(f, &[a, b]),
            }
        }
    }
}

fn check(s: &Store, id: ExprId, n: &mut usize) {
    let (a, b) = (super::infix::infix(s, id), crate::print::infix(s, id));
    assert_eq!(a, b, "infix of {}", crate::print::sexpr::sexpr(s, id));
    let text = b;
    let (a, b) = (super::latex::latex(s, id), crate::print::latex(s, id));
    assert_eq!(a, b, "latex of {}", crate::print::sexpr::sexpr(s, id));
    *n += 1;
    for (k, pat) in ["^(-", ")/", "(1 - ", "sqrt(", "/(", "^(", ".5)/"]
        .iter()
        .enumerate()
    {
        if text.contains(pat) {
            unsafe_count(k);
        }
    }
}
fn unsafe_count(k: usize) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static C: [AtomicUsize; 8] = [const { AtomicUsize::new(0) }; 8];
    C[k].fetch_add(1, Ordering::Relaxed);
    if k == 7 {
        eprintln!(
            "{:?}",
            C.iter()
                .map(|c| c.load(Ordering::Relaxed))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn new_printers_print_what_the_old_ones_did() {
    let mut n = 0;
    for seed in 1..40u64 {
        let mut s = Store::new();
        let mut r = Rng(0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x1234_5678_9abc_def1));
        let mut d = Differentiator::new(200_000);
        let vars = ["x", "y"].map(|v| s.sym(v));
        for _ in 0..300 {
            let f = generate(&mut s, &mut r, 4);
            if s.overflowed().is_some() {
                break;
            }
            check(&s, f, &mut n);
            for &v in &vars {
                if let Ok(df) = d.diff(&mut s, f, v)
                    && s.overflowed().is_none()
                    && crate::print::printed_size(&s, &[df]) < 200_000
                {
                    check(&s, df, &mut n);
                }
            }
        }
    }
    eprintln!("{n} expressions compared");
    unsafe_count(7);
}

#[test]
fn new_polynomials_print_what_the_old_ones_did() {
    let mut n = 0;
    for seed in 1..30u64 {
        let mut r = Rng(0xDEAD_BEEF_1234_5678 ^ seed.wrapping_mul(0x9e37_79b9));
        let mut s = Store::new();
        for _ in 0..100 {
            let k = r.below(5);
            let mut terms = Vec::new();
            for _ in 0..k {
                let c = generate(&mut s, &mut r, 2);
                let m = r.below(3);
                let mono: Vec<(ExprId, u32)> = (0..m)
                    .map(|_| (generate(&mut s, &mut r, 2), r.below(4) as u32 + 1))
                    .collect();
                terms.push((c, mono));
            }
            if s.overflowed().is_some() {
                break;
            }
            let mut s2 = s.clone();
            let a = super::poly::polynomial(&mut s, &terms);
            let b = crate::print::polynomial(&mut s2, &terms);
            assert_eq!(a, b);
            let a = super::poly::latex_polynomial(&mut s, &terms);
            let b = crate::print::latex_polynomial(&mut s2, &terms);
            assert_eq!(a, b);
            n += 1;
        }
    }
    eprintln!("{n} polynomials compared");
}

/// Times the old and the new printers on the gradient of a written-out
/// Rosenbrock sum: `cargo test --release --lib print::old::compare::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    use crate::parse::{ParseOptions, parse_expr};
    use std::time::Instant;
    let n = 2000;
    let src: Vec<String> = (1..=n)
        .map(|i| format!("100*(x{} - x{i}^2)^2 + (1 - x{i})^2", i + 1))
        .collect();
    let mut s = Store::new();
    let f = parse_expr(&mut s, &src.join(" + "), &ParseOptions::default()).expect("parse");
    let vars = s.free_vars(&[f]);
    let mut d = Differentiator::new(4_000_000);
    let mut g = d.gradient(&mut s, f, &vars).expect("gradient");
    g.push(f);
    type P = fn(&Store, ExprId) -> String;
    let printers: [(&str, P, P); 2] = [
        ("infix", super::infix::infix, crate::print::infix),
        ("latex", super::latex::latex, crate::print::latex),
    ];
    let only = std::env::var("PRINTER").unwrap_or_default();
    for (name, old, new) in printers {
        for (label, p) in [("old", old), ("new", new), ("old", old), ("new", new)] {
            if !only.is_empty() && only != format!("{name}-{label}") {
                continue;
            }
            let mut best = f64::INFINITY;
            let mut bytes = 0;
            for _ in 0..40 {
                let t = Instant::now();
                bytes = g.iter().map(|&e| p(&s, e).len()).sum::<usize>();
                best = best.min(t.elapsed().as_secs_f64());
            }
            eprintln!(
                "{name} {label}: {:.2} ms for {bytes} bytes (best of 40)",
                best * 1e3
            );
        }
    }
}

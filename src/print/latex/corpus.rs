//! A corpus of printed LaTeX: expressions from a deterministic generator of
//! bounded depth, their derivatives, and Hessian matrices.
//!
//! `cargo test` checks every line structurally (balanced braces, matched
//! `\left`/`\right`, no stray spaces or doubled signs). With
//! `DERIV_LATEX_CORPUS` set, the corpus is also written to
//! `target/latex-corpus.txt`, one expression a line, for
//! `bench/katex-check.sh` to render with KaTeX.

use super::{latex, latex_all, latex_matrix};
use crate::diff::Differentiator;
use crate::expr::{Constant, ExprId, Func, Store, Sym};
use crate::print::{infix, infix_all};

/// A small xorshift generator: deterministic, no dependency.
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

const NAMES: &[&str] = &[
    "x", "y", "x_1", "x10", "theta", "Omega", "rate", "x_max", "alpha2", "omicron",
];
/// Moderate floats only: the constructors fold float products, and one that
/// overflows trips `Store::number`'s finiteness assertion.
const FLOATS: &[f64] = &[2.0, 0.25, -1.5];
/// Floats printed with an exponent, used once each outside the generator.
const BIG_FLOATS: &[f64] = &[1.5e-7, 1e300, -6.02e23];
const UNARY: &[Func] = &[
    Func::Sin,
    Func::Cos,
    Func::Tan,
    Func::Asin,
    Func::Acos,
    Func::Atan,
    Func::Sinh,
    Func::Cosh,
    Func::Tanh,
    Func::Asinh,
    Func::Acosh,
    Func::Atanh,
    Func::Exp,
    Func::Ln,
    Func::Cbrt,
    Func::Abs,
    Func::Sign,
    Func::Step,
    Func::Sigmoid,
    Func::Relu,
    Func::Softplus,
    Func::Erf,
    Func::Floor,
    Func::Ceil,
    Func::Round,
    Func::Erfc,
    Func::Sinc,
];

fn leaf(s: &mut Store, r: &mut Rng) -> ExprId {
    match r.below(6) {
        0 | 1 => {
            let name = *r.pick(NAMES);
            s.var(name)
        }
        2 => s.int(r.below(16) as i64 - 3),
        3 => {
            let (n, d) = *r.pick(&[(1, 2), (-3, 4), (5, 3)]);
            s.frac(n, d)
        }
        4 => {
            let f = *r.pick(FLOATS);
            s.float(f)
        }
        _ => s.constant(*r.pick(&[Constant::Pi, Constant::E])),
    }
}

fn gen_expr(s: &mut Store, r: &mut Rng, depth: u32) -> ExprId {
    if depth == 0 || r.below(5) == 0 {
        return leaf(s, r);
    }
    let a = gen_expr(s, r, depth - 1);
    let b = gen_expr(s, r, depth - 1);
    match r.below(11) {
        0 => s.add(&[a, b]),
        1 => s.sub(a, b),
        2 => s.mul(&[a, b]),
        3 => s.div(a, b),
        4 => s.powi(a, r.below(7) as i64 - 3),
        5 => {
            let (n, d) = *r.pick(&[(1, 2), (-1, 2), (3, 2), (1, 3), (-2, 3)]);
            let e = s.frac(n, d);
            s.pow(a, e)
        }
        6 => s.pow(a, b),
        7 => s.sqrt(a),
        8 => {
            let f = *r.pick(&[Func::Atan2, Func::Min, Func::Max]);
            s.call(f, &[a, b])
        }
        _ => {
            let f = *r.pick(UNARY);
            s.call1(f, a)
        }
    }
}

/// Every line of the corpus.
fn corpus() -> Vec<String> {
    let mut s = Store::new();
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut d = Differentiator::new(200_000);
    let mut lines = Vec::new();
    let x = s.var("x");
    for &f in UNARY {
        let id = s.call1(f, x);
        let sq = s.powi(id, 2);
        let inv = s.powi(id, -1);
        lines.extend([id, sq, inv].map(|id| latex(&s, id)));
    }
    for &v in BIG_FLOATS {
        let c = s.float(v);
        let cx = s.mul(&[c, x]);
        let xc = s.pow(x, c);
        lines.extend([c, cx, xc].map(|id| latex(&s, id)));
    }
    for name in ["_x", "x_", "x__1", "a{b}", "a\\b^c~d e", "é", "x1_2"] {
        let v = s.var(name);
        lines.push(latex(&s, v));
    }
    let vars: Vec<Sym> = ["x", "y"].map(|n| s.sym(n)).to_vec();
    for i in 0..600 {
        let f = gen_expr(&mut s, &mut r, 4);
        lines.push(latex(&s, f));
        if let Ok(df) = d.diff(&mut s, f, vars[0]) {
            lines.push(latex(&s, df));
        }
        if i % 20 == 0
            && let Ok(h) = d.hessian(&mut s, f, &vars)
        {
            let rows: Vec<Vec<String>> = h
                .iter()
                .map(|row| row.iter().map(|&e| latex(&s, e)).collect())
                .collect();
            lines.push(latex_matrix(&rows));
        }
    }
    let mut seen = std::collections::HashSet::new();
    lines.retain(|l| seen.insert(l.clone()));
    lines
}

/// Why a line is malformed, if it is.
fn malformed(line: &str) -> Option<&'static str> {
    let mut depth = 0i64;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '{' if !escaped => depth += 1,
            '}' if !escaped => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return Some("unbalanced braces");
        }
        escaped = c == '\\' && !escaped;
    }
    if depth != 0 {
        return Some("unbalanced braces");
    }
    if line.matches("\\left").count() != line.matches("\\right").count() {
        return Some("unmatched \\left/\\right");
    }
    if line.contains("  ") || line.starts_with(' ') || line.ends_with(' ') {
        return Some("stray space");
    }
    if ["+ -", "- -", "--", "+ +", "{}", "()"]
        .iter()
        .any(|p| line.contains(p))
    {
        return Some("doubled sign or empty group");
    }
    None
}

#[test]
fn corpus_is_well_formed() {
    for line in corpus() {
        if let Some(why) = malformed(&line) {
            panic!("{why}: {line}");
        }
    }
}

#[test]
fn write_corpus() {
    if std::env::var_os("DERIV_LATEX_CORPUS").is_none() {
        return;
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
    std::fs::create_dir_all(dir).expect("create target/");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/latex-corpus.txt");
    let mut text = corpus().join("\n");
    text.push('\n');
    std::fs::write(path, text).expect("write target/latex-corpus.txt");
}

/// Printing many results at once reuses the text of shared nodes; it must
/// give each result the text it has alone, in both notations (LaTeX's gaps
/// depend on the text that follows them).
#[test]
fn printing_together_matches_printing_alone() {
    let mut s = Store::new();
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let mut d = Differentiator::new(200_000);
    let vars: Vec<Sym> = ["x", "y"].map(|n| s.sym(n)).to_vec();
    let mut ids = Vec::new();
    for _ in 0..400 {
        let f = gen_expr(&mut s, &mut r, 4);
        ids.push(f);
        if let Ok(g) = d.gradient(&mut s, f, &vars) {
            ids.extend(g);
        }
    }
    let together = latex_all(&s, &ids);
    let alone: Vec<String> = ids.iter().map(|&id| latex(&s, id)).collect();
    assert_eq!(together, alone);
    let together = infix_all(&s, &ids);
    let alone: Vec<String> = ids.iter().map(|&id| infix(&s, id)).collect();
    assert_eq!(together, alone);
}

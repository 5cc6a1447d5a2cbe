//! Unit tests of the LaTeX printer, one per construct, expected strings by hand.

use super::{latex, latex_matrix};
use crate::expr::{Constant, ExprId, Func, Store};

/// A store with `x`, `y` and the integers used below.
struct T {
    s: Store,
    x: ExprId,
    y: ExprId,
}

impl T {
    fn new() -> T {
        let mut s = Store::new();
        let x = s.var("x");
        let y = s.var("y");
        T { s, x, y }
    }
    fn i(&mut self, n: i64) -> ExprId {
        self.s.int(n)
    }
    fn pow(&mut self, b: ExprId, n: i64) -> ExprId {
        self.s.powi(b, n)
    }
    fn f(&mut self, f: Func, a: ExprId) -> ExprId {
        self.s.call1(f, a)
    }
    fn show(&self, id: ExprId) -> String {
        latex(&self.s, id)
    }
}

#[test]
fn numbers() {
    let mut t = T::new();
    let cases = [
        (t.s.int(12), "12"),
        (t.s.int(-3), "-3"),
        (t.s.frac(1, 2), "\\frac{1}{2}"),
        (t.s.frac(-3, 4), "-\\frac{3}{4}"),
        (t.s.float(2.0), "2.0"),
        (t.s.float(0.25), "0.25"),
        (t.s.float(-1.5), "-1.5"),
        (t.s.float(1.5e-7), "1.5 \\cdot 10^{-7}"),
        (t.s.float(1e300), "1 \\cdot 10^{300}"),
    ];
    for (id, want) in cases {
        assert_eq!(t.show(id), want);
    }
}

#[test]
fn constants_and_variables() {
    let mut t = T::new();
    let pi = t.s.constant(Constant::Pi);
    let e = t.s.constant(Constant::E);
    assert_eq!(t.show(pi), "\\pi");
    assert_eq!(t.show(e), "e");
    for (name, want) in [
        ("x_1", "x_{1}"),
        ("x10", "x_{10}"),
        ("theta", "\\theta"),
        ("rate", "\\mathit{rate}"),
    ] {
        let v = t.s.var(name);
        assert_eq!(t.show(v), want);
    }
}

#[test]
fn sums() {
    let mut t = T::new();
    let (x, y) = (t.x, t.y);
    let one = t.i(1);
    let four = t.i(4);
    let x2 = t.pow(x, 2);
    let a = t.s.add(&[x, one]);
    assert_eq!(t.show(a), "x + 1");
    let b = t.s.sub(x2, four);
    assert_eq!(t.show(b), "x^{2} - 4");
    let c = t.s.sub(one, x);
    assert_eq!(t.show(c), "1 - x");
    let d = t.s.sub(x, y);
    assert_eq!(t.show(d), "x - y");
    let ny = t.s.neg(y);
    let nx = t.s.neg(x);
    let e = t.s.add(&[nx, ny]);
    assert_eq!(t.show(e), "-x - y");
    let half = t.s.frac(1, 2);
    let hx = t.s.mul(&[half, x]);
    let f = t.s.sub(y, hx);
    assert_eq!(t.show(f), "y - \\frac{x}{2}");
    let two = t.i(2);
    let g = t.s.add(&[nx, y]);
    let g = t.s.sub(g, two);
    assert_eq!(t.show(g), "y - x - 2");
}

#[test]
fn products() {
    let mut t = T::new();
    let (x, y) = (t.x, t.y);
    let two = t.i(2);
    let three = t.i(3);
    let a = t.s.mul(&[two, x, y]);
    assert_eq!(t.show(a), "2 x y");
    let sx = t.f(Func::Sin, x);
    let b = t.s.mul(&[x, sx]);
    assert_eq!(t.show(b), "x \\sin\\left(x\\right)");
    let p = t.s.pow(three, x);
    let c = t.s.mul(&[two, p]);
    assert_eq!(t.show(c), "2 \\cdot 3^{x}");
    let d = t.s.neg(x);
    assert_eq!(t.show(d), "-x");
    let pi = t.s.constant(Constant::Pi);
    let e = t.s.mul(&[two, pi, x]);
    assert_eq!(t.show(e), "2 \\pi x");
    let one = t.i(1);
    let s = t.s.add(&[x, one]);
    let f = t.s.mul(&[y, s]);
    assert_eq!(t.show(f), "y \\left(x + 1\\right)");
    let g = t.s.neg(s);
    let g = t.s.mul(&[g, y]);
    // a sum in a product is primitive: y*(-x - 1) is -y*(x + 1)
    assert_eq!(t.show(g), "-y \\left(x + 1\\right)");
}

#[test]
fn quotients() {
    let mut t = T::new();
    let (x, y) = (t.x, t.y);
    let a = t.s.div(x, y);
    assert_eq!(t.show(a), "\\frac{x}{y}");
    let r = t.s.frac(3, 2);
    let b = t.s.mul(&[r, x]);
    assert_eq!(t.show(b), "\\frac{3 x}{2}");
    let two = t.i(2);
    let y2 = t.pow(y, 2);
    let den = t.s.mul(&[two, y2]);
    let c = t.s.div(x, den);
    assert_eq!(t.show(c), "\\frac{x}{2 y^{2}}");
    let d = t.s.recip(x);
    assert_eq!(t.show(d), "\\frac{1}{x}");
    let one = t.i(1);
    let xp1 = t.s.add(&[x, one]);
    let xm1 = t.s.sub(x, one);
    let e = t.s.div(xp1, xm1);
    assert_eq!(t.show(e), "\\frac{x + 1}{x - 1}");
    let f = t.s.div(x, xp1);
    let f = t.s.neg(f);
    assert_eq!(t.show(f), "-\\frac{x}{x + 1}");
    let g = t.s.mul(&[xp1, y]);
    let g = t.s.div(one, g);
    assert_eq!(t.show(g), "\\frac{1}{y \\left(x + 1\\right)}");
}

#[test]
fn powers() {
    let mut t = T::new();
    let (x, y) = (t.x, t.y);
    let one = t.i(1);
    let a = t.pow(x, 2);
    assert_eq!(t.show(a), "x^{2}");
    let s = t.s.add(&[x, one]);
    let b = t.pow(s, 2);
    assert_eq!(t.show(b), "\\left(x + 1\\right)^{2}");
    let c = t.s.sqrt(x);
    assert_eq!(t.show(c), "\\sqrt{x}");
    let d = t.s.recip(c);
    assert_eq!(t.show(d), "\\frac{1}{\\sqrt{x}}");
    let r = t.s.frac(3, 2);
    let e = t.s.pow(x, r);
    assert_eq!(t.show(e), "x^{\\frac{3}{2}}");
    let f = t.s.pow(x, y);
    assert_eq!(t.show(f), "x^{y}");
    let g = t.pow(x, -2);
    assert_eq!(t.show(g), "\\frac{1}{x^{2}}");
    let xy = t.s.mul(&[x, y]);
    let h = t.s.pow(xy, x);
    assert_eq!(t.show(h), "\\left(x y\\right)^{x}");
    let two = t.i(2);
    let sqrt2 = t.s.sqrt(two);
    assert_eq!(t.show(sqrt2), "\\sqrt{2}");
    let half = t.s.frac(1, 2);
    let k = t.s.pow(half, x);
    assert_eq!(t.show(k), "\\left(\\frac{1}{2}\\right)^{x}");
    let fl = t.s.float(1.5);
    let m = t.s.pow(x, fl);
    assert_eq!(t.show(m), "x^{1.5}");
    let sx = t.s.sqrt(s);
    let n = t.s.div(x, sx);
    assert_eq!(t.show(n), "\\frac{x}{\\sqrt{x + 1}}");
}

#[test]
fn functions() {
    let mut t = T::new();
    let (x, y) = (t.x, t.y);
    let cases = [
        (Func::Sin, "\\sin\\left(x\\right)"),
        (Func::Acos, "\\arccos\\left(x\\right)"),
        (Func::Tanh, "\\tanh\\left(x\\right)"),
        (Func::Asinh, "\\operatorname{asinh}\\left(x\\right)"),
        (Func::Erf, "\\operatorname{erf}\\left(x\\right)"),
        (Func::Sigmoid, "\\operatorname{sigmoid}\\left(x\\right)"),
        (Func::Exp, "e^{x}"),
        (Func::Ln, "\\ln\\left(x\\right)"),
        (Func::Abs, "\\left|x\\right|"),
        (Func::Cbrt, "\\sqrt[3]{x}"),
    ];
    for (f, want) in cases {
        let id = t.f(f, x);
        assert_eq!(t.show(id), want, "{f:?}");
    }
    let a = t.s.call(Func::Atan2, &[y, x]);
    assert_eq!(t.show(a), "\\operatorname{atan2}\\left(y, x\\right)");
    let b = t.s.call(Func::Max, &[x, y]);
    assert_eq!(t.show(b), "\\max\\left(x, y\\right)");
    let nx = t.s.neg(x);
    let c = t.f(Func::Exp, nx);
    assert_eq!(t.show(c), "e^{-x}");
    let one = t.i(1);
    let s = t.s.add(&[x, one]);
    let d = t.f(Func::Ln, s);
    assert_eq!(t.show(d), "\\ln\\left(x + 1\\right)");
}

#[test]
fn powers_of_functions() {
    let mut t = T::new();
    let x = t.x;
    let sx = t.f(Func::Sin, x);
    let a = t.pow(sx, 2);
    assert_eq!(t.show(a), "\\sin^{2}\\left(x\\right)");
    let b = t.pow(sx, -2);
    assert_eq!(t.show(b), "\\frac{1}{\\sin^{2}\\left(x\\right)}");
    let lx = t.f(Func::Ln, x);
    let c = t.pow(lx, 3);
    assert_eq!(t.show(c), "\\ln\\left(x\\right)^{3}");
    let ex = t.f(Func::Exp, x);
    let y = t.y;
    let d = t.s.mul(&[ex, y]);
    assert_eq!(t.show(d), "y e^{x}");
    let cx = t.f(Func::Cbrt, x);
    let e = t.s.pow(cx, y);
    assert_eq!(t.show(e), "\\left(\\sqrt[3]{x}\\right)^{y}");
}

#[test]
fn output_is_deterministic() {
    let mut a = T::new();
    let mut b = T::new();
    let (ax, ay, bx, by) = (a.x, a.y, b.x, b.y);
    let sa = a.s.add(&[ay, ax]);
    let sb = b.s.add(&[bx, by]);
    assert_eq!(a.show(sa), b.show(sb));
    assert_eq!(a.show(sa), "x + y");
}

#[test]
fn matrices() {
    let rows = vec![
        vec!["a".to_string(), "b".to_string()],
        vec!["c".to_string(), "d".to_string()],
    ];
    assert_eq!(
        latex_matrix(&rows),
        "\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}"
    );
    let column = vec![vec!["x".to_string()], vec!["y".to_string()]];
    assert_eq!(
        latex_matrix(&column),
        "\\begin{bmatrix} x \\\\ y \\end{bmatrix}"
    );
}

//! Numbers and points, formatted one way in every output.

use deriv::expr::Sym;
use deriv::{Point, Session};
use serde_json::{Value, json};

/// A number for JSON: non-finite values are the strings `"NaN"`, `"inf"`, `"-inf"`.
pub fn number_json(v: f64) -> Value {
    if v.is_finite() {
        json!(v)
    } else {
        Value::String(number_text(v))
    }
}

/// A number for text: shortest round-trip digits.
pub fn number_text(v: f64) -> String {
    deriv::numeric::float_text(v)
}

/// A number in LaTeX: `\infty`, `\text{NaN}`, `1.5 \cdot 10^{-7}`.
pub fn tex_number(v: f64) -> String {
    if v.is_nan() {
        "\\text{NaN}".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "\\infty".into()
        } else {
            "-\\infty".into()
        }
    } else {
        let t = number_text(v);
        match t.split_once('e') {
            Some((m, e)) => format!("{m} \\cdot 10^{{{e}}}"),
            None => t,
        }
    }
}

/// A variable's LaTeX name.
pub fn latex_var(s: &mut Session, v: Sym) -> String {
    let id = s.store_mut().var_sym(v);
    deriv::print::latex(s.store(), id)
}

/// `x = 1, y = 2` in LaTeX.
pub fn point_tex(s: &mut Session, p: &Point) -> String {
    p.coords()
        .iter()
        .map(|c| {
            let name = latex_var(s, c.sym);
            format!("{name} = {}", deriv::print::latex(s.store(), c.value))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `{"x": 1, "y": 2}`: the point's float values.
pub fn point_json(p: &Point) -> Value {
    let mut at = serde_json::Map::new();
    for c in p.coords() {
        at.insert(c.name.clone(), number_json(c.float));
    }
    Value::Object(at)
}

/// A `--cse` program: its statements, then its results as one line `[...]`
/// for a gradient, one line per row for a Hessian or Jacobian.
pub fn program_text(
    st: &deriv::expr::Store,
    p: &deriv::cse::Program,
    kind: crate::cli::report::Kind,
    cols: usize,
) -> String {
    use deriv::print::infix_all;
    let mut out = String::new();
    let ids: Vec<_> = p.statements.iter().map(|(_, e)| *e).collect();
    for ((name, _), text) in p.statements.iter().zip(infix_all(st, &ids)) {
        out.push_str(&format!("{} = {text}\n", st.name(*name)));
    }
    let cells = infix_all(st, &p.results);
    let rows: Vec<String> = if kind == crate::cli::report::Kind::Grad || cols == 0 {
        vec![format!("[{}]", cells.join(", "))]
    } else {
        cells
            .chunks(cols)
            .map(|r| format!("[{}]", r.join(", ")))
            .collect()
    };
    out.push_str(&rows.join("\n"));
    out
}

/// The operation counts of `stats`, labelled.
pub fn stats_rows(x: &deriv::Stats) -> [(&'static str, u128); 5] {
    [
        ("f (shared graph)", x.f),
        ("f (as a tree)", x.f_tree),
        ("gradient (as trees)", x.gradient_tree),
        ("gradient (shared graph)", x.gradient_dag),
        ("gradient --cse program", x.gradient_cse),
    ]
}

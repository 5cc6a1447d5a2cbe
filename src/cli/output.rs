//! Formatting results: one JSON object on one line, or readable text; and
//! the Taylor commands, whose output is built here from the series.

use serde_json::{Map, Value, json};

use crate::expr::{ExprId, Sym};
use crate::print::{latex, latex_polynomial, polynomial};
use crate::series::{SeriesOptions, taylor};

use super::Format;
use super::point::Coord;
use super::run::{CliError, evaluate, kink_warnings};
use super::session::Session;

/// A result being assembled: JSON fields and text lines.
pub struct Report {
    format: Format,
    json: Map<String, Value>,
    lines: Vec<String>,
    tex: Vec<String>,
}

impl Report {
    /// Starts a result with SPEC's common fields.
    pub fn new(format: Format, command: &str, input: &str, vars: Vec<String>) -> Report {
        let mut json = Map::new();
        json.insert("command".into(), json!(command));
        json.insert("input".into(), json!(input));
        json.insert("vars".into(), json!(vars));
        Report {
            format,
            json,
            lines: Vec::new(),
            tex: Vec::new(),
        }
    }

    /// Adds a JSON field.
    pub fn field(&mut self, key: &str, value: Value) {
        self.json.insert(key.into(), value);
    }

    /// Adds a line of text output.
    pub fn text(&mut self, line: String) {
        self.lines.push(line);
    }

    /// Adds a line of LaTeX output.
    pub fn tex(&mut self, line: String) {
        self.tex.push(line);
    }

    /// The output, ending in a newline.
    pub fn finish(self) -> String {
        match self.format {
            Format::Json => format!("{}\n", Value::Object(self.json)),
            Format::Text | Format::Latex => {
                let lines = if self.format == Format::Text {
                    self.lines
                } else {
                    self.tex
                };
                let mut s = lines.join("\n");
                s.push('\n');
                s
            }
        }
    }
}

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
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else if v != 0.0 && (v.abs() >= 1e16 || v.abs() < 1e-5) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// `taylor` and `linearize`.
pub fn taylor_cmd(
    s: &mut Session,
    command: &str,
    at: &str,
    order: u32,
    numeric: bool,
    max_terms: usize,
    warnings: &mut Vec<String>,
) -> Result<String, CliError> {
    let f = s.scalar(command)?;
    let needed = s.needed_vars();
    let coords = s.point(at, &needed)?;
    let numeric = numeric || coords.iter().any(|c| c.inexact);
    let point: Vec<(Sym, ExprId)> = coords
        .iter()
        .map(|c| {
            (
                c.sym,
                if numeric {
                    s.store.float(c.float)
                } else {
                    c.value
                },
            )
        })
        .collect();
    kink_warnings(s, &[f], &coords, warnings);
    let opts = SeriesOptions {
        max_terms,
        max_nodes: s.max_nodes,
    };
    let t = taylor(&mut s.store, f, &point, order, &opts).map_err(|e| match e {
        crate::series::SeriesError::NotAnalytic { at } => CliError::plain(format!(
            "cannot expand at {}: `{}` has no Taylor series there",
            super::run::point_text(&coords),
            crate::print::infix(&s.store, at)
        )),
        other => CliError::plain(other.to_string()),
    })?;
    for &u in &t.undefined {
        warnings.push(format!(
            "`{}` has no real value at {} (a pole, or outside the domain): the coefficients that depend on it are undefined",
            super::run::short(&s.store, u),
            super::run::point_text(&coords)
        ));
    }
    let terms = monomials(s, &t, numeric, &coords, warnings);
    let mut parts: Vec<ExprId> = Vec::new();
    for (c, mono) in &terms {
        parts.push(*c);
        parts.extend(mono.iter().map(|m| m.0));
    }
    s.check_output(&parts).map_err(|e| match e {
        CliError::Input {
            message,
            span,
            context,
        } if !numeric => CliError::Input {
            message: format!("{message}; --numeric gives float coefficients"),
            span,
            context,
        },
        e => e,
    })?;
    let text = polynomial(&mut s.store, &terms);
    let tex = latex_polynomial(&mut s.store, &terms);
    let vars = s.free_vars();
    let mut r = s.report(command, &vars);
    let mut at_obj = Map::new();
    for c in &coords {
        at_obj.insert(c.name.clone(), number_json(c.float));
    }
    r.field("at", Value::Object(at_obj));
    r.field("order", json!(order));
    r.field("polynomial", Value::String(text.clone()));
    r.text(text);
    let args = coords
        .iter()
        .map(|c| latex_var(&mut s.store, c.sym))
        .collect::<Vec<_>>()
        .join(", ");
    r.tex(format!("T_{{{order}}}\\left({args}\\right) = {tex}"));
    s.done(r)
}

/// The terms of a Taylor polynomial as `(coefficient, [(x_i - a_i, k_i)])`;
/// in numeric mode the coefficients are evaluated to floats.
fn monomials(
    s: &mut Session,
    t: &crate::series::Taylor,
    numeric: bool,
    coords: &[Coord],
    warnings: &mut Vec<String>,
) -> Vec<(ExprId, Vec<(ExprId, u32)>)> {
    let deltas: Vec<ExprId> = t
        .vars
        .iter()
        .zip(&t.center)
        .map(|(v, a)| {
            let x = s.store.var_sym(*v);
            s.store.sub(x, *a)
        })
        .collect();
    let mut out = Vec::new();
    for (exps, c) in &t.terms {
        let c = if numeric && s.store.as_num(*c).is_none() && s.store.free_vars(&[*c]).is_empty() {
            let v = evaluate(s, &[*c], coords, warnings)[0];
            if v.is_finite() { s.store.float(v) } else { *c }
        } else {
            *c
        };
        if s.store.as_num(c).is_some_and(|n| n.is_zero()) {
            continue;
        }
        let mono = exps
            .iter()
            .zip(&deltas)
            .filter(|(k, _)| **k > 0)
            .map(|(k, d)| (*d, *k))
            .collect();
        out.push((c, mono));
    }
    out
}

/// A variable's LaTeX name.
pub fn latex_var(store: &mut crate::expr::Store, s: Sym) -> String {
    let v = store.var_sym(s);
    latex(store, v)
}

//! A report as one JSON object (SPEC's fields).

use deriv::Session;
use deriv::print::{infix, infix_all, infix_printer};
use serde_json::{Map, Value, json};

use super::format::{number_json, point_json, program_text};
use super::trace;
use crate::cli::report::{Block, Kind, Report, Shape};

pub fn render(r: &Report, s: &mut Session) -> Value {
    let mut m = Map::new();
    m.insert("command".into(), json!(r.command));
    m.insert("input".into(), json!(r.input));
    m.insert("vars".into(), json!(s.names(&r.vars)));
    for b in &r.blocks {
        block(&mut m, b, s, r);
    }
    Value::Object(m)
}

fn put(m: &mut Map<String, Value>, k: &str, v: Value) {
    m.insert(k.into(), v);
}

fn exprs(st: &deriv::expr::Store, kind: Kind, rows: &[Vec<deriv::expr::ExprId>]) -> Value {
    let mut p = infix_printer(st);
    let mut row_json = |row: &[deriv::expr::ExprId]| -> Value {
        Value::Array(
            row.iter()
                .map(|e| Value::String(p.expr(*e).to_string()))
                .collect(),
        )
    };
    match kind {
        Kind::Grad => rows.first().map_or_else(|| json!([]), |r| row_json(r)),
        _ => Value::Array(rows.iter().map(|r| row_json(r)).collect()),
    }
}

fn row(vs: &[f64]) -> Value {
    Value::Array(vs.iter().map(|v| number_json(*v)).collect())
}

fn block(m: &mut Map<String, Value>, b: &Block, s: &Session, r: &Report) {
    let st = s.store();
    match b {
        Block::Value {
            values,
            vector,
            point,
        } => {
            let v = if *vector {
                row(values)
            } else {
                number_json(values[0])
            };
            put(m, "value", v);
            if let Some(p) = point {
                put(m, "at", point_json(p));
            }
        }
        Block::Simplified { exprs, vector } => {
            let texts = infix_all(st, exprs);
            let text = if *vector {
                format!("[{}]", texts.join(", "))
            } else {
                texts.join(", ")
            };
            put(m, "result", Value::String(text));
        }
        Block::Derivative {
            wrt,
            order,
            expr,
            program,
        } => derivative(m, s, (wrt, *order), *expr, program.as_ref()),
        Block::DerivativeAt { value, point } => {
            put(m, "value", number_json(*value));
            put(m, "at", point_json(point));
        }
        Block::Matrix { kind, rows } => put(m, kind.key(), exprs(st, *kind, rows)),
        Block::Program {
            kind,
            program,
            rows,
        } => {
            put(m, kind.key(), exprs(st, *kind, rows));
            let cols = r.vars.len();
            put(
                m,
                "program",
                Value::String(program_text(st, program, *kind, cols)),
            );
            put(m, "ops", json!(program.ops(st)));
        }
        Block::Mode(kind, mode) => {
            put(m, kind.key(), Value::Null);
            put(m, "mode", json!(mode.name()));
        }
        Block::Values { kind, rows, point } => {
            match kind {
                Kind::Grad => put(m, "value", row(&rows[0])),
                _ => put(
                    m,
                    "value",
                    Value::Array(rows.iter().map(|r| row(r)).collect()),
                ),
            }
            put(m, "at", point_json(point));
        }
        Block::Exact { shape, cells } => put(m, "exact", exact(st, *shape, cells.as_deref())),
        Block::Check(c) => put(m, "check", check(c)),
        Block::Taylors(ps) => {
            if let Some(p) = ps.first() {
                put(m, "at", point_json(&p.point));
                put(m, "order", json!(p.order));
            }
            let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
            put(m, "polynomial", json!(texts));
        }
        Block::Taylor(p) => {
            put(m, "at", point_json(&p.point));
            put(m, "order", json!(p.order));
            put(m, "polynomial", Value::String(p.text.clone()));
        }
        Block::Stats(x) => put(m, "ops", stats(x)),
        Block::Trace(t) => trace::json(m, t, st, &r.vars),
    }
}

/// `--exact`: strings in the shape of `"value"`, `null` for an entry with
/// no exact value (or for all of them, where the point has a float).
fn exact(
    st: &deriv::expr::Store,
    shape: Shape,
    cells: Option<&[Vec<Option<deriv::expr::ExprId>>]>,
) -> Value {
    let Some(rows) = cells else {
        return Value::Null;
    };
    let row = |r: &[Option<deriv::expr::ExprId>]| -> Vec<Value> {
        r.iter()
            .map(|e| e.map_or(Value::Null, |e| Value::String(infix(st, e))))
            .collect()
    };
    match shape {
        Shape::Scalar => row(&rows[0]).into_iter().next().unwrap_or(Value::Null),
        Shape::Vector => Value::Array(row(&rows[0])),
        Shape::Matrix => Value::Array(rows.iter().map(|r| Value::Array(row(r))).collect()),
    }
}

fn check(c: &deriv::Checked) -> Value {
    json!({
        "modes": ["symbolic", "forward", "reverse"],
        "max_discrepancy_modes": number_json(c.modes),
        "max_discrepancy_finite_difference": number_json(c.finite_difference),
        "agree": c.agree(),
        "agree_modes": c.modes <= deriv::Checked::MODES_TOL,
        "agree_finite_difference": c.finite_difference <= deriv::Checked::FD_TOL,
        "at_kink": c.at_kink,
    })
}

fn stats(x: &deriv::Stats) -> Value {
    let ratio = x.gradient_cse as f64 / (x.f.max(1)) as f64;
    json!({"f": count(x.f), "f_tree": count(x.f_tree),
           "gradient_tree": count(x.gradient_tree),
           "gradient_dag": count(x.gradient_dag),
           "gradient_cse": count(x.gradient_cse), "cse_ratio": ratio})
}

fn derivative(
    m: &mut Map<String, Value>,
    s: &Session,
    (wrt, order): (&[deriv::expr::Sym], Option<u32>),
    expr: deriv::expr::ExprId,
    program: Option<&deriv::cse::Program>,
) {
    let st = s.store();
    put(m, "wrt", json!(s.names(wrt)));
    if let Some(n) = order {
        put(m, "order", json!(n));
    }
    if let Some(p) = program {
        put(m, "program", Value::String(p.text(st, false)));
    }
    put(m, "derivative", Value::String(infix(st, expr)));
}

/// An operation count as a JSON number, or as a decimal string past what a
/// JSON number holds exactly (`u64`): a tree count can pass 2^64.
fn count(n: impl TryInto<u64> + ToString + Copy) -> Value {
    match n.try_into() {
        Ok(v) => json!(v),
        Err(_) => Value::String(n.to_string()),
    }
}

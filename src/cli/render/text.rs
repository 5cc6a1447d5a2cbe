//! A report as readable text, line by line.

use deriv::print::{infix, infix_all, infix_printer};
use deriv::{Checked, Session};

use super::format::{number_text, program_text, stats_rows};
use super::trace;
use crate::cli::report::{Block, Kind, Report, Shape};

pub fn render(r: &Report, s: &mut Session) -> Vec<String> {
    let mut out = Vec::new();
    for b in &r.blocks {
        block(&mut out, b, s, r);
    }
    out
}

fn list(cells: Vec<String>, vector: bool) -> String {
    if vector {
        format!("[{}]", cells.join(", "))
    } else {
        cells.join(", ")
    }
}

/// `--exact`: `exact: sqrt(3)/2`, `exact: [a, b]`, or `exact:` and rows;
/// `none` for an entry with no exact value.
fn exact(
    out: &mut Vec<String>,
    st: &deriv::expr::Store,
    shape: Shape,
    cells: Option<&[Vec<Option<deriv::expr::ExprId>>]>,
) {
    let Some(rows) = cells else {
        out.push("exact: none (the point or the expression has a float)".into());
        return;
    };
    let text = |row: &[Option<deriv::expr::ExprId>]| -> Vec<String> {
        row.iter()
            .map(|e| e.map_or_else(|| "none".to_string(), |e| infix(st, e)))
            .collect()
    };
    match shape {
        Shape::Scalar => out.push(format!("exact: {}", text(&rows[0]).join(", "))),
        Shape::Vector => out.push(format!("exact: [{}]", text(&rows[0]).join(", "))),
        Shape::Matrix => {
            out.push("exact:".into());
            out.extend(rows.iter().map(|r| format!("[{}]", text(r).join(", "))));
        }
    }
}

fn block(out: &mut Vec<String>, b: &Block, s: &Session, r: &Report) {
    let st = s.store();
    match b {
        Block::Value { values, vector, .. } => {
            out.push(list(
                values.iter().map(|v| number_text(*v)).collect(),
                *vector,
            ));
        }
        Block::Simplified { exprs, vector } => {
            out.push(list(infix_all(st, exprs), *vector));
        }
        Block::Derivative { expr, program, .. } => out.push(match program {
            Some(p) => p.text(st, false),
            None => infix(st, *expr),
        }),
        Block::DerivativeAt { value, point } => {
            out.push(format!("= {} at {point}", number_text(*value)));
        }
        Block::Matrix { rows, .. } if rows.iter().all(Vec::is_empty) => {
            out.push("[]".to_string());
        }
        Block::Matrix { kind, rows } => {
            // one printer for all cells (shared text laid out once), a
            // row's strings at a time
            let mut p = infix_printer(st);
            if *kind == Kind::Grad {
                for (n, e) in s.names(&r.vars).iter().zip(&rows[0]) {
                    out.push(format!("df/d{n} = {}", p.expr(*e)));
                }
            } else {
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|e| p.expr(*e).to_string()).collect();
                    out.push(format!("[{}]", cells.join(", ")));
                }
            }
        }
        Block::Program { kind, program, .. } => {
            out.push(program_text(st, program, *kind, r.vars.len()));
        }
        Block::Mode(..) => {}
        Block::Values { kind, rows, point } => {
            out.push(format!("at {point}:"));
            if rows.iter().all(Vec::is_empty) {
                out.push("[]".to_string());
            } else if *kind == Kind::Grad {
                for (n, v) in s.names(&r.vars).iter().zip(&rows[0]) {
                    out.push(format!("df/d{n} = {}", number_text(*v)));
                }
            } else {
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|v| number_text(*v)).collect();
                    out.push(format!("[{}]", cells.join(", ")));
                }
            }
        }
        Block::Exact { shape, cells } => exact(out, st, *shape, cells.as_deref()),
        Block::Check(c) => check(out, c),
        Block::Taylor(p) => out.push(p.text.clone()),
        Block::Taylors(ps) => out.push(list(ps.iter().map(|p| p.text.clone()).collect(), true)),
        Block::Stats(x) => {
            for (k, v) in stats_rows(x) {
                out.push(format!("{k:<24} {v} ops"));
            }
            let ratio = x.gradient_cse as f64 / (x.f.max(1)) as f64;
            out.push(format!("{:<24} {ratio:.2}", "gradient --cse / f"));
        }
        Block::Trace(t) => out.extend(trace::text_table(st, t)),
    }
}

fn check(out: &mut Vec<String>, c: &Checked) {
    let modes_agree = c.modes <= Checked::MODES_TOL;
    let verdict = if modes_agree { "agree" } else { "DISAGREE" };
    let fd = number_text(c.finite_difference);
    let tail = if !modes_agree || c.agree() {
        format!(
            ", {fd} against central finite differences (tolerance {:e})",
            Checked::FD_TOL
        )
    } else {
        format!(
            "; central finite differences DISAGREE: {fd} (tolerance {:e})",
            Checked::FD_TOL
        )
    };
    out.push(format!(
        "check: symbolic, forward and reverse {verdict}: largest relative discrepancy {} between modes (tolerance {:e}){tail}",
        number_text(c.modes),
        Checked::MODES_TOL,
    ));
    if c.at_kink {
        out.push("check: the point is a kink, where finite differences are not comparable; only the modes are compared".into());
    }
}

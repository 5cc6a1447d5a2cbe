//! A report as LaTeX math, one equation per line (KaTeX-compatible).

use deriv::expr::{ExprId, Sym};
use deriv::print::{latex, latex_all, latex_matrix, latex_printer};
use deriv::{Session, numeric::float_text};

use super::format::{latex_var, point_tex, stats_rows, tex_number};
use super::trace;
use crate::cli::report::{Block, Kind, Report, Shape};

pub fn render(r: &Report, s: &mut Session) -> Vec<String> {
    let mut out = Vec::new();
    for b in &r.blocks {
        block(&mut out, b, s, r.vars.len());
    }
    out
}

fn column(cells: Vec<String>) -> String {
    latex_matrix(&cells.into_iter().map(|c| vec![c]).collect::<Vec<_>>())
}

fn block(out: &mut Vec<String>, b: &Block, s: &mut Session, cols: usize) {
    match b {
        Block::Value { values, vector, .. } => out.push(if *vector {
            column(values.iter().map(|v| tex_number(*v)).collect())
        } else {
            tex_number(values[0])
        }),
        Block::Simplified { exprs, vector } => {
            let cells = latex_all(s.store(), exprs);
            out.push(if *vector {
                column(cells)
            } else {
                cells.join(", ")
            });
        }
        Block::Derivative {
            wrt, order, expr, ..
        } => {
            let head = match order {
                Some(n) => {
                    let name = latex_var(s, wrt[0]);
                    format!("\\frac{{\\partial^{{{n}}} f}}{{\\partial {name}^{{{n}}}}}")
                }
                None => partial_tex(s, wrt),
            };
            out.push(format!("{head} = {}", latex(s.store(), *expr)));
        }
        Block::DerivativeAt { value, point } => out.push(format!(
            "\\text{{at }} {}: \\quad {}",
            point_tex(s, point),
            float_text(*value)
        )),
        Block::Matrix { kind, rows } => {
            let mut p = latex_printer(s.store());
            let tex: Vec<Vec<String>> = rows
                .iter()
                .map(|row| row.iter().map(|e| p.expr(*e).to_string()).collect())
                .collect();
            out.push(format!("{} = {}", kind.head(), latex_matrix(&tex)));
        }
        Block::Program { kind, program, .. } => out.push(format!(
            "\\begin{{aligned}}{}\\end{{aligned}}",
            program_tex(s, program, *kind, cols)
        )),
        Block::Mode(..) => {}
        Block::Values { kind, rows, point } => {
            let nums: Vec<Vec<String>> = rows
                .iter()
                .map(|row| row.iter().map(|v| tex_number(*v)).collect())
                .collect();
            out.push(format!(
                "{}\\left({}\\right) = {}",
                head(*kind),
                point_tex(s, point),
                latex_matrix(&nums)
            ));
        }
        Block::Exact { shape, cells } => out.push(exact(s, *shape, cells.as_deref())),
        Block::Check(c) => {
            out.push(format!(
                "\\text{{check: modes differ by at most }} {} \\text{{, finite differences by }} {}",
                float_text(c.modes),
                float_text(c.finite_difference)
            ));
            if c.at_kink {
                out.push("\\text{check: the point is a kink; only the modes are compared}".into());
            }
        }
        Block::Taylor(p) => out.push(taylor(s, p)),
        Block::Taylors(ps) => {
            let cells: Vec<String> = ps.iter().map(|p| s.polynomial_latex(p)).collect();
            let head = ps.first().map_or(String::new(), |p| {
                let tex = taylor(s, p);
                tex[..tex.find(" = ").unwrap_or(0)].to_string()
            });
            out.push(format!("{head} = {}", column(cells)));
        }
        Block::Stats(x) => {
            for (k, v) in stats_rows(x) {
                out.push(format!("\\text{{{k}}} & {v}"));
            }
        }
        Block::Trace(t) => out.push(trace::latex_align(s, t)),
    }
}

/// `--exact`: `\text{exact: } ...` in the shape of the values.
fn exact(s: &Session, shape: Shape, cells: Option<&[Vec<Option<ExprId>>]>) -> String {
    let Some(rows) = cells else {
        return "\\text{exact: none (the point or the expression has a float)}".into();
    };
    let tex: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|e| e.map_or_else(|| "\\text{none}".to_string(), |e| latex(s.store(), e)))
                .collect()
        })
        .collect();
    let body = match shape {
        Shape::Scalar => tex[0].join(", "),
        Shape::Vector => column(tex[0].clone()),
        Shape::Matrix => latex_matrix(&tex),
    };
    format!("\\text{{exact: }} {body}")
}

fn head(kind: Kind) -> &'static str {
    kind.head()
}

fn program_tex(s: &mut Session, p: &deriv::cse::Program, kind: Kind, cols: usize) -> String {
    let mut lines: Vec<String> = p
        .statements
        .iter()
        .map(|(n, e)| {
            let v = latex_var(s, *n);
            format!("{v} &= {}", latex(s.store(), *e))
        })
        .collect();
    let cells: Vec<String> = p.results.iter().map(|e| latex(s.store(), *e)).collect();
    let rs: Vec<Vec<String>> = if kind == Kind::Grad || cols == 0 {
        cells.into_iter().map(|c| vec![c]).collect()
    } else {
        cells.chunks(cols).map(<[String]>::to_vec).collect()
    };
    lines.push(format!("\\text{{result}} &= {}", latex_matrix(&rs)));
    lines.join(" \\\\ ")
}

/// `\frac{\partial^{2} f}{\partial y \partial x}` for differentiating by x, then y.
fn partial_tex(s: &mut Session, syms: &[Sym]) -> String {
    let mut groups: Vec<(Sym, usize)> = Vec::new();
    for &v in syms.iter().rev() {
        match groups.last_mut() {
            Some((g, k)) if *g == v => *k += 1,
            _ => groups.push((v, 1)),
        }
    }
    let den = groups
        .iter()
        .map(|(v, k)| {
            let name = latex_var(s, *v);
            if *k == 1 {
                format!("\\partial {name}")
            } else {
                format!("\\partial {name}^{{{k}}}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    match syms.len() {
        0 => "f".to_string(),
        1 => format!("\\frac{{\\partial f}}{{{den}}}"),
        n => format!("\\frac{{\\partial^{{{n}}} f}}{{{den}}}"),
    }
}

fn taylor(s: &mut Session, p: &deriv::Polynomial) -> String {
    let args = p
        .point
        .coords()
        .iter()
        .map(|c| latex_var(s, c.sym))
        .collect::<Vec<_>>()
        .join(", ");
    let tex = s.polynomial_latex(p);
    format!("T_{{{}}}\\left({args}\\right) = {tex}", p.order)
}

//! The trace's renderings: the notes' table (text), its data (JSON) and
//! an `align*` block (LaTeX).

use deriv::expr::{Store, Sym};
use deriv::print::{infix, latex};
use deriv::trace::{Operand, Sweeps, Tangent, Trace};
use deriv::{Session, TraceReport};
use serde_json::{Map, Value, json};

use super::format::{number_json, number_text, point_json};

/// The JSON fields of a trace.
pub fn json(m: &mut Map<String, Value>, r: &TraceReport, store: &Store, vars: &[Sym]) {
    let (t, sw) = (&r.trace, &r.sweeps);
    m.insert("at".into(), point_json(&r.point));
    m.insert("nodes".into(), nodes_json(store, t, sw));
    m.insert(
        "output".into(),
        json!(t.nodes.last().map_or("", |n| n.name.as_str())),
    );
    // one entry per variable of "vars"; one that cancels (`y` in
    // `x + y - y`) is not in the graph, and its derivative is 0
    let gradient = vars.iter().map(|v| {
        let k = t.inputs.iter().position(|x| x == v);
        number_json(k.map_or(0.0, |k| sw.gradient[k]))
    });
    m.insert("gradient".into(), Value::Array(gradient.collect()));
}

/// The text table.
pub fn text_table(store: &Store, r: &TraceReport) -> Vec<String> {
    table(store, &r.trace, &r.sweeps, &r.point.to_string())
}

/// The LaTeX block.
pub fn latex_align(s: &mut Session, r: &TraceReport) -> String {
    align(s.store_mut(), &r.trace, &r.sweeps)
}

fn nodes_json(store: &Store, t: &Trace, sw: &Sweeps) -> Value {
    // each node's tangents by the inputs it depends on (the others are 0,
    // left out: a node has as many entries as inputs below it, not one per
    // input of the whole graph)
    let mut by_node: Vec<Map<String, Value>> = vec![Map::new(); t.nodes.len()];
    for (x, sweep) in t.inputs.iter().zip(&sw.tangents) {
        for tan in sweep {
            by_node[tan.node].insert(store.name(*x).to_string(), number_json(tan.value));
        }
    }
    let mut by_node = by_node.into_iter();
    let nodes: Vec<Value> = t
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let partials: Vec<Value> = n
                .operands
                .iter()
                .zip(&n.partials)
                .zip(&sw.partials[i])
                .map(|((op, p), v)| json!({"wrt": t.operand_name(store, *op), "expr": infix(store, *p), "value": number_json(*v)}))
                .collect();
            let tangents = by_node.next().unwrap_or_default();
            json!({
                "name": n.name,
                "expr": infix(store, n.local),
                "inputs": n.operands.iter().map(|o| t.operand_name(store, *o)).collect::<Vec<_>>(),
                "value": number_json(sw.values[i]),
                "partials": partials,
                "adjoint": number_json(sw.adjoints[i]),
                "adjoint_expr": adjoint_formula(store, t, Operand::Node(i), "f"),
                "tangents": tangents,
            })
        })
        .collect();
    Value::Array(nodes)
}

/// `df/dc = df/dd*dd/dc + df/dg*dg/dc` (the notes' eqs. 43-46).
fn adjoint_formula(store: &Store, t: &Trace, op: Operand, out: &str) -> String {
    let me = t.operand_name(store, op);
    let users = t.users(op);
    if users.is_empty() {
        return "1".to_string();
    }
    users
        .iter()
        .map(|&(u, _)| {
            let un = &t.nodes[u].name;
            if u + 1 == t.nodes.len() {
                format!("d{un}/d{me}")
            } else {
                format!("d{out}/d{un}*d{un}/d{me}")
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// `dc/dx = dc/da*da/dx + dc/db*db/dx` (forward sweep, input `x`): a
/// term for each operand that depends on `x`.
fn tangent_formula(store: &Store, t: &Trace, tan: &Tangent, x: &str) -> String {
    let n = &t.nodes[tan.node];
    let terms: Vec<String> = tan
        .on
        .iter()
        .map(|&pos| {
            let op = n.operands[pos];
            let on = t.operand_name(store, op);
            match op {
                Operand::Input(_) => format!("d{}/d{on}", n.name),
                Operand::Node(_) => format!("d{}/d{on}*d{on}/d{x}", n.name),
            }
        })
        .collect();
    terms.join(" + ")
}

fn table(store: &Store, t: &Trace, sw: &Sweeps, point: &str) -> Vec<String> {
    let mut out = vec![format!("intermediate variables at {point}")];
    let rows: Vec<(String, f64)> = t
        .nodes
        .iter()
        .zip(&sw.values)
        .map(|(n, v)| (format!("{} = {}", n.name, infix(store, n.local)), *v))
        .collect();
    out.extend(aligned(rows));
    out.push("local partial derivatives".into());
    let mut rows = Vec::new();
    for (i, n) in t.nodes.iter().enumerate() {
        for ((op, p), v) in n.operands.iter().zip(&n.partials).zip(&sw.partials[i]) {
            rows.push((
                format!(
                    "d{}/d{} = {}",
                    n.name,
                    t.operand_name(store, *op),
                    infix(store, *p)
                ),
                *v,
            ));
        }
    }
    out.extend(aligned(rows));
    let f = t.nodes.last().map_or("f", |n| n.name.as_str());
    out.push(format!("reverse sweep (adjoints d{f}/dv)"));
    let mut rows = Vec::new();
    for i in (0..t.nodes.len()).rev() {
        let n = &t.nodes[i];
        rows.push((
            format!(
                "d{f}/d{} = {}",
                n.name,
                adjoint_formula(store, t, Operand::Node(i), f)
            ),
            sw.adjoints[i],
        ));
    }
    for (k, x) in t.inputs.iter().enumerate() {
        rows.push((
            format!(
                "d{f}/d{} = {}",
                store.name(*x),
                adjoint_formula(store, t, Operand::Input(*x), f)
            ),
            sw.gradient[k],
        ));
    }
    out.extend(aligned(rows));
    for (x, sweep) in t.inputs.iter().zip(&sw.tangents) {
        let x = store.name(*x);
        // an intermediate that does not depend on x has the tangent 0: it
        // is left out, so that a trace of many inputs is not inputs × nodes
        // lines long
        out.push(if sweep.len() == t.nodes.len() {
            format!("forward sweep (tangents dv/d{x})")
        } else {
            format!("forward sweep (tangents dv/d{x} of the v that depend on {x})")
        });
        let rows = sweep
            .iter()
            .map(|tan| {
                (
                    format!(
                        "d{}/d{x} = {}",
                        t.nodes[tan.node].name,
                        tangent_formula(store, t, tan, x)
                    ),
                    tan.value,
                )
            })
            .collect();
        out.extend(aligned(rows));
    }
    for (k, x) in t.inputs.iter().enumerate() {
        out.push(format!(
            "d{f}/d{} = {}",
            store.name(*x),
            number_text(sw.gradient[k])
        ));
    }
    out
}

/// Left sides up to this many characters are padded to one column.
const ALIGN_MAX: usize = 60;

/// `  left   = value` lines with the values in one column, after the
/// widest left side of at most [`ALIGN_MAX`] characters; a wider one (the
/// sum of a thousand terms) is followed by its value at once, so that the
/// table stays as long as its rows, not rows × the widest.
fn aligned(rows: Vec<(String, f64)>) -> Vec<String> {
    let width = |l: &str| l.chars().count();
    let w = rows
        .iter()
        .map(|(l, _)| width(l))
        .filter(|&n| n <= ALIGN_MAX)
        .max()
        .unwrap_or(0);
    rows.into_iter()
        .map(|(l, v)| {
            let pad = " ".repeat(w.saturating_sub(width(&l)));
            format!("  {l}{pad}  = {}", number_text(v))
        })
        .collect()
}

fn align(store: &mut Store, t: &Trace, sw: &Sweeps) -> String {
    let mut lines = Vec::new();
    let name = |store: &mut Store, op: Operand| -> String {
        let sym = match op {
            Operand::Input(s) => s,
            Operand::Node(k) => t.nodes[k].sym,
        };
        let v = store.var_sym(sym);
        latex(store, v)
    };
    let frac = |a: &str, b: &str| format!("\\frac{{\\partial {a}}}{{\\partial {b}}}");
    for (i, n) in t.nodes.iter().enumerate() {
        let me = name(store, Operand::Node(i));
        lines.push(format!(
            "{me} &= {} = {}",
            latex(store, n.local),
            number_text(sw.values[i])
        ));
    }
    for (i, n) in t.nodes.iter().enumerate() {
        let me = name(store, Operand::Node(i));
        for ((op, p), v) in n.operands.iter().zip(&n.partials).zip(&sw.partials[i]) {
            let on = name(store, *op);
            lines.push(format!(
                "{} &= {} = {}",
                frac(&me, &on),
                latex(store, *p),
                number_text(*v)
            ));
        }
    }
    // a trace without nodes (`0*t`, `x`) has no intermediate variable to
    // name: f itself
    let f = match t.nodes.len() {
        0 => "f".to_string(),
        n => name(store, Operand::Node(n - 1)),
    };
    let ops: Vec<Operand> = (0..t.nodes.len())
        .rev()
        .map(Operand::Node)
        .chain(t.inputs.iter().map(|s| Operand::Input(*s)))
        .collect();
    // the gradient's entries by input, in the order of `ops`
    let mut gradient = sw.gradient.iter();
    for op in ops {
        let me = name(store, op);
        let users = t.users(op);
        let rhs = if users.is_empty() {
            "1".to_string()
        } else {
            users
                .iter()
                .map(|&(u, _)| {
                    let un = name(store, Operand::Node(u));
                    if u + 1 == t.nodes.len() {
                        frac(&un, &me)
                    } else {
                        format!("{} {}", frac(&f, &un), frac(&un, &me))
                    }
                })
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let value = match op {
            Operand::Node(k) => sw.adjoints[k],
            Operand::Input(_) => gradient.next().copied().unwrap_or(0.0),
        };
        lines.push(format!(
            "{} &= {rhs} = {}",
            frac(&f, &me),
            number_text(value)
        ));
    }
    format!(
        "\\begin{{align*}}\n{}\n\\end{{align*}}",
        lines.join(" \\\\\n")
    )
}

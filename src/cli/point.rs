//! `--at` points and `--vars`/`--wrt` lists: from what the user typed to
//! validated values.

use crate::expr::{ExprId, Func, Store, Sym};
use crate::parse::{ParseOptions, parse_expr};

use super::run::CliError;

/// One `name=value` of a point.
#[derive(Debug, Clone)]
pub struct Coord {
    pub sym: Sym,
    pub name: String,
    pub value: ExprId,
    pub float: f64,
    /// The value was written with a float literal.
    pub inexact: bool,
    /// The value as written.
    pub text: String,
}

/// Parses `x=1,y=pi/4`. Values are closed expressions; they must be finite.
pub fn parse_point(
    store: &mut Store,
    text: &str,
    opts: &ParseOptions,
) -> Result<Vec<Coord>, CliError> {
    let mut out: Vec<Coord> = Vec::new();
    for (start, piece) in split_top(text) {
        let err = |msg: String, s: usize, e: usize| CliError::at_option("--at", text, msg, s, e);
        let Some(eq) = piece.find('=') else {
            let t = piece.trim();
            return Err(err(
                format!("expected `name=value` in the point, found `{t}`"),
                start,
                start + piece.len(),
            ));
        };
        let name = piece[..eq].trim();
        let lead = piece[..eq].len() - piece[..eq].trim_start().len();
        let nstart = start + lead;
        check_name(name).map_err(|m| err(m, nstart, nstart + name.len().max(1)))?;
        if out.iter().any(|c| c.name == name) {
            return Err(err(
                format!("`{name}` is given twice in the point"),
                nstart,
                nstart + name.len(),
            ));
        }
        let vtext = &piece[eq + 1..];
        let vstart = start + eq + 1;
        let value = parse_expr(store, vtext, opts).map_err(|e| {
            err(
                format!("bad value for `{name}`: {}", e.message()),
                vstart + e.span.start,
                vstart + e.span.end.max(e.span.start + 1),
            )
        })?;
        let free = store.free_vars(&[value]);
        if let Some(v) = free.first() {
            let v = store.name(*v).to_string();
            return Err(err(
                format!("the value of `{name}` must be a number, but `{v}` is a variable"),
                vstart,
                start + piece.len(),
            ));
        }
        let float = crate::eval::eval(store, value, &crate::eval::Env::new()).unwrap_or(f64::NAN);
        if !float.is_finite() {
            return Err(err(
                format!("the value of `{name}` must be finite, got {float}"),
                vstart,
                start + piece.len(),
            ));
        }
        let inexact = has_float(store, value);
        let sym = store.sym(name);
        let text = vtext.trim().to_string();
        out.push(Coord {
            sym,
            name: name.to_string(),
            value,
            float,
            inexact,
            text,
        });
    }
    Ok(out)
}

fn has_float(store: &Store, id: ExprId) -> bool {
    store
        .reachable(&[id])
        .iter()
        .any(|&n| store.as_num(n).is_some_and(|x| !x.is_exact()))
}

/// Checks that `name` can be a variable.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(format!("`{name}` is not a variable name"));
    }
    if is_reserved(name) {
        return Err(format!(
            "`{name}` is a function or constant, not a variable"
        ));
    }
    Ok(())
}

fn is_reserved(name: &str) -> bool {
    const EXTRA: &[&str] = &["pi", "e", "ln", "sqrt", "pow", "sec", "csc", "cot"];
    Func::from_name(name).is_some() || EXTRA.contains(&name)
}

/// Splits on commas outside parentheses, with each piece's byte offset.
fn split_top(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push((start, &text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start, &text[start..]));
    out
}

/// Parses a comma list of variable names (`--vars`, `--wrt`).
pub fn parse_names(option: &str, text: &str, allow_repeats: bool) -> Result<Vec<String>, CliError> {
    let mut out: Vec<String> = Vec::new();
    for (start, piece) in split_top(text) {
        let name = piece.trim();
        let lead = piece.len() - piece.trim_start().len();
        let s = start + lead;
        check_name(name)
            .map_err(|m| CliError::at_option(option, text, m, s, s + name.len().max(1)))?;
        if !allow_repeats && out.iter().any(|n| n == name) {
            return Err(CliError::at_option(
                option,
                text,
                format!("`{name}` is named twice"),
                s,
                s + name.len(),
            ));
        }
        out.push(name.to_string());
    }
    Ok(out)
}

/// The float value the point gives `v` (NaN when it gives none).
pub fn coord_value(coords: &[Coord], v: Sym) -> f64 {
    coords
        .iter()
        .find(|c| c.sym == v)
        .map_or(f64::NAN, |c| c.float)
}

//! Points (`x=1/2,y=pi/4`) and lists of variable names (`x,y`): from text
//! to validated values, the one form every stage takes a point in.
//!
//! A coordinate keeps its value twice: exactly, as an expression of the
//! store (`pi/4`), and as the nearest float. Exact evaluation, Taylor
//! expansion, the tape, the AD modes and finite differences all read the
//! same [`Point`].

use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::Error;
use crate::eval::Env;
use crate::expr::{ExprId, Func, Store, Sym};
use crate::parse::{ParseOptions, parse_scalar};

/// One `name=value` of a point.
#[derive(Debug, Clone, PartialEq)]
pub struct Coord {
    /// The variable.
    pub sym: Sym,
    /// Its name.
    pub name: String,
    /// The value as an expression of the store (exact unless written with
    /// a float literal).
    pub value: ExprId,
    /// The nearest float.
    pub float: f64,
    /// The value was written with a float literal (`0.5`, `1e-3`).
    pub inexact: bool,
    /// The value as parsed, printed in deriv's syntax (`x=1.` shows
    /// `1.0`, `x=2/4` shows `1/2`): what the echo of a point shows.
    pub text: String,
}

/// A point: a value for each of some variables, in the order written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Point {
    coords: Vec<Coord>,
    /// The position of each variable's coordinate in `coords`.
    index: FxHashMap<Sym, usize>,
}

impl Point {
    /// Parses `x=1,y=pi/4` into `store`. Values are constant expressions
    /// (no variables), defined and finite.
    ///
    /// # Errors
    /// [`Error::Point`] with the byte span in `text` of what is wrong: not
    /// `name=value`, a bad name, a name given twice, a value that does not
    /// parse, has a variable in it, or is not finite.
    ///
    /// ```
    /// use deriv::{Point, expr::Store};
    /// let mut store = Store::new();
    /// let p = Point::parse(&mut store, "x=1/2, y=pi", &Default::default())?;
    /// assert_eq!(p.coords()[1].name, "y");
    /// assert_eq!(p.coords()[0].float, 0.5);
    /// assert!(p.is_exact());
    /// # Ok::<(), deriv::Error>(())
    /// ```
    pub fn parse(store: &mut Store, text: &str, opts: &ParseOptions) -> Result<Point, Error> {
        let mut coords: Vec<Coord> = Vec::new();
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for (start, piece) in split_top(text) {
            coords.push(parse_coord(store, start, piece, opts, &mut seen)?);
        }
        let index = coords.iter().enumerate().map(|(i, c)| (c.sym, i)).collect();
        Ok(Point { coords, index })
    }

    /// The coordinates, in the order written.
    pub fn coords(&self) -> &[Coord] {
        &self.coords
    }

    /// True when no coordinate is given.
    pub fn is_empty(&self) -> bool {
        self.coords.is_empty()
    }

    /// The coordinate of `v`, if given.
    pub fn get(&self, v: Sym) -> Option<&Coord> {
        self.index.get(&v).map(|&i| &self.coords[i])
    }

    /// The float value of `v` (NaN when the point does not give it).
    pub fn float(&self, v: Sym) -> f64 {
        self.get(v).map_or(f64::NAN, |c| c.float)
    }

    /// True when every value is exact (no float literal).
    pub fn is_exact(&self) -> bool {
        self.coords.iter().all(|c| !c.inexact)
    }

    /// The float values as an evaluation environment.
    pub fn env(&self) -> Env {
        let mut env = Env::new();
        for c in &self.coords {
            env.set(c.sym, c.float);
        }
        env
    }

    /// The exact values, for substitution.
    pub fn exact_values(&self) -> Vec<(Sym, ExprId)> {
        self.coords.iter().map(|c| (c.sym, c.value)).collect()
    }
}

/// `x=1, y=pi/4`: the values as written.
impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.coords.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}={}", c.name, c.text)?;
        }
        Ok(())
    }
}

fn parse_coord<'a>(
    store: &mut Store,
    start: usize,
    piece: &'a str,
    opts: &ParseOptions,
    seen: &mut FxHashSet<&'a str>,
) -> Result<Coord, Error> {
    let err = |message: String, s: usize, e: usize| Error::Point {
        message,
        span: Some(s..e),
    };
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
    if !seen.insert(name) {
        return Err(err(
            format!("`{name}` is given twice in the point"),
            nstart,
            nstart + name.len(),
        ));
    }
    let vtext = &piece[eq + 1..];
    let vstart = start + eq + 1;
    let (value, underflows) = parse_scalar(store, vtext, opts).map_err(|e| {
        err(
            format!("bad value for `{name}`: {}", e.message()),
            vstart + e.span.start,
            vstart + e.span.end.max(e.span.start + 1),
        )
    })?;
    let named = store
        .free_vars(&[value])
        .first()
        .map(|v| store.name(*v).to_string());
    // `0y` folds to 0 and `0x10` to 0: the canonical form drops a variable
    // multiplied by 0, so the text is read for names as well.
    if let Some(v) = named.or_else(|| written_variable(vtext)) {
        return Err(err(
            format!("the value of `{name}` must be a number, but `{v}` is a variable"),
            vstart,
            start + piece.len(),
        ));
    }
    if let Some(u) = underflows.first() {
        let literal = &vtext[u.start..u.end];
        let read = if literal.parse::<f64>().unwrap_or(0.0) == 0.0 {
            "the float range: it would be read as 0"
        } else {
            "the normal float range: it would lose precision"
        };
        return Err(err(
            format!("`{literal}` is below {read}; write the value exactly, e.g. 10^-400"),
            vstart + u.start,
            vstart + u.end,
        ));
    }
    let float = crate::eval::eval(store, value, &Env::new()).unwrap_or(f64::NAN);
    if !float.is_finite() {
        return Err(err(
            format!("the value of `{name}` must be finite, got {float}"),
            vstart,
            start + piece.len(),
        ));
    }
    let inexact = store
        .reachable(&[value])
        .iter()
        .any(|&n| store.as_num(n).is_some_and(|x| !x.is_exact()));
    Ok(Coord {
        sym: store.sym(name),
        name: name.to_string(),
        value,
        float,
        inexact,
        text: crate::print::infix(store, value),
    })
}

/// The first name in `text` that is neither a function nor a constant
/// (a variable), skipping numbers with their exponents (`1e-3`).
fn written_variable(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || c == b'.' {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let sign = usize::from(i + 1 < b.len() && matches!(b[i + 1], b'+' | b'-'));
            if i < b.len()
                && matches!(b[i], b'e' | b'E')
                && b.get(i + 1 + sign).is_some_and(u8::is_ascii_digit)
            {
                i += 1 + sign;
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let name = &text[start..i];
            let call = text[i..].trim_start().starts_with('(');
            if !call && !is_reserved(name) {
                return Some(name.to_string());
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Checks that `name` can be a variable: an identifier that is not a
/// function or constant name.
///
/// # Errors
/// The message saying why not.
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

/// Parses a comma list of variable names (`x,y`); with `allow_repeats`
/// a name may come more than once (`x,y,x` for a mixed partial).
///
/// # Errors
/// [`Error::Names`] with the byte span in `text` of a bad or repeated name.
///
/// ```
/// let names = deriv::point::parse_names("x, y2", false)?;
/// assert_eq!(names, ["x", "y2"]);
/// assert!(deriv::point::parse_names("x,x", false).is_err());
/// # Ok::<(), deriv::Error>(())
/// ```
pub fn parse_names(text: &str, allow_repeats: bool) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    for (start, piece) in split_top(text) {
        let name = piece.trim();
        let s = start + piece.len() - piece.trim_start().len();
        check_name(name).map_err(|message| Error::Names {
            message,
            span: s..s + name.len().max(1),
        })?;
        if !seen.insert(name) && !allow_repeats {
            return Err(Error::Names {
                message: format!("`{name}` is named twice"),
                span: s..s + name.len(),
            });
        }
        out.push(name.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_exact_and_float() {
        let mut s = Store::new();
        let p = Point::parse(&mut s, "x=1/4,y=0.5", &ParseOptions::default()).unwrap();
        assert_eq!(p.float(s.find_sym("x").unwrap()), 0.25);
        assert!(!p.is_exact());
        assert_eq!(p.to_string(), "x=1/4, y=0.5");
    }

    #[test]
    fn errors_point_at_the_text() {
        let mut s = Store::new();
        let e = Point::parse(&mut s, "x=1,x=2", &ParseOptions::default()).unwrap_err();
        assert_eq!(
            e,
            Error::Point {
                message: "`x` is given twice in the point".into(),
                span: Some(4..5)
            }
        );
        let e = Point::parse(&mut s, "x=y", &ParseOptions::default()).unwrap_err();
        assert!(e.to_string().contains("`y` is a variable"));
        // a variable multiplied by 0 folds away, but is still a variable
        for (text, var) in [("x=0y", "`y`"), ("x=0x10", "`x10`"), ("x=0*inf", "`inf`")] {
            let e = Point::parse(&mut s, text, &ParseOptions::default()).unwrap_err();
            assert!(e.to_string().contains(var), "{text}: {e}");
        }
        for ok in ["x=1e-3", "x=2e+5*pi", "x=2e", "x=sqrt(2)", "x=1.5E3"] {
            assert!(
                Point::parse(&mut s, ok, &ParseOptions::default()).is_ok(),
                "{ok}"
            );
        }
        let e = Point::parse(&mut s, "x=0/0", &ParseOptions::default()).unwrap_err();
        assert!(e.to_string().contains("finite"), "{e}");
    }
}

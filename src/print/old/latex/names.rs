//! Variable names in LaTeX: subscripts, Greek letters, `\mathit` words.

/// Greek letter names that have a LaTeX macro of the same name.
#[rustfmt::skip]
const GREEK: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta",
    "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi",
    "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi",
    "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi",
    "Psi", "Omega",
];

/// The LaTeX form of a variable name: `x_1` and `x1` → `x_{1}`,
/// `theta` → `\theta`, `x_max` → `x_{\mathit{max}}`, `rate` → `\mathit{rate}`.
pub(super) fn variable(name: &str) -> String {
    if let Some((base, sub)) = name.split_once('_')
        && is_word(base)
        && !sub.is_empty()
        && sub.split('_').all(|part| !part.is_empty() && is_word(part))
    {
        return format!("{}_{{{}}}", word(base), variable(sub));
    }
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if !stem.is_empty() && stem.len() < name.len() && is_word(stem) {
        return format!("{}_{{{}}}", word(stem), &name[stem.len()..]);
    }
    if is_word(name) {
        return word(name);
    }
    format!("\\mathit{{{}}}", escape(name))
}

/// True for a non-empty run of ASCII letters and digits.
fn is_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// One word of a name: digits and single letters as they are, Greek letter
/// names as macros (`omicron` is a Latin `o`), other words in `\mathit`.
fn word(s: &str) -> String {
    if s.bytes().all(|b| b.is_ascii_digit()) || s.len() == 1 {
        s.to_string()
    } else if s == "omicron" {
        "o".to_string()
    } else if GREEK.contains(&s) {
        format!("\\{s}")
    } else {
        format!("\\mathit{{{s}}}")
    }
}

/// Escapes the characters LaTeX treats specially, in a name the parser would
/// not produce; non-ASCII characters go in `\text` (KaTeX's strict mode
/// rejects them in math mode).
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '_' | '#' | '$' | '%' | '&' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\backslash "),
            '^' => out.push_str("\\wedge "),
            '~' => out.push_str("\\sim "),
            c if c.is_whitespace() => out.push_str("\\ "),
            c if c.is_ascii() => out.push(c),
            c => {
                out.push_str("\\text{");
                out.push(c);
                out.push('}');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::variable;

    #[test]
    fn names() {
        assert_eq!(variable("x"), "x");
        assert_eq!(variable("X"), "X");
        assert_eq!(variable("x_1"), "x_{1}");
        assert_eq!(variable("x1"), "x_{1}");
        assert_eq!(variable("x10"), "x_{10}");
        assert_eq!(variable("x_10"), "x_{10}");
        assert_eq!(variable("x_i"), "x_{i}");
        assert_eq!(variable("x_max"), "x_{\\mathit{max}}");
        assert_eq!(variable("a_b_c"), "a_{b_{c}}");
        assert_eq!(variable("theta"), "\\theta");
        assert_eq!(variable("theta_2"), "\\theta_{2}");
        assert_eq!(variable("alpha2"), "\\alpha_{2}");
        assert_eq!(variable("Omega"), "\\Omega");
        assert_eq!(variable("omicron"), "o");
        assert_eq!(variable("rate"), "\\mathit{rate}");
        assert_eq!(variable("rate2"), "\\mathit{rate}_{2}");
        assert_eq!(variable("x1y"), "\\mathit{x1y}");
        assert_eq!(variable("Alpha"), "\\mathit{Alpha}");
    }

    #[test]
    fn odd_names_are_escaped() {
        assert_eq!(variable("_x"), "\\mathit{\\_x}");
        assert_eq!(variable("x_"), "\\mathit{x\\_}");
        assert_eq!(variable("x__1"), "\\mathit{x\\_\\_1}");
        assert_eq!(variable("a{b}"), "\\mathit{a\\{b\\}}");
        assert_eq!(variable("é"), "\\mathit{\\text{é}}");
    }
}

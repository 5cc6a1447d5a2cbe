//! The grammar corpora: every line of `grammar/valid/*.txt` parses (its
//! s-expression is snapshotted), every line of `grammar/invalid/*.txt` is
//! rejected (its rendered error is snapshotted).

use std::fmt::Write;

use deriv::expr::Store;
use deriv::parse::{Output, ParseOptions, parse_program};
use deriv::print::sexpr::sexpr;

/// Corpus lines: blank lines and lines starting with `//` are skipped;
/// `\n`, `\r`, `\t`, `\0` and `\x7f` in a line stand for those characters.
fn cases(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("//"))
        .map(|l| {
            l.replace("\\n", "\n")
                .replace("\\r", "\r")
                .replace("\\t", "\t")
                .replace("\\0", "\0")
                .replace("\\x7f", "\x7f")
        })
}

/// The s-expressions of a program: its statements, then its output.
fn show(src: &str) -> Result<String, String> {
    let mut store = Store::new();
    let program =
        parse_program(&mut store, src, &ParseOptions::default()).map_err(|e| e.render(src))?;
    let mut out = String::new();
    for st in &program.statements {
        let _ = writeln!(out, "  {} = {}", st.name, sexpr(&store, st.value));
    }
    match program.output {
        Output::Scalar(id) => {
            let _ = write!(out, "  {}", sexpr(&store, id));
        }
        Output::Vector(ids) => {
            let items: Vec<String> = ids.iter().map(|&id| sexpr(&store, id)).collect();
            let _ = write!(out, "  [{}]", items.join(", "));
        }
    }
    Ok(out)
}

#[test]
fn valid_inputs() {
    let _g = crate::settings().bind_to_scope();
    insta::glob!("../grammar/valid", "*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let mut report = String::new();
        for src in cases(&text) {
            match show(&src) {
                Ok(tree) => {
                    let _ = writeln!(report, "{src:?}\n{tree}\n");
                }
                Err(err) => panic!("{src:?} was rejected:\n{err}"),
            }
        }
        insta::assert_snapshot!(report);
    });
}

#[test]
fn invalid_inputs() {
    let _g = crate::settings().bind_to_scope();
    insta::glob!("../grammar/invalid", "*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let mut report = String::new();
        for src in cases(&text) {
            match show(&src) {
                Ok(tree) => panic!("{src:?} was accepted:\n{tree}"),
                Err(rendered) => {
                    let _ = writeln!(report, "{src:?}\n{rendered}");
                }
            }
        }
        insta::assert_snapshot!(report);
    });
}

//! The walk every notation shares: an explicit stack of tokens, so that
//! printing uses the same small amount of call stack at any depth.

use super::{Child, Layout, Shape, Style, Sub, Term};
use crate::expr::Number;

/// What a notation turns one [`Shape`] into: text and children, in order.
#[derive(Debug)]
pub enum Token<'a> {
    /// Literal text.
    Str(&'a str),
    /// Text made for this token (a name).
    Text(String),
    /// A non-negative number, as [`Notation::number`] writes it.
    Num(Number),
    /// A child, laid out and rendered in its place.
    Child(Child),
    /// The gap between two juxtaposed factors, whose text depends on the
    /// first character of what follows ([`Notation::gap`]).
    Gap,
}

/// A notation: the decisions of its [`Style`] and the text of each
/// [`Shape`].
pub trait Notation {
    /// The layout decisions of this notation.
    fn style(&self) -> &'static Style;

    /// The brackets around a child whose `group` flag is set.
    fn brackets(&self) -> (&'static str, &'static str);

    /// Appends the tokens of one shape to `out`, in reading order.
    fn expand<'a>(&self, layout: &Layout<'a>, shape: Shape, out: &mut Vec<Token<'a>>);

    /// Appends the text of a non-negative number.
    fn number(&self, n: &Number, out: &mut String);

    /// The text of a [`Token::Gap`] before text starting with `next`.
    fn gap(&self, next: char) -> &'static str {
        let _ = next;
        " "
    }
}

/// Renders `root` in `notation`: the layout is produced and printed one
/// level at a time from an explicit stack.
pub fn render<N: Notation>(notation: &N, layout: &Layout<'_>, root: Sub) -> String {
    let (open, close) = notation.brackets();
    let mut out = Output {
        text: String::new(),
        gap: false,
    };
    let mut stack = vec![Token::Child(Child::plain(root))];
    let mut tokens = Vec::new();
    let mut scratch = String::new();
    while let Some(token) = stack.pop() {
        match token {
            Token::Str(s) => out.push(notation, s),
            Token::Text(s) => out.push(notation, &s),
            Token::Num(n) => {
                scratch.clear();
                notation.number(&n, &mut scratch);
                out.push(notation, &scratch);
            }
            Token::Gap => out.gap = true,
            Token::Child(Child { sub, group: true }) => {
                stack.push(Token::Str(close));
                stack.push(Token::Child(Child::plain(sub)));
                stack.push(Token::Str(open));
            }
            Token::Child(Child { sub, group: false }) => {
                notation.expand(layout, layout.shape(sub), &mut tokens);
                stack.extend(tokens.drain(..).rev());
            }
        }
    }
    out.text
}

/// The text so far, and whether a gap waits for the next text.
struct Output {
    text: String,
    gap: bool,
}

impl Output {
    fn push<N: Notation>(&mut self, notation: &N, s: &str) {
        if self.gap
            && let Some(c) = s.chars().next()
        {
            self.text.push_str(notation.gap(c));
            self.gap = false;
        }
        self.text.push_str(s);
    }
}

/// The tokens of a sum's terms, the same in every linear notation:
/// `a + b - c`, a leading minus as `-a`.
pub fn push_sum<'a>(terms: Vec<Term>, out: &mut Vec<Token<'a>>) {
    for (i, t) in terms.into_iter().enumerate() {
        out.push(Token::Str(match (i, t.negative) {
            (0, true) => "-",
            (0, false) => "",
            (_, true) => " - ",
            (_, false) => " + ",
        }));
        out.push(Token::Child(t.child));
    }
}

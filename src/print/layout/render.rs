//! The walk every notation shares: an explicit stack of tokens, so that
//! printing uses the same small amount of call stack at any depth.

use super::{Child, Layout, Shape, Style, Sub, Term};
use rustc_hash::FxHashMap;

use crate::expr::{ExprId, Number};

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
    render_all(notation, layout, [root])
        .pop()
        .expect("one root gives one text")
}

/// Renders each of `roots` in `notation`, one text per root, in order.
///
/// The text of a node depends on nothing but the node (its parentheses are
/// its parent's), so a node met again, in the same root or in a later one,
/// is copied from where it was first written rather than laid out again:
/// the 50 entries of a gradient of `(x1 + 1)*...*(x50 + 50)` share their
/// factors' text.
pub fn render_all<N: Notation>(
    notation: &N,
    layout: &Layout<'_>,
    roots: impl IntoIterator<Item = Sub>,
) -> Vec<String> {
    let (open, close) = notation.brackets();
    let mut out = Output {
        text: Vec::new(),
        gap: false,
        spans: FxHashMap::default(),
    };
    let mut ends = Vec::new();
    let mut stack = Vec::new();
    let mut tokens = Vec::new();
    let mut scratch = String::new();
    for root in roots {
        stack.push(Item::Token(Token::Child(Child::plain(root))));
        while let Some(item) = stack.pop() {
            let token = match item {
                Item::Token(token) => token,
                Item::End(id, start) => {
                    out.close(id, start);
                    continue;
                }
            };
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
                    stack.push(Item::Token(Token::Str(close)));
                    stack.push(Item::Token(Token::Child(Child::plain(sub))));
                    stack.push(Item::Token(Token::Str(open)));
                }
                Token::Child(Child { sub, group: false }) => {
                    if let Sub::Expr(id) = sub {
                        if out.copy(notation, id) {
                            continue;
                        }
                        if !out.gap && !layout.store().node(id).children().is_empty() {
                            stack.push(Item::End(id, out.text.len()));
                        }
                    }
                    notation.expand(layout, layout.shape(sub), &mut tokens);
                    stack.extend(tokens.drain(..).rev().map(Item::Token));
                }
            }
        }
        ends.push(out.text.len());
        // A gap never outlasts its root: it separates two factors.
        out.gap = false;
    }
    let text = String::from_utf8(out.text).expect("notations write UTF-8");
    let mut start = 0;
    ends.into_iter()
        .map(|end| {
            let piece = text[start..end].to_string();
            start = end;
            piece
        })
        .collect()
}

/// An entry of the render stack: a token, or the end of a node's text
/// (its id and where its text starts).
enum Item<'a> {
    Token(Token<'a>),
    End(ExprId, usize),
}

/// The text so far, whether a gap waits for the next text, and where the
/// text of each node written so far is (start, end, first character).
struct Output {
    text: Vec<u8>,
    gap: bool,
    spans: FxHashMap<ExprId, (usize, usize, char)>,
}

impl Output {
    fn push<N: Notation>(&mut self, notation: &N, s: &str) {
        if let Some(c) = s.chars().next() {
            self.pending_gap(notation, c);
        }
        self.text.extend_from_slice(s.as_bytes());
    }

    fn pending_gap<N: Notation>(&mut self, notation: &N, next: char) {
        if self.gap {
            self.text.extend_from_slice(notation.gap(next).as_bytes());
            self.gap = false;
        }
    }

    /// Writes the text of `id` again if it was written before.
    fn copy<N: Notation>(&mut self, notation: &N, id: ExprId) -> bool {
        let Some(&(start, end, first)) = self.spans.get(&id) else {
            return false;
        };
        self.pending_gap(notation, first);
        self.text.extend_from_within(start..end);
        true
    }

    /// Records the text of `id`, written from `start` to here, unless it
    /// is empty or ends waiting for a gap.
    fn close(&mut self, id: ExprId, start: usize) {
        if self.gap || start == self.text.len() {
            return;
        }
        let first = std::str::from_utf8(&self.text[start..(start + 4).min(self.text.len())])
            .or_else(|e| std::str::from_utf8(&self.text[start..start + e.valid_up_to()]))
            .ok()
            .and_then(|s| s.chars().next());
        if let Some(first) = first {
            self.spans.insert(id, (start, self.text.len(), first));
        }
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

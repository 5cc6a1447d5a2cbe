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
    let mut state = State::default();
    let range = state.render(notation, layout, root);
    state.text(range).to_string()
}

/// Prints expressions one after another in one notation.
///
/// The text of a node depends on nothing but the node (its parentheses are
/// its parent's), so a node met again, in the same expression or in a later
/// one, is copied from where it was first written rather than laid out
/// again: the 50 entries of a gradient of `(x1 + 1)*...*(x50 + 50)` share
/// their factors' text. The printer keeps all it has printed; a caller
/// with many results (the cells of a large matrix) takes each text as it
/// comes rather than a string per result.
pub struct Printer<'a, N: Notation> {
    notation: N,
    layout: Layout<'a>,
    state: State<'a>,
}

impl<'a, N: Notation> Printer<'a, N> {
    /// A printer of `notation` over `layout`.
    pub fn new(notation: N, layout: Layout<'a>) -> Printer<'a, N> {
        Printer {
            notation,
            layout,
            state: State::default(),
        }
    }

    /// The text of `root`.
    pub fn print(&mut self, root: Sub) -> &str {
        let range = self.state.render(&self.notation, &self.layout, root);
        self.state.text(range)
    }

    /// The text of the expression `id`.
    pub fn expr(&mut self, id: ExprId) -> &str {
        self.print(Sub::Expr(id))
    }
}

/// What a renderer keeps between roots: the text written so far (each
/// node's span in it), and its stacks, reused.
#[derive(Default)]
struct State<'a> {
    out: Output,
    stack: Vec<Item<'a>>,
    tokens: Vec<Token<'a>>,
    scratch: String,
}

impl<'a> State<'a> {
    /// Writes the text of `root` after what is written, and returns where.
    fn render<N: Notation>(
        &mut self,
        notation: &N,
        layout: &Layout<'a>,
        root: Sub,
    ) -> std::ops::Range<usize> {
        let (open, close) = notation.brackets();
        let State {
            out,
            stack,
            tokens,
            scratch,
        } = self;
        let start = out.text.len();
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
                    notation.number(&n, scratch);
                    out.push(notation, scratch);
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
                    notation.expand(layout, layout.shape(sub), tokens);
                    stack.extend(tokens.drain(..).rev().map(Item::Token));
                }
            }
        }
        // a gap never outlasts its root: it separates two factors
        out.gap = false;
        start..out.text.len()
    }

    /// The text written at `range`.
    fn text(&self, range: std::ops::Range<usize>) -> &str {
        std::str::from_utf8(&self.out.text[range]).expect("notations write UTF-8")
    }
}

/// An entry of the render stack: a token, or the end of a node's text
/// (its id and where its text starts).
enum Item<'a> {
    Token(Token<'a>),
    End(ExprId, usize),
}

/// The text so far, whether a gap waits for the next text, and where the
/// text of each node written so far is (start, end, first character).
#[derive(Default)]
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

/// Children separated by `sep`.
pub fn join<'a>(children: Vec<Child>, sep: &'a str, out: &mut Vec<Token<'a>>) {
    for (i, c) in children.into_iter().enumerate() {
        if i > 0 {
            out.push(Token::Str(sep));
        }
        out.push(Token::Child(c));
    }
}

/// The tokens of a product in the linear notations (infix and code):
/// `a*b/(c*d)/q`, `one` (`1`, or `1.0` where the language needs a float)
/// for an empty numerator.
pub fn push_product<'a>(
    (num, den, den_group, divisor): (Vec<Child>, Vec<Child>, bool, Option<Child>),
    one: &'a str,
    out: &mut Vec<Token<'a>>,
) {
    if num.is_empty() {
        out.push(Token::Str(one));
    }
    join(num, "*", out);
    if !den.is_empty() {
        out.push(Token::Str(if den_group { "/(" } else { "/" }));
        join(den, "*", out);
        if den_group {
            out.push(Token::Str(")"));
        }
    }
    if let Some(q) = divisor {
        out.extend([Token::Str("/"), Token::Child(q)]);
    }
}

//! Constant singularities as the user wrote them: `tan(pi/2)` folds to
//! `0^(-1)`, and a warning should name `tan(pi/2)`.

use super::{ExprId, Store};

/// Longest source text kept for a singularity; a longer one is named by
/// its canonical form.
const MAX_TEXT: usize = 80;
/// Most cancelled parts recorded.
const MAX_DROPPED: usize = 64;
/// Most nodes visited for one note.
const MAX_VISITS: usize = 64;

impl Store {
    /// Notes that `id`, built from the source text `text` with operands
    /// `args`, introduced a constant singularity (`tan(pi/2)`, `log(x, 1)`,
    /// `1/0`): the singular constants it folded to (`id` itself, and the
    /// singular constants inside it, such as `0^(-1)` in `log(x)*0^(-1)`)
    /// are then [`Store::written`] as `text`. Nothing is noted when an operand was
    /// singular already, and the first text noted for a node stays.
    pub fn note_written(&mut self, id: ExprId, args: &[ExprId], text: &str) {
        let text = text.trim();
        if !self.is_singular(id) || args.iter().any(|&a| self.is_singular(a)) {
            return;
        }
        if text.is_empty() || text.len() > MAX_TEXT {
            return;
        }
        // the singular constants along the singular paths from `id`
        // (singularity is inherited upward), a bounded number of them
        let mut stack = vec![id];
        let mut seen = 0;
        while let Some(node) = stack.pop() {
            seen += 1;
            if seen > MAX_VISITS || args.contains(&node) || !self.is_singular(node) {
                continue;
            }
            if self.is_closed(node) && !self.written.contains_key(&node) {
                self.written.insert(node, (text.into(), node == id));
            }
            stack.extend(self.node(node).children().iter().copied());
        }
    }

    /// The source text a singular constant was written as (see
    /// [`Store::note_written`]), and whether it is the whole of that text
    /// (`tan(pi/2)`) or a part (the `0^(-1)` of `log(x, 1)`).
    ///
    /// ```
    /// # use deriv::{expr::Store, parse::{parse_expr, ParseOptions}};
    /// let mut store = Store::new();
    /// let id = parse_expr(&mut store, "tan(pi/2)", &ParseOptions::default())?;
    /// assert_eq!(store.written(id), Some(("tan(pi/2)", true)));
    /// # Ok::<(), deriv::parse::ParseError>(())
    /// ```
    pub fn written(&self, id: ExprId) -> Option<(&str, bool)> {
        self.written.get(&id).map(|(t, whole)| (&**t, *whole))
    }

    /// Starts (or stops) recording the parts (other than numbers) that
    /// cancel out of sums and products (`0*log(x)`, `log(x) - log(x)`): the
    /// parser records while it runs, so that evaluation can warn where a
    /// part that is gone from the canonical form is undefined.
    pub fn record_dropped(&mut self, on: bool) {
        self.recording = on;
    }

    /// Notes `parts` as cancelled out, if recording.
    pub(crate) fn note_dropped(&mut self, parts: &[ExprId]) {
        if !self.recording {
            return;
        }
        for &p in parts {
            // a closed part too: `log(e - 61/14)` has no value anywhere,
            // though the constructors cannot see it (it is not singular)
            let number = matches!(self.node(p), super::Node::Num(_));
            let new = !number && !self.dropped.contains(&p);
            if new && self.dropped.len() < MAX_DROPPED {
                self.dropped.push(p);
            }
        }
    }

    /// The parts recorded as cancelled out, in order.
    pub fn dropped(&self) -> &[ExprId] {
        &self.dropped
    }
}

//! The computational graph of an expression, as the lecture notes teach it:
//! intermediate variables in evaluation order (each shared subexpression
//! once), their local partial derivatives, and the forward (tangent) and
//! reverse (adjoint) sweeps of automatic differentiation at a point.
//!
//! Cost: building the trace and its reverse sweep are linear in the graph
//! (names and operands are kept in hash sets, users indexed once, all local
//! partials evaluated by one tape). The forward sweep of an input visits
//! only the intermediates that depend on it, from the input through their
//! users, and keeps their tangents alone (every other tangent is 0): the
//! sweeps cost the sum of the inputs' cones, linear in the graph where
//! each intermediate depends on a bounded number of inputs (a sum of local
//! terms, such as the Rosenbrock function), and never inputs × nodes
//! numbers for a graph where most tangents are 0.

use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use crate::diff::{DiffError, Differentiator};
use crate::eval::{Env, eval_many};
use crate::expr::{ById, ExprId, Func, Node, Store, Sym};

/// What an intermediate variable reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// An input variable.
    Input(Sym),
    /// An earlier intermediate, by index into [`Trace::nodes`].
    Node(usize),
}

/// One intermediate variable `name = local`.
#[derive(Clone, Debug)]
pub struct TraceNode {
    /// Its name: the program's, or `a`, `b`, `c`, ... (`f` for the output).
    pub name: String,
    /// Its name as a variable of the store.
    pub sym: Sym,
    /// The subexpression of the original expression it computes.
    pub id: ExprId,
    /// The operation in terms of its operands' names (`a + b`, `sqrt(c)`).
    pub local: ExprId,
    /// The operands, in order of first appearance.
    pub operands: SmallVec<[Operand; 2]>,
    /// `∂local/∂operand` for each operand, in terms of names.
    pub partials: SmallVec<[ExprId; 2]>,
}

/// The straight-line program of an expression.
#[derive(Clone, Debug)]
pub struct Trace {
    /// Input variables, in natural order.
    pub inputs: Vec<Sym>,
    /// Intermediates in evaluation order; the last is the output.
    pub nodes: Vec<TraceNode>,
    /// The users of each operand (see [`Trace::users`]), built once.
    users: Users,
}

/// The users of every operand, `(user node, operand position)` in the
/// users' order, side by side in one list: those of operand slot `k` (a
/// node's index, or the number of nodes plus an input's) are
/// `flat[at[k]..at[k + 1]]`. A sweep reads them by index, near in memory
/// as the nodes are, rather than through a hash map of small lists.
#[derive(Clone, Debug, Default)]
struct Users {
    at: Vec<usize>,
    flat: Vec<(usize, usize)>,
    /// Each input's position in [`Trace::inputs`].
    input: InputSlots,
}

/// Each input's position in [`Trace::inputs`], in a table by the index of
/// its name (inputs are named first, by the parser: the table is about as
/// long as the inputs are many). The sweeps look an input up for each
/// edge out of it; in a hash map by name (W3 at N=10000: 10,000 inputs)
/// most lookups missed the caches.
#[derive(Clone, Debug, Default)]
struct InputSlots {
    slot: Vec<u32>,
}

impl InputSlots {
    fn new(inputs: &[Sym]) -> InputSlots {
        let len = inputs.iter().map(|s| s.index() + 1).max().unwrap_or(0);
        let mut slot = vec![u32::MAX; len];
        for (k, s) in inputs.iter().enumerate() {
            slot[s.index()] = k as u32;
        }
        InputSlots { slot }
    }

    fn get(&self, s: Sym) -> Option<usize> {
        match self.slot.get(s.index()) {
            Some(&k) if k != u32::MAX => Some(k as usize),
            _ => None,
        }
    }
}

impl Users {
    fn new(nodes: &[TraceNode], inputs: &[Sym]) -> Users {
        let input = InputSlots::new(inputs);
        let mut users = Users {
            at: vec![0; nodes.len() + inputs.len() + 1],
            flat: Vec::new(),
            input,
        };
        // counted, then placed: each slot's users in node order
        for n in nodes {
            for op in &n.operands {
                if let Some(k) = users.slot(*op, nodes.len()) {
                    users.at[k + 1] += 1;
                }
            }
        }
        for k in 1..users.at.len() {
            users.at[k] += users.at[k - 1];
        }
        let mut next = users.at.clone();
        users.flat = vec![(0, 0); users.at.last().copied().unwrap_or(0)];
        for (i, n) in nodes.iter().enumerate() {
            for (pos, op) in n.operands.iter().enumerate() {
                if let Some(k) = users.slot(*op, nodes.len()) {
                    users.flat[next[k]] = (i, pos);
                    next[k] += 1;
                }
            }
        }
        users
    }

    /// The slot of an operand (`None` for a variable that is not an input:
    /// none is).
    fn slot(&self, op: Operand, nodes: usize) -> Option<usize> {
        match op {
            Operand::Node(k) => Some(k),
            Operand::Input(s) => self.input.get(s).map(|k| nodes + k),
        }
    }

    fn of(&self, op: Operand, nodes: usize) -> &[(usize, usize)] {
        self.slot(op, nodes)
            .map_or(&[], |k| &self.flat[self.at[k]..self.at[k + 1]])
    }
}

/// Values of a trace at a point.
#[derive(Clone, Debug)]
pub struct Sweeps {
    /// Value of each intermediate.
    pub values: Vec<f64>,
    /// Value of each local partial, per node and operand.
    pub partials: Vec<SmallVec<[f64; 2]>>,
    /// Adjoint `∂f/∂v` of each intermediate (reverse sweep).
    pub adjoints: Vec<f64>,
    /// `∂f/∂x` for each input (the reverse sweep's result).
    pub gradient: Vec<f64>,
    /// The forward sweep of each input `x`: the tangents `dv/dx` of the
    /// intermediates `v` that depend on `x`, in evaluation order (the
    /// others are 0). See [`Sweeps::tangent`].
    pub tangents: Vec<Vec<Tangent>>,
}

/// The tangent `dv/dx` of an intermediate that depends on input `x`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tangent {
    /// The intermediate, by index into [`Trace::nodes`].
    pub node: usize,
    /// `dv/dx` at the point.
    pub value: f64,
    /// The positions, in the intermediate's operands, of those that
    /// depend on `x` (or are `x`), ascending: the terms of its chain rule
    /// `dv/dx = Σ dv/du * du/dx` that are not 0.
    pub on: Vec<usize>,
}

impl Sweeps {
    /// `dv/dx` of intermediate `node` by input number `input` (0 where the
    /// intermediate does not depend on the input).
    pub fn tangent(&self, input: usize, node: usize) -> f64 {
        let sweep = &self.tangents[input];
        sweep
            .binary_search_by_key(&node, |t| t.node)
            .map_or(0.0, |k| sweep[k].value)
    }
}

/// Builds the trace of `root`. `names` are the program's own names for
/// subexpressions; they are kept.
///
/// # Errors
/// [`DiffError::TooLarge`] when the local partials outgrow the store bound.
pub fn trace(
    store: &mut Store,
    root: ExprId,
    names: &[(String, ExprId)],
) -> Result<Trace, DiffError> {
    let inputs = store.free_vars(&[root]);
    let mut order = store.dependent_ops(&[root]);
    // a bare variable: one node, `f = x`, so that the sweeps give df/dx = 1
    let bare = matches!(store.node(root), Node::Var(_));
    if bare {
        order.push(root);
    }
    let given: FxHashMap<ExprId, &str> = names
        .iter()
        .rev()
        .map(|(n, id)| (*id, n.as_str()))
        .collect();
    // the names an automatic one must not be: the inputs' and the
    // program's own (automatic names never clash with one another)
    let mut taken: FxHashSet<String> = inputs.iter().map(|s| store.name(*s).to_string()).collect();
    taken.extend(names.iter().map(|(n, _)| n.clone()));
    let mut auto = AutoNames::default();
    // each node's place in the trace, in a table by node id: the lookups
    // of a node's operands read entries near its own
    let mut index = ById::for_order(&order, usize::MAX);
    // one node per entry of `order`: room for them all at once (grown by
    // doubling, a trace of W3 at N=10000, 5 MB of nodes, was copied and
    // its fresh pages faulted in at each size on the way)
    let mut nodes: Vec<TraceNode> = Vec::with_capacity(order.len());
    let mut d = Differentiator::default();
    for &id in &order {
        let name = match given.get(&id) {
            Some(n) => n.to_string(),
            None if id == root && !taken.contains("f") => "f".to_string(),
            None => auto.next(&taken),
        };
        let sym = store.sym(&name);
        let (local, operands) = match store.node(id) {
            Node::Var(s) if bare => (id, smallvec::smallvec![Operand::Input(*s)]),
            _ => local_op(store, id, &index, &nodes),
        };
        let mut partials = SmallVec::with_capacity(operands.len());
        // a local operation reads its operands by name: it shares no
        // derivative with the others', and the memo is let go now and
        // then, so that it stays a table the caches hold
        if nodes.len() % 256 == 255 {
            d.forget();
        }
        for op in &operands {
            let s = match op {
                Operand::Input(s) => *s,
                Operand::Node(k) => nodes[*k].sym,
            };
            partials.push(d.diff(store, local, s)?);
        }
        index.insert(id, nodes.len());
        nodes.push(TraceNode {
            name,
            sym,
            id,
            local,
            operands,
            partials,
        });
    }
    let users = Users::new(&nodes, &inputs);
    Ok(Trace {
        inputs,
        nodes,
        users,
    })
}

/// The node `id` rebuilt over its operands' names, and the operands.
fn local_op(
    store: &mut Store,
    id: ExprId,
    index: &ById<usize>,
    nodes: &[TraceNode],
) -> (ExprId, SmallVec<[Operand; 2]>) {
    let children: SmallVec<[ExprId; 4]> = SmallVec::from_slice(store.operands(id));
    let mut operands: SmallVec<[Operand; 2]> = SmallVec::new();
    // a few operands (nearly every node) are told apart by a scan, more
    // by a set
    let mut seen: FxHashSet<Operand> = FxHashSet::default();
    let many = children.len() > 8;
    let mut push_unique = |o: Operand| {
        let new = if many {
            seen.insert(o)
        } else {
            !operands.contains(&o)
        };
        if new {
            operands.push(o);
        }
    };
    let children: SmallVec<[ExprId; 4]> = children
        .iter()
        .map(|&c| {
            match (
                Some(index.get(c)).filter(|&k| k != usize::MAX),
                store.node(c),
            ) {
                (Some(k), _) => {
                    push_unique(Operand::Node(k));
                    store.var_sym(nodes[k].sym)
                }
                (None, Node::Var(s)) => {
                    push_unique(Operand::Input(*s));
                    c
                }
                _ => c,
            }
        })
        .collect();
    let local = store.rebuild(id, &children);
    (local, operands)
}

/// `a, b, c, d, g, h, ...`: skips `e` (Euler's number), `f` (the output) and
/// taken names; after `z`, `v27, v28, ...`.
#[derive(Default)]
struct AutoNames {
    next: usize,
}

impl AutoNames {
    fn next(&mut self, taken: &FxHashSet<String>) -> String {
        loop {
            let i = self.next;
            self.next += 1;
            let name = if i < 26 {
                ((b'a' + i as u8) as char).to_string()
            } else {
                format!("v{}", i + 1)
            };
            let reserved = name == "e" || name == "f" || Func::from_name(&name).is_some();
            if !reserved && !taken.contains(&name) {
                return name;
            }
        }
    }
}

impl Trace {
    /// The sweeps at a point (`env` gives every input).
    ///
    /// # Errors
    /// [`crate::eval::EvalError`] when an input has no value.
    pub fn sweeps(&self, store: &Store, env: &Env) -> Result<Sweeps, crate::eval::EvalError> {
        let ids: Vec<ExprId> = self.nodes.iter().map(|n| n.id).collect();
        let values = eval_many(store, &ids, env)?;
        let mut local_env = env.clone();
        for (n, v) in self.nodes.iter().zip(&values) {
            local_env.set(n.sym, *v);
        }
        // every local partial in one tape: one pass over the graph
        let all: Vec<ExprId> = self
            .nodes
            .iter()
            .flat_map(|n| n.partials.iter().copied())
            .collect();
        let mut flat = eval_many(store, &all, &local_env)?.into_iter();
        let partials: Vec<SmallVec<[f64; 2]>> = self
            .nodes
            .iter()
            .map(|n| flat.by_ref().take(n.partials.len()).collect())
            .collect();
        let (adjoints, gradient) = self.reverse(&partials);
        let mut reached = vec![false; self.nodes.len()];
        let tangents = (0..self.inputs.len())
            .map(|k| self.forward(&partials, k, &mut reached))
            .collect();
        Ok(Sweeps {
            values,
            partials,
            adjoints,
            gradient,
            tangents,
        })
    }

    fn reverse(&self, partials: &[SmallVec<[f64; 2]>]) -> (Vec<f64>, Vec<f64>) {
        let n = self.nodes.len();
        let mut adj = vec![0.0; n];
        let mut grad = vec![0.0; self.inputs.len()];
        let slot = &self.users.input;
        if n == 0 {
            return (adj, grad);
        }
        adj[n - 1] = 1.0;
        for i in (0..n).rev() {
            for (op, p) in self.nodes[i].operands.iter().zip(&partials[i]) {
                let contribution = adj[i] * p;
                match op {
                    Operand::Node(k) => adj[*k] += contribution,
                    Operand::Input(s) => {
                        if let Some(j) = slot.get(*s) {
                            grad[j] += contribution;
                        }
                    }
                }
            }
        }
        (adj, grad)
    }

    /// The forward sweep of input number `input`: the intermediates that
    /// depend on it, found from the input through their users (each user
    /// after its operands, as it is in evaluation order), and for each the
    /// sum over its operands that depend on the input, in their order.
    ///
    /// `reached` is a mark per node, all clear, and left clear: one table
    /// for every input's sweep, where a hash set made for each (W3 at
    /// N=10000: 10,000 of them) read a cold slot per node reached.
    fn forward(
        &self,
        partials: &[SmallVec<[f64; 2]>],
        input: usize,
        reached: &mut [bool],
    ) -> Vec<Tangent> {
        // (user, operand position) of every edge out of the input and out
        // of the intermediates that depend on it
        let mut edges: Vec<(usize, usize)> = Vec::new();
        let mut found = 0usize;
        let mut stack: Vec<Operand> = vec![Operand::Input(self.inputs[input])];
        while let Some(op) = stack.pop() {
            for &(u, pos) in self.users(op) {
                edges.push((u, pos));
                if !reached[u] {
                    reached[u] = true;
                    found += 1;
                    stack.push(Operand::Node(u));
                }
            }
        }
        edges.sort_unstable();
        for &(u, _) in &edges {
            reached[u] = false;
        }
        let mut out: Vec<Tangent> = Vec::with_capacity(found);
        let mut at = 0;
        while at < edges.len() {
            let u = edges[at].0;
            let end = at + edges[at..].iter().take_while(|e| e.0 == u).count();
            let on: Vec<usize> = edges[at..end].iter().map(|e| e.1).collect();
            let value = on
                .iter()
                .map(|&pos| {
                    partials[u][pos]
                        * match self.nodes[u].operands[pos] {
                            // an operand that depends on the input is before
                            // its user, in `out` already
                            Operand::Node(k) => out
                                .binary_search_by_key(&k, |t| t.node)
                                .map_or(0.0, |j| out[j].value),
                            Operand::Input(_) => 1.0,
                        }
                })
                .sum();
            out.push(Tangent { node: u, value, on });
            at = end;
        }
        out
    }

    /// The name of an operand.
    pub fn operand_name<'a>(&'a self, store: &'a Store, op: Operand) -> &'a str {
        match op {
            Operand::Input(s) => store.name(s),
            Operand::Node(k) => &self.nodes[k].name,
        }
    }

    /// The users of a node or input: `(user node, operand position)`, in
    /// the users' order.
    pub fn users(&self, op: Operand) -> &[(usize, usize)] {
        self.users.of(op, self.nodes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Output, ParseOptions, parse_program};
    use crate::print::infix;

    #[test]
    fn the_lecture_notes_graph() {
        let mut s = Store::new();
        let src = "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))";
        let Output::Scalar(f) = parse_program(&mut s, src, &ParseOptions::default())
            .expect("parses")
            .output
        else {
            panic!("scalar")
        };
        let t = trace(&mut s, f, &[]).expect("trace");
        let lines: Vec<String> = t
            .nodes
            .iter()
            .map(|n| format!("{} = {}", n.name, infix(&s, n.local)))
            .collect();
        // eqs. (31)-(36): a = x^2, b = exp(a), c = a + b, d = sqrt(c), cos(c), f = d + cos
        assert_eq!(
            lines,
            [
                "a = x^2",
                "b = exp(a)",
                "c = a + b",
                "d = sqrt(c)",
                "g = cos(c)",
                "f = d + g"
            ]
        );
        let x = s.find_sym("x").expect("x");
        let mut env = Env::new();
        env.set(x, 0.5);
        let sw = t.sweeps(&s, &env).expect("sweeps");
        // the lecture example at x = 0.5 (SymPy): df/dx = -1.3604310785982792
        assert!((sw.gradient[0] + 1.3604310785982792).abs() < 1e-14);
        assert!((sw.tangent(0, 5) + 1.3604310785982792).abs() < 1e-14);
    }
}

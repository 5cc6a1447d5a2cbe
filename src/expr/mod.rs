//! Expressions: the hash-consed expression graph every stage works on.
//!
//! One [`Store`] owns every node; [`ExprId`] and [`Sym`] are `Copy` handles.
//! Invariants (enforced by the constructors in `build.rs`, the only place
//! that creates nodes):
//!
//! 1. a child's id is smaller than its parent's, so the store is
//!    topologically ordered and bulk traversals are loops over ids;
//! 2. each canonical node exists once, so structural equality is `==` on ids;
//! 3. sums and products are n-ary, flattened, sorted in canonical order
//!    ([`order`]), hold at most one number (first), no `0` term, no `1` factor;
//! 4. only rewrites valid on the whole real domain are applied;
//! 5. an undefined form (`0/0`, `inf - inf`, `0*(1/0)`) is never folded
//!    away: it is the undefined constant, a number node holding NaN, which
//!    absorbs everything it is combined with and prints as `0/0`
//!    ([`domain`] says when a constructor makes it).
//!
//! This module depends on no other module of the crate.

mod apply;
mod build;
mod calls;
mod coeff;
pub mod domain;
pub(crate) mod elementary;
mod index;
mod names;
mod number;
mod ops;
pub mod order;
mod power;
mod product;
pub(crate) mod rational;
pub mod split;
pub use walk::Walk;
pub(crate) use walk::{ById, IdMap, dense_span, with_walk};
mod seen;
mod walk;
pub(crate) use seen::FirstSeen;
mod whole;
mod written;

pub use calls::Rewrite;
pub use number::{MAX_EXACT_BITS, Number, format_float, rational_to_f64};

use rustc_hash::FxHashMap;
use std::fmt;

/// Handle of a node in a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExprId(pub(crate) u32);

impl ExprId {
    /// No node: a placeholder in tables indexed by something else.
    pub(crate) const NONE: ExprId = ExprId(u32::MAX);

    /// The index of the node in the store.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Handle of an interned variable name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub(crate) u32);

impl Sym {
    /// The index of the name in the store's interner (dense from 0).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A mathematical constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constant {
    /// π
    Pi,
    /// Euler's number e
    E,
}

impl Constant {
    /// The constant's value.
    pub fn value(self) -> f64 {
        match self {
            Constant::Pi => std::f64::consts::PI,
            Constant::E => std::f64::consts::E,
        }
    }

    /// The name in deriv's syntax.
    pub fn name(self) -> &'static str {
        match self {
            Constant::Pi => "pi",
            Constant::E => "e",
        }
    }
}

macro_rules! funcs {
    ($($variant:ident $name:literal $arity:expr,)*) => {
        /// A function kept as a node. (`sqrt`, `pow`, `log(x, b)` and the
        /// names of [`Rewrite`] are rewritten by the constructors into powers
        /// and these.)
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Func { $(#[doc = $name] $variant,)* }

        impl Func {
            /// Every function, in declaration order.
            pub const ALL: &'static [Func] = &[$(Func::$variant,)*];

            /// The name in deriv's syntax.
            pub fn name(self) -> &'static str {
                match self { $(Func::$variant => $name,)* }
            }

            /// Number of arguments; `None` for two or more (`min`, `max`).
            pub fn arity(self) -> Option<usize> {
                match self { $(Func::$variant => $arity,)* }
            }
        }
    };
}

#[rustfmt::skip]
funcs! {
    Sin "sin" Some(1), Cos "cos" Some(1), Tan "tan" Some(1),
    Asin "asin" Some(1), Acos "acos" Some(1), Atan "atan" Some(1),
    Sinh "sinh" Some(1), Cosh "cosh" Some(1), Tanh "tanh" Some(1),
    Asinh "asinh" Some(1), Acosh "acosh" Some(1), Atanh "atanh" Some(1),
    Exp "exp" Some(1), Ln "log" Some(1), Cbrt "cbrt" Some(1),
    Abs "abs" Some(1), Sign "sign" Some(1), Step "step" Some(1),
    Sigmoid "sigmoid" Some(1), Relu "relu" Some(1), Softplus "softplus" Some(1),
    Erf "erf" Some(1), Atan2 "atan2" Some(2), Min "min" None, Max "max" None,
    Floor "floor" Some(1), Ceil "ceil" Some(1), Round "round" Some(1),
    Erfc "erfc" Some(1), Sinc "sinc" Some(1),
}

impl Func {
    /// Looks a function up by the name it is printed with.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// A node of the expression graph, as [`Store::node`] shows it: a view
/// into the store (its operands are borrowed from the store's operand
/// list). Build nodes only through the [`Store`] constructors
/// (`store.add(..)`, `store.mul(..)`, `store.pow(..)`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node<'a> {
    /// A number.
    Num(&'a Number),
    /// `pi` or `e`.
    Const(&'a Constant),
    /// A variable.
    Var(&'a Sym),
    /// A sum of two or more terms, canonical order, number first.
    Add(&'a [ExprId]),
    /// A product of two or more factors, canonical order, number first.
    Mul(&'a [ExprId]),
    /// `[base, exponent]`: `base ^ exponent`.
    Pow(&'a [ExprId; 2]),
    /// A function application.
    Call(&'a Func, &'a [ExprId]),
}

/// A node as the store keeps it: the operands of a sum, product or call
/// are a range of the store's one operand list ([`Store::args`]), so that
/// a node is two words, and the operands of nodes built one after the
/// other lie side by side, with no allocation of their own. Walks over
/// the graph read nodes by the hundred thousand: they touch fewer cache
/// lines. A number is boxed (a rational is 64 bytes inline); numbers are
/// few and interned.
#[derive(Clone, Debug)]
enum Stored {
    Num(Box<Number>),
    Const(Constant),
    Var(Sym),
    Add(Span),
    Mul(Span),
    Pow([ExprId; 2]),
    Call(Func, Span),
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Stored>() == 16);

/// Where a node's operands are in the store's operand list.
#[derive(Clone, Copy, Debug)]
struct Span {
    at: u32,
    len: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.at as usize..self.at as usize + self.len as usize
    }
}

// By hand: the parts a node is made of, as the store tells nodes apart
// (the store files them by [`node_key`]).
impl std::hash::Hash for Node<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match *self {
            Node::Num(n) => (0u8, n).hash(state),
            Node::Const(c) => (1u8, c).hash(state),
            Node::Var(s) => (2u8, s).hash(state),
            Node::Pow(be) => (3u8, be).hash(state),
            Node::Add(xs) => (4u8, xs).hash(state),
            Node::Mul(xs) => (5u8, xs).hash(state),
            Node::Call(f, xs) => (6u8, f, xs).hash(state),
        }
    }
}

/// A node with a list of operands, borrowed: what [`Store`] looks up
/// before it stores the list.
#[derive(Clone, Copy)]
enum List<'a> {
    Add(&'a [ExprId]),
    Mul(&'a [ExprId]),
    Call(&'a Func, &'a [ExprId]),
}

impl<'a> List<'a> {
    /// Where the store's index files the list ([`index::Key`]): by its
    /// hash, and by its newest operand, other than the number a sum or
    /// product holds first (a few numbers are operands of a great many
    /// nodes: `2` of every `2*x_i`).
    fn key(&self) -> index::Key {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        let (xs, from) = match *self {
            List::Add(xs) => {
                h.write_u8(4);
                (xs, 1)
            }
            List::Mul(xs) => {
                h.write_u8(5);
                (xs, 1)
            }
            List::Call(f, xs) => {
                h.write_u8(6);
                f.hash(&mut h);
                (xs, 0)
            }
        };
        h.write_usize(xs.len());
        let (head, tail) = xs.split_at(from.min(xs.len()));
        let mut anchor = head.first().map_or(0, |x| x.0);
        for x in head {
            h.write_u32(x.0);
        }
        if let Some(first) = tail.first() {
            anchor = first.0;
        }
        for x in tail {
            h.write_u32(x.0);
            anchor = anchor.max(x.0);
        }
        index::Key::new(h.finish(), anchor)
    }

    /// True when `node` is this list.
    fn is(&self, node: Node<'_>) -> bool {
        match (self, node) {
            (List::Add(a), Node::Add(b)) | (List::Mul(a), Node::Mul(b)) => *a == b,
            (List::Call(f, a), Node::Call(g, b)) => *f == g && *a == b,
            _ => false,
        }
    }

    /// The node this list makes.
    fn node(&self) -> Node<'a> {
        match *self {
            List::Add(xs) => Node::Add(xs),
            List::Mul(xs) => Node::Mul(xs),
            List::Call(f, xs) => Node::Call(f, xs),
        }
    }
}

impl<'a> Node<'a> {
    /// The operands, in order.
    pub fn children(&self) -> &'a [ExprId] {
        match *self {
            Node::Num(_) | Node::Const(_) | Node::Var(_) => &[],
            Node::Add(xs) | Node::Mul(xs) | Node::Call(_, xs) => xs,
            Node::Pow(be) => be,
        }
    }
}

/// A constructor was asked for something beyond the store's bounds (see
/// [`Store::overflowed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Overflow {
    /// An exact number needs more bits than allowed.
    #[error(
        "an exact number needs {bits} bits, over the limit of {limit} bits \
         (a float literal such as `2.0` gives float arithmetic)"
    )]
    ExactBits {
        /// Bits the number needed (at least).
        bits: u64,
        /// The bound in force.
        limit: u64,
    },
    /// An expression is nested deeper than allowed (counting the nesting
    /// that substituting a program's names and differentiating create).
    #[error("the expression graph is nested deeper than {limit} levels")]
    Depth {
        /// The bound in force.
        limit: u32,
    },
    /// The graph holds more nodes and operands than allowed.
    #[error("the expression graph grew past {limit} nodes and operands")]
    Size {
        /// The bound in force.
        limit: usize,
    },
}

/// Default bound on the nesting depth of any node of a [`Store`]: every
/// recursive walk (printers, canonical order) goes at most this deep, which
/// fits the 256 MiB stack of the `deriv` binary with a wide margin.
pub const MAX_GRAPH_DEPTH: u32 = 100_000;

/// Default bound on the size of a [`Store`]: nodes plus operands (a product
/// of `n` factors counts `n + 1`), so that programs like
/// `a2 = a1*x2; a3 = a2*x3; ...`, whose products grow by one factor per
/// statement, stay within memory and time.
pub const MAX_GRAPH_SIZE: usize = 4_000_000;

/// Where the store's index files a node ([`index::Key`]): a node with
/// operands by its newest operand ([`List::key`]; a power by its base), a
/// variable by its name's index (names made one after the other, such as
/// a program's `t1, t2, ...`, are then looked up in one small table), the
/// others by their hash alone.
fn node_key(node: Node<'_>) -> index::Key {
    use std::hash::BuildHasher;
    let fx = rustc_hash::FxBuildHasher;
    match node {
        Node::Num(n) => num_key(n),
        Node::Const(c) => index::Key::new(fx.hash_one((1u8, c)), 0),
        Node::Var(v) => index::Key::new(fx.hash_one((2u8, v)), v.0),
        Node::Pow(be) => index::Key::new(fx.hash_one((3u8, be)), be[0].0),
        Node::Add(xs) => List::Add(xs).key(),
        Node::Mul(xs) => List::Mul(xs).key(),
        Node::Call(f, xs) => List::Call(f, xs).key(),
    }
}

/// The [`node_key`] of the number node of `n`, without boxing `n`.
fn num_key(n: &Number) -> index::Key {
    use std::hash::BuildHasher;
    index::Key::new(rustc_hash::FxBuildHasher.hash_one((0u8, n)), 0)
}

/// Owns every node and the variable names.
#[derive(Clone)]
pub struct Store {
    nodes: Vec<Stored>,
    /// The operands of every sum, product and call, end to end, in the
    /// order the nodes were made ([`Stored`]).
    args: Vec<ExprId>,
    /// Every node's id, found by the node's key ([`node_key`]): the node
    /// itself is stored once, in `nodes`. The index keeps a node beside
    /// the nodes built on operands near its own, and 32 bits of its hash,
    /// so that growing a table and telling nodes apart in it reads the
    /// table alone: it never hashes a node again (a sum of 20,000 terms
    /// would be hashed at every growth), nor reads another part of memory
    /// for an entry that is not the one sought.
    index: index::Index,
    /// The variables' names, and their order (`names.rs`).
    names: names::Names,
    depths: Vec<u32>,
    prints: Vec<u64>,
    flags: Vec<u8>,
    /// Each node's operation count ([`Store::ops`]), once asked for.
    ops: ops::OpsCache,
    operands: usize,
    max_bits: u64,
    max_depth: u32,
    max_size: usize,
    overflow: Option<Overflow>,
    /// Constant singularities as written (`written.rs`).
    written: FxHashMap<ExprId, (Box<str>, bool)>,
    /// Parts that cancelled out while parsing (`written.rs`), and whether
    /// they are being recorded.
    dropped: Vec<ExprId>,
    recording: bool,
    /// [`Store::content`] of the sums asked so far that have one: a node
    /// never changes, and products ask for the same sums again and again.
    /// A sum without one has a flag instead (`domain::NO_CONTENT`).
    contents: FxHashMap<ExprId, (coeff::Coeff, ExprId)>,
    /// Canonical order of pairs of compound expressions compared so far
    /// (smaller id first), for [`Store::sort_canonical`]: a product or sum
    /// built again with one more factor sorts mostly the same pairs, and
    /// each comparison walks a few levels of both trees.
    orders: FxHashMap<(ExprId, ExprId), std::cmp::Ordering>,
    /// The ids of the integers `-SMALL_INTS..=SMALL_INTS` interned so far
    /// (index `k + SMALL_INTS`, [`ExprId::NONE`] where not yet): most
    /// numbers built are small coefficients and exponents, and this finds
    /// them without hashing a big rational and probing the index.
    small_ints: Vec<ExprId>,
    /// The ids of the other machine integers interned by [`Store::int`]
    /// so far (coefficients such as 400): found by hashing the integer,
    /// not a big one built and hashed.
    large_ints: FxHashMap<i64, ExprId>,
}

/// The range of integers that [`Store::number`] finds without hashing.
const SMALL_INTS: i64 = 256;

/// Nodes a new store has room for: a homework-sized job fits without the
/// node tables growing (each growth copies them).
const INITIAL_NODES: usize = 128;

impl Default for Store {
    fn default() -> Store {
        Store {
            nodes: Vec::with_capacity(INITIAL_NODES),
            args: Vec::with_capacity(2 * INITIAL_NODES),
            index: index::Index::with_capacity(INITIAL_NODES),
            names: names::Names::default(),
            depths: Vec::with_capacity(INITIAL_NODES),
            prints: Vec::with_capacity(INITIAL_NODES),
            flags: Vec::with_capacity(INITIAL_NODES),
            ops: ops::OpsCache::with_capacity(INITIAL_NODES),
            operands: 0,
            max_bits: MAX_EXACT_BITS,
            max_depth: MAX_GRAPH_DEPTH,
            max_size: MAX_GRAPH_SIZE,
            overflow: None,
            written: FxHashMap::default(),
            dropped: Vec::new(),
            recording: false,
            contents: FxHashMap::default(),
            orders: FxHashMap::default(),
            small_ints: Vec::new(),
            large_ints: FxHashMap::default(),
        }
    }
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// An empty store whose exact numbers may have up to `max_bits` bits
    /// (numerator and denominator; default [`MAX_EXACT_BITS`]) and whose
    /// nodes may be nested up to `max_depth` levels (default
    /// [`MAX_GRAPH_DEPTH`]; a variable or number is at level 1) and whose
    /// size (nodes plus operands) may grow to `max_size` (default
    /// [`MAX_GRAPH_SIZE`]).
    pub fn with_limits(max_bits: u64, max_depth: u32, max_size: usize) -> Store {
        Store {
            max_bits,
            max_depth,
            max_size,
            ..Store::default()
        }
    }

    /// A structural fingerprint of a node: equal for equal structure
    /// (variables by name), independent of ids and construction history.
    pub fn fingerprint(&self, id: ExprId) -> u64 {
        self.prints[id.index()]
    }

    fn fingerprint_of(&self, node: Node<'_>) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        std::mem::discriminant(&node).hash(&mut h);
        match node {
            Node::Num(n) => n.hash(&mut h),
            Node::Const(c) => c.hash(&mut h),
            Node::Var(&s) => self.name(s).hash(&mut h),
            Node::Call(f, _) => f.hash(&mut h),
            Node::Add(_) | Node::Mul(_) | Node::Pow(_) => {}
        }
        for c in node.children() {
            self.prints[c.index()].hash(&mut h);
        }
        h.finish()
    }

    /// Nodes plus operands: the memory the graph takes, in units.
    pub fn size(&self) -> usize {
        self.nodes.len() + self.operands
    }

    /// The nesting depth of a node: 1 for a leaf, else 1 + its deepest operand.
    pub fn depth(&self, id: ExprId) -> u32 {
        self.depths[id.index()]
    }

    /// The operation count of a node written out as a tree, as the
    /// acceptance kit counts SymPy's `count_ops` of the printed form (see
    /// [`crate::poly::count_ops`]); saturating. Computed the first time
    /// it is asked for, children first, and kept.
    ///
    /// ```
    /// # use deriv::{expr::Store, parse::{parse_expr, ParseOptions}};
    /// let mut s = Store::new();
    /// let e = parse_expr(&mut s, "x^2 - 2*x/y", &ParseOptions::default())?;
    /// // x^2 - 2*x/y: POW, SUB, MUL, DIV
    /// assert_eq!(s.ops(e), 4);
    /// # Ok::<(), deriv::parse::ParseError>(())
    /// ```
    pub fn ops(&self, id: ExprId) -> u64 {
        ops::ops(self, id)
    }

    /// The bound on exact numbers, in bits.
    pub fn max_exact_bits(&self) -> u64 {
        self.max_bits
    }

    /// The first bound a constructor would have exceeded, if any.
    /// Constructors never build an exact number over the bit bound (so no
    /// arithmetic on huge integers can hang) nor a node over the depth bound
    /// (so no recursive walk can overflow the stack); they put `0` in its
    /// place and record the overflow here, so once this is `Some` every
    /// result built since is meaningless and must be reported as this error
    /// instead.
    pub fn overflowed(&self) -> Option<Overflow> {
        self.overflow
    }

    /// The number `0`, interned without any check (the placeholder for
    /// what a constructor may not build).
    pub(crate) fn zero(&mut self) -> ExprId {
        let zero = Number::int(0);
        let h = num_key(&zero);
        if let Some(&id) = self.lookup_num(h, &zero) {
            return id;
        }
        let id = ExprId(u32::try_from(self.nodes.len()).expect("expression store overflow"));
        self.depths.push(1);
        self.prints.push(self.fingerprint_of(Node::Num(&zero)));
        self.flags.push(0);
        self.ops.push();
        self.insert(h, Stored::Num(Box::new(zero)), id);
        id
    }

    /// `n` if it fits the bound, else `0` and the overflow recorded.
    pub(crate) fn bounded(&mut self, n: Number) -> Number {
        let bits = n.bits();
        if bits <= self.max_bits {
            return n;
        }
        self.overflow.get_or_insert(Overflow::ExactBits {
            bits,
            limit: self.max_bits,
        });
        Number::int(0)
    }

    /// The node behind an id.
    #[inline]
    pub fn node(&self, id: ExprId) -> Node<'_> {
        // `get`, not indexing: a caller that only asks for the kind of a
        // node (most do) then reads no operands and checks no bounds (a
        // span is always within the list)
        let args = |sp: &Span| self.args.get(sp.range()).unwrap_or(&[]);
        match &self.nodes[id.index()] {
            Stored::Num(n) => Node::Num(n),
            Stored::Const(c) => Node::Const(c),
            Stored::Var(v) => Node::Var(v),
            Stored::Add(sp) => Node::Add(args(sp)),
            Stored::Mul(sp) => Node::Mul(args(sp)),
            Stored::Pow(be) => Node::Pow(be),
            Stored::Call(f, sp) => Node::Call(f, args(sp)),
        }
    }

    /// Makes room for `additional` more nodes (and twice as many
    /// operands), so that the store's tables do not grow while they are
    /// built; no more than the store's size bound leaves room for. The
    /// index is left to grow as it fills: made larger ahead, its entries
    /// spread over more memory, and each lookup, a read at a random place
    /// in it, misses the cache more often (the W3 gradient: about 20%
    /// slower at N=1000 and at N=10000).
    pub fn reserve(&mut self, additional: usize) {
        let additional = additional.min(self.max_size.saturating_sub(self.size()));
        self.nodes.reserve(additional);
        self.args.reserve(2 * additional);
        self.depths.reserve(additional);
        self.prints.reserve(additional);
        self.flags.reserve(additional);
        self.ops.reserve(additional);
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when no node exists yet.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The operands of a node, in order (`[base, exponent]` for a power).
    pub fn operands(&self, id: ExprId) -> &[ExprId] {
        self.node(id).children()
    }

    /// How many variable names are interned.
    pub fn sym_count(&self) -> usize {
        self.names.len()
    }

    /// Interns a variable name.
    pub fn sym(&mut self, name: &str) -> Sym {
        self.names.intern(name)
    }

    /// Looks up an interned name without interning it.
    pub fn find_sym(&self, name: &str) -> Option<Sym> {
        self.names.find(name)
    }

    /// The natural order of two variables' names ([`order::natural_cmp`]),
    /// by their keys.
    pub fn cmp_names(&self, a: Sym, b: Sym) -> std::cmp::Ordering {
        self.names.cmp(a, b)
    }

    /// The name of a variable.
    pub fn name(&self, s: Sym) -> &str {
        self.names.get(s)
    }

    /// The number behind an id, if it is a number.
    pub fn as_num(&self, id: ExprId) -> Option<&Number> {
        match self.node(id) {
            Node::Num(n) => Some(n),
            _ => None,
        }
    }

    /// A reference to `id` that lives as long as the store (for one-element
    /// slices of an id).
    pub fn id_ref(&self, id: ExprId) -> &ExprId {
        let node = self.node(id);
        self.lookup(node_key(node), node)
            .expect("every node is interned")
    }

    /// The id of `node` (whose key is `h`), if interned.
    fn lookup(&self, h: index::Key, node: Node<'_>) -> Option<&ExprId> {
        self.index.find(h, |id| self.node(id) == node)
    }

    /// Stores `node` (key `h`, not yet interned) under the next id, `id`.
    /// Inlined: called, it took the node through memory, and its 16-byte
    /// load of the node waited on the caller's narrower stores of it (a
    /// failed store forwarding): 70% of its samples, about 2.5% of a W3
    /// gradient job.
    #[inline(always)]
    fn insert(&mut self, h: index::Key, node: Stored, id: ExprId) {
        self.nodes.push(node);
        self.index.insert(h, id);
    }

    /// Where [`Store::int`] keeps the id of `i`, if `i` is small; the table
    /// is allocated on first use.
    fn small_int_slot(&mut self, i: i64) -> Option<usize> {
        if i.unsigned_abs() > SMALL_INTS.unsigned_abs() {
            return None;
        }
        if self.small_ints.is_empty() {
            self.small_ints = vec![ExprId::NONE; 2 * SMALL_INTS as usize + 1];
        }
        Some((i + SMALL_INTS) as usize)
    }

    /// The id of the number `n` (key `h`, [`num_key`]), if stored.
    fn lookup_num(&self, h: index::Key, n: &Number) -> Option<&ExprId> {
        let nodes = &self.nodes;
        self.index.find(
            h,
            |id| matches!(&nodes[id.index()], Stored::Num(m) if **m == *n),
        )
    }

    /// Interns a number: it is boxed only when it is new.
    pub(crate) fn intern_num(&mut self, n: Number) -> ExprId {
        let h = num_key(&n);
        if let Some(&id) = self.lookup_num(h, &n) {
            return id;
        }
        match self.admit(h, Node::Num(&n)) {
            Some(id) => {
                self.insert(h, Stored::Num(Box::new(n)), id);
                id
            }
            None => self.zero(),
        }
    }

    /// Interns a node that is already canonical.
    #[inline]
    fn intern(&mut self, node: Node<'_>) -> ExprId {
        let h = node_key(node);
        if let Some(&id) = self.lookup(h, node) {
            return id;
        }
        self.intern_new(h, node)
    }

    /// Interns a canonical sum, product or call given by its parts: the
    /// operand list is allocated only for a node not yet in the store.
    fn intern_list(&mut self, list: List<'_>) -> ExprId {
        let h = list.key();
        if let Some(&id) = self.index.find(h, |id| list.is(self.node(id))) {
            return id;
        }
        self.intern_new(h, list.node())
    }

    /// A canonical sum of `terms`, interned.
    fn intern_add(&mut self, terms: &[ExprId]) -> ExprId {
        self.intern_list(List::Add(terms))
    }

    /// A canonical product of `factors`, interned.
    fn intern_mul(&mut self, factors: &[ExprId]) -> ExprId {
        self.intern_list(List::Mul(factors))
    }

    /// A canonical call of `f` on `args`, interned.
    fn intern_call(&mut self, f: Func, args: &[ExprId]) -> ExprId {
        self.intern_list(List::Call(&f, args))
    }

    /// Stores `node` (key `h`), known not to be interned yet, within the
    /// store's bounds.
    fn intern_new(&mut self, h: index::Key, node: Node<'_>) -> ExprId {
        let Some(id) = self.admit(h, node) else {
            return self.zero();
        };
        let span = |args: &mut Vec<ExprId>, xs: &[ExprId]| {
            let at = u32::try_from(args.len()).expect("expression store overflow");
            args.extend_from_slice(xs);
            Span {
                at,
                len: xs.len() as u32,
            }
        };
        let stored = match node {
            Node::Num(n) => Stored::Num(Box::new(n.clone())),
            Node::Const(&c) => Stored::Const(c),
            Node::Var(&v) => Stored::Var(v),
            Node::Add(xs) => Stored::Add(span(&mut self.args, xs)),
            Node::Mul(xs) => Stored::Mul(span(&mut self.args, xs)),
            Node::Pow(&be) => Stored::Pow(be),
            Node::Call(&f, xs) => Stored::Call(f, span(&mut self.args, xs)),
        };
        self.insert(h, stored, id);
        id
    }

    /// The id a new node (key `h`) gets, with its depth, fingerprint,
    /// flags and size recorded; `None`, with the overflow recorded, where
    /// it is beyond the store's bounds. The caller stores the node.
    fn admit(&mut self, h: index::Key, node: Node<'_>) -> Option<ExprId> {
        debug_assert_eq!(h, node_key(node));
        debug_assert!(self.check_children_below(node));
        let depth = 1 + node
            .children()
            .iter()
            .map(|c| self.depths[c.index()])
            .max()
            .unwrap_or(0);
        let over = if depth > self.max_depth {
            Some(Overflow::Depth {
                limit: self.max_depth,
            })
        } else if self.size() + 1 + node.children().len() > self.max_size {
            Some(Overflow::Size {
                limit: self.max_size,
            })
        } else {
            None
        };
        if let Some(o) = over {
            self.overflow.get_or_insert(o);
            return None;
        }
        let id = ExprId(u32::try_from(self.nodes.len()).expect("expression store overflow"));
        self.depths.push(depth);
        self.prints.push(self.fingerprint_of(node));
        self.flags.push(self.flags_of(node));
        self.ops.push();
        self.operands += node.children().len();
        Some(id)
    }

    fn check_children_below(&self, node: Node<'_>) -> bool {
        let n = self.nodes.len() as u32;
        node.children().iter().all(|c| c.0 < n)
    }

    /// The variables an expression depends on, in natural order by name.
    pub fn free_vars(&self, roots: &[ExprId]) -> Vec<Sym> {
        let mut vars: Vec<Sym> = self
            .reachable(roots)
            .into_iter()
            .filter_map(|id| match self.node(id) {
                Node::Var(s) => Some(*s),
                _ => None,
            })
            .collect();
        vars.sort_by(|a, b| self.cmp_names(*a, *b));
        vars.dedup();
        vars
    }

    /// The operations reachable from `roots` that depend on some variable
    /// (no numbers, constants, variables or closed subexpressions), in
    /// ascending (evaluation) order.
    ///
    /// A node depends on a variable where its flag says so
    /// ([`Store::is_closed`]): the walk enters only those, and keeps no
    /// table of its own.
    pub fn dependent_ops(&self, roots: &[ExprId]) -> Vec<ExprId> {
        let mut out = self.reachable_where(roots, |id| !self.is_closed(id));
        out.retain(|&id| !matches!(self.node(id), Node::Var(_)));
        out
    }

    /// Number of distinct nodes reachable from `roots` (the size of the DAG).
    pub fn dag_size(&self, roots: &[ExprId]) -> usize {
        self.reachable(roots).len()
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Store({} nodes)", self.nodes.len())
    }
}

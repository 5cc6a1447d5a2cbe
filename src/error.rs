//! The crate-level error of the front door ([`crate::Session`]).
//!
//! Every error is bad input or a bound that was hit: none is a bug, and
//! none leaves a partial result behind. A limit error says which limit and
//! its value ([`Error::limit`]), so that a client can tell its user how to
//! raise it (the command line names its `--max-*` option).

use std::ops::Range;

use crate::parse::{ParseError, ParseErrorKind};

/// A bound that keeps hostile input cheap (see [`crate::Limits`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// Longest input, in bytes ([`crate::Limits::max_input`]).
    Input,
    /// Deepest syntactic nesting ([`crate::Limits::max_depth`]).
    Depth,
    /// Largest exact number, in bits ([`crate::Limits::max_exact_bits`]).
    ExactBits,
    /// Deepest expression graph ([`crate::Limits::max_graph_depth`]).
    GraphDepth,
    /// Largest expression graph, in nodes plus operands ([`crate::Limits::max_graph_size`]).
    GraphSize,
    /// Most nodes a derivative or series may build ([`crate::Limits::max_nodes`]).
    Nodes,
    /// Most monomials of a Taylor polynomial ([`crate::Limits::max_terms`]).
    Terms,
    /// Highest order of a derivative ([`crate::Limits::max_order`]).
    Order,
    /// Largest printed result, in bytes ([`crate::Limits::max_output`]).
    Output,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The expression or program does not parse; the span is in its source.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A point such as `x=1/2,y=pi/4` is malformed or does not fit the
    /// function; `span` is in the point's text (`None`: not located there).
    #[error("{message}")]
    Point {
        /// What is wrong.
        message: String,
        /// Byte span in the point's text.
        span: Option<Range<usize>>,
    },
    /// A list of variable names (`x,y`) is malformed; `span` is in its text.
    #[error("{message}")]
    Names {
        /// What is wrong.
        message: String,
        /// Byte span in the list's text.
        span: Range<usize>,
    },
    /// A point gives no value for variables that are needed.
    #[error("the point gives no value for {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))]
    MissingValues {
        /// The variables without a value.
        names: Vec<String>,
    },
    /// A bound was hit.
    #[error("{message}")]
    Limit {
        /// Which bound.
        limit: Limit,
        /// Its value.
        value: u64,
        /// What was over it.
        message: String,
    },
    /// The input cannot be used for what was asked (a vector where a scalar
    /// is needed, a point missing a variable, a function with no Taylor
    /// series at the point, ...).
    #[error("{0}")]
    Invalid(String),
    /// A handle ([`crate::Function`]) of another [`crate::Session`].
    #[error("the function belongs to another session")]
    ForeignHandle,
}

impl Error {
    /// The bound this error hit, and its value.
    ///
    /// ```
    /// use deriv::{Error, Limit, Limits, Session};
    /// let mut s = Session::with_limits(Limits { max_depth: 3, ..Limits::default() });
    /// let err = s.parse("((((x))))").unwrap_err();
    /// assert_eq!(err.limit(), Some((Limit::Depth, 3)));
    /// ```
    pub fn limit(&self) -> Option<(Limit, u64)> {
        match self {
            Error::Limit { limit, value, .. } => Some((*limit, *value)),
            Error::Parse(e) => match e.kind {
                ParseErrorKind::TooLong { limit } => Some((Limit::Input, limit as u64)),
                ParseErrorKind::TooDeep { limit } => Some((Limit::Depth, limit as u64)),
                ParseErrorKind::IntegerTooLarge { limit, .. } => Some((Limit::ExactBits, limit)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The byte span in the expression's source, for errors located there.
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Error::Parse(e) => Some(e.span.start..e.span.end),
            _ => None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::Invalid(message.into())
    }
}

impl From<crate::expr::Overflow> for Error {
    fn from(o: crate::expr::Overflow) -> Error {
        use crate::expr::Overflow;
        let (limit, value) = match o {
            Overflow::ExactBits { limit, .. } => (Limit::ExactBits, limit),
            Overflow::Depth { limit } => (Limit::GraphDepth, u64::from(limit)),
            Overflow::Size { limit } => (Limit::GraphSize, limit as u64),
        };
        Error::Limit {
            limit,
            value,
            message: o.to_string(),
        }
    }
}

impl From<crate::diff::DiffError> for Error {
    fn from(e: crate::diff::DiffError) -> Error {
        use crate::diff::DiffError;
        match e {
            DiffError::TooLarge { limit } => Error::Limit {
                limit: Limit::Nodes,
                value: limit as u64,
                message: e.to_string(),
            },
            DiffError::Overflow(o) => o.into(),
        }
    }
}

impl From<crate::series::SeriesError> for Error {
    fn from(e: crate::series::SeriesError) -> Error {
        use crate::series::SeriesError;
        let (limit, value) = match e {
            SeriesError::TooManyTerms { limit, .. } => (Limit::Terms, limit as u64),
            SeriesError::TooLarge { limit } => (Limit::Nodes, limit as u64),
            SeriesError::Overflow(o) => return o.into(),
            _ => return Error::Invalid(e.to_string()),
        };
        Error::Limit {
            limit,
            value,
            message: e.to_string(),
        }
    }
}

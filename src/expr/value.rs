//! Expression stage: run-time values. Every value carries its **evidence** — the spans of the
//! report it came from — so that a failing rule can point at the very figure or heading.
//!
//! Two values stand for what the report does not say: `Null` (a fact that is absent, such as a
//! report without a date, with the reason) and `Unknown` (an operation on an absent fact, such as
//! comparing that date). `??` turns `Null` into a default; `Unknown` becomes the rule's outcome.

use crate::report::{Date, Span};
use std::sync::Arc;

/// At most this many evidence spans travel with a value (the first ones found). The bound keeps
/// merging evidence linear: a rule over 100 000 headings must not compare every span with every
/// other.
pub const MAX_EVIDENCE: usize = 16;

/// Appends the spans of `src` not yet in `dst`, keeping at most [`MAX_EVIDENCE`]: the only way
/// evidence is merged, so no merge ever scans more than that many spans per span added.
pub fn merge_evidence(dst: &mut Vec<Span>, src: &[Span]) {
    for s in src {
        if dst.len() >= MAX_EVIDENCE {
            break;
        }
        if !dst.contains(s) {
            dst.push(*s);
        }
    }
}

#[derive(Debug, Clone)]
pub enum Value {
    /// Absent, with why (`no figure labelled /出庭率/`).
    Null(Arc<str>),
    /// Cannot be decided, with why.
    Unknown(Arc<str>),
    Bool(bool),
    /// A bare whole number: `18`, `report.year`, `len(…)`.
    Int(i64),
    /// A bare decimal: `46.9531`.
    Num(f64),
    /// A percentage or ratio, as the fraction: `10%` is 0.1, `4 / 8` is 0.5.
    Percent(f64),
    /// A figure's number with its unit (not `%`): `18 件`, `46.9531 万元`.
    Quantity(f64, Arc<str>),
    Str(Arc<str>),
    Regex(Arc<regex::Regex>),
    Date(Date),
    List(Arc<Vec<Val>>),
    Report,
    Section(usize),
    Paragraph(usize),
    /// (paragraph, item)
    Item(usize, usize),
    Figure(usize),
    /// A match in the normalised text: its byte range there.
    Match(std::ops::Range<usize>),
}

/// A value and the report spans it rests on.
#[derive(Debug, Clone)]
pub struct Val {
    pub value: Value,
    pub evidence: Vec<Span>,
}

impl Val {
    pub fn new(value: Value) -> Val {
        Val {
            value,
            evidence: Vec::new(),
        }
    }

    pub fn with(value: Value, mut evidence: Vec<Span>) -> Val {
        evidence.truncate(MAX_EVIDENCE);
        Val { value, evidence }
    }

    pub fn at(value: Value, span: Span) -> Val {
        Val {
            value,
            evidence: vec![span],
        }
    }

    pub fn null(why: impl Into<Arc<str>>) -> Val {
        Val::new(Value::Null(why.into()))
    }

    pub fn unknown(why: impl Into<Arc<str>>) -> Val {
        Val::new(Value::Unknown(why.into()))
    }

    /// Adds another value's evidence to this one's.
    pub fn and_evidence(mut self, other: &[Span]) -> Val {
        merge_evidence(&mut self.evidence, other);
        self
    }
}

impl Value {
    pub fn is_absent(&self) -> bool {
        matches!(self, Value::Null(_) | Value::Unknown(_))
    }
}

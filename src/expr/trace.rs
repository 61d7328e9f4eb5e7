//! Expression stage: the trace of an evaluation — each sub-expression with the value it had and
//! the report text it came from — so a rule author sees which part of a condition decided
//! (`check --trace RULE`).
//!
//! The evaluator records into a [`Tracer`] only when the context carries one; checking without
//! `--trace` pays one branch per node. Steps are kept in the order their expressions start
//! (outer before inner), each with its depth; a long evaluation (a quantifier over hundreds of
//! items) is cut at [`MAX_STEPS`].

use super::value::Value;
use crate::report::Span;
use std::cell::{Cell, RefCell};

/// At most this many steps are recorded per verdict.
pub const MAX_STEPS: usize = 400;

/// How many characters of an expression a step shows.
const EXPR_CHARS: usize = 100;

fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// One sub-expression and what it evaluated to.
#[derive(Debug, Clone)]
pub struct Step {
    /// Nesting: 0 for the whole condition.
    pub depth: usize,
    /// The expression as written (a `let` by its name).
    pub expr: String,
    /// For an operator, the operands' values in its place: `85 % >= 100 %`.
    pub substituted: Option<String>,
    pub value: Value,
    /// The report span the value came from, if any.
    pub evidence: Option<Span>,
}

/// Collects the steps of an evaluation.
#[derive(Debug, Default)]
pub struct Tracer {
    steps: RefCell<Vec<Step>>,
    /// Indices of the steps still being evaluated, innermost last.
    open: RefCell<Vec<usize>>,
    /// Steps not recorded because the limit was reached.
    dropped: Cell<usize>,
}

impl Tracer {
    /// Starts a step for `expr`; `None` when the limit is reached.
    pub fn enter(&self, expr: &str) -> Option<usize> {
        let mut steps = self.steps.borrow_mut();
        if steps.len() >= MAX_STEPS {
            self.dropped.set(self.dropped.get() + 1);
            return None;
        }
        let depth = self.open.borrow().len();
        steps.push(Step {
            depth,
            expr: one_line(expr, EXPR_CHARS),
            substituted: None,
            value: Value::Unknown("not evaluated".into()),
            evidence: None,
        });
        let at = steps.len() - 1;
        self.open.borrow_mut().push(at);
        Some(at)
    }

    /// Ends the step started by [`Tracer::enter`] with its value.
    pub fn leave(&self, at: Option<usize>, value: &Value, evidence: Option<Span>) {
        let Some(at) = at else {
            return;
        };
        self.open.borrow_mut().pop();
        let mut steps = self.steps.borrow_mut();
        steps[at].value = value.clone();
        steps[at].evidence = evidence;
    }

    /// Notes the operands of the step being evaluated: `85 % >= 100 %`.
    pub fn substitute(&self, text: String) {
        if let Some(&at) = self.open.borrow().last() {
            self.steps.borrow_mut()[at].substituted = Some(text);
        }
    }

    /// The steps recorded so far (and how many were dropped), leaving the tracer empty.
    pub fn take(&self) -> (Vec<Step>, usize) {
        self.open.borrow_mut().clear();
        (
            std::mem::take(&mut *self.steps.borrow_mut()),
            self.dropped.replace(0),
        )
    }
}

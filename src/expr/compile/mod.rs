//! Expression stage: compile a parsed expression — resolve names, check types, compile regexes.
//!
//! Takes an [`Expr`] (with byte spans into its source) and a scope (`let` bindings and loop
//! variables), and hands on a [`CExpr`]: the same tree with every name resolved, every node
//! typed, every regex compiled once (size-limited, normalised like report text), and every
//! string literal normalised. All errors of one expression are collected, each with the exact
//! span, a label and, where a near miss is likely, "did you mean".

use super::ast::{BinaryOp, Expr, ExprKind, ExprSpan, Quantifier, UnaryOp};
use super::library::{self, Function, Param};
use super::operators;
use super::regex::{build_regex, pattern_to_source};
use super::suggest::suggest;
use super::types::Type;
use super::value::Value;
use crate::report::Date;
use std::sync::Arc;

/// A compiled expression node.
#[derive(Debug, Clone)]
pub struct CExpr {
    pub kind: CKind,
    pub ty: Type,
    pub span: ExprSpan,
    /// The source text the span points into (for traces and reasons).
    pub src: Arc<str>,
}

impl CExpr {
    /// The source text of this node.
    pub fn snippet(&self) -> &str {
        self.src.get(self.span.clone()).unwrap_or("")
    }
}

#[derive(Debug, Clone)]
pub enum CKind {
    Lit(Value),
    List(Vec<CExpr>),
    Global(Global),
    /// A loop variable (`for` or a quantifier), by slot.
    Var(usize),
    /// A `let` binding by name, compiled once and shared.
    Let(Arc<str>, Arc<CExpr>),
    Member(Box<CExpr>, &'static str),
    Call(&'static Function, Vec<CExpr>),
    Unary(UnaryOp, Box<CExpr>),
    Binary(BinaryOp, Box<CExpr>, Box<CExpr>),
    Quant(Quantifier, usize, Box<CExpr>, Box<CExpr>),
}

/// Names every expression can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {
    Report,
    Sections,
    Paragraphs,
    Figures,
}

/// A name every expression has: what it stands for, and an example (`rules functions`).
#[derive(Debug)]
pub struct GlobalName {
    pub name: &'static str,
    pub global: Global,
    pub doc: &'static str,
    pub example: &'static str,
}

pub const GLOBALS: &[GlobalName] = &[
    GlobalName {
        name: "report",
        global: Global::Report,
        doc: "the report being checked",
        example: "report.year >= 2021",
    },
    GlobalName {
        name: "sections",
        global: Global::Sections,
        doc: "every heading, in order (= report.sections)",
        example: "count(s in sections: s.level == 1) >= 3",
    },
    GlobalName {
        name: "paragraphs",
        global: Global::Paragraphs,
        doc: "every paragraph, in order (= report.paragraphs)",
        example: "any(p in paragraphs: p.text ~ /第一责任人/)",
    },
    GlobalName {
        name: "figures",
        global: Global::Figures,
        doc: "every figure, in order (= report.figures)",
        example: "all(m in figures: m.unit != \"%\" or m.value <= 100%)",
    },
];

/// True for the names every expression has (`report`, `sections`, `paragraphs`, `figures`).
pub fn is_global(name: &str) -> bool {
    GLOBALS.iter().any(|g| g.name == name)
}

impl Global {
    pub fn ty(self) -> Type {
        match self {
            Global::Report => Type::Report,
            Global::Sections => Type::list(Type::Section),
            Global::Paragraphs => Type::list(Type::Paragraph),
            Global::Figures => Type::list(Type::Figure),
        }
    }
}

/// An error in an expression, with its byte span in the expression's source.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub code: &'static str,
    pub span: ExprSpan,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

impl ExprError {
    fn new(code: &'static str, span: ExprSpan, message: String, label: impl Into<String>) -> Self {
        ExprError {
            code,
            span,
            message,
            label: label.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Names in scope: `let` bindings (shared by all rules of a rulebook) and loop variables.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    lets: Vec<(String, Arc<CExpr>)>,
    vars: Vec<(String, usize, Type)>,
    /// Slots used so far (the evaluator sizes its environment with this).
    pub slots: usize,
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    pub fn add_let(&mut self, name: &str, e: CExpr) {
        self.lets.push((name.to_string(), Arc::new(e)));
    }

    pub fn has_let(&self, name: &str) -> bool {
        self.lets.iter().any(|(n, _)| n == name)
    }

    /// Binds a loop variable; returns its slot.
    pub fn push_var(&mut self, name: &str, ty: Type) -> usize {
        let slot = self.slots;
        self.slots += 1;
        self.vars.push((name.to_string(), slot, ty));
        slot
    }

    fn pop_var(&mut self) {
        self.vars.pop();
    }

    fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = GLOBALS.iter().map(|g| g.name).collect();
        v.extend(self.lets.iter().map(|(n, _)| n.as_str()));
        v.extend(self.vars.iter().map(|(n, _, _)| n.as_str()));
        v
    }
}

/// A stand-in for an expression that failed to compile (a `let` with a bad regex): of the
/// poisoned type, so that its uses are not reported again.
pub fn poisoned(src: &str) -> CExpr {
    CExpr {
        kind: CKind::Lit(Value::Null("error".into())),
        ty: Type::Error,
        span: 0..src.len(),
        src: src.into(),
    }
}

/// Compiles `expr`, parsed from `src`, in `scope` (loop variables it binds are popped again, but
/// their slots stay counted in `scope.slots`).
pub fn compile(src: &str, expr: &Expr, scope: &mut Scope) -> Result<CExpr, Vec<ExprError>> {
    let mut c = Compiler {
        src: src.into(),
        scope,
        errors: Vec::new(),
    };
    let e = c.expr(expr);
    if c.errors.is_empty() {
        Ok(e)
    } else {
        Err(c.errors)
    }
}

/// Compiles a condition (`when`, `assert`): it must be a bool.
pub fn compile_condition(
    src: &str,
    expr: &Expr,
    scope: &mut Scope,
    what: &str,
) -> Result<CExpr, Vec<ExprError>> {
    let e = compile(src, expr, scope)?;
    if !matches!(e.ty, Type::Bool | Type::Null | Type::Error) {
        return Err(vec![
            ExprError::new(
                "expr::not_a_condition",
                e.span.clone(),
                format!("`{what}` must be true or false, but this is {}", e.ty.a()),
                format!("this is {}", e.ty.a()),
            )
            .help(condition_help(&e.ty)),
        ]);
    }
    Ok(e)
}

fn condition_help(t: &Type) -> String {
    match t {
        Type::Regex => "to search the report, write `mentions(/…/)`".into(),
        Type::Section | Type::Figure | Type::Match => {
            "to test that it exists, compare with null: `… != null`".into()
        }
        Type::List(_) => "to test a list, use `len(…) > 0`, `any(x in …: …)` or `all(…)`".into(),
        _ => "compare it with something: `==`, `<`, `~`…".into(),
    }
}

mod checker;

use checker::Compiler;

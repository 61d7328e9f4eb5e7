//! Expression stage: the syntax tree of rule conditions.
//!
//! Every node keeps the byte range it was parsed from (`span`, offsets into the expression's
//! source text), to the end: type errors, evaluation traces and messages all point back at the
//! exact characters of the rule.

use std::ops::Range;

/// Byte range in an expression's source text.
pub type ExprSpan = Range<usize>;

/// An expression and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: ExprSpan,
}

/// What an expression is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `42`
    Int(i64),
    /// `46.9531`
    Decimal(f64),
    /// `100%`, `99.5%`: the number before the sign.
    Percent(f64),
    /// `"出庭率"`, `'text'` (escapes resolved)
    Str(String),
    /// `/负责人出庭(应诉)?率/`, `/abc/i`: the pattern between the slashes (`\/` unescaped to `/`)
    /// and the flags after.
    Regex { pattern: String, flags: String },
    /// `2024-03-01`
    Date { year: i32, month: u32, day: u32 },
    /// `true`, `false`
    Bool(bool),
    /// `null`
    Null,
    /// `[1, 2, 3]`
    List(Vec<Expr>),
    /// `report`, `next_year`, `m`
    Name(String),
    /// `report.year`, `m.value`
    Member {
        object: Box<Expr>,
        name: String,
        name_span: ExprSpan,
    },
    /// `figure(/率/)`, `len(xs)`: functions are called by name only.
    Call {
        func: String,
        func_span: ExprSpan,
        args: Vec<Expr>,
    },
    /// `not x`, `-x`
    Unary { op: UnaryOp, operand: Box<Expr> },
    /// `a and b`, `x.value <= 100%`, `t ~ /报告/`, `a ?? b`
    Binary {
        op: BinaryOp,
        op_span: ExprSpan,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `any(s in sections: s.title ~ /安排/)`, `all(…)`, `count(…)`
    Quantifier {
        kind: Quantifier,
        var: String,
        var_span: ExprSpan,
        list: Box<Expr>,
        cond: Box<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `~` (regex match)
    Match,
    /// `!~`
    NotMatch,
    /// `in` (membership in a list, or substring of a string)
    In,
    /// `??` (left unless it is null)
    Coalesce,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Or => "or",
            And => "and",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Match => "~",
            NotMatch => "!~",
            In => "in",
            Coalesce => "??",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// `any(x in xs: cond)`: true if cond holds for one item.
    Any,
    /// `all(x in xs: cond)`: true if cond holds for every item.
    All,
    /// `count(x in xs: cond)`: how many items satisfy cond.
    Count,
}

impl Quantifier {
    pub fn keyword(self) -> &'static str {
        match self {
            Quantifier::Any => "any",
            Quantifier::All => "all",
            Quantifier::Count => "count",
        }
    }
}

/// A `for:` clause: `m in figures(/率/)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForClause {
    pub var: String,
    pub var_span: ExprSpan,
    pub list: Expr,
}

/// A message template: `"{m.label}为 {m.text}，超过 100%"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Literal text (`{{` and `}}` unescaped to `{` and `}`).
    Text(String),
    /// `{expr}`: the expression, with spans relative to the whole template text.
    Expr(Expr),
}

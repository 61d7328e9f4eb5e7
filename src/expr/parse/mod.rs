//! Expression stage: parsing.
//!
//! Takes the source text of a rule condition, a `for:` clause (`m in figures(/率/)`) or a
//! message template (`"{m.label}为 {m.text}，超过 100%"`) and hands on the syntax tree of
//! [`super::ast`], every node carrying the byte range it was written at, or a [`ParseError`]
//! whose span, message and help are meant to be shown to rule authors like a rustc error.
//!
//! The pest grammar (`grammar/expr.pest`) yields each expression as a flat sequence of
//! operands and operators; one [`PrattParser`] table (`PRATT`) applies precedence.
//!
//! Untrusted input never overflows the stack: before pest runs, the source length, the
//! bracket nesting and runs of prefix operators are checked by a linear scan; after pest has
//! run and before the tree is built, the depth the tree would have is computed without
//! recursing per operator (see `expr_depth`). Building then recurses at most
//! [`MAX_AST_DEPTH`] levels.

use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use pest::Parser as _;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::{
    BinaryOp, Expr, ExprKind, ExprSpan, ForClause, Quantifier, Template, TemplatePart, UnaryOp,
};
use super::operators::{Fixity, OPERATORS, Operator, is_quantifier};

mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/expr.pest"]
    pub(super) struct ExprParser;
}

use grammar::{ExprParser, Rule};

/// Longest source text accepted (bytes), for expressions and whole templates.
pub const MAX_SOURCE_LEN: usize = 65_536;
/// Deepest nesting of `(`, `[` and `{` accepted.
pub const MAX_NESTING: usize = 64;
/// Longest run of prefix operators (`not not -x`) accepted.
pub const MAX_PREFIX_RUN: usize = 64;
/// Deepest syntax tree accepted (a chain of `n` binary operators is `n + 1` levels deep).
pub const MAX_AST_DEPTH: usize = 256;

// =============================================================================================
// Public API
// =============================================================================================

/// A syntax error, located by byte offsets into the text that was parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Byte range in the source (empty at `src.len()` for "found the end of the expression").
    pub span: std::ops::Range<usize>,
    /// What is wrong, e.g. ``expected `)` or an operator, found `b` ``.
    pub message: String,
    /// How to fix it, e.g. ``use `and` to require both conditions``.
    pub help: Option<String>,
}

impl ParseError {
    fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        ParseError {
            span,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn shifted(mut self, offset: usize) -> Self {
        self.span = self.span.start + offset..self.span.end + offset;
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a condition: `figure(/负责人出庭(应诉)?率/).value == 100%`.
pub fn parse_expr(src: &str) -> Result<Expr, ParseError> {
    parse_expr_in(src, Ctx::Expr)
}

/// Parses a `for:` clause: `m in figures(/率/)`.
pub fn parse_for(src: &str) -> Result<ForClause, ParseError> {
    let entry = parse_source(src, Rule::for_clause, Ctx::For)?;
    let mut inner = entry.into_inner();
    let var = inner.next().expect("grammar: for_clause starts with ident");
    let _in = inner.next().expect("grammar: kw_in");
    let expr = inner.next().expect("grammar: expr");
    expr_depth(expr.clone(), 0)?;
    Ok(ForClause {
        var: var.as_str().to_string(),
        var_span: span_of(&var),
        list: build_expr(expr)?,
    })
}

/// Parses a message template: free text with `{expr}` holes, `{{` and `}}` for literal
/// braces. Spans of the hole expressions are byte offsets into the whole template.
pub fn parse_template(src: &str) -> Result<Template, ParseError> {
    check_length(src, "template")?;
    let bytes = src.as_bytes();
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                text.push_str(&src[text_start..i]);
                text.push('{');
                i += 2;
                text_start = i;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                text.push_str(&src[text_start..i]);
                text.push('}');
                i += 2;
                text_start = i;
            }
            b'}' => {
                return Err(ParseError::new(i..i + 1, "unmatched `}` in template")
                    .help("write `}}` for a literal `}`"));
            }
            b'{' => {
                text.push_str(&src[text_start..i]);
                let start = i + 1;
                let end = hole_end(src, i)?;
                let inner = &src[start..end];
                if inner.trim().is_empty() {
                    return Err(ParseError::new(i..end + 1, "empty `{}` in template").help(
                        "put an expression between the braces, like `{m.value}`, \
                         or write `{{}}` for literal braces",
                    ));
                }
                let mut expr = parse_expr_in(inner, Ctx::Hole).map_err(|e| {
                    if e.span == (inner.len()..inner.len()) {
                        // "found `}`": point at the closing brace itself.
                        ParseError {
                            span: end..end + 1,
                            ..e
                        }
                    } else {
                        e.shifted(start)
                    }
                })?;
                shift_spans(&mut expr, start);
                if !text.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                }
                parts.push(TemplatePart::Expr(expr));
                i = end + 1;
                text_start = i;
            }
            _ => i += 1,
        }
    }
    text.push_str(&src[text_start..]);
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    Ok(Template { parts })
}

// =============================================================================================
// Pratt table
// =============================================================================================

/// The Pratt table, built from [`OPERATORS`] (loosest first): `or`; `and`; prefix `not`;
/// `== != < <= > >= ~ !~ in`; `??` (right-associative); `+ -`; `* /`; prefix `-`; postfix
/// `.member`.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    let mut pratt = PrattParser::new();
    let levels = OPERATORS.iter().map(|o| o.level).max().unwrap_or(0);
    for level in 1..=levels {
        let mut group: Option<Op<Rule>> = None;
        for o in OPERATORS.iter().filter(|o| o.level == level) {
            let rule = rule_of(o.fixity);
            let op = match o.fixity {
                Fixity::Infix(_) if o.right_assoc => Op::infix(rule, Assoc::Right),
                Fixity::Infix(_) => Op::infix(rule, Assoc::Left),
                Fixity::Prefix(_) => Op::prefix(rule),
                Fixity::Member => Op::postfix(rule),
            };
            group = Some(match group {
                Some(g) => g | op,
                None => op,
            });
        }
        if let Some(g) = group {
            pratt = pratt.op(g);
        }
    }
    pratt
});

/// The grammar rule of an operator.
fn rule_of(fixity: Fixity) -> Rule {
    use BinaryOp::*;
    match fixity {
        Fixity::Infix(op) => match op {
            Or => Rule::op_or,
            And => Rule::op_and,
            Eq => Rule::op_eq,
            Ne => Rule::op_ne,
            Lt => Rule::op_lt,
            Le => Rule::op_le,
            Gt => Rule::op_gt,
            Ge => Rule::op_ge,
            Match => Rule::op_match,
            NotMatch => Rule::op_not_match,
            In => Rule::op_in,
            Coalesce => Rule::op_coalesce,
            Add => Rule::op_add,
            Sub => Rule::op_sub,
            Mul => Rule::op_mul,
            Div => Rule::op_div,
        },
        Fixity::Prefix(UnaryOp::Not) => Rule::op_not,
        Fixity::Prefix(UnaryOp::Neg) => Rule::op_neg,
        Fixity::Member => Rule::member,
    }
}

/// The operator of a grammar rule, if it is one.
fn operator(rule: Rule) -> Option<&'static Operator> {
    OPERATORS.iter().find(|o| rule_of(o.fixity) == rule)
}

/// How an operator rule behaves, as in [`PRATT`] (levels ×10 as in pest, so that a prefix
/// operator's operand binds at `level - 1`). Used by `guards::expr_depth`.
#[derive(Clone, Copy)]
enum Affix {
    Prefix(u32),
    Infix(u32, Assoc),
    Postfix(u32),
}

fn affix(rule: Rule) -> Option<Affix> {
    let o = operator(rule)?;
    let bp = u32::from(o.level) * 10;
    Some(match o.fixity {
        Fixity::Infix(_) if o.right_assoc => Affix::Infix(bp, Assoc::Right),
        Fixity::Infix(_) => Affix::Infix(bp, Assoc::Left),
        Fixity::Prefix(_) => Affix::Prefix(bp),
        Fixity::Member => Affix::Postfix(bp),
    })
}

fn binary_op(rule: Rule) -> BinaryOp {
    match operator(rule).map(|o| o.fixity) {
        Some(Fixity::Infix(op)) => op,
        _ => unreachable!("not an infix operator: {rule:?}"),
    }
}

// =============================================================================================
// Driver (guards in guards.rs)
// =============================================================================================

/// Where the text being parsed comes from (changes how "the end" is described).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    Expr,
    For,
    Hole,
}

impl Ctx {
    fn end(self) -> &'static str {
        match self {
            Ctx::Expr => "the end of the expression",
            Ctx::For => "the end of the `for` clause",
            Ctx::Hole => "`}`",
        }
    }
}

fn parse_expr_in(src: &str, ctx: Ctx) -> Result<Expr, ParseError> {
    let entry = parse_source(src, Rule::expression, ctx)?;
    let expr = entry
        .into_inner()
        .next()
        .expect("grammar: expression = SOI ~ expr ~ EOI");
    expr_depth(expr.clone(), 0)?;
    build_expr(expr)
}

/// Runs the guards, then pest; returns the entry rule's pair.
fn parse_source(src: &str, rule: Rule, ctx: Ctx) -> Result<Pair<'_, Rule>, ParseError> {
    check_length(
        src,
        if ctx == Ctx::For {
            "`for` clause"
        } else {
            "expression"
        },
    )?;
    scan_guards(src)?;
    let mut pairs = ExprParser::parse(rule, src).map_err(|e| convert_error(src, e, ctx))?;
    Ok(pairs.next().expect("pest returns the entry rule"))
}

// =============================================================================================
// Building the tree
// =============================================================================================

fn span_of(pair: &Pair<'_, Rule>) -> ExprSpan {
    let span = pair.as_span();
    span.start()..span.end()
}

/// Builds an `expr` pair. Only call after [`expr_depth`] accepted it.
fn build_expr(pair: Pair<'_, Rule>) -> Result<Expr, ParseError> {
    PRATT
        .map_primary(build_primary)
        .map_prefix(|op, operand| {
            let operand = operand?;
            let op_kind = match op.as_rule() {
                Rule::op_not => UnaryOp::Not,
                Rule::op_neg => UnaryOp::Neg,
                other => unreachable!("not a prefix operator: {other:?}"),
            };
            Ok(Expr {
                span: op.as_span().start()..operand.span.end,
                kind: ExprKind::Unary {
                    op: op_kind,
                    operand: Box::new(operand),
                },
            })
        })
        .map_postfix(|object, op| {
            let object = object?;
            let name = op
                .into_inner()
                .find(|p| p.as_rule() == Rule::ident)
                .expect("grammar: member = dot ~ ident");
            let name_span = span_of(&name);
            Ok(Expr {
                span: object.span.start..name_span.end,
                kind: ExprKind::Member {
                    object: Box::new(object),
                    name: name.as_str().to_string(),
                    name_span,
                },
            })
        })
        .map_infix(|lhs, op, rhs| {
            let lhs = lhs?;
            let rhs = rhs?;
            Ok(Expr {
                span: lhs.span.start..rhs.span.end,
                kind: ExprKind::Binary {
                    op: binary_op(op.as_rule()),
                    op_span: span_of(&op),
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
            })
        })
        .parse(pair.into_inner())
}

fn build_primary(pair: Pair<'_, Rule>) -> Result<Expr, ParseError> {
    let span = span_of(&pair);
    let text = pair.as_str();
    let kind = match pair.as_rule() {
        Rule::integer => ExprKind::Int(text.parse().map_err(|_| {
            ParseError::new(span.clone(), "integer too large").help(format!(
                "integers go up to {}; write a decimal like `{text}.0` for larger numbers",
                i64::MAX
            ))
        })?),
        Rule::decimal => ExprKind::Decimal(text.parse().expect("grammar: digits.digits")),
        Rule::percent => ExprKind::Percent(
            text[..text.len() - 1]
                .parse()
                .expect("grammar: digits[.digits]%"),
        ),
        Rule::date => build_date(text, span.clone())?,
        Rule::string => ExprKind::Str(unescape_string(text, span.start)?),
        Rule::regex => {
            let mut inner = pair.into_inner();
            let body = inner.next().expect("grammar: regex_body");
            let flags = inner.next().expect("grammar: regex_flags");
            ExprKind::Regex {
                pattern: unescape_regex(body.as_str()),
                flags: flags.as_str().to_string(),
            }
        }
        Rule::kw_true => ExprKind::Bool(true),
        Rule::kw_false => ExprKind::Bool(false),
        Rule::kw_null => ExprKind::Null,
        Rule::ident => ExprKind::Name(text.to_string()),
        Rule::list => ExprKind::List(build_exprs(pair)?),
        Rule::call => {
            let func = pair
                .clone()
                .into_inner()
                .next()
                .expect("grammar: call = ident ~ …");
            if is_quantifier(func.as_str()) {
                return Err(quantifier_as_call(&pair, func.as_str()));
            }
            ExprKind::Call {
                func: func.as_str().to_string(),
                func_span: span_of(&func),
                args: build_exprs(pair)?,
            }
        }
        Rule::quantifier => {
            let mut inner = pair.into_inner();
            let kind = match inner.next().expect("grammar: quant_kind").as_str() {
                "any" => Quantifier::Any,
                "all" => Quantifier::All,
                "count" => Quantifier::Count,
                other => unreachable!("grammar: quant_kind {other}"),
            };
            let mut var = None;
            let mut exprs = Vec::with_capacity(2);
            for p in inner {
                match p.as_rule() {
                    Rule::ident => var = Some(p),
                    Rule::expr => exprs.push(p),
                    _ => {}
                }
            }
            let var = var.expect("grammar: quantifier variable");
            let cond = exprs.pop().expect("grammar: quantifier condition");
            let list = exprs.pop().expect("grammar: quantifier list");
            ExprKind::Quantifier {
                kind,
                var: var.as_str().to_string(),
                var_span: span_of(&var),
                list: Box::new(build_expr(list)?),
                cond: Box::new(build_expr(cond)?),
            }
        }
        Rule::paren => {
            // No node for parentheses: the inner expression, spanning them.
            let inner = pair
                .into_inner()
                .find(|p| p.as_rule() == Rule::expr)
                .expect("grammar: paren = ( expr )");
            let mut expr = build_expr(inner)?;
            expr.span = span;
            return Ok(expr);
        }
        other => unreachable!("not a primary: {other:?}"),
    };
    Ok(Expr { kind, span })
}

fn build_exprs(pair: Pair<'_, Rule>) -> Result<Vec<Expr>, ParseError> {
    pair.into_inner()
        .filter(|p| p.as_rule() == Rule::expr)
        .map(build_expr)
        .collect()
}

fn build_date(text: &str, span: Range<usize>) -> Result<ExprKind, ParseError> {
    let year: i32 = text[0..4].parse().expect("grammar: 4 digits");
    let month: u32 = text[5..7].parse().expect("grammar: 2 digits");
    let day: u32 = text[8..10].parse().expect("grammar: 2 digits");
    if !(1..=12).contains(&month) {
        return Err(ParseError::new(
            span,
            format!("invalid date `{text}`: there is no month {month}"),
        )
        .help("dates are written year-month-day, like `2024-03-01`"));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days).contains(&day) {
        return Err(ParseError::new(
            span,
            format!("invalid date `{text}`: month {month} of {year} has no day {day}"),
        )
        .help(format!(
            "the days of month {month} of {year} are 01 to {days}"
        )));
    }
    Ok(ExprKind::Date { year, month, day })
}

/// Resolves the escapes of a string literal (`text` includes the quotes; `at` is its offset).
fn unescape_string(text: &str, at: usize) -> Result<String, ParseError> {
    let body = &text[1..text.len() - 1];
    let base = at + 1;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let (j, e) = chars.next().expect("grammar: escape = \\ ~ ANY");
        let bad = |end: usize, message: String| {
            ParseError::new(base + i..base + end, message).help(
                "the escapes are `\\\\` `\\\"` `\\'` `\\n` `\\t` `\\r` and `\\u{4E2D}`; \
                 write `\\\\` for a backslash",
            )
        };
        match e {
            '\\' | '"' | '\'' => out.push(e),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'u' => {
                let rest = &body[j + 1..];
                let close = rest.find('}');
                let hex = match (rest.strip_prefix('{'), close) {
                    (Some(_), Some(close)) => &rest[1..close],
                    _ => {
                        return Err(bad(
                            j + 1,
                            "invalid unicode escape: write `\\u{…}` with 1 to 6 hex digits"
                                .to_string(),
                        ));
                    }
                };
                let end = j + 1 + close.expect("matched above") + 1;
                let ch = (!hex.is_empty() && hex.len() <= 6)
                    .then(|| u32::from_str_radix(hex, 16).ok())
                    .flatten()
                    .and_then(char::from_u32);
                match ch {
                    Some(ch) => out.push(ch),
                    None => {
                        return Err(bad(end, format!("invalid unicode escape `\\u{{{hex}}}`")));
                    }
                }
                while chars.peek().is_some_and(|&(k, _)| k < end) {
                    chars.next();
                }
            }
            other => {
                return Err(bad(
                    j + other.len_utf8(),
                    format!("unknown escape `\\{other}` in string"),
                ));
            }
        }
    }
    Ok(out)
}

/// `\/` becomes `/`; every other backslash sequence stays as written (it is regex syntax).
fn unescape_regex(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('/') => out.push('/'),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `any(s in sections, s.level == 1)` parses as a call of `any`: one error at the comma that
/// should be a colon, instead of "unknown function `any`" and two unknown names.
fn quantifier_as_call(pair: &Pair<'_, Rule>, keyword: &str) -> ParseError {
    let inner: Vec<Pair<'_, Rule>> = pair.clone().into_inner().collect();
    let first_arg = inner.iter().find(|p| p.as_rule() == Rule::expr);
    let binds = first_arg.is_some_and(|a| {
        let parts: Vec<Rule> = a.clone().into_inner().map(|p| p.as_rule()).collect();
        matches!(parts.as_slice(), [Rule::ident, Rule::op_in, ..])
    });
    let comma = inner.iter().find(|p| p.as_rule() == Rule::comma);
    let shape = format!("{keyword}(x in list: condition)");
    match (binds, comma) {
        (true, Some(comma)) => ParseError::new(
            span_of(comma),
            format!("expected `:` after the list of `{keyword}`, found `,`"),
        )
        .help(format!(
            "a quantifier separates the list from the condition with a colon: `{shape}`"
        )),
        _ => ParseError::new(
            span_of(pair),
            format!("`{keyword}` is a quantifier, written `{shape}`"),
        )
        .help(format!(
            "name each item and give the condition: e.g. `{}`",
            super::operators::quantifier_example(keyword)
        )),
    }
}

/// Moves every span of `e` by `offset` bytes (template holes). Recursion is bounded by
/// [`MAX_AST_DEPTH`], which the tree was checked against.
fn shift_spans(e: &mut Expr, offset: usize) {
    let shift = |s: &mut ExprSpan| *s = s.start + offset..s.end + offset;
    shift(&mut e.span);
    match &mut e.kind {
        ExprKind::List(items) => items.iter_mut().for_each(|x| shift_spans(x, offset)),
        ExprKind::Member {
            object, name_span, ..
        } => {
            shift(name_span);
            shift_spans(object, offset);
        }
        ExprKind::Call {
            func_span, args, ..
        } => {
            shift(func_span);
            args.iter_mut().for_each(|x| shift_spans(x, offset));
        }
        ExprKind::Unary { operand, .. } => shift_spans(operand, offset),
        ExprKind::Binary {
            op_span, lhs, rhs, ..
        } => {
            shift(op_span);
            shift_spans(lhs, offset);
            shift_spans(rhs, offset);
        }
        ExprKind::Quantifier {
            var_span,
            list,
            cond,
            ..
        } => {
            shift(var_span);
            shift_spans(list, offset);
            shift_spans(cond, offset);
        }
        ExprKind::Int(_)
        | ExprKind::Decimal(_)
        | ExprKind::Percent(_)
        | ExprKind::Str(_)
        | ExprKind::Regex { .. }
        | ExprKind::Date { .. }
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Name(_) => {}
    }
}

mod errors;
mod guards;
mod lexer;
#[cfg(test)]
mod tests;

use errors::{convert_error, unterminated_string};
use guards::{check_length, expr_depth, scan_guards};
use lexer::hole_end;

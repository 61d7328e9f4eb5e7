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

/// The precedence table, lowest first: `or`; `and`; prefix `not`;
/// `== != < <= > >= ~ !~ in`; `??` (right-associative); `+ -`; `* /`; prefix `-`;
/// postfix `.member`. All infix operators but `??` are left-associative.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_match, Assoc::Left)
            | Op::infix(Rule::op_not_match, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left))
        .op(Op::infix(Rule::op_coalesce, Assoc::Right))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
        .op(Op::postfix(Rule::member))
});

/// How an operator rule behaves, mirroring [`PRATT`] (levels ×10 as in pest, so that a
/// prefix operator's operand binds at `level - 1`). Used by [`expr_depth`].
#[derive(Clone, Copy)]
enum Affix {
    Prefix(u32),
    Infix(u32, Assoc),
    Postfix(u32),
}

fn affix(rule: Rule) -> Option<Affix> {
    use Rule::*;
    Some(match rule {
        op_or => Affix::Infix(10, Assoc::Left),
        op_and => Affix::Infix(20, Assoc::Left),
        op_not => Affix::Prefix(30),
        op_eq | op_ne | op_lt | op_le | op_gt | op_ge | op_match | op_not_match | op_in => {
            Affix::Infix(40, Assoc::Left)
        }
        op_coalesce => Affix::Infix(50, Assoc::Right),
        op_add | op_sub => Affix::Infix(60, Assoc::Left),
        op_mul | op_div => Affix::Infix(70, Assoc::Left),
        op_neg => Affix::Prefix(80),
        member => Affix::Postfix(90),
        _ => return None,
    })
}

fn binary_op(rule: Rule) -> BinaryOp {
    use BinaryOp::*;
    match rule {
        Rule::op_or => Or,
        Rule::op_and => And,
        Rule::op_eq => Eq,
        Rule::op_ne => Ne,
        Rule::op_lt => Lt,
        Rule::op_le => Le,
        Rule::op_gt => Gt,
        Rule::op_ge => Ge,
        Rule::op_match => Match,
        Rule::op_not_match => NotMatch,
        Rule::op_in => In,
        Rule::op_coalesce => Coalesce,
        Rule::op_add => Add,
        Rule::op_sub => Sub,
        Rule::op_mul => Mul,
        Rule::op_div => Div,
        other => unreachable!("not an infix operator: {other:?}"),
    }
}

// =============================================================================================
// Driver and guards
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

fn check_length(src: &str, what: &str) -> Result<(), ParseError> {
    if src.len() > MAX_SOURCE_LEN {
        return Err(ParseError::new(
            src.len()..src.len(),
            format!(
                "{what} too long ({} bytes; at most {MAX_SOURCE_LEN} are accepted)",
                src.len()
            ),
        )
        .help("split it into several rules"));
    }
    Ok(())
}

fn too_deep(span: Range<usize>, limit: usize) -> ParseError {
    ParseError::new(
        span,
        format!("expression nested too deeply (more than {limit} levels)"),
    )
}

/// Linear pre-scan: bracket nesting and runs of prefix operators (so that neither pest nor
/// the Pratt parser recurse deeper than the limits).
fn scan_guards(src: &str) -> Result<(), ParseError> {
    let mut lexer = Lexer::new(src, 0);
    let mut depth = 0usize;
    let mut run = 0usize;
    while let Some((tok, span)) = lexer.next_token() {
        match tok {
            Tok::Open(_) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(
                        too_deep(span, MAX_NESTING).help("split the condition into smaller rules")
                    );
                }
            }
            Tok::Close(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if tok == Tok::Prefix {
            run += 1;
            if run > MAX_PREFIX_RUN {
                return Err(ParseError::new(
                    span,
                    format!("too many prefix operators in a row (more than {MAX_PREFIX_RUN})"),
                )
                .help("`not not x` is `x`: remove pairs of `not` and of `-`"));
            }
        } else {
            run = 0;
        }
    }
    Ok(())
}

/// The depth of the tree `pair` (an `expr`) would build, computed by replaying the Pratt
/// parser with an explicit operator stack (shunting-yard), so that it never recurses per
/// operator; it recurses only into bracketed sub-expressions, which [`scan_guards`] has
/// limited to [`MAX_NESTING`] levels (and which are limited here again, defensively).
/// Errs as soon as the depth exceeds [`MAX_AST_DEPTH`], pointing at the operator or
/// operand where it did.
fn expr_depth(pair: Pair<'_, Rule>, level: usize) -> Result<usize, ParseError> {
    struct Pending {
        /// Binding power of the pending operator's right side (pest's `rbp`).
        rbp: u32,
        /// Depth of the left operand, for infix operators.
        lhs: Option<usize>,
        span: Range<usize>,
    }
    fn node(depth: usize, span: &Range<usize>) -> Result<usize, ParseError> {
        if depth > MAX_AST_DEPTH {
            Err(too_deep(span.clone(), MAX_AST_DEPTH)
                .help("long chains of operators nest too: split the condition into smaller rules"))
        } else {
            Ok(depth)
        }
    }
    /// Completes every pending operator that binds tighter than an operator of `lbp`.
    fn reduce(stack: &mut Vec<Pending>, mut cur: usize, lbp: u32) -> Result<usize, ParseError> {
        while let Some(top) = stack.last() {
            if top.rbp < lbp {
                break;
            }
            let top = stack.pop().expect("just looked");
            cur = node(top.lhs.unwrap_or(0).max(cur) + 1, &top.span)?;
        }
        Ok(cur)
    }

    let whole = span_of(&pair);
    if level > MAX_NESTING {
        return Err(too_deep(whole, MAX_NESTING));
    }
    let mut stack: Vec<Pending> = Vec::new();
    let mut cur: Option<usize> = None;
    for item in pair.into_inner() {
        let span = span_of(&item);
        match affix(item.as_rule()) {
            Some(Affix::Prefix(bp)) => stack.push(Pending {
                rbp: bp - 1,
                lhs: None,
                span: span.clone(),
            }),
            Some(Affix::Infix(bp, assoc)) => {
                let lhs = reduce(&mut stack, cur.take().expect("grammar: operand"), bp)?;
                let rbp = if matches!(assoc, Assoc::Right) {
                    bp - 1
                } else {
                    bp
                };
                stack.push(Pending {
                    rbp,
                    lhs: Some(lhs),
                    span: span.clone(),
                });
            }
            Some(Affix::Postfix(bp)) => {
                let operand = reduce(&mut stack, cur.take().expect("grammar: operand"), bp)?;
                cur = Some(node(operand + 1, &span)?);
            }
            None => cur = Some(primary_depth(item, level)?),
        }
        if stack.len() >= MAX_AST_DEPTH {
            return Err(too_deep(span, MAX_AST_DEPTH).help(
                "long chains of operators nest too: split the condition into smaller rules",
            ));
        }
    }
    reduce(&mut stack, cur.expect("grammar: operand"), 0)
}

fn primary_depth(pair: Pair<'_, Rule>, level: usize) -> Result<usize, ParseError> {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::paren => expr_depth(
            pair.into_inner()
                .find(|p| p.as_rule() == Rule::expr)
                .expect("grammar: paren has expr"),
            level + 1,
        ),
        Rule::call | Rule::list | Rule::quantifier => {
            let mut deepest = 0;
            for sub in pair.into_inner().filter(|p| p.as_rule() == Rule::expr) {
                deepest = deepest.max(expr_depth(sub, level + 1)?);
            }
            if deepest >= MAX_AST_DEPTH {
                return Err(too_deep(span, MAX_AST_DEPTH));
            }
            Ok(deepest + 1)
        }
        _ => Ok(1),
    }
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

// =============================================================================================
// A rough lexer: guards, template holes, error recovery
// =============================================================================================

/// Tokens as far as the guards and error messages care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    /// `(`, `[`, `{`
    Open(u8),
    /// `)`, `]`, `}`
    Close(u8),
    /// `not`, or `-` where an operand is expected
    Prefix,
    /// Something that ends an operand: name, number, string, regex, `true`…
    Operand,
    /// A quote whose string does not end on its line.
    UnterminatedString,
    /// Anything else: infix operators, `,`, `:`, `.`, unknown characters, a `/` that neither
    /// divides nor starts a complete regex.
    Other,
}

/// Splits source text the way the grammar does, closely enough to count brackets outside
/// strings and regexes: a `/` starts a regex unless it follows an operand (then it divides),
/// exactly as in the grammar where regexes are operands and `/` is an infix operator.
struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    after_operand: bool,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str, pos: usize) -> Self {
        Lexer {
            src,
            pos,
            after_operand: false,
        }
    }

    fn next_token(&mut self) -> Option<(Tok, Range<usize>)> {
        let b = self.src.as_bytes();
        loop {
            match b.get(self.pos) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                Some(b'#') => {
                    while b.get(self.pos).is_some_and(|&c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let start = self.pos;
        let c = *b.get(start)?;
        let tok = match c {
            b'"' | b'\'' => match string_end(b, start) {
                Ok(end) => {
                    self.pos = end;
                    Tok::Operand
                }
                Err(stop) => {
                    self.pos = stop;
                    Tok::UnterminatedString
                }
            },
            b'/' if !self.after_operand => match regex_end(b, start) {
                Some(end) => {
                    self.pos = end;
                    Tok::Operand
                }
                None => {
                    self.pos = start + 1;
                    Tok::Other
                }
            },
            b'(' | b'[' | b'{' => {
                self.pos += 1;
                Tok::Open(c)
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                Tok::Close(c)
            }
            b'0'..=b'9' => {
                while b
                    .get(self.pos)
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'%'))
                {
                    self.pos += 1;
                }
                Tok::Operand
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                self.pos = word_end(b, start);
                match &self.src[start..self.pos] {
                    "not" => Tok::Prefix,
                    "and" | "or" | "in" => Tok::Other,
                    _ => Tok::Operand,
                }
            }
            b'-' if !self.after_operand => {
                self.pos += 1;
                Tok::Prefix
            }
            _ => {
                self.pos += char_len(self.src, start);
                Tok::Other
            }
        };
        self.after_operand = matches!(tok, Tok::Operand | Tok::Close(_));
        Some((tok, start..self.pos))
    }
}

fn char_len(src: &str, at: usize) -> usize {
    src[at..].chars().next().map_or(1, char::len_utf8)
}

fn word_end(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        i += 1;
    }
    i
}

/// End (after the closing quote) of the string starting at `start`, or where it stops
/// unterminated (the end of the line or of the text). Same rules as the grammar.
fn string_end(b: &[u8], start: usize) -> Result<usize, usize> {
    let quote = b[start];
    let mut i = start + 1;
    loop {
        match b.get(i) {
            None | Some(b'\n') => return Err(i),
            Some(&c) if c == quote => return Ok(i + 1),
            Some(b'\\') if b.get(i + 1).is_some_and(|&n| n != b'\n') => i += 2,
            Some(_) => i += 1,
        }
    }
}

/// End (after the flags) of the regex starting at `start`, if it is complete: a non-empty
/// body on one line, then `/`. Same rules as the grammar.
fn regex_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match b.get(i) {
            None | Some(b'\n') => return None,
            Some(b'/') if i == start + 1 => return None,
            Some(b'/') => break,
            Some(b'\\') if b.get(i + 1).is_some_and(|&n| n != b'\n') => i += 2,
            Some(_) => i += 1,
        }
    }
    i += 1;
    while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        i += 1;
    }
    Some(i)
}

/// Index of the `}` closing the template hole opened at `open`.
fn hole_end(src: &str, open: usize) -> Result<usize, ParseError> {
    let mut lexer = Lexer::new(src, open + 1);
    let mut braces = 0usize;
    while let Some((tok, span)) = lexer.next_token() {
        match tok {
            Tok::Open(b'{') => braces += 1,
            Tok::Close(b'}') if braces == 0 => return Ok(span.start),
            Tok::Close(b'}') => braces -= 1,
            Tok::UnterminatedString => return Err(unterminated_string(src, span.start)),
            _ => {}
        }
    }
    Err(ParseError::new(open..open + 1, "unclosed `{` in template")
        .help("end the expression with `}`, or write `{{` for a literal `{`"))
}

/// Brackets opened and never closed, outermost first.
fn unclosed_brackets(src: &str) -> Vec<(u8, usize)> {
    let mut lexer = Lexer::new(src, 0);
    let mut stack: Vec<(u8, usize)> = Vec::new();
    while let Some((tok, span)) = lexer.next_token() {
        match tok {
            Tok::Open(c) => stack.push((c, span.start)),
            Tok::Close(c) if stack.last().is_some_and(|&(o, _)| closer(o) == c) => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

// =============================================================================================
// Error messages
// =============================================================================================

/// A friendly name for what a rule matches, as used in "expected …".
fn describe(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        EOI => "the end of the expression",
        expression | for_clause | expr | primary => "an expression",
        prefix => "`not` or `-`",
        postfix => "`.`",
        infix => "an operator",
        escape => "an escape like `\\n`",
        keyword => "a keyword",
        ident_char => "a letter, digit or `_`",
        WHITESPACE => "a space",
        COMMENT => "a comment",
        date => "a date",
        percent => "a percentage",
        decimal | integer => "a number",
        string => "a string",
        regex | regex_body | regex_flags => "a regex",
        kw_true | kw_false | kw_null => "`true`, `false` or `null`",
        quantifier | quant_kind => "`any`, `all` or `count`",
        call => "a function call",
        list => "a list",
        paren => "a parenthesised expression",
        ident => "a name",
        member | dot => "`.`",
        kw_in | op_in => "`in`",
        op_not => "`not`",
        op_neg | op_sub => "`-`",
        op_or => "`or`",
        op_and => "`and`",
        op_eq => "`==`",
        op_ne => "`!=`",
        op_le => "`<=`",
        op_lt => "`<`",
        op_ge => "`>=`",
        op_gt => "`>`",
        op_match => "`~`",
        op_not_match => "`!~`",
        op_coalesce => "`??`",
        op_add => "`+`",
        op_mul => "`*`",
        op_div => "`/`",
        lparen => "`(`",
        rparen => "`)`",
        lbracket => "`[`",
        rbracket => "`]`",
        comma => "`,`",
        colon => "`:`",
    }
}

/// How an expected rule is grouped in a message: every way to start an operand becomes
/// "an expression", every infix or postfix operator "an operator".
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Expect {
    Operand,
    Name,
    Punct(Rule),
    Operator,
    End,
}

fn expect_group(rule: Rule) -> Expect {
    use Rule::*;
    match rule {
        EOI => Expect::End,
        ident => Expect::Name,
        kw_in | comma | colon | rparen | rbracket => Expect::Punct(rule),
        // An operand may start with `(`, `[`, `not`, `-`.
        lparen | lbracket | op_not | op_neg => Expect::Operand,
        r if matches!(affix(r), Some(Affix::Infix(..) | Affix::Postfix(_))) || r == dot => {
            Expect::Operator
        }
        _ => Expect::Operand,
    }
}

/// "an expression", "`)` or an operator", "`,`, `]` or an operator".
fn expected_phrase(positives: &[Rule], ctx: Ctx) -> String {
    let mut groups: Vec<Expect> = positives.iter().map(|&r| expect_group(r)).collect();
    groups.sort();
    groups.dedup();
    if groups.contains(&Expect::Operator) {
        // After an operand, the only "operand" pest can have tried is the `(` of a call
        // (`a b` tries `a(`): not worth mentioning next to the operators.
        groups.retain(|g| *g != Expect::Operand);
    }
    if groups.contains(&Expect::Operand) {
        groups.retain(|g| *g != Expect::Name);
    }
    let words: Vec<String> = groups
        .iter()
        .map(|g| match g {
            Expect::Operand => "an expression".to_string(),
            Expect::Name => describe(Rule::ident).to_string(),
            Expect::Punct(r) => describe(*r).to_string(),
            Expect::Operator => "an operator".to_string(),
            Expect::End => ctx.end().to_string(),
        })
        .collect();
    match words.as_slice() {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A 1-character range at `pos` (an empty one at the end).
fn point(src: &str, pos: usize) -> Range<usize> {
    let mut pos = pos.min(src.len());
    while !src.is_char_boundary(pos) {
        pos -= 1;
    }
    if pos == src.len() {
        pos..pos
    } else {
        pos..pos + char_len(src, pos)
    }
}

/// The token found at `pos`, roughly: a word, a number, a run of operator symbols, or one
/// character.
fn token_at(src: &str, pos: usize) -> Range<usize> {
    let b = src.as_bytes();
    let Some(&c) = b.get(pos) else {
        return pos..pos;
    };
    let end = if c.is_ascii_alphabetic() || c == b'_' {
        word_end(b, pos)
    } else if c.is_ascii_digit() {
        let mut i = pos;
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'%' | b'-'))
        {
            i += 1;
        }
        i
    } else if b"=!<>&|?~+*/%".contains(&c) {
        let mut i = pos + 1;
        if b.get(i).is_some_and(|c| b"=!<>&|?~/".contains(c)) {
            i += 1;
        }
        i
    } else if !c.is_ascii() {
        // A run of non-ASCII letters (`出庭率`), or one other character.
        let run: usize = src[pos..]
            .chars()
            .take_while(|c| !c.is_ascii() && c.is_alphanumeric())
            .map(char::len_utf8)
            .sum();
        pos + run.max(char_len(src, pos))
    } else {
        pos + 1
    };
    pos..end
}

fn unterminated_string(src: &str, quote: usize) -> ParseError {
    let q = src.as_bytes()[quote] as char;
    ParseError::new(quote..quote + 1, "unterminated string").help(format!(
        "end the string with `{q}` on the same line (write `\\{q}` for a quote inside it)"
    ))
}

/// Turns pest's error into a [`ParseError`] with byte spans, a readable message and help
/// for common mistakes.
fn convert_error(src: &str, err: pest::error::Error<Rule>, ctx: Ctx) -> ParseError {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    }
    .min(src.len());
    let positives = match err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { message } => {
            return ParseError::new(
                point(src, pos),
                format!("expression too complex to parse ({message})"),
            )
            .help("split the condition into smaller rules");
        }
    };
    let expected = expected_phrase(&positives, ctx);
    let wants_operator = positives
        .iter()
        .any(|&r| expect_group(r) == Expect::Operator);
    let wants_operand = !wants_operator
        && positives
            .iter()
            .any(|&r| expect_group(r) == Expect::Operand);
    let rest = &src[pos..];
    let tok = token_at(src, pos);
    let found_text = &src[tok.clone()];
    let found = if rest.is_empty() {
        ctx.end().to_string()
    } else if found_text.chars().count() > 24 {
        let head: String = found_text.chars().take(24).collect();
        format!("`{head}…`")
    } else {
        format!("`{found_text}`")
    };
    let generic =
        |span: Range<usize>| ParseError::new(span, format!("expected {expected}, found {found}"));

    // Unterminated literals.
    if wants_operand
        && (rest.starts_with('"') || rest.starts_with('\''))
        && string_end(src.as_bytes(), pos).is_err()
    {
        return unterminated_string(src, pos);
    }
    if rest.starts_with('/') && src[..pos].ends_with('/') {
        // `a // comment`: the first `/` was taken as a division.
        return ParseError::new(pos - 1..pos + 1, "`//` does not start a comment")
            .help("comments start with `#`");
    }
    if wants_operand && rest.starts_with('/') {
        if rest.starts_with("//") {
            return ParseError::new(pos..pos + 2, "`//` does not start a comment")
                .help("comments start with `#`");
        }
        if regex_end(src.as_bytes(), pos).is_none() {
            return ParseError::new(pos..pos + 1, "unterminated regex (a regex ends with /)").help(
                "end the regex with `/` on the same line (write `\\/` for a slash inside it)",
            );
        }
    }

    // Common mistakes.
    let mistake = |help: String| Some(generic(tok.clone()).help(help));
    let help = if rest.starts_with("&&") {
        mistake("use `and` to require both conditions".into())
    } else if rest.starts_with("||") {
        mistake("use `or` to accept either condition".into())
    } else if rest.starts_with('>') && src[..pos].ends_with('<') {
        Some(
            ParseError::new(pos - 1..pos + 1, "`<>` is not an operator")
                .help("use `!=` for \"not equal\""),
        )
    } else if rest.starts_with("=<") || rest.starts_with("=>") {
        let op = if rest.starts_with("=<") { "<=" } else { ">=" };
        Some(generic(pos..pos + 2).help(format!("use `{op}`")))
    } else if wants_operator && rest.starts_with('=') && !rest.starts_with("==") {
        Some(generic(pos..pos + 1).help("use `==` to compare"))
    } else if rest.starts_with('!') && !rest.starts_with("!=") && !rest.starts_with("!~") {
        Some(generic(pos..pos + 1).help("use `not` to negate a condition, `!=` for \"not equal\""))
    } else if rest.starts_with('%') {
        Some(
            generic(pos..pos + 1)
                .help("a percentage is written right after its number, like `100%`"),
        )
    } else if wants_operand && rest.starts_with('.') {
        Some(generic(pos..pos + 1).help("write decimals with a leading digit, like `0.5`"))
    } else if let Some(ascii) = rest.chars().next().and_then(full_width) {
        let c = rest.chars().next().expect("not empty");
        Some(generic(point(src, pos)).help(format!(
            "`{c}` is a full-width character; use the ASCII `{ascii}`"
        )))
    } else if found_text.bytes().all(|c| c.is_ascii_alphabetic())
        && found_text != found_text.to_ascii_lowercase()
        && is_lower_case_word(&found_text.to_ascii_lowercase())
    {
        mistake(format!(
            "keywords are lower-case: write `{}`",
            found_text.to_ascii_lowercase()
        ))
    } else if wants_operand
        && rest
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii() && c.is_alphanumeric())
    {
        mistake(format!(
            "text must be quoted, like `\"{found_text}\"`; names use ASCII letters, digits and `_`"
        ))
    } else {
        None
    };
    if let Some(e) = help {
        return e;
    }

    // A closing bracket that closes nothing.
    if let Some(&c @ (b')' | b']')) = rest.as_bytes().first()
        && unclosed_brackets(&src[..pos]).is_empty()
    {
        let open = if c == b')' { '(' } else { '[' };
        return ParseError::new(pos..pos + 1, format!("unmatched `{}`", c as char))
            .help(format!("remove it, or add the `{open}` it closes"));
    }

    // Reached the end with a bracket still open: point at the bracket.
    if rest.is_empty()
        && let Some(&(open, at)) = unclosed_brackets(src).last()
    {
        let (close, open) = (closer(open) as char, open as char);
        return ParseError::new(at..at + 1, format!("unclosed `{open}`")).help(format!(
            "expected {expected} at the end; close the `{open}` with `{close}`"
        ));
    }
    generic(point(src, pos))
}

/// Keywords and quantifiers, which authors sometimes write in capitals.
fn is_lower_case_word(word: &str) -> bool {
    matches!(
        word,
        "and" | "or" | "not" | "in" | "true" | "false" | "null" | "any" | "all" | "count"
    )
}

/// The ASCII character a full-width (Chinese input method) one stands for.
fn full_width(c: char) -> Option<char> {
    Some(match c {
        '（' => '(',
        '）' => ')',
        '［' | '【' => '[',
        '］' | '】' => ']',
        '，' | '、' => ',',
        '：' => ':',
        '“' | '”' | '＂' => '"',
        '‘' | '’' | '＇' => '\'',
        '！' => '!',
        '＝' => '=',
        '＜' => '<',
        '＞' => '>',
        '％' => '%',
        '＋' => '+',
        '－' => '-',
        '＊' => '*',
        '／' => '/',
        '～' => '~',
        '？' => '?',
        '．' | '。' => '.',
        '｛' => '{',
        '｝' => '}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::ast::{BinaryOp, ExprKind, Quantifier, TemplatePart, UnaryOp};
    use super::super::pretty::{pretty, without_spans};
    use super::*;

    // ---- helpers ----------------------------------------------------------------------------

    #[track_caller]
    fn ok(src: &str) -> Expr {
        parse_expr(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"))
    }

    /// Fully parenthesised structure: `(a ?? (b ?? c))`.
    fn sx(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Binary { op, lhs, rhs, .. } => {
                format!("({} {} {})", sx(lhs), op.symbol(), sx(rhs))
            }
            ExprKind::Unary { op, operand } => {
                let op = if *op == UnaryOp::Not { "not " } else { "-" };
                format!("({op}{})", sx(operand))
            }
            ExprKind::Member { object, name, .. } => format!("({}.{name})", sx(object)),
            _ => pretty(e),
        }
    }

    /// `src` parses to the structure `expected` (see [`sx`]).
    #[track_caller]
    fn tree(src: &str, expected: &str) {
        assert_eq!(sx(&ok(src)), expected, "{src:?}");
    }

    /// `src` parses to a node of `kind`.
    #[track_caller]
    fn is(src: &str, kind: ExprKind) {
        assert_eq!(without_spans(&ok(src)), e(kind), "{src:?}");
    }

    fn e(kind: ExprKind) -> Expr {
        Expr { kind, span: 0..0 }
    }

    fn bx(src: &str) -> Box<Expr> {
        Box::new(without_spans(&ok(src)))
    }

    fn regex(pattern: &str, flags: &str) -> ExprKind {
        let (pattern, flags) = (pattern.into(), flags.into());
        ExprKind::Regex { pattern, flags }
    }

    /// `src` fails with exactly this span and message.
    #[track_caller]
    fn fails(src: &str, span: Range<usize>, message: &str) {
        let err = parse_expr(src).expect_err(src);
        assert_eq!((err.span, err.message.as_str()), (span, message), "{src:?}");
    }

    /// `src` fails with a help that contains `part`.
    #[track_caller]
    fn helps(src: &str, part: &str) {
        let help = parse_expr(src).expect_err(src).help.unwrap_or_default();
        assert!(help.contains(part), "{src:?}: help {help:?} lacks {part:?}");
    }

    /// The message of the error for `src`.
    fn message(src: &str) -> String {
        parse_expr(src).expect_err("should fail").message
    }

    #[track_caller]
    fn for_fails(src: &str, message: &str) {
        assert_eq!(parse_for(src).expect_err(src).message, message, "{src:?}");
    }

    #[track_caller]
    fn template_fails(src: &str, span: Range<usize>, message: &str) {
        let err = parse_template(src).expect_err(src);
        assert_eq!((err.span, err.message.as_str()), (span, message), "{src:?}");
    }

    /// The parts of a template, holes printed as `{expr}`.
    #[track_caller]
    fn parts(src: &str, expected: &[&str]) {
        let template = parse_template(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
        let parts: Vec<String> = template
            .parts
            .iter()
            .map(|p| match p {
                TemplatePart::Text(t) => t.clone(),
                TemplatePart::Expr(e) => format!("{{{}}}", pretty(e)),
            })
            .collect();
        assert_eq!(parts, expected, "{src:?}");
    }

    fn holes(src: &str) -> Vec<Expr> {
        let template = parse_template(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
        let holes = template.parts.into_iter().filter_map(|p| match p {
            TemplatePart::Expr(e) => Some(e),
            TemplatePart::Text(_) => None,
        });
        holes.collect()
    }

    const OP_OR_END: &str = "expected an operator or the end of the expression";
    const EXPR_NOT_END: &str = "expected an expression, found the end of the expression";
    const DEEP: &str = "expression nested too deeply (more than 64 levels)";
    const DEEPER: &str = "expression nested too deeply (more than 256 levels)";
    const PREFIXES: &str = "too many prefix operators in a row (more than 64)";

    // ---- precedence -------------------------------------------------------------------------

    #[test]
    fn precedence_table() {
        tree("a or b and c", "(a or (b and c))");
        tree("a and b or c", "((a and b) or c)");
        tree("not a and b", "((not a) and b)");
        tree("not a == b", "(not (a == b))");
        tree("a == b ?? c", "(a == (b ?? c))");
        tree("a ?? b <= c", "((a ?? b) <= c)");
        tree("a ?? b + 1", "(a ?? (b + 1))");
        tree("a ?? b ?? c", "(a ?? (b ?? c))");
        tree("a + b * c - d", "((a + (b * c)) - d)");
        tree("a - b - c", "((a - b) - c)");
        tree("a / b * c", "((a / b) * c)");
        tree("-x.y", "(-(x.y))");
        tree("-a * b", "((-a) * b)");
        tree("not not a", "(not (not a))");
        tree("a == not b == c", "(a == (not (b == c)))");
        tree("x in xs and y !~ /z/", "((x in xs) and (y !~ /z/))");
        tree("a < b == c", "((a < b) == c)");
        tree("a != b ~ c", "((a != b) ~ c)");
        tree("a >= b > c", "((a >= b) > c)");
        tree("a.b.c", "((a.b).c)");
        tree("(a or b).c", "((a or b).c)");
    }

    // ---- literals ---------------------------------------------------------------------------

    #[test]
    fn literals() {
        is("42", ExprKind::Int(42));
        is("9223372036854775807", ExprKind::Int(i64::MAX));
        is("46.9531", ExprKind::Decimal(46.9531));
        is("100%", ExprKind::Percent(100.0));
        is("99.5%", ExprKind::Percent(99.5));
        is(r#""出庭率""#, ExprKind::Str("出庭率".into()));
        is(r#"'it\'s "x"'"#, ExprKind::Str("it's \"x\"".into()));
        is(
            r#""\\ \" \' \n \t \r \u{4E2D}""#,
            ExprKind::Str("\\ \" ' \n \t \r 中".into()),
        );
        is(r"/\d{4}年/", regex(r"\d{4}年", ""));
        is(r"/a\/b\\/i", regex(r"a/b\\", "i"));
        is("/负责人出庭(应诉)?率/", regex("负责人出庭(应诉)?率", ""));
        is(
            "2024-03-01",
            ExprKind::Date {
                year: 2024,
                month: 3,
                day: 1,
            },
        );
        is(
            "2024-02-29",
            ExprKind::Date {
                year: 2024,
                month: 2,
                day: 29,
            },
        );
        is("true", ExprKind::Bool(true));
        is("false", ExprKind::Bool(false));
        is("null", ExprKind::Null);
        is("[]", ExprKind::List(vec![]));
        is("[a, 1,]", ExprKind::List(vec![*bx("a"), *bx("1")]));
    }

    #[test]
    fn names_are_not_keywords() {
        for n in [
            "android", "notice", "index", "orbit", "nullable", "true_", "falsey", "in2", "_",
        ] {
            is(n, ExprKind::Name(n.into()));
        }
        tree("notice and android", "(notice and android)");
        tree("not index", "(not index)");
    }

    #[test]
    fn calls_members_quantifiers() {
        let func_span = 0..0;
        let call = ExprKind::Call {
            func: "figure".into(),
            func_span,
            args: vec![e(regex("率", ""))],
        };
        let (object, name, name_span) = (Box::new(e(call)), "value".into(), 0..0);
        is(
            "figure(/率/).value",
            ExprKind::Member {
                object,
                name,
                name_span,
            },
        );
        let (kind, var, var_span) = (Quantifier::Count, "m".into(), 0..0);
        let (list, cond) = (bx("figures(/率/)"), bx("m.value < 100%"));
        let count = ExprKind::Quantifier {
            kind,
            var,
            var_span,
            list,
            cond,
        };
        is("count(m in figures(/率/): m.value < 100%)", count);
        let any = ok("any(s in sections: s.title ~ /安排/)");
        assert!(matches!(
            any.kind,
            ExprKind::Quantifier {
                kind: Quantifier::Any,
                ..
            }
        ));
        let all = ok("all(s in sections: true)");
        assert!(matches!(
            all.kind,
            ExprKind::Quantifier {
                kind: Quantifier::All,
                ..
            }
        ));
        // Not quantifiers: calls of functions named `any`, `anything`.
        assert!(matches!(ok("any(xs)").kind, ExprKind::Call { .. }));
        assert!(matches!(ok("anything(x)").kind, ExprKind::Call { .. }));
        assert!(matches!(ok("f()").kind, ExprKind::Call { ref args, .. } if args.is_empty()));
    }

    #[test]
    fn division_and_regex() {
        tree("a / b / c", "((a / b) / c)");
        tree("a/b/c", "((a / b) / c)");
        tree("f(/x/) / 2", "(f(/x/) / 2)");
        tree("x ~ /a/ and y", "((x ~ /a/) and y)");
        tree("(a) / 2", "(a / 2)");
        tree("[1] / /x/", "([1] / /x/)");
    }

    #[test]
    fn whitespace_and_comments() {
        let src = "a # 注释 ( [ \"\n  and # more\n\tb\r\n";
        tree(src, "(a and b)");
        assert_eq!(ok(src).span, 0..src.find("\tb").unwrap() + 2);
    }

    // ---- spans ------------------------------------------------------------------------------

    #[test]
    fn spans_are_byte_ranges() {
        let x = ok(r#""出庭率" == x"#);
        let ExprKind::Binary {
            lhs, rhs, op_span, ..
        } = &x.kind
        else {
            panic!()
        };
        assert_eq!(
            (lhs.span.clone(), op_span.clone(), rhs.span.clone()),
            (0..11, 12..14, 15..16)
        );
        assert_eq!(x.span, 0..16);

        let src = "  figure(/率/).value  ";
        let x = ok(src);
        assert_eq!(x.span, 2..src.trim_end().len());
        let ExprKind::Member {
            object, name_span, ..
        } = &x.kind
        else {
            panic!()
        };
        assert_eq!(&src[name_span.clone()], "value");
        let ExprKind::Call {
            func_span, args, ..
        } = &object.kind
        else {
            panic!()
        };
        assert_eq!(&src[func_span.clone()], "figure");
        assert_eq!(&src[args[0].span.clone()], "/率/");

        let src = "not (a + -b)";
        let ExprKind::Unary { operand, .. } = ok(src).kind else {
            panic!()
        };
        assert_eq!(
            &src[operand.span.clone()],
            "(a + -b)",
            "parentheses are part of the span"
        );
        let ExprKind::Binary { rhs, .. } = &operand.kind else {
            panic!()
        };
        assert_eq!(&src[rhs.span.clone()], "-b");

        let ExprKind::Quantifier { var_span, .. } = ok("any( s in xs: s )").kind else {
            panic!()
        };
        assert_eq!(var_span, 5..6);

        let src = "a ?? b\n  >= 1";
        let ExprKind::Binary {
            op: BinaryOp::Ge,
            op_span,
            lhs,
            ..
        } = ok(src).kind
        else {
            panic!()
        };
        assert_eq!(&src[op_span], ">=");
        let ExprKind::Binary { op_span, .. } = lhs.kind else {
            panic!()
        };
        assert_eq!(&src[op_span], "??");
    }

    // ---- errors -----------------------------------------------------------------------------

    #[test]
    fn error_messages() {
        fails("(a", 0..1, "unclosed `(`");
        helps(
            "(a",
            "expected `)` or an operator at the end; close the `(` with `)`",
        );
        fails("f(a, [b", 5..6, "unclosed `[`");
        fails("f(a, [b]", 1..2, "unclosed `(`");
        fails("(a b)", 3..4, "expected `)` or an operator, found `b`");
        fails(r#"x == "abc"#, 5..6, "unterminated string");
        fails("x == 'ab\n' == y", 5..6, "unterminated string");
        fails("x ~ /abc", 4..5, "unterminated regex (a regex ends with /)");
        fails(
            "x ~ /a\n/",
            4..5,
            "unterminated regex (a regex ends with /)",
        );
        fails("a && b", 2..4, &format!("{OP_OR_END}, found `&&`"));
        helps("a && b", "use `and`");
        helps("a || b", "use `or`");
        fails("a = b", 2..3, &format!("{OP_OR_END}, found `=`"));
        helps("a = b", "use `==` to compare");
        fails("!a", 0..1, "expected an expression, found `!`");
        helps("!a", "use `not`");
        helps("a and !b", "use `not`");
        fails("1 +", 3..3, EXPR_NOT_END);
        fails("a b", 2..3, &format!("{OP_OR_END}, found `b`"));
        fails("", 0..0, EXPR_NOT_END);
        fails("  # only a comment\n", 19..19, EXPR_NOT_END);
        fails(
            "2024-13-01",
            0..10,
            "invalid date `2024-13-01`: there is no month 13",
        );
        fails(
            "d > 2023-02-29",
            4..14,
            "invalid date `2023-02-29`: month 2 of 2023 has no day 29",
        );
        fails(
            "2024-04-00",
            0..10,
            "invalid date `2024-04-00`: month 4 of 2024 has no day 0",
        );
        // Bytes, not characters: the lone `=` is at byte 12 (character 8).
        fails(
            r#""法治" == = 1"#,
            12..13,
            "expected an expression, found `=`",
        );
        fails(
            "x == 出庭率 + 1",
            5..14,
            "expected an expression, found `出庭率`",
        );
        let long = format!("a {}", "b".repeat(1000));
        fails(
            &long,
            2..3,
            &format!("{OP_OR_END}, found `{}…`", "b".repeat(24)),
        );
        helps("x == 出庭率", "text must be quoted, like `\"出庭率\"`");
        fails("a.b（c）", 3..6, &format!("{OP_OR_END}, found `（`"));
        helps(
            "f(a，b)",
            "`，` is a full-width character; use the ASCII `,`",
        );
        fails(
            "a.",
            2..2,
            "expected a name, found the end of the expression",
        );
        fails("x < %5", 4..5, "expected an expression, found `%`");
        helps("x < 100 %", "`100%`");
        fails("a AND b", 2..5, &format!("{OP_OR_END}, found `AND`"));
        helps("a AND b", "keywords are lower-case: write `and`");
        fails("a // note", 2..4, "`//` does not start a comment");
        helps("a // note", "comments start with `#`");
        fails(r#""a\qb""#, 2..4, "unknown escape `\\q` in string");
        fails(
            r#"'中\u{D800}'"#,
            4..12,
            "invalid unicode escape `\\u{D800}`",
        );
        fails(
            r#""\u12""#,
            1..3,
            "invalid unicode escape: write `\\u{…}` with 1 to 6 hex digits",
        );
        fails("99999999999999999999", 0..20, "integer too large");
        fails(
            "any(s in xs s.t)",
            12..13,
            "expected `)`, `,`, `:` or an operator, found `s`",
        );
        fails("a <> b", 2..4, "`<>` is not an operator");
        fails("f(a))", 4..5, "unmatched `)`");
        fails("[a] ]", 4..5, "unmatched `]`");
        fails("[a)", 2..3, "expected `]`, `,` or an operator, found `)`");
        fails("a => b", 2..4, &format!("{OP_OR_END}, found `=>`"));
        helps("a => b", "use `>=`");
        helps(".5", "`0.5`");
    }

    #[test]
    fn errors_display_their_message() {
        let err = parse_expr("1 +").unwrap_err();
        assert_eq!(err.to_string(), err.message);
        let _: &dyn std::error::Error = &err;
    }

    // ---- for clauses ------------------------------------------------------------------------

    #[test]
    fn for_clause() {
        let f = parse_for("m in figures(/率/)").unwrap();
        assert_eq!(
            (f.var.as_str(), f.var_span.clone(), f.list.span.clone()),
            ("m", 0..1, 5..19)
        );
        assert!(matches!(f.list.kind, ExprKind::Call { .. }));
        assert_eq!(
            parse_for("\n  s in sections  # all of them\n")
                .unwrap()
                .var_span,
            3..4
        );
        for_fails("m figures", "expected `in`, found `figures`");
        for_fails("in xs", "expected a name, found `in`");
        for_fails(
            "m in",
            "expected an expression, found the end of the `for` clause",
        );
        for_fails(
            "m in xs ys",
            "expected an operator or the end of the `for` clause, found `ys`",
        );
    }

    // ---- templates --------------------------------------------------------------------------

    #[test]
    fn templates() {
        let src = "{m.label}为 {m.text}，超过 100%";
        parts(src, &["{m.label}", "为 ", "{m.text}", "，超过 100%"]);
        let h = holes(src);
        assert_eq!((h[0].span.clone(), h[1].span.clone()), (1..8, 14..20));
        assert_eq!(&src[h[1].span.clone()], "m.text");
        let ExprKind::Member {
            object, name_span, ..
        } = &h[1].kind
        else {
            panic!()
        };
        assert_eq!((object.span.clone(), name_span.clone()), (14..15, 16..20));
        parts("{{literal}} {x}}}", &["{literal} ", "{x}", "}"]);
        parts("纯文本", &["纯文本"]);
        parts("", &[]);
        parts("{format(x)}", &["{format(x)}"]);
        parts(r#"{"}" + x}！"#, &[r#"{"}" + x}"#, "！"]);
        parts(r"{x ~ /\d{4}年/}", &[r"{x ~ /\d{4}年/}"]);
        parts("{ a ?? 'n/a' }", &[r#"{a ?? "n/a"}"#]);
        let src = "值 {f(a, b) + 1}";
        let ExprKind::Binary { lhs, op_span, .. } = &holes(src)[0].kind else {
            panic!()
        };
        assert_eq!(&src[op_span.clone()], "+");
        let ExprKind::Call {
            func_span, args, ..
        } = &lhs.kind
        else {
            panic!()
        };
        assert_eq!(
            (&src[func_span.clone()], &src[args[1].span.clone()]),
            ("f", "b")
        );
    }

    #[test]
    fn template_errors() {
        template_fails("a } b", 2..3, "unmatched `}` in template");
        template_fails("超过 {m.value", 7..8, "unclosed `{` in template");
        template_fails("x {} y", 2..4, "empty `{}` in template");
        template_fails(
            "值为 {m.value +}",
            17..18,
            "expected an expression, found `}`",
        );
        template_fails(
            "值为 {m.value = 1}",
            16..17,
            "expected an operator or `}`, found `=`",
        );
        template_fails("值 {f(x}", 6..7, "unclosed `(`");
        template_fails(r#"值 {"abc}"#, 5..6, "unterminated string");
        template_fails(
            "值 {2024-13-01}",
            5..15,
            "invalid date `2024-13-01`: there is no month 13",
        );
    }

    // ---- guards -----------------------------------------------------------------------------

    fn nested(n: usize, open: &str, close: &str) -> String {
        format!("{}1{}", open.repeat(n), close.repeat(n))
    }

    fn chain(n: usize, op: &str) -> String {
        vec!["1"; n].join(op)
    }

    #[test]
    fn guard_source_length() {
        let src = nested(100_000, "(", ")");
        fails(
            &src,
            200_001..200_001,
            "expression too long (200001 bytes; at most 65536 are accepted)",
        );
        assert!(message(&("not ".repeat(100_000) + "x")).starts_with("expression too long"));
        assert!(message(&chain(50_000, "+")).starts_with("expression too long"));
        let long_hole = format!("{{{}}}", "x".repeat(70_000));
        assert!(
            parse_template(&long_hole)
                .unwrap_err()
                .message
                .starts_with("template too long")
        );
    }

    #[test]
    fn guard_nesting() {
        is(&nested(64, "(", ")"), ExprKind::Int(1));
        assert!(parse_expr(&nested(64, "[", "]")).is_ok());
        assert!(parse_expr(&nested(64, "f(", ")")).is_ok());
        fails(&nested(65, "(", ")"), 64..65, DEEP);
        fails(&nested(30_000, "(", ")"), 64..65, DEEP);
        fails(&nested(30_000, "[", "]"), 64..65, DEEP);
        fails(&format!("a + {}", nested(30_000, "(", ")")), 68..69, DEEP);
        // Brackets inside strings, regexes and comments do not count.
        let quoted = format!(
            "'{}' + /{}/ # {}\n",
            "(".repeat(100),
            "\\(".repeat(100),
            "[".repeat(100)
        );
        assert!(parse_expr(&quoted).is_ok());
        assert!(parse_template(&format!("{{{}}}", nested(64, "(", ")"))).is_ok());
        template_fails(&format!("x{{{}}}", nested(65, "(", ")")), 66..67, DEEP);
    }

    #[test]
    fn guard_prefix_runs() {
        assert!(parse_expr(&("not ".repeat(64) + "x")).is_ok());
        assert!(parse_expr(&("-".repeat(64) + "x")).is_ok());
        fails(&("not ".repeat(65) + "x"), 256..259, PREFIXES);
        fails(&("not ".repeat(10_000) + "x"), 256..259, PREFIXES);
        fails(&("- ".repeat(10_000) + "x"), 128..129, PREFIXES);
        fails(&("not -".repeat(10_000) + "x"), 160..163, PREFIXES);
        // Separate runs are fine; prefixes in literals do not count.
        assert!(parse_expr(&vec!["not not x"; 100].join(" and ")).is_ok());
        let quoted = format!("\"{}\" ~ /{}/", "not (".repeat(200), "-[".repeat(200));
        assert!(parse_expr(&quoted).is_ok());
    }

    #[test]
    fn guard_tree_depth() {
        // 256 levels are accepted, 257 are not: the error points at the operator where the
        // tree became too deep.
        assert!(parse_expr(&chain(256, "+")).is_ok());
        assert!(parse_expr(&chain(256, "??")).is_ok());
        fails(&chain(257, "+"), 511..512, DEEPER);
        fails(&chain(257, " ?? "), 1277..1279, DEEPER);
        // Long flat chains fail cleanly, left- or right-associative.
        assert_eq!(message(&chain(30_000, "+")), DEEPER);
        assert_eq!(message(&chain(30_000, "*")), DEEPER);
        assert_eq!(message(&chain(20_000, "??")), DEEPER);
        assert_eq!(message(&chain(10_000, " or ")), DEEPER);
        // Alternating prefix and infix operators nest in the Pratt parser too.
        assert_eq!(message(&vec!["not a"; 6_000].join(" == ")), DEEPER);
        assert_eq!(message(&vec!["-a"; 15_000].join("??")), DEEPER);
        // Members and nested brackets count.
        assert_eq!(message(&format!("x{}", ".y".repeat(30_000))), DEEPER);
        assert_eq!(message(&vec![nested(60, "(", ")"); 300].join("??")), DEEPER);
        let deep = format!("{}{}{}", "f(".repeat(60), chain(200, "??"), ")".repeat(60));
        assert_eq!(message(&deep), DEEPER);
        // A template hole is guarded as well.
        let hole = format!("{{{}}}", chain(20_000, "??"));
        assert_eq!(parse_template(&hole).unwrap_err().message, DEEPER);
    }

    #[test]
    fn deepest_accepted_trees_are_usable() {
        // Parse, clone, compare, print, re-parse and drop the deepest accepted trees on the
        // test thread's stack (2 MiB; debug build).
        let mut deepest = vec![
            vec!["a"; 256].join(" ?? "),
            vec!["a"; 256].join(" - "),
            format!("{}x", "not -".repeat(32)),
            format!("x{}", ".y".repeat(255)),
        ];
        let mut mixed = String::from("1");
        for i in 0..64 {
            mixed = match i % 4 {
                0 => format!("f({mixed}, 2)"),
                1 => format!("[{mixed}]"),
                2 => format!("any(v in xs: {mixed} ?? a ?? b)"),
                _ => format!("not ({mixed} == c)"),
            };
        }
        deepest.push(mixed);
        for src in deepest {
            let ast = ok(&src);
            let copy = ast.clone();
            assert_eq!(copy, ast);
            let printed = pretty(&ast);
            assert_eq!(without_spans(&ok(&printed)), without_spans(&ast));
        }
    }
}

//! Parsing guards: untrusted input never overflows the stack. Before pest runs, the source
//! length, the bracket nesting and runs of prefix operators are checked by a linear scan; after
//! pest and before the tree is built, the depth the tree would have is computed without
//! recursing per operator.

use super::lexer::{Lexer, Tok};
use super::*;
pub(super) fn check_length(src: &str, what: &str) -> Result<(), ParseError> {
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

pub(super) fn too_deep(span: Range<usize>, limit: usize) -> ParseError {
    ParseError::new(
        span,
        format!("expression nested too deeply (more than {limit} levels)"),
    )
}

/// Linear pre-scan: bracket nesting and runs of prefix operators (so that neither pest nor
/// the Pratt parser recurse deeper than the limits).
pub(super) fn scan_guards(src: &str) -> Result<(), ParseError> {
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
pub(super) fn expr_depth(pair: Pair<'_, Rule>, level: usize) -> Result<usize, ParseError> {
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

pub(super) fn primary_depth(pair: Pair<'_, Rule>, level: usize) -> Result<usize, ParseError> {
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

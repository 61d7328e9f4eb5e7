//! Rulebook stage: the rulebooks of one run (those of the configuration, or named with
//! `--rulebook`) combined into the one set of rules the run checks against.
//!
//! A rulebook named twice, or extended by another one named too, contributes its rules once: the
//! version of the rulebook that extends the other wins (its replacements and severities are
//! deliberate). Two rulebooks that both define one rule id, neither extending the other, are an
//! error naming both places — never a silent "the later one wins".

use super::compile::conflict;
use super::{Rule, Rulebook, RulebookError, add_indicator};

/// The rulebooks of a run as one: their rules, `let`s, indicators and arrangements.
pub fn combine(books: Vec<Rulebook>) -> Result<Rulebook, Vec<RulebookError>> {
    let mut books = books.into_iter();
    let Some(first) = books.next() else {
        return Err(Vec::new());
    };
    let mut out = first;
    // For each rule, the lineage of the rulebook it came from.
    let mut from: Vec<Vec<std::sync::Arc<str>>> = vec![out.lineage.clone(); out.rules.len()];
    let mut errors = Vec::new();
    for book in books {
        for rule in book.rules {
            let Some(i) = out.rules.iter().position(|r| r.id == rule.id) else {
                out.rules.push(rule);
                from.push(book.lineage.clone());
                continue;
            };
            let old = &out.rules[i];
            let root_of = |lineage: &[std::sync::Arc<str>]| lineage.last().cloned();
            let new_extends_old = root_of(&from[i]).is_some_and(|r| book.lineage.contains(&r))
                || book.lineage.contains(&old.origin);
            let old_extends_new = root_of(&book.lineage).is_some_and(|r| from[i].contains(&r))
                || from[i].contains(&rule.origin);
            if new_extends_old || (old.origin == rule.origin && !old_extends_new) {
                out.rules[i] = rule;
                from[i] = book.lineage.clone();
            } else if !old_extends_new {
                errors.push(conflict(&rule, old));
            }
        }
        for (name, e) in book.lets {
            match out.lets.iter().position(|(n, _)| *n == name) {
                Some(k) => out.lets[k] = (name, e),
                None => out.lets.push((name, e)),
            }
        }
        for ind in book.indicators {
            add_indicator(&mut out.indicators, ind);
        }
        out.arrangements = book.arrangements.or(out.arrangements);
        for l in book.lineage {
            if !out.lineage.contains(&l) {
                out.lineage.push(l);
            }
        }
        out.id = format!("{} + {}", out.id, book.id);
        out.title = book.title.or(out.title);
        out.source = book.source;
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The `let`s a rule uses, directly or through other `let`s, in the order they are first met,
/// each with its definition.
pub fn lets_used(rule: &Rule) -> Vec<(String, String)> {
    use crate::expr::compile::{CExpr, CKind};
    fn walk(e: &CExpr, out: &mut Vec<(String, String)>) {
        match &e.kind {
            CKind::Let(name, inner) => {
                if !out.iter().any(|(n, _)| **n == **name) {
                    out.push((name.to_string(), inner.src.trim().to_string()));
                    walk(inner, out);
                }
            }
            CKind::List(items) | CKind::Call(_, items) => items.iter().for_each(|i| walk(i, out)),
            CKind::Member(obj, _) | CKind::Unary(_, obj) => walk(obj, out),
            CKind::Binary(_, l, r) | CKind::Quant(_, _, l, r) => {
                walk(l, out);
                walk(r, out);
            }
            CKind::Lit(_) | CKind::Global(_) | CKind::Var(_) => {}
        }
    }
    let mut out = Vec::new();
    if let Some(f) = &rule.for_each {
        walk(&f.list.expr, &mut out);
    }
    if let Some(w) = &rule.when {
        walk(&w.expr, &mut out);
    }
    walk(&rule.assert.expr, &mut out);
    if let Some((_, parts)) = &rule.message {
        for p in parts {
            if let super::MessagePart::Expr(e) = p {
                walk(e, &mut out);
            }
        }
    }
    out
}

//! Rulebook stage: the layers of a rulebook compiled together into one [`Rulebook`].
//!
//! Takes the layers of `load.rs` (each extended rulebook before its child) and hands on the
//! rules ready to evaluate. A child's `let` replaces its parent's of the same name everywhere —
//! in the parent's rules too — so each `let` is compiled once, after the ones it refers to (a
//! `let` may refer to one defined later; a cycle is an error). A child's rule replaces its
//! parent's of the same id; an entry with only `id` and `severity` sets the severity of the
//! inherited rule (`off` switches it off); two unrelated rulebooks defining one id is an error
//! naming both places.

use super::error::codes;
use super::indicator::{self, add_indicator};
use super::load::Layer;
use super::raw;
use super::{
    Condition, Example, Expect, ForLoop, Indicator, MessagePart, Rule, Rulebook, RulebookError,
    Severity, SourceFile, yaml,
};
use crate::expr::ast::{Expr, ExprKind, TemplatePart};
use crate::expr::compile::{self, CExpr, ExprError, Scope};
use crate::expr::parse::{self, ParseError};
use crate::expr::types::Type;
use serde_saphyr::Spanned;
use std::sync::Arc;

/// One `let` definition as it stands after inheritance (a child's replaces its parent's).
struct LetDef<'l> {
    name: &'l Spanned<String>,
    value: &'l Spanned<String>,
    file: &'l Arc<SourceFile>,
}

/// Compiles the layers (the root last) into one rulebook; `errors` are the structural errors
/// already found, to which every other error is added.
pub(super) fn compile_layers(
    layers: &[Layer],
    mut errors: Vec<RulebookError>,
) -> Result<Rulebook, Vec<RulebookError>> {
    let Some(root) = layers.last() else {
        return Err(errors);
    };
    let (scope, lets) = compile_lets(layers, &mut errors);

    let mut rules: Vec<Rule> = Vec::new();
    for layer in layers {
        compile_layer_rules(layer, &scope, &mut rules, &mut errors);
    }
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut arrangements = None;
    for layer in layers {
        let file = &layer.file;
        let mut own: Vec<&str> = Vec::new();
        for raw_ind in layer.raw.indicators.iter().flat_map(|l| l.value.iter()) {
            match indicator::compile_indicator(file, raw_ind, &scope, &own) {
                Ok(i) => add_indicator(&mut indicators, i),
                Err(mut e) => errors.append(&mut e),
            }
            own.push(&raw_ind.id.value);
        }
        if let Some(a) = &layer.raw.arrangements {
            match indicator::compile_pattern(file, a, &scope, "arrangements") {
                Ok(r) => arrangements = Some(r),
                Err(mut e) => errors.append(&mut e),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let raw = &root.raw;
    let text = |s: &Option<Spanned<String>>| s.as_ref().map(|s| s.value.clone());
    Ok(Rulebook {
        indicators,
        arrangements,
        id: raw.rulebook.value.clone(),
        title: text(&raw.title),
        version: text(&raw.version),
        description: text(&raw.description),
        rules,
        lets,
        lineage: layers.iter().map(|l| l.name.clone()).collect(),
        source: root.file.clone(),
    })
}

/// The `let`s of all layers, a later definition replacing an earlier one of the same name,
/// each compiled once after the `let`s it refers to.
fn compile_lets(
    layers: &[Layer],
    errors: &mut Vec<RulebookError>,
) -> (Scope, Vec<(String, CExpr)>) {
    let mut defs: Vec<LetDef> = Vec::new();
    // For a `let` a child replaces: the definition it replaces (the first one).
    let mut replaced: Vec<Option<LetDef>> = Vec::new();
    for layer in layers {
        for (name, value) in layer.raw.lets() {
            let file = &layer.file;
            if !is_identifier(&name.value) {
                errors.push(RulebookError::new(
                    "rulebook::let_name",
                    format!("`{}` is not a valid name", name.value),
                    file,
                    yaml::key_range(file, name),
                    "letters, digits and `_`, not starting with a digit",
                ));
                continue;
            }
            if crate::expr::library::function(&name.value).is_some()
                || compile::is_global(&name.value)
                || crate::expr::operators::is_quantifier(&name.value)
            {
                errors.push(RulebookError::new(
                    "rulebook::let_name",
                    format!("`{}` is already a name of the language", name.value),
                    file,
                    yaml::key_range(file, name),
                    "choose another name",
                ));
                continue;
            }
            let def = LetDef { name, value, file };
            match defs.iter().position(|d| d.name.value == name.value) {
                Some(i) => {
                    let first = std::mem::replace(&mut defs[i], def);
                    replaced[i].get_or_insert(first);
                }
                None => {
                    defs.push(def);
                    replaced.push(None);
                }
            }
        }
    }
    // Parse each, and find which other `let`s it refers to.
    let parsed: Vec<Option<Expr>> = defs
        .iter()
        .map(|d| match parse::parse_expr(&d.value.value) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.push(parse_error(d.file, d.value, e));
                None
            }
        })
        .collect();
    let names: Vec<&str> = defs.iter().map(|d| d.name.value.as_str()).collect();
    let deps: Vec<Vec<usize>> = parsed
        .iter()
        .map(|e| {
            let mut refs = Vec::new();
            if let Some(e) = e {
                referenced_names(e, &mut |n| {
                    if let Some(k) = names.iter().position(|m| *m == n)
                        && !refs.contains(&k)
                    {
                        refs.push(k);
                    }
                });
            }
            refs
        })
        .collect();
    // Depth-first, dependencies first; a cycle is reported at the `let` that closes it.
    let mut order = Vec::new();
    let mut state = vec![0u8; defs.len()]; // 0 new, 1 in progress, 2 done
    let mut cyclic = vec![false; defs.len()];
    for start in 0..defs.len() {
        visit(start, &deps, &mut state, &mut order, &mut cyclic);
    }
    let mut scope = Scope::new();
    let mut compiled: Vec<Option<CExpr>> = vec![None; defs.len()];
    for k in order {
        let d = &defs[k];
        let result = if cyclic[k] {
            errors.push(
                RulebookError::new(
                    "rulebook::let_cycle",
                    format!("`{}` refers to itself", d.name.value),
                    d.file,
                    yaml::key_range(d.file, d.name),
                    "defined in terms of itself",
                )
                .with_help(
                    "a `let` may use other `let`s, but not one that (through others) uses it",
                ),
            );
            None
        } else {
            match &parsed[k] {
                None => None,
                Some(ast) => match compile::compile(&d.value.value, ast, &mut scope.clone()) {
                    Ok(e) => match &replaced[k] {
                        Some(first) => check_override(d, first, e, &scope, errors),
                        None => Some(e),
                    },
                    Err(e) => {
                        errors.extend(expr_errors(d.file, d.value, e));
                        None
                    }
                },
            }
        };
        // A broken `let` is reported once, here: its uses take the poisoned type.
        let e = result.unwrap_or_else(|| compile::poisoned(&d.value.value));
        scope.add_let(&d.name.value, e.clone());
        compiled[k] = Some(e);
    }
    let lets = defs
        .iter()
        .zip(compiled)
        .filter_map(|(d, e)| Some((d.name.value.clone(), e?)))
        .filter(|(_, e)| e.ty != Type::Error)
        .collect();
    (scope, lets)
}

/// A child's `let` must keep the type of the one it replaces: the parent's rules use it as
/// that. A different type is one error here, at the child's `let` (the parent's rules then see
/// a poisoned `let` and say nothing more).
fn check_override(
    def: &LetDef,
    first: &LetDef,
    compiled: CExpr,
    scope: &Scope,
    errors: &mut Vec<RulebookError>,
) -> Option<CExpr> {
    let before = parse::parse_expr(&first.value.value)
        .ok()
        .and_then(|ast| compile::compile(&first.value.value, &ast, &mut scope.clone()).ok())
        .map(|e| e.ty);
    match before {
        Some(ty) if ty != compiled.ty && ty != Type::Error && compiled.ty != Type::Null => {
            errors.push(
                RulebookError::new(
                    "rulebook::let_override",
                    format!(
                        "`{}` replaces the `let` of {}, {}, with {}",
                        def.name.value,
                        first.file.name,
                        ty.a(),
                        compiled.ty.a()
                    ),
                    def.file,
                    yaml::value_range(def.file, def.value),
                    compiled.ty.a(),
                )
                .with_help(format!(
                    "the rules of {} use `{}` as {}: keep its type, or give this `let` another name",
                    first.file.name,
                    def.name.value,
                    ty.a()
                ))
                .with_related(RulebookError::new(
                    "rulebook::let_override",
                    format!("`{}` is first defined here", def.name.value),
                    first.file,
                    yaml::value_range(first.file, first.value),
                    ty.a(),
                )),
            );
            None
        }
        _ => Some(compiled),
    }
}

fn visit(
    k: usize,
    deps: &[Vec<usize>],
    state: &mut [u8],
    order: &mut Vec<usize>,
    cyclic: &mut [bool],
) {
    match state[k] {
        2 => return,
        1 => {
            cyclic[k] = true;
            return;
        }
        _ => {}
    }
    state[k] = 1;
    for &d in &deps[k] {
        visit(d, deps, state, order, cyclic);
    }
    state[k] = 2;
    order.push(k);
}

/// Calls `f` with every name an expression refers to (`let`s among them). Quantifier variables
/// never hide a `let` (the compiler refuses that), so they need no special care.
fn referenced_names<'e>(e: &'e Expr, f: &mut impl FnMut(&'e str)) {
    match &e.kind {
        ExprKind::Name(n) => f(n),
        ExprKind::List(items) => items.iter().for_each(|x| referenced_names(x, f)),
        ExprKind::Member { object, .. } => referenced_names(object, f),
        ExprKind::Call { args, .. } => args.iter().for_each(|x| referenced_names(x, f)),
        ExprKind::Unary { operand, .. } => referenced_names(operand, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            referenced_names(lhs, f);
            referenced_names(rhs, f);
        }
        ExprKind::Quantifier { list, cond, .. } => {
            referenced_names(list, f);
            referenced_names(cond, f);
        }
        _ => {}
    }
}

/// The rules of one layer, added to those of the layers before it.
fn compile_layer_rules(
    layer: &Layer,
    scope: &Scope,
    rules: &mut Vec<Rule>,
    errors: &mut Vec<RulebookError>,
) {
    let file = &layer.file;
    let raw = &layer.raw;
    if let Some(extra) = raw.rules.value.get(crate::limits::MAX_RULES) {
        errors.push(
            RulebookError::new(
                "rulebook::too_many_rules",
                format!(
                    "the rulebook has {} rules; the limit is {} per file",
                    raw.rules.value.len(),
                    crate::limits::MAX_RULES
                ),
                file,
                yaml::value_range(file, &extra.id),
                "one rule too many",
            )
            .with_help("split the rules into several rulebooks joined with `extends`"),
        );
        return;
    }
    // Rules compile independently (most of it is building their regexes): in parallel, then
    // taken in file order.
    use rayon::prelude::*;
    let compiled: Vec<_> = raw
        .rules
        .value
        .par_iter()
        .map(|raw_rule| {
            let assert = raw_rule.assert.as_ref()?;
            Some(compile_rule(file, &layer.name, raw_rule, assert, scope))
        })
        .collect();
    for (raw_rule, compiled) in raw.rules.value.iter().zip(compiled) {
        let Some(compiled) = compiled else {
            adjust(layer, raw_rule, rules, errors);
            continue;
        };
        match compiled {
            Ok(rule) => {
                if let Some(i) = rules.iter().position(|r| r.id == rule.id) {
                    if layer.ancestors.contains(&rules[i].origin) {
                        rules[i] = rule;
                    } else if rules[i].origin != layer.name {
                        errors.push(conflict(&rule, &rules[i]));
                    }
                    // (Twice in one file: reported by the structural check.)
                } else {
                    rules.push(rule);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
}

/// `- {id: FZ015, severity: off}`: the severity of an inherited rule.
fn adjust(
    layer: &Layer,
    raw_rule: &raw::RawRule,
    rules: &mut [Rule],
    errors: &mut Vec<RulebookError>,
) {
    let file = &layer.file;
    let id = &raw_rule.id;
    let found = rules
        .iter_mut()
        .find(|r| r.id == id.value && layer.ancestors.contains(&r.origin));
    let Some(rule) = found else {
        let known = rules.iter().map(|r| r.id.as_str());
        let help = match crate::expr::suggest::suggest(&id.value, known) {
            Some(s) => format!("did you mean `{s}`? (an entry without `assert` changes an inherited rule)"),
            None => "an entry without `assert` changes a rule of an extended rulebook; to define a new rule, give it `name`, `title` and `assert`".to_string(),
        };
        errors.push(
            RulebookError::new(
                codes::NOTHING_TO_ADJUST,
                format!("no inherited rule `{}` to set the severity of", id.value),
                file,
                yaml::value_range(file, id),
                "not a rule of an extended rulebook",
            )
            .with_help(help),
        );
        return;
    };
    match raw_rule.severity.value.as_str() {
        "off" => rule.off = true,
        s => {
            if let Some(sev) = Severity::parse(s) {
                rule.severity = sev;
                rule.off = false;
            }
        }
    }
}

/// The error for one rule id defined by two rulebooks neither of which extends the other.
pub(super) fn conflict(later: &Rule, earlier: &Rule) -> RulebookError {
    RulebookError::new(
        codes::CONFLICTING_RULE,
        format!(
            "rule `{}` is defined by {} and by {}, neither of which extends the other",
            later.id, earlier.source.name, later.source.name
        ),
        &later.source,
        later.id_span.clone(),
        "defined again here",
    )
    .with_help(format!(
        "renumber one of them, or make {} extend {} to replace its rule",
        later.source.name, earlier.source.name
    ))
    .with_related(RulebookError::new(
        codes::CONFLICTING_RULE,
        format!("`{}` is first defined here", earlier.id),
        &earlier.source,
        earlier.id_span.clone(),
        "first defined here",
    ))
}

/// The variable a `for:` clause binds (`m` in `m in figures(…)`), read without parsing it.
fn loop_variable(clause: &str) -> Option<&str> {
    let clause = clause.trim_start();
    let end = clause
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(clause.len());
    let (var, rest) = clause.split_at(end);
    let after = rest.trim_start();
    (is_identifier(var)
        && after.starts_with("in")
        && !after[2..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(var)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Maps expression errors (byte spans of the value) to rulebook errors (byte spans of the file).
fn expr_errors(
    file: &SourceFile,
    value: &Spanned<String>,
    errs: Vec<ExprError>,
) -> Vec<RulebookError> {
    let map = yaml::value_map(file, value);
    errs.into_iter()
        .map(|e| {
            let err = RulebookError::new(e.code, e.message, file, map.file_range(e.span), e.label);
            err.with_help_opt(e.help)
        })
        .collect()
}

fn parse_error(file: &SourceFile, value: &Spanned<String>, e: ParseError) -> RulebookError {
    let map = yaml::value_map(file, value);
    let err = RulebookError::new(
        "expr::syntax",
        format!("syntax error: {}", e.message),
        file,
        map.file_range(e.span),
        e.message.clone(),
    );
    err.with_help_opt(e.help)
}

/// Parses and compiles an expression value; `condition` names the key when it must be a bool.
pub(crate) fn compile_expr(
    file: &SourceFile,
    value: &Spanned<String>,
    scope: &mut Scope,
    condition: Option<&str>,
) -> Result<CExpr, Vec<RulebookError>> {
    let ast = parse::parse_expr(&value.value).map_err(|e| vec![parse_error(file, value, e)])?;
    let compiled = match condition {
        Some(what) => compile::compile_condition(&value.value, &ast, scope, what),
        None => compile::compile(&value.value, &ast, scope),
    };
    compiled.map_err(|e| expr_errors(file, value, e))
}

/// Compiles a rule defined in `file` (one with `assert`, `name` and `title`, which the
/// structural check has made sure of).
fn compile_rule(
    file: &Arc<SourceFile>,
    origin: &Arc<str>,
    raw: &raw::RawRule,
    assert_src: &Spanned<String>,
    lets: &Scope,
) -> Result<Rule, Vec<RulebookError>> {
    let mut errors = Vec::new();
    let mut scope = lets.clone();
    let mut for_each = None;
    if let Some(f) = &raw.for_each {
        match parse::parse_for(&f.value) {
            Err(e) => {
                errors.push(parse_error(file, f, e));
                // `m in figures(/率/` with a typo: `m` is still the loop variable, so its uses
                // in `when`, `assert` and `message` are not reported as unknown as well.
                if let Some(var) = loop_variable(&f.value) {
                    scope.push_var(var, Type::Error);
                }
            }
            Ok(clause) => match compile::compile(&f.value, &clause.list, &mut scope) {
                Err(e) => {
                    scope.push_var(&clause.var, Type::Error);
                    errors.extend(expr_errors(file, f, e));
                }
                Ok(list) => {
                    let elem = match &list.ty {
                        Type::List(t) => Some((**t).clone()),
                        _ => None,
                    };
                    match elem {
                        Some(t) => {
                            let slot = scope.push_var(&clause.var, t);
                            for_each = Some(ForLoop {
                                var: clause.var.clone(),
                                slot,
                                list: Condition {
                                    expr: list,
                                    text: f.value.clone(),
                                },
                            });
                        }
                        None => {
                            // Bind the variable anyway, so its uses are not reported as unknown.
                            scope.push_var(&clause.var, Type::Error);
                            errors.extend(expr_errors(
                                file,
                                f,
                                vec![ExprError {
                                    code: "expr::type_mismatch",
                                    span: clause.list.span.clone(),
                                    message: format!(
                                        "`for` goes over a list, but this is {}",
                                        list.ty.a()
                                    ),
                                    label: list.ty.a(),
                                    help: Some("e.g. `for: m in figures(/率/)`".into()),
                                }],
                            ));
                        }
                    }
                }
            },
        }
    }
    let when = match &raw.when {
        Some(w) => match compile_expr(file, w, &mut scope, Some("when")) {
            Ok(e) => Some(Condition {
                expr: e,
                text: w.value.clone(),
            }),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
        None => None,
    };
    let assert = match compile_expr(file, assert_src, &mut scope, Some("assert")) {
        Ok(e) => Some(Condition {
            expr: e,
            text: assert_src.value.clone(),
        }),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let mut message = None;
    if let Some(m) = &raw.message {
        match parse::parse_template(&m.value) {
            Err(e) => errors.push(parse_error(file, m, e)),
            Ok(t) => {
                let mut parts = Vec::new();
                for p in t.parts {
                    match p {
                        TemplatePart::Text(s) => parts.push(MessagePart::Text(s)),
                        TemplatePart::Expr(e) => match compile::compile(&m.value, &e, &mut scope) {
                            Ok(c) => parts.push(MessagePart::Expr(c)),
                            Err(e) => errors.extend(expr_errors(file, m, e)),
                        },
                    }
                }
                message = Some((m.value.clone(), parts));
            }
        }
    }
    let (severity, off) = match raw.severity.value.as_str() {
        "off" => (Some(Severity::Warning), true),
        s => (Severity::parse(s), false),
    };
    let (Some(assert), Some(severity), true) = (assert, severity, errors.is_empty()) else {
        return Err(errors);
    };
    let text = |s: &Option<Spanned<String>>| s.as_ref().map(|s| s.value.clone());
    let list = |s: &Option<Spanned<Vec<Spanned<String>>>>| {
        s.as_ref()
            .map(|l| l.value.iter().map(|x| x.value.clone()).collect())
            .unwrap_or_default()
    };
    let examples = match raw.examples.as_ref() {
        Some(e) => compile_examples(file, &e.value)?,
        None => Vec::new(),
    };
    Ok(Rule {
        id: raw.id.value.clone(),
        name: raw
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_default(),
        title: raw
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_default(),
        off,
        origin: origin.clone(),
        why: text(&raw.why),
        severity,
        basis: text(&raw.basis),
        help: text(&raw.help),
        link: text(&raw.link),
        tags: list(&raw.tags),
        when,
        for_each,
        assert,
        message,
        examples,
        slots: scope.slots,
        id_span: yaml::value_range(file, &raw.id),
        source: file.clone(),
    })
}

/// A rule's examples, in file order; a `line` that is not a line number is an error.
fn compile_examples(
    file: &SourceFile,
    raw: &raw::RawExamples,
) -> Result<Vec<Example>, Vec<RulebookError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (name, list) in raw.lists() {
        let expect = Expect::parse(name).expect("the keys of `examples` are outcomes");
        for (i, item) in list.iter().flat_map(|l| l.value.iter()).enumerate() {
            let (message, line) = match &item.value {
                raw::RawExample::Text(_) => (None, None),
                raw::RawExample::Full(f) => {
                    let line = match &f.line {
                        None => None,
                        Some(l) => match l.value.trim().parse::<usize>() {
                            Ok(n) if n >= 1 => Some(n),
                            _ => {
                                errors.push(
                                    RulebookError::new(
                                        "rulebook::bad_example_line",
                                        format!("`line` must be a line number, not `{}`", l.value),
                                        file,
                                        yaml::value_range(file, l),
                                        "expected a number from 1",
                                    )
                                    .with_help("the line of the snippet the finding points at: 1 for its first line"),
                                );
                                None
                            }
                        },
                    };
                    (f.message.as_ref().map(|m| m.value.clone()), line)
                }
            };
            out.push(Example {
                expect,
                number: i + 1,
                text: item.value.text().to_string(),
                message,
                line,
                span: yaml::value_range(file, item),
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

//! Rulebook stage: YAML rulebooks, loaded with spans and compiled in one validating step.
//!
//! [`yaml`] reads the file into raw serde types ([`raw`]) and checks their structure; this module
//! then parses and compiles every expression (`let`, `for`, `when`, `assert`, `message`) and hands
//! on a [`Rulebook`] whose rules are ready to evaluate — nothing is compiled while checking. Every
//! error, structural or in an expression, is a [`RulebookError`] labelled at the exact bytes of
//! the file, and all errors of a file are collected.

pub mod error;
pub mod indicator;
pub mod raw;
pub mod schema;
pub mod yaml;

pub use error::{RulebookError, SourceFile};
pub use indicator::{Indicator, add_indicator};

use crate::expr::ast::TemplatePart;
use crate::expr::compile::{self, CExpr, ExprError, Scope};
use crate::expr::parse::{self, ParseError};
use crate::expr::types::Type;
use serde_saphyr::Spanned;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How serious a failed rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A compiled condition and the text it was written as.
#[derive(Debug, Clone)]
pub struct Condition {
    pub expr: CExpr,
    pub text: String,
}

/// `for: m in figures(/率/)`: one verdict per item.
#[derive(Debug, Clone)]
pub struct ForLoop {
    pub var: String,
    pub slot: usize,
    pub list: Condition,
}

/// A message template, compiled.
#[derive(Debug, Clone)]
pub enum MessagePart {
    Text(String),
    Expr(CExpr),
}

/// The outcome an example expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expect {
    Pass,
    Fail,
    Unknown,
    NotApplicable,
}

impl Expect {
    /// As written in `examples:` and in expected-findings files.
    pub fn parse(s: &str) -> Option<Expect> {
        Some(match s {
            "pass" => Expect::Pass,
            "fail" => Expect::Fail,
            "unknown" => Expect::Unknown,
            "not_applicable" => Expect::NotApplicable,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Expect::Pass => "pass",
            Expect::Fail => "fail",
            Expect::Unknown => "unknown",
            Expect::NotApplicable => "not_applicable",
        }
    }

    pub const ALL: [Expect; 4] = [
        Expect::Pass,
        Expect::Fail,
        Expect::Unknown,
        Expect::NotApplicable,
    ];
}

/// A report snippet and the outcome a rule must give on it (`rules test`).
#[derive(Debug, Clone)]
pub struct Example {
    pub expect: Expect,
    /// 1-based, within the examples of the same outcome (`fail` example 2).
    pub number: usize,
    pub text: String,
    /// Text the finding's message (for an unknown, its reason) must contain.
    pub message: Option<String>,
    /// The line of the snippet the finding must point at.
    pub line: Option<usize>,
    /// Where the example is written in the rule's source file.
    pub span: std::ops::Range<usize>,
}

/// A validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub title: String,
    /// Why the rule matters.
    pub why: Option<String>,
    pub severity: Severity,
    pub basis: Option<String>,
    pub help: Option<String>,
    pub link: Option<String>,
    pub tags: Vec<String>,
    pub when: Option<Condition>,
    pub for_each: Option<ForLoop>,
    pub assert: Condition,
    pub message: Option<(String, Vec<MessagePart>)>,
    /// Report snippets and the outcome the rule must give on each, in file order.
    pub examples: Vec<Example>,
    /// Number of variable slots evaluation needs.
    pub slots: usize,
    /// Where the rule's id is written, in `source`.
    pub id_span: std::ops::Range<usize>,
    pub source: Arc<SourceFile>,
}

/// A validated rulebook (with the rules of the rulebooks it extends, in order).
#[derive(Debug, Clone)]
pub struct Rulebook {
    pub id: String,
    pub title: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub rules: Vec<Rule>,
    /// The `let` bindings visible in it (those of extended rulebooks first), compiled.
    pub lets: Vec<(String, CExpr)>,
    /// The key figures `audit` reads (those of extended rulebooks first; same id replaces).
    pub indicators: Vec<Indicator>,
    /// The heading of the next year's arrangements (`arrangements:`), the last one set.
    pub arrangements: Option<Arc<regex::Regex>>,
    pub source: Arc<SourceFile>,
}

/// Adds a rule to a rule list; a rule with the id of an earlier one (from an extended or an
/// earlier rulebook) replaces it in its place.
pub fn add_rule(rules: &mut Vec<Rule>, rule: Rule) {
    match rules.iter().position(|r| r.id == rule.id) {
        Some(i) => rules[i] = rule,
        None => rules.push(rule),
    }
}

/// Rulebooks shipped inside the binary, by name (`builtin:NAME`).
pub const BUILTIN: &[(&str, &str)] =
    &[("fzzf-annual", include_str!("../../rules/fzzf-annual.yaml"))];

/// Loads a rulebook file (and what it extends).
pub fn load_file(path: &Path) -> Result<Rulebook, Vec<RulebookError>> {
    let text = crate::limits::read_text(path, crate::limits::MAX_RULEBOOK_BYTES)
        .map_err(|e| vec![RulebookError::io(path, &e.to_string())])?;
    let file = SourceFile {
        name: path.display().to_string(),
        text: text.into(),
    };
    load(file, path.parent(), &mut Vec::new())
}

/// Loads a built-in rulebook by name.
pub fn load_builtin(name: &str) -> Option<Result<Rulebook, Vec<RulebookError>>> {
    let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    let file = SourceFile {
        name: format!("builtin:{name}"),
        text: (*text).into(),
    };
    Some(load(file, None, &mut Vec::new()))
}

/// Loads a rulebook from text; `dir` resolves relative `extends` paths; `chain` holds the files
/// being loaded, to refuse cycles.
pub fn load(
    file: SourceFile,
    dir: Option<&Path>,
    chain: &mut Vec<String>,
) -> Result<Rulebook, Vec<RulebookError>> {
    let file = Arc::new(file);
    let raw = yaml::parse_raw(&file)?;
    let mut errors = yaml::check_structure(&file, &raw);
    chain.push(chain_name(&file.name));

    // Extended rulebooks come first; their `let` bindings are visible here.
    let mut rules: Vec<Rule> = Vec::new();
    let mut scope = Scope::new();
    let mut lets = Vec::new();
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut arrangements = None;
    for ext in raw.extends.iter().flat_map(|e| e.value.iter()) {
        match load_extended(&file, ext, dir, chain) {
            Ok(book) => {
                rules.extend(book.rules);
                for i in book.indicators {
                    add_indicator(&mut indicators, i);
                }
                arrangements = book.arrangements.or(arrangements);
                for (name, e) in book.lets {
                    scope.add_let(&name, e.clone());
                    lets.push((name, e));
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    chain.pop();

    for (name, value) in raw.lets() {
        if !is_identifier(&name.value) {
            errors.push(RulebookError::new(
                "rulebook::let_name",
                format!("`{}` is not a valid name", name.value),
                &file,
                yaml::key_range(&file, name),
                "letters, digits and `_`, not starting with a digit",
            ));
            continue;
        }
        if crate::expr::library::function(&name.value).is_some() || compile::is_global(&name.value)
        {
            errors.push(RulebookError::new(
                "rulebook::let_name",
                format!("`{}` is already a name of the language", name.value),
                &file,
                yaml::key_range(&file, name),
                "choose another name",
            ));
            continue;
        }
        let mut s = scope.clone();
        match compile_expr(&file, value, &mut s, None) {
            Ok(e) => {
                scope.add_let(&name.value, e.clone());
                lets.push((name.value.clone(), e));
            }
            Err(mut e) => {
                // Reported once, here: its uses take the poisoned type and say nothing more.
                scope.add_let(&name.value, compile::poisoned(&value.value));
                errors.append(&mut e);
            }
        }
    }

    if let Some(extra) = raw.rules.value.get(crate::limits::MAX_RULES) {
        errors.push(
            RulebookError::new(
                "rulebook::too_many_rules",
                format!(
                    "the rulebook has {} rules; the limit is {} per file",
                    raw.rules.value.len(),
                    crate::limits::MAX_RULES
                ),
                &file,
                yaml::value_range(&file, &extra.id),
                "one rule too many",
            )
            .with_help("split the rules into several rulebooks joined with `extends`"),
        );
        return Err(errors);
    }
    for raw_rule in raw.rules.value.iter() {
        match compile_rule(&file, raw_rule, &scope) {
            Ok(rule) => {
                add_rule(&mut rules, rule);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    let mut own: Vec<&str> = Vec::new();
    for raw_ind in raw.indicators.iter().flat_map(|l| l.value.iter()) {
        match indicator::compile_indicator(&file, raw_ind, &scope, &own) {
            Ok(i) => add_indicator(&mut indicators, i),
            Err(mut e) => errors.append(&mut e),
        }
        own.push(&raw_ind.id.value);
    }
    if let Some(a) = &raw.arrangements {
        match indicator::compile_pattern(&file, a, &scope, "arrangements") {
            Ok(r) => arrangements = Some(r),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
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
        source: file,
    })
}

fn load_extended(
    file: &Arc<SourceFile>,
    ext: &Spanned<String>,
    dir: Option<&Path>,
    chain: &mut Vec<String>,
) -> Result<Rulebook, Vec<RulebookError>> {
    let at = yaml::value_range(file, ext);
    let err = |msg: String, label: &str| {
        vec![RulebookError::new(
            "rulebook::extends",
            msg,
            file,
            at.clone(),
            label,
        )]
    };
    let (sub, name) = if let Some(name) = ext.value.strip_prefix("builtin:") {
        let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name) else {
            let names: Vec<String> = BUILTIN
                .iter()
                .map(|(n, _)| format!("builtin:{n}"))
                .collect();
            let e = err(format!("there is no built-in rulebook `{name}`"), "unknown");
            return Err(e
                .into_iter()
                .map(|e| e.with_help(format!("built-in rulebooks: {}", names.join(", "))))
                .collect());
        };
        (
            SourceFile {
                name: ext.value.clone(),
                text: (*text).into(),
            },
            ext.value.clone(),
        )
    } else {
        let path: PathBuf = dir.map_or_else(|| PathBuf::from(&ext.value), |d| d.join(&ext.value));
        let name = path.display().to_string();
        // Cycles are found on canonical paths: `s/../c.yaml` is `c.yaml` however it is spelt.
        if chain.contains(&chain_name(&name)) {
            return Err(err(
                format!(
                    "`{}` extends itself (through {})",
                    ext.value,
                    chain.join(" → ")
                ),
                "cycle",
            ));
        }
        if chain.len() >= crate::limits::MAX_EXTENDS_DEPTH {
            return Err(err(
                format!(
                    "`extends` nested deeper than {} rulebooks (through {})",
                    crate::limits::MAX_EXTENDS_DEPTH,
                    chain.join(" → ")
                ),
                "too deep",
            )
            .into_iter()
            .map(|e| {
                e.with_help(
                    "the limit is fixed; extend the rulebooks side by side instead of in a chain",
                )
            })
            .collect());
        }
        match crate::limits::read_text(&path, crate::limits::MAX_RULEBOOK_BYTES) {
            Ok(text) => (
                SourceFile {
                    name: name.clone(),
                    text: text.into(),
                },
                name,
            ),
            Err(e) => {
                return Err(err(
                    format!("cannot read `{}`: {e}", path.display()),
                    "here",
                ));
            }
        }
    };
    if chain.contains(&chain_name(&name)) {
        return Err(err(format!("`{}` extends itself", ext.value), "cycle"));
    }
    let sub_dir = Path::new(&name).parent().map(Path::to_path_buf);
    load(sub, sub_dir.as_deref(), chain)
}

/// How a rulebook stands in the `extends` chain: its canonical path when it is a file that
/// exists, else its name (`builtin:NAME`).
fn chain_name(name: &str) -> String {
    if name.starts_with("builtin:") {
        return name.to_string();
    }
    std::fs::canonicalize(name).map_or_else(|_| name.to_string(), |p| p.display().to_string())
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
fn compile_expr(
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

fn compile_rule(
    file: &Arc<SourceFile>,
    raw: &raw::RawRule,
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
    let assert = match compile_expr(file, &raw.assert, &mut scope, Some("assert")) {
        Ok(e) => Some(Condition {
            expr: e,
            text: raw.assert.value.clone(),
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
    let severity = Severity::parse(&raw.severity.value);
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
        name: raw.name.value.clone(),
        title: raw.title.value.clone(),
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

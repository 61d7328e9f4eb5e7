//! Rulebook stage: YAML text → [`RawRulebook`], every structural mistake reported like a
//! compiler error.
//!
//! Takes a [`SourceFile`]; hands on a [`RawRulebook`] (serde types in `raw.rs`, every value
//! [`Spanned`]) or a list of [`RulebookError`]s, each labelled at the exact bytes of the file.
//! Expressions are not looked at here; the expression compiler gets the strings and, through
//! [`value_map`], can turn its byte ranges inside a YAML string into byte ranges of the file.
//!
//! Loading runs in two passes over the text, both with `serde-saphyr` and the same budget:
//!
//! 1. The YAML is read into a generic, spanned node tree (duplicate keys passed through to us)
//!    and checked against the shape table (`shape.rs`). This pass keeps going after a mistake, so
//!    one broken rule does not hide the mistakes in the others: unknown keys (with "did you
//!    mean"), wrong kinds of value, missing required keys and duplicate keys are all reported.
//! 2. Only if that found nothing is the text deserialized into the typed [`RawRulebook`]. Any
//!    error there (there should be none: a test keeps the table and the types in step) is
//!    reported as well.
//!
//! [`check_structure`] then checks what serde cannot: unique, well-formed rule ids and names,
//! severities, empty `assert`s, the rulebook id and `extends` entries.
//!
//! serde-saphyr's locations carry byte offsets for string input; when one is missing (some
//! syntax errors) the character offset or the line and column are converted to bytes with the
//! source text, so Chinese text before an error never shifts the caret.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{
    DuplicateKeyPolicy, Location, MessageFormatter, NonFiniteFloatPolicy, Spanned,
    UserMessageFormatter,
};

use super::error::{RulebookError, SourceFile, codes};
use super::raw::RawRulebook;

mod checker;
mod errors;
mod names;
pub(crate) mod shape;
#[cfg(test)]
mod tests;
mod value_map;

pub(crate) use checker::backticked;
use checker::{Checker, sorted};
pub(crate) use checker::{Kind, Node, found, node_range, node_text};
pub(crate) use errors::{options, saphyr_error};
pub(crate) use names::is_rule_id;
use names::{extends_problem, to_kebab};
pub(crate) use names::{is_kebab, severity_suggestion};
use shape::SETTINGS;
pub use value_map::{ValueMap, value_map};
use value_map::{loc_range, widen_empty};

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// Reads `file` into a [`RawRulebook`], or reports every structural mistake found.
///
/// A YAML syntax error or a breached budget stops everything (one error); otherwise all the
/// unknown keys, wrongly typed values, missing keys and duplicate keys of the whole file are
/// reported together, sorted by position.
pub fn parse_raw(file: &SourceFile) -> Result<RawRulebook, Vec<RulebookError>> {
    let text: &str = &file.text;
    let root: Node =
        serde_saphyr::from_str_with_options(text, options(DuplicateKeyPolicy::PassThrough))
            .map_err(|e| vec![saphyr_error(file, &e)])?;

    let mut checker = Checker {
        file,
        errors: Vec::new(),
    };
    checker.rulebook(&root);
    if !checker.errors.is_empty() {
        return Err(sorted(checker.errors));
    }

    serde_saphyr::from_str_with_options(text, options(DuplicateKeyPolicy::Error))
        .map_err(|e| vec![saphyr_error(file, &e)])
}

/// Checks a parsed rulebook for what the YAML structure cannot express: duplicate rule ids and
/// names, the shape of ids (`FZ005`) and names (kebab-case), severities, empty `assert`s, the
/// rulebook id and `extends` entries. Returns the errors sorted by position (empty: all good).
pub fn check_structure(file: &SourceFile, raw: &RawRulebook) -> Vec<RulebookError> {
    let mut errors = Vec::new();
    let text: &str = &file.text;

    let id = &raw.rulebook;
    if !is_kebab(&id.value) {
        let help = match to_kebab(&id.value) {
            Some(k) => format!("try `{k}`"),
            None => {
                "rulebook ids are lowercase ASCII words joined by `-`, e.g. `fazhi-annual-report`"
                    .to_owned()
            }
        };
        errors.push(
            RulebookError::new(
                codes::BAD_RULEBOOK_ID,
                format!("rulebook id `{}` is not kebab-case", id.value),
                file,
                value_range(file, id),
                "expected lowercase words joined by `-`",
            )
            .with_help(help),
        );
    }

    if let Some(extends) = &raw.extends {
        for entry in &extends.value {
            if let Some(problem) = extends_problem(&entry.value) {
                errors.push(
                    RulebookError::new(
                        codes::BAD_EXTENDS,
                        format!(
                            "`extends` entry `{}` is neither `builtin:NAME` nor a relative .yaml/.yml path",
                            entry.value
                        ),
                        file,
                        value_range(file, entry),
                        problem,
                    )
                    .with_help(
                        "write `builtin:NAME` for a built-in rulebook (e.g. `builtin:fazhi-annual-report`), \
                         or a path relative to this file such as `common/base.yaml`",
                    ),
                );
            }
        }
    }

    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut names: HashMap<&str, usize> = HashMap::new();
    for rule in &raw.rules.value {
        let id_span = value_range(file, &rule.id);
        let id = rule.id.value.as_str();

        if !is_rule_id(id) {
            let upper = id.trim().to_ascii_uppercase().replace(['-', '_', ' '], "");
            let help = if is_rule_id(&upper) {
                format!("did you mean `{upper}`?")
            } else {
                "rule ids are 1–8 capital letters (A–Z) followed by 1–4 digits, e.g. `FZ005`"
                    .to_owned()
            };
            errors.push(
                RulebookError::new(
                    codes::BAD_ID,
                    format!("rule id `{id}` is not of the form `FZ005`"),
                    file,
                    id_span.clone(),
                    "expected capital letters then digits",
                )
                .with_help(help),
            );
        }
        if let Some(&first) = ids.get(id) {
            errors.push(
                RulebookError::new(
                    codes::DUPLICATE_ID,
                    format!("duplicate rule id `{id}`"),
                    file,
                    id_span.clone(),
                    format!(
                        "`{id}` is already the id of the rule on line {}",
                        file.line_of(first)
                    ),
                )
                .with_help("every rule needs its own id; renumber one of them"),
            );
        } else {
            ids.insert(id, id_span.start);
        }

        let severity = rule.severity.value.as_str();
        if !SETTINGS.contains(&severity) {
            let help = match severity_suggestion(severity) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "severity is one of `error`, `warning`, `info` (or `off`)".to_owned(),
            };
            errors.push(
                RulebookError::new(
                    codes::BAD_SEVERITY,
                    format!("unknown severity `{severity}`"),
                    file,
                    value_range(file, &rule.severity),
                    "expected `error`, `warning` or `info`",
                )
                .with_help(help),
            );
        }

        // An entry that only sets the severity of an inherited rule has nothing more to check.
        let (Some(name_value), Some(assert)) = (&rule.name, &rule.assert) else {
            continue;
        };
        let name = name_value.value.as_str();
        let name_span = value_range(file, name_value);
        if !is_kebab(name) {
            let help = match to_kebab(name) {
                Some(k) => format!("try `{k}`"),
                None => "rule names are lowercase ASCII words joined by `-`, e.g. `next-year-plan`"
                    .to_owned(),
            };
            errors.push(
                RulebookError::new(
                    codes::BAD_NAME,
                    format!("rule name `{name}` is not kebab-case"),
                    file,
                    name_span.clone(),
                    "expected lowercase words joined by `-`",
                )
                .with_help(help),
            );
        }
        if let Some(&first) = names.get(name) {
            errors.push(
                RulebookError::new(
                    codes::DUPLICATE_NAME,
                    format!("duplicate rule name `{name}`"),
                    file,
                    name_span,
                    format!(
                        "`{name}` is already the name of the rule on line {}",
                        file.line_of(first)
                    ),
                )
                .with_help(
                    "rule names must be unique; they are how rules are selected and silenced",
                ),
            );
        } else {
            names.insert(name, name_span.start);
        }

        if assert.value.trim().is_empty() {
            let span = value_range(file, assert);
            errors.push(
                RulebookError::new(
                    codes::EMPTY_ASSERT,
                    format!("rule `{id}` has an empty `assert`"),
                    file,
                    widen_empty(text, span),
                    "expected an expression here",
                )
                .with_help(
                    "write the condition a report must satisfy, e.g. `assert: has_section(/下一年度/)`",
                ),
            );
        }
    }
    sorted(errors)
}

/// [`parse_raw`] then [`check_structure`]: the raw rulebook if the file has no structural
/// mistake at all.
pub fn load_raw(file: &SourceFile) -> Result<RawRulebook, Vec<RulebookError>> {
    let raw = parse_raw(file)?;
    let errors = check_structure(file, &raw);
    if errors.is_empty() {
        Ok(raw)
    } else {
        Err(errors)
    }
}

/// The byte range in the file of any spanned value (where it is written; for a quoted string
/// the quotes are included, for a block scalar the content lines, for a block collection an
/// empty range at its first entry).
pub fn value_range<T>(file: &SourceFile, value: &Spanned<T>) -> Range<usize> {
    loc_range(&file.text, &value.referenced)
}

/// The byte range in the file of a spanned mapping key (e.g. a `let` name).
pub fn key_range(file: &SourceFile, key: &Spanned<String>) -> Range<usize> {
    value_range(file, key)
}

pub use crate::expr::suggest::suggest;

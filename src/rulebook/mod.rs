//! Rulebook stage: YAML rulebooks, loaded with spans and compiled in one validating step.
//!
//! [`yaml`] reads the file into raw serde types ([`raw`]) and checks their structure; this module
//! then parses and compiles every expression (`let`, `for`, `when`, `assert`, `message`) and hands
//! on a [`Rulebook`] whose rules are ready to evaluate — nothing is compiled while checking. Every
//! error, structural or in an expression, is a [`RulebookError`] labelled at the exact bytes of
//! the file, and all errors of a file are collected.

pub mod combine;
mod compile;
pub mod error;
pub mod indicator;
mod load;
pub mod raw;
pub mod schema;
pub mod yaml;

pub use error::{RulebookError, SourceFile};
pub use indicator::{Indicator, add_indicator};

use crate::expr::compile::CExpr;
pub(crate) use compile::compile_expr;
use std::path::Path;
use std::sync::Arc;

/// How serious a failed rule is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
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
    /// Switched off (`severity: off`, here or by a rulebook that extends this one's): the
    /// configuration can still switch it on.
    pub off: bool,
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
    /// The rulebook that defines it, as `extends` chains name it (canonical path or
    /// `builtin:NAME`).
    pub origin: Arc<str>,
}

impl Rule {
    /// The severity it runs at, `None` when it is switched off.
    pub fn default_severity(&self) -> Option<Severity> {
        (!self.off).then_some(self.severity)
    }
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
    /// Every rulebook it is made of (those it extends, then itself), as `extends` chains name
    /// them.
    pub lineage: Vec<Arc<str>>,
    pub source: Arc<SourceFile>,
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
    load(file, path.parent())
}

/// Loads a built-in rulebook by name.
pub fn load_builtin(name: &str) -> Option<Result<Rulebook, Vec<RulebookError>>> {
    let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    let file = SourceFile {
        name: format!("builtin:{name}"),
        text: (*text).into(),
    };
    Some(load(file, None))
}

/// Loads a rulebook from text (and what it extends); `dir` resolves relative `extends` paths.
pub fn load(file: SourceFile, dir: Option<&Path>) -> Result<Rulebook, Vec<RulebookError>> {
    let (layers, errors) = load::collect(file, dir);
    compile::compile_layers(&layers, errors)
}

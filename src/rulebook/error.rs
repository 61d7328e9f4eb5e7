//! Rulebook stage: the one diagnostic type for everything wrong in a rulebook file.
//!
//! Takes a [`SourceFile`] (the rulebook's name and text) and a byte range in it; hands on a
//! [`RulebookError`], a `miette` diagnostic with a stable code (`rulebook::unknown_key`, …), a
//! message, one labelled span and an optional help line. YAML structure errors (`yaml.rs`),
//! and later expression errors mapped back into the file, are all reported with it, so they
//! render the same way: like a compiler error, with a caret under the offending characters.

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::source::CharColumns;
use miette::{Diagnostic, LabeledSpan, SourceCode};

/// A rulebook file: the name shown in diagnostics (usually its path) and its full text.
///
/// Every span in this stage is a byte range into `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// 1-based line number of byte offset `at` (clamped to the text).
    pub fn line_of(&self, at: usize) -> usize {
        let at = at.min(self.text.len());
        self.text.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

/// Diagnostic codes used by this stage, one per class of mistake.
pub mod codes {
    /// The rulebook file could not be read.
    pub const IO: &str = "rulebook::io";
    /// Not YAML at all (bad indentation, unclosed quote or bracket, tabs, …).
    pub const YAML_SYNTAX: &str = "rulebook::yaml_syntax";
    /// The file exceeds a parsing budget (alias bomb, absurd nesting or size).
    pub const TOO_COMPLEX: &str = "rulebook::too_complex";
    /// The file holds no rulebook (empty, or only comments).
    pub const EMPTY: &str = "rulebook::empty";
    /// A key that the rulebook format does not know.
    pub const UNKNOWN_KEY: &str = "rulebook::unknown_key";
    /// A value of the wrong kind (a list where a string belongs, …).
    pub const WRONG_TYPE: &str = "rulebook::wrong_type";
    /// A required key is absent.
    pub const MISSING_KEY: &str = "rulebook::missing_key";
    /// A key repeated in one mapping.
    pub const DUPLICATE_KEY: &str = "rulebook::duplicate_key";
    /// Two rules with the same `id`.
    pub const DUPLICATE_ID: &str = "rulebook::duplicate_id";
    /// Two rules with the same `name`.
    pub const DUPLICATE_NAME: &str = "rulebook::duplicate_name";
    /// A rule `id` not shaped like `FZ005`.
    pub const BAD_ID: &str = "rulebook::bad_id";
    /// A rule `name` that is not kebab-case.
    pub const BAD_NAME: &str = "rulebook::bad_name";
    /// A `severity` other than `error`, `warning` or `info`.
    pub const BAD_SEVERITY: &str = "rulebook::bad_severity";
    /// An `assert` with nothing in it.
    pub const EMPTY_ASSERT: &str = "rulebook::empty_assert";
    /// A top-level `rulebook:` id that is not kebab-case.
    pub const BAD_RULEBOOK_ID: &str = "rulebook::bad_rulebook_id";
    /// An `extends` entry that is neither `builtin:NAME` nor a relative `.yaml`/`.yml` path.
    pub const BAD_EXTENDS: &str = "rulebook::bad_extends";
    /// A key other than `severity` in a rule entry without `assert` (which only sets the
    /// severity of an inherited rule).
    pub const ADJUSTMENT_KEY: &str = "rulebook::adjustment_key";
    /// An entry without `assert` for a rule that no extended rulebook defines.
    pub const NOTHING_TO_ADJUST: &str = "rulebook::nothing_to_adjust";
    /// One rule id defined by two rulebooks of one run, neither extending the other.
    pub const CONFLICTING_RULE: &str = "rulebook::conflicting_rule";
}

/// Something wrong in a rulebook, pointing at the exact bytes of the file responsible.
#[derive(Clone, thiserror::Error)]
#[error("{message}")]
pub struct RulebookError {
    code: &'static str,
    message: String,
    src: CharColumns,
    /// The labelled bytes of the file.
    span: Range<usize>,
    /// The label's range in `src` (which is a window of the line when the line is long).
    shown: Range<usize>,
    label: String,
    help: Option<String>,
    /// Diagnostics shown with this one (the first definition of a rule defined twice).
    related: Vec<RulebookError>,
    /// A warning rather than an error (a waiver that matched nothing).
    warning: bool,
}

impl RulebookError {
    /// An error with `message`, labelled `label` at `span` (a byte range of `src.text`).
    ///
    /// The span is clamped to the text and widened to character boundaries, so a diagnostic
    /// can never point into the middle of a multi-byte character.
    pub fn new(
        code: &'static str,
        message: impl Into<String>,
        src: &SourceFile,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        let span = clamp_span(&src.text, span);
        let (source, shown) = CharColumns::around(&src.name, &src.text, span.clone());
        RulebookError {
            code,
            message: message.into(),
            src: source,
            span,
            shown,
            label: label.into(),
            help: None,
            related: Vec::new(),
            warning: false,
        }
    }

    /// A rulebook file that could not be read: no source text, so no snippet or label.
    pub fn io(path: &Path, message: &str) -> Self {
        let name = path.display().to_string();
        RulebookError {
            code: codes::IO,
            message: format!("cannot read rulebook {name}: {message}"),
            src: CharColumns::new(&name, Arc::from("")),
            span: 0..0,
            shown: 0..0,
            label: String::new(),
            help: None,
            related: Vec::new(),
            warning: false,
        }
    }

    /// Adds help when there is some.
    #[must_use]
    pub fn with_help_opt(self, help: Option<impl Into<String>>) -> Self {
        match help {
            Some(h) => self.with_help(h),
            None => self,
        }
    }

    /// Adds a help line ("did you mean `assert`?").
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Makes it a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.warning = true;
        self
    }

    /// Adds a diagnostic shown with this one, e.g. in another file.
    #[must_use]
    pub fn with_related(mut self, related: RulebookError) -> Self {
        self.related.push(related);
        self
    }

    /// The diagnostic code, e.g. `rulebook::unknown_key` (see [`codes`]).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The byte range in the file that the label points at.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

impl fmt::Debug for RulebookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RulebookError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("file", &self.src.name())
            .field("span", &self.span)
            .field("label", &self.label)
            .field("help", &self.help)
            .finish()
    }
}

impl Diagnostic for RulebookError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    /// None for an error without a label (see [`RulebookError::io`]): nothing to show.
    fn source_code(&self) -> Option<&dyn SourceCode> {
        (!self.label.is_empty()).then_some(&self.src as &dyn SourceCode)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning {
            miette::Severity::Warning
        } else {
            miette::Severity::Error
        })
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.label.is_empty() {
            return None;
        }
        let span = LabeledSpan::new_with_span(Some(self.label.clone()), self.shown.clone());
        Some(Box::new(std::iter::once(span)))
    }
}

/// `span` limited to `text` and widened outwards to character boundaries.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

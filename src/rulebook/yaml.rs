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
//!    and checked against the schema table below. This pass keeps going after a mistake, so
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

        let name = rule.name.value.as_str();
        let name_span = value_range(file, &rule.name);
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

        let severity = rule.severity.value.as_str();
        if !SEVERITIES.contains(&severity) {
            let help = match severity_suggestion(severity) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "severity is one of `error`, `warning`, `info`".to_owned(),
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

        if rule.assert.value.trim().is_empty() {
            let span = value_range(file, &rule.assert);
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

/// Maps byte offsets in a YAML string value to byte offsets in the file (see [`value_map`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueMap {
    /// For each byte offset of the value: where in the file the character there starts.
    starts: Vec<usize>,
    /// For each byte offset of the value: where in the file the character before it ends.
    ends: Vec<usize>,
}

impl ValueMap {
    /// The file byte range written for `value_range` (byte offsets into the value string).
    ///
    /// Out-of-range offsets are clamped; offsets inside a character widen to the whole
    /// character; the result is always within the file and on character boundaries.
    pub fn file_range(&self, value_range: Range<usize>) -> Range<usize> {
        let len = self.starts.len() - 1;
        let start = value_range.start.min(len);
        let end = value_range.end.clamp(start, len);
        let file_start = self.starts[start];
        if start == end {
            return file_start..file_start;
        }
        file_start..self.ends[end].max(file_start)
    }

    /// The file byte offset of the value's byte offset `value_offset`.
    pub fn file_offset(&self, value_offset: usize) -> usize {
        self.starts[value_offset.min(self.starts.len() - 1)]
    }
}

/// Builds the map from byte offsets of `value` (a string deserialized from `file`) to byte
/// offsets of the file, walking the value and its YAML spelling together.
///
/// Exact for literal blocks (`|`, any chomping or indentation indicator), folded blocks
/// (`>`), single-line and multi-line plain and quoted scalars (`''` in single quotes,
/// backslash escapes and escaped line breaks in double quotes). A value that comes from an
/// alias (`*name`) maps to its anchored definition. Anything unexpected degrades gracefully:
/// offsets stay inside the scalar and on character boundaries.
pub fn value_map(file: &SourceFile, value: &Spanned<String>) -> ValueMap {
    let text: &str = &file.text;
    let loc = if value.defined.line() != 0 {
        &value.defined
    } else {
        &value.referenced
    };
    let range = loc_range(text, loc);
    let (start, end, mode) = scalar_layout(text, range);
    Walker { text, end, mode }.walk(start, &value.value)
}

// ---------------------------------------------------------------------------------------------
// serde-saphyr options and errors
// ---------------------------------------------------------------------------------------------

/// serde-saphyr options shared by both passes. Rulebooks are small hand-written files, so the
/// budget is far below serde-saphyr's (already safe) defaults: an alias bomb or a runaway
/// nesting is refused after a bounded amount of work.
pub(crate) fn options(duplicate_keys: DuplicateKeyPolicy) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 500_000,
            max_nodes: 100_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 32,
            max_recorded_anchor_events: 100_000,
            max_total_scalar_bytes: 16 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 1_000,
        },
        duplicate_keys: duplicate_keys,
        non_finite_float_policy: NonFiniteFloatPolicy::AsString,
        emit_comments: false,
        with_snippet: false,
    }
}

/// Why a budget was exceeded, in words that fit the cause: a file with too many rules is not an
/// alias bomb.
fn budget_help(inner: &serde_saphyr::Error, msg: &str) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match inner {
        serde_saphyr::Error::Budget {
            breach: B::Events { .. } | B::Nodes { .. } | B::ScalarBytes { .. },
            ..
        } => format!(
            "the file holds more YAML than a rulebook may ({msg}); split it into several \
             rulebooks joined with `extends`"
        ),
        serde_saphyr::Error::Budget {
            breach: B::Depth { .. },
            ..
        } => format!("YAML nested deeper than a rulebook needs ({msg})"),
        _ => format!("this looks like an alias bomb (`&a` / `*a` expanding exponentially) ({msg})"),
    }
}

/// A serde-saphyr error as a rulebook diagnostic.
pub(crate) fn saphyr_error(file: &SourceFile, err: &serde_saphyr::Error) -> RulebookError {
    use serde_saphyr::Error as E;

    let text: &str = &file.text;
    let inner = match err.without_snippet() {
        E::AliasError { error, .. } => error.without_snippet(),
        other => other,
    };
    let span = err
        .location()
        .map_or(0..0, |loc| widen_empty(text, loc_range(text, &loc)));
    let msg: String = UserMessageFormatter
        .format_message(inner)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();

    match inner {
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => RulebookError::new(
            codes::TOO_COMPLEX,
            "the rulebook is too large or too complex to load safely",
            file,
            span,
            "limit reached here",
        )
        .with_help(budget_help(inner, &msg)),
        E::MultipleDocuments { .. } => RulebookError::new(
            codes::YAML_SYNTAX,
            "a rulebook file holds a single YAML document",
            file,
            span,
            "a second document starts here",
        )
        .with_help("remove the `---`, or put each rulebook in its own file"),
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let help = match suggest(field, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("allowed keys here: {}", backticked(expected)),
            };
            RulebookError::new(
                codes::UNKNOWN_KEY,
                format!("unknown key `{field}`"),
                file,
                span,
                "unknown key",
            )
            .with_help(help)
        }
        E::SerdeMissingField { field, .. } => RulebookError::new(
            codes::MISSING_KEY,
            format!("missing required key `{field}`"),
            file,
            head_line(text, span.start),
            format!("this mapping has no `{field}`"),
        ),
        E::DuplicateMappingKey { key, .. } => RulebookError::new(
            codes::DUPLICATE_KEY,
            match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key".to_owned(),
            },
            file,
            span,
            "repeated here",
        )
        .with_help("a key may appear only once in a mapping; remove one of them"),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::Unexpected { .. }
        | E::NullIntoString { .. }
        | E::InvalidScalar { .. } => RulebookError::new(
            codes::WRONG_TYPE,
            format!("wrong kind of value: {msg}"),
            file,
            span,
            "unexpected value",
        ),
        _ => {
            // The parser reports where the token it was reading started; for a tab or a bad
            // escape, point at the culprit itself.
            let tab = msg
                .contains("found a tab")
                .then(|| text.get(span.start..)?.find('\t'))
                .flatten()
                .map(|i| span.start + i);
            let escape = msg
                .contains("unknown escape")
                .then(|| bad_escape(text, span.start))
                .flatten();
            let (span, label) = match (tab, escape) {
                (Some(at), _) => (at..at + 1, "tab character".to_owned()),
                (None, Some(r)) => (r.clone(), format!("`{}` is not an escape", &text[r])),
                (None, None) => (span, "here".to_owned()),
            };
            let err = RulebookError::new(
                codes::YAML_SYNTAX,
                format!("invalid YAML: {msg}"),
                file,
                span,
                label,
            );
            match syntax_help(&msg) {
                Some(help) => err.with_help(help),
                None => err,
            }
        }
    }
}

/// The first invalid escape (`\d`, `\.`, …) in the double-quoted scalar starting at `start`.
fn bad_escape(text: &str, start: usize) -> Option<Range<usize>> {
    let body = text.get(start..)?.strip_prefix('"')?;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                let valid = "0abt\tnvfre \"/\\N_LPxuU\n\r".contains(e);
                if !valid {
                    let at = start + 1 + i;
                    return Some(at..at + 1 + e.len_utf8());
                }
            }
            _ => {}
        }
    }
    None
}

/// A hint for the YAML syntax errors people actually make.
fn syntax_help(msg: &str) -> Option<&'static str> {
    let msg = msg.to_lowercase();
    let help = if msg.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted (`title: \"a: b\"`) or written as a block \
         scalar (`|` and the text on the following lines)"
    } else if msg.contains("found a tab") || msg.contains("tabs") {
        "YAML indents with spaces, not tabs"
    } else if msg.contains("escape") {
        "inside \"…\" a backslash starts an escape: for regexes such as /\\d+/ use '…' or a \
         block scalar (`|`), or write the backslash twice"
    } else if msg.contains("unclosed quote") || msg.contains("quoted scalar") {
        "close the quote; inside '…' write '' for a single quote"
    } else if msg.contains("unclosed bracket") || msg.contains("illegal placement of ':'") {
        "is a `[` or `{` left unclosed? Quote the value if the bracket is part of the text"
    } else if msg.contains("did not find expected") {
        "check the indentation of this line against the lines above it"
    } else if msg.contains("unknown value") || msg.contains("unknown anchor") {
        "`*name` refers to an anchor `&name` defined earlier in the file"
    } else {
        return None;
    };
    Some(help)
}

// ---------------------------------------------------------------------------------------------
// Pass 1: a spanned node tree, checked against the schema
// ---------------------------------------------------------------------------------------------

/// A YAML node with where it is written.
pub(crate) type Node = Spanned<Kind>;

#[derive(Debug)]
pub(crate) enum Kind {
    Null,
    /// `text` is the string for string scalars; numbers and booleans are read from the source.
    Scalar {
        text: Option<String>,
        what: &'static str,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl KindVisitor {
    fn scalar(what: &'static str) -> Kind {
        Kind::Scalar { text: None, what }
    }
}

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Kind, E> {
        Ok(Self::scalar("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
        Ok(Self::scalar("a number"))
    }
    fn visit_i128<E>(self, _: i128) -> Result<Kind, E> {
        Ok(Self::scalar("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Kind, E> {
        Ok(Self::scalar("a number"))
    }
    fn visit_u128<E>(self, _: u128) -> Result<Kind, E> {
        Ok(Self::scalar("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
        Ok(Self::scalar("a number"))
    }
    fn visit_char<E>(self, v: char) -> Result<Kind, E> {
        Ok(Kind::Scalar {
            text: Some(v.to_string()),
            what: "a string",
        })
    }
    fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Scalar {
            text: Some(v.to_owned()),
            what: "a string",
        })
    }
    fn visit_string<E>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Scalar {
            text: Some(v),
            what: "a string",
        })
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Kind, E> {
        Ok(Self::scalar("binary data"))
    }
    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_none<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Kind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Node, Node>()? {
            entries.push(entry);
        }
        Ok(Kind::Map(entries))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<Kind, A::Error> {
        Err(de::Error::custom(
            "tagged values (`!Tag value`) are not used in rulebooks",
        ))
    }
}

/// What a key's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A string (numbers and booleans are read as their spelling).
    Text,
    /// A list of strings.
    TextList,
    /// `let`: a mapping of names to expression strings.
    Let,
    /// `rules`: a list of rule mappings.
    Rules,
    /// `examples`: a mapping with `pass` and `fail` lists.
    Examples,
    /// `indicators`: a list of indicator mappings.
    Indicators,
    /// An indicator's `examples`: a list of `{text, value}` mappings.
    IndicatorExamples,
}

#[derive(Debug)]
struct Field {
    key: &'static str,
    shape: Shape,
    required: bool,
}

const fn req(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: true,
    }
}

const fn opt(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: false,
    }
}

/// The keys of a rulebook file (mirrors `RawRulebook`).
const RULEBOOK_FIELDS: &[Field] = &[
    req("rulebook", Shape::Text),
    opt("title", Shape::Text),
    opt("version", Shape::Text),
    opt("description", Shape::Text),
    opt("extends", Shape::TextList),
    opt("let", Shape::Let),
    req("rules", Shape::Rules),
    opt("indicators", Shape::Indicators),
    opt("arrangements", Shape::Text),
];

/// The keys of an indicator (mirrors `RawIndicator`).
const INDICATOR_FIELDS: &[Field] = &[
    req("id", Shape::Text),
    req("name", Shape::Text),
    opt("name_en", Shape::Text),
    req("label", Shape::Text),
    opt("unless", Shape::Text),
    opt("unit", Shape::TextList),
    opt("examples", Shape::IndicatorExamples),
];

/// The keys of an indicator's example (mirrors `RawIndicatorExample`).
const INDICATOR_EXAMPLE_FIELDS: &[Field] = &[req("text", Shape::Text), opt("value", Shape::Text)];

/// The keys of a rule (mirrors `RawRule`).
const RULE_FIELDS: &[Field] = &[
    req("id", Shape::Text),
    req("name", Shape::Text),
    req("title", Shape::Text),
    opt("why", Shape::Text),
    req("severity", Shape::Text),
    opt("basis", Shape::Text),
    opt("help", Shape::Text),
    opt("link", Shape::Text),
    opt("tags", Shape::TextList),
    opt("when", Shape::Text),
    opt("for", Shape::Text),
    req("assert", Shape::Text),
    opt("message", Shape::Text),
    opt("examples", Shape::Examples),
];

/// The keys of a rule's `examples` (mirrors `RawExamples`).
const EXAMPLES_FIELDS: &[Field] = &[opt("pass", Shape::TextList), opt("fail", Shape::TextList)];

const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// Which mapping is being checked, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Rulebook,
    Rule,
    Examples,
    Let,
    Indicator,
    IndicatorExample,
}

impl Level {
    fn fields(self) -> Option<&'static [Field]> {
        match self {
            Level::Rulebook => Some(RULEBOOK_FIELDS),
            Level::Rule => Some(RULE_FIELDS),
            Level::Examples => Some(EXAMPLES_FIELDS),
            Level::Let => None,
            Level::Indicator => Some(INDICATOR_FIELDS),
            Level::IndicatorExample => Some(INDICATOR_EXAMPLE_FIELDS),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Level::Rulebook => "rulebook",
            Level::Rule => "rule",
            Level::Examples => "`examples` mapping",
            Level::Let => "`let` block",
            Level::Indicator => "indicator",
            Level::IndicatorExample => "indicator example",
        }
    }
}

/// Where a diagnostic about `node` points: a scalar itself, the first line of a collection.
pub(crate) fn node_range(file: &SourceFile, node: &Node) -> Range<usize> {
    let r = loc_range(&file.text, &node.referenced);
    match node.value {
        Kind::Seq(_) | Kind::Map(_) => head_line(&file.text, r.start),
        Kind::Null | Kind::Scalar { .. } => widen_empty(&file.text, r),
    }
}

/// The text of a scalar node; numbers and booleans as written (`off` is a boolean to YAML).
pub(crate) fn node_text(file: &SourceFile, node: &Node) -> Option<String> {
    match &node.value {
        Kind::Scalar { text: Some(t), .. } => Some(t.clone()),
        Kind::Scalar { text: None, .. } => {
            Some(file.text[loc_range(&file.text, &node.referenced)].to_owned())
        }
        _ => None,
    }
}

/// Walks the node tree and collects every structural mistake.
struct Checker<'a> {
    file: &'a SourceFile,
    errors: Vec<RulebookError>,
}

impl<'a> Checker<'a> {
    fn text(&self) -> &'a str {
        &self.file.text
    }

    fn push(
        &mut self,
        code: &'static str,
        message: String,
        span: Range<usize>,
        label: String,
        help: Option<String>,
    ) {
        let err = RulebookError::new(code, message, self.file, span, label);
        self.errors.push(err.with_help_opt(help));
    }

    fn range(&self, node: &Node) -> Range<usize> {
        node_range(self.file, node)
    }

    fn scalar_text(&self, node: &Node) -> Option<String> {
        node_text(self.file, node)
    }

    fn rulebook(&mut self, root: &Node) {
        match &root.value {
            Kind::Map(_) => {}
            Kind::Null => {
                self.push(
                    codes::EMPTY,
                    "the rulebook file is empty".to_owned(),
                    head_line(self.text(), 0),
                    "nothing but comments and blank lines".to_owned(),
                    Some(
                        "a rulebook needs at least `rulebook: <id>` and `rules:` with a list of rules"
                            .to_owned(),
                    ),
                );
                return;
            }
            _ => {
                self.push(
                    codes::WRONG_TYPE,
                    format!(
                        "a rulebook must be a mapping with `rulebook:` and `rules:`, not {}",
                        found(root)
                    ),
                    self.range(root),
                    "expected a mapping".to_owned(),
                    None,
                );
                return;
            }
        }
        for (field, key, value) in self.mapping(root, Level::Rulebook, "the rulebook") {
            self.value(field, key, value, "the rulebook");
        }
    }

    /// Checks the keys of a mapping (not-a-name keys, duplicates, unknown keys, missing
    /// required keys) and returns the first occurrence of each known key.
    fn mapping<'n>(
        &mut self,
        node: &'n Node,
        level: Level,
        owner: &str,
    ) -> Vec<(&'static Field, &'n Node, &'n Node)> {
        let Kind::Map(entries) = &node.value else {
            return Vec::new();
        };
        let fields = level.fields();
        let mut seen: Vec<(String, usize)> = Vec::new();
        let mut known = Vec::new();
        // Keys that an unknown key was probably meant to be: not reported again as missing.
        let mut suggested: Vec<&str> = Vec::new();
        for (key, value) in entries {
            let Some(name) = self.scalar_text(key) else {
                self.push(
                    codes::WRONG_TYPE,
                    format!("keys must be plain names, not {}", found(key)),
                    self.range(key),
                    "expected a name".to_owned(),
                    None,
                );
                continue;
            };
            let key_span = self.range(key);
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                let line = self.file.line_of(*first);
                self.push(
                    codes::DUPLICATE_KEY,
                    format!("duplicate key `{name}` in {owner}"),
                    key_span,
                    format!("`{name}` is already set on line {line}"),
                    Some("a key may appear only once in a mapping; remove one of them".to_owned()),
                );
                continue;
            }
            seen.push((name.clone(), key_span.start));
            let Some(fields) = fields else {
                // `let`: any name, every value an expression.
                self.let_value(&name, key, value);
                continue;
            };
            match fields.iter().find(|f| f.key == name) {
                Some(field) => known.push((field, key, value)),
                None => {
                    let close = suggest(&name, fields.iter().map(|f| f.key));
                    suggested.extend(close);
                    let help = match close {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => unknown_key_help(&name, level),
                    };
                    self.push(
                        codes::UNKNOWN_KEY,
                        format!("unknown key `{name}` in {owner}"),
                        key_span,
                        "unknown key".to_owned(),
                        Some(help),
                    );
                }
            }
        }

        if let Some(fields) = fields {
            let missing: Vec<&str> = fields
                .iter()
                .filter(|f| f.required && !seen.iter().any(|(n, _)| n == f.key))
                .filter(|f| !suggested.contains(&f.key))
                .map(|f| f.key)
                .collect();
            if !missing.is_empty() {
                let (message, label) = match missing.as_slice() {
                    [one] => (
                        format!("{owner} is missing the required key `{one}`"),
                        format!("this {} has no `{one}`", level.noun()),
                    ),
                    more => (
                        format!("{owner} is missing the required keys {}", backticked(more)),
                        format!("this {} has no {}", level.noun(), backticked_or(more)),
                    ),
                };
                let required: Vec<&str> = fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.key)
                    .collect();
                self.push(
                    codes::MISSING_KEY,
                    message,
                    self.range(node),
                    label,
                    Some(format!(
                        "every {} needs {}",
                        level.noun(),
                        backticked_and(&required)
                    )),
                );
            }
        }
        known
    }

    fn value(&mut self, field: &Field, key: &Node, value: &Node, owner: &str) {
        match field.shape {
            Shape::Text => self.text_value(field, key, value),
            Shape::TextList => self.text_list(field.key, value),
            Shape::Let => match &value.value {
                Kind::Null => {}
                Kind::Map(_) => {
                    self.mapping(value, Level::Let, "the `let` block");
                }
                _ => self.wrong_type("let", "a mapping of names to expressions", value, None),
            },
            Shape::Rules => self.rules(key, value),
            Shape::Examples => match &value.value {
                Kind::Null => {}
                Kind::Map(_) => {
                    let owner = format!("the `examples` of {owner}");
                    for (field, _, value) in self.mapping(value, Level::Examples, &owner) {
                        self.text_list(field.key, value);
                    }
                }
                _ => self.wrong_type(
                    "examples",
                    "a mapping with `pass:` and `fail:` lists",
                    value,
                    None,
                ),
            },
            Shape::Indicators => self.mappings(
                value,
                Level::Indicator,
                "indicators",
                "start each indicator with `- id: …` on its own line under `indicators:`",
            ),
            Shape::IndicatorExamples => self.mappings(
                value,
                Level::IndicatorExample,
                "examples",
                "write each example as `- {text: …, value: …}` under `examples:`",
            ),
        }
    }

    /// A list of mappings of one level (`indicators`, an indicator's `examples`).
    fn mappings(&mut self, value: &Node, level: Level, key: &str, help: &str) {
        let items = match &value.value {
            Kind::Seq(items) => items,
            Kind::Null => return,
            _ => {
                let expected = format!("a list of {} mappings", level.noun());
                self.wrong_type(key, &expected, value, Some(help.to_owned()));
                return;
            }
        };
        for (i, item) in items.iter().enumerate() {
            let owner = format!("{} #{}", level.noun(), i + 1);
            if !matches!(item.value, Kind::Map(_)) {
                self.push(
                    codes::WRONG_TYPE,
                    format!("{owner} must be a mapping, not {}", found(item)),
                    self.range(item),
                    format!("expected an {}", level.noun()),
                    Some(help.to_owned()),
                );
                continue;
            }
            for (field, key, value) in self.mapping(item, level, &owner) {
                self.value(field, key, value, &owner);
            }
        }
    }

    fn text_value(&mut self, field: &Field, key: &Node, value: &Node) {
        match &value.value {
            Kind::Scalar { .. } => {}
            Kind::Null if !field.required => {}
            Kind::Null => self.no_value(field.key, key),
            Kind::Seq(_) => self.wrong_type(
                field.key,
                "a string",
                value,
                Some(format!(
                    "for text over several lines use a block scalar: `{}: |` and the lines below it, indented",
                    field.key
                )),
            ),
            Kind::Map(_) => self.wrong_type(
                field.key,
                "a string",
                value,
                Some(
                    "a value containing `: `, or starting with `{`, must be quoted or written as a \
                     block scalar (`|`)"
                        .to_owned(),
                ),
            ),
        }
    }

    fn text_list(&mut self, key: &str, value: &Node) {
        match &value.value {
            Kind::Null => {}
            Kind::Seq(items) => {
                for item in items {
                    match &item.value {
                        Kind::Scalar { .. } => {}
                        Kind::Null => self.push(
                            codes::WRONG_TYPE,
                            format!("`{key}` has an empty entry"),
                            self.range(item),
                            "expected a string".to_owned(),
                            Some("remove the empty entry or write its text".to_owned()),
                        ),
                        _ => self.push(
                            codes::WRONG_TYPE,
                            format!(
                                "each entry of `{key}` must be a string, not {}",
                                found(item)
                            ),
                            self.range(item),
                            "expected a string".to_owned(),
                            None,
                        ),
                    }
                }
            }
            Kind::Scalar { .. } => {
                let written = &self.text()[self.range(value)];
                let help = format!(
                    "write a list: `{key}: [{written}]`, or one `- item` per line under `{key}:`"
                );
                self.wrong_type(key, "a list of strings", value, Some(help));
            }
            Kind::Map(_) => self.wrong_type(key, "a list of strings", value, None),
        }
    }

    fn let_value(&mut self, name: &str, key: &Node, value: &Node) {
        match &value.value {
            Kind::Scalar { .. } => {}
            Kind::Null => self.no_value(name, key),
            _ => self.push(
                codes::WRONG_TYPE,
                format!(
                    "`let` binding `{name}` must be an expression string, not {}",
                    found(value)
                ),
                self.range(value),
                "expected an expression".to_owned(),
                Some("quote the expression, or write it as a block scalar (`|`)".to_owned()),
            ),
        }
    }

    fn rules(&mut self, key: &Node, value: &Node) {
        let items = match &value.value {
            Kind::Seq(items) => items,
            Kind::Null => {
                self.push(
                    codes::WRONG_TYPE,
                    "`rules` has no rules".to_owned(),
                    self.range(key),
                    "expected a list of rules after `rules:`".to_owned(),
                    Some(
                        "start each rule with `- id: …` on its own line under `rules:`".to_owned(),
                    ),
                );
                return;
            }
            _ => {
                self.wrong_type(
                    "rules",
                    "a list of rules",
                    value,
                    Some(
                        "start each rule with `- id: …` on its own line under `rules:`".to_owned(),
                    ),
                );
                return;
            }
        };
        for (i, item) in items.iter().enumerate() {
            let Kind::Map(entries) = &item.value else {
                self.push(
                    codes::WRONG_TYPE,
                    format!(
                        "rule #{} must be a mapping of keys like `id:` and `assert:`, not {}",
                        i + 1,
                        found(item)
                    ),
                    self.range(item),
                    "expected a rule".to_owned(),
                    None,
                );
                continue;
            };
            let id = entries
                .iter()
                .find(|(k, _)| self.scalar_text(k).as_deref() == Some("id"))
                .and_then(|(_, v)| self.scalar_text(v));
            let owner = match id {
                Some(id) => format!("rule `{id}`"),
                None => format!("rule #{}", i + 1),
            };
            for (field, key, value) in self.mapping(item, Level::Rule, &owner) {
                self.value(field, key, value, &owner);
            }
        }
    }

    fn no_value(&mut self, key: &str, key_node: &Node) {
        self.push(
            codes::WRONG_TYPE,
            format!("`{key}` has no value"),
            self.range(key_node),
            format!("expected a value after `{key}:`"),
            Some(
                "write the value on the same line, or as an indented block scalar (`|`)".to_owned(),
            ),
        );
    }

    fn wrong_type(&mut self, key: &str, expected: &str, value: &Node, help: Option<String>) {
        self.push(
            codes::WRONG_TYPE,
            format!("`{key}` must be {expected}, not {}", found(value)),
            self.range(value),
            format!("expected {expected}"),
            help,
        );
    }
}

/// "a list", "a number", … for messages.
pub(crate) fn found(node: &Node) -> &'static str {
    match node.value {
        Kind::Null => "nothing",
        Kind::Scalar { what, .. } => what,
        Kind::Seq(_) => "a list",
        Kind::Map(_) => "a mapping",
    }
}

/// Help for an unknown key that is not a near miss of a key allowed here.
fn unknown_key_help(name: &str, level: Level) -> String {
    let fields = level.fields().unwrap_or(&[]);
    let elsewhere = match level {
        Level::Rulebook if RULE_FIELDS.iter().any(|f| f.key == name) => Some(format!(
            "`{name}` is a key of a rule: is the rule's indentation or `- ` missing?"
        )),
        Level::Rule if RULEBOOK_FIELDS.iter().any(|f| f.key == name) => Some(format!(
            "`{name}` belongs at the top of the rulebook, not in a rule: check the indentation"
        )),
        Level::Rule if EXAMPLES_FIELDS.iter().any(|f| f.key == name) => {
            Some(format!("`{name}` goes under `examples:`"))
        }
        _ => None,
    };
    elsewhere.unwrap_or_else(|| {
        let keys: Vec<&str> = fields.iter().map(|f| f.key).collect();
        format!(
            "the keys of a {} are {}",
            level.noun(),
            backticked_and(&keys)
        )
    })
}

pub(crate) fn backticked(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn backticked_joined(items: &[&str], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!("{} {word} `{last}`", backticked(init)),
    }
}

fn backticked_and(items: &[&str]) -> String {
    backticked_joined(items, "and")
}

fn backticked_or(items: &[&str]) -> String {
    backticked_joined(items, "or")
}

fn sorted(mut errors: Vec<RulebookError>) -> Vec<RulebookError> {
    errors.sort_by_key(|e| e.span().start);
    errors
}

// ---------------------------------------------------------------------------------------------
// Names, ids, severities
// ---------------------------------------------------------------------------------------------

/// `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`
pub(crate) fn is_kebab(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `^[A-Z]{1,8}[0-9]{1,4}$`
fn is_rule_id(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &s[letters..];
    (1..=8).contains(&letters)
        && (1..=4).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `Next_Year Plan` / `nextYearPlan` → `next-year-plan`; `None` if that does not make a valid
/// kebab-case name (e.g. Chinese names).
fn to_kebab(s: &str) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            return None;
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    let kebab = words.join("-");
    is_kebab(&kebab).then_some(kebab)
}

/// What to suggest for a misspelt severity.
pub(crate) fn severity_suggestion(s: &str) -> Option<&'static str> {
    let lower = s.trim().to_lowercase();
    match lower.as_str() {
        "error" | "err" | "e" | "fatal" | "critical" | "high" | "错误" | "严重" => {
            Some("error")
        }
        "warning" | "warn" | "warnings" | "w" | "medium" | "警告" => Some("warning"),
        "info" | "information" | "i" | "note" | "notice" | "hint" | "low" | "提示" | "信息" => {
            Some("info")
        }
        _ => suggest(&lower, SEVERITIES.iter().copied()),
    }
}

/// Why an `extends` entry is not acceptable, as a label; `None` when it is fine.
fn extends_problem(entry: &str) -> Option<&'static str> {
    if let Some(name) = entry.strip_prefix("builtin:") {
        return (!is_kebab(name)).then_some("expected `builtin:` and a kebab-case name");
    }
    let bytes = entry.as_bytes();
    let absolute = entry.starts_with(['/', '\\', '~'])
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':');
    if entry.contains("://") {
        Some("URLs are not allowed")
    } else if absolute {
        Some("absolute paths are not allowed")
    } else if !(entry.ends_with(".yaml") || entry.ends_with(".yml")) {
        Some("expected `builtin:NAME` or a path ending in `.yaml` or `.yml`")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Locations → byte ranges
// ---------------------------------------------------------------------------------------------

/// The byte range of a serde-saphyr location in `text`: its byte span when available and
/// sound, else its character span, else its line and column, converted with the text.
fn loc_range(text: &str, loc: &Location) -> Range<usize> {
    if loc.line() == 0 {
        return 0..0;
    }
    let span = loc.span();
    if let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len())
        && let (Ok(start), Ok(len)) = (usize::try_from(offset), usize::try_from(len))
        && let Some(end) = start.checked_add(len)
        && end <= text.len()
        && text.is_char_boundary(start)
        && text.is_char_boundary(end)
    {
        return start..end;
    }
    if let Some(start) = nth_char(text, 0, span.offset()) {
        let end = nth_char(text, start, span.len()).unwrap_or(text.len());
        return start..end;
    }
    // Line and 1-based column, both counted in characters.
    let line_start = text
        .match_indices('\n')
        .nth(
            usize::try_from(loc.line())
                .unwrap_or(usize::MAX)
                .saturating_sub(2),
        )
        .map_or(0, |(i, _)| i + 1);
    let line_start = if loc.line() <= 1 { 0 } else { line_start };
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let column = loc.column().saturating_sub(1);
    let start = nth_char(&text[..line_end], line_start, column).unwrap_or(line_end);
    start..start
}

/// Byte offset of the `n`th character after byte `from` (`n` = count → end of text).
fn nth_char(text: &str, from: usize, n: u64) -> Option<usize> {
    let n = usize::try_from(n).ok()?;
    let rest = text.get(from..)?;
    match rest.char_indices().nth(n) {
        Some((i, _)) => Some(from + i),
        None => (rest.chars().count() == n).then_some(text.len()),
    }
}

/// An empty range widened to the character at it (unless that is a line break), so the
/// caret has something to sit under.
fn widen_empty(text: &str, r: Range<usize>) -> Range<usize> {
    if !r.is_empty() {
        return r;
    }
    match text.get(r.start..).and_then(|rest| rest.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => r.start..r.start + c.len_utf8(),
        _ => r,
    }
}

/// From `start` to the end of its line, trailing blanks excluded.
fn head_line(text: &str, start: usize) -> Range<usize> {
    let start = start.min(text.len());
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = start + text[start..end].trim_end().len();
    widen_empty(text, start..end)
}

// ---------------------------------------------------------------------------------------------
// Value maps
// ---------------------------------------------------------------------------------------------

/// How a scalar's characters are spelled in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Plain or quoted (`single`/`double`): line breaks fold, leading blanks are dropped.
    Flow { single: bool, double: bool },
    /// Block scalar: `ind` columns of indentation are dropped; `folded` for `>`.
    Block { ind: usize, folded: bool },
    /// An alias (`*name`): every offset maps to the alias token.
    Alias,
}

/// Where the walk over a scalar's spelling starts and ends, and how it is spelled.
fn scalar_layout(text: &str, range: Range<usize>) -> (usize, usize, Mode) {
    let Range { start, end } = range;
    let first = text[start..].chars().next();
    let flow = |single, double| Mode::Flow { single, double };
    match first {
        Some(q @ ('"' | '\'')) => {
            let inner_end = if end > start + 1 && text[..end].ends_with(q) {
                end - 1
            } else {
                end
            };
            (start + 1, inner_end, flow(q == '\'', q == '"'))
        }
        Some('*') => (start, end, Mode::Alias),
        _ => match block_header(text, start) {
            Some((body, folded)) => {
                let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                (
                    body,
                    end,
                    Mode::Block {
                        ind: start - line_start,
                        folded,
                    },
                )
            }
            None => (start, end, flow(false, false)),
        },
    }
}

/// If the scalar at `start` is a block scalar (`|`/`>` header on an earlier line): where its
/// body starts (the line after the header) and whether it is folded.
fn block_header(text: &str, start: usize) -> Option<(usize, bool)> {
    let mut line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..start].bytes().all(|b| b == b' ') {
        return None;
    }
    loop {
        if line_start == 0 {
            return None;
        }
        let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[prev_start..line_start - 1];
        if line.trim().is_empty() {
            line_start = prev_start;
            continue;
        }
        let last = line
            .split_whitespace()
            .take_while(|t| !t.starts_with('#'))
            .last()?;
        let mut chars = last.chars();
        let indicator = chars.next()?;
        let rest = chars.as_str();
        let header = matches!(indicator, '|' | '>')
            && rest.len() <= 2
            && rest.bytes().all(|b| matches!(b, b'+' | b'-' | b'1'..=b'9'));
        return header.then_some((line_start, indicator == '>'));
    }
}

/// Walks a value and its spelling in the file together.
struct Walker<'t> {
    text: &'t str,
    /// Where the scalar's spelling ends (exclusive; before a closing quote).
    end: usize,
    mode: Mode,
}

impl Walker<'_> {
    fn at(&self, f: usize) -> Option<char> {
        if f < self.end {
            self.text[f..self.end].chars().next()
        } else {
            None
        }
    }

    /// After a line break at `f`, or `None`.
    fn line_break(&self, f: usize) -> Option<usize> {
        let rest = self.text.get(f..self.end)?;
        if rest.starts_with("\r\n") {
            Some(f + 2)
        } else if rest.starts_with(['\n', '\r']) {
            Some(f + 1)
        } else {
            None
        }
    }

    /// Skips the indentation dropped at the start of a line.
    fn indentation(&self, mut f: usize) -> usize {
        match self.mode {
            Mode::Block { ind, .. } => {
                let mut n = 0;
                while n < ind && self.at(f) == Some(' ') {
                    f += 1;
                    n += 1;
                }
            }
            Mode::Flow { .. } | Mode::Alias => {
                while matches!(self.at(f), Some(' ' | '\t')) {
                    f += 1;
                }
            }
        }
        f
    }

    /// The file position after the spelling of value character `c` at `f`, if it is there.
    fn spelling(&self, f: usize, c: char) -> Option<usize> {
        let here = self.at(f)?;
        if let Mode::Flow { double: true, .. } = self.mode
            && here == '\\'
        {
            // An escape: `\n`, `\"`, `\\`, `\x41`, `\u4e2d`, `\U0001F600`, …
            let mut g = f + 1;
            let kind = self.at(g)?;
            if self.line_break(g).is_some() {
                return None; // an escaped line break spells nothing
            }
            g += kind.len_utf8();
            let digits = match kind {
                'x' => 2,
                'u' => 4,
                'U' => 8,
                _ => 0,
            };
            for _ in 0..digits {
                match self.at(g) {
                    Some(d) if d.is_ascii_hexdigit() => g += 1,
                    _ => break,
                }
            }
            return Some(g);
        }
        if let Mode::Flow { single: true, .. } = self.mode
            && here == '\''
        {
            return (c == '\'' && self.at(f + 1) == Some('\'')).then_some(f + 2);
        }
        let folds = match self.mode {
            Mode::Block { folded, .. } => c == '\n' || (folded && c == ' '),
            Mode::Flow { .. } | Mode::Alias => c == '\n' || c == ' ',
        };
        if folds && let Some(g) = self.line_break(f) {
            return Some(self.indentation(g));
        }
        (here == c).then_some(f + c.len_utf8())
    }

    /// Skips blanks, line breaks (and escaped line breaks) from `f` up to where `c` is spelled.
    fn resync(&self, f: usize, c: char) -> Option<usize> {
        let mut g = f;
        loop {
            g = match self.at(g)? {
                ' ' | '\t' => g + 1,
                '\\' if matches!(self.mode, Mode::Flow { double: true, .. }) => {
                    self.line_break(g + 1)?
                }
                _ => self.line_break(g)?,
            };
            if self.spelling(g, c).is_some() {
                return Some(g);
            }
        }
    }

    fn walk(&self, start: usize, value: &str) -> ValueMap {
        let len = value.len();
        let mut starts = vec![start; len + 1];
        let mut ends = vec![start; len + 1];
        if self.mode == Mode::Alias {
            let whole_end = self.end.max(start);
            starts.fill(start);
            ends.fill(whole_end);
            ends[0] = start;
            return ValueMap { starts, ends };
        }
        let mut f = match self.mode {
            Mode::Block { .. } => self.indentation(start),
            _ => start,
        };
        for (i, c) in value.char_indices() {
            let (cs, ce) = if let Some(g) = self.spelling(f, c) {
                (f, g)
            } else if let Some(s) = self.resync(f, c)
                && let Some(g) = self.spelling(s, c)
            {
                (s, g)
            } else {
                // Lost: take one character of the file, to stay roughly in step.
                let g = self.at(f).map_or(f, |h| f + h.len_utf8());
                (f, g)
            };
            let n = c.len_utf8();
            starts[i..i + n].fill(cs);
            ends[i + 1..=i + n].fill(ce);
            f = ce;
        }
        starts[len] = f;
        ValueMap { starts, ends }
    }
}

#[cfg(test)]
mod tests {
    use super::super::raw::{RawExamples, RawRule};
    use super::*;

    fn fixture(path: &str) -> SourceFile {
        let full = format!("{}/fixtures/rulebooks/{path}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
        SourceFile::new(format!("fixtures/rulebooks/{path}"), text)
    }

    fn render(e: &RulebookError) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(&mut out, e)
            .unwrap();
        out
    }

    /// All structural errors of a file: parse errors, else the structure check's.
    fn all_errors(file: &SourceFile) -> Vec<RulebookError> {
        match parse_raw(file) {
            Ok(raw) => check_structure(file, &raw),
            Err(errors) => errors,
        }
    }

    /// The only error of a fixture.
    fn only_error(path: &str) -> (SourceFile, RulebookError) {
        let file = fixture(path);
        let mut errors = all_errors(&file);
        assert_eq!(errors.len(), 1, "{path}: {errors:#?}");
        (file, errors.remove(0))
    }

    fn inline(text: &str) -> SourceFile {
        SourceFile::new("inline.yaml", text)
    }

    // --- fixtures, one per error class --------------------------------------------------------

    #[test]
    fn unknown_key() {
        let (file, e) = only_error("invalid/unknown-key.yaml");
        assert_eq!(e.code(), codes::UNKNOWN_KEY);
        let at = file.text.find("asert").unwrap();
        assert_eq!(e.span(), at..at + "asert".len());
        insta::assert_snapshot!(render(&e), @r"
        rulebook::unknown_key

          × unknown key `asert` in rule `FZ001`
           ╭─[fixtures/rulebooks/invalid/unknown-key.yaml:8:5]
         7 │     severity: error
         8 │     asert: has_section(/下一年度/)
           ·     ──┬──
           ·       ╰── unknown key
           ╰────
          help: did you mean `assert`?
        ");
    }

    #[test]
    fn unknown_key_after_chinese_on_the_same_line() {
        let (file, e) = only_error("invalid/unknown-key-after-chinese.yaml");
        assert_eq!(e.code(), codes::UNKNOWN_KEY);
        // A byte span: the Chinese title before the key is 18 bytes but 6 characters.
        let at = file.text.find("severty").unwrap();
        assert_eq!(e.span(), at..at + "severty".len());
        insta::assert_snapshot!(render(&e), @r#"
        rulebook::unknown_key

          × unknown key `severty` in rule `FZ001`
           ╭─[fixtures/rulebooks/invalid/unknown-key-after-chinese.yaml:4:52]
         3 │ rules:
         4 │   - {id: FZ001, name: report-title, title: 法治政府建设, severty: error, assert: "has_section(/法治政府建设/)"}
           ·                                                          ───┬───
           ·                                                             ╰── unknown key
           ╰────
          help: did you mean `severity`?
        "#);
    }

    #[test]
    fn wrong_type() {
        let (file, e) = only_error("invalid/wrong-type.yaml");
        assert_eq!(e.code(), codes::WRONG_TYPE);
        let at = file.text.find("structure").unwrap();
        assert_eq!(e.span(), at..at + "structure".len());
        insta::assert_snapshot!(render(&e), @r"
        rulebook::wrong_type

          × `tags` must be a list of strings, not a string
           ╭─[fixtures/rulebooks/invalid/wrong-type.yaml:8:11]
         7 │     severity: error
         8 │     tags: structure
           ·           ────┬────
           ·               ╰── expected a list of strings
         9 │     assert: has_section(/下一年度/)
           ╰────
          help: write a list: `tags: [structure]`, or one `- item` per line under `tags:`
        ");
    }

    #[test]
    fn missing_key() {
        let (file, e) = only_error("invalid/missing-key.yaml");
        assert_eq!(e.code(), codes::MISSING_KEY);
        let at = file.text.find("id: FZ001").unwrap();
        assert_eq!(e.span(), at..at + "id: FZ001".len());
        insta::assert_snapshot!(render(&e), @r"
        rulebook::missing_key

          × rule `FZ001` is missing the required key `severity`
           ╭─[fixtures/rulebooks/invalid/missing-key.yaml:4:5]
         3 │ rules:
         4 │   - id: FZ001
           ·     ────┬────
           ·         ╰── this rule has no `severity`
         5 │     name: next-year-plan
           ╰────
          help: every rule needs `id`, `name`, `title`, `severity` and `assert`
        ");
    }

    #[test]
    fn duplicate_key() {
        let (file, e) = only_error("invalid/duplicate-key.yaml");
        assert_eq!(e.code(), codes::DUPLICATE_KEY);
        let at = file.text.rfind("title: 须写明").unwrap();
        assert_eq!(e.span(), at..at + "title".len());
        insta::assert_snapshot!(render(&e), @r"
        rulebook::duplicate_key

          × duplicate key `title` in rule `FZ001`
           ╭─[fixtures/rulebooks/invalid/duplicate-key.yaml:8:5]
         7 │     severity: error
         8 │     title: 须写明下一年度工作安排
           ·     ──┬──
           ·       ╰── `title` is already set on line 6
         9 │     assert: has_section(/下一年度/)
           ╰────
          help: a key may appear only once in a mapping; remove one of them
        ");
    }

    #[test]
    fn duplicate_id() {
        let (file, e) = only_error("invalid/duplicate-id.yaml");
        assert_eq!(e.code(), codes::DUPLICATE_ID);
        let at = file.text.rfind("FZ001").unwrap();
        assert_eq!(e.span(), at..at + "FZ001".len());
        insta::assert_snapshot!(render(&e), @r"
        rulebook::duplicate_id

          × duplicate rule id `FZ001`
            ╭─[fixtures/rulebooks/invalid/duplicate-id.yaml:9:9]
          8 │     assert: has_section(/下一年度/)
          9 │   - id: FZ001
            ·         ──┬──
            ·           ╰── `FZ001` is already the id of the rule on line 4
         10 │     name: main-leader-duty
            ╰────
          help: every rule needs its own id; renumber one of them
        ");
    }

    #[test]
    fn bad_severity() {
        let (_, e) = only_error("invalid/bad-severity.yaml");
        assert_eq!(e.code(), codes::BAD_SEVERITY);
        insta::assert_snapshot!(render(&e), @r"
        rulebook::bad_severity

          × unknown severity `warn`
           ╭─[fixtures/rulebooks/invalid/bad-severity.yaml:7:15]
         6 │     title: 须列明下一年度工作安排
         7 │     severity: warn
           ·               ──┬─
           ·                 ╰── expected `error`, `warning` or `info`
         8 │     assert: has_section(/下一年度/)
           ╰────
          help: did you mean `warning`?
        ");
    }

    #[test]
    fn bad_id() {
        let (_, e) = only_error("invalid/bad-id.yaml");
        assert_eq!(e.code(), codes::BAD_ID);
        insta::assert_snapshot!(render(&e), @r"
        rulebook::bad_id

          × rule id `fz-001` is not of the form `FZ005`
           ╭─[fixtures/rulebooks/invalid/bad-id.yaml:4:9]
         3 │ rules:
         4 │   - id: fz-001
           ·         ───┬──
           ·            ╰── expected capital letters then digits
         5 │     name: next-year-plan
           ╰────
          help: did you mean `FZ001`?
        ");
    }

    #[test]
    fn bad_name() {
        let (_, e) = only_error("invalid/bad-name.yaml");
        assert_eq!(e.code(), codes::BAD_NAME);
        insta::assert_snapshot!(render(&e), @r"
        rulebook::bad_name

          × rule name `nextYearPlan` is not kebab-case
           ╭─[fixtures/rulebooks/invalid/bad-name.yaml:5:11]
         4 │   - id: FZ001
         5 │     name: nextYearPlan
           ·           ──────┬─────
           ·                 ╰── expected lowercase words joined by `-`
         6 │     title: 须列明下一年度工作安排
           ╰────
          help: try `next-year-plan`
        ");
    }

    #[test]
    fn yaml_syntax_error_after_chinese_text() {
        let (file, e) = only_error("invalid/yaml-syntax.yaml");
        assert_eq!(e.code(), codes::YAML_SYNTAX);
        // serde-saphyr has no byte offset for parser errors: the character offset is converted.
        let at = file.text.find("安排: ").unwrap() + "安排".len();
        assert_eq!(e.span(), at..at + 1);
        insta::assert_snapshot!(render(&e), @r#"
        rulebook::yaml_syntax

          × invalid YAML: mapping values are not allowed in this context
           ╭─[fixtures/rulebooks/invalid/yaml-syntax.yaml:6:21]
         5 │     name: next-year-plan
         6 │     title: 须列明下一年度安排: 含时间表
           ·                              ┬
           ·                              ╰── here
         7 │     severity: error
           ╰────
          help: a value containing `: ` must be quoted (`title: "a: b"`) or written as a block scalar (`|`
                and the text on the following lines)
        "#);
    }

    #[test]
    fn errors_in_different_rules_are_all_reported() {
        let file = fixture("invalid/multiple-errors.yaml");
        let errors = parse_raw(&file).unwrap_err();
        let got: Vec<(&str, usize)> = errors
            .iter()
            .map(|e| (e.code(), file.line_of(e.span().start)))
            .collect();
        assert_eq!(
            got,
            [
                (codes::UNKNOWN_KEY, 8),    // FZ001: `asert`
                (codes::WRONG_TYPE, 13),    // FZ002: `tags: duty`
                (codes::MISSING_KEY, 15),   // FZ003: no `severity`
                (codes::DUPLICATE_KEY, 23)  // FZ004: `severity` twice
            ]
        );
        assert_eq!(
            errors[2].message(),
            "rule `FZ003` is missing the required key `severity`"
        );
    }

    #[test]
    fn structure_errors_in_different_rules_are_all_reported() {
        let file = inline(
            "rulebook: Fazhi_Demo\nextends: [builtin:base, /etc/x.yaml, base.json]\nrules:\n\
             - {id: FZ1, name: a-b, title: 甲, severity: Error, assert: x}\n\
             - {id: FZ1, name: a-b, title: 乙, severity: err, assert: ''}\n",
        );
        let raw = parse_raw(&file).unwrap();
        let got: Vec<&str> = check_structure(&file, &raw)
            .iter()
            .map(|e| e.code())
            .collect();
        assert_eq!(
            got,
            [
                codes::BAD_RULEBOOK_ID,
                codes::BAD_EXTENDS,
                codes::BAD_EXTENDS,
                codes::BAD_SEVERITY,
                codes::DUPLICATE_ID,
                codes::DUPLICATE_NAME,
                codes::BAD_SEVERITY,
                codes::EMPTY_ASSERT,
            ]
        );
        let errors = check_structure(&file, &raw);
        let helps: Vec<Option<&str>> = errors.iter().map(|e| e.help_text()).collect();
        assert_eq!(helps[0], Some("try `fazhi-demo`"));
        assert_eq!(helps[3], Some("did you mean `error`?"));
        assert_eq!(helps[6], Some("did you mean `error`?"));
    }

    // --- more parse errors --------------------------------------------------------------------

    fn single_parse_error(text: &str) -> RulebookError {
        let mut errors = parse_raw(&inline(text)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        errors.remove(0)
    }

    #[test]
    fn rules_must_be_a_list() {
        let e = single_parse_error("rulebook: demo\nrules: 5\n");
        assert_eq!(e.code(), codes::WRONG_TYPE);
        assert_eq!(e.message(), "`rules` must be a list of rules, not a number");
        assert_eq!(e.span(), 22..23);
    }

    #[test]
    fn a_mapping_where_a_string_belongs() {
        let text = "rulebook: demo\nrules:\n  - id: FZ001\n    name: a\n    title: {zh: 标题}\n    severity: info\n    assert: x\n";
        let e = single_parse_error(text);
        assert_eq!(e.code(), codes::WRONG_TYPE);
        assert_eq!(e.message(), "`title` must be a string, not a mapping");
        assert_eq!(&text[e.span()], "{zh: 标题}");
    }

    #[test]
    fn unknown_top_level_key_lists_the_allowed_keys_or_explains() {
        let e = single_parse_error("rulebook: demo\nrules: []\nauthor: 张三\n");
        assert_eq!(
            e.help_text(),
            Some(
                "the keys of a rulebook are `rulebook`, `title`, `version`, `description`, \
                 `extends`, `let`, `rules`, `indicators` and `arrangements`"
            )
        );
        let e = single_parse_error("rulebook: demo\nrules: []\nseverity: error\n");
        assert_eq!(
            e.help_text(),
            Some("`severity` is a key of a rule: is the rule's indentation or `- ` missing?")
        );
    }

    #[test]
    fn missing_keys_are_named_together() {
        let text = "rulebook: demo\nrules:\n  - id: FZ001\n    name: a\n";
        let e = single_parse_error(text);
        assert_eq!(
            e.message(),
            "rule `FZ001` is missing the required keys `title`, `severity`, `assert`"
        );
        assert_eq!(
            e.label(),
            "this rule has no `title`, `severity` or `assert`"
        );
        assert_eq!(&text[e.span()], "id: FZ001");
    }

    #[test]
    fn required_key_without_value() {
        let text = "rulebook: demo\nrules:\n  - id: FZ001\n    name: a\n    title: t\n    severity: info\n    assert:\n";
        let e = single_parse_error(text);
        assert_eq!(e.code(), codes::WRONG_TYPE);
        assert_eq!(e.message(), "`assert` has no value");
        assert_eq!(&text[e.span()], "assert");
    }

    #[test]
    fn duplicate_let_names_mention_the_first_line() {
        let text = "rulebook: demo\nlet:\n  a: x\n  b: y\n  a: z\nrules: []\n";
        let e = single_parse_error(text);
        assert_eq!(e.code(), codes::DUPLICATE_KEY);
        assert_eq!(e.label(), "`a` is already set on line 3");
        assert_eq!(
            e.span(),
            text.rfind("a: z").unwrap()..text.rfind("a: z").unwrap() + 1
        );
    }

    #[test]
    fn empty_file_and_wrong_top_level() {
        assert_eq!(single_parse_error("").code(), codes::EMPTY);
        assert_eq!(single_parse_error("# 只有注释\n").code(), codes::EMPTY);
        let e = single_parse_error("- a\n- b\n");
        assert_eq!(e.code(), codes::WRONG_TYPE);
        assert_eq!(e.span(), 0..3);
    }

    #[test]
    fn tab_indentation_points_at_the_tab() {
        let text = "rulebook: demo\nrules:\n  - id: FZ001\n\tname: x\n";
        let e = single_parse_error(text);
        assert_eq!(e.code(), codes::YAML_SYNTAX);
        let at = text.find('\t').unwrap();
        assert_eq!(e.span(), at..at + 1);
        assert_eq!(e.help_text(), Some("YAML indents with spaces, not tabs"));
    }

    #[test]
    fn backslash_in_double_quotes_explains_escapes() {
        let text = "rulebook: demo\nrules:\n  - {id: FZ001, name: court-rate, title: 出庭率, severity: error, assert: \"figure(/出庭\\d+%/)\"}\n";
        let e = single_parse_error(text);
        assert_eq!(e.code(), codes::YAML_SYNTAX);
        let at = text.find('\\').unwrap();
        assert_eq!(e.span(), at..at + 2);
        insta::assert_snapshot!(render(&e), @r#"
        rulebook::yaml_syntax

          × invalid YAML: while parsing a quoted scalar, found unknown escape character
           ╭─[inline.yaml:3:83]
         2 │ rules:
         3 │   - {id: FZ001, name: court-rate, title: 出庭率, severity: error, assert: "figure(/出庭\d+%/)"}
           ·                                                                                        ─┬
           ·                                                                                         ╰── `\d` is not an escape
           ╰────
          help: inside "…" a backslash starts an escape: for regexes such as /\d+/ use '…' or a block
                scalar (`|`), or write the backslash twice
        "#);
    }

    #[test]
    fn empty_file_renders() {
        let mut errors = parse_raw(&inline("# 只有注释\n")).unwrap_err();
        let e = errors.remove(0);
        insta::assert_snapshot!(render(&e), @r"
        rulebook::empty

          × the rulebook file is empty
           ╭─[inline.yaml:1:1]
         1 │ # 只有注释
           · ─────┬────
           ·      ╰── nothing but comments and blank lines
           ╰────
          help: a rulebook needs at least `rulebook: <id>` and `rules:` with a list of rules
        ");
    }

    #[test]
    fn io_errors_render_without_a_snippet() {
        let e = RulebookError::io(std::path::Path::new("rules/缺失.yaml"), "No such file");
        assert_eq!(e.code(), codes::IO);
        insta::assert_snapshot!(render(&e), @r"
        rulebook::io

          × cannot read rulebook rules/缺失.yaml: No such file
        ");
    }

    #[test]
    fn multiple_documents_are_refused() {
        let e = single_parse_error("rulebook: a\nrules: []\n---\nrulebook: b\nrules: []\n");
        assert_eq!(e.code(), codes::YAML_SYNTAX);
        assert_eq!(e.message(), "a rulebook file holds a single YAML document");
    }

    #[test]
    fn unclosed_quote_after_chinese_points_at_the_quote() {
        let text = "rulebook: demo\nextends: [法治政府, \"建设]\nrules: []\n";
        let e = single_parse_error(text);
        assert_eq!(e.code(), codes::YAML_SYNTAX);
        let at = text.find('"').unwrap();
        assert_eq!(e.span(), at..at + 1, "{e:?}");
        assert!(text.is_char_boundary(e.span().start) && text.is_char_boundary(e.span().end));
    }

    #[test]
    fn byte_order_mark_does_not_shift_spans() {
        let text = "\u{feff}rulebook: demo\nrules:\n  - {id: FZ001, name: 法治, title: 标题, severity: error, asert: x}\n";
        let errors = parse_raw(&inline(text)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let at = text.find("asert").unwrap();
        assert_eq!(errors[0].span(), at..at + 5);
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from(
            "rulebook: lol\nrules: []\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
        );
        for i in 1..10 {
            let refs = vec![format!("*l{}", i - 1); 9].join(", ");
            text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let errors = parse_raw(&inline(&text)).unwrap_err();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].code(), codes::TOO_COMPLEX, "{errors:#?}");
        insta::assert_snapshot!(render(&errors[0]), @r"
        rulebook::too_complex

          × the rulebook is too large or too complex to load safely
           ╭─[inline.yaml:8:10]
         7 │ l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]
         8 │ l5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]
           ·          ─┬─
           ·           ╰── limit reached here
         9 │ l6: &l6 [*l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5]
           ╰────
          help: this looks like an alias bomb (`&a` / `*a` expanding exponentially) (YAML document too
                large or too complex: limits breached: RecordedAnchorEvents { recorded_anchor_events:
                100001 })
        ");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!(
            "rulebook: deep\nrules: []\nx: {}{}\n",
            "[".repeat(200),
            "]".repeat(200)
        );
        let errors = parse_raw(&inline(&text)).unwrap_err();
        assert_eq!(errors[0].code(), codes::TOO_COMPLEX, "{errors:#?}");
    }

    #[test]
    fn merge_keys_share_fields_without_duplicate_errors() {
        let text = "rulebook: demo\n\
                    defaults: &d {severity: warning, tags: [structure]}\n\
                    rules: []\n";
        // `defaults` is not a rulebook key: reported, and nothing else.
        let e = single_parse_error(text);
        assert_eq!(e.code(), codes::UNKNOWN_KEY);

        let text = "rulebook: demo\nrules:\n\
                    - &base {id: FZ001, name: a, title: 甲, severity: warning, assert: x}\n\
                    - <<: *base\n  id: FZ002\n  name: b\n  severity: error\n";
        let file = inline(text);
        let raw = parse_raw(&file).unwrap_or_else(|e| panic!("{e:#?}"));
        let second = &raw.rules.value[1];
        assert_eq!(second.id.value, "FZ002");
        assert_eq!(second.severity.value, "error");
        assert_eq!(second.title.value, "甲");
        assert!(check_structure(&file, &raw).is_empty());
    }

    #[test]
    fn typed_pass_errors_are_converted_too() {
        // Normally pass 1 finds these first; the conversion is the safety net.
        let text = "id: FZ001\nname: a\ntitle: 法治政府建设\nseverty: error\nassert: x\n";
        let file = inline(text);
        let err = serde_saphyr::from_str_with_options::<RawRule>(
            text,
            options(DuplicateKeyPolicy::Error),
        )
        .unwrap_err();
        let e = saphyr_error(&file, &err);
        assert_eq!(e.code(), codes::UNKNOWN_KEY);
        let at = text.find("severty").unwrap();
        assert_eq!(e.span(), at..at + 7);
        assert_eq!(e.help_text(), Some("did you mean `severity`?"));

        let text = "id: FZ001\nid: FZ002\n";
        let err = serde_saphyr::from_str_with_options::<RawRule>(
            text,
            options(DuplicateKeyPolicy::Error),
        )
        .unwrap_err();
        let e = saphyr_error(&inline(text), &err);
        assert_eq!(e.code(), codes::DUPLICATE_KEY);
        assert_eq!(e.span(), 10..12);

        let text = "id: FZ001\nname: a\ntitle: 标题\nseverity: error\n";
        let err = serde_saphyr::from_str_with_options::<RawRule>(
            text,
            options(DuplicateKeyPolicy::Error),
        )
        .unwrap_err();
        let e = saphyr_error(&inline(text), &err);
        assert_eq!(e.code(), codes::MISSING_KEY);
        assert_eq!(e.message(), "missing required key `assert`");
    }

    // --- the valid fixture ----------------------------------------------------------------------

    #[test]
    fn valid_minimal_parses_and_keeps_let_order() {
        let file = fixture("valid-minimal.yaml");
        let raw = parse_raw(&file).unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(check_structure(&file, &raw).is_empty());
        assert!(load_raw(&file).is_ok());

        assert_eq!(raw.rulebook.value, "fazhi-minimal");
        assert_eq!(raw.version.as_ref().unwrap().value, "1.0");
        let names: Vec<&str> = raw.lets().map(|(k, _)| k.value.as_str()).collect();
        assert_eq!(names, ["next_year", "main_leader", "court_rate"]);
        let lets = &raw.let_.as_ref().unwrap().value;
        assert_eq!(lets.get("court_rate").unwrap().value, "figure(/出庭率/)");
        let (name, value) = raw.lets().nth(1).unwrap();
        assert_eq!(&file.text[key_range(&file, name)], "main_leader");
        assert_eq!(
            &file.text[value_range(&file, value)],
            "mentions(/主要负责人/)"
        );

        let rules = &raw.rules.value;
        assert_eq!(rules.len(), 2);
        let r0 = &rules[0];
        assert_eq!(
            r0.assert.value,
            "has_section(/下一年度/)\nor mentions(/明年/)\n"
        );
        assert_eq!(r0.tags.as_ref().unwrap().value.len(), 2);
        let examples = r0.examples.as_ref().unwrap();
        assert_eq!(
            examples.value.fail.as_ref().unwrap().value[0].value,
            "一、主要举措"
        );
        let r1 = &rules[1];
        assert_eq!(
            r1.for_each.as_ref().unwrap().value,
            "m in figures(/出庭率/)"
        );
        assert_eq!(
            r1.message.as_ref().unwrap().value,
            "{m.label}为 {m.text}，超过 100%"
        );
        // Spans are byte ranges of the file.
        let id = value_range(&file, &r1.id);
        assert_eq!(&file.text[id], "FZ002");
        // The expression compiler's ranges map back into the file.
        let map = value_map(&file, &r0.assert);
        let v = r0.assert.value.find("mentions").unwrap();
        let f = file.text.find("mentions(/明年/)").unwrap();
        assert_eq!(
            map.file_range(v..v + "mentions(/明年/)".len()),
            f..f + "mentions(/明年/)".len()
        );
        let message = r1.message.as_ref().unwrap();
        let map = value_map(&file, message);
        let v = message.value.find("m.text").unwrap();
        let f = file.text.find("m.text").unwrap();
        assert_eq!(map.file_range(v..v + 6), f..f + 6);
    }

    #[test]
    fn schema_table_matches_the_serde_types() {
        /// The field names serde derives for `T`, captured from `deserialize_struct`.
        fn serde_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
            struct Capture<'a>(&'a mut &'static [&'static str]);
            impl<'de> Deserializer<'de> for Capture<'_> {
                type Error = de::value::Error;
                fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
                    Err(de::Error::custom("not a struct"))
                }
                fn deserialize_struct<V: Visitor<'de>>(
                    self,
                    _: &'static str,
                    fields: &'static [&'static str],
                    _: V,
                ) -> Result<V::Value, Self::Error> {
                    *self.0 = fields;
                    Err(de::Error::custom("captured"))
                }
                serde::forward_to_deserialize_any! {
                    bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                    byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
                    enum identifier ignored_any
                }
            }
            let mut fields: &'static [&'static str] = &[];
            let _ = T::deserialize(Capture(&mut fields));
            fields
        }
        let keys = |fields: &[Field]| fields.iter().map(|f| f.key).collect::<Vec<_>>();
        assert_eq!(serde_fields::<RawRulebook>(), keys(RULEBOOK_FIELDS));
        assert_eq!(serde_fields::<RawRule>(), keys(RULE_FIELDS));
        assert_eq!(serde_fields::<RawExamples>(), keys(EXAMPLES_FIELDS));
        assert_eq!(
            serde_fields::<super::super::raw::RawIndicator>(),
            keys(INDICATOR_FIELDS)
        );
        assert_eq!(
            serde_fields::<super::super::raw::RawIndicatorExample>(),
            keys(INDICATOR_EXAMPLE_FIELDS)
        );

        // Required in the table ⇔ required by serde: drop each key from a complete rule.
        let complete = [
            ("id", "FZ001"),
            ("name", "a"),
            ("title", "t"),
            ("why", "y"),
            ("severity", "info"),
            ("basis", "b"),
            ("help", "h"),
            ("link", "l"),
            ("tags", "[x]"),
            ("when", "w"),
            ("for", "f"),
            ("assert", "a"),
            ("message", "m"),
            ("examples", "{pass: [p], fail: [f]}"),
        ];
        assert_eq!(complete.map(|(k, _)| k).as_slice(), keys(RULE_FIELDS));
        for field in RULE_FIELDS {
            let yaml: String = complete
                .iter()
                .filter(|(k, _)| *k != field.key)
                .map(|(k, v)| format!("{k}: {v}\n"))
                .collect();
            let parsed = serde_saphyr::from_str::<RawRule>(&yaml);
            assert_eq!(parsed.is_err(), field.required, "{}: {parsed:?}", field.key);
        }
    }

    // --- value maps -----------------------------------------------------------------------------

    /// Parses `text` (a mapping) and returns the spanned string under `key`.
    fn value_of(text: &str, key: &str) -> (SourceFile, Spanned<String>) {
        let map: HashMap<String, Spanned<String>> = serde_saphyr::from_str(text).unwrap();
        (inline(text), map[key].clone())
    }

    /// Every value character not in `except` maps to the same character in the file.
    fn assert_chars_map_to_themselves(
        file: &SourceFile,
        value: &str,
        map: &ValueMap,
        except: &str,
    ) {
        for (i, c) in value.char_indices() {
            if except.contains(c) {
                continue;
            }
            let r = map.file_range(i..i + c.len_utf8());
            assert_eq!(
                &file.text[r.clone()],
                c.to_string(),
                "value byte {i} ({c:?}) → {r:?}"
            );
        }
    }

    #[test]
    fn value_map_literal_block() {
        let text = "assert: |\n  has_section(/下一年度/)\n  or mentions(/明年/)\n";
        let (file, value) = value_of(text, "assert");
        assert_eq!(
            value.value,
            "has_section(/下一年度/)\nor mentions(/明年/)\n"
        );
        let map = value_map(&file, &value);
        let v = value.value.find("mentions").unwrap();
        let f = text.find("mentions").unwrap();
        assert_eq!(map.file_range(v..v + 8), f..f + 8);
        assert_eq!(
            &text[map.file_range(v..value.value.len() - 1)],
            "mentions(/明年/)"
        );
        // The whole first line, the line break, and the second line's start.
        let first = "has_section(/下一年度/)";
        assert_eq!(&text[map.file_range(0..first.len())], first);
        assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
    }

    #[test]
    fn value_map_literal_block_with_indicators_blank_lines_and_crlf() {
        let text = "a: 1\nassert: |- # 注释\n\n    has_section(/下一年度/)\n\n      and x\n    or y\nb: 2\n";
        let (file, value) = value_of(text, "assert");
        assert_eq!(value.value, "\nhas_section(/下一年度/)\n\n  and x\nor y");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
        let v = value.value.find("and").unwrap();
        assert_eq!(map.file_range(v..v + 3).start, text.find("and").unwrap());

        let crlf = "assert: |\r\n  甲 and\r\n  乙\r\n";
        let (file, value) = value_of(crlf, "assert");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
    }

    #[test]
    fn value_map_plain_scalars() {
        let text = "assert: has_section(/下一年度/) and not mentions(/明年/)\n";
        let (file, value) = value_of(text, "assert");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "");
        let v = value.value.find("mentions").unwrap();
        assert_eq!(
            map.file_range(v..v + 8),
            text.find("mentions").map(|f| f..f + 8).unwrap()
        );

        // Multi-line plain scalar: the line break and indentation fold to one space.
        let text = "assert: has_section(/下一年度/)   \n    or mentions(/明年/)\n";
        let (file, value) = value_of(text, "assert");
        assert_eq!(value.value, "has_section(/下一年度/) or mentions(/明年/)");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "");
        let v = value.value.find("or").unwrap();
        assert_eq!(map.file_offset(v), text.find("or").unwrap());

        // Starting on the line after the key.
        let text = "assert:\n  has_section(/下一年度/)\n\n  or mentions(/明年/)\n";
        let (file, value) = value_of(text, "assert");
        assert_eq!(value.value, "has_section(/下一年度/)\nor mentions(/明年/)");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
        let v = value.value.find("mentions").unwrap();
        assert_eq!(map.file_offset(v), text.find("mentions").unwrap());
    }

    #[test]
    fn value_map_double_quoted_with_escapes() {
        let text = "message: \"第一行\\n第二行 \\\"引号\\\" \\u4e2d\\\n   尾\"\n";
        let (file, value) = value_of(text, "message");
        assert_eq!(value.value, "第一行\n第二行 \"引号\" 中尾");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "\n\"中");
        let nl = value.value.find('\n').unwrap();
        assert_eq!(&text[map.file_range(nl..nl + 1)], "\\n");
        let q = value.value.find('"').unwrap();
        assert_eq!(&text[map.file_range(q..q + 1)], "\\\"");
        let zhong = value.value.find('中').unwrap();
        assert_eq!(&text[map.file_range(zhong..zhong + 3)], "\\u4e2d");
        let v = value.value.find("第二行").unwrap();
        assert_eq!(map.file_offset(v), text.find("第二行").unwrap());

        assert_eq!(
            &text[map.file_range(q..value.value.len())],
            "\\\"引号\\\" \\u4e2d\\\n   尾"
        );

        // A line break inside double quotes folds to a space.
        let text = "message: \"第一行\n    第二行\"\n";
        let (file, value) = value_of(text, "message");
        assert_eq!(value.value, "第一行 第二行");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, " ");
        assert_eq!(
            map.file_offset("第一行 ".len()),
            text.find("第二行").unwrap()
        );
    }

    #[test]
    fn value_map_single_quoted_with_doubled_quote() {
        let text = "assert: 'mentions(''明年'') or has_section(/下一年度/)'\n";
        let (file, value) = value_of(text, "assert");
        assert_eq!(value.value, "mentions('明年') or has_section(/下一年度/)");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "'");
        let q = value.value.find('\'').unwrap();
        assert_eq!(&text[map.file_range(q..q + 1)], "''");
        let v = value.value.find("has_section").unwrap();
        assert_eq!(map.file_offset(v), text.find("has_section").unwrap());
        let all = map.file_range(0..value.value.len());
        assert_eq!(&text[all], "mentions(''明年'') or has_section(/下一年度/)");
    }

    #[test]
    fn value_map_folded_block() {
        let text = "assert: >\n  has_section(/下一年度/)\n  or mentions(/明年/)\n\n  and 乙\n";
        let (file, value) = value_of(text, "assert");
        assert_eq!(
            value.value,
            "has_section(/下一年度/) or mentions(/明年/)\nand 乙\n"
        );
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "\n ");
        let v = value.value.find("mentions").unwrap();
        let f = text.find("mentions").unwrap();
        assert_eq!(map.file_range(v..v + 8), f..f + 8);
        let v = value.value.find("and").unwrap();
        assert_eq!(map.file_offset(v), text.find("and").unwrap());

        // More-indented lines keep their line breaks and extra indentation.
        let text = "assert: >-\n  甲\n    乙 and\n  丙\n";
        let (file, value) = value_of(text, "assert");
        assert_eq!(value.value, "甲\n  乙 and\n丙");
        let map = value_map(&file, &value);
        assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
        let v = value.value.find("丙").unwrap();
        assert_eq!(map.file_offset(v), text.find("丙").unwrap());
    }

    #[test]
    fn value_map_alias_points_at_the_definition() {
        let text = "a: &expr mentions(/明年/)\nassert: *expr\n";
        let (file, value) = value_of(text, "assert");
        let map = value_map(&file, &value);
        let f = text.find("mentions").unwrap();
        assert_eq!(map.file_range(0..8), f..f + 8);
    }

    #[test]
    fn value_map_never_leaves_the_file_or_splits_characters() {
        let text = "assert: |\n  下一年度\n";
        let (file, value) = value_of(text, "assert");
        let map = value_map(&file, &value);
        // Inside `下` (bytes 0..3): widened to the whole character.
        let r = map.file_range(1..2);
        assert_eq!(&text[r], "下");
        let r = map.file_range(100..200);
        assert!(r.start <= text.len() && r.end <= text.len());
        let r = map.file_range(Range { start: 5, end: 2 });
        assert!(r.start <= r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        // A value that does not match its spelling at all still maps inside the file.
        let wrong = Spanned::new(
            "完全不同的内容 and more".to_owned(),
            value.referenced,
            value.defined,
        );
        let map = value_map(&file, &wrong);
        for i in 0..=wrong.value.len() {
            for j in i..=wrong.value.len() {
                let r = map.file_range(i..j);
                assert!(r.start <= r.end && r.end <= text.len());
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    #[test]
    fn suggestions() {
        let keys = RULE_FIELDS.iter().map(|f| f.key);
        assert_eq!(suggest("asert", keys.clone()), Some("assert"));
        assert_eq!(suggest("severty", keys.clone()), Some("severity"));
        assert_eq!(suggest("Title", keys.clone()), Some("title"));
        assert_eq!(suggest("exemples", keys.clone()), Some("examples"));
        assert_eq!(suggest("author", keys.clone()), None);
        assert_eq!(
            suggest("has_sectoin", ["has_section", "mentions"]),
            Some("has_section")
        );
        assert_eq!(severity_suggestion("warn"), Some("warning"));
        assert_eq!(severity_suggestion("err"), Some("error"));
        assert_eq!(severity_suggestion("Error"), Some("error"));
        assert_eq!(severity_suggestion("infos"), Some("info"));
        assert_eq!(severity_suggestion("警告"), Some("warning"));
        assert_eq!(severity_suggestion("blocker"), None);
    }

    #[test]
    fn ids_names_and_extends() {
        assert!(is_rule_id("FZ005") && is_rule_id("A1") && is_rule_id("ABCDEFGH1234"));
        assert!(!is_rule_id("fz005") && !is_rule_id("FZ") && !is_rule_id("FZ12345"));
        assert!(!is_rule_id("ABCDEFGHI1") && !is_rule_id("005") && !is_rule_id("FZ-005"));
        assert!(is_kebab("next-year-plan") && is_kebab("a1-b2") && is_kebab("x"));
        assert!(!is_kebab("Next") && !is_kebab("a--b") && !is_kebab("a-") && !is_kebab("1a"));
        assert!(!is_kebab("") && !is_kebab("下一年度"));
        assert_eq!(to_kebab("nextYearPlan").as_deref(), Some("next-year-plan"));
        assert_eq!(
            to_kebab("Next_Year Plan").as_deref(),
            Some("next-year-plan")
        );
        assert_eq!(to_kebab("下一年度"), None);
        assert_eq!(extends_problem("builtin:fazhi-base"), None);
        assert_eq!(extends_problem("common/base.yaml"), None);
        assert_eq!(extends_problem("../shared/base.yml"), None);
        assert!(extends_problem("builtin:").is_some());
        assert!(extends_problem("/etc/base.yaml").is_some());
        assert!(extends_problem("C:/base.yaml").is_some());
        assert!(extends_problem("https://example.com/a.yaml").is_some());
        assert!(extends_problem("base.json").is_some());
    }
}

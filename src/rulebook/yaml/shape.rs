//! The shape of a rulebook file and of a configuration file: which keys each mapping has, which
//! are required, what their values are and what they mean. One table, three users: the
//! structural checker walks it (rulebooks), the JSON Schemas of `reportlint rules schema` are
//! generated from it (`schema.rs`), and tests keep it in step with the serde types of `raw.rs` and
//! with the configuration loader.

/// What a key's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A string (numbers and booleans are read as their spelling).
    Text,
    /// A string from a fixed set (`error`, `warning`, `info`).
    OneOf(&'static [&'static str]),
    /// A date, `2025-12-31`.
    Date,
    /// A string matching a pattern (a rule id, a kebab-case name); checked with its own message.
    Pattern(&'static str),
    /// A list of strings.
    TextList,
    /// `let`: a mapping of names to expression strings.
    Let,
    /// `rules`: a list of rule mappings.
    Rules,
    /// `examples`: a mapping of expected outcomes to example lists.
    Examples,
    /// A list of examples: report snippets, or mappings with the snippet and what the finding
    /// must say.
    ExampleList,
    /// `indicators`: a list of indicator mappings.
    Indicators,
    /// An indicator's `examples`: a list of `{text, value}` mappings.
    IndicatorExamples,
    /// A configuration's `rules`: rule ids mapped to `error`, `warning`, `info` or `off`.
    Settings,
    /// A configuration's `overrides`: a list of `{paths, rules}` mappings.
    Overrides,
    /// A configuration's `waivers`: a list of waiver mappings.
    Waivers,
}

#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) key: &'static str,
    pub(crate) shape: Shape,
    pub(crate) required: bool,
    /// Required in a rule defined here (one with `assert`), not in an entry that only sets the
    /// severity of an inherited rule (`- {id: FZ015, severity: off}`).
    pub(crate) defines: bool,
    /// What the key means (the schema's `description`, shown by editors).
    pub(crate) doc: &'static str,
}

pub(crate) const fn req(key: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        key,
        shape,
        required: true,
        defines: false,
        doc,
    }
}

/// A key every rule defined here needs (`name`, `title`, `assert`).
pub(crate) const fn def(key: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        key,
        shape,
        required: false,
        defines: true,
        doc,
    }
}

pub(crate) const fn opt(key: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        key,
        shape,
        required: false,
        defines: false,
        doc,
    }
}

/// A rule id: capital letters, then digits.
pub(crate) const RULE_ID: &str = "^[A-Z]{1,8}[0-9]{1,4}$";
/// A kebab-case name.
pub(crate) const KEBAB: &str = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";

/// What a configuration (or a rulebook, for an inherited rule) may set a rule to.
pub(crate) const SETTINGS: &[&str] = &["error", "warning", "info", "off"];

/// The keys of a rulebook file (mirrors `RawRulebook`).
pub(crate) const RULEBOOK_FIELDS: &[Field] = &[
    req(
        "rulebook",
        Shape::Pattern(KEBAB),
        "The rulebook's id, kebab-case: `my-county`.",
    ),
    opt(
        "title",
        Shape::Text,
        "What the rulebook checks, for people.",
    ),
    opt(
        "version",
        Shape::Text,
        "The rulebook's version, as you number it.",
    ),
    opt("description", Shape::Text, "A longer description."),
    opt(
        "extends",
        Shape::TextList,
        "Rulebooks whose rules and `let`s this one starts from: `builtin:NAME` or paths relative to this file.",
    ),
    opt(
        "let",
        Shape::Let,
        "Named expressions usable in every rule, in order: `next_year: /下一?年度|明年/`.",
    ),
    req("rules", Shape::Rules, "The rules, in order."),
    opt(
        "indicators",
        Shape::Indicators,
        "Key figures `reportlint audit` reads from every report, one column each.",
    ),
    opt(
        "arrangements",
        Shape::Text,
        "A regex: the heading of the next year's arrangements, followed into the next year's report by `audit`.",
    ),
];

/// The keys of an indicator (mirrors `RawIndicator`).
pub(crate) const INDICATOR_FIELDS: &[Field] = &[
    req(
        "id",
        Shape::Pattern(KEBAB),
        "kebab-case, unique: `court-appearance-rate`.",
    ),
    req(
        "name",
        Shape::Text,
        "The column heading: `行政机关负责人出庭应诉率`.",
    ),
    opt(
        "name_en",
        Shape::Text,
        "The English column heading (`--lang en`).",
    ),
    req(
        "label",
        Shape::Text,
        "A regex (or a `let` name bound to one): the figure labels that state it.",
    ),
    opt(
        "unless",
        Shape::Text,
        "A regex: labels that match `label` but are not it.",
    ),
    opt(
        "unit",
        Shape::TextList,
        "The units it may be stated in: `[\"%\"]`, `[件, 起]`.",
    ),
    opt(
        "examples",
        Shape::IndicatorExamples,
        "Snippets and the value the indicator must read from each; `rules test` runs them.",
    ),
];

/// The keys of an indicator's example (mirrors `RawIndicatorExample`).
pub(crate) const INDICATOR_EXAMPLE_FIELDS: &[Field] = &[
    req("text", Shape::Text, "A report snippet."),
    opt(
        "value",
        Shape::Text,
        "The number read from it (none: the indicator stays blank).",
    ),
];

/// The keys of a rule (mirrors `RawRule`).
pub(crate) const RULE_FIELDS: &[Field] = &[
    req(
        "id",
        Shape::Pattern(RULE_ID),
        "Capital letters then digits: `XY001`. A rule with an extended rule's id replaces it.",
    ),
    def(
        "name",
        Shape::Pattern(KEBAB),
        "kebab-case: `next-year-arrangements`.",
    ),
    def("title", Shape::Text, "What the rule requires, in one line."),
    opt("why", Shape::Text, "Why the rule matters."),
    req(
        "severity",
        Shape::OneOf(SETTINGS),
        "How serious a failure is; `off` switches the rule off. An entry with only `id` and `severity` sets the severity of an inherited rule.",
    ),
    opt("basis", Shape::Text, "The legal or policy basis."),
    opt("help", Shape::Text, "How to fix a failure."),
    opt("link", Shape::Text, "A web page about the rule."),
    opt("tags", Shape::TextList, "Words to group rules by."),
    opt(
        "when",
        Shape::Text,
        "An expression: the rule applies only when it is true.",
    ),
    opt(
        "for",
        Shape::Text,
        "`m in LIST`: one verdict per item, labelled at the item.",
    ),
    def("assert", Shape::Text, "An expression: what must hold."),
    opt(
        "message",
        Shape::Text,
        "The finding's message, with `{expr}` holes: `\"{m.label}为{m.text}\"`.",
    ),
    opt(
        "examples",
        Shape::Examples,
        "Report snippets and the outcome the rule must give on each; `rules test` runs them.",
    ),
];

/// The keys of a rule's `examples` (mirrors `RawExamples`).
pub(crate) const EXAMPLES_FIELDS: &[Field] = &[
    opt("pass", Shape::ExampleList, "Snippets the rule must pass."),
    opt("fail", Shape::ExampleList, "Snippets the rule must fail."),
    opt(
        "unknown",
        Shape::ExampleList,
        "Snippets that do not say enough for the rule to decide.",
    ),
    opt(
        "not_applicable",
        Shape::ExampleList,
        "Snippets the rule does not apply to (its `when` is false).",
    ),
];

/// The keys of one example written as a mapping (mirrors `RawExampleFull`).
pub(crate) const EXAMPLE_FIELDS: &[Field] = &[
    req("text", Shape::Text, "The report snippet."),
    opt(
        "message",
        Shape::Text,
        "Text the finding's message (for an unknown, its reason) must contain.",
    ),
    opt(
        "line",
        Shape::Text,
        "The line of the snippet the finding must point at.",
    ),
];

/// The keys of a configuration file (`reportlint.yaml`; read by `config::Loader`).
pub(crate) const CONFIG_FIELDS: &[Field] = &[
    opt(
        "rulebooks",
        Shape::TextList,
        "The rulebooks to check against: `builtin:NAME` or paths relative to this file.",
    ),
    opt(
        "include",
        Shape::TextList,
        "Globs of the report files to check, relative to this file.",
    ),
    opt("exclude", Shape::TextList, "Globs of files to leave out."),
    opt(
        "rules",
        Shape::Settings,
        "Severity per rule id: `error`, `warning`, `info` or `off`.",
    ),
    opt(
        "overrides",
        Shape::Overrides,
        "Severities for some paths; later entries win.",
    ),
    opt(
        "waivers",
        Shape::Waivers,
        "Known exceptions: a rule's failures on some paths are reported as waived, not failing, until a date.",
    ),
];

/// The keys of an `overrides` entry.
pub(crate) const OVERRIDE_FIELDS: &[Field] = &[
    req("paths", Shape::TextList, "Globs of the files it is for."),
    opt("rules", Shape::Settings, "Severity per rule id."),
];

/// The keys of a `waivers` entry.
pub(crate) const WAIVER_FIELDS: &[Field] = &[
    req(
        "rule",
        Shape::Pattern(RULE_ID),
        "The id of the rule whose failures it accepts.",
    ),
    req(
        "path",
        Shape::Text,
        "A glob of the report files it is for, relative to this file.",
    ),
    req("reason", Shape::Text, "Why the failure is accepted."),
    req(
        "until",
        Shape::Date,
        "The last day it holds (`2025-12-31`); after it, every run fails until the waiver is renewed or removed.",
    ),
    req("by", Shape::Text, "Who accepted it."),
];

/// Which mapping is being checked, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Rulebook,
    Rule,
    Examples,
    Example,
    Let,
    Indicator,
    IndicatorExample,
    Config,
    Override,
    Waiver,
}

impl Level {
    pub(crate) fn fields(self) -> Option<&'static [Field]> {
        match self {
            Level::Rulebook => Some(RULEBOOK_FIELDS),
            Level::Rule => Some(RULE_FIELDS),
            Level::Examples => Some(EXAMPLES_FIELDS),
            Level::Example => Some(EXAMPLE_FIELDS),
            Level::Let => None,
            Level::Indicator => Some(INDICATOR_FIELDS),
            Level::IndicatorExample => Some(INDICATOR_EXAMPLE_FIELDS),
            Level::Config => Some(CONFIG_FIELDS),
            Level::Override => Some(OVERRIDE_FIELDS),
            Level::Waiver => Some(WAIVER_FIELDS),
        }
    }

    pub(crate) fn noun(self) -> &'static str {
        match self {
            Level::Rulebook => "rulebook",
            Level::Rule => "rule",
            Level::Examples => "`examples` mapping",
            Level::Example => "example",
            Level::Let => "`let` block",
            Level::Indicator => "indicator",
            Level::IndicatorExample => "indicator example",
            Level::Config => "configuration",
            Level::Override => "override",
            Level::Waiver => "waiver",
        }
    }
}

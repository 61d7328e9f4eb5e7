//! The shape of a rulebook file: which keys each mapping has, which are required and what
//! their values are. The structural checker walks it, the JSON Schema is generated from it, and
//! a test keeps it in step with the serde types of `raw.rs`.

/// What a key's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
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
pub(crate) struct Field {
    pub(crate) key: &'static str,
    pub(crate) shape: Shape,
    pub(crate) required: bool,
}

pub(crate) const fn req(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: true,
    }
}

pub(crate) const fn opt(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: false,
    }
}

/// The keys of a rulebook file (mirrors `RawRulebook`).
pub(crate) const RULEBOOK_FIELDS: &[Field] = &[
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
pub(crate) const INDICATOR_FIELDS: &[Field] = &[
    req("id", Shape::Text),
    req("name", Shape::Text),
    opt("name_en", Shape::Text),
    req("label", Shape::Text),
    opt("unless", Shape::Text),
    opt("unit", Shape::TextList),
    opt("examples", Shape::IndicatorExamples),
];

/// The keys of an indicator's example (mirrors `RawIndicatorExample`).
pub(crate) const INDICATOR_EXAMPLE_FIELDS: &[Field] =
    &[req("text", Shape::Text), opt("value", Shape::Text)];

/// The keys of a rule (mirrors `RawRule`).
pub(crate) const RULE_FIELDS: &[Field] = &[
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
pub(crate) const EXAMPLES_FIELDS: &[Field] =
    &[opt("pass", Shape::TextList), opt("fail", Shape::TextList)];

pub(crate) const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// Which mapping is being checked, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Rulebook,
    Rule,
    Examples,
    Let,
    Indicator,
    IndicatorExample,
}

impl Level {
    pub(crate) fn fields(self) -> Option<&'static [Field]> {
        match self {
            Level::Rulebook => Some(RULEBOOK_FIELDS),
            Level::Rule => Some(RULE_FIELDS),
            Level::Examples => Some(EXAMPLES_FIELDS),
            Level::Let => None,
            Level::Indicator => Some(INDICATOR_FIELDS),
            Level::IndicatorExample => Some(INDICATOR_EXAMPLE_FIELDS),
        }
    }

    pub(crate) fn noun(self) -> &'static str {
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

//! Rulebook stage: the raw, serde-shaped form of a rulebook file.
//!
//! Takes YAML (through `yaml::parse_raw`, which checks the structure first and reports every
//! mistake with its span); hands on [`RawRulebook`]: exactly what the file says, every value
//! still wrapped in [`Spanned`] so the next stage (expression compilation, the validated
//! `Rulebook`) can point back at the characters it came from. Nothing here is interpreted:
//! severities, ids and expressions are still strings.
//!
//! The key names and which keys are required are mirrored by the schema table in `yaml.rs`
//! (a test checks that the two agree).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// A whole rulebook file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRulebook {
    /// The rulebook's id (kebab-case), e.g. `fazhi-annual-report`.
    pub rulebook: Spanned<String>,
    pub title: Option<Spanned<String>>,
    /// A string; a plain `1.0` is read as the string `"1.0"` (spelling kept).
    pub version: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    /// `builtin:NAME` or relative paths of other rulebooks, in order.
    pub extends: Option<Spanned<Vec<Spanned<String>>>>,
    /// Named expressions shared by the rules, in file order.
    #[serde(rename = "let")]
    pub let_: Option<Spanned<LetMap>>,
    /// The rules in file order (each rule's fields are spanned; the list is spanned as a whole).
    pub rules: Spanned<Vec<RawRule>>,
    /// Key figures `audit` reads from every report, in column order.
    pub indicators: Option<Spanned<Vec<RawIndicator>>>,
    /// Expression (a regex): the heading of the next year's arrangements, whose sub-headings
    /// `audit` follows into the next year's report.
    pub arrangements: Option<Spanned<String>>,
}

impl RawRulebook {
    /// The `let` bindings, name → expression, in file order (none if there is no `let:`).
    pub fn lets(&self) -> impl Iterator<Item = (&Spanned<String>, &Spanned<String>)> {
        self.let_.iter().flat_map(|l| l.value.iter())
    }
}

/// One rule as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// `FZ005`
    pub id: Spanned<String>,
    /// kebab-case, e.g. `next-year-plan` (absent in an entry that only sets the severity of an
    /// inherited rule, like `title` and `assert`).
    pub name: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    /// Why the rule matters (documentation).
    pub why: Option<Spanned<String>>,
    /// `error`, `warning`, `info` or `off` (checked by `yaml::check_structure`).
    pub severity: Spanned<String>,
    /// The legal or policy basis of the rule.
    pub basis: Option<Spanned<String>>,
    pub help: Option<Spanned<String>>,
    pub link: Option<Spanned<String>>,
    pub tags: Option<Spanned<Vec<Spanned<String>>>>,
    /// Expression: the rule applies only when this holds.
    pub when: Option<Spanned<String>>,
    /// Expression: what the rule iterates over.
    #[serde(rename = "for")]
    pub for_each: Option<Spanned<String>>,
    /// Expression: what must hold. Without it, the entry sets the severity of the inherited
    /// rule of the same id.
    pub assert: Option<Spanned<String>>,
    /// Message template for a finding.
    pub message: Option<Spanned<String>>,
    pub examples: Option<Spanned<RawExamples>>,
}

/// Report snippets and the outcome a rule must give on each.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    pub pass: RawExampleList,
    pub fail: RawExampleList,
    pub unknown: RawExampleList,
    pub not_applicable: RawExampleList,
}

/// The examples of one expected outcome, if the key is there.
pub type RawExampleList = Option<Spanned<Vec<Spanned<RawExample>>>>;

impl RawExamples {
    /// The example lists with the outcome each expects, in file order of the keys above.
    pub fn lists(&self) -> [(&'static str, &RawExampleList); 4] {
        [
            ("pass", &self.pass),
            ("fail", &self.fail),
            ("unknown", &self.unknown),
            ("not_applicable", &self.not_applicable),
        ]
    }
}

/// One example: a snippet (`- 全年行政机关负责人出庭率85%。`), or a mapping that also says
/// what the finding must say (`- {text: …, message: 85%, line: 1}`).
#[derive(Debug, Clone)]
pub enum RawExample {
    Text(String),
    Full(Box<RawExampleFull>),
}

/// An example written as a mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExampleFull {
    pub text: Spanned<String>,
    /// Text the finding's message (for an unknown, its reason) must contain.
    pub message: Option<Spanned<String>>,
    /// The line of the snippet the finding must point at (a number; checked when compiling).
    pub line: Option<Spanned<String>>,
}

impl RawExample {
    /// The snippet.
    pub fn text(&self) -> &str {
        match self {
            RawExample::Text(t) => t,
            RawExample::Full(f) => &f.text.value,
        }
    }
}

impl<'de> Deserialize<'de> for RawExample {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExampleVisitor;

        impl<'de> Visitor<'de> for ExampleVisitor {
            type Value = RawExample;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a report snippet, or a mapping with `text:`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawExample, E> {
                Ok(RawExample::Text(v.to_owned()))
            }

            // A snippet that YAML reads as a number or a boolean is its spelling.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawExample, E> {
                Ok(RawExample::Text(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawExample, E> {
                Ok(RawExample::Text(v.to_string()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawExample, E> {
                Ok(RawExample::Text(v.to_string()))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawExample, E> {
                Ok(RawExample::Text(v.to_string()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<RawExample, E> {
                Ok(RawExample::Text(v))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawExample, A::Error> {
                RawExampleFull::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|f| RawExample::Full(Box::new(f)))
            }
        }

        deserializer.deserialize_any(ExampleVisitor)
    }
}

/// One key figure as written (`indicators:`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    /// kebab-case, e.g. `court-appearance-rate`
    pub id: Spanned<String>,
    /// The column heading, e.g. `行政机关负责人出庭应诉率`.
    pub name: Spanned<String>,
    /// The English column heading (`--lang en`).
    pub name_en: Option<Spanned<String>>,
    /// Expression (a regex): the figure labels that state it.
    pub label: Spanned<String>,
    /// Expression (a regex): labels that match `label` but are not it.
    pub unless: Option<Spanned<String>>,
    /// The units it may be stated in (any when absent).
    pub unit: Option<Spanned<Vec<Spanned<String>>>>,
    pub examples: Option<Spanned<Vec<RawIndicatorExample>>>,
}

/// A snippet and the value the indicator must read from it (none: blank).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicatorExample {
    pub text: Spanned<String>,
    pub value: Option<Spanned<String>>,
}

/// An order-preserving mapping of name → expression (the `let:` block).
///
/// Deserializing it rejects a repeated name (the YAML layer reports that earlier, with both
/// lines, but the type does not rely on it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetMap {
    pub entries: Vec<(Spanned<String>, Spanned<String>)>,
}

impl LetMap {
    pub fn iter(&self) -> impl Iterator<Item = (&Spanned<String>, &Spanned<String>)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The expression bound to `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Spanned<String>> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == name)
            .map(|(_, v)| v)
    }
}

impl<'de> Deserialize<'de> for LetMap {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LetVisitor;

        impl<'de> Visitor<'de> for LetVisitor {
            type Value = LetMap;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of names to expressions")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LetMap, A::Error> {
                let mut entries: Vec<(Spanned<String>, Spanned<String>)> = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if let Some((first, _)) = entries.iter().find(|(k, _)| k.value == key.value) {
                        return Err(de::Error::custom(format_args!(
                            "`let` defines `{}` twice (first on line {})",
                            key.value,
                            first.referenced.line()
                        )));
                    }
                    let value = map.next_value::<Spanned<String>>()?;
                    entries.push((key, value));
                }
                Ok(LetMap { entries })
            }
        }

        deserializer.deserialize_map(LetVisitor)
    }
}

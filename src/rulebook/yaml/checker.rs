//! Pass 1: the YAML as a generic, spanned node tree, checked against the shape table; every
//! mistake is collected, so one broken rule does not hide the others.

use super::shape::*;
use super::value_map::*;
use super::*;

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

pub(crate) struct KindVisitor;

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
pub(crate) struct Checker<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) errors: Vec<RulebookError>,
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

    pub(crate) fn rulebook(&mut self, root: &Node) {
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

        // A rule that names one of `name`, `title`, `assert` is defined here and needs them
        // all; without them, it only sets the severity of an inherited rule.
        let defines = fields.is_some_and(|fields| {
            fields
                .iter()
                .any(|f| f.defines && seen.iter().any(|(n, _)| n == f.key))
        });
        if level == Level::Rule && !defines {
            for (field, key, _) in &known {
                if !field.required {
                    self.push(
                        codes::ADJUSTMENT_KEY,
                        format!("`{}` in {owner}, which has no `assert`", field.key),
                        self.range(key),
                        "an entry without `assert` only sets a severity".to_owned(),
                        Some(
                            "an entry with only `id` and `severity` (`error`, `warning`, `info` or \
                             `off`) changes an inherited rule; to change more, replace the rule: \
                             give it `name`, `title`, `severity` and `assert`"
                                .to_owned(),
                        ),
                    );
                }
            }
        }
        let required_here = |f: &Field| f.required || (defines && f.defines);
        if let Some(fields) = fields {
            let missing: Vec<&str> = fields
                .iter()
                .filter(|f| required_here(f) && !seen.iter().any(|(n, _)| n == f.key))
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
                    .filter(|f| required_here(f))
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
            Shape::Text | Shape::OneOf(_) | Shape::Pattern(_) | Shape::Date => {
                self.text_value(field, key, value)
            }
            Shape::TextList => self.text_list(field.key, value),
            Shape::ExampleList => self.example_list(field.key, value, owner),
            // Configuration shapes: `config::Loader` reads those files.
            Shape::Settings | Shape::Overrides | Shape::Waivers => {}
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
                    for (field, key, value) in self.mapping(value, Level::Examples, &owner) {
                        self.value(field, key, value, &owner);
                    }
                }
                _ => self.wrong_type(
                    "examples",
                    "a mapping with `pass:`, `fail:`, `unknown:` or `not_applicable:` lists",
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
            Kind::Null if !field.required && !field.defines => {}
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

    /// A list of examples: each a snippet, or a mapping `{text, message, line}`.
    fn example_list(&mut self, key: &str, value: &Node, owner: &str) {
        let items = match &value.value {
            Kind::Null => return,
            Kind::Seq(items) => items,
            _ => {
                let help = format!(
                    "write a list: one `- snippet` (or `- {{text: …, message: …}}`) per line under `{key}:`"
                );
                self.wrong_type(key, "a list of examples", value, Some(help));
                return;
            }
        };
        for (i, item) in items.iter().enumerate() {
            match &item.value {
                Kind::Scalar { .. } => {}
                Kind::Map(_) => {
                    let owner = format!("`{key}` example #{} of {owner}", i + 1);
                    for (field, key, value) in self.mapping(item, Level::Example, &owner) {
                        self.value(field, key, value, &owner);
                    }
                }
                Kind::Null => self.push(
                    codes::WRONG_TYPE,
                    format!("`{key}` has an empty entry"),
                    self.range(item),
                    "expected a snippet".to_owned(),
                    Some("remove the empty entry or write its text".to_owned()),
                ),
                Kind::Seq(_) => self.push(
                    codes::WRONG_TYPE,
                    format!("each example of `{key}` must be a snippet or a mapping, not a list"),
                    self.range(item),
                    "expected a snippet".to_owned(),
                    None,
                ),
            }
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
pub(crate) fn unknown_key_help(name: &str, level: Level) -> String {
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

pub(crate) fn backticked_joined(items: &[&str], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!("{} {word} `{last}`", backticked(init)),
    }
}

pub(crate) fn backticked_and(items: &[&str]) -> String {
    backticked_joined(items, "and")
}

pub(crate) fn backticked_or(items: &[&str]) -> String {
    backticked_joined(items, "or")
}

pub(crate) fn sorted(mut errors: Vec<RulebookError>) -> Vec<RulebookError> {
    errors.sort_by_key(|e| e.span().start);
    errors
}

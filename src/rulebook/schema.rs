//! Rulebook stage: JSON Schemas (draft 2020-12) of rulebook files and of `reportlint.yaml`, for
//! editors (`# yaml-language-server: $schema=…`) and other tools.
//!
//! Generated from the shape table the structural checker walks (`yaml/shape.rs`), so the schema
//! cannot say something the loader does not: a test keeps the table in step with the serde types
//! and the configuration loader, and validates every fixture against the generated schemas. What
//! a schema cannot express — unique rule ids, expressions that compile, files that exist — only
//! the loader checks (`reportlint rules validate`).

use super::yaml::shape::{Field, Level, RULE_ID, SETTINGS, Shape};
use serde_json::{Value, json};

/// Which file a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Rulebook,
    Config,
}

/// The schema of a rulebook file or of a configuration file.
pub fn schema(kind: SchemaKind) -> Value {
    let (root, title, description, defs): (Level, &str, &str, &[(&str, Level)]) = match kind {
        SchemaKind::Rulebook => (
            Level::Rulebook,
            "reportlint rulebook",
            "Rules that reportlint checks annual reports on rule-of-law government construction \
             (法治政府建设年度报告) against. See docs/rule-language.md.",
            &[
                ("rule", Level::Rule),
                ("examples", Level::Examples),
                ("example", Level::Example),
                ("indicator", Level::Indicator),
                ("indicatorExample", Level::IndicatorExample),
            ],
        ),
        SchemaKind::Config => (
            Level::Config,
            "reportlint configuration (reportlint.yaml)",
            "Which rulebooks reportlint checks against, which files it reads, rule severities, \
             per-path overrides and waivers. See README.md.",
            &[("override", Level::Override), ("waiver", Level::Waiver)],
        ),
    };
    let mut top = object(root);
    let obj = top.as_object_mut().expect("an object schema");
    let mut head = serde_json::Map::new();
    head.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    head.insert("title".into(), json!(title));
    head.insert("description".into(), json!(description));
    head.extend(std::mem::take(obj));
    let mut defs_map = serde_json::Map::new();
    for (name, level) in defs {
        defs_map.insert((*name).into(), object(*level));
    }
    head.insert("$defs".into(), Value::Object(defs_map));
    Value::Object(head)
}

/// The schema text `reportlint rules schema` prints: pretty JSON and a final newline.
pub fn schema_text(kind: SchemaKind) -> String {
    let mut s = serde_json::to_string_pretty(&schema(kind)).expect("a JSON value");
    s.push('\n');
    s
}

/// A YAML scalar that the loader reads as text (numbers and booleans by their spelling).
fn scalar() -> Value {
    json!({"type": ["string", "number", "boolean"]})
}

/// A mapping with the fields of `level`, no others.
fn object(level: Level) -> Value {
    let fields = level.fields().unwrap_or(&[]);
    let mut properties = serde_json::Map::new();
    for f in fields {
        properties.insert(f.key.into(), property(f));
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    let mut out = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        out["required"] = json!(required);
    }
    // A rule that has one of `name`, `title`, `assert` is defined here and needs them all;
    // without them, it may only set the severity of an inherited rule.
    let defines: Vec<&str> = fields.iter().filter(|f| f.defines).map(|f| f.key).collect();
    if !defines.is_empty() {
        let any: Vec<Value> = defines.iter().map(|k| json!({"required": [k]})).collect();
        let mut only = required.clone();
        only.retain(|k| !defines.contains(k));
        out["if"] = json!({"anyOf": any});
        out["then"] = json!({"required": defines});
        out["else"] = json!({"propertyNames": {"enum": only}});
    }
    out
}

/// A key's schema: its shape, described; an optional key may also be left empty (`key:`).
fn property(f: &Field) -> Value {
    let mut s = shape(f.shape);
    if !f.required {
        s = json!({"anyOf": [s, {"type": "null"}]});
    }
    s["description"] = json!(f.doc);
    s
}

fn reference(def: &str) -> Value {
    json!({"$ref": format!("#/$defs/{def}")})
}

fn shape(shape: Shape) -> Value {
    match shape {
        Shape::Text => scalar(),
        Shape::OneOf(values) => json!({"enum": values}),
        Shape::Pattern(p) => json!({"type": "string", "pattern": p}),
        Shape::TextList => json!({"type": "array", "items": scalar()}),
        Shape::Let => json!({
            "type": "object",
            "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            "additionalProperties": scalar(),
        }),
        Shape::Rules => json!({"type": "array", "items": reference("rule")}),
        Shape::Examples => reference("examples"),
        Shape::ExampleList => json!({
            "type": "array",
            "items": {"anyOf": [scalar(), reference("example")]},
        }),
        Shape::Indicators => json!({"type": "array", "items": reference("indicator")}),
        Shape::IndicatorExamples => {
            json!({"type": "array", "items": reference("indicatorExample")})
        }
        Shape::Settings => json!({
            "type": "object",
            "propertyNames": {"pattern": RULE_ID},
            "additionalProperties": {"enum": SETTINGS},
        }),
        Shape::Overrides => json!({"type": "array", "items": reference("override")}),
        Shape::Waivers => json!({"type": "array", "items": reference("waiver")}),
        Shape::Date => json!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::yaml::shape::KEBAB;
    use super::super::yaml::{is_kebab, is_rule_id};
    use super::*;

    /// The patterns the schema states agree with the checks the loader makes.
    #[test]
    fn patterns_agree_with_the_loader() {
        let kebab = regex::Regex::new(KEBAB).unwrap();
        let id = regex::Regex::new(RULE_ID).unwrap();
        for s in [
            "a",
            "next-year",
            "fz1-2",
            "Next",
            "a--b",
            "-a",
            "a-",
            "下一年",
            "a_b",
            "",
        ] {
            assert_eq!(kebab.is_match(s), is_kebab(s), "{s:?}");
        }
        for s in [
            "FZ005",
            "X1",
            "ABCDEFGH1234",
            "ABCDEFGHI1",
            "FZ12345",
            "fz005",
            "FZ",
            "005",
        ] {
            assert_eq!(id.is_match(s), is_rule_id(s), "{s:?}");
        }
    }

    #[test]
    fn every_key_is_described() {
        for kind in [SchemaKind::Rulebook, SchemaKind::Config] {
            let text = schema_text(kind);
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
            let mut objects = vec![&v];
            objects.extend(v["$defs"].as_object().unwrap().values());
            for o in objects {
                for (key, p) in o["properties"].as_object().unwrap() {
                    assert!(
                        p["description"].as_str().is_some_and(|d| !d.is_empty()),
                        "{key}"
                    );
                }
            }
        }
    }
}

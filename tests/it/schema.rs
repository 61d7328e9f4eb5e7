//! `reportlint rules schema`: the JSON Schemas of rulebooks and of `reportlint.yaml`, generated
//! from the shape table the loader checks against. Every valid fixture validates; every invalid
//! one that a JSON Schema can judge does not; the rest are listed with the reason.

use crate::{root, run};
use std::path::Path;

fn compile(schema: serde_json::Value) -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("urn:reportlint:schema", schema)
        .unwrap();
    let index = compiler
        .compile("urn:reportlint:schema", &mut schemas)
        .unwrap();
    (schemas, index)
}

fn schema_of(what: &str) -> serde_json::Value {
    let r = run(&["rules", "schema", what]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// Whether a YAML file is valid against the schema; `None` when it is not YAML at all (which
/// no schema accepts either). Read as YAML 1.2, as editors read it (`off` is a string).
fn validates(schemas: &boon::Schemas, index: boon::SchemaIndex, path: &Path) -> Option<bool> {
    let text = std::fs::read_to_string(path).unwrap();
    let options = serde_saphyr::options! { strict_booleans: true };
    let value: serde_json::Value = serde_saphyr::from_str_with_options(&text, options).ok()?;
    Some(schemas.validate(&value, index).is_ok())
}

fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Invalid fixtures whose mistake a JSON Schema cannot express; the loader alone finds them.
const BEYOND_A_SCHEMA: &[(&str, &str)] = &[
    (
        "duplicate-id.yaml",
        "unique values of a key across list items",
    ),
    ("argument-type.yaml", "expressions are strings to a schema"),
    ("arity.yaml", "expressions"),
    ("chinese-before-error.yaml", "expressions"),
    ("error-in-block.yaml", "expressions"),
    ("for-not-a-list.yaml", "expressions"),
    ("incompatible-comparison.yaml", "expressions"),
    ("invalid-regex.yaml", "expressions"),
    ("let-bad-regex.yaml", "expressions"),
    ("message-hole.yaml", "expressions"),
    ("nested-too-deep.yaml", "expressions"),
    ("not-a-condition.yaml", "expressions"),
    ("quantifier-comma.yaml", "expressions"),
    ("regex-flag.yaml", "expressions"),
    ("unknown-function.yaml", "expressions"),
    ("unknown-member.yaml", "expressions"),
    ("unknown-name.yaml", "expressions"),
    // configurations
    ("bad-glob.yaml", "globs are strings to a schema"),
    ("missing-rulebook.yaml", "whether a file exists"),
    (
        "unknown-builtin.yaml",
        "the names of the built-in rulebooks",
    ),
];

fn beyond(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_str().unwrap();
    BEYOND_A_SCHEMA.iter().any(|(n, _)| *n == name)
}

#[test]
fn rulebooks_validate_against_the_rulebook_schema() {
    let (schemas, index) = compile(schema_of("rulebook"));
    for valid in [
        root().join("rules/fzzf-annual.yaml"),
        root().join("fixtures/rulebooks/valid-minimal.yaml"),
    ]
    .into_iter()
    .chain(yaml_files(&root().join("fixtures/config/valid/rules")))
    {
        assert_eq!(
            validates(&schemas, index, &valid),
            Some(true),
            "{}",
            valid.display()
        );
    }
    let invalid = yaml_files(&root().join("fixtures/rulebooks/invalid"));
    let mut judged = 0;
    for path in &invalid {
        let ok = validates(&schemas, index, path).unwrap_or(false);
        if beyond(path) {
            assert!(ok, "{} is listed as beyond a schema", path.display());
        } else {
            judged += 1;
            assert!(!ok, "{} validates", path.display());
        }
    }
    assert!(judged >= 9, "{judged}");
}

#[test]
fn configurations_validate_against_the_config_schema() {
    let (schemas, index) = compile(schema_of("config"));
    let valid = root().join("fixtures/config/valid/reportlint.yaml");
    assert_eq!(validates(&schemas, index, &valid), Some(true));
    let mut judged = 0;
    for path in yaml_files(&root().join("fixtures/config/invalid")) {
        let ok = validates(&schemas, index, &path).unwrap_or(false);
        if beyond(&path) {
            assert!(ok, "{} is listed as beyond a schema", path.display());
        } else {
            judged += 1;
            assert!(!ok, "{} validates", path.display());
        }
    }
    assert!(judged >= 5, "{judged}");
}

/// docs/rulebook.schema.json and docs/config.schema.json are `rules schema`'s output.
#[test]
fn the_committed_schemas_are_up_to_date() {
    for (what, file) in [
        ("rulebook", "docs/rulebook.schema.json"),
        ("config", "docs/config.schema.json"),
    ] {
        let r = run(&["rules", "schema", what]);
        let committed = std::fs::read_to_string(root().join(file)).unwrap_or_default();
        assert!(
            r.stdout == committed,
            "{file} is stale: run `cargo run -- rules schema {what} > {file}`"
        );
    }
}

//! Rulebooks built on others: switching an inherited rule off or changing its severity,
//! replacing it by id, overriding a `let` the parent's rules use; conflicts between unrelated
//! rulebooks; `--rulebook builtin:NAME`; the configured rulebooks in `explain` and `rules list`.

use crate::{root, run, seed_path};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn json_outcomes(stdout: &str) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap();
    v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["outcome"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const CHILD: &str = r#"rulebook: county
extends: [builtin:fzzf-annual]
let:
  # The parent's FZ002 and FZ003 use this: a county also calls its shortcomings 改进方向.
  shortcoming_heading: /不足|问题|短板|差距|薄弱|改进方向/
rules:
  - {id: FZ015, severity: off}
  - {id: FZ003, severity: error}
  - id: FZ008
    name: title-names-the-county
    title: 标题须写明县名
    severity: info
    assert: (report.title ?? "") ~ /县/
"#;

/// A child rulebook switches an inherited rule off, raises another, replaces a third by id and
/// overrides a `let` the parent's rules use.
#[test]
fn a_child_adjusts_replaces_and_overrides_what_it_inherits() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(dir.path(), "county.yaml", CHILD);
    let report = write(
        dir.path(),
        "r.txt",
        "某镇2023年度法治政府建设情况报告\n一、主要举措和成效\n全年办理政务服务事项2764件。\n二、改进方向\n执法能力有待提高。\n",
    );
    let r = run(&["check", "--format", "json", "--rulebook", &book, &report]);
    assert_eq!(r.stderr, "");
    let outcomes = json_outcomes(&r.stdout);
    let of = |id: &str| {
        outcomes
            .iter()
            .filter(|(r, _, _)| r == id)
            .map(|(_, o, s)| (o.as_str(), s.as_str()))
            .collect::<Vec<_>>()
    };
    assert!(of("FZ015").is_empty(), "switched off: {outcomes:?}");
    // The `let` reaches the parent's rule: 改进方向 is a shortcomings part now…
    assert_eq!(of("FZ002"), [("pass", "error")]);
    // …so FZ003 applies, and fails at the severity the child gave it.
    assert_eq!(of("FZ003"), [("fail", "error")]);
    assert_eq!(
        of("FZ008"),
        [("fail", "info")],
        "replaced by the child's rule"
    );

    let list = run(&["rules", "list", &book]);
    assert!(
        list.stdout
            .contains("FZ015  outline-coverage            off"),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout
            .contains("FZ008  title-names-the-county      info"),
        "{}",
        list.stdout
    );
    let explain = run(&["explain", "FZ002", "--rulebook", &book]);
    assert!(
        explain
            .stdout
            .contains("let shortcoming_heading: /不足|问题|短板|差距|薄弱|改进方向/"),
        "{}",
        explain.stdout
    );
}

/// Mistakes in adjustments are one error each, at the entry.
#[test]
fn adjusting_what_is_not_inherited_is_an_error_at_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(
        dir.path(),
        "county.yaml",
        "rulebook: county\nextends: [builtin:fzzf-annual]\nlet:\n  court_rate: has_section(/出庭/)\nrules:\n  - {id: FZ016, severity: off}\n",
    );
    let r = run(&["rules", "validate", &book]);
    assert_eq!(r.code, 2);
    for part in [
        "no inherited rule `FZ016` to set the severity of",
        "did you mean `FZ006`?",
        // One error for a `let` of another type, not one per parent rule that uses it.
        "`court_rate` replaces the `let` of builtin:fzzf-annual, a regex, with a bool",
        "county.yaml: 2 errors",
    ] {
        assert!(r.stderr.contains(part), "missing {part}:\n{}", r.stderr);
    }
    let book = write(
        dir.path(),
        "more.yaml",
        "rulebook: more\nextends: [builtin:fzzf-annual]\nrules:\n  - {id: FZ014, severity: off, help: 不需要}\n",
    );
    let r = run(&["rules", "validate", &book]);
    assert!(
        r.stderr
            .contains("`help` in rule `FZ014`, which has no `assert`")
            && r.stderr.contains("more.yaml: 1 error"),
        "{}",
        r.stderr
    );
}

/// Two rulebooks of one run defining one id, neither extending the other: an error naming both
/// places, never a silent replacement.
#[test]
fn two_unrelated_rulebooks_defining_one_id_is_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |book: &str| {
        format!(
            "rulebook: {book}\nrules:\n  - {{id: XY001, name: a-{book}, title: t, severity: info, assert: \"true\"}}\n"
        )
    };
    let a = write(dir.path(), "a.yaml", &rule("a"));
    let b = write(dir.path(), "b.yaml", &rule("b"));
    let seed = seed_path("xinkou-2023");
    let r = run(&[
        "check",
        "--rulebook",
        &a,
        "--rulebook",
        &b,
        seed.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("rule `XY001` is defined by")
            && r.stderr.contains("a.yaml:3:")
            && r.stderr.contains("b.yaml:3:"),
        "{}",
        r.stderr
    );
    // A rulebook and one that extends it: the child's version, no error.
    let c = write(
        dir.path(),
        "c.yaml",
        "rulebook: c\nextends: [a.yaml]\nrules:\n  - {id: XY001, severity: error}\n",
    );
    let r = run(&["rules", "list", &a, &c]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("XY001  a-a  error"), "{}", r.stdout);
}

/// `--rulebook builtin:NAME` works as the configuration's `builtin:NAME` does.
#[test]
fn rulebook_builtin_name_on_the_command_line() {
    let seed = seed_path("xinkou-2023");
    let named = run(&[
        "check",
        "--rulebook",
        "builtin:fzzf-annual",
        seed.to_str().unwrap(),
    ]);
    let default = run(&["check", seed.to_str().unwrap()]);
    assert_eq!(named.code, default.code);
    assert_eq!(named.stderr, "");
    let r = run(&[
        "check",
        "--rulebook",
        "builtin:fzzf",
        seed.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no built-in rulebook `fzzf`"),
        "{}",
        r.stderr
    );
}

/// With rulebooks named on the command line, the configuration's severities for rules they do
/// not have are a single note, not an error per rule.
#[test]
fn config_settings_for_rules_an_explicit_rulebook_lacks_are_one_note() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(
        dir.path(),
        "only.yaml",
        "rulebook: only\nrules:\n  - {id: XY001, name: a, title: t, severity: info, assert: \"true\"}\n",
    );
    let config = root().join("fixtures/config/valid/reportlint.yaml");
    let seed = seed_path("xinkou-2023");
    let r = run(&[
        "check",
        "--config",
        config.to_str().unwrap(),
        "--rulebook",
        &book,
        seed.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("note: "), "{}", r.stderr);
    assert!(r.stderr.contains("`FZ015`") && r.stderr.contains("do not apply"));
}

/// `explain` and `rules list` use the configured rulebooks (here with `--config`), and
/// `--isolated` ignores the configuration.
#[test]
fn explain_and_list_use_the_configured_rulebooks() {
    let config = root().join("fixtures/config/valid/reportlint.yaml");
    let config = config.to_str().unwrap();
    let listed = run(&["rules", "list", "--config", config]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let local =
        std::fs::read_to_string(root().join("fixtures/config/valid/rules/local.yaml")).unwrap();
    let local_id = local
        .lines()
        .find_map(|l| l.trim().strip_prefix("- id: "))
        .unwrap();
    assert!(listed.stdout.contains(local_id), "{}", listed.stdout);
    // The configuration switches FZ015 off.
    assert!(
        listed
            .stdout
            .lines()
            .any(|l| l.contains("FZ015") && l.contains(" off ")),
        "{}",
        listed.stdout
    );
    let explained = run(&["explain", local_id, "--config", config]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    let isolated = run(&["explain", local_id, "--isolated"]);
    assert_eq!(isolated.code, 2);
}

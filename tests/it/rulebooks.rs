//! Rulebook errors as users see them: `rules validate` on one broken rulebook per error class,
//! each a reviewed snapshot (colour off, width 100) whose caret must sit under the right character.

use crate::{root, run};

#[test]
fn every_invalid_rulebook_is_reported_at_the_right_place() {
    let dir = root().join("fixtures/rulebooks/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "one fixture per error class: {}",
        files.len()
    );
    for path in files {
        let rel = path.strip_prefix(root()).unwrap();
        let r = run(&["rules", "validate", rel.to_str().unwrap()]);
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert_eq!(r.code, 2, "{name} must be refused");
        assert_eq!(r.stdout, "", "{name}");
        insta::assert_snapshot!(format!("invalid-{name}"), r.stderr);
    }
}

#[test]
fn the_caret_after_chinese_text_is_announced_at_the_character_column() {
    let r = run(&[
        "rules",
        "validate",
        "fixtures/rulebooks/invalid/chinese-before-error.yaml",
    ]);
    let text = std::fs::read_to_string(
        root().join("fixtures/rulebooks/invalid/chinese-before-error.yaml"),
    )
    .unwrap();
    let line = text.lines().nth(7).unwrap();
    let col = line[..line.find("出庭率").unwrap()].chars().count() + 1;
    assert!(
        r.stderr
            .contains(&format!("chinese-before-error.yaml:8:{col}]")),
        "{}",
        r.stderr
    );
}

#[test]
fn all_errors_of_all_files_in_one_run() {
    let r = run(&[
        "rules",
        "validate",
        "fixtures/rulebooks/invalid/multiple-errors.yaml",
        "fixtures/rulebooks/valid-minimal.yaml",
        "fixtures/rulebooks/invalid/unknown-function.yaml",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("multiple-errors.yaml: 4 errors"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("unknown-function.yaml: 1 error"));
    assert!(r.stdout.contains("valid-minimal.yaml: ok, 15 rules"));
}

#[test]
fn the_builtin_rulebook_is_valid_and_listed() {
    let r = run(&["rules", "validate", "rules/fzzf-annual.yaml"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "rules/fzzf-annual.yaml: ok, 15 rules\n")
    );
    let r = run(&["rules", "list"]);
    assert_eq!(r.code, 0);
    for id in ["FZ001", "FZ008", "FZ015"] {
        assert!(r.stdout.contains(id), "{}", r.stdout);
    }
    let fz005 = r.stdout.lines().find(|l| l.contains("FZ005")).unwrap();
    let cols: Vec<&str> = fz005.split_whitespace().collect();
    assert_eq!(
        cols[..3],
        ["FZ005", "next-year-arrangements", "error"],
        "{fz005}"
    );
}

#[test]
fn explain_shows_basis_condition_and_examples() {
    let r = run(&["explain", "FZ005"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for part in [
        "FZ005 next-year-arrangements (error)",
        "basis: 《法治政府建设与责任落实督察工作规定》第二十五条（四）",
        "assert:",
        "has_section(next_year)",
        "example pass 1:",
        "example fail 1:",
    ] {
        assert!(r.stdout.contains(part), "missing {part}:\n{}", r.stdout);
    }
    let r = run(&["explain", "FZ05"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `FZ005`?"), "{}", r.stderr);
}

#[test]
fn functions_are_documented_in_one_table() {
    let r = run(&["rules", "functions"]);
    assert_eq!(r.code, 0);
    for f in reportlint::expr::library::FUNCTIONS {
        assert!(r.stdout.contains(&f.signature()), "{} undocumented", f.name);
    }
    assert!(r.stdout.contains("figure(re: regex) -> figure"));
}

#[test]
fn every_builtin_rule_example_behaves_as_labelled() {
    let r = run(&["rules", "test"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // 40 rule examples and 18 indicator examples.
    assert!(r.stdout.ends_with("58 passed, 0 failed\n"), "{}", r.stdout);
    let book = reportlint::rulebook::load_builtin("fzzf-annual")
        .unwrap()
        .unwrap();
    for rule in &book.rules {
        assert!(
            rule.basis.is_some() && rule.help.is_some(),
            "{} needs basis and help",
            rule.id
        );
        assert!(
            !rule.examples_pass.is_empty() && !rule.examples_fail.is_empty(),
            "{} needs a passing and a failing example",
            rule.id
        );
    }
    assert!(book.indicators.len() >= 10);
    for ind in &book.indicators {
        assert!(
            ind.examples.iter().any(|(_, v)| v.is_some()),
            "indicator {} needs an example with a value",
            ind.id
        );
    }
}

#[test]
fn a_wrong_example_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.yaml");
    std::fs::write(
        &path,
        "rulebook: t\nrules:\n  - id: T001\n    name: next-year\n    title: t\n    severity: error\n    assert: has_section(/下一年度/)\n    examples:\n      pass: [\"一、主要举措\\n正文。\"]\n",
    )
    .unwrap();
    let r = run(&["rules", "test", path.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("FAILED  T001 example pass 1: the rule gave Fail"),
        "{}",
        r.stdout
    );
}

/// docs/rules/fzzf-annual.md is generated from the rulebook: it must not drift.
#[test]
fn the_rule_reference_is_up_to_date() {
    let r = run(&["rules", "doc"]);
    let committed = std::fs::read_to_string(root().join("docs/rules/fzzf-annual.md")).unwrap();
    assert!(
        r.stdout == committed,
        "docs/rules/fzzf-annual.md is stale: run `cargo run -- rules doc > docs/rules/fzzf-annual.md`"
    );
}

/// 100 000 nested parentheses: a clear error, no stack overflow.
#[test]
fn a_hundred_thousand_parentheses_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.yaml");
    let deep = format!("{}true{}", "(".repeat(100_000), ")".repeat(100_000));
    std::fs::write(
        &path,
        format!("rulebook: deep\nrules:\n  - id: D001\n    name: deep\n    title: t\n    severity: info\n    assert: {deep}\n"),
    )
    .unwrap();
    let r = run(&["rules", "validate", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("expr::syntax"),
        "{}",
        &r.stderr[..r.stderr.len().min(500)]
    );
    assert!(r.stderr.contains("1 error"));
}

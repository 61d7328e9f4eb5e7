//! Rulebook errors as users see them: `rules validate` on one broken rulebook per error class,
//! each a reviewed snapshot (colour off, width 100) whose caret must sit under the right character.

use crate::{root, run};
use reportlint::rulebook::Expect;

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
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 40 rule examples and 18 indicator examples.
    assert_eq!(r.stdout, "58 passed, 0 failed\n");
    let book = reportlint::rulebook::load_builtin("fzzf-annual")
        .unwrap()
        .unwrap();
    for rule in &book.rules {
        assert!(
            rule.basis.is_some() && rule.help.is_some(),
            "{} needs basis and help",
            rule.id
        );
        let has = |e: Expect| rule.examples.iter().any(|x| x.expect == e);
        assert!(
            has(Expect::Pass) && has(Expect::Fail),
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

/// The built-in rulebook's examples and its fixture folder (`rules/fzzf-annual.tests/`: a
/// complete report and a flawed draft, each with its expected findings) run here.
#[test]
fn the_builtin_rulebook_passes_its_examples_and_fixtures() {
    let r = run(&["rules", "test", "rules/fzzf-annual.yaml"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "60 passed, 0 failed\n", "")
    );
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const RATE_RULE: &str = r#"rulebook: county
rules:
  - id: XY001
    name: rate-full
    title: 出庭率应达到100%
    severity: warning
    for: m in figures(/出庭(应诉)?率/)
    when: m.unit == "%"
    assert: m.value >= 100%
    message: "{m.label}为{m.text}"
    examples:
      pass: [全年行政机关负责人出庭率100%。]
      fail:
        - text: |
            全年办理行政诉讼案件4起。
            行政机关负责人出庭率85%。
          message: 出庭率为85%
          line: 2
      not_applicable: [全年行政机关负责人出庭12次。]
  - id: XY002
    name: signed
    title: 须署日期
    severity: error
    assert: report.date <= date(report.year + 1, 3, 1)
    examples:
      unknown:
        - {text: "某镇2023年度法治政府建设情况报告", message: report.date}
"#;

/// Examples may expect pass, fail, unknown or not applicable, with the message and the line.
#[test]
fn examples_expect_every_outcome_with_message_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(dir.path(), "county.yaml", RATE_RULE);
    let r = run(&["rules", "test", &book]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "4 passed, 0 failed\n", "")
    );
}

/// A wrong example is a diagnostic at the example, with what the rule said and why.
#[test]
fn a_wrong_example_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let broken = RATE_RULE
        .replace(
            "pass: [全年行政机关负责人出庭率100%。]",
            "pass: [全年行政机关负责人出庭率95%。]",
        )
        .replace("line: 2", "line: 1")
        .replace("unknown:", "pass:");
    let book = write(dir.path(), "county.yaml", &broken);
    let r = run(&["rules", "test", &book]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "1 passed, 3 failed\n");
    for part in [
        "XY001 rate-full: the pass example 1 gave fail",
        "county.yaml:12:14]",
        "expected pass, got fail",
        "the rule said: 行政机关负责人出庭率为95% (line 1)",
        "XY001 rate-full: the fail example 1 gave fail but not with `出庭率为85%` at line 1",
        "the rule said: 行政机关负责人出庭率为85% (line 2)",
        "XY002 signed: the pass example 1 gave unknown",
        "unknown because `report.date` is missing (the report has no date)",
    ] {
        assert!(r.stderr.contains(part), "missing {part}:\n{}", r.stderr);
    }
}

/// A fixture folder next to the rulebook: each report against its `*.expected.yaml`; a
/// mismatch is labelled at the expectation.
#[test]
fn fixture_folders_compare_findings_with_expectations() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(dir.path(), "county.yaml", RATE_RULE);
    write(
        dir.path(),
        "county.tests/low.txt",
        "全年办理行政诉讼案件4起。\n行政机关负责人出庭率85%。\n",
    );
    write(
        dir.path(),
        "county.tests/low.expected.yaml",
        "findings:\n  - {rule: XY001, outcome: fail, line: 2}\n  - {rule: XY002, outcome: unknown}\n",
    );
    let r = run(&["rules", "test", &book]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "5 passed, 0 failed\n"),
        "{}",
        r.stderr
    );

    write(
        dir.path(),
        "county.tests/low.expected.yaml",
        "findings:\n  - {rule: XY001, outcome: pass}\n  - {rule: XY003, outcome: fail}\n",
    );
    let r = run(&["rules", "test", &book]);
    assert_eq!((r.code, r.stdout.as_str()), (1, "4 passed, 1 failed\n"));
    for part in [
        "low.txt: expected XY001 to pass",
        "low.expected.yaml:2:12]",
        "XY001 gave fail: 行政机关负责人出庭率为85% (line 2)",
        "no rule `XY003` in the rulebooks under test",
        "did you mean `XY001`?",
    ] {
        assert!(r.stderr.contains(part), "missing {part}:\n{}", r.stderr);
    }
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

/// `rules init` scaffolds a rulebook that passes `rules test` at once, with its fixture folder
/// and the schema editors complete against; it never overwrites.
#[test]
fn rules_init_scaffolds_a_rulebook_that_passes_its_tests() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("my-county");
    let target = target.to_str().unwrap();
    let r = run(&["rules", "init", target]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let book = dir.path().join("my-county.yaml");
    for created in [
        book.clone(),
        dir.path().join("my-county.tests/example.txt"),
        dir.path().join("my-county.tests/example.expected.yaml"),
        dir.path().join("rulebook.schema.json"),
    ] {
        assert!(created.is_file(), "{}", created.display());
        assert!(r.stdout.contains(&created.display().to_string()));
    }
    let text = std::fs::read_to_string(&book).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=rulebook.schema.json\n"));
    assert!(text.contains("extends: [builtin:fzzf-annual]") && text.contains("id: MC001"));
    let r = run(&["rules", "test", book.to_str().unwrap()]);
    // 58 of the built-in rulebook, 3 examples and 1 fixture of its own.
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "62 passed, 0 failed\n", "")
    );
    let schema = std::fs::read_to_string(dir.path().join("rulebook.schema.json")).unwrap();
    assert_eq!(
        schema,
        run(&["rules", "schema"]).stdout,
        "the schema written is the current one"
    );

    let again = run(&["rules", "init", target]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(&book).unwrap(), text);
    let bad = run(&[
        "rules",
        "init",
        dir.path().join("My County").to_str().unwrap(),
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("lowercase words joined by `-`"));
}

/// Rulebooks and configurations are UTF-8, with or without a byte order mark; a file in GBK is
/// named with the byte, its line and the fix.
#[test]
fn rulebooks_and_configurations_in_other_encodings_say_where_and_how_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let text = "rulebook: county\ntitle: 本县规则\nrules:\n  - {id: XY001, name: a, title: 标题, severity: info, assert: \"true\"}\n";
    let bom = dir.path().join("bom.yaml");
    std::fs::write(&bom, format!("\u{FEFF}{text}")).unwrap();
    let r = run(&["rules", "validate", bom.to_str().unwrap()]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let gbk = dir.path().join("gbk.yaml");
    std::fs::write(&gbk, encoding_rs::GBK.encode(text).0).unwrap();
    let r = run(&["rules", "validate", gbk.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("gbk.yaml")
            && r.stderr.contains("byte 24 (line 2)")
            && r.stderr
                .contains("looks like GBK/GB18030: save it as UTF-8"),
        "{}",
        r.stderr
    );
    let config = dir.path().join("reportlint.yaml");
    std::fs::write(
        &config,
        encoding_rs::GBK.encode("# 配置\nrules: {FZ015: off}\n").0,
    )
    .unwrap();
    let seed = crate::seed_path("xinkou-2023");
    let r = run(&[
        "check",
        "--config",
        config.to_str().unwrap(),
        seed.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("reportlint.yaml") && r.stderr.contains("byte 2 (line 1)"),
        "{}",
        r.stderr
    );
}

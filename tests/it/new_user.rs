//! Issue 9, "done means": a county justice bureau builds its rulebook on the built-in one as a
//! new user would, from the docs alone — `rules init`, an edit that `rules test` shows to be
//! wrong, the fix, then `check` with its configuration, a waiver and a baseline.

use crate::run;
use std::path::Path;

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Outcome and severity of every finding of `rule` in a one-report JSON run.
fn of(stdout: &str, rule: &str) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap();
    v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["outcome"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A county report: its shortcomings give no causes (FZ003), and 4 of its 8 cases were lost.
const REPORT: &str = "某县2024年度法治政府建设情况报告

一、主要举措和成效
（一）坚持党的领导。县委书记、县长切实履行推进法治建设第一责任人职责，带头学法。
（二）深化放管服改革。全年办理政务服务事项2764件，持续优化营商环境。
（三）化解行政争议。全年共办理行政诉讼案件8件，败诉4件，行政机关负责人出庭应诉率100%。

二、存在的不足
法治宣传覆盖面不够广，执法人员专业能力有待提高。

三、下一年度主要安排
（一）加强法治宣传教育。
（二）提升执法人员能力。

某县人民政府
2025年2月26日
";

#[test]
fn a_county_builds_its_rulebook_checks_waives_and_baselines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let book = d.join("my-county.yaml");
    let book_s = book.to_str().unwrap();

    // 1. Scaffold: passes its own tests at once.
    let r = run(&["rules", "init", d.join("my-county").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["rules", "test", book_s]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);

    // 2. The county means "under 10%": it adds an example of exactly 10% that must fail…
    let text = read(&book).replace(
        "          message: 超过10%\n",
        "          message: 超过10%\n        - 全年共办理行政诉讼案件20件，败诉2件。\n",
    );
    write(&book, &text);
    let r = run(&["rules", "test", book_s]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.ends_with("1 failed\n"), "{}", r.stdout);
    let at = text.lines().position(|l| l.contains("败诉2件")).unwrap() + 1;
    for part in [
        "MC001 loss-rate-within-limit: the fail example 2 gave pass".to_string(),
        format!("my-county.yaml:{at}:"),
        "expected fail, got pass".to_string(),
        "the rule passed: its condition held on this snippet".to_string(),
    ] {
        assert!(r.stderr.contains(&part), "missing {part}:\n{}", r.stderr);
    }
    // …and fixes the condition: the rule passes all its examples and fixtures again.
    let text = text.replace(
        "assert: lost_cases.value / litigation.value <= 10%",
        "assert: lost_cases.value / litigation.value < 10%",
    );
    // It also switches off a built-in rule it does not want.
    let text = text.replace(
        "  # - {id: FZ015, severity: off}",
        "  - {id: FZ015, severity: off}",
    );
    write(&book, &text);
    let r = run(&["rules", "test", book_s]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);

    // 3. The project: its rulebook, and FZ003 raised to an error in the configuration.
    write(&d.join("county.txt"), REPORT);
    let report = d.join("county.txt");
    let report = report.to_str().unwrap();
    let config = d.join("reportlint.yaml");
    let config_s = config.to_str().unwrap();
    let base = "rulebooks: [my-county.yaml]\nrules:\n  FZ003: error\n";
    write(&config, base);
    let r = run(&["check", "--config", config_s, "--format", "json", report]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(of(&r.stdout, "FZ003"), [("fail".into(), "error".into())]);
    assert_eq!(
        of(&r.stdout, "MC001"),
        [("fail".into(), "warning".into())],
        "4 of 8 lost"
    );
    assert!(
        of(&r.stdout, "FZ015").is_empty(),
        "switched off in the rulebook"
    );
    assert_eq!(of(&r.stdout, "FZ001"), [("pass".into(), "error".into())]);

    // 4. A waiver silences FZ003 until its date; past it, the run is an error naming it.
    let waiver = |until: &str| {
        format!(
            "{base}waivers:\n  - {{rule: FZ003, path: county.txt, reason: 原因分析另行报送, until: {until}, by: 法制科}}\n"
        )
    };
    write(&config, &waiver("2099-12-31"));
    let r = run(&["check", "--config", config_s, "--format", "json", report]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(of(&r.stdout, "FZ003"), [("waived".into(), "error".into())]);
    write(&config, &waiver("2024-12-31"));
    let r = run(&["check", "--config", config_s, report]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("the waiver of FZ003 on `county.txt` expired on 2024-12-31")
    );
    write(&config, &waiver("2099-12-31"));

    // 5. A baseline of today's failures: only a newly introduced defect fails.
    let baseline = d.join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    let r = run(&[
        "check",
        "--config",
        config_s,
        "--fail-on",
        "warning",
        "--write-baseline",
        baseline,
        report,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&[
        "check",
        "--config",
        config_s,
        "--fail-on",
        "warning",
        "--baseline",
        baseline,
        report,
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("基线已有 1 项"), "{}", r.stdout);
    write(&d.join("county.txt"), &REPORT.replace("2764件", "XX件"));
    let r = run(&[
        "check",
        "--config",
        config_s,
        "--format",
        "json",
        "--baseline",
        baseline,
        report,
    ]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let failing: Vec<&str> = v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] == "fail")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(failing, ["FZ012"], "only the new placeholder");
}

/// The county's loss-rate rule, written from docs/rule-language.md: lost cases over cases is a
/// percentage, so 4 lost of 8 is 50 % — not within 10 % — and 1 of 20 is.
#[test]
fn the_county_loss_rate_rule_is_right_for_four_of_eight() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("county.yaml");
    write(
        &book,
        r#"rulebook: county
extends: [builtin:fzzf-annual]
rules:
  - id: XA001
    name: loss-rate
    title: 行政诉讼败诉率不得超过10%
    severity: error
    when: figure(/败诉/) != null and figure(/行政诉讼/) != null
    assert: figure(/败诉/).value / figure(/行政诉讼/).value <= 10%
    examples:
      fail: [全年共办理行政诉讼案件8件，败诉4件。]
      pass: [全年共办理行政诉讼案件20件，败诉1件。]
"#,
    );
    let r = run(&["rules", "test", book.to_str().unwrap()]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    // Written as the issue's author first did, against a bare number: refused at load time.
    write(&book, &read(&book).replace("<= 10%", "<= 10"));
    let r = run(&["rules", "validate", book.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("`a / b` of two numbers is a ratio: write `10%`")
            || r.stderr
                .contains("a percentage cannot be compared with an int"),
        "{}",
        r.stderr
    );
}

//! Waivers (known exceptions with an expiry date, in the configuration) and baselines (the
//! failures accepted for now, so that a run fails only on new ones).

use crate::{run, seed_text};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn outcomes(stdout: &str) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap();
    v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] != "pass" && f["outcome"] != "not_applicable")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn config_with(waiver: &str) -> String {
    format!("rulebooks: [builtin:fzzf-annual]\nwaivers:\n  - {waiver}\n")
}

/// xinkou has no signature (FZ009, an error): a waiver until 2099 reports it as waived, counted
/// and listed, and the run no longer fails on it.
#[test]
fn a_waiver_reports_the_failure_as_waived_until_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let report = write(dir.path(), "xinkou.txt", &seed_text("xinkou-2023"));
    let config = write(
        dir.path(),
        "reportlint.yaml",
        &config_with(
            "{rule: FZ009, path: \"*.txt\", reason: 纸质件已签章, until: 2099-12-31, by: 法制科}",
        ),
    );
    let before = run(&["check", "--isolated", &report]);
    assert_eq!(before.code, 1);
    let r = run(&["check", "--config", &config, &report]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("已豁免： ")
            && r.stdout.contains("FZ009 signed-and-dated")
            && r.stdout
                .contains("waived until 2099-12-31 by 法制科: 纸质件已签章"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("已豁免 1 项"), "{}", r.stdout);
    let json = run(&["check", "--config", &config, "--format", "json", &report]);
    assert!(outcomes(&json.stdout).contains(&("FZ009".into(), "waived".into())));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["summary"]["waived"], 1);
    assert_eq!(v["summary"]["errors"], 0);
}

/// A waiver past its date is an error naming it: an exception cannot become permanent silently.
#[test]
fn an_expired_waiver_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let report = write(dir.path(), "xinkou.txt", &seed_text("xinkou-2023"));
    let config = write(
        dir.path(),
        "reportlint.yaml",
        &config_with(
            "{rule: FZ009, path: \"*.txt\", reason: 纸质件已签章, until: 2020-06-30, by: 法制科}",
        ),
    );
    let r = run(&["check", "--config", &config, &report]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("the waiver of FZ009 on `*.txt` expired on 2020-06-30")
            && r.stderr.contains("reportlint.yaml:3:")
            && r.stderr.contains("accepted by 法制科"),
        "{}",
        r.stderr
    );
}

/// A waiver that matched nothing is a warning; a mistaken one an error at its place.
#[test]
fn waivers_that_match_nothing_warn_and_broken_ones_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let report = write(dir.path(), "xinkou.txt", &seed_text("xinkou-2023"));
    let config = write(
        dir.path(),
        "reportlint.yaml",
        &config_with(
            "{rule: FZ009, path: \"archive/**\", reason: 旧档, until: 2099-12-31, by: 法制科}",
        ),
    );
    let r = run(&["check", "--config", &config, &report]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("the waiver of FZ009 on `archive/**` matched no failure"),
        "{}",
        r.stderr
    );
    let config = write(
        dir.path(),
        "reportlint.yaml",
        &config_with("{rule: FZ099, path: \"*.txt\", until: 2099-13-01, by: 法制科}"),
    );
    let r = run(&["check", "--config", &config, &report]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("waiver #1 lacks `reason`"),
        "{}",
        r.stderr
    );
}

/// A baseline records today's failures; a later run fails only on new ones, recognising the
/// recorded ones after lines above them moved, and says how many it left out.
#[test]
fn a_baseline_makes_only_new_failures_fail() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed_text("xinkou-2023");
    let report = write(dir.path(), "xinkou.txt", &text);
    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    let r = run(&["check", "--isolated", "--write-baseline", baseline, &report]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("failures to the baseline"),
        "{}",
        r.stderr
    );
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(baseline).unwrap()).unwrap();
    let n = recorded["findings"].as_array().unwrap().len();
    assert!(n >= 3, "{recorded}");

    // Nothing new, lines moved: nothing fails.
    let moved = format!("\n\n{text}");
    std::fs::write(&report, &moved).unwrap();
    let r = run(&[
        "check",
        "--isolated",
        "--baseline",
        baseline,
        "--format",
        "json",
        &report,
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["baselined"], n);
    assert!(!outcomes(&r.stdout).iter().any(|(_, o)| o == "fail"));

    // A new defect: a placeholder left in. Only it fails.
    std::fs::write(&report, format!("{moved}\n全年办理政务服务事项XX件。\n")).unwrap();
    let r = run(&[
        "check",
        "--isolated",
        "--baseline",
        baseline,
        "--format",
        "json",
        &report,
    ]);
    assert_eq!(r.code, 1);
    let failing: Vec<_> = outcomes(&r.stdout)
        .into_iter()
        .filter(|(_, o)| o == "fail")
        .collect();
    assert_eq!(failing, [("FZ012".to_string(), "fail".to_string())]);
    let human = run(&["check", "--isolated", "--baseline", baseline, &report]);
    assert!(
        human.stdout.contains(&format!("基线已有 {n} 项")),
        "{}",
        human.stdout
    );
}

//! What a CI dashboard shows: a broken run never looks clean in any format, SARIF results are
//! fingerprinted and linked to the rule reference.

use crate::{root, run, seed_text};
use std::fs;

/// `ci/`: two good reports and one that cannot be read (binary data under a .txt name).
fn ci_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ci = dir.path().join("ci");
    fs::create_dir(&ci).unwrap();
    fs::write(ci.join("a-xinzhuang.txt"), seed_text("xinzhuang-2023")).unwrap();
    fs::write(
        ci.join("b-broken.txt"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    fs::write(ci.join("c-wangbao.txt"), seed_text("wangbao-2023")).unwrap();
    dir
}

/// The case: `reportlint check ci/` with one unreadable file shows the failure in the
/// SARIF, JUnit and GitHub outputs (and JSON, JSON Lines), not only in the exit status.
#[test]
fn one_unreadable_file_shows_in_every_format() {
    let dir = ci_dir();
    let ci = dir.path().join("ci");
    let ci = ci.to_str().unwrap();
    let broken = format!("{ci}/b-broken.txt");

    let r = run(&["check", "--format", "sarif", ci]);
    assert_eq!(r.code, 2);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(notes[0]["descriptor"]["id"], "input::binary");
    assert!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/ci/b-broken.txt")
    );
    assert!(
        log["runs"][0]["results"].as_array().unwrap().len() > 1,
        "the good reports' findings are still there"
    );

    let r = run(&["check", "--format", "junit", ci]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains(" errors=\"1\" "), "{}", &r.stdout[..300]);
    let suite = format!(
        "<testsuite name=\"{broken}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">"
    );
    assert!(r.stdout.contains(&suite), "{}", r.stdout);
    assert!(r.stdout.contains("<error type=\"input::binary\""));

    let r = run(&["check", "--format", "github", ci]);
    assert_eq!(r.code, 2);
    let error = r
        .stdout
        .lines()
        .find(|l| l.contains("b-broken.txt"))
        .expect("an annotation on the broken file");
    assert!(
        error.starts_with(&format!("::error file={broken},")),
        "{error}"
    );
    assert!(error.ends_with("binary data at byte 8; this is not a text report"));

    let r = run(&["check", "--format", "json", ci]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["errors"][0]["path"], broken.as_str());
    assert_eq!(v["errors"][0]["code"], "input::binary");
    assert_eq!(v["reports"].as_array().unwrap().len(), 2);
    let r = run(&["check", "--format", "jsonl", ci]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[lines.len() - 2].starts_with("{\"error\":{\"path\":"));
}

/// Each rule's helpUri points at its own section of the rule reference, which exists; the
/// driver names the project.
#[test]
fn sarif_links_rules_to_their_reference_sections() {
    let r = run(&["check", "--format", "sarif", "fixtures/reports"]);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], reportlint::REPOSITORY);
    let reference = fs::read_to_string(root().join("docs/rules/fzzf-annual.md")).unwrap();
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 15);
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let uri = rule["helpUri"].as_str().unwrap();
        let (doc, anchor) = uri.split_once('#').unwrap();
        assert_eq!(
            doc,
            format!(
                "{}/blob/main/docs/rules/fzzf-annual.md",
                reportlint::REPOSITORY
            )
        );
        // GitHub's anchor of `## FZ001` is `fz001`.
        assert_eq!(anchor, id.to_ascii_lowercase());
        assert!(reference.contains(&format!("\n## {id}\n")), "{id}");
    }
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let fp = result["partialFingerprints"]["reportlint/evidence/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fp.len(), 16);
    }
}

/// The fingerprint follows the evidence, not the line: a finding keeps it when text is inserted
/// above, so a dashboard does not see a new alert.
#[test]
fn fingerprints_survive_lines_inserted_above() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let text = seed_text("xinkou-2023");
    fs::write(&a, &text).unwrap();
    let prints = |path: &std::path::Path| -> Vec<(String, String, u64)> {
        let r = run(&["check", "--format", "sarif", path.to_str().unwrap()]);
        let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["reportlint/evidence/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap_or(0),
                )
            })
            .collect()
    };
    let before = prints(&a);
    let (first, rest) = text.split_once('\n').unwrap();
    fs::write(&a, format!("{first}\n\n（内部审阅稿）\n{rest}")).unwrap();
    let after = prints(&a);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1));
        if b.2 > 1 {
            assert_eq!(a.2, b.2 + 2, "the line moved, the fingerprint did not");
        }
    }
}

//! Robustness against hostile input: sizes that took minutes or gigabytes before, each guarded
//! by a test that asserts the result (the sizes make the old behaviour impractically slow).

use crate::run;
use std::fs;

/// 100 000 headings: evidence was de-duplicated by scanning every span gathered so far, so
/// `check` was quadratic in the number of headings (80 000 took 4 s, 1 000 000 never finished).
#[test]
fn check_is_linear_in_the_number_of_headings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("headings.txt");
    fs::write(&path, "一、x\n".repeat(100_000)).unwrap();
    let r = run(&["check", "--format", "jsonl", path.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The date rule cannot be decided (there is no date) and points at the last line.
    let unknown = r
        .stdout
        .lines()
        .find(|l| l.contains("\"FZ010\"") && l.contains("\"unknown\""))
        .unwrap_or_else(|| panic!("no FZ010 unknown:\n{}", r.stdout));
    assert!(unknown.contains("\"line\":100000"), "{unknown}");
}

/// A minimal rulebook with `extends` entries.
fn rulebook(id: &str, extends: &[&str]) -> String {
    format!(
        "rulebook: {id}\nextends: [{}]\nrules:\n  - id: X001\n    name: has-title\n    title: 有标题\n    severity: error\n    assert: report.title != null\n",
        extends.join(", ")
    )
}

/// A rulebook, an `extends` entry or `--config` naming /dev/zero grew memory without end; a
/// named pipe blocked forever. Both are refused before they are opened.
#[cfg(unix)]
#[test]
fn rulebook_and_config_pointing_at_devices_and_pipes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::os::unix::fs::symlink("/dev/zero", p.join("zero.yaml")).unwrap();
    let fifo = p.join("pipe.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    fs::write(p.join("a.yaml"), rulebook("a", &["zero.yaml", "pipe.yaml"])).unwrap();
    let r = run(&["rules", "validate", p.join("a.yaml").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a character device, not a regular file"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("a named pipe (FIFO), not a regular file"),
        "{}",
        r.stderr
    );
    for direct in ["/dev/zero", fifo.to_str().unwrap()] {
        let r = run(&["rules", "validate", direct]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    }
    let report = crate::seed_path("wangbao-2023");
    let r = run(&["check", "--config", "/dev/zero", report.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/dev/zero") && r.stderr.contains("a character device"),
        "{}",
        r.stderr
    );
}

/// `extends: [s/../c.yaml]` is a new path string at every level: the cycle check compared
/// strings and loaded ~818 nested copies (a stack overflow in debug builds). Paths are now
/// compared canonical.
#[test]
fn extends_cycle_through_dot_dot_is_found() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("s")).unwrap();
    let c = dir.path().join("c.yaml");
    fs::write(&c, rulebook("c", &["s/../c.yaml"])).unwrap();
    let r = run(&["rules", "validate", c.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`s/../c.yaml` extends itself"),
        "{}",
        r.stderr
    );
}

/// A chain of distinct rulebooks, each extending the next, stops at the depth limit.
#[test]
fn extends_chain_deeper_than_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        let next = format!("r{}.yaml", i + 1);
        fs::write(
            dir.path().join(format!("r{i}.yaml")),
            rulebook(&format!("r{i}"), &[&next]),
        )
        .unwrap();
    }
    fs::write(dir.path().join("r40.yaml"), rulebook("r40", &[])).unwrap();
    let r = run(&[
        "rules",
        "validate",
        dir.path().join("r0.yaml").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    let limit = reportlint::limits::MAX_EXTENDS_DEPTH;
    assert!(
        r.stderr
            .contains(&format!("`extends` nested deeper than {limit} rulebooks")),
        "{}",
        r.stderr
    );
}

/// A rulebook over the rule limit is told to split itself, not that it may be an alias bomb.
#[test]
fn too_many_rules_get_the_right_hint() {
    let dir = tempfile::tempdir().unwrap();
    let limit = reportlint::limits::MAX_RULES;
    let mut text = String::from("rulebook: big\nrules:\n");
    for i in 0..=limit {
        text.push_str(&format!(
            "  - id: X{i:04}\n    name: rule-{i}\n    title: 规则\n    severity: error\n    assert: \"true\"\n"
        ));
    }
    let path = dir.path().join("big.yaml");
    fs::write(&path, text).unwrap();
    let r = run(&["rules", "validate", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "the rulebook has {} rules; the limit is {limit}",
            limit + 1
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("split the rules"), "{}", r.stderr);
    assert!(!r.stderr.contains("alias bomb"), "{}", r.stderr);
}

/// A 1 MB report on one line, with residue to report all along it. FZ013's regex had an unbounded
/// `\S+` before a literal and a Unicode `\b`: the regex engine left its fast automaton on Chinese
/// text and every search ran on to the end of the line, so one 3 MB line took 3.5 s and the
/// 50 MB line of the limits test 844 s (now 2 s). Each of the 20 000 residues is reported.
#[test]
fn one_long_line_with_many_residues_is_checked_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-line.txt");
    let unit = "全年办理行政诉讼案件3件并公开附件名称为说明材料.docx文件,,以便查阅。";
    fs::write(&path, unit.repeat(10_000)).unwrap();
    let r = run(&["check", "--format", "jsonl", path.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let residues = r
        .stdout
        .lines()
        .filter(|l| l.contains("\"FZ013\"") && l.contains("\"fail\""))
        .count();
    // Each unit has a file name and a doubled comma.
    assert!(residues >= 20_000, "{residues} FZ013 findings");
}

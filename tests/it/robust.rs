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

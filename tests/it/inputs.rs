//! Inputs a CI job or a shell gives: standard input, paths that yield nothing, BOM-less UTF-16.
//! Nothing is skipped in silence: every named path that gives no report is an error naming it,
//! and a run that checked nothing exits 2 and says why.

use crate::{root, run, seed_path, seed_text};
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs the built binary with `input` on its standard input.
fn piped(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(args)
        .current_dir(root())
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // The child may stop reading early (an error); a broken pipe is no failure here.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The case: `cat report.txt | reportlint check -` checks the report like the file.
#[test]
fn cat_report_into_check_dash() {
    let text = std::fs::read(seed_path("nanfeng-2020")).unwrap();
    let (code, stdout, stderr) = piped(&["check", "--format", "jsonl", "-"], &text);
    let file = run(&[
        "check",
        "--format",
        "jsonl",
        "fixtures/reports/nanfeng-2020.txt",
    ]);
    assert_eq!(code, i32::from(file.code), "{stderr}");
    let findings = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.contains("\"summary\""))
            .map(|l| l.split_once(",\"rule\"").unwrap().1.to_string())
            .collect()
    };
    assert_eq!(findings(&stdout), findings(&file.stdout));
    assert!(
        stdout.starts_with("{\"path\":\"-\","),
        "standard input is `-`"
    );
    // `--stdin-filename` names it, and its extension gives the format.
    let html = crate::support::html_from_text(&seed_text("nanfeng-2020"));
    let (_, stdout, stderr) = piped(
        &[
            "check",
            "--stdin-filename",
            "南丰/2020.html",
            "--format",
            "sarif",
            "-",
        ],
        html.as_bytes(),
    );
    let log: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "%E5%8D%97%E4%B8%B0/2020.html");
    assert!(
        !stdout.contains("SCRIPT-MUST-NOT-APPEAR"),
        "read as HTML, not as text"
    );
}

#[test]
fn empty_standard_input_is_an_error() {
    let (code, _, stderr) = piped(&["check", "-"], b"");
    assert_eq!(code, 2);
    assert!(stderr.contains("-: the file is empty"), "{stderr}");
    assert!(stderr.contains("nothing was checked"), "{stderr}");
}

/// A folder without reports, `/dev/null`, and a FIFO named on the command line: each is an error
/// that names it; with nothing else to check the run exits 2 and says why.
#[test]
fn named_paths_that_give_no_report_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("photo.jpg"), b"\xff\xd8\xff").unwrap();
    let d = dir.path().to_str().unwrap();
    let r = run(&["check", d]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains(&format!("{d}: no reports in this directory")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("reportlint: nothing was checked: the input could not be read"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "check",
        d,
        "/dev/null",
        "fixtures/reports/xinzhuang-2023.txt",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("/dev/null: a character device, not a regular file"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("已检查 1 份报告"),
        "the good one is checked"
    );
    assert!(!r.stderr.contains("nothing was checked"));
}

/// A folder whose only reports the configuration excludes gives no report either.
#[test]
fn a_folder_whose_reports_are_all_excluded_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("drafts")).unwrap();
    std::fs::write(p.join("drafts/a.txt"), seed_text("xinkou-2023")).unwrap();
    std::fs::write(p.join("reportlint.yaml"), "exclude: [\"**/drafts/**\"]\n").unwrap();
    let cfg = p.join("reportlint.yaml");
    let drafts = p.join("drafts");
    let r = run(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        drafts.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no reports in this directory"),
        "{}",
        r.stderr
    );
}

/// UTF-16 written without a BOM was called binary; it is detected, and `--encoding utf-16le`
/// reads it too.
#[test]
fn utf16_without_bom_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.txt");
    let text = seed_text("xinzhuang-2023");
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(&path, bytes).unwrap();
    let want = run(&[
        "check",
        "--format",
        "json",
        "fixtures/reports/xinzhuang-2023.txt",
    ]);
    let summary = |s: &str| {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        let mut s = v["summary"].clone();
        s["elapsed_ms"] = 0.into();
        s
    };
    for args in [vec![], vec!["--encoding", "utf-16le"]] {
        let mut a = vec!["check", "--format", "json"];
        a.extend(args);
        a.push(path.to_str().unwrap());
        let r = run(&a);
        assert_eq!(r.code, want.code, "{}", r.stderr);
        assert_eq!(summary(&r.stdout), summary(&want.stdout));
    }
}

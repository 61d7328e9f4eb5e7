//! Directory walks as ripgrep users expect: ignore files, hidden files, `node_modules`, files
//! named twice, files that are not regular, and file names that are not UTF-8.

use crate::{run, seed_text};
use std::fs;
use std::path::Path;

/// The report paths a JSON run checked, relative to `dir`.
fn checked(stdout: &str, dir: &Path) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("one JSON document");
    v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let p = r["path"].as_str().unwrap();
            p.strip_prefix(&format!("{}/", dir.display()))
                .unwrap_or(p)
                .to_string()
        })
        .collect()
}

/// A Git repository as people have them: reports, a `.gitignore`d drafts folder, dependencies
/// in `node_modules/`, hidden tool folders, the repository's README.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(p)
        .status()
        .expect("git runs");
    assert!(git.success());
    for (file, seed) in [
        ("reports/2023/xinzhuang.txt", "xinzhuang-2023"),
        ("reports/2023/wangbao.txt", "wangbao-2023"),
        ("drafts/xinkou-draft.txt", "xinkou-2023"),
        ("node_modules/some-package/readme.md", "xinkou-2023"),
        (".cache/copy.txt", "xinkou-2023"),
        ("notes/local.txt", "xinkou-2023"),
    ] {
        fs::create_dir_all(p.join(file).parent().unwrap()).unwrap();
        fs::write(p.join(file), seed_text(seed)).unwrap();
    }
    fs::write(p.join(".gitignore"), "drafts/\n").unwrap();
    fs::write(p.join("notes/.ignore"), "*.txt\n").unwrap();
    fs::write(
        p.join("README.md"),
        "# 本仓库\n\n存放各镇法治政府建设年度报告。\n",
    )
    .unwrap();
    dir
}

/// The issue's case: `check .` in a repository checks the reports and nothing else.
#[test]
fn check_dot_in_a_repository_checks_only_the_reports() {
    let dir = repository();
    let p = dir.path().to_str().unwrap();
    let r = run(&["check", "--format", "json", p]);
    assert_eq!(
        checked(&r.stdout, dir.path()),
        ["reports/2023/wangbao.txt", "reports/2023/xinzhuang.txt"],
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr, "", "nothing to warn about");
    // Each exclusion can be lifted.
    let r = run(&["check", "--format", "json", "--hidden", p]);
    assert_eq!(
        checked(&r.stdout, dir.path()),
        [
            ".cache/copy.txt",
            "reports/2023/wangbao.txt",
            "reports/2023/xinzhuang.txt"
        ]
    );
    let r = run(&["check", "--format", "json", "--no-ignore", p]);
    assert_eq!(
        checked(&r.stdout, dir.path()),
        [
            "README.md",
            "drafts/xinkou-draft.txt",
            "node_modules/some-package/readme.md",
            "notes/local.txt",
            "reports/2023/wangbao.txt",
            "reports/2023/xinzhuang.txt"
        ]
    );
    // The same, typed in the repository: `reportlint check .`.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "--format", "json", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        checked(&String::from_utf8(out.stdout).unwrap(), dir.path()),
        ["./reports/2023/wangbao.txt", "./reports/2023/xinzhuang.txt"]
    );
    // A file named explicitly is always checked, ignored or not.
    let draft = dir.path().join("drafts/xinkou-draft.txt");
    let r = run(&["check", "--format", "json", draft.to_str().unwrap()]);
    assert_eq!(checked(&r.stdout, dir.path()), ["drafts/xinkou-draft.txt"]);
}

#[test]
fn a_report_named_twice_is_checked_once() {
    let dir = repository();
    let report = dir.path().join("reports/2023/wangbao.txt");
    let reports = dir.path().join("reports");
    let r = run(&[
        "check",
        "--format",
        "json",
        report.to_str().unwrap(),
        reports.to_str().unwrap(),
        report.to_str().unwrap(),
    ]);
    assert_eq!(
        checked(&r.stdout, dir.path()),
        ["reports/2023/wangbao.txt", "reports/2023/xinzhuang.txt"]
    );
}

/// In a walk, a FIFO, a link to a device and a link loop are each named in a warning and never
/// opened (the run would block on the FIFO); the reports beside them are checked.
#[cfg(unix)]
#[test]
fn files_that_are_not_regular_are_named_never_opened() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("good.txt"), seed_text("xinzhuang-2023")).unwrap();
    let fifo = std::ffi::CString::new(p.join("pipe.txt").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    symlink("/dev/zero", p.join("zero.txt")).unwrap();
    symlink(p.join("b.txt"), p.join("a.txt")).unwrap();
    symlink(p.join("a.txt"), p.join("b.txt")).unwrap();
    let r = run(&["check", "--format", "json", p.to_str().unwrap()]);
    assert_eq!(checked(&r.stdout, p), ["good.txt"]);
    assert_eq!(r.code, 0, "warnings do not fail the run: {}", r.stderr);
    for (file, what) in [
        (
            "pipe.txt",
            "a FIFO (named pipe), not a regular file: not read",
        ),
        (
            "zero.txt",
            "a character device, not a regular file: not read",
        ),
        ("a.txt", "symbolic link loop: not followed"),
        ("b.txt", "symbolic link loop: not followed"),
    ] {
        let line = format!("{}/{file}: {what}", p.display());
        assert!(r.stderr.contains(&line), "{line}\n{}", r.stderr);
    }
    // Named on the command line, each is an error: exit 2, named.
    let pipe = p.join("pipe.txt");
    let a = p.join("a.txt");
    let good = p.join("good.txt");
    let r = run(&[
        "check",
        pipe.to_str().unwrap(),
        a.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "{}: a FIFO (named pipe), not a regular file",
            pipe.display()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("{}: symbolic link loop", a.display())),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("已检查 1 份报告"),
        "the good one was checked"
    );
}

/// A GBK file name (not UTF-8): human output shows it as a `$'…'` escape a shell turns back into
/// the same bytes; SARIF's URI percent-encodes the real bytes.
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_reported_faithfully() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    // `辛口` in GBK.
    let name = std::ffi::OsStr::from_bytes(b"\xd0\xc1\xbf\xda.txt");
    let path = dir.path().join(name);
    fs::write(&path, seed_text("xinkou-2023")).unwrap();
    let d = dir.path().to_str().unwrap();
    let human = run(&["check", d]);
    let shown = format!(r"$'{d}/\xd0\xc1\xbf\xda.txt'");
    assert!(human.stdout.contains(&shown), "{}", human.stdout);
    assert!(!human.stdout.contains('\u{FFFD}'));
    let sarif = run(&["check", "--format", "sarif", d]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(uri.ends_with("/%D0%C1%BF%DA.txt"), "{uri}");
    assert!(uri.starts_with("file:///"), "{uri}");
}

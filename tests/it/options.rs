//! The options ruff and ripgrep users reach for, on the seeds: -q, --statistics, -o, --select,
//! --ignore, --min-severity, --format concise and gitlab, -j, --fail-on-unknown, --show-files,
//! --show-settings; shell completions and the man page from the clap definition.

use crate::run;

const SEEDS: &str = "fixtures/reports";

/// The (rule, outcome, severity) of every failure and unknown of a run, from JSON Lines.
fn reported(args: &[&str]) -> Vec<(String, String, String)> {
    let mut a = vec!["check", "--format", "jsonl"];
    a.extend_from_slice(args);
    a.push(SEEDS);
    let r = run(&a);
    r.stdout
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let outcome = v["outcome"].as_str()?;
            (outcome == "fail" || outcome == "unknown").then(|| {
                (
                    v["rule"].as_str().unwrap().to_string(),
                    outcome.to_string(),
                    v["severity"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

#[test]
fn quiet_prints_findings_without_the_summary() {
    let loud = run(&["check", "--format", "concise", SEEDS]);
    let quiet = run(&["check", "--format", "concise", "-q", SEEDS]);
    assert_eq!(quiet.code, loud.code);
    let last = loud.stdout.lines().last().unwrap();
    assert!(last.starts_with("已检查 5 份报告"), "{last}");
    assert_eq!(
        quiet.stdout,
        loud.stdout.strip_suffix(&format!("{last}\n")).unwrap()
    );
}

#[test]
fn concise_is_one_line_per_finding() {
    let r = run(&["check", "--format", "concise", "-q", SEEDS]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    // 17 failures and 2 unknowns on the seeds.
    assert_eq!(lines.len(), 19);
    assert!(lines.contains(
        &"fixtures/reports/nanfeng-2020.txt:41:106: FZ013 [warning] 疑似抽取残留：发挥发挥"
    ));
    let line = regex::Regex::new(r"^fixtures/reports/[a-z0-9-]+\.txt(:\d+:\d+)?: FZ\d{3} \[(error|warning|info|unknown)\] \S").unwrap();
    for l in &lines {
        assert!(line.is_match(l), "{l}");
    }
}

#[test]
fn statistics_count_each_rule() {
    let r = run(&["check", "--statistics", SEEDS]);
    assert_eq!(r.code, 1);
    let all = reported(&[]);
    let count = |rule: &str, outcome: &str| {
        all.iter()
            .filter(|(r, o, _)| r == rule && o == outcome)
            .count()
    };
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("{}  FZ015  outline-coverage", count("FZ015", "fail"))
    );
    assert!(
        lines.contains(
            &format!(
                "{}  FZ010  submitted-on-time (待定)",
                count("FZ010", "unknown")
            )
            .as_str()
        )
    );
    assert!(lines.last().unwrap().starts_with("已检查 5 份报告"));
    assert!(!r.stdout.contains("help:"), "no diagnostics");
    let r = run(&["check", "--statistics", "--format", "json", SEEDS]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--statistics"));
}

#[test]
fn output_file_gets_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.sarif");
    let r = run(&[
        "check",
        "--format",
        "sarif",
        "-o",
        file.to_str().unwrap(),
        SEEDS,
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 19);
    let r = run(&["check", "-o", "/no/such/dir/out.txt", SEEDS]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot write /no/such/dir/out.txt"),
        "{}",
        r.stderr
    );
}

#[test]
fn select_and_ignore_choose_rules() {
    let only: Vec<String> = reported(&["--select", "FZ013,FZ009"])
        .into_iter()
        .map(|(r, _, _)| r)
        .collect();
    assert!(!only.is_empty());
    assert!(
        only.iter().all(|r| r == "FZ013" || r == "FZ009"),
        "{only:?}"
    );
    let all = reported(&[]);
    let ignored = reported(&["--ignore", "outline-coverage", "--ignore", "FZ01"]);
    let want: Vec<_> = all
        .into_iter()
        .filter(|(r, _, _)| r != "FZ015" && !r.starts_with("FZ01"))
        .collect();
    assert_eq!(ignored, want);
    let r = run(&["check", "--select", "FZ099", SEEDS]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `FZ009`?"), "{}", r.stderr);
}

#[test]
fn min_severity_shows_less_and_fail_on_still_decides() {
    let all = reported(&[]);
    let warnings = reported(&["--min-severity", "warning"]);
    let want: Vec<_> = all
        .iter()
        .filter(|(_, _, s)| s != "info")
        .cloned()
        .collect();
    assert_eq!(warnings, want);
    assert!(all.len() > warnings.len());
    // Only warnings and infos on 辛庄: hidden infos do not change the exit status, --fail-on does.
    let xz = "fixtures/reports/xinzhuang-2023.txt";
    assert_eq!(run(&["check", "--min-severity", "warning", xz]).code, 0);
    assert_eq!(
        run(&[
            "check",
            "--min-severity",
            "warning",
            "--fail-on",
            "warning",
            xz
        ])
        .code,
        1
    );
    let r = run(&[
        "check",
        "--min-severity",
        "error",
        "--format",
        "concise",
        xz,
    ]);
    assert!(!r.stdout.contains("[warning]") && !r.stdout.contains("[info]"));
}

#[test]
fn fail_on_unknown_fails_an_undecided_rule() {
    // 辛口 has an unknown (no date for FZ010) and an error; with --fail-on never only the unknown
    // can fail the run.
    let xk = "fixtures/reports/xinkou-2023.txt";
    assert_eq!(run(&["check", "--fail-on", "never", xk]).code, 0);
    assert_eq!(
        run(&["check", "--fail-on", "never", "--fail-on-unknown", xk]).code,
        1
    );
    let xz = "fixtures/reports/xinzhuang-2023.txt";
    assert_eq!(
        run(&["check", "--fail-on", "never", "--fail-on-unknown", xz]).code,
        0,
        "辛庄 has no unknown"
    );
}

#[test]
fn threads_change_nothing_but_speed() {
    let strip = |s: String| -> String {
        s.lines()
            .filter(|l| !l.contains("elapsed_ms"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let one = run(&["check", "--format", "jsonl", "-j", "1", "fixtures"]);
    let four = run(&["check", "--format", "jsonl", "--threads", "4", "fixtures"]);
    assert_eq!(one.code, four.code);
    assert!(one.stdout.lines().count() > 100);
    assert_eq!(strip(one.stdout), strip(four.stdout));
    assert_eq!(run(&["check", "-j", "0", SEEDS]).code, 2);
}

#[test]
fn gitlab_code_quality_report() {
    let r = run(&["check", "--format", "gitlab", SEEDS]);
    assert_eq!(r.code, 1);
    let issues: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(issues.len(), 19);
    let prints: std::collections::HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), 19, "unique fingerprints");
    for i in &issues {
        assert!(["major", "minor", "info"].contains(&i["severity"].as_str().unwrap()));
        assert!(
            i["location"]["path"]
                .as_str()
                .unwrap()
                .starts_with("fixtures/reports/")
        );
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(i["check_name"].as_str().unwrap().starts_with("FZ"));
    }
}

#[test]
fn show_files_lists_what_a_configuration_selects() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("drafts")).unwrap();
    for f in ["a.txt", "b.md", "drafts/c.txt", "notes.jpg"] {
        std::fs::write(p.join(f), "一、总体情况\n").unwrap();
    }
    std::fs::write(
        p.join("reportlint.yaml"),
        "exclude: [\"drafts/**\"]\nrules:\n  FZ015: off\n",
    )
    .unwrap();
    let cfg = p.join("reportlint.yaml");
    let r = run(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "--show-files",
        p.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = p.display();
    assert_eq!(r.stdout, format!("{d}/a.txt\n{d}/b.md\n"));
    let r = run(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "--show-settings",
        "--ignore",
        "FZ001",
        p.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains(&format!("configuration: {}", cfg.display()))
    );
    assert!(r.stdout.contains("exclude: drafts/**"));
    assert!(r.stdout.contains("rules (14 run;"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("  FZ015  outline-coverage            off\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("FZ001"));
}

#[test]
fn completions_and_man_page_come_from_the_clap_definition() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}");
        for word in ["check", "min-severity", "stdin-filename", "sarif", "gitlab"] {
            // PowerShell's script completes options, not their values.
            if shell == "powershell" && ["sarif", "gitlab"].contains(&word) {
                continue;
            }
            assert!(r.stdout.contains(word), "{shell} completes {word}");
        }
    }
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
    let r = run(&["manpage"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with(".ie \\n(.g .ds Aq"), "roff");
    assert!(r.stdout.contains(".TH reportlint 1"));
    assert!(
        r.stdout.contains("reportlint\\-check(1)"),
        "points at the check page"
    );
    let dir = tempfile::tempdir().unwrap();
    let r = run(&["manpage", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let check = std::fs::read_to_string(dir.path().join("reportlint-check.1")).unwrap();
    for option in ["\\-\\-select", "\\-\\-no\\-ignore", "\\-\\-output\\-file"] {
        assert!(check.contains(option), "{option} in reportlint-check.1");
    }
}

/// pre-commit names every changed file: with --force-exclude the configuration's excludes apply
/// to named files too, and a run left with nothing to check is no failure.
#[test]
fn force_exclude_applies_the_configuration_to_named_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("drafts")).unwrap();
    std::fs::write(p.join("drafts/a.txt"), crate::seed_text("nanfeng-2020")).unwrap();
    std::fs::write(p.join("b.txt"), crate::seed_text("xinzhuang-2023")).unwrap();
    std::fs::write(p.join("reportlint.yaml"), "exclude: [\"drafts/**\"]\n").unwrap();
    let cfg = p.join("reportlint.yaml");
    let (a, b) = (p.join("drafts/a.txt"), p.join("b.txt"));
    let args = |extra: &[&str], files: &[&std::path::Path]| {
        let mut v = vec![
            "check",
            "--format",
            "concise",
            "--config",
            cfg.to_str().unwrap(),
        ];
        v.extend_from_slice(extra);
        v.extend(files.iter().map(|f| f.to_str().unwrap()));
        run(&v)
    };
    let named = args(&[], &[&a, &b]);
    assert!(
        named.stdout.contains("drafts/a.txt"),
        "named files are checked"
    );
    assert_eq!(named.code, 1);
    let forced = args(&["--force-exclude"], &[&a, &b]);
    assert!(!forced.stdout.contains("drafts/a.txt"));
    assert!(
        forced.stdout.contains("已检查 1 份报告"),
        "{}",
        forced.stdout
    );
    assert_eq!(forced.code, 0);
    let nothing = args(&["--force-exclude"], &[&a]);
    assert_eq!(nothing.code, 0, "{}", nothing.stderr);
    assert!(
        nothing
            .stderr
            .contains("the configuration excludes every file named")
    );
}

#[test]
fn max_findings_shows_the_first_and_counts_the_rest() {
    let seed = "fixtures/reports/nanfeng-2020.txt";
    let all = run(&["check", "--color", "never", seed]);
    let cut = run(&["check", "--color", "never", "--max-findings", "2", seed]);
    assert_eq!(
        cut.code, all.code,
        "the exit status does not depend on what is shown"
    );
    // Four findings listed in full; two shown, two counted.
    let diagnostics = |s: &str| {
        s.lines()
            .filter(|l| l.contains(" × ") || l.contains(" ⚠ ") || l.contains(" ☞ "))
            .count()
    };
    assert_eq!(diagnostics(&all.stdout), 4, "{}", all.stdout);
    assert_eq!(diagnostics(&cut.stdout), 2, "{}", cut.stdout);
    assert!(
        cut.stdout
            .contains("……fixtures/reports/nanfeng-2020.txt：另有 2 项未显示（每份报告最多显示 2 项，见 --max-findings）"),
        "{}",
        cut.stdout
    );
    assert!(!all.stdout.contains("未显示"));
    // The summary still counts every finding.
    assert_eq!(
        all.stdout.lines().last().map(|l| l.split('（').next()),
        cut.stdout.lines().last().map(|l| l.split('（').next())
    );
    let none = run(&["check", "--color", "never", "--max-findings", "0", seed]);
    assert_eq!(diagnostics(&none.stdout), 4);
}

#[test]
fn max_file_size_refuses_a_larger_report_and_goes_on() {
    let small = "fixtures/reports/nanfeng-2020.txt"; // 8 547 bytes
    let large = "fixtures/reports/wangbao-2023.txt"; // 12 278 bytes
    let r = run(&[
        "check",
        "--format",
        "concise",
        "--max-file-size",
        "10K",
        small,
        large,
    ]);
    assert_eq!(r.code, 2, "an unreadable input fails the run");
    assert!(
        r.stderr.contains(
            "fixtures/reports/wangbao-2023.txt: the file is 12278 bytes; the limit is 10240 bytes"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--max-file-size"),
        "the error says how to raise it"
    );
    assert!(
        r.stdout.contains("fixtures/reports/nanfeng-2020.txt:"),
        "the other report is checked"
    );
    // Raised, both are read.
    let r = run(&[
        "check",
        "--format",
        "concise",
        "--max-file-size",
        "1M",
        small,
        large,
    ]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    // A size that is no size is refused before anything is read.
    let r = run(&["check", "--max-file-size", "4G", small]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("32-bit"), "{}", r.stderr);
}

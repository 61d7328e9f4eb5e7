//! A Chinese reviewer reads an all-Chinese page: every fixed word of the human format (labels,
//! help and basis headings, undecided notes, the summary) is Chinese by default, English with
//! `--lang en`.

use crate::run;
use reportlint::rulebook::load_builtin;

/// The ASCII words of a human page that are not quotes of a report, identifiers (rule ids and
/// names, paths) or the findings' own words (a message quoting `work` found in a report, a help
/// text's `XX` placeholder), which come from the reports and the rulebook.
fn stray_words(page: &str) -> Vec<String> {
    let book = load_builtin("fzzf-annual").unwrap().unwrap();
    let mut names: Vec<String> = book.rules.iter().map(|r| r.name.clone()).collect();
    let word = regex::Regex::new(r"[A-Za-z][A-Za-z-]*").unwrap();
    let jsonl = run(&["check", "--format", "jsonl", "fixtures/reports"]).stdout;
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["message", "help", "basis"] {
            if let Some(text) = v[key].as_str() {
                names.extend(word.find_iter(text).map(|w| w.as_str().to_string()));
            }
        }
    }
    let quote = regex::Regex::new(r"^\s*\d+ │").unwrap();
    let path = regex::Regex::new(r"fixtures/reports/[a-z0-9-]+\.txt").unwrap();
    let mut stray = Vec::new();
    for line in page.lines().filter(|l| !quote.is_match(l)) {
        let line = path.replace_all(line, "");
        for w in word.find_iter(&line) {
            let w = w.as_str();
            let id = w.len() == 2 && w == "FZ";
            if !id && !names.iter().any(|n| n == w) {
                stray.push(w.to_string());
            }
        }
    }
    stray
}

/// The issue's case, on the five seeds: failures, labels on evidence and on missing parts, help,
/// basis, undecided rules, the summary.
#[test]
fn the_human_page_is_all_chinese() {
    let r = run(&["check", "fixtures/reports"]);
    assert_eq!(r.code, 1);
    for must in [
        "此处",
        "应在此处附近",
        "  建议：",
        "  依据：",
        "待定：",
        "已检查 5 份报告",
    ] {
        assert!(r.stdout.contains(must), "{must}");
    }
    // The only ASCII words left are in quotes of the reports themselves (`work 提示` in 辛口 is
    // a finding of FZ013, quoted) and identifiers.
    assert_eq!(stray_words(&r.stdout), Vec::<String>::new(), "{}", r.stdout);
}

#[test]
fn english_on_request() {
    let r = run(&["check", "--lang", "en", "fixtures/reports"]);
    for must in [
        "╰── here",
        "expected near here",
        "  help: ",
        "  basis: ",
        "could not be decided",
        "checked 5 reports: 5 errors",
    ] {
        assert!(r.stdout.contains(must), "{must}");
    }
    assert!(!r.stdout.contains("建议：") && !r.stdout.contains("已检查"));
    let r = run(&["check", "--lang", "en", "--statistics", "fixtures/reports"]);
    assert!(
        r.stdout.contains("submitted-on-time (unknown)"),
        "{}",
        r.stdout
    );
}

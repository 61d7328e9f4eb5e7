//! Property tests over the whole parser: any report-like text gives a model whose spans are
//! valid byte ranges of the original on character boundaries, whose heading tree is well formed,
//! and whose checks finish with a verdict for every rule.

use proptest::prelude::*;
use reportlint::check::{check_report, overall};
use reportlint::report::parse;

fn report_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "一、",
        "（一）",
        "(二)",
        "1.",
        "2、",
        "（1）",
        "一是",
        "二是",
        "三是",
        "。",
        "，",
        "：",
        "；",
        "\n",
        "\n\n",
        " ",
        "\u{3000}",
        "法治政府建设",
        "情况报告",
        "2023年",
        "2024年2月29日",
        "二〇二四年二月二十九日",
        "出庭率",
        "100%",
        "１００％",
        "85%",
        "18件",
        "两万余人次",
        "1767 起",
        "46.9531 万元",
        "某镇人民政府",
        "辛政呈〔2024〕1号",
        "常熟市人民政府：",
        "抄送：",
        "印发",
        "（此件公开发布）",
        "苏公网安备",
        "下一年度",
        "存在的不足",
        "原因",
        "第一责任人",
        "XX",
        "work",
        "發揮發揮",
        "楊舍鎮",
        "#",
        "**",
        "\r\n",
        "\u{200B}",
        "a",
        "9",
        "十一、",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

fn spans(v: &serde_json::Value, out: &mut Vec<(usize, usize)>) {
    match v {
        serde_json::Value::Object(m) => {
            if let (Some(s), Some(e), Some(_)) = (m.get("start"), m.get("end"), m.get("line")) {
                out.push((s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize));
            }
            m.values().for_each(|v| spans(v, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| spans(v, out)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_model_is_well_formed(text in report_like()) {
        let r = parse(text.clone(), &[]);
        let mut all = Vec::new();
        spans(&serde_json::to_value(&r).unwrap(), &mut all);
        for (s, e) in all {
            prop_assert!(s <= e && e <= text.len(), "{s}..{e} of {}", text.len());
            prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        }
        for (i, s) in r.sections.iter().enumerate() {
            if let Some(p) = s.parent {
                prop_assert!(p < i, "a parent comes first");
                prop_assert!(r.sections[p].level < s.level);
                prop_assert_eq!(s.depth, r.sections[p].depth + 1);
            }
            prop_assert!(s.span.start <= s.heading_span.start && s.heading_span.end <= s.span.end.max(s.heading_span.end));
        }
        for p in &r.paragraphs {
            let mut last = 0;
            for it in &p.items {
                prop_assert!(it.span.start >= p.span.start && it.span.end <= p.span.end);
                prop_assert!(it.span.start >= last, "items in order");
                last = it.span.start;
            }
        }
    }

    #[test]
    fn every_rule_gives_a_verdict(text in report_like()) {
        let book = reportlint::rulebook::load_builtin("fzzf-annual").unwrap().unwrap();
        let r = parse(text, &[]);
        let result = check_report("p.txt", &r, &book.rules, |rule| Some(rule.severity));
        for rule in &book.rules {
            let mine: Vec<_> = result.findings.iter().filter(|f| f.rule == rule.id).cloned().collect();
            prop_assert!(!mine.is_empty(), "{} gave no finding", rule.id);
            // A rule fails on a report exactly when one of its findings fails.
            let failed = mine.iter().any(|f| f.status == reportlint::check::finding::Status::Fail);
            prop_assert_eq!(overall(&mine) == reportlint::check::finding::Status::Fail, failed);
            for f in &mine {
                if let Some(s) = f.span {
                    prop_assert!(s.end <= r.original.len() && r.original.is_char_boundary(s.start));
                }
            }
        }
    }
}

fn mutated_rulebook() -> impl Strategy<Value = String> {
    let src = include_str!("../../rules/fzzf-annual.yaml");
    let edit = (
        0..src.chars().count(),
        0u8..3,
        prop::sample::select(vec![
            '(', ')', '[', ']', '{', '}', ':', '/', '\\', '"', '\'', '|', '>', '-', '#', '&', '*',
            '!', '%', '?', ',', ' ', '\n', '\t', '一', '出', 'X', '0', 'a',
        ]),
    );
    prop::collection::vec(edit, 1..8).prop_map(move |edits| {
        let mut chars: Vec<char> = src.chars().collect();
        for (at, op, c) in edits {
            let at = at.min(chars.len().saturating_sub(1));
            match op {
                0 => chars[at] = c,
                1 => {
                    chars.remove(at);
                }
                _ => chars.insert(at, c),
            }
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A damaged rulebook is refused with errors that each point into the file, or still loads.
    #[test]
    fn errors_in_damaged_rulebooks_point_into_the_file(text in mutated_rulebook()) {
        let file = reportlint::rulebook::SourceFile::new("r.yaml", text.as_str());
        if let Err(errors) = reportlint::rulebook::load(file, None) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                let s = e.span();
                prop_assert!(s.start <= s.end && s.end <= text.len(), "{}: {s:?}", e.message());
                prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            }
        }
    }
}

/// Large structured reports, the sizes libFuzzer does not reach: thousands of headings of every
/// level, items in paragraphs, and a line of up to 600 KB. Each generated heading
/// must become a section, and every rule must decide.
fn large_report() -> impl Strategy<Value = (String, usize)> {
    let block = (0usize..4, 1usize..8, 0usize..3);
    (prop::collection::vec(block, 1..2000), 0usize..20_000).prop_map(|(blocks, long)| {
        let cn = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        let mut text = String::from("某镇2023年法治政府建设情况报告\n");
        let mut headings = 0;
        for (k, (level, width, items)) in blocks.into_iter().enumerate() {
            let n = k % 9;
            let marker = match level {
                0 => format!("{}、", cn[n]),
                1 => format!("（{}）", cn[n]),
                2 => format!("{}.", n + 1),
                _ => format!("（{}）", n + 1),
            };
            text.push_str(&format!("{marker}推进依法行政工作\n"));
            headings += 1;
            let sentence = "全年办理行政诉讼案件18件，行政机关负责人出庭应诉率100%。";
            for i in 0..items {
                text.push_str(["一是", "二是", "三是"][i]);
                text.push_str(&sentence.repeat(width));
            }
            text.push('\n');
        }
        // One line of up to 600 KB.
        text.push_str(&"调处矛盾纠纷12910起，".repeat(long));
        (text, headings)
    })
}

/// Deep HTML in and out of foreign content (SVG, MathML): the parser's depth guard must hold
/// whatever the namespace, and the report's text must survive.
fn deep_html() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec!["div", "svg", "p", "math", "span", "table", "b"]);
    (prop::collection::vec(tag, 1..4000), 0usize..2000).prop_map(|(tags, selfclosing)| {
        let mut html = String::from("<html><body><p>一、主要举措和成效</p>");
        for t in &tags {
            html.push_str(&format!("<{t}>"));
        }
        html.push_str(&"<div/>".repeat(selfclosing));
        html.push_str("<p>全年办理行政诉讼案件18件。</p>");
        for t in tags.iter().rev() {
            html.push_str(&format!("</{t}>"));
        }
        html.push_str("</body></html>");
        html
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn large_structured_reports_keep_every_heading((text, headings) in large_report()) {
        let book = reportlint::rulebook::load_builtin("fzzf-annual").unwrap().unwrap();
        let r = parse(text, &[]);
        prop_assert_eq!(r.sections.len(), headings);
        let result = check_report("big.txt", &r, &book.rules, |rule| Some(rule.severity));
        for rule in &book.rules {
            prop_assert!(result.findings.iter().any(|f| f.rule == rule.id), "{} gave no finding", rule.id);
        }
    }

    #[test]
    fn deep_html_in_any_namespace_is_read_or_refused_cleanly(html in deep_html()) {
        let path = std::path::Path::new("deep.html");
        match reportlint::input::from_bytes(path, reportlint::input::Format::Html, html.as_bytes(), None) {
            Ok(source) => prop_assert!(source.text.contains("主要举措和成效"), "{}", source.text),
            Err(e) => prop_assert!(e.to_string().contains("nested deeper than"), "{e}"),
        }
    }
}

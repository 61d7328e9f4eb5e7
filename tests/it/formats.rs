//! The same seeds in other encodings and formats give the same headings, dates and figures.

use crate::support::{docx_from_paragraphs, html_from_text};
use crate::{SEEDS, digest, parse_bytes, seed_text};
use encoding_rs::{BIG5, GB18030};

#[test]
fn gb18030_reencoded_seeds_parse_the_same() {
    for name in SEEDS {
        let text = seed_text(name);
        let (bytes, _, unmappable) = GB18030.encode(&text);
        assert!(!unmappable, "{name}");
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "{name} really is not UTF-8 now"
        );
        let utf8 = digest(&parse_bytes("a.txt", text.as_bytes()));
        let gb = digest(&parse_bytes("a.txt", &bytes));
        assert_eq!(gb, utf8, "{name}");
        assert!(!utf8.headings.is_empty());
    }
}

#[test]
fn big5_traditional_seed_parses_the_same() {
    let text = seed_text("yangshe-2023-traditional");
    let (bytes, _, unmappable) = BIG5.encode(&text);
    assert!(!unmappable);
    assert_eq!(
        digest(&parse_bytes("a.txt", &bytes)),
        digest(&parse_bytes("a.txt", text.as_bytes()))
    );
}

#[test]
fn utf16_and_bom_seeds_parse_the_same() {
    let text = seed_text("xinzhuang-2023");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let plain = digest(&parse_bytes("a.txt", text.as_bytes()));
    assert_eq!(digest(&parse_bytes("a.txt", &utf16)), plain);
    assert_eq!(digest(&parse_bytes("a.txt", &bom)), plain);
}

#[test]
fn html_wrapped_seeds_parse_the_same_and_chrome_is_not_the_title() {
    for name in SEEDS {
        let text = seed_text(name);
        let html = html_from_text(&text);
        let from_html = parse_bytes("a.html", html.as_bytes());
        let plain = digest(&parse_bytes("a.txt", text.as_bytes()));
        assert_eq!(digest(&from_html), plain, "{name}");
        assert!(
            !from_html.original.contains("var ") && !from_html.original.contains('{'),
            "{name}: scripts and styles are dropped"
        );
        assert!(
            from_html.original.contains("无障碍"),
            "chrome is kept as text"
        );
    }
}

#[test]
fn docx_written_seeds_parse_the_same() {
    for name in SEEDS {
        let text = seed_text(name);
        // One DOCX paragraph per line; level-1 headings styled as Heading 1, as Word users do.
        let paragraphs: Vec<(&str, Option<u8>)> = text
            .lines()
            .map(|l| {
                let styled = l.contains('、') && l.chars().count() < 30 && !l.contains('。');
                (l, styled.then_some(1))
            })
            .collect();
        let bytes = docx_from_paragraphs(&paragraphs);
        let from_docx = parse_bytes("a.docx", &bytes);
        let plain = digest(&parse_bytes("a.txt", text.as_bytes()));
        assert_eq!(digest(&from_docx), plain, "{name}");
    }
}

#[test]
fn docx_heading_style_gives_a_level_to_unnumbered_headings() {
    let bytes = docx_from_paragraphs(&[
        ("某镇2023年度法治政府建设情况报告", None),
        ("2023年，某镇坚持依法行政，取得明显成效。", None),
        ("主要举措和成效", Some(1)),
        ("全年行政机关负责人出庭应诉率100%。", None),
        ("存在的不足", Some(1)),
        ("法治宣传覆盖面窄。", None),
    ]);
    let r = parse_bytes("a.docx", &bytes);
    let headings: Vec<(u8, &str)> = r
        .sections
        .iter()
        .map(|s| (s.level, s.title.as_str()))
        .collect();
    assert_eq!(headings, [(1, "主要举措和成效"), (1, "存在的不足")]);
    assert_eq!(r.figures[0].label, "行政机关负责人出庭应诉率");
}

#[test]
fn markdown_headings_are_recognised() {
    let md = "# 某镇2023年度法治政府建设情况报告\n\n2023年，某镇坚持依法行政。\n\n## 一、主要举措和成效\n\n### （一）依法决策\n\n**二、存在的不足**\n\n法治宣传覆盖面窄。\n";
    let r = parse_bytes("a.md", md.as_bytes());
    assert_eq!(
        r.title.as_ref().map(|t| t.text.as_str()),
        Some("某镇2023年度法治政府建设情况报告")
    );
    let headings: Vec<(&str, &str)> = r
        .sections
        .iter()
        .map(|s| (s.marker.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        headings,
        [
            ("一、", "主要举措和成效"),
            ("(一)", "依法决策"),
            ("二、", "存在的不足")
        ]
    );
}

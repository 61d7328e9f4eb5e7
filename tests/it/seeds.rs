//! The facts the issue names about the five seed reports, each checked against the model.

use crate::{parse_file, seed_path};
use reportlint::report::{HeadingKind, Report};

fn seed(name: &str) -> Report {
    parse_file(&seed_path(name))
}

fn level1(r: &Report) -> Vec<String> {
    r.sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| format!("{}{}", s.marker, s.title))
        .collect()
}

fn figure<'a>(r: &'a Report, label: &str) -> &'a reportlint::report::Figure {
    r.figures
        .iter()
        .find(|f| f.label.contains(label))
        .unwrap_or_else(|| panic!("no figure labelled {label}: {:#?}", r.figures))
}

#[test]
fn xinkou_has_four_parts_with_children_and_items_under_the_first() {
    let r = seed("xinkou-2023");
    assert_eq!(
        level1(&r),
        [
            "一、履行推进法治建设第一责任人职责情况",
            "二、主要举措与成效",
            "三、存在的不足与原因",
            "四、下一年度推进法治政府建设的主要安排",
        ]
    );
    // （一）（二）（三） under 二、, 三、 and 四、
    for parent in [1, 2, 3] {
        let idx = r
            .sections
            .iter()
            .position(|s| s.level == 1 && s.number == Some(parent + 1))
            .unwrap();
        let children: Vec<&str> = r
            .sections
            .iter()
            .filter(|s| s.parent == Some(idx))
            .map(|s| s.marker.as_str())
            .collect();
        assert_eq!(
            children,
            ["(一)", "(二)", "(三)"],
            "children of part {parent}"
        );
    }
    // 一是/二是/三是 belong to paragraphs of 一、
    let first = r.sections.iter().position(|s| s.marker == "一、").unwrap();
    let items: Vec<(u32, Option<usize>)> = r
        .paragraphs
        .iter()
        .flat_map(|p| p.items.iter().map(move |i| (i.ordinal, p.section)))
        .collect();
    assert_eq!(
        items,
        [(1, Some(first)), (2, Some(first)), (3, Some(first))]
    );
    // The third-level headings split title from body.
    let h = r
        .sections
        .iter()
        .find(|s| s.title == "依法全面履行职能")
        .unwrap();
    assert_eq!((h.kind, h.level, h.depth), (HeadingKind::Arabic, 3, 2));
}

#[test]
fn xinkou_rejoins_the_paragraph_broken_by_a_page_break() {
    let r = seed("xinkou-2023");
    let p = r
        .paragraphs
        .iter()
        .find(|p| p.text.contains("紧紧围绕推进国家治理体系"))
        .unwrap();
    assert!(
        p.text.contains("坚持依法行政,让权力在阳光下运行"),
        "{}",
        p.text
    );
    assert!(p.in_heading, "the body of the heading `1.依法全面履行职能`");
    // `…54 小时，` / blank / `全镇依法行政意识和能力明显提高。` is one paragraph too.
    assert!(
        r.paragraphs
            .iter()
            .any(|p| p.text.contains("人均学法学时54小时,全镇依法行政意识"))
    );
}

#[test]
fn xinkou_title_with_stray_spaces() {
    let r = seed("xinkou-2023");
    let title = r.title.as_ref().unwrap();
    assert_eq!(title.text, "西青区辛口镇2023年度法治政府建设情况报告");
    // The span covers the original, spaces and all.
    assert_eq!(
        r.original_text(title.span),
        "西青区辛口镇 2023 年度法治政府建设 情况报告"
    );
    assert_eq!(r.year.as_ref().unwrap().value, 2023);
    assert!(
        r.signature.is_none() && r.date.is_none(),
        "it ends without a signature"
    );
}

#[test]
fn xinzhuang_front_matter_signature_and_rate() {
    let r = seed("xinzhuang-2023");
    assert_eq!(r.doc_number.as_ref().unwrap().text, "辛政呈〔2024〕1号");
    assert_eq!(r.addressee.as_ref().unwrap().text, "常熟市人民政府");
    let date = r.date.as_ref().unwrap();
    assert_eq!(date.date.to_string(), "2024-02-29");
    assert_eq!(date.source, reportlint::report::Source::Signature);
    let sig = r.signature.as_ref().unwrap();
    assert_eq!(sig.issuer.as_ref().unwrap().text, "常熟市辛庄镇人民政府");
    let rate = figure(&r, "出庭率");
    assert_eq!(rate.label, "行政机关负责人出庭率");
    assert_eq!((rate.value, rate.unit.as_str()), (100.0, "%"));
    assert_eq!(r.original_text(rate.span), "100%");
    assert_eq!(r.original_text(rate.label_span), "行政机关负责人出庭率");
    // The footer: 抄送, the issuing office, the issue line.
    let kinds: Vec<_> = r.footer.iter().map(|f| f.kind).collect();
    use reportlint::report::FooterKind::*;
    assert_eq!(kinds, [CarbonCopy, Issued, Issued]);
}

#[test]
fn yangshe_traditional_parses_like_simplified() {
    let r = seed("yangshe-2023-traditional");
    let l1 = level1(&r);
    let markers: Vec<&str> = r
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| s.marker.as_str())
        .collect();
    assert_eq!(
        markers,
        ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    );
    assert_eq!(l1[0], "一、加强法治建设组织领导");
    let f = figure(&r, "调处纠纷");
    assert_eq!(
        (f.label.as_str(), f.value, f.unit.as_str()),
        ("调处纠纷", 12910.0, "起")
    );
    // The span points at the traditional original.
    assert_eq!(r.original_text(f.span), "12910起");
    assert_eq!(r.original_text(f.label_span), "調處糾紛");
    assert_eq!(r.date.as_ref().unwrap().date.to_string(), "2024-02-27");
    assert_eq!(r.addressee.as_ref().unwrap().text, "张家港市人民政府");
    assert_eq!(r.year.as_ref().unwrap().value, 2023);
    assert!(
        r.figures.iter().all(|f| !f.label.contains("出庭")),
        "it never mentions court appearance"
    );
    // The leftover web chrome is kept as a footer line.
    assert_eq!(
        r.footer.last().unwrap().kind,
        reportlint::report::FooterKind::WebChrome
    );
}

#[test]
fn wangbao_rate_and_next_year_heading() {
    let r = seed("wangbao-2023");
    let f = figure(&r, "出庭应诉率");
    assert_eq!((f.value, f.unit.as_str()), (100.0, "%"));
    assert!(level1(&r).contains(&"四、下一年度主要安排".to_string()));
    // The title wraps over two lines: `王鲍镇` / blank / `2023 年度…报告`.
    assert_eq!(
        r.title.as_ref().unwrap().text,
        "王鲍镇2023年度法治政府建设情况报告"
    );
    assert!(r.date.is_none());
}

#[test]
fn nanfeng_year_and_issue_date() {
    let r = seed("nanfeng-2020");
    assert_eq!(r.year.as_ref().unwrap().value, 2020);
    let date = r.date.as_ref().unwrap();
    assert_eq!(date.date.to_string(), "2021-01-29");
    assert_eq!(date.source, reportlint::report::Source::Issued);
    assert_eq!(r.doc_number.as_ref().unwrap().text, "南政发〔2021〕3号");
    assert_eq!(r.issuer.as_ref().unwrap().text, "张家港市南丰镇人民政府");
}

#[test]
fn every_span_is_inside_the_original_and_on_char_boundaries() {
    for name in crate::SEEDS {
        let r = seed(name);
        let json = serde_json::to_value(&r).unwrap();
        let mut spans = Vec::new();
        collect_spans(&json, &mut spans);
        assert!(spans.len() > 50, "{name}: only {} spans", spans.len());
        for (start, end) in spans {
            assert!(
                start <= end && end <= r.original.len(),
                "{name}: {start}..{end}"
            );
            assert!(r.original.is_char_boundary(start) && r.original.is_char_boundary(end));
        }
    }
}

fn collect_spans(v: &serde_json::Value, out: &mut Vec<(usize, usize)>) {
    match v {
        serde_json::Value::Object(m) => {
            if let (Some(s), Some(e), Some(_)) = (m.get("start"), m.get("end"), m.get("line")) {
                out.push((s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize));
            }
            m.values().for_each(|v| collect_spans(v, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_spans(v, out)),
        _ => {}
    }
}

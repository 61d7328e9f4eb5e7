//! Report stage: figures — every number with a unit, and the label it belongs to.
//!
//! `全年行政机关负责人出庭率 100%` gives the figure *行政机关负责人出庭率 = 100 %*;
//! `全年共计调处纠纷12910起` gives *调处纠纷 = 12910 起*; `1000 余人次` is approximate;
//! `两万余人次` is read from Chinese numerals (20000); `46.9531 万元` keeps 万元 as its unit and
//! `1.5万人次` becomes 15000 人次. The label is the clause before the number (back to the nearest
//! `，；：。、`), without the fillers that start (`全年`, `共计`, `2023年`, `我镇`…) or end it
//! (`达`, `为`…); when nothing is left, the words after the unit, then the previous figure's label.
//! Hands on: figures in document order.

use super::numerals::parse_number;
use super::{Doc, Paragraph, Span};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// A number with its unit and label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub value: f64,
    /// `%`, `件`, `起`, `次`, `人次`, `万元`, …
    pub unit: String,
    /// `1000余人次`, `约200人`, `99%以上`
    pub approximate: bool,
    pub label: String,
    pub label_span: Span,
    /// The number and unit as normalised (`100%`, `1767起`).
    pub text: String,
    pub span: Span,
    pub paragraph: usize,
    pub section: Option<usize>,
    #[serde(skip)]
    span_norm_end: usize,
}

/// A figure's value without trailing zeros: `100`, `46.9531`, `95.6`.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Units, longest first so that `人次` wins over `人`.
const UNITS: &str = "个学时|人次|户次|件次|批次|场次|项次|家次|万元|亿元|学时|小时|%|件|起|次|场|人|名|个|条|份|项|宗|户|批|家|单|处|期|篇|所|天|元|元";

static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)|([零〇一二两三四五六七八九十百千万亿]+))(万|亿)?(余|多)?({UNITS})"
    ))
    .unwrap()
});

/// How far back a label may reach, in bytes (keeps the scan linear on endless lines).
const LABEL_REACH: usize = 120;

const LEADING_FILLERS: &[&str] = &[
    "今年以来",
    "截至目前",
    "截止目前",
    "截至年底",
    "全年",
    "今年",
    "年内",
    "目前",
    "其中",
    "累计",
    "共计",
    "合计",
    "总计",
    "先后",
    "此外",
    "同时",
    "另外",
    "我镇",
    "本镇",
    "全镇",
    "我区",
    "全区",
    "区镇",
    "我街道",
    "以来",
    "共",
    "已",
    "并",
    "还",
    "均",
    "另",
    "和",
    "及",
    "以及",
    "且",
];
const TRAILING_FILLERS: &[&str] = &[
    "达到", "共计", "累计", "超过", "达", "为", "是", "约", "近", "共", "计", "逾", "占",
];

/// The clause without its fillers: a subslice of `s`.
fn strip_fillers(mut s: &str) -> &str {
    loop {
        let before = s.len();
        if let Some(rest) = LEADING_FILLERS.iter().find_map(|f| s.strip_prefix(f)) {
            s = rest;
        } else if let Some(m) = YEAR_PREFIX.find(s) {
            s = &s[m.end()..];
        }
        if let Some(rest) = TRAILING_FILLERS.iter().find_map(|f| s.strip_suffix(f)) {
            s = rest;
        }
        if s.len() == before {
            return s;
        }
    }
}

static YEAR_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:19|20)\d{2}年度?").unwrap());

fn is_clause_break(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '。' | '、' | '!' | '?' | '\n')
}

pub(crate) fn recognise(doc: &Doc, paragraphs: &[Paragraph]) -> Vec<Figure> {
    let mut out = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        let base = p.norm().start;
        let text = &doc.norm[p.norm()];
        let first_of_paragraph = out.len();
        for c in FIGURE.captures_iter(text) {
            let m = c.get(0).unwrap();
            let before = text[..m.start()].chars().next_back();
            // `V2.0`, `G20`, `第3次` are not counts.
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == '.' || b == '第') {
                continue;
            }
            let (mut value, num_range) = if let Some(d) = c.get(1) {
                match d.as_str().replace(',', "").parse::<f64>() {
                    Ok(v) => (v, d.range()),
                    Err(_) => continue,
                }
            } else {
                let run = c.get(2).unwrap();
                match chinese_value(run.as_str()) {
                    Some((skip, v)) => (v as f64, run.start() + skip..run.end()),
                    None => continue,
                }
            };
            let mut unit = c[5].to_string();
            if unit == "个学时" {
                unit = "学时".into();
            }
            if let Some(mult) = c.get(3) {
                if unit == "元" {
                    unit = format!("{}元", mult.as_str());
                } else {
                    value *= if mult.as_str() == "万" { 1e4 } else { 1e8 };
                }
            }
            let after = &text[m.end()..];
            let approximate = c.get(4).is_some()
                || after.starts_with("以上")
                || after.starts_with("左右")
                || ["约", "近", "逾", "超过"]
                    .iter()
                    .any(|w| text[..num_range.start].ends_with(w));

            // The label: the clause before the number.
            // It starts after the previous figure of the paragraph, if that is nearer.
            let prev_end = out[first_of_paragraph..]
                .last()
                .map_or(0, |f: &Figure| f.span_norm_end - base);
            let reach = num_range.start.saturating_sub(LABEL_REACH).max(prev_end);
            let reach = text.floor_char_boundary(reach);
            let clause_start = text[reach..num_range.start]
                .char_indices()
                .rev()
                .find(|&(_, c)| is_clause_break(c))
                .map_or(reach, |(i, c)| reach + i + c.len_utf8());
            let raw = &text[clause_start..num_range.start];
            let label = strip_fillers(raw.trim());
            // `label` is a subslice of `raw`: its offset is the difference of the pointers.
            let offset = label.as_ptr() as usize - raw.as_ptr() as usize;
            let mut label_range = clause_start + offset..clause_start + offset + label.len();
            let mut label = label.to_string();
            // `新增 3 名执法监督人员`, `现有12个省级民主法治示范村`: the counted thing follows
            // the unit; the words after it, up to the clause's end, finish the label.
            let tail = counted_after(after, &unit);
            if !tail.is_empty() {
                let tail_start = m.end() + (after.len() - after.trim_start_matches('的').len());
                let right_after_previous =
                    clause_start == reach && reach == prev_end && prev_end > 0;
                if label.is_empty() || right_after_previous {
                    // `1个全国民主法治示范村和36个省级…`: what precedes is the previous count's.
                    label = tail.to_string();
                    label_range = tail_start..tail_start + tail.len();
                } else {
                    label.push_str(tail);
                    label_range.end = tail_start + tail.len();
                }
            }
            if label.is_empty()
                && let Some(prev) = out[first_of_paragraph..].last()
            {
                let prev: &Figure = prev;
                label = prev.label.clone();
            }
            let fig_range = num_range.start..m.end();
            out.push(Figure {
                value,
                unit,
                approximate,
                label,
                label_span: doc.span(base + label_range.start..base + label_range.end),
                text: text[fig_range.clone()].to_string(),
                span: doc.span(base + fig_range.start..base + fig_range.end),
                paragraph: pi,
                section: p.section,
                span_norm_end: base + m.end(),
            });
        }
    }
    out
}

/// The words after a figure that name what it counts: up to the clause's end, at most 30
/// characters, starting with a Han character. Rates (`%`) and money name their subject before the
/// number, and `以上`/`左右` qualify the number, so those give nothing.
fn counted_after<'t>(after: &'t str, unit: &str) -> &'t str {
    if unit == "%" || unit.ends_with('元') || after.starts_with("以上") || after.starts_with("左右")
    {
        return "";
    }
    let after = after.trim_start_matches('的');
    let end = after
        .char_indices()
        .take(31)
        .find(|&(_, c)| is_clause_break(c) || c.is_ascii_digit())
        .map_or_else(
            || after.char_indices().nth(30).map_or(after.len(), |(i, _)| i),
            |(i, _)| i,
        );
    let tail = after[..end].trim_end_matches(['和', '及', '与', '并', '或', '的']);
    if tail.starts_with(|c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
        tail
    } else {
        ""
    }
}

/// A Chinese numeral run, possibly preceded by unrelated characters (`统一两万`): the offset of
/// the longest well-formed numeral that ends the run, and its value. Single digits (`一个`) are
/// not counted: too often words, not quantities.
fn chinese_value(run: &str) -> Option<(usize, u64)> {
    for (i, _) in run.char_indices() {
        let s = &run[i..];
        if let Some(v) = parse_number(s) {
            let significant = s.chars().count() >= 2 || s.contains(['十', '百', '千', '万', '亿']);
            return significant.then_some((i, v));
        }
    }
    None
}

/// Compiles this module's regexes now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    for re in [&FIGURE, &YEAR_PREFIX] {
        LazyLock::force(re);
    }
}

#[cfg(test)]
mod tests {
    fn figs(text: &str) -> Vec<(String, f64, String, bool)> {
        let report = super::super::parse(format!("一、测试\n{text}\n"), &[]);
        report
            .figures
            .into_iter()
            .map(|f| (f.label, f.value, f.unit, f.approximate))
            .collect()
    }

    #[test]
    fn labels_drop_fillers() {
        assert_eq!(
            figs("全年行政机关负责人出庭率 100%，无一起败诉案件。"),
            vec![("行政机关负责人出庭率".into(), 100.0, "%".into(), false)]
        );
        assert_eq!(
            figs("全年共计调处纠纷 1767 起。"),
            vec![("调处纠纷".into(), 1767.0, "起".into(), false)]
        );
        assert_eq!(
            figs("全年共办理行政诉讼案件4起，行政机关负责人出庭应诉率100%。")[1].0,
            "行政机关负责人出庭应诉率"
        );
    }

    #[test]
    fn approximate_and_chinese_numerals() {
        assert_eq!(
            figs("开展培训 11 场 1000 余人次。"),
            vec![
                ("开展培训".into(), 11.0, "场".into(), false),
                ("开展培训".into(), 1000.0, "人次".into(), true)
            ]
        );
        assert_eq!(
            figs("参与群众两万余人次。"),
            vec![("参与群众".into(), 20000.0, "人次".into(), true)]
        );
        assert_eq!(
            figs("金额 46.9531 万元，涉及金额425万余元。"),
            vec![
                ("金额".into(), 46.9531, "万元".into(), false),
                ("涉及金额".into(), 425.0, "万元".into(), true)
            ]
        );
        assert_eq!(figs("服务1.5万人次。")[0].1, 15000.0);
    }

    #[test]
    fn not_figures() {
        assert!(figs("2024年2月29日，提高到2.5倍，实行一次办，G20个，第3次会议。").is_empty());
    }

    #[test]
    fn label_from_words_after_the_unit() {
        assert_eq!(figs("新增 3 名执法监督人员。")[0].0, "新增执法监督人员");
    }
}

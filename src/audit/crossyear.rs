//! Audit stage: one issuer across years — indicator values year by year, rules that newly fail
//! or newly pass, and whether the areas one year's next-year arrangements name are reported on in
//! the next year's report.
//!
//! Issuers are compared by [`issuer_key`] (`X镇人民政府` ≡ `X镇`). An arrangement heading
//! (`（一）强化行政执法监督`) is reduced to its key terms by cutting out generic words (加强、
//! 推进、进一步、工作…) and punctuation; the next report reports on the area when at least half
//! of its terms occur in its headings or text (a term longer than three characters also counts
//! when one of its three-character pieces occurs). The match and its line are kept as evidence.

use super::store::Rows;
use super::{Arrangement, AuditRow};
use crate::check::finding::Status;
use crate::report::Report;

/// Suffixes that do not change who the issuer is.
const ISSUER_SUFFIXES: &[&str] = &["人民政府", "政府", "办事处"];

/// The issuer as compared across years: without spaces and without `人民政府`/`办事处`.
pub fn issuer_key(issuer: &str) -> String {
    let s: String = issuer.chars().filter(|c| !c.is_whitespace()).collect();
    match ISSUER_SUFFIXES.iter().find(|x| s.ends_with(*x)) {
        Some(x) if s.len() > x.len() => s[..s.len() - x.len()].to_string(),
        _ => s,
    }
}

/// Words that say how, not what: cut out of arrangement headings before matching.
const GENERIC: &[&str] = &[
    "进一步",
    "高质量",
    "持续",
    "继续",
    "不断",
    "深入",
    "全面",
    "扎实",
    "切实",
    "着力",
    "大力",
    "努力",
    "加快",
    "加强",
    "强化",
    "深化",
    "推进",
    "推动",
    "提升",
    "提高",
    "完善",
    "健全",
    "坚持",
    "落实",
    "做好",
    "抓好",
    "突出",
    "聚焦",
    "围绕",
    "严格",
    "创新",
    "优化",
    "建设",
    "工作",
    "水平",
    "能力",
    "体系",
    "机制",
    "法治",
    "依法",
    "全力",
    "更加",
    "不断",
    "积极",
    "有效",
    "着重",
    "重点",
    "筑牢",
    "夯实",
    "打造",
    "构建",
    "引领",
    "赋能",
    "以",
    "的",
    "和",
    "与",
    "及",
    "为",
    "在",
    "上",
    "中",
    "把",
    "将",
    "向",
    "从",
    "于",
];

/// The key terms of a heading: runs of at least two CJK characters left when generic words and
/// everything that is not a CJK character are cut out.
pub fn key_terms(title: &str) -> Vec<String> {
    let mut s = title.to_string();
    for g in GENERIC {
        s = s.replace(g, " ");
    }
    let mut terms: Vec<String> = Vec::new();
    for run in s.split(|c: char| !is_cjk(c)) {
        if run.chars().count() >= 2 && !terms.iter().any(|t| t == run) {
            terms.push(run.to_string());
        }
    }
    terms
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// The sub-headings (else the inline items) of the first heading that matches `heading`.
pub fn arrangements(report: &Report, heading: &regex::Regex) -> Vec<Arrangement> {
    let Some(top) = report
        .sections
        .iter()
        .position(|s| heading.is_match(&s.title))
    else {
        return Vec::new();
    };
    let mut out: Vec<Arrangement> = report
        .sections
        .iter()
        .filter(|s| s.parent == Some(top))
        .map(|s| Arrangement {
            title: s.title.clone(),
            line: s.heading_span.line,
            terms: key_terms(&s.title),
        })
        .collect();
    if out.is_empty() {
        out = report
            .paragraphs
            .iter()
            .filter(|p| p.section == Some(top))
            .flat_map(|p| &p.items)
            .map(|i| Arrangement {
                title: i.title.clone(),
                line: i.title_span.line,
                terms: key_terms(&i.title),
            })
            .collect();
    }
    out.retain(|a| !a.terms.is_empty());
    out
}

/// Whether the next report reports on one arrangement.
#[derive(Debug, Clone)]
pub struct Followup {
    pub arrangement: Arrangement,
    /// The key terms (or their pieces) found in the next report.
    pub found: Vec<String>,
    pub covered: bool,
    /// Line of the next report where the first term was found, and that heading or sentence.
    pub at: Option<(usize, String)>,
}

/// Looks for each arrangement's terms in `next`: headings first, then the whole text.
pub fn follow(arrangements: &[Arrangement], next: &Report) -> Vec<Followup> {
    let text: &str = &next.normalized.text;
    arrangements
        .iter()
        .map(|a| {
            let mut found = Vec::new();
            let mut at = None;
            for term in &a.terms {
                let Some(hit) = find_term(text, term) else {
                    continue;
                };
                if at.is_none() {
                    at = Some(
                        match next
                            .sections
                            .iter()
                            .find(|s| s.title.contains(hit.as_str()))
                        {
                            Some(s) => (s.heading_span.line, format!("{}{}", s.marker, s.title)),
                            None => {
                                let start = text.find(hit.as_str()).unwrap_or(0);
                                let span = next.span_of_norm(start..start + hit.len());
                                (span.line, super::sentence(&next.original, span))
                            }
                        },
                    );
                }
                found.push(hit);
            }
            let covered = !found.is_empty() && found.len() * 2 >= a.terms.len();
            Followup {
                arrangement: a.clone(),
                found,
                covered,
                at,
            }
        })
        .collect()
}

/// The term, or for a term longer than three characters the first of its three-character pieces,
/// that occurs in `text`.
fn find_term(text: &str, term: &str) -> Option<String> {
    if text.contains(term) {
        return Some(term.to_string());
    }
    let chars: Vec<char> = term.chars().collect();
    if chars.len() <= 3 {
        return None;
    }
    chars
        .windows(3)
        .map(|w| w.iter().collect::<String>())
        .find(|w| text.contains(w.as_str()))
}

/// One issuer's reports over the years.
#[derive(Debug, Clone)]
pub struct Series {
    pub issuer: String,
    /// Year and row index, by year; a second report of the same year is left out.
    pub years: Vec<(i32, usize)>,
    /// Between each reported year and the next reported one.
    pub steps: Vec<Step>,
}

/// From one reported year to the next.
#[derive(Debug, Clone)]
pub struct Step {
    pub from: usize,
    pub to: usize,
    /// Rules (indices) that passed (or were unknown, not applicable) and now fail.
    pub newly_fail: Vec<usize>,
    /// Rules that failed and now pass.
    pub newly_pass: Vec<usize>,
    /// The earlier year's arrangements followed into the later report (filled by [`follow`]
    /// once the later report is read again; empty when the earlier one had none).
    pub followups: Vec<Followup>,
}

/// The issuers with reports of more than one year, by issuer; their steps without followups.
pub fn series(rows: &Rows) -> std::io::Result<Vec<Series>> {
    let mut by_issuer: std::collections::BTreeMap<String, Vec<(i32, usize)>> = Default::default();
    for (i, r) in rows.iter().enumerate() {
        let r = r?;
        if let (Some(key), Some(year)) = (r.issuer_key, r.year) {
            by_issuer.entry(key).or_default().push((year, i));
        }
    }
    let mut out = Vec::new();
    for (issuer, mut years) in by_issuer {
        years.sort();
        years.dedup_by_key(|(y, _)| *y);
        if years.len() < 2 {
            continue;
        }
        let mut steps = Vec::with_capacity(years.len() - 1);
        for w in years.windows(2) {
            let (a, b) = (rows.get(w[0].1)?, rows.get(w[1].1)?);
            let pick = |test: &dyn Fn(Option<Status>, Option<Status>) -> bool| {
                (0..a.cells.len().min(b.cells.len()))
                    .filter(|&k| test(a.cells[k].status, b.cells[k].status))
                    .collect::<Vec<_>>()
            };
            let fail = Some(Status::Fail);
            steps.push(Step {
                from: w[0].1,
                to: w[1].1,
                newly_fail: pick(&|x, y| x.is_some() && x != fail && y == fail),
                newly_pass: pick(&|x, y| x == fail && y == Some(Status::Pass)),
                followups: Vec::new(),
            });
        }
        out.push(Series {
            issuer,
            years,
            steps,
        });
    }
    Ok(out)
}

/// The change of an indicator from one row to the next, when both state it in the same unit.
pub fn change(from: &AuditRow, to: &AuditRow, indicator: usize) -> Option<f64> {
    let a = from.values.get(indicator)?.as_ref()?;
    let b = to.values.get(indicator)?.as_ref()?;
    (a.unit == b.unit).then_some(b.value - a.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_key_drops_the_government_suffix() {
        assert_eq!(issuer_key("辛庄镇人民政府"), "辛庄镇");
        assert_eq!(issuer_key("辛庄镇"), "辛庄镇");
        assert_eq!(issuer_key("虞山街道办事处"), "虞山街道");
        assert_eq!(issuer_key("人民政府"), "人民政府");
    }

    #[test]
    fn key_terms_leave_out_generic_words() {
        assert_eq!(key_terms("强化行政执法监督"), vec!["行政执法监督"]);
        assert_eq!(
            key_terms("加强法治宣传教育，推进矛盾纠纷化解"),
            vec!["宣传教育", "矛盾纠纷化解"]
        );
    }

    #[test]
    fn followup_finds_terms_and_their_line() {
        let next = crate::report::parse(
            "某镇2024年度法治政府建设情况报告\n一、主要举措\n（一）行政执法监督\n全年开展监督3次。\n".into(),
            &[],
        );
        let a = Arrangement {
            title: "强化行政执法监督".into(),
            line: 9,
            terms: key_terms("强化行政执法监督"),
        };
        let b = Arrangement {
            title: "建设智慧政务平台".into(),
            line: 10,
            terms: key_terms("建设智慧政务平台"),
        };
        let f = follow(&[a, b], &next);
        assert!(f[0].covered);
        assert_eq!(f[0].at.as_ref().unwrap().0, 3);
        assert!(!f[1].covered, "{:?}", f[1]);
    }
}

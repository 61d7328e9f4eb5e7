//! Audit stage: one small row per report, and the summaries a reviewer needs over many reports.
//!
//! Takes a parsed report and its check result (the same rules, the same configuration as
//! `check`) and keeps only an [`AuditRow`]: file, issuer, year, date, title, the outcome of every
//! rule, the value of every indicator of the rulebook with its span and source sentence, and the
//! next-year arrangements' headings with their key terms. The report's text is dropped by the
//! caller once the row is made, and the row itself goes to a [`store::Rows`] (a temporary file
//! past a few megabytes), so memory holds neither the texts nor the rows.
//! [`aggregate`] sums rows per rule and scores them; [`crossyear`] compares the years of one
//! issuer. Nothing here renders: the renderers are in `output::audit`.

pub mod aggregate;
pub mod crossyear;
pub mod store;

use crate::check::finding::{ReportResult, Status};
use crate::report::{Report, Span};
use crate::rulebook::{Indicator, Rule, Severity};
use serde::{Deserialize, Serialize};

/// Headings in Chinese (default) or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh` or `en`, as this language says it.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// One rule's outcome on one report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cell {
    /// `None`: the rule is off for this report (configuration).
    pub status: Option<Status>,
    /// The severity in force for this report.
    pub severity: Severity,
    /// For a failure or an unknown: the first such finding's message, place and evidence.
    pub finding: Option<Box<CellFinding>>,
    /// How many findings failed (a `for` rule may fail on several items).
    pub failures: usize,
}

/// What a failed or unknown rule says, kept small.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CellFinding {
    pub message: String,
    pub reason: Option<String>,
    pub span: Option<Span>,
    /// The evidence, at most 80 characters.
    pub evidence: Option<String>,
    pub span_is_evidence: bool,
}

/// An indicator's value on one report, and where it was read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub value: f64,
    pub unit: String,
    pub approximate: bool,
    /// The figure's label and text as normalised (`调处纠纷`, `1767起`).
    pub label: String,
    pub text: String,
    pub span: Span,
    /// The sentence of the original text the figure stands in (at most ~120 characters).
    pub sentence: String,
}

/// One heading of the next year's arrangements.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Arrangement {
    pub title: String,
    pub line: usize,
    /// The heading's key terms (generic words such as 加强、推进 removed).
    pub terms: Vec<String>,
}

/// Failures by severity, unknowns, passes and not-applicables of one report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub unknowns: usize,
    pub passes: usize,
    pub not_applicable: usize,
    pub off: usize,
}

/// Everything `audit` keeps about one report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditRow {
    pub path: String,
    pub issuer: Option<String>,
    /// The issuer normalised for comparing years (`X镇人民政府` → `X镇`).
    pub issuer_key: Option<String>,
    pub year: Option<i32>,
    /// `YYYY-MM-DD`
    pub date: Option<String>,
    pub title: Option<String>,
    /// One per rule, in rule order.
    pub cells: Vec<Cell>,
    /// One per indicator, in rulebook order; `None`: the report does not state it.
    pub values: Vec<Option<Box<IndicatorValue>>>,
    pub arrangements: Vec<Arrangement>,
}

/// The weight of a rule's severity in the score: error 3, warning 2, info 1.
pub fn weight(s: Severity) -> u32 {
    match s {
        Severity::Error => 3,
        Severity::Warning => 2,
        Severity::Info => 1,
    }
}

/// How the score is computed, as the outputs' notes say it.
pub fn score_formula(lang: Lang) -> &'static str {
    lang.pick(
        "合规得分 = 通过规则的权重之和 ÷ 已判定（通过或不通过）规则的权重之和 × 100；权重：error 3、warning 2、info 1；无法判定（unknown）、不适用和关闭的规则不计入，unknown 单独计数。",
        "score = sum of the weights of the passed rules ÷ sum of the weights of the decided (passed or failed) rules × 100; weights: error 3, warning 2, info 1; unknown, not-applicable and disabled rules are left out, unknowns are counted separately.",
    )
}

impl AuditRow {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for cell in &self.cells {
            match (cell.status, cell.severity) {
                (None, _) => c.off += 1,
                (Some(Status::Fail), Severity::Error) => c.errors += 1,
                (Some(Status::Fail), Severity::Warning) => c.warnings += 1,
                (Some(Status::Fail), Severity::Info) => c.infos += 1,
                (Some(Status::Unknown), _) => c.unknowns += 1,
                (Some(Status::Pass), _) => c.passes += 1,
                (Some(Status::NotApplicable | Status::Waived), _) => c.not_applicable += 1,
            }
        }
        c
    }

    /// The compliance score, 0–100 (see [`score_formula`]); `None` when no rule was decided.
    pub fn score(&self) -> Option<f64> {
        let (mut passed, mut decided) = (0u32, 0u32);
        for cell in &self.cells {
            match cell.status {
                Some(Status::Pass) => {
                    passed += weight(cell.severity);
                    decided += weight(cell.severity);
                }
                Some(Status::Fail) => decided += weight(cell.severity),
                _ => {}
            }
        }
        (decided > 0).then(|| f64::from(passed) * 100.0 / f64::from(decided))
    }
}

/// Makes a report's row from its check result. `result` holds the findings of the rules in
/// force, in rule order; a rule without findings is off.
pub fn row(
    report: &Report,
    result: &ReportResult,
    rules: &[Rule],
    indicators: &[Indicator],
    arrangements: Option<&regex::Regex>,
) -> AuditRow {
    let cells = rules
        .iter()
        .map(|rule| {
            let mine: Vec<_> = result
                .findings
                .iter()
                .filter(|f| f.rule == rule.id)
                .cloned()
                .collect();
            if mine.is_empty() {
                return Cell {
                    status: None,
                    severity: rule.severity,
                    finding: None,
                    failures: 0,
                };
            }
            let status = crate::check::overall(&mine);
            let first = mine.iter().find(|f| f.status == status);
            Cell {
                status: Some(status),
                severity: mine[0].severity,
                finding: first
                    .filter(|_| matches!(status, Status::Fail | Status::Unknown))
                    .map(|f| {
                        Box::new(CellFinding {
                            message: f.message.clone(),
                            reason: f.reason.clone(),
                            span: f.span,
                            evidence: f.evidence.as_deref().map(|e| clip(e, EVIDENCE_CHARS)),
                            span_is_evidence: f.span_is_evidence,
                        })
                    }),
                failures: mine.iter().filter(|f| f.status == Status::Fail).count(),
            }
        })
        .collect();
    let values = indicators
        .iter()
        .map(|ind| {
            let f = &report.figures[ind.find(report)?];
            Some(Box::new(IndicatorValue {
                value: f.value,
                unit: f.unit.clone(),
                approximate: f.approximate,
                label: f.label.clone(),
                text: f.text.clone(),
                span: f.span,
                sentence: sentence(&report.original, f.span),
            }))
        })
        .collect();
    let issuer = report.issuer.as_ref().map(|i| i.text.clone());
    AuditRow {
        path: result.path.clone(),
        issuer_key: issuer.as_deref().map(crossyear::issuer_key),
        issuer,
        year: report.year.as_ref().map(|y| y.value),
        date: report.date.as_ref().map(|d| d.date.to_string()),
        title: report.title.as_ref().map(|t| t.text.clone()),
        cells,
        values,
        arrangements: arrangements.map_or_else(Vec::new, |re| crossyear::arrangements(report, re)),
    }
}

/// Evidence kept in a row, in characters: enough to recognise the place, small enough that
/// 100 000 rows stay in memory.
const EVIDENCE_CHARS: usize = 80;

/// `s` cut to `max` characters, with `…` when cut.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// The sentence of `text` around `span`: back to the previous and on to the next sentence end
/// (`。！？；` or a line break), at most 60 characters each way.
pub fn sentence(text: &str, span: Span) -> String {
    const ENDS: &[char] = &['。', '！', '？', '；', '\n', '!', '?', ';'];
    const REACH: usize = 60;
    let before = &text[..span.start];
    let mut start = span.start;
    for (n, (i, c)) in before.char_indices().rev().enumerate() {
        if ENDS.contains(&c) || n == REACH {
            break;
        }
        start = i;
    }
    let mut end = span.end;
    for (n, (i, c)) in text[span.end..].char_indices().enumerate() {
        end = span.end + i + c.len_utf8();
        if ENDS.contains(&c) || n == REACH {
            if c == '\n' {
                end -= 1;
            }
            break;
        }
    }
    text[start..end.min(text.len())].trim().to_string()
}

/// Everything one `audit` run found: the rules and indicators (columns) and the rows.
#[derive(Debug)]
pub struct Audit<'a> {
    pub rules: &'a [Rule],
    pub indicators: &'a [Indicator],
    pub rows: store::Rows,
    pub per_rule: Vec<aggregate::RuleStats>,
    pub series: Vec<crossyear::Series>,
    /// Inputs that could not be read: path and message.
    pub unreadable: Vec<(String, String)>,
    pub lang: Lang,
}

impl Audit<'_> {
    /// How many steps from one year to the next all issuers take together.
    pub fn steps(&self) -> usize {
        self.series.iter().map(|s| s.steps.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap();
        let index = crate::report::LineIndex::new(text);
        index.span(text, start, start + needle.len())
    }

    #[test]
    fn sentence_stops_at_sentence_ends() {
        let text = "一是加强学习。全年调处纠纷1767起，成功率99%。二是完善制度。";
        let s = sentence(text, span_of(text, "1767起"));
        assert_eq!(s, "全年调处纠纷1767起，成功率99%。");
    }

    #[test]
    fn sentence_stops_at_line_breaks() {
        let text = "标题\n调处纠纷12起\n下一行";
        assert_eq!(sentence(text, span_of(text, "12起")), "调处纠纷12起");
    }
}

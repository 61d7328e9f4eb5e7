//! Output stage: `reportlint audit` renderers, one file per format. They read an [`Audit`] and
//! write; the tables the text formats share (overview, rules, indicators, across years) are laid
//! out once here as [`Grid`]s, so the terminal table, Markdown and CSV say the same thing. A grid
//! with a row per report makes its rows as they are read, from the audit's row store, so that no
//! format holds a table of 10^5 rows.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod svg;
pub mod table;
pub mod xlsx;

use crate::audit::{Audit, AuditRow, IndicatorValue, Lang, crossyear};
use crate::check::finding::Status;
use crate::report::figures::format_value;
use std::io;

/// A grid's rows, in order.
pub type GridRows<'a> = Box<dyn Iterator<Item = io::Result<Vec<String>>> + 'a>;

/// A table: headings and rows of text; `numeric` columns are right-aligned.
pub struct Grid<'a> {
    pub title: String,
    pub headers: Vec<String>,
    pub numeric: Vec<bool>,
    len: usize,
    rows: Lines<'a>,
}

/// A grid's rows: held, or made when read.
enum Lines<'a> {
    Held(Vec<Vec<String>>),
    /// Made again each time they are read.
    Made(Box<dyn Fn() -> GridRows<'a> + 'a>),
}

impl<'a> Grid<'a> {
    /// A grid of rows already made.
    pub fn new(
        title: String,
        headers: Vec<String>,
        numeric: Vec<bool>,
        rows: Vec<Vec<String>>,
    ) -> Self {
        Grid {
            title,
            headers,
            numeric,
            len: rows.len(),
            rows: Lines::Held(rows),
        }
    }

    /// A grid of `len` rows that `make` makes, in order, each time they are read.
    pub fn made(
        title: String,
        headers: Vec<String>,
        numeric: Vec<bool>,
        len: usize,
        make: impl Fn() -> GridRows<'a> + 'a,
    ) -> Self {
        Grid {
            title,
            headers,
            numeric,
            len,
            rows: Lines::Made(Box::new(make)),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The rows, in order (made again on each call for a grid of reports).
    pub fn rows(&self) -> GridRows<'_> {
        match &self.rows {
            Lines::Held(rows) => Box::new(rows.iter().cloned().map(Ok)),
            Lines::Made(make) => make(),
        }
    }
}

/// A status as a word.
pub fn status_word(lang: Lang, s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Pass) => lang.pick("通过", "pass"),
        Some(Status::Fail) => lang.pick("不通过", "fail"),
        Some(Status::Unknown) => lang.pick("无法判定", "unknown"),
        Some(Status::NotApplicable) => lang.pick("不适用", "n/a"),
        Some(Status::Waived) => lang.pick("已豁免", "waived"),
        None => lang.pick("关闭", "off"),
    }
}

/// A status as one symbol, for the dense matrix of the terminal table.
pub fn status_symbol(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Pass) => "✓",
        Some(Status::Fail) => "✗",
        Some(Status::Unknown) => "?",
        Some(Status::NotApplicable) => "–",
        Some(Status::Waived) => "w",
        None => "·",
    }
}

/// The stable, language-independent status name (JSON, CSS classes).
pub fn status_key(s: Option<Status>) -> &'static str {
    match s {
        Some(s) => crate::output::common::status_name(s),
        None => "off",
    }
}

/// A value as a reader writes it: `100%`, `1767起`, `约1000人次`.
pub fn value_text(v: &IndicatorValue) -> String {
    format!(
        "{}{}{}",
        if v.approximate { "约" } else { "" },
        format_value(v.value),
        v.unit
    )
}

/// A score to one decimal.
pub fn score_text(s: Option<f64>) -> String {
    s.map_or_else(String::new, |s| format!("{s:.1}"))
}

/// A change between years: `+3`, `-2.5`, `0`.
pub fn change_text(c: Option<f64>) -> String {
    match c {
        None => String::new(),
        Some(c) if c > 0.0 => format!("+{}", format_value(c)),
        Some(c) => format_value(c),
    }
}

/// An indicator's heading: its name and, when it has one unit, the unit.
pub fn indicator_heading(a: &Audit, i: usize) -> String {
    let ind = &a.indicators[i];
    let name = a.lang.pick(&ind.name, &ind.name_en);
    match ind.units.as_slice() {
        [u] => format!("{name}（{u}）"),
        _ => name.to_string(),
    }
}

/// The headings of the identifying columns of a report.
pub fn report_headers(lang: Lang) -> Vec<String> {
    [
        lang.pick("文件", "file"),
        lang.pick("发文单位", "issuer"),
        lang.pick("年度", "year"),
        lang.pick("日期", "date"),
        lang.pick("标题", "title"),
    ]
    .map(String::from)
    .to_vec()
}

/// The identifying columns of a report.
pub fn report_cells(row: &AuditRow) -> Vec<String> {
    vec![
        row.path.clone(),
        row.issuer.clone().unwrap_or_default(),
        row.year.map(|y| y.to_string()).unwrap_or_default(),
        row.date.clone().unwrap_or_default(),
        row.title.clone().unwrap_or_default(),
    ]
}

/// The overview: one row per report with counts, score and (when `symbols`) every rule's
/// outcome as a symbol, else as a word.
pub fn overview<'g>(a: &'g Audit<'_>, symbols: bool, with_title: bool) -> Grid<'g> {
    let l = a.lang;
    let mut headers = report_headers(l);
    if !with_title {
        headers.pop();
    }
    let counts = [
        l.pick("得分", "score"),
        l.pick("错误", "errors"),
        l.pick("警告", "warnings"),
        l.pick("提示", "infos"),
        l.pick("无法判定", "unknown"),
    ];
    headers.extend(counts.map(String::from));
    headers.extend(a.rules.iter().map(|r| r.id.clone()));
    let mut numeric = vec![false; if with_title { 5 } else { 4 }];
    numeric.extend([true; 5]);
    numeric.extend(a.rules.iter().map(|_| false));
    let cells = move |row: AuditRow| {
        let mut cells = report_cells(&row);
        if !with_title {
            cells.pop();
        }
        let c = row.counts();
        cells.push(score_text(row.score()));
        cells.extend([c.errors, c.warnings, c.infos, c.unknowns].map(|n| n.to_string()));
        cells.extend(row.cells.iter().map(|c| {
            if symbols {
                status_symbol(c.status).to_string()
            } else {
                status_word(l, c.status).to_string()
            }
        }));
        cells
    };
    Grid::made(
        l.pick("报告概览", "Reports").into(),
        headers,
        numeric,
        a.rows.len(),
        move || Box::new(a.rows.iter().map(move |r| r.map(cells))),
    )
}

/// Per rule: outcomes over all reports, the rules failed most first, with example reports.
pub fn rules_grid<'g>(a: &'g Audit<'_>) -> io::Result<Grid<'g>> {
    let l = a.lang;
    let headers = [
        l.pick("规则", "rule"),
        l.pick("名称", "title"),
        l.pick("严重性", "severity"),
        l.pick("通过", "pass"),
        l.pick("不通过", "fail"),
        l.pick("无法判定", "unknown"),
        l.pick("不适用", "n/a"),
        l.pick("示例报告", "examples"),
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::with_capacity(a.per_rule.len());
    for s in &a.per_rule {
        let rule = &a.rules[s.rule];
        let examples = s
            .examples
            .iter()
            .map(|&r| a.rows.get(r).map(|row| row.path))
            .collect::<io::Result<Vec<_>>>()?;
        rows.push(vec![
            rule.id.clone(),
            rule.title.clone(),
            rule.severity.name().to_string(),
            s.pass.to_string(),
            s.fail.to_string(),
            s.unknown.to_string(),
            s.not_applicable.to_string(),
            examples.join(", "),
        ]);
    }
    Ok(Grid::new(
        l.pick("规则汇总（不通过最多者在前）", "Rules (most failed first)")
            .into(),
        headers,
        vec![false, false, false, true, true, true, true, false],
        rows,
    ))
}

/// The key figures: one row per report, one column per indicator, each as `value` writes it;
/// blank when not stated.
pub fn figures_grid<'g>(a: &'g Audit<'_>, value: fn(&IndicatorValue) -> String) -> Grid<'g> {
    let mut headers = report_headers(a.lang);
    headers.truncate(3);
    headers.extend((0..a.indicators.len()).map(|i| indicator_heading(a, i)));
    let cells = move |row: AuditRow| {
        let mut cells = report_cells(&row);
        cells.truncate(3);
        cells.extend(
            row.values
                .iter()
                .map(|v| v.as_deref().map(value).unwrap_or_default()),
        );
        cells
    };
    let mut numeric = vec![false, false, false];
    numeric.extend(a.indicators.iter().map(|_| true));
    Grid::made(
        a.lang.pick("关键指标", "Key figures").into(),
        headers,
        numeric,
        a.rows.len(),
        move || Box::new(a.rows.iter().map(move |r| r.map(cells))),
    )
}

/// Across years: for each issuer and pair of consecutive years, each indicator's change, the
/// rules that newly fail or pass, and the arrangements followed up.
pub fn crossyear_grid<'g>(a: &'g Audit<'_>) -> Grid<'g> {
    let l = a.lang;
    let mut headers: Vec<String> = [
        l.pick("发文单位", "issuer"),
        l.pick("年度", "years"),
        l.pick("新增不通过", "newly failing"),
        l.pick("新增通过", "newly passing"),
        l.pick("上年安排落实", "arrangements reported on"),
    ]
    .map(String::from)
    .to_vec();
    headers.extend((0..a.indicators.len()).map(|i| indicator_heading(a, i)));
    let mut numeric = vec![false; 5];
    numeric.extend(a.indicators.iter().map(|_| false));
    Grid::made(
        l.pick("跨年度比较", "Across years").into(),
        headers,
        numeric,
        a.steps(),
        move || {
            Box::new(a.series.iter().flat_map(move |s| {
                s.steps.iter().map(move |step| {
                    Ok(crossyear_cells(
                        a,
                        s,
                        step,
                        &a.rows.get(step.from)?,
                        &a.rows.get(step.to)?,
                    ))
                })
            }))
        },
    )
}

/// One step of an issuer's years, as a row of the across-years grid.
fn crossyear_cells(
    a: &Audit,
    s: &crossyear::Series,
    step: &crossyear::Step,
    from: &AuditRow,
    to: &AuditRow,
) -> Vec<String> {
    let ids = |v: &[usize]| {
        v.iter()
            .map(|&k| a.rules[k].id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let covered = step.followups.iter().filter(|f| f.covered).count();
    let mut cells = vec![
        s.issuer.clone(),
        format!(
            "{}→{}",
            from.year.unwrap_or_default(),
            to.year.unwrap_or_default()
        ),
        ids(&step.newly_fail),
        ids(&step.newly_pass),
        if step.followups.is_empty() {
            String::new()
        } else {
            format!("{covered}/{}", step.followups.len())
        },
    ];
    let show = |row: &AuditRow, i: usize| {
        row.values[i]
            .as_ref()
            .map_or("—".to_string(), |v| format_value(v.value))
    };
    for i in 0..a.indicators.len() {
        cells.push(if from.values[i].is_none() && to.values[i].is_none() {
            String::new()
        } else {
            let delta = change_text(crossyear::change(from, to, i));
            format!(
                "{}→{}{}",
                show(from, i),
                show(to, i),
                if delta.is_empty() {
                    String::new()
                } else {
                    format!(" ({delta})")
                }
            )
        });
    }
    cells
}

/// The notes every format ends with: the score formula and what the symbols mean.
pub fn notes(a: &Audit) -> Vec<String> {
    let l = a.lang;
    let mut notes = vec![
        crate::audit::score_formula(l).to_string(),
        l.pick(
            "指标取自报告中标签匹配的第一个数字；报告未载明的指标留空，不填零、不推算。",
            "Each figure is the first number of the report whose label matches the indicator; a figure the report does not state is blank, never zero, never computed.",
        )
        .to_string(),
        l.pick(
            "上年安排落实：上一年度报告“下一年度安排”各小标题的关键词，至少一半出现在本年度报告中的，计为已报告。",
            "Arrangements reported on: an area named in a sub-heading of last year's next-year arrangements counts as reported on when at least half of its key terms occur in this year's report.",
        )
        .to_string(),
    ];
    if !a.unreadable.is_empty() {
        notes.push(format!(
            "{}: {}",
            l.pick("无法读取的文件", "unreadable files"),
            a.unreadable
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes
}

/// The one-line summary: reports, issuers, years, average score.
pub fn headline(a: &Audit) -> io::Result<String> {
    let l = a.lang;
    let (mut sum, mut scored, mut failed) = (0.0, 0usize, 0usize);
    let mut years = std::collections::BTreeSet::new();
    for row in a.rows.iter() {
        let row = row?;
        if let Some(s) = row.score() {
            sum += s;
            scored += 1;
        }
        years.extend(row.year);
        failed += row.counts().errors;
    }
    let mean = (scored > 0).then(|| sum / scored as f64);
    let span = match (years.first(), years.last()) {
        (Some(f), Some(t)) if f != t => format!("{f}–{t}"),
        (Some(f), _) => f.to_string(),
        _ => "—".into(),
    };
    Ok(match l {
        Lang::Zh => format!(
            "{} 份报告（{} 份无法读取），年度 {}，平均得分 {}，错误级不通过 {} 项，跨年度发文单位 {} 个",
            a.rows.len(),
            a.unreadable.len(),
            span,
            score_text(mean),
            failed,
            a.series.len()
        ),
        Lang::En => format!(
            "{} reports ({} unreadable), years {}, mean score {}, {} error-level failures, {} issuers across years",
            a.rows.len(),
            a.unreadable.len(),
            span,
            score_text(mean),
            failed,
            a.series.len()
        ),
    })
}

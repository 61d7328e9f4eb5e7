//! Output stage: `audit --format html` — one self-contained page (no network, no external script
//! or font): the headline and notes, a bar chart of failures per rule, a chart of one indicator
//! across reports (and its mean per year when there are several years), the colour-coded matrix
//! with a sticky header where every failure opens (`<details>`) on its message and evidence, the
//! key figures with their source sentences, the rule table and the years compared. Readable on a
//! laptop screen and printable. The page's one small script marks the page ready, or records
//! script errors in `#js-errors` (what the browser test looks for).

use super::svg::{Bar, bars};
use super::{headline, indicator_heading, notes, status_key, status_word, value_text};
use crate::audit::Audit;
use crate::report::figures::format_value;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Text made safe for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --fail:#f4b4a8; --fail-ink:#8a1c0c; --unknown:#ffe69c; --pass:#d8ecd0; --na:#eeeeee; --line:#d0d7de; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 16px 24px 48px;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  font-size: 14px; line-height: 1.5; color: #1f2328; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
.headline { font-size: 15px; } .notes { color: #57606a; font-size: 13px; }
.scroll { overflow: auto; max-height: 80vh; border: 1px solid var(--line); }
table { border-collapse: separate; border-spacing: 0; font-size: 13px; }
th, td { border-right: 1px solid var(--line); border-bottom: 1px solid var(--line); padding: 3px 6px; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f0f3f6; z-index: 2; white-space: nowrap; }
th.rowhead, td.rowhead { position: sticky; left: 0; background: #fff; z-index: 1; white-space: nowrap; max-width: 340px; overflow: hidden; text-overflow: ellipsis; }
thead th.rowhead { z-index: 3; background: #f0f3f6; }
td.num { text-align: right; white-space: nowrap; }
td.s { text-align: center; white-space: nowrap; }
#figures thead th { white-space: normal; min-width: 84px; max-width: 130px; }
td.fail { background: var(--fail); color: var(--fail-ink); } td.unknown { background: var(--unknown); }
td.pass { background: var(--pass); } td.not_applicable, td.off { background: var(--na); color: #6e7781; }
details summary { cursor: pointer; }
details[open] > div { position: relative; min-width: 260px; max-width: 420px; white-space: normal; text-align: left;
  background: #fff; color: #1f2328; border: 1px solid var(--line); padding: 6px; margin-top: 4px; }
.ev { font-family: inherit; background: #fff8c5; }
.chart { max-width: 100%; height: auto; } .chart .label, .chart .value { font-size: 12px; fill: #1f2328; }
.bar.fail { fill: #cf4a2e; } .bar.indicator { fill: #2f6fb0; } .bar.year { fill: #7a56b0; }
.legend span { display: inline-block; padding: 0 8px; margin-right: 6px; }
@media print {
  body { max-width: none; padding: 0; font-size: 10px; }
  .scroll { max-height: none; overflow: visible; border: none; }
  thead th, th.rowhead, td.rowhead { position: static; }
  details > div { display: block; }
  h2 { break-after: avoid; } tr { break-inside: avoid; }
}
"#;

const SCRIPT: &str = r#"
(function () {
  var errors = [];
  function mark() {
    var box = document.getElementById('js-errors');
    if (box) { box.textContent = errors.join('\n'); box.hidden = errors.length === 0; }
  }
  window.addEventListener('error', function (e) { errors.push(String(e.message)); mark(); });
  var original = console.error;
  console.error = function () { errors.push(Array.prototype.join.call(arguments, ' ')); mark(); original.apply(console, arguments); };
  document.addEventListener('DOMContentLoaded', function () {
    document.body.setAttribute('data-ready', '1');
    mark();
  });
})();
"#;

/// The section of failures per rule: one bar per rule that fails on at least one report.
fn failure_chart(a: &Audit) -> String {
    let items: Vec<Bar> = a
        .per_rule
        .iter()
        .filter(|s| s.fail > 0)
        .map(|s| {
            let r = &a.rules[s.rule];
            Bar {
                label: format!("{} {}", r.id, r.title),
                value: s.fail as f64,
                shown: s.fail.to_string(),
                key: r.id.clone(),
            }
        })
        .collect();
    if items.is_empty() {
        return format!(
            "<p>{}</p>",
            a.lang.pick("没有不通过的规则。", "No rule fails.")
        );
    }
    bars(
        &items,
        "fail",
        a.lang
            .pick("各规则不通过的报告数", "Reports failing each rule"),
    )
}

/// The indicator to chart: the first (in rulebook order) that at least half of the reports
/// state, else the one the most reports state; none when no report states any.
fn chart_indicator(a: &Audit) -> io::Result<Option<usize>> {
    let mut stated = vec![0usize; a.indicators.len()];
    for row in a.rows.iter() {
        for (n, v) in stated.iter_mut().zip(&row?.values) {
            *n += usize::from(v.is_some());
        }
    }
    Ok((0..a.indicators.len())
        .find(|&i| stated[i] * 2 >= a.rows.len() && stated[i] > 0)
        .or_else(|| {
            (0..a.indicators.len())
                .map(|i| (stated[i], i))
                .filter(|(n, _)| *n > 0)
                .max_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)))
                .map(|(_, i)| i)
        }))
}

/// Above this many reports, the indicator chart shows ranges of values instead of reports.
const MAX_BARS: usize = 40;
/// Ranges of values in that chart.
const BINS: usize = 10;

/// Reports per range of values: `BINS` equal ranges from the smallest value to the largest.
fn histogram(values: &[f64], a: &Audit) -> Vec<Bar> {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let step = ((hi - lo) / BINS as f64).max(f64::EPSILON);
    let mut counts = [0usize; BINS];
    for v in values {
        let k = (((v - lo) / step) as usize).min(BINS - 1);
        counts[k] += 1;
    }
    let bins = if hi > lo { BINS } else { 1 };
    (0..bins)
        .map(|k| {
            let (from, to) = (lo + step * k as f64, lo + step * (k + 1) as f64);
            let label = if hi > lo {
                format!(
                    "{} – {}",
                    format_value((from * 10.0).round() / 10.0),
                    format_value((to.min(hi) * 10.0).round() / 10.0)
                )
            } else {
                format_value(lo)
            };
            let n = if hi > lo { counts[k] } else { values.len() };
            Bar {
                label,
                value: n as f64,
                shown: format!("{n} {}", a.lang.pick("份", "reports")),
                key: k.to_string(),
            }
        })
        .collect()
}

/// The chart of one indicator: across reports, and its mean per year when there are several.
fn indicator_chart(a: &Audit, i: usize) -> io::Result<String> {
    let name = indicator_heading(a, i);
    // One pass for the values (and the means per year); the reports' names only when each
    // report gets a bar.
    let mut values: Vec<(f64, usize)> = Vec::new();
    let mut years: std::collections::BTreeMap<i32, (f64, usize)> = Default::default();
    for (r, row) in a.rows.iter().enumerate() {
        let row = row?;
        if let Some(v) = row.values[i].as_ref() {
            values.push((v.value, r));
            if let Some(y) = row.year {
                let e = years.entry(y).or_default();
                e.0 += v.value;
                e.1 += 1;
            }
        }
    }
    let mut s = if values.len() <= MAX_BARS {
        let mut per_report = Vec::with_capacity(values.len());
        for &(_, r) in &values {
            let row = a.rows.get(r)?;
            let Some(v) = row.values[i].as_deref() else {
                continue;
            };
            let who = row.issuer.clone().unwrap_or_else(|| row.path.clone());
            per_report.push(Bar {
                label: match row.year {
                    Some(y) => format!("{who} {y}"),
                    None => who,
                },
                value: v.value,
                shown: value_text(v),
                key: row.path.clone(),
            });
        }
        per_report.sort_by(|x, y| y.value.total_cmp(&x.value));
        format!(
            "<h3>{}</h3>{}",
            escape(&format!(
                "{}{}",
                name,
                a.lang.pick("：各报告", ": by report")
            )),
            bars(&per_report, "indicator", &name)
        )
    } else {
        // Too many reports for a bar each: how many reports fall in each range of values.
        format!(
            "<h3>{}</h3>{}",
            escape(&format!(
                "{}{}",
                name,
                a.lang.pick(
                    "：各报告数值分布（报告数）",
                    ": reports per range of values"
                )
            )),
            bars(
                &histogram(&values.iter().map(|v| v.0).collect::<Vec<_>>(), a),
                "indicator",
                &name
            )
        )
    };
    if years.len() > 1 {
        let per_year: Vec<Bar> = years
            .iter()
            .map(|(y, (sum, n))| Bar {
                label: format!("{y}（{n} {}）", a.lang.pick("份", "reports")),
                value: sum / *n as f64,
                shown: format_value((sum / *n as f64 * 10.0).round() / 10.0),
                key: y.to_string(),
            })
            .collect();
        let _ = write!(
            s,
            "<h3>{}</h3>{}",
            escape(&format!(
                "{}{}",
                name,
                a.lang.pick("：各年度平均值", ": mean per year")
            )),
            bars(&per_year, "year", &name)
        );
    }
    Ok(s)
}

/// The matrix: a row per report, a column per rule; failures and unknowns open on their message.
/// Written a row at a time.
fn matrix(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    let l = a.lang;
    let mut s = String::from(r#"<div class="scroll"><table id="matrix"><thead><tr>"#);
    let _ = write!(
        s,
        r#"<th class="rowhead">{}</th><th>{}</th><th>{}</th>"#,
        l.pick("文件 / 发文单位", "file / issuer"),
        l.pick("年度", "year"),
        l.pick("得分", "score")
    );
    for r in a.rules {
        let _ = write!(
            s,
            r#"<th title="{}">{}</th>"#,
            escape(&r.title),
            escape(&r.id)
        );
    }
    s.push_str("</tr></thead><tbody>");
    for row in a.rows.iter() {
        w.write_all(s.as_bytes())?;
        s.clear();
        let row = row?;
        let who = row.issuer.as_deref().unwrap_or("—");
        let _ = write!(
            s,
            r#"<tr><td class="rowhead" title="{p}">{w}<br><small>{p}</small></td><td class="num">{y}</td><td class="num">{sc}</td>"#,
            p = escape(&row.path),
            w = escape(who),
            y = row.year.map(|y| y.to_string()).unwrap_or_default(),
            sc = super::score_text(row.score()),
        );
        for (rule, cell) in a.rules.iter().zip(&row.cells) {
            let key = status_key(cell.status);
            let word = status_word(l, cell.status);
            match &cell.finding {
                Some(f) => {
                    let place = f
                        .span
                        .map(|sp| format!("{}:{}", sp.line, sp.column))
                        .unwrap_or_default();
                    let _ = write!(
                        s,
                        r#"<td class="s {key}" data-rule="{id}"><details><summary>{word}</summary><div><b>{id}</b> {msg}{reason}<br><small>{at} {place}</small>{ev}</div></details></td>"#,
                        id = escape(&rule.id),
                        msg = escape(&f.message),
                        reason = f
                            .reason
                            .as_ref()
                            .map(|r| format!("<br><i>{}</i>", escape(r)))
                            .unwrap_or_default(),
                        at = l.pick("行:列", "line:col"),
                        ev = f
                            .evidence
                            .as_ref()
                            .filter(|_| f.span_is_evidence)
                            .map(|e| format!(r#"<br><span class="ev">{}</span>"#, escape(e)))
                            .unwrap_or_default(),
                    );
                }
                None => {
                    let _ = write!(
                        s,
                        r#"<td class="s {key}" data-rule="{}">{word}</td>"#,
                        escape(&rule.id)
                    );
                }
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    w.write_all(s.as_bytes())
}

/// The key figures, each opening on its source sentence. Written a row at a time.
fn figures(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    let l = a.lang;
    let mut s = String::from(r#"<div class="scroll"><table id="figures"><thead><tr>"#);
    let _ = write!(
        s,
        r#"<th class="rowhead">{}</th><th>{}</th>"#,
        l.pick("文件 / 发文单位", "file / issuer"),
        l.pick("年度", "year")
    );
    for i in 0..a.indicators.len() {
        let _ = write!(s, "<th>{}</th>", escape(&indicator_heading(a, i)));
    }
    s.push_str("</tr></thead><tbody>");
    for row in a.rows.iter() {
        w.write_all(s.as_bytes())?;
        s.clear();
        let row = row?;
        let _ = write!(
            s,
            r#"<tr><td class="rowhead" title="{p}">{w}<br><small>{p}</small></td><td class="num">{y}</td>"#,
            p = escape(&row.path),
            w = escape(row.issuer.as_deref().unwrap_or("—")),
            y = row.year.map(|y| y.to_string()).unwrap_or_default(),
        );
        for v in &row.values {
            match v {
                None => s.push_str(r#"<td class="num"></td>"#),
                Some(v) => {
                    let _ = write!(
                        s,
                        r#"<td class="num"><details><summary>{}</summary><div>{} {}<br><span class="ev">{}</span></div></details></td>"#,
                        escape(&value_text(v)),
                        l.pick("第", "line"),
                        escape(&format!("{}{}", v.span.line, l.pick(" 行", ""))),
                        escape(&v.sentence)
                    );
                }
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    w.write_all(s.as_bytes())
}

/// A plain table from a grid, written a row at a time.
fn grid(w: &mut dyn Write, g: &super::Grid, id: &str) -> io::Result<()> {
    let mut s = format!(r#"<div class="scroll"><table id="{id}"><thead><tr>"#);
    for h in &g.headers {
        let _ = write!(s, "<th>{}</th>", escape(h));
    }
    s.push_str("</tr></thead><tbody>");
    for row in g.rows() {
        w.write_all(s.as_bytes())?;
        s.clear();
        let row = row?;
        s.push_str("<tr>");
        for (k, c) in row.iter().enumerate() {
            let class = if g.numeric[k] { r#" class="num""# } else { "" };
            let _ = write!(s, "<td{class}>{}</td>", escape(c));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    w.write_all(s.as_bytes())
}

/// The years compared, and for each step the arrangements followed into the next report.
fn across_years(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    let l = a.lang;
    grid(w, &super::crossyear_grid(a), "across-years")?;
    let mut s = String::new();
    for ser in &a.series {
        for step in ser.steps.iter().filter(|st| !st.followups.is_empty()) {
            w.write_all(s.as_bytes())?;
            s.clear();
            let _ = write!(
                s,
                "<details class=\"followups\"><summary>{} {}→{}：{}</summary><ul>",
                escape(&ser.issuer),
                a.rows.get(step.from)?.year.unwrap_or_default(),
                a.rows.get(step.to)?.year.unwrap_or_default(),
                l.pick(
                    "上年安排是否在本年报告中",
                    "last year's arrangements in this year's report"
                ),
            );
            for f in &step.followups {
                let _ = write!(
                    s,
                    "<li>{} <b>{}</b>（{}）{}</li>",
                    if f.covered { "✓" } else { "✗" },
                    escape(&f.arrangement.title),
                    escape(&f.found.join("、")),
                    f.at.as_ref()
                        .map(|(line, text)| format!(
                            " — {} {line}: <span class=\"ev\">{}</span>",
                            l.pick("行", "line"),
                            escape(text)
                        ))
                        .unwrap_or_default()
                );
            }
            s.push_str("</ul></details>");
        }
    }
    w.write_all(s.as_bytes())
}

pub fn render(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    let l = a.lang;
    let title = l.pick("法治政府建设年度报告审计", "Audit of annual reports");
    // The page is written part by part; the matrix and the figures a row at a time.
    write!(
        w,
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body><h1>{title}</h1><p class="headline">{h}</p><pre id="js-errors" hidden></pre>"#,
        lang = l.pick("zh-CN", "en"),
        h = escape(&headline(a)?),
    )?;
    write!(
        w,
        "<h2>{}</h2>{}",
        l.pick("各规则不通过的报告数", "Failures per rule"),
        failure_chart(a)
    )?;
    if let Some(i) = chart_indicator(a)? {
        write!(
            w,
            "<h2>{}</h2>{}",
            l.pick("指标图", "Indicator chart"),
            indicator_chart(a, i)?
        )?;
    }
    write!(
        w,
        r#"<h2>{}</h2><p class="legend"><span class="pass" style="background:var(--pass)">{}</span><span style="background:var(--fail)">{}</span><span style="background:var(--unknown)">{}</span><span style="background:var(--na)">{}</span></p>"#,
        l.pick(
            "规则矩阵（点击单元格查看依据）",
            "Matrix (click a cell for its evidence)"
        ),
        status_word(l, Some(crate::check::finding::Status::Pass)),
        status_word(l, Some(crate::check::finding::Status::Fail)),
        status_word(l, Some(crate::check::finding::Status::Unknown)),
        status_word(l, Some(crate::check::finding::Status::NotApplicable)),
    )?;
    matrix(w, a)?;
    write!(
        w,
        "<h2>{}</h2>",
        l.pick(
            "关键指标（点击数值查看原文）",
            "Key figures (click a value for its sentence)"
        ),
    )?;
    figures(w, a)?;
    write!(w, "<h2>{}</h2>", l.pick("规则汇总", "Rules"))?;
    grid(w, &super::rules_grid(a)?, "rules")?;
    if !a.series.is_empty() {
        write!(w, "<h2>{}</h2>", l.pick("跨年度比较", "Across years"))?;
        across_years(w, a)?;
    }
    write!(
        w,
        "<h2>{}</h2><ul class=\"notes\">",
        l.pick("说明", "Notes")
    )?;
    for n in notes(a) {
        write!(w, "<li>{}</li>", escape(&n))?;
    }
    w.write_all(b"</ul></body></html>\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            super::escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}

//! Output stage: `audit --format xlsx` — a workbook with the sheets 概览 (overview), 规则
//! (rules), 矩阵 (matrix), 指标 (key figures) and 跨年度 (across years): frozen header rows,
//! filters, column widths that fit Chinese text, failed cells coloured, numbers as numbers and
//! percentages formatted as percentages. Written with rust_xlsxwriter.

use super::{Grid, indicator_heading, notes, overview, report_cells, rules_grid, status_key};
use crate::audit::{Audit, crossyear};
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::io;
use unicode_width::UnicodeWidthStr;

/// Widest column, in character widths.
const MAX_WIDTH: f64 = 60.0;

/// Column width for a text: its display width (a CJK character counts two) plus a margin.
fn width_of(s: &str) -> f64 {
    (s.width() as f64 * 1.1 + 2.0).min(MAX_WIDTH)
}

struct Styles {
    header: Format,
    fail: Format,
    unknown: Format,
    pass: Format,
    percent: Format,
    score: Format,
}

impl Styles {
    fn new() -> Self {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color(0xD0D0D0);
        Styles {
            header: border(Format::new().set_bold().set_background_color(0xDDE7F0)).set_text_wrap(),
            fail: border(
                Format::new()
                    .set_background_color(0xF8CBAD)
                    .set_font_color(0x9C0006),
            ),
            unknown: border(Format::new().set_background_color(0xFFEB9C)),
            pass: border(Format::new().set_background_color(0xE2EFDA)),
            percent: Format::new().set_num_format("0.0%"),
            score: Format::new().set_num_format("0.0"),
        }
    }
}

/// Header row, frozen and filtered over `rows` data rows; widths fitting the longest cell.
fn frame(
    ws: &mut Worksheet,
    st: &Styles,
    headers: &[String],
    widths: &[f64],
    rows: usize,
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &st.header)?;
        ws.set_column_width(c as u16, widths[c].max(width_of(h).min(24.0)))?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(0, 0, rows as u32, headers.len() as u16 - 1)?;
    }
    Ok(())
}

/// The width of each of the first `n` columns: the widest of its cells (a pass over the rows).
fn widths(g: &Grid, n: usize) -> io::Result<Vec<f64>> {
    let mut w = vec![6.0f64; n];
    for row in g.rows() {
        for (k, cell) in row?.iter().take(n).enumerate() {
            w[k] = w[k].max(width_of(cell));
        }
    }
    Ok(w)
}

/// A text grid, numeric columns written as numbers when they parse.
fn text_sheet(ws: &mut Worksheet, st: &Styles, g: &Grid) -> Result<(), XlsxError> {
    frame(ws, st, &g.headers, &widths(g, g.headers.len())?, g.len())?;
    for (r, row) in g.rows().enumerate() {
        for (c, cell) in row?.iter().enumerate() {
            let (r, c16) = (r as u32 + 1, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if g.numeric[c] => ws.write_number(r, c16, n)?,
                _ if cell.is_empty() => ws,
                _ => ws.write_string(r, c16, cell)?,
            };
        }
    }
    Ok(())
}

fn overview_sheet(ws: &mut Worksheet, st: &Styles, a: &Audit) -> Result<(), XlsxError> {
    // The overview's columns up to the counts; the rules' outcomes are the matrix sheet's.
    let g = overview(a, false, true);
    let n = g.headers.len() - a.rules.len();
    frame(ws, st, &g.headers[..n], &widths(&g, n)?, g.len())?;
    for (r, audit_row) in a.rows.iter().enumerate() {
        let audit_row = audit_row?;
        let r = r as u32 + 1;
        for (c, cell) in report_cells(&audit_row).iter().enumerate() {
            ws.write_string(r, c as u16, cell)?;
        }
        if let Some(year) = audit_row.year {
            ws.write_number(r, 2, year)?;
        }
        if let Some(s) = audit_row.score() {
            ws.write_number_with_format(r, 5, s, &st.score)?;
        }
        let c = audit_row.counts();
        for (k, v) in [c.errors, c.warnings, c.infos, c.unknowns]
            .iter()
            .enumerate()
        {
            ws.write_number(r, 6 + k as u16, *v as f64)?;
        }
    }
    for (r, note) in (g.len() as u32 + 2..).zip(notes(a)) {
        ws.write_string(r, 0, note)?;
    }
    Ok(())
}

/// The widths of the file, issuer and year columns (a pass over the rows).
fn identity_widths(a: &Audit) -> io::Result<Vec<f64>> {
    let (mut path, mut issuer) = (8.0f64, 8.0f64);
    for row in a.rows.iter() {
        let row = row?;
        path = path.max(width_of(&row.path));
        issuer = issuer.max(width_of(row.issuer.as_deref().unwrap_or("")));
    }
    Ok(vec![path, issuer, 7.0])
}

fn matrix_sheet(
    ws: &mut Worksheet,
    st: &Styles,
    a: &Audit,
    identity: &[f64],
) -> Result<(), XlsxError> {
    let l = a.lang;
    let mut headers = vec![
        l.pick("文件", "file").to_string(),
        l.pick("发文单位", "issuer").to_string(),
        l.pick("年度", "year").to_string(),
    ];
    headers.extend(a.rules.iter().map(|r| format!("{} {}", r.id, r.name)));
    let mut w = identity.to_vec();
    w.extend(a.rules.iter().map(|_| 10.0));
    frame(ws, st, &headers, &w, a.rows.len())?;
    ws.set_freeze_panes(1, 3)?;
    for (r, row) in a.rows.iter().enumerate() {
        let (r, row) = (r as u32 + 1, row?);
        ws.write_string(r, 0, &row.path)?;
        ws.write_string(r, 1, row.issuer.as_deref().unwrap_or(""))?;
        if let Some(y) = row.year {
            ws.write_number(r, 2, y)?;
        }
        for (k, cell) in row.cells.iter().enumerate() {
            let word = super::status_word(l, cell.status);
            let style = match status_key(cell.status) {
                "fail" => Some(&st.fail),
                "unknown" => Some(&st.unknown),
                "pass" => Some(&st.pass),
                _ => None,
            };
            let c = 3 + k as u16;
            match style {
                Some(s) => ws.write_string_with_format(r, c, word, s)?,
                None => ws.write_string(r, c, word)?,
            };
        }
    }
    Ok(())
}

fn figures_sheet(
    ws: &mut Worksheet,
    st: &Styles,
    a: &Audit,
    identity: &[f64],
) -> Result<(), XlsxError> {
    let l = a.lang;
    let mut headers = vec![
        l.pick("文件", "file").to_string(),
        l.pick("发文单位", "issuer").to_string(),
        l.pick("年度", "year").to_string(),
    ];
    headers.extend((0..a.indicators.len()).map(|i| indicator_heading(a, i)));
    let mut w = identity.to_vec();
    w.extend(a.indicators.iter().map(|_| 12.0));
    frame(ws, st, &headers, &w, a.rows.len())?;
    ws.set_row_height(0, 45)?;
    for (r, row) in a.rows.iter().enumerate() {
        let (r, row) = (r as u32 + 1, row?);
        ws.write_string(r, 0, &row.path)?;
        ws.write_string(r, 1, row.issuer.as_deref().unwrap_or(""))?;
        if let Some(y) = row.year {
            ws.write_number(r, 2, y)?;
        }
        for (i, v) in row.values.iter().enumerate() {
            let Some(v) = v else { continue };
            let c = 3 + i as u16;
            if v.unit == "%" {
                ws.write_number_with_format(r, c, v.value / 100.0, &st.percent)?;
            } else {
                ws.write_number(r, c, v.value)?;
            }
        }
    }
    Ok(())
}

fn crossyear_sheet(ws: &mut Worksheet, st: &Styles, a: &Audit) -> Result<(), XlsxError> {
    let l = a.lang;
    let mut headers = vec![
        l.pick("发文单位", "issuer").to_string(),
        l.pick("上一年度", "from year").to_string(),
        l.pick("本年度", "to year").to_string(),
        l.pick("新增不通过", "newly failing").to_string(),
        l.pick("新增通过", "newly passing").to_string(),
        l.pick("上年安排已报告", "arrangements reported on")
            .to_string(),
        l.pick("上年安排数", "arrangements").to_string(),
    ];
    headers.extend(
        (0..a.indicators.len())
            .map(|i| format!("{} {}", indicator_heading(a, i), l.pick("变化", "change"))),
    );
    let mut w = vec![14.0, 9.0, 9.0, 16.0, 16.0, 12.0, 12.0];
    w.extend(a.indicators.iter().map(|_| 12.0));
    frame(ws, st, &headers, &w, a.steps())?;
    ws.set_row_height(0, 45)?;
    let mut r = 1u32;
    for s in &a.series {
        for step in &s.steps {
            ws.write_string(r, 0, &s.issuer)?;
            let (from, to) = (a.rows.get(step.from)?, a.rows.get(step.to)?);
            for (c, row) in [(1, &from), (2, &to)] {
                if let Some(y) = row.year {
                    ws.write_number(r, c, y)?;
                }
            }
            let ids = |v: &[usize]| {
                v.iter()
                    .map(|&k| a.rules[k].id.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            ws.write_string(r, 3, ids(&step.newly_fail))?;
            ws.write_string(r, 4, ids(&step.newly_pass))?;
            if !step.followups.is_empty() {
                let covered = step.followups.iter().filter(|f| f.covered).count();
                ws.write_number(r, 5, covered as f64)?;
                ws.write_number(r, 6, step.followups.len() as f64)?;
            }
            for i in 0..a.indicators.len() {
                if let Some(c) = crossyear::change(&from, &to, i) {
                    let pct = to.values[i].as_ref().is_some_and(|v| v.unit == "%");
                    if pct {
                        ws.write_number_with_format(r, 7 + i as u16, c / 100.0, &st.percent)?;
                    } else {
                        ws.write_number(r, 7 + i as u16, c)?;
                    }
                }
            }
            r += 1;
        }
    }
    Ok(())
}

/// Writes the workbook, an .xlsx file, to `out`. Each sheet is written row by row to a temporary
/// file as it goes ("low memory" mode: only the shared strings stay in memory), so that an audit
/// of 10^5 reports does not hold every cell of five sheets at once.
pub fn render(a: &Audit, out: impl io::Write + Send) -> Result<(), XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let l = a.lang;
    overview_sheet(
        wb.add_worksheet_with_low_memory()?
            .set_name(l.pick("概览", "Overview"))?,
        &st,
        a,
    )?;
    text_sheet(
        wb.add_worksheet_with_low_memory()?
            .set_name(l.pick("规则", "Rules"))?,
        &st,
        &rules_grid(a)?,
    )?;
    // The file, issuer and year columns are as wide on both sheets: one pass for both.
    let identity = identity_widths(a)?;
    matrix_sheet(
        wb.add_worksheet_with_low_memory()?
            .set_name(l.pick("矩阵", "Matrix"))?,
        &st,
        a,
        &identity,
    )?;
    figures_sheet(
        wb.add_worksheet_with_low_memory()?
            .set_name(l.pick("指标", "Figures"))?,
        &st,
        a,
        &identity,
    )?;
    crossyear_sheet(
        wb.add_worksheet_with_low_memory()?
            .set_name(l.pick("跨年度", "Across years"))?,
        &st,
        a,
    )?;
    wb.save_to_writer(out)
}

//! Output stage: `audit --format table` — the overview, the rule table, the key figures and the
//! years compared, as columns aligned by display width (a CJK character is two columns wide), for
//! a terminal.

use super::{
    Grid, crossyear_grid, figures_grid, headline, notes, overview, rules_grid, value_text,
};
use crate::audit::Audit;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// Longest cell, in display columns; longer text is cut with `…`.
const MAX_CELL: usize = 40;

/// `s` cut to at most `max` display columns.
pub fn clip(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// `s` cut to at most `max` display columns, keeping the end when it is a path (`…/nanfeng-2020.txt`):
/// the reports of one run usually share their folders, and the file name is what tells them apart.
pub fn clip_cell(s: &str, max: usize) -> String {
    if s.width() <= max || !s.contains(['/', '\\']) {
        return clip(s, max);
    }
    let mut tail = Vec::new();
    let mut w = 0;
    for c in s.chars().rev() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        tail.push(c);
        w += cw;
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

/// `s` padded with spaces to `width` display columns, on the left when `right`.
pub fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Writes a grid with columns aligned by display width.
pub fn grid(w: &mut dyn Write, g: &Grid) -> io::Result<()> {
    writeln!(w, "{}", g.title)?;
    if g.is_empty() {
        return writeln!(w, "  —\n");
    }
    let clipped =
        |r: &[String]| -> Vec<String> { r.iter().map(|c| clip_cell(c, MAX_CELL)).collect() };
    // Two passes over the rows: the widths, then the lines (a grid of reports is made again
    // rather than held).
    let mut widths: Vec<usize> = clipped(&g.headers).iter().map(|c| c.width()).collect();
    for row in g.rows() {
        for (k, c) in clipped(&row?).iter().enumerate() {
            widths[k] = widths[k].max(c.width());
        }
    }
    let rows = std::iter::once(Ok(g.headers.clone())).chain(g.rows());
    for (i, row) in rows.enumerate() {
        let line: Vec<String> = clipped(&row?)
            .iter()
            .enumerate()
            .map(|(k, c)| pad(c, widths[k], i > 0 && g.numeric[k]))
            .collect();
        writeln!(w, "  {}", line.join("  ").trim_end())?;
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|&n| "─".repeat(n)).collect();
            writeln!(w, "  {}", rule.join("  "))?;
        }
    }
    writeln!(w)
}

pub fn render(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    writeln!(w, "{}\n", headline(a)?)?;
    grid(w, &overview(a, true, false))?;
    grid(w, &rules_grid(a)?)?;
    grid(w, &figures_grid(a, value_text))?;
    if !a.series.is_empty() {
        grid(w, &crossyear_grid(a))?;
    }
    writeln!(
        w,
        "{}",
        a.lang.pick(
            "✓ 通过  ✗ 不通过  ? 无法判定  – 不适用  · 关闭",
            "✓ pass  ✗ fail  ? unknown  – not applicable  · off"
        )
    )?;
    for n in notes(a) {
        writeln!(w, "{} {n}", a.lang.pick("注：", "Note:"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_columns_align_by_display_width() {
        let g = Grid::new(
            "t".into(),
            vec!["发文单位".into(), "n".into()],
            vec![false, true],
            vec![
                vec!["辛庄镇".into(), "5".into()],
                vec!["ab".into(), "12".into()],
            ],
        );
        let mut out = Vec::new();
        grid(&mut out, &g).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().skip(1).take(4).collect();
        let widths: Vec<usize> = lines.iter().map(|l| l.width()).collect();
        // The header's last cell is trimmed; every other line is as wide.
        assert_eq!(widths, vec![13, 14, 14, 14], "{text}");
        assert_eq!(lines[2], "  辛庄镇     5");
    }

    #[test]
    fn a_long_path_keeps_its_file_name() {
        let p = "/work/main/fixtures/reports/yangshe-2023-traditional.txt";
        assert_eq!(clip_cell(p, 30), "…/yangshe-2023-traditional.txt");
        assert_eq!(clip_cell("一二三四五", 6), "一二…");
        assert_eq!(clip_cell("a/b", 6), "a/b");
    }

    #[test]
    fn clip_counts_display_columns() {
        assert_eq!(clip("一二三四五", 6), "一二…");
        assert_eq!(clip("abc", 6), "abc");
    }
}

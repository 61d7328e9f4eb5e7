//! Output stage: `audit --format md` — the same tables as the terminal table, in Markdown, with
//! every rule's outcome as a word.

use super::{
    Grid, crossyear_grid, figures_grid, headline, notes, overview, rules_grid, value_text,
};
use crate::audit::Audit;
use std::io::{self, Write};

/// A cell's text with what Markdown would read as markup escaped.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn grid(w: &mut dyn Write, g: &Grid) -> io::Result<()> {
    writeln!(w, "## {}\n", g.title)?;
    if g.is_empty() {
        return writeln!(w, "—\n");
    }
    let head: Vec<String> = g.headers.iter().map(|h| cell(h)).collect();
    writeln!(w, "| {} |", head.join(" | "))?;
    let align: Vec<&str> = g
        .numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    writeln!(w, "|{}|", align.join("|"))?;
    for row in g.rows() {
        let cells: Vec<String> = row?.iter().map(|c| cell(c)).collect();
        writeln!(w, "| {} |", cells.join(" | "))?;
    }
    writeln!(w)
}

pub fn render(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    writeln!(
        w,
        "# {}\n\n{}\n",
        a.lang
            .pick("法治政府建设年度报告审计", "Audit of annual reports"),
        headline(a)?
    )?;
    grid(w, &overview(a, false, true))?;
    grid(w, &rules_grid(a)?)?;
    grid(w, &figures_grid(a, value_text))?;
    if !a.series.is_empty() {
        grid(w, &crossyear_grid(a))?;
    }
    writeln!(w, "## {}\n", a.lang.pick("说明", "Notes"))?;
    for n in notes(a) {
        writeln!(w, "- {}", cell(&n))?;
    }
    Ok(())
}

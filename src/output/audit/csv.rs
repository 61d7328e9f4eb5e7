//! Output stage: `audit --format csv` — the matrix (one row per report: identity, score, counts,
//! every rule's outcome) and the key figures (one row per report, one column per indicator, the
//! bare number; blank when the report does not state it). UTF-8 with a byte-order mark, so that
//! Excel opens Chinese text correctly; RFC 4180 quoting.

use super::{Grid, figures_grid, overview};
use crate::audit::Audit;
use crate::report::figures::format_value;
use std::io::{self, Write};

const BOM: &str = "\u{feff}";

/// A field, quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn line(w: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let f: Vec<String> = cells.iter().map(|c| field(c)).collect();
    write!(w, "{}\r\n", f.join(","))
}

/// A grid as a CSV file: the byte-order mark, the headings, the rows.
fn sheet(w: &mut dyn Write, g: &Grid) -> io::Result<()> {
    w.write_all(BOM.as_bytes())?;
    line(w, &g.headers)?;
    for r in g.rows() {
        line(w, &r?)?;
    }
    Ok(())
}

/// The matrix: one row per report, each rule's outcome as a word.
pub fn matrix(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    sheet(w, &overview(a, false, true))
}

/// The key figures: bare numbers (percentages as written: `100` for 100%), blank when absent.
pub fn figures(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    sheet(w, &figures_grid(a, |v| format_value(v.value)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        assert_eq!(super::field("a,b"), "\"a,b\"");
        assert_eq!(super::field("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(super::field("辛庄镇"), "辛庄镇");
    }
}

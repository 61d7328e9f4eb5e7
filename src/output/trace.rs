//! Output stage: `check --trace RULE` for people — how the rule decided on each report, every
//! sub-expression of its condition with the value it had and the report text it came from:
//!
//! ```text
//! trace FZ007 court-appearance-rate-full on report.txt: fail
//!   m = 行政机关负责人出庭率85%   (line 19: 85%)
//!     m.value >= 100%  →  85 % >= 100 %  →  false
//!       m.value  →  85 %   (line 19: 85%)
//! ```

use super::common::status_name;
use crate::check::finding::{ReportResult, TraceLine};
use std::io::Write;

fn line(w: &mut dyn Write, l: &TraceLine) -> std::io::Result<()> {
    let mut s = format!("{}{}", "  ".repeat(l.depth + 1), l.expr);
    if let Some(sub) = &l.substituted
        && *sub != l.expr
    {
        s.push_str("  →  ");
        s.push_str(sub);
    }
    if !l.value.is_empty() {
        s.push_str("  →  ");
        s.push_str(&l.value);
    }
    match (l.line, &l.text) {
        (Some(n), Some(t)) => s.push_str(&format!("   (line {n}: {t})")),
        (Some(n), None) => s.push_str(&format!("   (line {n})")),
        _ => {}
    }
    writeln!(w, "{s}")
}

/// The traces of one report's findings (those that carry one).
pub fn human(w: &mut dyn Write, result: &ReportResult) -> std::io::Result<()> {
    for f in &result.findings {
        let Some(trace) = &f.trace else {
            continue;
        };
        writeln!(
            w,
            "trace {} {} on {}: {}",
            f.rule,
            f.name,
            result.path,
            status_name(f.status)
        )?;
        if trace.is_empty() {
            writeln!(w, "  (nothing was evaluated: no item to check)")?;
        }
        for l in trace {
            line(w, l)?;
        }
    }
    Ok(())
}

//! Output stage: rulebooks shown to their authors — `rules list` and `explain`.

use crate::rulebook::{Rule, Rulebook};
use std::io::Write;

/// `reportlint rules list`: one line per rule.
pub fn list(w: &mut dyn Write, book: &Rulebook) -> std::io::Result<()> {
    let title = book.title.as_deref().unwrap_or("");
    writeln!(w, "{} — {title} ({} rules)", book.id, book.rules.len())?;
    let name_width = book.rules.iter().map(|r| r.name.len()).max().unwrap_or(4);
    let id_width = book.rules.iter().map(|r| r.id.len()).max().unwrap_or(2);
    for r in &book.rules {
        writeln!(
            w,
            "  {:<id_width$}  {:<name_width$}  {:<7}  {}",
            r.id,
            r.name,
            r.severity.name(),
            r.title
        )?;
    }
    Ok(())
}

fn block(w: &mut dyn Write, key: &str, text: &str) -> std::io::Result<()> {
    let text = text.trim_end();
    if text.contains('\n') {
        writeln!(w, "{key}:")?;
        for line in text.lines() {
            writeln!(w, "    {line}")?;
        }
        Ok(())
    } else {
        writeln!(w, "{key}: {text}")
    }
}

/// `reportlint explain ID`: everything about one rule.
pub fn explain(w: &mut dyn Write, rule: &Rule, book: &Rulebook) -> std::io::Result<()> {
    writeln!(w, "{} {} ({})", rule.id, rule.name, rule.severity.name())?;
    writeln!(w, "{}", rule.title)?;
    writeln!(w)?;
    writeln!(w, "rulebook: {} ({})", book.id, rule.source.name)?;
    if let Some(b) = &rule.basis {
        block(w, "basis", b)?;
    }
    if let Some(h) = &rule.help {
        block(w, "help", h)?;
    }
    if let Some(l) = &rule.link {
        block(w, "link", l)?;
    }
    if !rule.tags.is_empty() {
        writeln!(w, "tags: {}", rule.tags.join(", "))?;
    }
    if let Some(f) = &rule.for_each {
        block(w, "for", &f.list.text)?;
    }
    if let Some(c) = &rule.when {
        block(w, "when", &c.text)?;
    }
    block(w, "assert", &rule.assert.text)?;
    if let Some((text, _)) = &rule.message {
        block(w, "message", text)?;
    }
    for (kind, examples) in [("pass", &rule.examples_pass), ("fail", &rule.examples_fail)] {
        for (i, e) in examples.iter().enumerate() {
            writeln!(w, "example {kind} {}:", i + 1)?;
            for line in e.trim_end().lines() {
                writeln!(w, "    | {line}")?;
            }
        }
    }
    Ok(())
}

//! Output stage: `reportlint inspect` — the report model as a compact tree for people, or as JSON.
//!
//! The human view prints what a rule author needs to learn what the parser sees: each fact with
//! the line it was found on, the outline indented by depth with the inline items under their
//! heading, the signature and footer, and the figures with their labels. Texts are shown
//! normalised (simplified characters, half-width digits): that is what rules match.

use crate::input::{InputError, Source};
use crate::report::figures::format_value;
use crate::report::{Report, Span};
use serde::Serialize;
use std::io::Write;

const KEY_WIDTH: usize = 11;

fn fact(w: &mut dyn Write, key: &str, span: Option<Span>, value: &str) -> std::io::Result<()> {
    let line = span.map_or(String::new(), |s| format!("L{}", s.line));
    writeln!(w, "  {key:<KEY_WIDTH$} {line:<6} {value}")
}

fn source_name(s: crate::report::Source) -> &'static str {
    use crate::report::Source::*;
    match s {
        Title => "title",
        Letterhead => "letterhead",
        Body => "body",
        Heading => "heading",
        Signature => "signature",
        Issued => "issue line",
        Subtitle => "subtitle",
        Metadata => "page metadata",
    }
}

/// Writes the human view of one report.
pub fn human(w: &mut dyn Write, source: &Source, r: &Report) -> std::io::Result<()> {
    writeln!(
        w,
        "{} ({}, {}, {} bytes, {} lines)",
        crate::input::shown(&source.path),
        source.format.name(),
        source.encoding,
        r.original.len(),
        r.lines.len()
    )?;
    let none = "—";
    match &r.title {
        Some(t) => fact(w, "title", Some(t.span), &t.text)?,
        None => fact(w, "title", None, none)?,
    }
    match &r.year {
        Some(y) => fact(
            w,
            "year",
            Some(y.span),
            &format!("{} (from {})", y.value, source_name(y.source)),
        )?,
        None => fact(w, "year", None, none)?,
    }
    match &r.issuer {
        Some(i) => fact(
            w,
            "issuer",
            Some(i.span),
            &format!("{} (from {})", i.text, source_name(i.source)),
        )?,
        None => fact(w, "issuer", None, none)?,
    }
    match &r.doc_number {
        Some(d) => fact(w, "doc number", Some(d.span), &d.text)?,
        None => fact(w, "doc number", None, none)?,
    }
    match &r.addressee {
        Some(a) => fact(w, "addressee", Some(a.span), &a.text)?,
        None => fact(w, "addressee", None, none)?,
    }
    match &r.date {
        Some(d) => fact(
            w,
            "date",
            Some(d.span),
            &format!("{} (from {})", d.date, source_name(d.source)),
        )?,
        None => fact(w, "date", None, none)?,
    }
    for l in &r.front_matter {
        let kind = match l.kind {
            crate::report::FrontKind::Letterhead => "letterhead",
            crate::report::FrontKind::Other => "front line",
        };
        fact(w, kind, Some(l.span), &l.text)?;
    }

    writeln!(
        w,
        "  outline     {} headings, {} paragraphs, {} items",
        r.sections.len(),
        r.paragraphs.len(),
        r.paragraphs.iter().map(|p| p.items.len()).sum::<usize>()
    )?;
    // Headings and items in document order; items one step deeper than their section.
    let mut entries: Vec<(usize, usize, String, usize)> = r
        .sections
        .iter()
        .map(|s| {
            let sep = if s.marker.is_empty() { "" } else { " " };
            let styled = if s.marker.is_empty() {
                format!(" [h{}]", s.level)
            } else {
                String::new()
            };
            (
                s.heading_span.start,
                s.depth,
                format!("{}{sep}{}{styled}", s.marker, s.title),
                s.heading_span.line,
            )
        })
        .collect();
    for p in &r.paragraphs {
        let depth = p.section.map_or(0, |i| r.sections[i].depth + 1);
        for it in &p.items {
            entries.push((
                it.span.start,
                depth,
                format!("{} {}", it.marker, it.title),
                it.span.line,
            ));
        }
    }
    entries.sort_by_key(|e| e.0);
    for (_, depth, text, line) in entries {
        let indent = "  ".repeat(depth);
        writeln!(w, "    {:<8}{indent}{text}", format!("L{line}"))?;
    }

    match &r.signature {
        Some(s) => {
            let issuer = s.issuer.as_ref().map_or(none, |i| i.text.as_str());
            let date = s
                .date
                .as_ref()
                .map_or(none.to_string(), |d| d.date.to_string());
            fact(w, "signature", Some(s.span), &format!("{issuer} · {date}"))?;
        }
        None => fact(w, "signature", None, none)?,
    }
    if r.footer.is_empty() {
        fact(w, "footer", None, none)?;
    } else {
        writeln!(w, "  footer")?;
        for f in &r.footer {
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            writeln!(
                w,
                "    {:<8}{kind:<13} {}",
                format!("L{}", f.span.line),
                f.text
            )?;
        }
    }
    if r.chrome.is_empty() {
        fact(w, "chrome", None, none)?;
    } else {
        let n = r.chrome.len();
        let blocks = if n == 1 { "block" } else { "blocks" };
        writeln!(w, "  chrome      {n} {blocks} of web-page chrome")?;
        for c in &r.chrome {
            let kind = serde_json::to_value(c.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let first = c.text.lines().next().unwrap_or_default();
            let lines = if c.span.end_line > c.span.line {
                format!("L{}-{}", c.span.line, c.span.end_line)
            } else {
                format!("L{}", c.span.line)
            };
            writeln!(w, "    {lines:<8}{kind:<13} {first}")?;
        }
    }
    writeln!(w, "  figures     {}", r.figures.len())?;
    for f in &r.figures {
        let approx = if f.approximate { "~" } else { "" };
        writeln!(
            w,
            "    {:<8}{} = {approx}{} {}",
            format!("L{}", f.span.line),
            if f.label.is_empty() { "?" } else { &f.label },
            format_value(f.value),
            f.unit
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    path: String,
    format: crate::input::Format,
    encoding: &'a str,
    bytes: usize,
    lines: usize,
    #[serde(flatten)]
    model: &'a Report,
}

#[derive(Serialize)]
struct JsonError {
    path: Option<String>,
    code: String,
    message: String,
}

fn error_path(e: &InputError) -> Option<String> {
    Some(crate::input::shown(e.path()))
}

/// Writes `{"reports": [ … ], "errors": [ … ]}` one report at a time (fields documented in
/// docs/model.md), so that a large run never holds more than one report.
#[derive(Default)]
pub struct JsonStream {
    started: bool,
}

impl JsonStream {
    pub fn report(&mut self, w: &mut dyn Write, s: &Source, r: &Report) -> std::io::Result<()> {
        w.write_all(if self.started {
            b",\n"
        } else {
            b"{\"reports\": [\n"
        })?;
        self.started = true;
        let doc = JsonReport {
            path: crate::input::shown(&s.path),
            format: s.format,
            encoding: s.encoding,
            bytes: r.original.len(),
            lines: r.lines.len(),
            model: r,
        };
        serde_json::to_writer(&mut *w, &doc)?;
        Ok(())
    }

    pub fn finish(self, w: &mut dyn Write, errors: &[InputError]) -> std::io::Result<()> {
        w.write_all(if self.started {
            b"\n],\n"
        } else {
            b"{\"reports\": [],\n"
        })?;
        let errors: Vec<JsonError> = errors
            .iter()
            .map(|e| JsonError {
                path: error_path(e),
                code: miette::Diagnostic::code(e).map_or_else(String::new, |c| c.to_string()),
                message: e.to_string(),
            })
            .collect();
        w.write_all(b"\"errors\": ")?;
        serde_json::to_writer(&mut *w, &errors)?;
        w.write_all(b"}\n")
    }
}

//! Output stage: renderers, one file per format. Leaves of the pipeline: they read the model and
//! write; nothing imports them but the CLI.

pub mod audit;

pub(crate) mod common;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod inspect;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod rules;
pub mod sarif;
pub mod statistics;
pub mod trace;

use crate::check::finding::{ReportResult, Summary};
use std::io::{self, Write};

/// An input that could not be read, as every `check` format reports it: a SARIF notification, a
/// JUnit error, a GitHub `::error`, a JSON `errors` entry.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// The path as shown to people ([`crate::input::shown`]).
    pub path: String,
    /// The path as a URI reference, from the file name's own bytes.
    pub uri: String,
    /// `input::empty`, `input::binary`…
    pub code: String,
    /// The whole message, path first: `a.txt: the file is empty`.
    pub message: String,
    pub help: Option<String>,
}

impl From<&crate::input::InputError> for Unreadable {
    fn from(e: &crate::input::InputError) -> Self {
        use miette::Diagnostic;
        Unreadable {
            path: crate::input::shown(e.path()),
            uri: common::bytes_to_uri(&crate::input::path_bytes(e.path())),
            code: e.code().map(|c| c.to_string()).unwrap_or_default(),
            message: e.to_string(),
            help: e.help().map(|h| h.to_string()),
        }
    }
}

/// A `check` format that is one document, written a report at a time (JSON, SARIF, JUnit,
/// GitLab): each format's `Stream::begin` opens it, `report` takes each result in input order,
/// `end` closes it with the inputs that could not be read and the run's totals.
pub trait DocumentStream {
    fn report(&mut self, w: &mut dyn Write, r: &ReportResult) -> io::Result<()>;
    /// `report`, given what the format rendered for `r` on a worker thread (empty when it
    /// renders nothing ahead, as JUnit and GitLab): JSON writes those bytes between its
    /// separators; SARIF fills in each result's rule index as it numbers the rules met.
    fn rendered(&mut self, w: &mut dyn Write, r: &ReportResult, fragment: &[u8]) -> io::Result<()> {
        let _ = fragment;
        self.report(w, r)
    }
    fn end(
        self: Box<Self>,
        w: &mut dyn Write,
        summary: &Summary,
        unreadable: &[Unreadable],
    ) -> io::Result<()>;
}

/// A whole document from results held in memory, through its stream: what `check` writes.
#[cfg(test)]
pub(crate) fn render_whole(
    mut stream: Box<dyn DocumentStream>,
    w: &mut dyn Write,
    results: &[ReportResult],
    summary: &Summary,
    unreadable: &[Unreadable],
) -> io::Result<()> {
    for r in results {
        stream.report(w, r)?;
    }
    stream.end(w, summary, unreadable)
}

/// Renders miette diagnostics (errors about inputs, later rulebooks and findings) as text.
pub struct Diagnostics {
    handler: miette::GraphicalReportHandler,
}

impl Diagnostics {
    pub fn new(color: bool) -> Self {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        Diagnostics {
            handler: miette::GraphicalReportHandler::new_themed(theme).with_width(100),
        }
    }

    /// Writes one diagnostic.
    pub fn emit(&self, w: &mut dyn Write, d: &dyn miette::Diagnostic) -> std::io::Result<()> {
        let mut s = String::new();
        if self.handler.render_report(&mut s, d).is_err() {
            s = format!("error: {d}\n");
        }
        w.write_all(s.as_bytes())
    }
}

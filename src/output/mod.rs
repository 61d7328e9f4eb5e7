//! Output stage: renderers, one file per format. Leaves of the pipeline: they read the model and
//! write; nothing imports them but the CLI.

pub mod audit;
mod common;
pub mod github;
pub mod human;
pub mod inspect;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod rules;
pub mod sarif;
pub mod trace;

use std::io::Write;

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

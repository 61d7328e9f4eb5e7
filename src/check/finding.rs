//! Check stage: findings — what renderers print, one per rule × report (× `for` item).

use crate::report::Span;
use crate::rulebook::Severity;
use serde::Serialize;

/// The outcome of a rule on a report, as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    /// The report does not say enough to decide (see `reason`).
    Unknown,
    /// The rule's `when` was false.
    NotApplicable,
}

/// One rule's verdict on one report (or on one item of a `for` rule).
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `FZ005`
    pub rule: String,
    /// `next-year-arrangements`
    pub name: String,
    pub severity: Severity,
    pub status: Status,
    /// The rule's message with its `{…}` filled in; its title for passes.
    pub message: String,
    /// Why the outcome is unknown.
    pub reason: Option<String>,
    /// Where in the report: the evidence, or for a missing part the place where it was expected.
    pub span: Option<Span>,
    /// The original text of `span` (at most 200 characters).
    pub evidence: Option<String>,
    /// False when `span` is where something was expected rather than evidence found.
    pub span_is_evidence: bool,
    pub title: String,
    pub help: Option<String>,
    pub basis: Option<String>,
    pub link: Option<String>,
}

/// All findings on one report, in rule order.
#[derive(Debug, Clone, Serialize)]
pub struct ReportResult {
    /// The report's path as given on the command line (or found under a directory).
    pub path: String,
    pub findings: Vec<Finding>,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub reports: usize,
    /// Failed findings by severity.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub unknowns: usize,
    pub passes: usize,
    /// Inputs that could not be read.
    pub unreadable: usize,
    pub elapsed_ms: u128,
}

impl Summary {
    /// `5 reports: 5 errors, 6 warnings, 6 infos, 2 unknowns`, as renderers say it.
    pub fn counts(&self) -> String {
        let n =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}: {}, {}, {}, {}",
            n(self.reports, "report", "reports"),
            n(self.errors, "error", "errors"),
            n(self.warnings, "warning", "warnings"),
            n(self.infos, "info", "infos"),
            n(self.unknowns, "unknown", "unknowns"),
        )
    }

    pub fn add(&mut self, r: &ReportResult) {
        self.reports += 1;
        for f in &r.findings {
            match (f.status, f.severity) {
                (Status::Fail, Severity::Error) => self.errors += 1,
                (Status::Fail, Severity::Warning) => self.warnings += 1,
                (Status::Fail, Severity::Info) => self.infos += 1,
                (Status::Unknown, _) => self.unknowns += 1,
                (Status::Pass, _) => self.passes += 1,
                (Status::NotApplicable, _) => {}
            }
        }
    }
}

//! Check stage: findings — what renderers print, one per rule × report (× `for` item).

use crate::report::Span;
use crate::rulebook::Severity;
use serde::Serialize;

/// The outcome of a rule on a report, as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    /// The report does not say enough to decide (see `reason`).
    Unknown,
    /// The rule's `when` was false.
    NotApplicable,
    /// A failure the configuration's `waivers` accept until a date (`reason` says whose and
    /// why): listed and counted, never failing the run.
    Waived,
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
    /// How the rule decided (`check --trace RULE`): each sub-expression with its value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceLine>>,
}

/// One line of a rule's trace: a sub-expression, its value and the report text it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceLine {
    /// Nesting: 0 for a whole condition (or a `for` item's header).
    pub depth: usize,
    /// The expression as written: `m.value >= 100%`.
    pub expr: String,
    /// For an operator, its operands' values in their place: `85 % >= 100 %`.
    pub substituted: Option<String>,
    /// The value: `85 %`, `true`, `"%"`, `missing (no figure is labelled /出庭率/)`.
    pub value: String,
    /// The line of the report text the value came from.
    pub line: Option<usize>,
    /// That text (at most 40 characters).
    pub text: Option<String>,
}

/// All findings on one report, in rule order.
#[derive(Debug, Clone, Serialize)]
pub struct ReportResult {
    /// The report's path as given on the command line (or found under a directory), as shown
    /// to people ([`crate::input::shown`]: a name that is not UTF-8 is escaped).
    pub path: String,
    /// The file itself, when the report came from one: its exact bytes for URIs.
    #[serde(skip)]
    pub file: Option<std::path::PathBuf>,
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
    /// Failures accepted by a waiver (not counted as errors, warnings or infos).
    pub waived: usize,
    /// Failures left out because the baseline (`--baseline FILE`) records them.
    pub baselined: usize,
    pub elapsed_ms: u128,
}

impl Summary {
    /// `5 reports: 5 errors, 6 warnings, 6 infos, 2 unknowns`, as renderers say it.
    pub fn counts(&self) -> String {
        let n =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut out = format!(
            "{}: {}, {}, {}, {}",
            n(self.reports, "report", "reports"),
            n(self.errors, "error", "errors"),
            n(self.warnings, "warning", "warnings"),
            n(self.infos, "info", "infos"),
            n(self.unknowns, "unknown", "unknowns"),
        );
        if self.waived > 0 {
            out.push_str(&format!(", {} waived", self.waived));
        }
        if self.baselined > 0 {
            out.push_str(&format!(", {} baselined", self.baselined));
        }
        out
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
                (Status::Waived, _) => self.waived += 1,
            }
        }
    }
}

impl Finding {
    /// A fingerprint of this finding that survives edits elsewhere in the report: the rule id and
    /// the evidence text with all whitespace removed (or, for a missing part, the message), hashed
    /// with 64-bit FNV-1a and printed as 16 hex digits. Line numbers are not part of it, so a
    /// finding keeps its fingerprint when lines above it move. Baselines and SARIF
    /// `partialFingerprints` use it; the hash is fixed here, never `std`'s (which may change).
    pub fn fingerprint(&self) -> String {
        let text = match (&self.evidence, self.span_is_evidence) {
            (Some(e), true) => e.as_str(),
            _ => self.message.as_str(),
        };
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |b: u8| {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        };
        self.rule.bytes().for_each(&mut eat);
        eat(0);
        text.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(|c| {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf).as_bytes().to_vec()
            })
            .for_each(&mut eat);
        format!("{h:016x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, evidence: &str, line: usize) -> Finding {
        Finding {
            rule: rule.into(),
            name: "n".into(),
            severity: Severity::Warning,
            status: Status::Fail,
            message: "m".into(),
            reason: None,
            span: Some(Span {
                start: line * 10,
                end: line * 10 + 3,
                line,
                ..Span::default()
            }),
            evidence: Some(evidence.into()),
            span_is_evidence: true,
            title: "t".into(),
            help: None,
            basis: None,
            link: None,
            trace: None,
        }
    }

    #[test]
    fn fingerprint_ignores_position_and_whitespace_but_not_rule_or_text() {
        let a = finding("FZ003", "存在的不足 和原因", 3);
        assert_eq!(
            a.fingerprint(),
            finding("FZ003", "存在的不足和原因", 40).fingerprint()
        );
        assert_ne!(
            a.fingerprint(),
            finding("FZ004", "存在的不足和原因", 3).fingerprint()
        );
        assert_ne!(
            a.fingerprint(),
            finding("FZ003", "存在的问题和原因", 3).fingerprint()
        );
        assert_eq!(a.fingerprint().len(), 16);
        // Fixed by the algorithm, not by the toolchain: a baseline written today still matches.
        assert_eq!(finding("X", "", 0).fingerprint(), {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in [b'X', 0] {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{h:016x}")
        });
    }
}

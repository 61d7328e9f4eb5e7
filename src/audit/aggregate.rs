//! Audit stage: per-rule totals over all rows — how many reports pass, fail, are unknown — and
//! the rules failed most, each with a few example reports.

use super::store::Rows;
use crate::check::finding::Status;

/// How many example reports a rule keeps.
pub const EXAMPLES: usize = 3;

/// One rule over all reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleStats {
    /// Index of the rule in the rule list.
    pub rule: usize,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub not_applicable: usize,
    pub off: usize,
    /// Up to [`EXAMPLES`] failing reports: row index.
    pub examples: Vec<usize>,
}

impl RuleStats {
    /// The share of decided reports that pass, 0–1; `None` when none was decided.
    pub fn pass_rate(&self) -> Option<f64> {
        let decided = self.pass + self.fail;
        (decided > 0).then(|| self.pass as f64 / decided as f64)
    }
}

/// Totals per rule, the rules failed most first (then in rule order).
pub fn per_rule(rules: usize, rows: &Rows) -> std::io::Result<Vec<RuleStats>> {
    let mut stats: Vec<RuleStats> = (0..rules)
        .map(|rule| RuleStats {
            rule,
            ..RuleStats::default()
        })
        .collect();
    for (r, row) in rows.iter().enumerate() {
        for (s, cell) in stats.iter_mut().zip(&row?.cells) {
            match cell.status {
                None => s.off += 1,
                Some(Status::Pass) => s.pass += 1,
                Some(Status::Fail) => {
                    s.fail += 1;
                    if s.examples.len() < EXAMPLES {
                        s.examples.push(r);
                    }
                }
                Some(Status::Unknown) => s.unknown += 1,
                // Audits apply no waivers; a waived failure would not count against a report.
                Some(Status::NotApplicable | Status::Waived) => s.not_applicable += 1,
            }
        }
    }
    stats.sort_by(|a, b| b.fail.cmp(&a.fail).then(a.rule.cmp(&b.rule)));
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditRow, Cell};
    use crate::rulebook::Severity;

    fn row(statuses: &[Option<Status>]) -> AuditRow {
        AuditRow {
            path: "r.txt".into(),
            issuer: None,
            issuer_key: None,
            year: None,
            date: None,
            title: None,
            cells: statuses
                .iter()
                .map(|s| Cell {
                    status: *s,
                    severity: Severity::Warning,
                    finding: None,
                    failures: usize::from(*s == Some(Status::Fail)),
                })
                .collect(),
            values: Vec::new(),
            arrangements: Vec::new(),
        }
    }

    #[test]
    fn rules_failed_most_come_first_with_at_most_three_examples() {
        let f = Some(Status::Fail);
        let p = Some(Status::Pass);
        let mut rows = Rows::new();
        for _ in 0..5 {
            rows.push(&row(&[p, f, Some(Status::Unknown)])).unwrap();
        }
        let stats = per_rule(3, &rows).unwrap();
        assert_eq!(stats[0].rule, 1);
        assert_eq!(stats[0].fail, 5);
        assert_eq!(stats[0].examples, vec![0, 1, 2]);
        assert_eq!(stats[1].rule, 0);
        assert_eq!(stats[1].pass_rate(), Some(1.0));
        assert_eq!(stats[2].unknown, 5);
        assert_eq!(stats[2].pass_rate(), None);
    }

    #[test]
    fn score_weights_severities_and_leaves_unknowns_out() {
        let mut r = row(&[
            Some(Status::Pass),
            Some(Status::Fail),
            Some(Status::Unknown),
        ]);
        r.cells[0].severity = Severity::Error; // 3 passed
        r.cells[1].severity = Severity::Info; // 1 failed
        assert_eq!(r.score(), Some(75.0));
        let c = r.counts();
        assert_eq!((c.infos, c.unknowns, c.passes), (1, 1, 1));
        assert_eq!(row(&[Some(Status::Unknown), None]).score(), None);
    }
}

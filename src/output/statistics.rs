//! Output stage: `reportlint check --statistics` — instead of each finding, one line per rule
//! that failed or could not be decided: how often, its id and name; the most frequent first.

use crate::check::finding::{ReportResult, Status};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Counts per rule, filled as reports are checked.
#[derive(Debug, Default)]
pub struct Statistics {
    /// (id, name) → (failures, unknowns).
    counts: BTreeMap<(String, String), (usize, usize)>,
}

impl Statistics {
    pub fn add(&mut self, r: &ReportResult) {
        for f in &r.findings {
            let (fail, unknown) = match f.status {
                Status::Fail => (1, 0),
                Status::Unknown => (0, 1),
                _ => continue,
            };
            let c = self
                .counts
                .entry((f.rule.clone(), f.name.clone()))
                .or_default();
            c.0 += fail;
            c.1 += unknown;
        }
    }

    /// `count  id  name`, aligned, most frequent first (ties by id); unknowns on their own lines,
    /// marked, after the failures. `unknown_word` is how the language says it.
    pub fn write(&self, w: &mut dyn Write, unknown_word: &str) -> io::Result<()> {
        let mut rows: Vec<(usize, &str, String)> = Vec::new();
        for ((id, name), (fail, unknown)) in &self.counts {
            if *fail > 0 {
                rows.push((*fail, id, name.clone()));
            }
            if *unknown > 0 {
                rows.push((*unknown, id, format!("{name} ({unknown_word})")));
            }
        }
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let width = rows
            .iter()
            .map(|r| r.0.to_string().len())
            .max()
            .unwrap_or(1);
        for (n, id, name) in rows {
            writeln!(w, "{n:>width$}  {id}  {name}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::common::fixture;

    #[test]
    fn one_line_per_rule_most_frequent_first() {
        let (results, _) = fixture::results();
        let mut s = Statistics::default();
        for r in &results {
            s.add(r);
        }
        let mut out = Vec::new();
        s.write(&mut out, "unknown").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "2  FZ002  leader-duty\n\
             2  FZ005  signature-date (unknown)\n\
             2  FZ007  item-has-figure\n\
             1  FZ003  next-year-plan\n\
             1  FZ004  rate-figure\n"
        );
    }
}

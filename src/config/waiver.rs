//! Waivers: known exceptions, written in the configuration with who accepted them, why, and
//! until when.
//!
//! ```yaml
//! waivers:
//!   - {rule: FZ010, path: "2023/*.txt", reason: 报送日期以收文登记为准, until: 2025-06-30, by: 法制科}
//! ```
//!
//! A failure of `rule` on a report whose path matches `path` is reported as **waived**: listed and
//! counted, never failing the run. A waiver past its `until` date is an error naming it, so an
//! exception cannot become permanent silently; one that matched nothing in a run is a warning.

use super::loader::Loader;
use super::{Config, codes, glob_pattern};
use crate::report::Date;
use crate::rulebook::RulebookError;
use crate::rulebook::yaml::shape::WAIVER_FIELDS;
use crate::rulebook::yaml::{Kind, Node, found};
use globset::{GlobBuilder, GlobMatcher};
use std::ops::Range;

/// One validated waiver.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The rule id: `FZ010`.
    pub rule: String,
    /// The glob as written.
    pub path: String,
    matcher: GlobMatcher,
    pub reason: String,
    /// The last day it holds.
    pub until: Date,
    pub by: String,
    /// Where the entry is written (its `rule`), and its `until`, in the configuration file.
    pub span: Range<usize>,
    pub until_span: Range<usize>,
}

impl Waiver {
    /// `FZ010 on 2023/*.txt`, as messages name it.
    pub fn name(&self) -> String {
        format!("the waiver of {} on `{}`", self.rule, self.path)
    }

    /// What a waived finding says about it.
    pub fn note(&self) -> String {
        format!(
            "waived until {} by {}: {}",
            self.until, self.by, self.reason
        )
    }
}

impl Config {
    /// The first waiver for `rule_id` whose glob matches `report_path` (its index).
    pub fn waiver_for(&self, report_path: &std::path::Path, rule_id: &str) -> Option<usize> {
        if !self.waivers.iter().any(|w| w.rule == rule_id) {
            return None;
        }
        let candidates = self.candidates(report_path);
        self.waivers
            .iter()
            .position(|w| w.rule == rule_id && candidates.iter().any(|c| w.matcher.is_match(c)))
    }

    /// An error for every waiver whose `until` is before `today`.
    pub fn expired_waivers(&self, today: Date) -> Vec<RulebookError> {
        let Some(file) = self.source() else {
            return Vec::new();
        };
        self.waivers
            .iter()
            .filter(|w| w.until < today)
            .map(|w| {
                RulebookError::new(
                    codes::EXPIRED_WAIVER,
                    format!("{} expired on {}", w.name(), w.until),
                    file,
                    w.until_span.clone(),
                    format!("expired (today is {today})"),
                )
                .with_help(format!(
                    "it was accepted by {} because {}: renew it with a later `until` if the \
                     exception still holds, or remove it and fix the reports",
                    w.by, w.reason
                ))
            })
            .collect()
    }

    /// The warning for a waiver that matched no failure in a run.
    pub fn unused_waiver(&self, index: usize) -> Option<RulebookError> {
        let (file, w) = (self.source()?, self.waivers.get(index)?);
        Some(
            RulebookError::new(
                codes::UNUSED_WAIVER,
                format!("{} matched no failure", w.name()),
                file,
                w.span.clone(),
                "waives nothing in this run",
            )
            .with_help(
                "remove it if the reports are fixed, or correct its `rule` or `path` (a glob \
                 relative to the configuration file)",
            )
            .warning(),
        )
    }
}

/// Today's date in UTC, from the system clock.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// The date `days` after 1970-01-01 (Howard Hinnant's civil-from-days).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date::new(year, month, day).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

/// `2025-06-30`.
fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

impl Loader<'_> {
    /// The `waivers` list: every entry checked, each mistake reported at its place.
    pub(super) fn waivers(&mut self, value: &Node) -> Vec<Waiver> {
        let keys: Vec<&str> = WAIVER_FIELDS.iter().map(|f| f.key).collect();
        let items = match &value.value {
            Kind::Seq(items) => items,
            Kind::Null => return Vec::new(),
            _ => {
                self.wrong_type(
                    "waivers",
                    "a list of waivers",
                    value,
                    Some(
                        "one `- {rule: FZ010, path: \"drafts/**\", reason: …, until: 2025-12-31, by: …}` per line under `waivers:`"
                            .to_owned(),
                    ),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let owner = format!("waiver #{}", i + 1);
            if !matches!(item.value, Kind::Map(_)) {
                self.push(
                    codes::WRONG_TYPE,
                    format!("{owner} must be a mapping, not {}", found(item)),
                    self.range(item),
                    "expected `rule`, `path`, `reason`, `until` and `by`",
                    None,
                );
                continue;
            }
            let mut fields: Vec<(&str, String, Range<usize>)> = Vec::new();
            for (name, key, v) in self.entries(item, &owner) {
                let Some(k) = keys.iter().copied().find(|k| *k == name) else {
                    self.unknown_key(&name, key, &keys, &owner);
                    continue;
                };
                match self.scalar_text(v).filter(|t| !t.trim().is_empty()) {
                    Some(text) => fields.push((k, text, self.range(v))),
                    None => self.push(
                        codes::WRONG_TYPE,
                        format!("`{k}` of {owner} must be text, not {}", found(v)),
                        self.range(v),
                        "expected a value",
                        None,
                    ),
                }
            }
            let get = |k: &str| fields.iter().find(|(n, _, _)| *n == k);
            let missing: Vec<&str> = keys.iter().copied().filter(|k| get(k).is_none()).collect();
            if !missing.is_empty() {
                self.push(
                    codes::MISSING_KEY,
                    format!(
                        "{owner} lacks {}",
                        missing
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    self.range(item),
                    "incomplete waiver",
                    Some(
                        "a waiver says which rule, for which files, why, until when and who \
                         accepted it: `rule`, `path`, `reason`, `until`, `by`"
                            .to_owned(),
                    ),
                );
                continue;
            }
            let (rule, path, reason, until, by) = (
                get("rule").expect("checked"),
                get("path").expect("checked"),
                get("reason").expect("checked"),
                get("until").expect("checked"),
                get("by").expect("checked"),
            );
            let Some(date) = parse_date(&until.1) else {
                self.push(
                    codes::WRONG_TYPE,
                    format!("`until` of {owner} is not a date: `{}`", until.1),
                    until.2.clone(),
                    "expected YYYY-MM-DD",
                    Some(
                        "write the last day the waiver holds, e.g. `until: 2025-12-31`".to_owned(),
                    ),
                );
                continue;
            };
            let matcher = match GlobBuilder::new(glob_pattern(&path.1))
                .literal_separator(true)
                .backslash_escape(true)
                .build()
            {
                Ok(g) => g.compile_matcher(),
                Err(e) => {
                    let reason = e.kind().to_string();
                    self.push(
                        codes::BAD_GLOB,
                        format!("invalid glob `{}`: {reason}", path.1),
                        path.2.clone(),
                        reason,
                        None,
                    );
                    continue;
                }
            };
            out.push(Waiver {
                rule: rule.1.clone(),
                path: path.1.clone(),
                matcher,
                reason: reason.1.clone(),
                until: date,
                by: by.1.clone(),
                span: rule.2.clone(),
                until_span: until.2.clone(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(civil_from_days(19_782).to_string(), "2024-02-29");
        assert_eq!(civil_from_days(20_088).to_string(), "2024-12-31");
        assert!(today().year >= 2024);
        assert_eq!(parse_date("2025-06-30").unwrap().to_string(), "2025-06-30");
        assert!(parse_date("2025-02-30").is_none() && parse_date("30.6.2025").is_none());
    }
}

//! Rulebook stage: indicators — the key figures `reportlint audit` reads from every report.
//!
//! An indicator is data in the rulebook (`indicators:`): an id, the column headings, the label
//! pattern of the figures that state it (a regex literal or a `let` name bound to one), an
//! optional exclusion pattern, the units it may be stated in, and examples (a snippet and the
//! value it must give, or none for blank). Its value on a report is the first figure whose label
//! matches — never computed, never guessed; a report that does not state it has none.
//! Hands on: [`Indicator`]s, checked like rules (every mistake labelled in the YAML).

use super::raw::RawIndicator;
use super::{RulebookError, SourceFile, compile_expr, yaml};
use crate::expr::compile::{CExpr, CKind, Scope};
use crate::expr::value::Value;
use crate::report::Report;
use serde_saphyr::Spanned;
use std::sync::Arc;

/// A validated indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// kebab-case: `court-appearance-rate`
    pub id: String,
    /// The Chinese heading: `行政机关负责人出庭应诉率`.
    pub name: String,
    /// The English heading (`--lang en`); the id when the rulebook gives none.
    pub name_en: String,
    pub label: Arc<regex::Regex>,
    pub unless: Option<Arc<regex::Regex>>,
    /// Accepted units (`%`, `件`); empty: any.
    pub units: Vec<String>,
    /// Snippets and the value each must give (`None`: blank).
    pub examples: Vec<(String, Option<f64>)>,
}

impl Indicator {
    /// The index of the figure of `report` that states this indicator, if the report states it.
    pub fn find(&self, report: &Report) -> Option<usize> {
        report.figures.iter().position(|f| {
            self.label.is_match(&f.label)
                && !self.unless.as_ref().is_some_and(|u| u.is_match(&f.label))
                && (self.units.is_empty() || self.units.contains(&f.unit))
        })
    }

    /// True when the indicator is a percentage (its only unit is `%`).
    pub fn is_percent(&self) -> bool {
        self.units.len() == 1 && self.units[0] == "%"
    }
}

/// The regex a compiled expression stands for, when it is a literal or a `let` bound to one.
fn constant_regex(e: &CExpr) -> Option<Arc<regex::Regex>> {
    match &e.kind {
        CKind::Lit(Value::Regex(r)) => Some(r.clone()),
        CKind::Let(_, inner) => constant_regex(inner),
        _ => None,
    }
}

/// Compiles a pattern key (`label`, `unless`, `arrangements`): a regex literal or a `let` name.
pub(super) fn compile_pattern(
    file: &SourceFile,
    value: &Spanned<String>,
    scope: &Scope,
    key: &str,
) -> Result<Arc<regex::Regex>, Vec<RulebookError>> {
    let e = compile_expr(file, value, &mut scope.clone(), None)?;
    constant_regex(&e).ok_or_else(|| {
        vec![
            RulebookError::new(
                "rulebook::indicator",
                format!("`{key}` must be a regex (`/…/`) or a `let` name bound to one"),
                file,
                yaml::value_range(file, value),
                e.ty.a(),
            )
            .with_help("e.g. `label: /出庭(应诉)?率/` or `label: court_rate`"),
        ]
    })
}

/// Validates and compiles one indicator; `seen` holds the ids before it in this file.
pub(super) fn compile_indicator(
    file: &SourceFile,
    raw: &RawIndicator,
    scope: &Scope,
    seen: &[&str],
) -> Result<Indicator, Vec<RulebookError>> {
    let mut errors = Vec::new();
    let err = |code: &'static str, msg: String, at: &Spanned<String>, label: &str| {
        RulebookError::new(code, msg, file, yaml::value_range(file, at), label)
    };
    if !super::yaml::is_kebab(&raw.id.value) {
        errors.push(err(
            "rulebook::indicator",
            format!("indicator id `{}` is not kebab-case", raw.id.value),
            &raw.id,
            "expected lowercase words joined by `-`",
        ));
    }
    if seen.contains(&raw.id.value.as_str()) {
        errors.push(err(
            "rulebook::duplicate_id",
            format!("indicator id `{}` is used twice", raw.id.value),
            &raw.id,
            "already used above",
        ));
    }
    let label = compile_pattern(file, &raw.label, scope, "label")
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let unless = match &raw.unless {
        None => None,
        Some(u) => match compile_pattern(file, u, scope, "unless") {
            Ok(r) => Some(r),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
    };
    let mut examples = Vec::new();
    for ex in raw.examples.iter().flat_map(|e| e.value.iter()) {
        let value = match &ex.value {
            None => None,
            Some(v) => match v.value.trim().trim_end_matches('%').parse::<f64>() {
                Ok(n) if n.is_finite() => Some(n),
                _ => {
                    errors.push(
                        err(
                            "rulebook::indicator",
                            format!("example value `{}` is not a number", v.value),
                            v,
                            "expected a number",
                        )
                        .with_help("write the number the snippet states (`100` for 100%), or leave `value` out for a snippet that does not state it"),
                    );
                    None
                }
            },
        };
        examples.push((ex.text.value.clone(), value));
    }
    let (Some(label), true) = (label, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Indicator {
        id: raw.id.value.clone(),
        name: raw.name.value.clone(),
        name_en: raw
            .name_en
            .as_ref()
            .map_or_else(|| raw.id.value.clone(), |n| n.value.clone()),
        label,
        unless,
        units: raw
            .unit
            .as_ref()
            .map(|u| u.value.iter().map(|x| x.value.clone()).collect())
            .unwrap_or_default(),
        examples,
    })
}

/// Adds an indicator; one with the id of an earlier one (from an extended rulebook) replaces it.
pub fn add_indicator(list: &mut Vec<Indicator>, ind: Indicator) {
    match list.iter().position(|i| i.id == ind.id) {
        Some(k) => list[k] = ind,
        None => list.push(ind),
    }
}

#[cfg(test)]
mod tests {
    use crate::rulebook::{SourceFile, load};

    fn book(indicators: &str) -> Result<crate::rulebook::Rulebook, Vec<String>> {
        let text = format!(
            "rulebook: t\nlet:\n  rate: /出庭(应诉)?率/\nrules:\n  - {{id: T001, name: a, title: t, severity: info, assert: \"true\"}}\nindicators:\n{indicators}"
        );
        load(
            SourceFile {
                name: "t.yaml".into(),
                text: text.into(),
            },
            None,
        )
        .map_err(|e| e.iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn indicator_label_may_name_a_let_binding() {
        let b = book("  - {id: court-rate, name: 出庭率, label: rate, unit: ['%']}\n").unwrap();
        let report = crate::report::parse("全年行政机关负责人出庭应诉率85%。".into(), &[]);
        let i = b.indicators[0].find(&report).unwrap();
        assert_eq!(report.figures[i].value, 85.0);
        assert!(b.indicators[0].is_percent());
    }

    #[test]
    fn indicator_unit_filters_figures() {
        let b = book("  - {id: court-rate, name: 出庭率, label: rate, unit: ['%']}\n").unwrap();
        let report = crate::report::parse("负责人出庭率统计3件。".into(), &[]);
        assert_eq!(b.indicators[0].find(&report), None);
    }

    #[test]
    fn indicator_mistakes_are_reported() {
        let errs = book(
            "  - {id: Bad_Id, name: x, label: '\"text\"'}\n  - {id: ok, name: y, label: /a/, examples: [{text: a, value: lots}]}\n",
        )
        .unwrap_err();
        assert!(
            errs.iter().any(|e| e.contains("not kebab-case")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.contains("must be a regex")),
            "{errs:?}"
        );
        assert!(errs.iter().any(|e| e.contains("not a number")), "{errs:?}");
    }

    #[test]
    fn indicator_unknown_key_is_a_structural_error() {
        let errs = book("  - {id: a, name: x, lable: /a/}\n").unwrap_err();
        assert!(
            errs.iter().any(|e| e.contains("unknown key `lable`")),
            "{errs:?}"
        );
    }
}

//! Output stage: `audit --format json` — everything the audit found, as one document. The shape
//! is a stable interface, documented field by field in `docs/audit-json.md`.

use super::status_key;
use crate::audit::{Audit, AuditRow, crossyear};
use crate::output::json::SpanOut;
use serde_json::{Value, json};
use std::io::{self, Write};

/// The version of the document's shape; raised on any incompatible change.
pub const VERSION: u32 = 1;

fn report(a: &Audit, row: &AuditRow) -> Value {
    let c = row.counts();
    json!({
        "path": row.path,
        "issuer": row.issuer,
        "issuer_key": row.issuer_key,
        "year": row.year,
        "date": row.date,
        "title": row.title,
        "score": row.score(),
        "counts": {
            "errors": c.errors, "warnings": c.warnings, "infos": c.infos,
            "unknowns": c.unknowns, "passes": c.passes,
            "not_applicable": c.not_applicable, "off": c.off,
        },
        "outcomes": a.rules.iter().zip(&row.cells).map(|(rule, cell)| {
            let f = cell.finding.as_ref();
            json!({
                "rule": rule.id,
                "status": status_key(cell.status),
                "severity": cell.severity.name(),
                "failures": cell.failures,
                "message": f.map(|f| &f.message),
                "reason": f.and_then(|f| f.reason.as_ref()),
                "span": f.and_then(|f| f.span).map(SpanOut::from),
                "evidence": f.and_then(|f| f.evidence.as_ref()),
                "span_is_evidence": f.map(|f| f.span_is_evidence),
            })
        }).collect::<Vec<_>>(),
        "figures": a.indicators.iter().zip(&row.values).map(|(ind, v)| match v {
            None => json!({"indicator": ind.id, "value": null}),
            Some(v) => json!({
                "indicator": ind.id,
                "value": v.value,
                "unit": v.unit,
                "approximate": v.approximate,
                "label": v.label,
                "text": v.text,
                "span": SpanOut::from(v.span),
                "sentence": v.sentence,
            }),
        }).collect::<Vec<_>>(),
        "arrangements": row.arrangements.iter().map(|x| json!({
            "title": x.title, "line": x.line, "terms": x.terms,
        })).collect::<Vec<_>>(),
    })
}

fn at(row: &AuditRow) -> Value {
    json!({"year": row.year, "path": row.path})
}

fn series(a: &Audit, s: &crossyear::Series) -> io::Result<Value> {
    let ids = |v: &[usize]| v.iter().map(|&k| a.rules[k].id.clone()).collect::<Vec<_>>();
    let years = s
        .years
        .iter()
        .map(|&(_, r)| Ok(at(&a.rows.get(r)?)))
        .collect::<io::Result<Vec<_>>>()?;
    let steps = s
        .steps
        .iter()
        .map(|st| {
            let (from, to) = (a.rows.get(st.from)?, a.rows.get(st.to)?);
            Ok(json!({
                "from": at(&from),
                "to": at(&to),
                "newly_failing": ids(&st.newly_fail),
                "newly_passing": ids(&st.newly_pass),
                "changes": a.indicators.iter().enumerate().map(|(i, ind)| json!({
                    "indicator": ind.id,
                    "from": from.values[i].as_ref().map(|v| v.value),
                    "to": to.values[i].as_ref().map(|v| v.value),
                    "change": crossyear::change(&from, &to, i),
                })).collect::<Vec<_>>(),
                "arrangements": st.followups.iter().map(|f| json!({
                    "title": f.arrangement.title,
                    "line": f.arrangement.line,
                    "terms": f.arrangement.terms,
                    "found": f.found,
                    "reported_on": f.covered,
                    "at": f.at.as_ref().map(|(line, text)| json!({"line": line, "text": text})),
                })).collect::<Vec<_>>(),
            }))
        })
        .collect::<io::Result<Vec<_>>>()?;
    Ok(json!({"issuer": s.issuer, "years": years, "steps": steps}))
}

/// Writes `key: [items…]`, one item at a time, so that a large audit is never held as one value.
fn array<T>(
    w: &mut dyn Write,
    key: &str,
    items: impl Iterator<Item = T>,
    value: impl Fn(T) -> io::Result<Value>,
) -> io::Result<()> {
    write!(w, "  {}: [", serde_json::to_string(key)?)?;
    for (i, item) in items.enumerate() {
        let value = value(item)?;
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *w, &value)?;
    }
    w.write_all(b"\n  ]")
}

/// The whole audit, written as one JSON document element by element (one report per line).
pub fn render(w: &mut dyn Write, a: &Audit) -> io::Result<()> {
    write!(
        w,
        "{{\n  \"version\": {VERSION},\n  \"lang\": {},\n  \"score_formula\": {},\n",
        serde_json::to_string(a.lang.pick("zh", "en"))?,
        serde_json::to_string(crate::audit::score_formula(a.lang))?
    )?;
    array(w, "rules", a.rules.iter(), |r| {
        Ok(json!({"id": r.id, "name": r.name, "title": r.title, "severity": r.severity.name()}))
    })?;
    w.write_all(b",\n")?;
    array(w, "indicators", a.indicators.iter(), |i| {
        Ok(json!({"id": i.id, "name": i.name, "name_en": i.name_en, "units": i.units}))
    })?;
    w.write_all(b",\n")?;
    array(w, "reports", a.rows.iter(), |r| Ok(report(a, &r?)))?;
    w.write_all(b",\n")?;
    array(w, "per_rule", a.per_rule.iter(), |s| {
        let examples = s
            .examples
            .iter()
            .map(|&r| Ok(a.rows.get(r)?.path))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(json!({
            "rule": a.rules[s.rule].id,
            "pass": s.pass, "fail": s.fail, "unknown": s.unknown,
            "not_applicable": s.not_applicable, "off": s.off,
            "examples": examples,
        }))
    })?;
    w.write_all(b",\n")?;
    array(w, "across_years", a.series.iter(), |s| series(a, s))?;
    w.write_all(b",\n")?;
    array(w, "unreadable", a.unreadable.iter(), |(p, m)| {
        Ok(json!({"path": p, "message": m}))
    })?;
    w.write_all(b"\n}\n")
}

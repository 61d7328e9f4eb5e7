//! Check stage: rules applied to reports give verdicts.
//!
//! A rule without `for` gives one verdict; with `for: x in list` one verdict per item, each with
//! the item's evidence. `when` false makes the rule (or the item) not applicable. An expression
//! that cannot be decided gives the outcome **unknown** with its reason — never a pass.
//! Hands on: [`Verdict`]s, which renderers turn into findings.

use crate::expr::eval::eval;
use crate::expr::library::Ctx;
use crate::expr::value::{Val, Value};
use crate::report::{Report, Span};
use crate::rulebook::{MessagePart, Rule};

/// What a rule says about a report (or one item of it).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Pass,
    Fail,
    /// The report does not say enough to decide; the reason says what is missing.
    Unknown(String),
    /// `when` was false.
    NotApplicable,
}

/// One rule's verdict on one report (or on one item of a `for`).
#[derive(Debug, Clone)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The rule's message with its `{…}` filled in (for failures and unknowns).
    pub message: Option<String>,
    /// The report spans the decision rests on: the `for` item first, then what the condition
    /// touched.
    pub evidence: Vec<Span>,
}

/// Applies one rule to one report.
pub fn evaluate(rule: &Rule, ctx: &Ctx) -> Vec<Verdict> {
    let mut env: Vec<Val> = vec![Val::null("unbound"); rule.slots];
    let Some(each) = &rule.for_each else {
        return vec![decide(rule, ctx, &mut env, Vec::new())];
    };
    let list = eval(&each.list.expr, ctx, &mut env);
    let items = match list.value {
        Value::List(items) => items,
        Value::Null(why) | Value::Unknown(why) => {
            return vec![Verdict {
                outcome: Outcome::Unknown(format!("`{}` cannot be listed: {why}", each.list.text)),
                message: None,
                evidence: list.evidence,
            }];
        }
        _ => unreachable!("the compiler only lets lists through"),
    };
    items
        .iter()
        .map(|item| {
            env[each.slot] = item.clone();
            decide(rule, ctx, &mut env, item.evidence.clone())
        })
        .collect()
}

fn decide(rule: &Rule, ctx: &Ctx, env: &mut Vec<Val>, mut evidence: Vec<Span>) -> Verdict {
    if let Some(when) = &rule.when {
        let w = eval(&when.expr, ctx, env);
        match w.value {
            Value::Bool(true) => {}
            Value::Bool(false) => {
                return Verdict {
                    outcome: Outcome::NotApplicable,
                    message: None,
                    evidence,
                };
            }
            Value::Null(why) | Value::Unknown(why) => {
                return Verdict {
                    outcome: Outcome::Unknown(format!(
                        "cannot tell whether the rule applies: {why}"
                    )),
                    message: None,
                    evidence,
                };
            }
            _ => unreachable!("`when` is checked to be a bool"),
        }
    }
    let v = eval(&rule.assert.expr, ctx, env);
    for s in &v.evidence {
        if !evidence.contains(s) {
            evidence.push(*s);
        }
    }
    let outcome = match v.value {
        Value::Bool(true) => Outcome::Pass,
        Value::Bool(false) => Outcome::Fail,
        Value::Null(why) | Value::Unknown(why) => Outcome::Unknown(why.to_string()),
        _ => unreachable!("`assert` is checked to be a bool"),
    };
    let message = (outcome != Outcome::Pass).then(|| render_message(rule, ctx, env));
    Verdict {
        outcome,
        message,
        evidence,
    }
}

/// The rule's message with its holes filled, or its title when it has no message.
pub fn render_message(rule: &Rule, ctx: &Ctx, env: &mut Vec<Val>) -> String {
    let Some((_, parts)) = &rule.message else {
        return rule.title.clone();
    };
    let mut out = String::new();
    for p in parts {
        match p {
            MessagePart::Text(t) => out.push_str(t),
            MessagePart::Expr(e) => out.push_str(&display(&eval(e, ctx, env), ctx.report)),
        }
    }
    out
}

/// How a value reads inside a message.
pub fn display(v: &Val, report: &Report) -> String {
    use crate::report::figures::format_value;
    match &v.value {
        Value::Null(_) => "(none)".into(),
        Value::Unknown(_) => "(unknown)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Num(n) => format_value(*n),
        Value::Percent(p) => format!("{}%", format_value(*p)),
        Value::Str(s) => s.to_string(),
        Value::Regex(r) => format!("/{r}/"),
        Value::Date(d) => d.to_string(),
        Value::List(items) => items
            .iter()
            .map(|i| display(i, report))
            .collect::<Vec<_>>()
            .join("、"),
        Value::Report => report
            .title
            .as_ref()
            .map_or("the report".into(), |t| t.text.clone()),
        Value::Section(i) => {
            let s = &report.sections[*i];
            format!("{}{}", s.marker, s.title)
        }
        Value::Paragraph(i) => report.paragraphs[*i].text.chars().take(30).collect(),
        Value::Item(p, k) => {
            let it = &report.paragraphs[*p].items[*k];
            format!("{}{}", it.marker, it.title)
        }
        Value::Figure(i) => {
            let f = &report.figures[*i];
            format!("{}{}", f.label, f.text)
        }
        Value::Match(r) => report.normalized.text[r.clone()].to_string(),
    }
}

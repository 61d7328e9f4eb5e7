//! Check stage: rules applied to reports give verdicts.
//!
//! A rule without `for` gives one verdict; with `for: x in list` one verdict per item, each with
//! the item's evidence. `when` false makes the rule (or the item) not applicable. An expression
//! that cannot be decided gives the outcome **unknown** with its reason — never a pass.
//! Hands on: [`Verdict`]s, which renderers turn into findings.

pub mod baseline;
pub mod finding;
pub mod trace;

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
    /// Where the rule found that it applies (the evidence of a true `when`): the place to label
    /// a failure that has no evidence of its own, e.g. the shortcomings a report gives no causes
    /// for.
    pub context: Vec<Span>,
    /// The rule's message with its `{…}` filled in (for failures and unknowns).
    pub message: Option<String>,
    /// The report spans the decision rests on: the `for` item first, then what the condition
    /// touched.
    pub evidence: Vec<Span>,
    /// How it was decided, when the context traces (`check --trace`).
    pub trace: Vec<finding::TraceLine>,
}

/// Applies one rule to one report.
pub fn evaluate(rule: &Rule, ctx: &Ctx) -> Vec<Verdict> {
    let mut env: Vec<Val> = vec![Val::null("unbound"); rule.slots];
    let Some(each) = &rule.for_each else {
        return vec![decide(rule, ctx, &mut env, Vec::new())];
    };
    let list = eval(&each.list.expr, ctx, &mut env);
    let mut prelude = trace::take(ctx, 0);
    let items = match list.value {
        Value::List(items) => items,
        Value::Null(why) | Value::Unknown(why) => {
            return vec![Verdict {
                outcome: Outcome::Unknown(format!("`{}` cannot be listed: {why}", each.list.text)),
                message: None,
                context: Vec::new(),
                evidence: list.evidence,
                trace: prelude,
            }];
        }
        _ => unreachable!("the compiler only lets lists through"),
    };
    items
        .iter()
        .map(|item| {
            env[each.slot] = item.clone();
            let mut v = decide(rule, ctx, &mut env, item.evidence.clone());
            if ctx.trace.is_some() {
                let mut t = std::mem::take(&mut prelude);
                t.push(trace::item_header(&each.var, item, ctx.report));
                t.extend(v.trace.drain(..).map(|mut l| {
                    l.depth += 1;
                    l
                }));
                v.trace = t;
            }
            v
        })
        .collect()
}

fn decide(rule: &Rule, ctx: &Ctx, env: &mut Vec<Val>, mut evidence: Vec<Span>) -> Verdict {
    let mut context = Vec::new();
    if let Some(when) = &rule.when {
        let w = eval(&when.expr, ctx, env);
        match w.value {
            Value::Bool(true) => context = w.evidence,
            Value::Bool(false) => {
                return Verdict {
                    outcome: Outcome::NotApplicable,
                    message: None,
                    context,
                    evidence,
                    trace: trace::take(ctx, 0),
                };
            }
            Value::Null(why) | Value::Unknown(why) => {
                let why = format!("cannot tell whether the rule applies: {why}");
                return Verdict {
                    message: Some(unknown_message(rule, &why)),
                    outcome: Outcome::Unknown(why),
                    context,
                    evidence,
                    trace: trace::take(ctx, 0),
                };
            }
            _ => unreachable!("`when` is checked to be a bool"),
        }
    }
    let v = eval(&rule.assert.expr, ctx, env);
    // The trace ends with the condition: the message's holes are not part of the decision.
    let steps = trace::take(ctx, 0);
    crate::expr::value::merge_evidence(&mut evidence, &v.evidence);
    let outcome = match v.value {
        Value::Bool(true) => Outcome::Pass,
        Value::Bool(false) => Outcome::Fail,
        Value::Null(why) | Value::Unknown(why) => Outcome::Unknown(why.to_string()),
        _ => unreachable!("`assert` is checked to be a bool"),
    };
    let message = match &outcome {
        Outcome::Pass => None,
        Outcome::Unknown(why) => Some(unknown_message(rule, why)),
        _ => Some(render_message(rule, ctx, env)),
    };
    let _ = trace::take(ctx, 0);
    Verdict {
        outcome,
        message,
        context,
        evidence,
        trace: steps,
    }
}

/// What a reviewer reads for an unknown: what the report does not say, in Chinese, and what
/// could therefore not be decided (`报告未写明日期，无法判断：报告应于次年3月1日前报送`). The
/// technical reason stays in the finding's `reason`.
pub fn unknown_message(rule: &Rule, why: &str) -> String {
    const MISSING: &[(&str, &str)] = &[
        ("`report.date", "报告未写明日期"),
        ("`report.year", "报告未写明所报告的年度"),
        ("`report.title", "报告没有可识别的标题"),
        ("`report.signer", "报告末尾未署报告单位"),
        ("`report.issuer", "未能识别报告单位"),
        ("`report.doc_number", "报告没有文号"),
        ("`report.addressee", "报告未写明主送机关"),
    ];
    let what = MISSING
        .iter()
        .filter_map(|(key, zh)| why.find(key).map(|at| (at, *zh)))
        .min_by_key(|&(at, _)| at)
        .map_or("报告提供的信息不足", |(_, zh)| zh);
    format!("{what}，无法判断：{}", rule.title)
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
        Value::Null(_) => "（无）".into(),
        Value::Unknown(_) => "（未知）".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Num(n) => format_value(*n),
        Value::Percent(p) => format!("{}%", format_value(*p * 100.0)),
        Value::Quantity(x, unit) => format!("{}{unit}", format_value(*x)),
        Value::Str(s) => s.to_string(),
        Value::Regex(r) => regex_name(r),
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
        Value::Match(r) => {
            // A whole metadata table or a long match reads badly inside a sentence.
            let text = report.normalized.text[r.clone()].replace('\n', " ");
            match text.char_indices().nth(MATCH_CHARS) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
    }
}

/// How many characters of a match a message shows.
const MATCH_CHARS: usize = 40;

/// A regex as a message names it: the name of its first named group (`/(?<突发事件应对>突发事件|应急)/`
/// reads 突发事件应对), else its alternatives (`突发事件、应急`) — never regex syntax.
fn regex_name(r: &regex::Regex) -> String {
    if let Some(name) = r.capture_names().flatten().next() {
        return name.to_string();
    }
    r.as_str()
        .split('|')
        .map(|alt| {
            alt.chars()
                .filter(|c| !"()[]{}?*+^$\\.".contains(*c))
                .collect::<String>()
        })
        .filter(|a| !a.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

use crate::expr::compile::{CExpr, CKind, Global};
use crate::rulebook::Severity;
use finding::{Finding, ReportResult, Status};

/// Where a finding about a missing part points: the place the part was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// The title (or the first line): for rules about the title.
    Start,
    /// The last line: for rules about the signature and date.
    End,
    /// The last level-1 heading: parts are expected among the top-level parts.
    LastPart,
}

/// What a rule's condition reads decides where a missing part is expected.
fn anchor(rule: &Rule) -> Anchor {
    fn walk(e: &CExpr, found: &mut Vec<&'static str>) {
        match &e.kind {
            CKind::Member(obj, name) => {
                if matches!(obj.kind, CKind::Global(Global::Report)) {
                    found.push(name);
                }
                walk(obj, found);
            }
            CKind::List(items) | CKind::Call(_, items) => items.iter().for_each(|i| walk(i, found)),
            CKind::Let(_, inner) => walk(inner, found),
            CKind::Unary(_, x) => walk(x, found),
            CKind::Binary(_, l, r) | CKind::Quant(_, _, l, r) => {
                walk(l, found);
                walk(r, found);
            }
            CKind::Lit(_) | CKind::Global(_) | CKind::Var(_) => {}
        }
    }
    let mut members = Vec::new();
    walk(&rule.assert.expr, &mut members);
    if members.iter().any(|m| matches!(*m, "date" | "signer")) {
        Anchor::End
    } else if members
        .iter()
        .any(|m| matches!(*m, "title" | "doc_number" | "addressee"))
    {
        Anchor::Start
    } else {
        Anchor::LastPart
    }
}

fn anchor_span(report: &Report, anchor: Anchor) -> Option<Span> {
    let first_line = || {
        (1..=report.lines.len())
            .map(|l| report.lines.line_range(&report.original, l))
            .find(|r| !report.original[r.clone()].trim().is_empty())
            .map(|r| report.lines.span(&report.original, r.start, r.end))
    };
    match anchor {
        Anchor::Start => report.title.as_ref().map(|t| t.span).or_else(first_line),
        // The last character of the body (before any footer or web chrome), else of the text:
        // what is missing belongs after it.
        Anchor::End => {
            let end = report
                .paragraphs
                .last()
                .map_or(report.original.trim_end().len(), |p| p.span.end);
            let last = report.original[..end].chars().next_back()?;
            Some(
                report
                    .lines
                    .span(&report.original, end - last.len_utf8(), end),
            )
        }
        Anchor::LastPart => report
            .sections
            .iter()
            .rev()
            .find(|s| s.depth == 0)
            .map(|s| s.heading_span)
            .or_else(first_line),
    }
}

/// The original text of a span, at most 200 characters.
fn evidence_text(report: &Report, span: Span) -> String {
    let text = report.original_text(span);
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A rule's verdicts on a report as findings: a rule without `for` gives one finding; a `for`
/// rule gives one per failing or unknown item, or a single pass when every item passes (or there
/// are none), or a single not-applicable when `when` excluded every item.
pub fn findings(rule: &Rule, severity: Severity, report: &Report, ctx: &Ctx) -> Vec<Finding> {
    let verdicts = evaluate(rule, ctx);
    let make = |status: Status, v: Option<&Verdict>| {
        let (reason, message) = match v.map(|v| &v.outcome) {
            Some(Outcome::Unknown(why)) => (Some(why.clone()), v.and_then(|v| v.message.clone())),
            _ => (None, v.and_then(|v| v.message.clone())),
        };
        let evidence = v.and_then(|v| v.evidence.first().copied());
        let span = evidence.or_else(|| match status {
            Status::Fail | Status::Unknown => v
                .and_then(|v| v.context.first().copied())
                .or_else(|| anchor_span(report, anchor(rule))),
            _ => None,
        });
        Finding {
            rule: rule.id.clone(),
            name: rule.name.clone(),
            severity,
            status,
            message: message.unwrap_or_else(|| rule.title.clone()),
            reason,
            span,
            evidence: span.map(|s| evidence_text(report, s)),
            span_is_evidence: evidence.is_some(),
            title: rule.title.clone(),
            help: rule.help.clone(),
            basis: rule.basis.clone(),
            link: rule.link.clone(),
            trace: ctx.trace.as_ref().map(|_| match v {
                Some(v) => v.trace.clone(),
                // One finding for all the items of a `for` rule: the trace of every item.
                None => verdicts.iter().flat_map(|v| v.trace.clone()).collect(),
            }),
        }
    };
    let status_of = |o: &Outcome| match o {
        Outcome::Pass => Status::Pass,
        Outcome::Fail => Status::Fail,
        Outcome::Unknown(_) => Status::Unknown,
        Outcome::NotApplicable => Status::NotApplicable,
    };
    if rule.for_each.is_none()
        || verdicts.len() == 1 && matches!(verdicts[0].outcome, Outcome::Unknown(_))
    {
        return verdicts
            .iter()
            .map(|v| make(status_of(&v.outcome), Some(v)))
            .collect();
    }
    let flagged: Vec<Finding> = verdicts
        .iter()
        .filter(|v| matches!(v.outcome, Outcome::Fail | Outcome::Unknown(_)))
        .map(|v| make(status_of(&v.outcome), Some(v)))
        .collect();
    if !flagged.is_empty() {
        return flagged;
    }
    // `when` selects the items a `for` rule applies to; when it selects none — every item was
    // excluded, or there was none (no rate reported for FZ007) — the rule is not applicable.
    // A rule without `when` over an empty list passes (no placeholder found for FZ012).
    let all_excluded = if verdicts.is_empty() {
        rule.when.is_some()
    } else {
        verdicts.iter().all(|v| v.outcome == Outcome::NotApplicable)
    };
    vec![make(
        if all_excluded {
            Status::NotApplicable
        } else {
            Status::Pass
        },
        None,
    )]
}

/// The status of a rule on a report, all its findings taken together: fail if any failed, else
/// unknown if any was unknown, else waived if a failure was waived, else pass (or not
/// applicable).
pub fn overall(findings: &[Finding]) -> Status {
    let any = |s: Status| findings.iter().any(|f| f.status == s);
    if any(Status::Fail) {
        Status::Fail
    } else if any(Status::Unknown) {
        Status::Unknown
    } else if any(Status::Waived) {
        Status::Waived
    } else if any(Status::Pass) {
        Status::Pass
    } else {
        Status::NotApplicable
    }
}

/// Checks one report against rules; `setting` gives each rule's severity for this report
/// (`None`: the rule is off).
pub fn check_report(
    path: &str,
    report: &Report,
    rules: &[Rule],
    setting: impl Fn(&Rule) -> Option<Severity>,
) -> ReportResult {
    check_report_traced(path, report, rules, setting, None)
}

/// [`check_report`], with the findings of rule `trace` (an id) carrying how it decided.
pub fn check_report_traced(
    path: &str,
    report: &Report,
    rules: &[Rule],
    setting: impl Fn(&Rule) -> Option<Severity>,
    trace: Option<&str>,
) -> ReportResult {
    let ctx = Ctx::new(report);
    let mut out = Vec::new();
    for rule in rules {
        if let Some(severity) = setting(rule) {
            if trace == Some(rule.id.as_str()) {
                let traced = Ctx::tracing(report);
                out.extend(findings(rule, severity, report, &traced));
            } else {
                out.extend(findings(rule, severity, report, &ctx));
            }
        }
    }
    ReportResult {
        path: path.to_string(),
        file: None,
        findings: out,
    }
}

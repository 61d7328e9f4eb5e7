//! Check stage: a rule's trace (`check --trace RULE`) as findings carry it — the steps the
//! evaluator recorded ([`crate::expr::trace`]), each value written as a reviewer reads it (`85 %`,
//! `"%"`, a heading by its text) with the line and text of the report it came from.

use super::display;
use super::finding::TraceLine;
use crate::expr::eval::show;
use crate::expr::library::Ctx;
use crate::expr::value::{Val, Value};
use crate::report::Report;

/// How many characters of report text a trace line shows.
const TEXT_CHARS: usize = 40;

fn cut(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// A value as a trace shows it.
pub fn value_text(v: &Value, report: &Report) -> String {
    match v {
        Value::Null(why) => format!("missing ({why})"),
        Value::Unknown(why) => format!("unknown ({why})"),
        Value::Bool(_)
        | Value::Int(_)
        | Value::Num(_)
        | Value::Percent(_)
        | Value::Quantity(..)
        | Value::Str(_)
        | Value::Date(_)
        | Value::Regex(_) => cut(&show(v), 60),
        Value::List(items) => format!("a list of {}", items.len()),
        other => cut(&display(&Val::new(other.clone()), report), 60),
    }
}

/// The steps recorded since the last call, as trace lines `indent` levels deep; empty when the
/// context does not trace.
pub fn take(ctx: &Ctx, indent: usize) -> Vec<TraceLine> {
    let Some(tracer) = &ctx.trace else {
        return Vec::new();
    };
    let report = ctx.report;
    let (steps, dropped) = tracer.take();
    let mut out: Vec<TraceLine> = steps
        .into_iter()
        .map(|s| TraceLine {
            depth: s.depth + indent,
            expr: s.expr,
            substituted: s.substituted,
            value: value_text(&s.value, report),
            line: s.evidence.map(|e| e.line),
            text: s.evidence.map(|e| cut(report.original_text(e), TEXT_CHARS)),
        })
        .collect();
    if dropped > 0 {
        out.push(TraceLine {
            depth: indent,
            expr: format!("… {dropped} more steps not shown"),
            substituted: None,
            value: String::new(),
            line: None,
            text: None,
        });
    }
    out
}

/// The header of a `for` item's trace: `m = 行政机关负责人出庭率100%`.
pub fn item_header(var: &str, item: &Val, report: &Report) -> TraceLine {
    let evidence = item.evidence.first().copied();
    TraceLine {
        depth: 0,
        expr: format!("{var} = {}", value_text(&item.value, report)),
        substituted: None,
        value: String::new(),
        line: evidence.map(|e| e.line),
        text: evidence.map(|e| cut(report.original_text(e), TEXT_CHARS)),
    }
}

//! Expression stage: evaluate a compiled expression over a report.
//!
//! Three-valued: `and`/`or`/`not` and the quantifiers follow Kleene's logic, so an undecidable
//! part only makes the whole unknown when it matters (`false and ?` is false). Comparing,
//! computing with or calling on a missing value gives **unknown** with the reason, never a silent
//! true or false; member access on a missing value stays missing, so `??` can supply a default.
//! Every value carries the report spans it came from. Evaluation of one expression is linear in
//! the size of the report (each library call scans the report at most once).

use super::ast::{BinaryOp, Quantifier, UnaryOp};
use super::compile::{CExpr, CKind, Global};
use super::library::{
    Ctx, figure_val, paragraph_at, paragraph_figures, paragraph_val, section_val,
};
use super::number::{self, num};
use super::value::{Val, Value};
use std::sync::Arc;

/// Evaluates `e`; `env` holds the loop variables by slot.
pub fn eval(e: &CExpr, ctx: &Ctx, env: &mut Vec<Val>) -> Val {
    let Some(tracer) = &ctx.trace else {
        return eval_node(e, ctx, env);
    };
    // Literals need no step of their own (they appear in their operator's substitution), nor
    // do names of the report or of a loop's item (the item heads its trace).
    if matches!(e.kind, CKind::Lit(_) | CKind::Var(_) | CKind::Global(_)) {
        return eval_node(e, ctx, env);
    }
    let label = match &e.kind {
        CKind::Let(name, _) => name.to_string(),
        _ => e.snippet().to_string(),
    };
    let at = tracer.enter(&label);
    let v = eval_node(e, ctx, env);
    tracer.leave(at, &v.value, v.evidence.first().copied());
    v
}

fn eval_node(e: &CExpr, ctx: &Ctx, env: &mut Vec<Val>) -> Val {
    match &e.kind {
        CKind::Lit(v) => Val::new(v.clone()),
        CKind::List(items) => {
            let vals: Vec<Val> = items.iter().map(|i| eval(i, ctx, env)).collect();
            Val::new(Value::List(Arc::new(vals)))
        }
        CKind::Global(g) => global(*g, ctx),
        CKind::Var(slot) => env
            .get(*slot)
            .cloned()
            .unwrap_or_else(|| Val::unknown("internal: unbound variable")),
        CKind::Let(_, inner) => eval(inner, ctx, env),
        CKind::Member(obj, name) => {
            let o = eval(obj, ctx, env);
            match &o.value {
                Value::Null(why) => Val::null(format!("`{}` is missing ({why})", obj.snippet())),
                Value::Unknown(_) => o,
                _ => member(&o, name, ctx),
            }
        }
        CKind::Call(f, args) => {
            let mut vals = Vec::with_capacity(args.len());
            for (a, node) in args.iter().map(|a| (eval(a, ctx, env), a)) {
                match &a.value {
                    Value::Unknown(_) => return a,
                    Value::Null(why) => {
                        return Val::unknown(format!("`{}` is missing ({why})", node.snippet()));
                    }
                    _ => vals.push(a),
                }
            }
            (f.call)(ctx, &vals)
        }
        CKind::Unary(op, x) => {
            let v = eval(x, ctx, env);
            let ev = v.evidence.clone();
            match (op, &v.value) {
                (_, Value::Unknown(_)) => v,
                (_, Value::Null(why)) => missing(x, why),
                (UnaryOp::Not, Value::Bool(b)) => Val::with(Value::Bool(!b), ev),
                (UnaryOp::Neg, Value::Int(i)) => match i.checked_neg() {
                    Some(n) => Val::with(Value::Int(n), ev),
                    None => Val::unknown("integer overflow"),
                },
                (UnaryOp::Neg, Value::Num(n)) => Val::with(Value::Num(-n), ev),
                (UnaryOp::Neg, Value::Percent(n)) => Val::with(Value::Percent(-n), ev),
                (UnaryOp::Neg, Value::Quantity(n, u)) => {
                    Val::with(Value::Quantity(-n, u.clone()), ev)
                }
                _ => Val::unknown("internal: ill-typed operand"),
            }
        }
        CKind::Binary(op, l, r) => binary(*op, l, r, ctx, env),
        CKind::Quant(kind, slot, list, cond) => {
            let lv = eval(list, ctx, env);
            let items = match &lv.value {
                Value::List(items) => items.clone(),
                Value::Unknown(_) => return lv,
                Value::Null(why) => return missing(list, why),
                _ => return Val::unknown("internal: not a list"),
            };
            if env.len() <= *slot {
                env.resize(*slot + 1, Val::null("unbound"));
            }
            quantify(*kind, *slot, &items, cond, ctx, env)
        }
    }
}

fn missing(node: &CExpr, why: &str) -> Val {
    Val::unknown(format!("`{}` is missing ({why})", node.snippet()))
}

fn global(g: Global, ctx: &Ctx) -> Val {
    let r = ctx.report;
    let list = match g {
        Global::Report => return Val::new(Value::Report),
        Global::Sections => (0..r.sections.len()).map(|i| section_val(ctx, i)).collect(),
        Global::Paragraphs => (0..r.paragraphs.len())
            .map(|i| paragraph_val(ctx, i))
            .collect(),
        Global::Figures => (0..r.figures.len()).map(|i| figure_val(ctx, i)).collect(),
    };
    Val::new(Value::List(Arc::new(list)))
}

fn str_at(s: &str, span: crate::report::Span) -> Val {
    Val::at(Value::Str(s.into()), span)
}

fn opt<T>(v: Option<T>, why: &str, f: impl FnOnce(T) -> Val) -> Val {
    v.map_or_else(|| Val::null(why), f)
}

fn list(vals: Vec<Val>) -> Val {
    Val::new(Value::List(Arc::new(vals)))
}

fn within(outer: crate::report::Span, inner: crate::report::Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

fn member(o: &Val, name: &str, ctx: &Ctx) -> Val {
    let r = ctx.report;
    match &o.value {
        Value::Report => match name {
            "title" => opt(r.title.as_ref(), "the report has no title", |t| {
                str_at(&t.text, t.span)
            }),
            "year" => opt(r.year.as_ref(), "no report year was found", |y| {
                Val::at(Value::Int(y.value as i64), y.span)
            }),
            "issuer" => opt(r.issuer.as_ref(), "no issuing body was found", |i| {
                str_at(&i.text, i.span)
            }),
            "date" => opt(r.date.as_ref(), "the report has no date", |d| {
                Val::at(Value::Date(d.date), d.span)
            }),
            "doc_number" => opt(
                r.doc_number.as_ref(),
                "the report has no document number",
                |d| str_at(&d.text, d.span),
            ),
            "addressee" => opt(r.addressee.as_ref(), "the report names no addressee", |a| {
                str_at(&a.text, a.span)
            }),
            "signer" => opt(
                r.signature.as_ref().and_then(|s| s.issuer.as_ref()),
                "the report is not signed",
                |s| str_at(&s.text, s.span),
            ),
            "text" => Val::new(Value::Str(ctx.text.clone())),
            "sections" => global(Global::Sections, ctx),
            "paragraphs" => global(Global::Paragraphs, ctx),
            "figures" => global(Global::Figures, ctx),
            _ => Val::unknown(format!("internal: no member {name}")),
        },
        Value::Section(i) => {
            let s = &r.sections[*i];
            match name {
                "title" => str_at(&s.title, s.title_span),
                "level" => Val::at(Value::Int(s.level as i64), s.heading_span),
                "number" => opt(s.number, "the heading has no number", |n| {
                    Val::at(Value::Int(n as i64), s.heading_span)
                }),
                "marker" => str_at(&s.marker, s.heading_span),
                "text" => str_at(&ctx.text[s.norm.clone()], s.heading_span),
                "parent" => opt(s.parent, "a top-level heading has no parent", |p| {
                    section_val(ctx, p)
                }),
                "sections" => list(
                    (0..r.sections.len())
                        .filter(|&k| r.sections[k].parent == Some(*i))
                        .map(|k| section_val(ctx, k))
                        .collect(),
                ),
                "paragraphs" => list(
                    (0..r.paragraphs.len())
                        .filter(|&k| within(s.span, r.paragraphs[k].span))
                        .map(|k| paragraph_val(ctx, k))
                        .collect(),
                ),
                "items" => list(
                    r.paragraphs
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| within(s.span, p.span))
                        .flat_map(|(k, p)| {
                            p.items
                                .iter()
                                .enumerate()
                                .map(move |(j, it)| Val::at(Value::Item(k, j), it.span))
                        })
                        .collect(),
                ),
                "figures" => list(
                    (0..r.figures.len())
                        .filter(|&k| within(s.span, r.figures[k].span))
                        .map(|k| figure_val(ctx, k))
                        .collect(),
                ),
                _ => Val::unknown(format!("internal: no member {name}")),
            }
        }
        Value::Paragraph(i) => {
            let p = &r.paragraphs[*i];
            match name {
                "text" => str_at(&p.text, p.span),
                "items" => list(
                    p.items
                        .iter()
                        .enumerate()
                        .map(|(j, it)| Val::at(Value::Item(*i, j), it.span))
                        .collect(),
                ),
                "section" => opt(
                    p.section,
                    "the paragraph comes before the first heading",
                    |s| section_val(ctx, s),
                ),
                "figures" => list(
                    paragraph_figures(r, *i)
                        .map(|k| figure_val(ctx, k))
                        .collect(),
                ),
                _ => Val::unknown(format!("internal: no member {name}")),
            }
        }
        Value::Item(p, j) => {
            let it = &r.paragraphs[*p].items[*j];
            match name {
                "ordinal" => Val::at(Value::Int(it.ordinal as i64), it.span),
                "title" => str_at(&it.title, it.title_span),
                "text" => str_at(&ctx.text[it.norm.clone()], it.span),
                "figures" => list(
                    paragraph_figures(r, *p)
                        .filter(|&k| within(it.span, r.figures[k].span))
                        .map(|k| figure_val(ctx, k))
                        .collect(),
                ),
                _ => Val::unknown(format!("internal: no member {name}")),
            }
        }
        Value::Figure(i) => {
            let f = &r.figures[*i];
            match name {
                "value" => Val::at(number::figure_value(f.value, &f.unit), f.span),
                "unit" => str_at(&f.unit, f.span),
                "label" => str_at(&f.label, f.label_span),
                "text" => str_at(&f.text, f.span),
                "approximate" => Val::at(Value::Bool(f.approximate), f.span),
                "section" => opt(
                    f.section,
                    "the figure comes before the first heading",
                    |s| section_val(ctx, s),
                ),
                "paragraph" => paragraph_val(ctx, f.paragraph),
                _ => Val::unknown(format!("internal: no member {name}")),
            }
        }
        Value::Match(range) => match name {
            "text" => Val::with(
                Value::Str(r.normalized.text[range.clone()].into()),
                o.evidence.clone(),
            ),
            "section" => {
                let inner = r
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.norm.start <= range.start && range.end <= s.norm.end)
                    .max_by_key(|(_, s)| s.norm.start)
                    .map(|(k, _)| k);
                opt(inner, "the match comes before the first heading", |k| {
                    section_val(ctx, k)
                })
            }
            "paragraph" => opt(
                paragraph_at(r, range.start),
                "the match is not inside a paragraph",
                |k| paragraph_val(ctx, k),
            ),
            _ => Val::unknown(format!("internal: no member {name}")),
        },
        Value::Date(d) => {
            let n = match name {
                "year" => d.year as i64,
                "month" => d.month as i64,
                _ => d.day as i64,
            };
            Val::with(Value::Int(n), o.evidence.clone())
        }
        _ => Val::unknown(format!("internal: no member {name}")),
    }
}

/// Kleene conjunction / disjunction.
fn logic(op: BinaryOp, l: &CExpr, r: &CExpr, ctx: &Ctx, env: &mut Vec<Val>) -> Val {
    let decisive = op == BinaryOp::Or; // `true or …` and `false and …` short-circuit
    let lv = eval(l, ctx, env);
    if let Value::Bool(b) = lv.value
        && b == decisive
    {
        return lv;
    }
    let rv = eval(r, ctx, env);
    if let Some(t) = &ctx.trace {
        t.substitute(format!(
            "{} {} {}",
            show(&lv.value),
            op.symbol(),
            show(&rv.value)
        ));
    }
    match (&lv.value, &rv.value) {
        (_, Value::Bool(b)) if *b == decisive => rv,
        (Value::Bool(_), Value::Bool(_)) => {
            let ev = rv.evidence.clone();
            lv.and_evidence(&ev)
        }
        (Value::Bool(_), _) => undecided(r, rv),
        _ => undecided(l, lv),
    }
}

/// An absent operand of a logical operator or a comparison, as an unknown with its reason.
fn undecided(node: &CExpr, v: Val) -> Val {
    match v.value {
        Value::Null(why) => missing(node, &why),
        _ => v,
    }
}

fn binary(op: BinaryOp, l: &CExpr, r: &CExpr, ctx: &Ctx, env: &mut Vec<Val>) -> Val {
    use BinaryOp::*;
    if matches!(op, And | Or) {
        return logic(op, l, r, ctx, env);
    }
    let lv = eval(l, ctx, env);
    if op == Coalesce {
        return if lv.value.is_absent() {
            eval(r, ctx, env)
        } else {
            lv
        };
    }
    let rv = eval(r, ctx, env);
    if let Some(t) = &ctx.trace {
        t.substitute(format!(
            "{} {} {}",
            show(&lv.value),
            op.symbol(),
            show(&rv.value)
        ));
    }
    // `x == null` asks whether x is missing: decided, unless x cannot be evaluated at all.
    let is_null_lit = |e: &CExpr| matches!(e.kind, CKind::Lit(Value::Null(_)));
    if matches!(op, Eq | Ne) && (is_null_lit(l) || is_null_lit(r)) {
        let other = if is_null_lit(r) { &lv } else { &rv };
        return match &other.value {
            Value::Unknown(_) => other.clone(),
            v => Val::with(
                Value::Bool(matches!(v, Value::Null(_)) == (op == Eq)),
                other.evidence.clone(),
            ),
        };
    }
    if lv.value.is_absent() {
        return undecided(l, lv);
    }
    if rv.value.is_absent() {
        return undecided(r, rv);
    }
    let evidence = |v: Value| {
        let ev = rv.evidence.clone();
        Val::with(v, lv.evidence.clone()).and_evidence(&ev)
    };
    // Numbers meet only where their units allow: `85 %` and `95` do not, and saying false
    // (or, for `!=`, true) would be silently wrong.
    let numbers = num(&lv.value).zip(num(&rv.value));
    let cannot = |why: String| {
        Val::unknown(format!(
            "`{}` is {} and `{}` is {}: {why}",
            l.snippet(),
            show(&lv.value),
            r.snippet(),
            show(&rv.value)
        ))
    };
    match op {
        Eq | Ne => match numbers.map(|(a, b)| number::compare(a, b)) {
            Some(Err(why)) => cannot(why),
            Some(Ok(o)) => evidence(Value::Bool(o.is_eq() == (op == Eq))),
            None => evidence(Value::Bool(equal(&lv.value, &rv.value) == (op == Eq))),
        },
        Lt | Le | Gt | Ge => {
            let ordering = match numbers {
                Some((a, b)) => number::compare(a, b),
                None => order(&lv.value, &rv.value).ok_or_else(|| "they have no order".into()),
            };
            match ordering {
                Ok(o) => {
                    let b = match op {
                        Lt => o.is_lt(),
                        Le => o.is_le(),
                        Gt => o.is_gt(),
                        _ => o.is_ge(),
                    };
                    evidence(Value::Bool(b))
                }
                Err(why) => cannot(why),
            }
        }
        Match | NotMatch => match (&lv.value, &rv.value) {
            (Value::Str(s), Value::Regex(re)) => {
                evidence(Value::Bool(re.is_match(s) == (op == Match)))
            }
            _ => Val::unknown("internal: ill-typed match"),
        },
        In => match &rv.value {
            Value::List(items) => {
                let hit = items.iter().find(|i| equal(&lv.value, &i.value));
                match hit {
                    Some(h) => {
                        Val::with(Value::Bool(true), lv.evidence.clone()).and_evidence(&h.evidence)
                    }
                    None => evidence(Value::Bool(false)),
                }
            }
            Value::Str(hay) => match &lv.value {
                Value::Str(needle) => evidence(Value::Bool(hay.contains(&**needle))),
                _ => Val::unknown("internal: ill-typed `in`"),
            },
            _ => Val::unknown("internal: ill-typed `in`"),
        },
        Add | Sub | Mul | Div => match arithmetic(op, &lv, &rv) {
            Ok(v) => evidence(v),
            Err(why) if numbers.is_some() => cannot(why),
            Err(why) => Val::unknown(why),
        },
        And | Or | Coalesce => unreachable!("handled above"),
    }
}

/// How a value reads in a reason: numbers with their units (`85 %`, `18 件`), text quoted.
pub fn show(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("\"{s}\""),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Null(_) => "missing".into(),
        Value::Unknown(_) => "unknown".into(),
        Value::Regex(r) => format!("/{r}/"),
        Value::List(items) => format!("a list of {}", items.len()),
        other => match num(other) {
            Some(n) => number::show(n),
            None => "a value".into(),
        },
    }
}

fn arithmetic(op: BinaryOp, l: &Val, r: &Val) -> Result<Value, String> {
    use BinaryOp::*;
    if let (Add, Value::Str(a), Value::Str(b)) = (op, &l.value, &r.value) {
        return Ok(Value::Str(format!("{a}{b}").into()));
    }
    if let (Add, Value::List(a), Value::List(b)) = (op, &l.value, &r.value) {
        return Ok(Value::List(Arc::new(
            a.iter().chain(b.iter()).cloned().collect(),
        )));
    }
    number::arithmetic(op, &l.value, &r.value)
}

/// Equality of values of one type (the compiler sees to that); numbers that cannot meet are
/// not equal (the comparison operators report them as unknown instead).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Date(x), Value::Date(y)) => x == y,
        (Value::Section(x), Value::Section(y))
        | (Value::Paragraph(x), Value::Paragraph(y))
        | (Value::Figure(x), Value::Figure(y)) => x == y,
        (Value::Item(a, b), Value::Item(c, d)) => a == c && b == d,
        (Value::Match(x), Value::Match(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| equal(&p.value, &q.value))
        }
        _ => match num(a).zip(num(b)) {
            Some((x, y)) => number::compare(x, y).is_ok_and(|o| o.is_eq()),
            None => false,
        },
    }
}

fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn quantify(
    kind: Quantifier,
    slot: usize,
    items: &[Val],
    cond: &CExpr,
    ctx: &Ctx,
    env: &mut Vec<Val>,
) -> Val {
    let mut unknown: Option<Val> = None;
    let mut count = 0i64;
    let mut hits: Vec<crate::report::Span> = Vec::new();
    for item in items {
        env[slot] = item.clone();
        let v = eval(cond, ctx, env);
        match (&v.value, kind) {
            (Value::Bool(true), Quantifier::Any) => return v.and_evidence(&item.evidence),
            (Value::Bool(false), Quantifier::All) => return v.and_evidence(&item.evidence),
            (Value::Bool(true), Quantifier::Count) => {
                count += 1;
                if hits.len() < crate::expr::value::MAX_EVIDENCE {
                    hits.extend(item.evidence.first().copied());
                }
            }
            (Value::Bool(_), _) => {}
            _ => {
                if unknown.is_none() {
                    unknown = Some(undecided(cond, v));
                }
            }
        }
    }
    if let Some(u) = unknown {
        return u;
    }
    match kind {
        Quantifier::Any => Val::new(Value::Bool(false)),
        Quantifier::All => Val::new(Value::Bool(true)),
        Quantifier::Count => Val::with(Value::Int(count), hits),
    }
}

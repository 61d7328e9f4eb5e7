//! Expression stage: numbers with their units — what may be compared with what, and what
//! arithmetic gives.
//!
//! Three kinds of number meet at run time: **bare** numbers (`18`, `46.9531`, `len(…)`,
//! `report.year`), **percentages** — ratios, stored as the fraction (`10%` is 0.1, a figure
//! `出庭率85%` is 0.85, `4 / 8` is 0.5) — and **quantities**, a figure's number with the unit the
//! report gives it (`18 件`, `46.9531 万元`). A percentage meets percentages only; a quantity
//! meets bare numbers and quantities of its own kind (`件` and `起` are both counts, `万元` is
//! 10 000 `元`), never a percentage. When two numbers cannot meet, the answer is an error saying
//! why — never a silent true or false. The compiler ([`super::types`]) refuses what it can see
//! at load time; this module decides the rest when the units are known.

use super::ast::BinaryOp;
use super::value::Value;
use crate::report::figures::format_value;
use std::cmp::Ordering;
use std::sync::Arc;

/// A number as arithmetic and comparisons see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num<'a> {
    /// Without a unit: `18`, `46.9531`.
    Bare(f64),
    /// A percentage, as the fraction: 0.85 for `85%`.
    Ratio(f64),
    /// A number and its unit: `18 件`.
    Qty(f64, &'a str),
}

/// The kinds of unit that compare with each other; within a kind, the scale to its base unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Money: `元`, `万元`, `亿元`.
    Money,
    /// Clock hours.
    Hours,
    /// Class hours (`学时`), which are not clock hours.
    ClassHours,
    Days,
    /// Everything counted with a measure word: `件`, `起`, `次`, `人次`, `个`, `场`…
    Count,
}

fn kind(unit: &str) -> (Kind, f64) {
    match unit {
        "元" => (Kind::Money, 1.0),
        "万元" => (Kind::Money, 1e4),
        "亿元" => (Kind::Money, 1e8),
        "小时" => (Kind::Hours, 1.0),
        "学时" | "个学时" => (Kind::ClassHours, 1.0),
        "天" => (Kind::Days, 1.0),
        _ => (Kind::Count, 1.0),
    }
}

/// The number in a value, with its kind; `None` for values that are not numbers.
pub fn num(v: &Value) -> Option<Num<'_>> {
    match v {
        Value::Int(i) => Some(Num::Bare(*i as f64)),
        Value::Num(n) => Some(Num::Bare(*n)),
        Value::Percent(p) => Some(Num::Ratio(*p)),
        Value::Quantity(q, unit) => Some(Num::Qty(*q, unit)),
        _ => None,
    }
}

/// A figure's value: a percentage for `%`, else a quantity in its unit.
pub fn figure_value(value: f64, unit: &str) -> Value {
    if unit == "%" {
        Value::Percent(value / 100.0)
    } else {
        Value::Quantity(value, unit.into())
    }
}

/// How a number reads in traces and reasons: `85 %`, `18 件`, `0.5`.
pub fn show(n: Num) -> String {
    match n {
        Num::Bare(x) => format_value(x),
        Num::Ratio(r) => format!("{} %", format_value(r * 100.0)),
        Num::Qty(x, u) => format!("{} {u}", format_value(x)),
    }
}

/// Why two numbers do not meet, in words.
fn mismatch(a: Num, b: Num) -> String {
    match (a, b) {
        (Num::Ratio(_), Num::Bare(x)) | (Num::Bare(x), Num::Ratio(_)) => format!(
            "a percentage is a ratio and {} is a bare number (write `{}%` for a percentage)",
            format_value(x),
            format_value(x)
        ),
        (Num::Ratio(_), Num::Qty(..)) | (Num::Qty(..), Num::Ratio(_)) => {
            "a percentage does not compare with a count or an amount".to_string()
        }
        _ => format!(
            "{} and {} are not the same kind of quantity",
            show(a),
            show(b)
        ),
    }
}

/// Two comparable numbers as plain `f64`s on one scale, or why they are not comparable.
fn common(a: Num, b: Num) -> Result<(f64, f64), String> {
    match (a, b) {
        (Num::Bare(x), Num::Bare(y)) | (Num::Ratio(x), Num::Ratio(y)) => Ok((x, y)),
        (Num::Qty(x, _), Num::Bare(y)) | (Num::Bare(x), Num::Qty(y, _)) => Ok((x, y)),
        (Num::Qty(x, u), Num::Qty(y, v)) => {
            let ((ku, su), (kv, sv)) = (kind(u), kind(v));
            if ku == kv {
                Ok((x * su, y * sv))
            } else {
                Err(mismatch(a, b))
            }
        }
        _ => Err(mismatch(a, b)),
    }
}

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
}

/// The order of two numbers (equal within rounding: `0.1 + 0.2 == 30%`), or why they cannot be
/// compared.
pub fn compare(a: Num, b: Num) -> Result<Ordering, String> {
    let (x, y) = common(a, b)?;
    if close(x, y) {
        Ok(Ordering::Equal)
    } else {
        x.partial_cmp(&y).ok_or_else(|| "not a number".to_string())
    }
}

/// `a op b` for `+ - * /`, or why it has no meaning (or overflows, or divides by zero).
pub fn arithmetic(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, String> {
    use BinaryOp::{Add, Div, Mul, Sub};
    if let (Value::Int(x), Value::Int(y)) = (a, b)
        && op != Div
    {
        let v = match op {
            Add => x.checked_add(*y),
            Sub => x.checked_sub(*y),
            _ => x.checked_mul(*y),
        };
        return v.map(Value::Int).ok_or_else(|| "integer overflow".into());
    }
    let (Some(l), Some(r)) = (num(a), num(b)) else {
        return Err("internal: ill-typed arithmetic".into());
    };
    let divide = |x: f64, y: f64| {
        if y == 0.0 {
            Err(format!("division by zero ({} / 0)", show(l)))
        } else {
            Ok(x / y)
        }
    };
    let qty = |x: f64, u: &str| Value::Quantity(x, Arc::from(u));
    let no = || {
        Err(format!(
            "`{}` has no meaning here: {}",
            op.symbol(),
            mismatch(l, r)
        ))
    };
    Ok(match (l, r, op) {
        (Num::Bare(x), Num::Bare(y), Div) => Value::Percent(divide(x, y)?),
        (Num::Bare(x), Num::Bare(y), _) => Value::Num(plain(op, x, y)),
        (Num::Ratio(x), Num::Ratio(y), Div) => Value::Percent(divide(x, y)?),
        (Num::Ratio(x), Num::Ratio(y), _) => Value::Percent(plain(op, x, y)),
        (Num::Ratio(x), Num::Bare(y), Mul) | (Num::Bare(x), Num::Ratio(y), Mul) => {
            Value::Num(x * y)
        }
        (Num::Ratio(x), Num::Bare(y), Div) => Value::Percent(divide(x, y)?),
        (Num::Bare(x), Num::Ratio(y), Div) => Value::Num(divide(x, y)?),
        (Num::Qty(x, u), Num::Qty(y, v), Add | Sub | Div) => {
            let ((ku, su), (kv, sv)) = (kind(u), kind(v));
            if ku != kv {
                return no();
            }
            if op == Div {
                Value::Percent(divide(x * su, y * sv)?)
            } else {
                qty(plain(op, x, y * sv / su), u)
            }
        }
        (Num::Qty(x, u), Num::Bare(y), Add | Sub | Mul) => qty(plain(op, x, y), u),
        (Num::Qty(x, u), Num::Bare(y), Div) => qty(divide(x, y)?, u),
        (Num::Bare(x), Num::Qty(y, v), Add | Sub | Mul) => qty(plain(op, x, y), v),
        (Num::Qty(x, u), Num::Ratio(y), Mul) | (Num::Ratio(y), Num::Qty(x, u), Mul) => {
            qty(x * y, u)
        }
        (Num::Qty(x, u), Num::Ratio(y), Div) => qty(divide(x, y)?, u),
        _ => return no(),
    })
}

fn plain(op: BinaryOp, x: f64, y: f64) -> f64 {
    match op {
        BinaryOp::Add => x + y,
        BinaryOp::Sub => x - y,
        _ => x * y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOp::*;

    fn pct(p: f64) -> Value {
        Value::Percent(p / 100.0)
    }
    fn qty(x: f64, u: &str) -> Value {
        Value::Quantity(x, u.into())
    }
    fn cmp(a: &Value, b: &Value) -> Result<Ordering, String> {
        compare(num(a).unwrap(), num(b).unwrap())
    }

    #[test]
    fn four_of_eight_is_fifty_percent_not_at_most_ten() {
        let half = arithmetic(Div, &Value::Int(4), &Value::Int(8)).unwrap();
        assert!(matches!(half, Value::Percent(p) if p == 0.5));
        assert_eq!(cmp(&half, &pct(10.0)), Ok(Ordering::Greater));
        // Lost cases over cases, both stated as figures: a ratio as well.
        let r = arithmetic(Div, &qty(4.0, "起"), &qty(8.0, "件")).unwrap();
        assert_eq!(cmp(&r, &pct(50.0)), Ok(Ordering::Equal));
    }

    #[test]
    fn a_percentage_never_meets_a_bare_number_or_a_count() {
        let why = cmp(&pct(85.0), &Value::Int(95)).unwrap_err();
        assert!(why.contains("write `95%`"), "{why}");
        assert!(cmp(&pct(85.0), &qty(18.0, "件")).is_err());
        assert!(arithmetic(Add, &pct(10.0), &Value::Int(1)).is_err());
        assert!(arithmetic(Sub, &qty(3.0, "件"), &pct(10.0)).is_err());
    }

    #[test]
    fn quantities_compare_within_their_kind_and_scale() {
        assert_eq!(
            cmp(&qty(1.0, "万元"), &qty(10_000.0, "元")),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            cmp(&qty(18.0, "件"), &qty(3.0, "起")),
            Ok(Ordering::Greater)
        );
        assert!(cmp(&qty(18.0, "件"), &qty(3.0, "万元")).is_err());
        assert_eq!(
            cmp(&qty(18.0, "件"), &Value::Int(10)),
            Ok(Ordering::Greater)
        );
        let sum = arithmetic(Add, &qty(1.0, "万元"), &qty(5000.0, "元")).unwrap();
        assert!(matches!(sum, Value::Quantity(x, ref u) if x == 1.5 && &**u == "万元"));
    }

    #[test]
    fn percentages_keep_their_meaning_through_arithmetic() {
        assert!(matches!(
            arithmetic(Mul, &pct(10.0), &Value::Int(8)).unwrap(),
            Value::Num(x) if (x - 0.8).abs() < 1e-12
        ));
        let sum = arithmetic(Add, &pct(10.0), &pct(20.0)).unwrap();
        assert_eq!(cmp(&sum, &pct(30.0)), Ok(Ordering::Equal));
        assert_eq!(show(num(&pct(85.0)).unwrap()), "85 %");
        assert_eq!(show(num(&qty(46.9531, "万元")).unwrap()), "46.9531 万元");
        assert!(arithmetic(Div, &Value::Int(1), &Value::Int(0)).is_err());
        assert!(arithmetic(Mul, &qty(2.0, "件"), &qty(3.0, "件")).is_err());
    }
}

//! Expression stage: pretty-printing.
//!
//! Takes syntax trees (from [`super::parse`] or built by hand) and hands on their canonical
//! text: single spaces around binary operators, `not x`, `-x`, `f(a, b)`, `[a, b]`,
//! `any(x in xs: cond)`, double-quoted strings, and only the parentheses the precedence table
//! requires. Used in messages, `explain` output and tests; for every tree the parser produces,
//! parsing the printed text gives the same tree again (spans aside).
//!
//! Recursion follows the tree, whose depth the parser limits to
//! [`super::parse::MAX_AST_DEPTH`].

use std::fmt::Write as _;

use super::ast::{BinaryOp, Expr, ExprKind, ForClause, Template, TemplatePart, UnaryOp};
use super::operators;

// Precedence levels and associativity come from the one operator table.
fn binary_prec(op: BinaryOp) -> u8 {
    operators::binary_level(op)
}

fn right_assoc(op: BinaryOp) -> bool {
    operators::right_assoc(op)
}

fn not_level() -> u8 {
    operators::prefix_level(UnaryOp::Not)
}

fn neg_level() -> u8 {
    operators::prefix_level(UnaryOp::Neg)
}

/// The infix or postfix operator written right after an expression's text, if any (it may
/// belong to an enclosing expression: in `a == not b == c` the second `==` follows `not b`).
#[derive(Clone, Copy)]
struct Follow {
    prec: u8,
    right_assoc: bool,
}

const NOTHING: Follow = Follow {
    prec: 0,
    right_assoc: false,
};

/// The canonical text of an expression.
pub fn pretty(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e, 0, NOTHING);
    out
}

/// The canonical text of a `for:` clause: `m in figures(/率/)`.
pub fn pretty_for(f: &ForClause) -> String {
    format!("{} in {}", f.var, pretty(&f.list))
}

/// The canonical text of a template: literal braces doubled, holes as `{expr}`.
pub fn pretty_template(t: &Template) -> String {
    let mut out = String::new();
    for part in &t.parts {
        match part {
            TemplatePart::Text(text) => {
                out.push_str(&text.replace('{', "{{").replace('}', "}}"));
            }
            TemplatePart::Expr(e) => {
                out.push('{');
                write_expr(&mut out, e, 0, NOTHING);
                out.push('}');
            }
        }
    }
    out
}

/// Does `e` need parentheses, written where a binary operand must bind at least as tightly
/// as `min` and `follow` comes after it?
///
/// Binary operators need them when they bind less tightly than required on the left, or
/// than the following operator. Prefix operators never do on their left (`a * -b`,
/// `a == not b`), but their operand extends to the right over everything that binds more
/// tightly than they do, so `not` followed by `==` or `-` followed by `.name` needs them.
fn needs_parens(e: &Expr, min: u8, follow: Follow) -> bool {
    let absorbs = |prec: u8| follow.prec > prec || (follow.prec == prec && follow.right_assoc);
    match &e.kind {
        ExprKind::Binary { op, .. } => {
            let p = binary_prec(*op);
            p < min || absorbs(p)
        }
        ExprKind::Unary { op, .. } => absorbs(match op {
            UnaryOp::Not => not_level(),
            UnaryOp::Neg => neg_level(),
        }),
        // Never produced by the parser, but printed with a leading `-`.
        ExprKind::Int(i) if *i < 0 => absorbs(neg_level()),
        ExprKind::Decimal(x) | ExprKind::Percent(x) if x.is_sign_negative() => absorbs(neg_level()),
        _ => false,
    }
}

fn write_expr(out: &mut String, e: &Expr, min: u8, follow: Follow) {
    let parens = needs_parens(e, min, follow);
    let follow = if parens {
        out.push('(');
        NOTHING
    } else {
        follow
    };
    match &e.kind {
        ExprKind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        ExprKind::Decimal(x) => out.push_str(&decimal(*x)),
        ExprKind::Percent(x) => {
            let _ = write!(out, "{x}%");
        }
        ExprKind::Str(s) => write_string(out, s),
        ExprKind::Regex { pattern, flags } => {
            out.push('/');
            let mut chars = pattern.chars();
            while let Some(c) = chars.next() {
                match c {
                    // Keep escape pairs as they are (`\d`, `\\`), so that a `/` after `\\` is
                    // still escaped below.
                    '\\' => {
                        out.push('\\');
                        if let Some(next) = chars.next() {
                            out.push(next);
                        }
                    }
                    '/' => out.push_str("\\/"),
                    c => out.push(c),
                }
            }
            out.push('/');
            out.push_str(flags);
        }
        ExprKind::Date { year, month, day } => {
            let _ = write!(out, "{year:04}-{month:02}-{day:02}");
        }
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Null => out.push_str("null"),
        ExprKind::List(items) => {
            out.push('[');
            write_list(out, items);
            out.push(']');
        }
        ExprKind::Name(name) => out.push_str(name),
        ExprKind::Member { object, name, .. } => {
            write_expr(
                out,
                object,
                operators::member_level(),
                Follow {
                    prec: operators::member_level(),
                    right_assoc: false,
                },
            );
            out.push('.');
            out.push_str(name);
        }
        ExprKind::Call { func, args, .. } => {
            out.push_str(func);
            out.push('(');
            write_list(out, args);
            out.push(')');
        }
        ExprKind::Unary { op, operand } => {
            let prec = match op {
                UnaryOp::Not => {
                    out.push_str("not ");
                    not_level()
                }
                UnaryOp::Neg => {
                    out.push('-');
                    neg_level()
                }
            };
            write_expr(out, operand, prec + 1, follow);
        }
        ExprKind::Binary { op, lhs, rhs, .. } => {
            let p = binary_prec(*op);
            let right = right_assoc(*op);
            write_expr(
                out,
                lhs,
                if right { p + 1 } else { p },
                Follow {
                    prec: p,
                    right_assoc: right,
                },
            );
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write_expr(out, rhs, if right { p } else { p + 1 }, follow);
        }
        ExprKind::Quantifier {
            kind,
            var,
            list,
            cond,
            ..
        } => {
            let _ = write!(out, "{}({var} in ", kind.keyword());
            write_expr(out, list, 0, NOTHING);
            out.push_str(": ");
            write_expr(out, cond, 0, NOTHING);
            out.push(')');
        }
    }
    if parens {
        out.push(')');
    }
}

fn write_list(out: &mut String, items: &[Expr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(out, item, 0, NOTHING);
    }
}

/// `46.9531`, `1.0` (never `1`, which would read back as an integer).
fn decimal(x: f64) -> String {
    let s = format!("{x}");
    if x.is_finite() && !s.contains('.') {
        s + ".0"
    } else {
        s
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A copy of `e` with every span set to `0..0`, to compare trees regardless of layout.
#[cfg(test)]
pub(crate) fn without_spans(e: &Expr) -> Expr {
    let s = |e: &Expr| Box::new(without_spans(e));
    let kind = match &e.kind {
        ExprKind::List(items) => ExprKind::List(items.iter().map(without_spans).collect()),
        ExprKind::Member { object, name, .. } => ExprKind::Member {
            object: s(object),
            name: name.clone(),
            name_span: 0..0,
        },
        ExprKind::Call { func, args, .. } => ExprKind::Call {
            func: func.clone(),
            func_span: 0..0,
            args: args.iter().map(without_spans).collect(),
        },
        ExprKind::Unary { op, operand } => ExprKind::Unary {
            op: *op,
            operand: s(operand),
        },
        ExprKind::Binary { op, lhs, rhs, .. } => ExprKind::Binary {
            op: *op,
            op_span: 0..0,
            lhs: s(lhs),
            rhs: s(rhs),
        },
        ExprKind::Quantifier {
            kind,
            var,
            list,
            cond,
            ..
        } => ExprKind::Quantifier {
            kind: *kind,
            var: var.clone(),
            var_span: 0..0,
            list: s(list),
            cond: s(cond),
        },
        other => other.clone(),
    };
    Expr { kind, span: 0..0 }
}

#[cfg(test)]
mod tests {
    use super::super::ast::{ExprKind, TemplatePart};
    use super::super::parse::{parse_expr, parse_for, parse_template};
    use super::*;

    /// Parse, print, and check that the printed text parses to the same tree (spans aside)
    /// and prints the same again.
    fn pp(src: &str) -> String {
        let ast = parse_expr(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
        let printed = pretty(&ast);
        let again = parse_expr(&printed).unwrap_or_else(|e| panic!("{printed:?}: {e:?}"));
        assert_eq!(
            without_spans(&again),
            without_spans(&ast),
            "{src:?} via {printed:?}"
        );
        assert_eq!(pretty(&again), printed, "printing {src:?} is not stable");
        printed
    }

    /// `src` prints as `expected` (and round-trips).
    #[track_caller]
    fn pp_is(src: &str, expected: &str) {
        assert_eq!(pp(src), expected, "printing {src:?}");
    }

    /// `src` is already canonical.
    #[track_caller]
    fn same(src: &str) {
        pp_is(src, src);
    }

    #[track_caller]
    fn lit_is(kind: ExprKind, expected: &str) {
        assert_eq!(pretty(&Expr { kind, span: 0..0 }), expected);
    }

    #[test]
    fn minimal_parentheses() {
        pp_is("1+2*3", "1 + 2 * 3");
        pp_is("(1+2)*3", "(1 + 2) * 3");
        same("1 * (2 + 3)");
        same("a or b and c");
        same("(a or b) and c");
        pp_is("(a and b) or c", "a and b or c");
        same("a and (b or c)");
        same("not a == b");
        pp_is("not (a == b)", "not a == b");
        same("(not a) == b");
        same("not (a and b)");
        same("not a and b");
        same("a ?? b <= c");
        pp_is("(a ?? b) <= c", "a ?? b <= c");
        same("a ?? (b <= c)");
        same("a ?? b + 1");
        same("(a ?? b) + 1");
        same("-x.y");
        same("(-x).y");
        same("(a + b).c");
        same("(not a).b");
        same("1 - (2 - 3)");
        pp_is("(1 - 2) - 3", "1 - 2 - 3");
        same("a / b / c");
        same("a / (b / c)");
        same("a ?? b ?? c");
        pp_is("a ?? (b ?? c)", "a ?? b ?? c");
        same("(a ?? b) ?? c");
        same("a < b == c");
        same("a < (b == c)");
    }

    #[test]
    fn prefix_operators_extend_to_the_right() {
        same("a == not b");
        pp_is("(a == not b) == c", "a == (not b) == c");
        same("a == not b == c");
        same("a * not b");
        pp_is("(a * not b) + c", "a * (not b) + c");
        same("-(not x) == y");
        same("-not x == y");
        same("not not x");
        same("not -x");
        pp_is("- -x", "--x");
        same("a - -b");
        same("a * -b");
        same("-(a + b)");
        same("-(a * b)");
        pp_is("(-a) * b", "-a * b");
        pp_is("(not a) or b", "not a or b");
    }

    #[test]
    fn every_operator() {
        let ops = [
            "or", "and", "==", "!=", "<", "<=", ">", ">=", "~", "!~", "in", "??", "+", "-", "*",
            "/",
        ];
        for op in ops {
            same(&format!("a {op} b"));
            if op == "??" {
                same(&format!("(a {op} b) {op} c"));
                same(&format!("a {op} b {op} c"));
            } else {
                same(&format!("a {op} b {op} c"));
                same(&format!("a {op} (b {op} c)"));
            }
        }
        same("x in [1, 2]");
        same("t ~ /报告/ and t !~ /草稿/i");
    }

    #[test]
    fn every_literal() {
        same("42");
        same("46.9531");
        same("1.0");
        pp_is("1.50", "1.5");
        same("0.000001");
        same("100%");
        same("99.5%");
        same("0.5%");
        same("2024-03-01");
        same("true");
        same("false");
        same("null");
        pp_is("'single'", r#""single""#);
        same(r#""say \"hi\"""#);
        pp_is(r#"'it\'s'"#, r#""it's""#);
        same(r#""a\\b\n\t\r""#);
        pp_is(r#""\u{4E2D}文""#, r#""中文""#);
        same(r#""\u{7}""#);
        same(r#""出庭率""#);
        same("/负责人出庭(应诉)?率/");
        same(r"/\d{4}年/");
        same(r"/a\/b/i");
        same(r"/a\\\/b/");
        same(r"/a\\/");
        same("[]");
        pp_is("[1,]", "[1]");
        pp_is("[1, 'a', [2.5, null]]", r#"[1, "a", [2.5, null]]"#);
    }

    #[test]
    fn printing_literals_built_by_hand() {
        lit_is(ExprKind::Decimal(1.0), "1.0");
        lit_is(ExprKind::Decimal(1e20), "100000000000000000000.0");
        lit_is(ExprKind::Percent(100.0), "100%");
        lit_is(ExprKind::Int(-5), "-5");
        let regex = ExprKind::Regex {
            pattern: "a/b".into(),
            flags: "i".into(),
        };
        lit_is(regex, r"/a\/b/i");
        let (year, month, day) = (2024, 3, 1);
        lit_is(ExprKind::Date { year, month, day }, "2024-03-01");
        let object = Box::new(Expr {
            kind: ExprKind::Int(-5),
            span: 0..0,
        });
        let (name, name_span) = ("x".to_string(), 0..0);
        lit_is(
            ExprKind::Member {
                object,
                name,
                name_span,
            },
            "(-5).x",
        );
    }

    #[test]
    fn names_calls_members_quantifiers() {
        same("report.year");
        same("a.b.c");
        pp_is("a . b", "a.b");
        same("figure(/x/).value");
        same("f(x).y.z");
        pp_is("len( xs )", "len(xs)");
        same("f()");
        pp_is("f(a,b,)", "f(a, b)");
        same("f(a or b, -c)");
        same("android or notice or index or nota or in_x or truex");
        same("figure(/负责人出庭(应诉)?率/).value == 100%");
        same("any(s in sections: s.title ~ /安排/)");
        same("count(m in figures(/率/): m.value < 100%)");
        pp_is("all(x in [1,2]:x>0)", "all(x in [1, 2]: x > 0)");
        pp_is("any(y in ys : not y)", "any(y in ys: not y)");
        same("count(x in xs: true) / len(xs) >= 90%");
        same("report.date >= 2024-01-01 ?? false");
    }

    #[test]
    fn multi_line_input_with_comments() {
        let src =
            "# 检查出庭率\nfigure(/出庭率/).value   # 数值\n  >= 90%  # 阈值\n  and y == 2024\n";
        pp_is(src, "figure(/出庭率/).value >= 90% and y == 2024");
        pp_is("a\r\n\t+ b # # ( [ { /\n", "a + b");
        same("\"# not a comment\" in x");
    }

    #[test]
    fn for_clauses_and_templates() {
        let f = parse_for("m   in figures(/率/)").unwrap();
        assert_eq!(pretty_for(&f), "m in figures(/率/)");
        let t = parse_template("{ m.label }为 {m.text}，超过 100%{{}}").unwrap();
        assert_eq!(pretty_template(&t), "{m.label}为 {m.text}，超过 100%{{}}");
        let again = parse_template(&pretty_template(&t)).unwrap();
        assert_eq!(again.parts.len(), t.parts.len());
        for (a, b) in again.parts.iter().zip(&t.parts) {
            match (a, b) {
                (TemplatePart::Text(a), TemplatePart::Text(b)) => assert_eq!(a, b),
                (TemplatePart::Expr(a), TemplatePart::Expr(b)) => {
                    assert_eq!(without_spans(a), without_spans(b))
                }
                _ => panic!("parts differ: {a:?} / {b:?}"),
            }
        }
    }

    /// Random trees (from a fixed seed) print to text that parses back to the same tree:
    /// checks the minimal-parentheses rules against the parser for every operator pair.
    #[test]
    fn random_trees_round_trip() {
        use super::super::ast::{BinaryOp::*, Quantifier, UnaryOp};
        struct Rng(u64);
        impl Rng {
            fn below(&mut self, n: usize) -> usize {
                // xorshift64*
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
            }
            fn pick<T: Clone>(&mut self, items: &[T]) -> T {
                items[self.below(items.len())].clone()
            }
        }
        fn node(kind: ExprKind) -> Expr {
            Expr { kind, span: 0..0 }
        }
        fn grow(rng: &mut Rng, depth: usize) -> Expr {
            let choice = if depth == 0 { 0 } else { rng.below(9) };
            let sub = |rng: &mut Rng| Box::new(grow(rng, depth - 1));
            node(match choice {
                0 => match rng.below(9) {
                    0 => ExprKind::Int(rng.pick(&[0, 7, 2024, i64::MAX])),
                    1 => ExprKind::Decimal(rng.pick(&[0.5, 1.0, 46.9531, 1e-7, 123456.75])),
                    2 => ExprKind::Percent(rng.pick(&[100.0, 99.5, 0.0])),
                    3 => ExprKind::Str(rng.pick(&["出庭率", "a\"b'c\\", "\n\t{}", ""]).into()),
                    4 => ExprKind::Regex {
                        pattern: rng.pick(&["a/b", r"\d{4}年", r"a\\", "负责(人)?"]).into(),
                        flags: rng.pick(&["", "i"]).into(),
                    },
                    5 => ExprKind::Date {
                        year: 2024,
                        month: rng.pick(&[1, 12]),
                        day: rng.pick(&[1, 31]),
                    },
                    6 => ExprKind::Bool(rng.below(2) == 0),
                    7 => ExprKind::Null,
                    _ => ExprKind::Name(rng.pick(&["a", "notice", "index", "_x1"]).into()),
                },
                1..=3 => ExprKind::Binary {
                    op: rng.pick(&[
                        Or, And, Eq, Ne, Lt, Le, Gt, Ge, Match, NotMatch, In, Coalesce, Add, Sub,
                        Mul, Div,
                    ]),
                    op_span: 0..0,
                    lhs: sub(rng),
                    rhs: sub(rng),
                },
                4..=5 => ExprKind::Unary {
                    op: rng.pick(&[UnaryOp::Not, UnaryOp::Neg]),
                    operand: sub(rng),
                },
                6 => ExprKind::Member {
                    object: sub(rng),
                    name: "value".into(),
                    name_span: 0..0,
                },
                7 => match rng.below(3) {
                    0 => ExprKind::List((0..rng.below(3)).map(|_| *sub(rng)).collect()),
                    1 => ExprKind::Call {
                        func: "f".into(),
                        func_span: 0..0,
                        args: (0..rng.below(3)).map(|_| *sub(rng)).collect(),
                    },
                    _ => ExprKind::Quantifier {
                        kind: rng.pick(&[Quantifier::Any, Quantifier::All, Quantifier::Count]),
                        var: "m".into(),
                        var_span: 0..0,
                        list: sub(rng),
                        cond: sub(rng),
                    },
                },
                _ => return grow(rng, 0),
            })
        }
        let mut rng = Rng(0x5EED_1234_ABCD_0001);
        for _ in 0..20_000 {
            let depth = 1 + rng.below(6);
            let tree = grow(&mut rng, depth);
            let printed = pretty(&tree);
            let parsed = parse_expr(&printed).unwrap_or_else(|e| panic!("{printed:?}: {e:?}"));
            assert_eq!(without_spans(&parsed), tree, "{printed}");
        }
    }
}

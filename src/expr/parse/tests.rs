//! Tests of the parser: the precedence table, literals, spans, error messages, guards.

use super::super::ast::{BinaryOp, ExprKind, Quantifier, TemplatePart, UnaryOp};
use super::super::pretty::{pretty, without_spans};
use super::*;

// ---- helpers ----------------------------------------------------------------------------

#[track_caller]
fn ok(src: &str) -> Expr {
    parse_expr(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"))
}

/// Fully parenthesised structure: `(a ?? (b ?? c))`.
fn sx(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Binary { op, lhs, rhs, .. } => {
            format!("({} {} {})", sx(lhs), op.symbol(), sx(rhs))
        }
        ExprKind::Unary { op, operand } => {
            let op = if *op == UnaryOp::Not { "not " } else { "-" };
            format!("({op}{})", sx(operand))
        }
        ExprKind::Member { object, name, .. } => format!("({}.{name})", sx(object)),
        _ => pretty(e),
    }
}

/// `src` parses to the structure `expected` (see [`sx`]).
#[track_caller]
fn tree(src: &str, expected: &str) {
    assert_eq!(sx(&ok(src)), expected, "{src:?}");
}

/// `src` parses to a node of `kind`.
#[track_caller]
fn is(src: &str, kind: ExprKind) {
    assert_eq!(without_spans(&ok(src)), e(kind), "{src:?}");
}

fn e(kind: ExprKind) -> Expr {
    Expr { kind, span: 0..0 }
}

fn bx(src: &str) -> Box<Expr> {
    Box::new(without_spans(&ok(src)))
}

fn regex(pattern: &str, flags: &str) -> ExprKind {
    let (pattern, flags) = (pattern.into(), flags.into());
    ExprKind::Regex { pattern, flags }
}

/// `src` fails with exactly this span and message.
#[track_caller]
fn fails(src: &str, span: Range<usize>, message: &str) {
    let err = parse_expr(src).expect_err(src);
    assert_eq!((err.span, err.message.as_str()), (span, message), "{src:?}");
}

/// `src` fails with a help that contains `part`.
#[track_caller]
fn helps(src: &str, part: &str) {
    let help = parse_expr(src).expect_err(src).help.unwrap_or_default();
    assert!(help.contains(part), "{src:?}: help {help:?} lacks {part:?}");
}

/// The message of the error for `src`.
fn message(src: &str) -> String {
    parse_expr(src).expect_err("should fail").message
}

#[track_caller]
fn for_fails(src: &str, message: &str) {
    assert_eq!(parse_for(src).expect_err(src).message, message, "{src:?}");
}

#[track_caller]
fn template_fails(src: &str, span: Range<usize>, message: &str) {
    let err = parse_template(src).expect_err(src);
    assert_eq!((err.span, err.message.as_str()), (span, message), "{src:?}");
}

/// The parts of a template, holes printed as `{expr}`.
#[track_caller]
fn parts(src: &str, expected: &[&str]) {
    let template = parse_template(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
    let parts: Vec<String> = template
        .parts
        .iter()
        .map(|p| match p {
            TemplatePart::Text(t) => t.clone(),
            TemplatePart::Expr(e) => format!("{{{}}}", pretty(e)),
        })
        .collect();
    assert_eq!(parts, expected, "{src:?}");
}

fn holes(src: &str) -> Vec<Expr> {
    let template = parse_template(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
    let holes = template.parts.into_iter().filter_map(|p| match p {
        TemplatePart::Expr(e) => Some(e),
        TemplatePart::Text(_) => None,
    });
    holes.collect()
}

const OP_OR_END: &str = "expected an operator or the end of the expression";
const EXPR_NOT_END: &str = "expected an expression, found the end of the expression";
const DEEP: &str = "expression nested too deeply (more than 64 levels)";
const DEEPER: &str = "expression nested too deeply (more than 256 levels)";
const PREFIXES: &str = "too many prefix operators in a row (more than 64)";

// ---- precedence -------------------------------------------------------------------------

#[test]
fn precedence_table() {
    tree("a or b and c", "(a or (b and c))");
    tree("a and b or c", "((a and b) or c)");
    tree("not a and b", "((not a) and b)");
    tree("not a == b", "(not (a == b))");
    tree("a == b ?? c", "(a == (b ?? c))");
    tree("a ?? b <= c", "((a ?? b) <= c)");
    tree("a ?? b + 1", "(a ?? (b + 1))");
    tree("a ?? b ?? c", "(a ?? (b ?? c))");
    tree("a + b * c - d", "((a + (b * c)) - d)");
    tree("a - b - c", "((a - b) - c)");
    tree("a / b * c", "((a / b) * c)");
    tree("-x.y", "(-(x.y))");
    tree("-a * b", "((-a) * b)");
    tree("not not a", "(not (not a))");
    tree("a == not b == c", "(a == (not (b == c)))");
    tree("x in xs and y !~ /z/", "((x in xs) and (y !~ /z/))");
    tree("a < b == c", "((a < b) == c)");
    tree("a != b ~ c", "((a != b) ~ c)");
    tree("a >= b > c", "((a >= b) > c)");
    tree("a.b.c", "((a.b).c)");
    tree("(a or b).c", "((a or b).c)");
}

// ---- literals ---------------------------------------------------------------------------

#[test]
fn literals() {
    is("42", ExprKind::Int(42));
    is("9223372036854775807", ExprKind::Int(i64::MAX));
    is("46.9531", ExprKind::Decimal(46.9531));
    is("100%", ExprKind::Percent(100.0));
    is("99.5%", ExprKind::Percent(99.5));
    is(r#""出庭率""#, ExprKind::Str("出庭率".into()));
    is(r#"'it\'s "x"'"#, ExprKind::Str("it's \"x\"".into()));
    is(
        r#""\\ \" \' \n \t \r \u{4E2D}""#,
        ExprKind::Str("\\ \" ' \n \t \r 中".into()),
    );
    is(r"/\d{4}年/", regex(r"\d{4}年", ""));
    is(r"/a\/b\\/i", regex(r"a/b\\", "i"));
    is("/负责人出庭(应诉)?率/", regex("负责人出庭(应诉)?率", ""));
    is(
        "2024-03-01",
        ExprKind::Date {
            year: 2024,
            month: 3,
            day: 1,
        },
    );
    is(
        "2024-02-29",
        ExprKind::Date {
            year: 2024,
            month: 2,
            day: 29,
        },
    );
    is("true", ExprKind::Bool(true));
    is("false", ExprKind::Bool(false));
    is("null", ExprKind::Null);
    is("[]", ExprKind::List(vec![]));
    is("[a, 1,]", ExprKind::List(vec![*bx("a"), *bx("1")]));
}

#[test]
fn names_are_not_keywords() {
    for n in [
        "android", "notice", "index", "orbit", "nullable", "true_", "falsey", "in2", "_",
    ] {
        is(n, ExprKind::Name(n.into()));
    }
    tree("notice and android", "(notice and android)");
    tree("not index", "(not index)");
}

#[test]
fn calls_members_quantifiers() {
    let func_span = 0..0;
    let call = ExprKind::Call {
        func: "figure".into(),
        func_span,
        args: vec![e(regex("率", ""))],
    };
    let (object, name, name_span) = (Box::new(e(call)), "value".into(), 0..0);
    is(
        "figure(/率/).value",
        ExprKind::Member {
            object,
            name,
            name_span,
        },
    );
    let (kind, var, var_span) = (Quantifier::Count, "m".into(), 0..0);
    let (list, cond) = (bx("figures(/率/)"), bx("m.value < 100%"));
    let count = ExprKind::Quantifier {
        kind,
        var,
        var_span,
        list,
        cond,
    };
    is("count(m in figures(/率/): m.value < 100%)", count);
    let any = ok("any(s in sections: s.title ~ /安排/)");
    assert!(matches!(
        any.kind,
        ExprKind::Quantifier {
            kind: Quantifier::Any,
            ..
        }
    ));
    let all = ok("all(s in sections: true)");
    assert!(matches!(
        all.kind,
        ExprKind::Quantifier {
            kind: Quantifier::All,
            ..
        }
    ));
    // `anything` is a name like any other; `any(…)` without `x in list:` is a mistake, said
    // once: at the comma for `any(s in xs, cond)`, else at the whole call.
    assert!(matches!(ok("anything(x)").kind, ExprKind::Call { .. }));
    fails(
        "any(s in xs, s.t)",
        11..12,
        "expected `:` after the list of `any`, found `,`",
    );
    helps("count(s in xs, s.t)", "`count(x in list: condition)`");
    fails(
        "any(xs)",
        0..7,
        "`any` is a quantifier, written `any(x in list: condition)`",
    );
    assert!(matches!(ok("f()").kind, ExprKind::Call { ref args, .. } if args.is_empty()));
}

#[test]
fn division_and_regex() {
    tree("a / b / c", "((a / b) / c)");
    tree("a/b/c", "((a / b) / c)");
    tree("f(/x/) / 2", "(f(/x/) / 2)");
    tree("x ~ /a/ and y", "((x ~ /a/) and y)");
    tree("(a) / 2", "(a / 2)");
    tree("[1] / /x/", "([1] / /x/)");
}

#[test]
fn whitespace_and_comments() {
    let src = "a # 注释 ( [ \"\n  and # more\n\tb\r\n";
    tree(src, "(a and b)");
    assert_eq!(ok(src).span, 0..src.find("\tb").unwrap() + 2);
}

// ---- spans ------------------------------------------------------------------------------

#[test]
fn spans_are_byte_ranges() {
    let x = ok(r#""出庭率" == x"#);
    let ExprKind::Binary {
        lhs, rhs, op_span, ..
    } = &x.kind
    else {
        panic!()
    };
    assert_eq!(
        (lhs.span.clone(), op_span.clone(), rhs.span.clone()),
        (0..11, 12..14, 15..16)
    );
    assert_eq!(x.span, 0..16);

    let src = "  figure(/率/).value  ";
    let x = ok(src);
    assert_eq!(x.span, 2..src.trim_end().len());
    let ExprKind::Member {
        object, name_span, ..
    } = &x.kind
    else {
        panic!()
    };
    assert_eq!(&src[name_span.clone()], "value");
    let ExprKind::Call {
        func_span, args, ..
    } = &object.kind
    else {
        panic!()
    };
    assert_eq!(&src[func_span.clone()], "figure");
    assert_eq!(&src[args[0].span.clone()], "/率/");

    let src = "not (a + -b)";
    let ExprKind::Unary { operand, .. } = ok(src).kind else {
        panic!()
    };
    assert_eq!(
        &src[operand.span.clone()],
        "(a + -b)",
        "parentheses are part of the span"
    );
    let ExprKind::Binary { rhs, .. } = &operand.kind else {
        panic!()
    };
    assert_eq!(&src[rhs.span.clone()], "-b");

    let ExprKind::Quantifier { var_span, .. } = ok("any( s in xs: s )").kind else {
        panic!()
    };
    assert_eq!(var_span, 5..6);

    let src = "a ?? b\n  >= 1";
    let ExprKind::Binary {
        op: BinaryOp::Ge,
        op_span,
        lhs,
        ..
    } = ok(src).kind
    else {
        panic!()
    };
    assert_eq!(&src[op_span], ">=");
    let ExprKind::Binary { op_span, .. } = lhs.kind else {
        panic!()
    };
    assert_eq!(&src[op_span], "??");
}

// ---- errors -----------------------------------------------------------------------------

#[test]
fn error_messages() {
    fails("(a", 0..1, "unclosed `(`");
    helps(
        "(a",
        "expected `)` or an operator at the end; close the `(` with `)`",
    );
    fails("f(a, [b", 5..6, "unclosed `[`");
    fails("f(a, [b]", 1..2, "unclosed `(`");
    fails("(a b)", 3..4, "expected `)` or an operator, found `b`");
    fails(r#"x == "abc"#, 5..6, "unterminated string");
    fails("x == 'ab\n' == y", 5..6, "unterminated string");
    fails("x ~ /abc", 4..5, "unterminated regex (a regex ends with /)");
    fails(
        "x ~ /a\n/",
        4..5,
        "unterminated regex (a regex ends with /)",
    );
    fails("a && b", 2..4, &format!("{OP_OR_END}, found `&&`"));
    helps("a && b", "use `and`");
    helps("a || b", "use `or`");
    fails("a = b", 2..3, &format!("{OP_OR_END}, found `=`"));
    helps("a = b", "use `==` to compare");
    fails("!a", 0..1, "expected an expression, found `!`");
    helps("!a", "use `not`");
    helps("a and !b", "use `not`");
    fails("1 +", 3..3, EXPR_NOT_END);
    fails("a b", 2..3, &format!("{OP_OR_END}, found `b`"));
    fails("", 0..0, EXPR_NOT_END);
    fails("  # only a comment\n", 19..19, EXPR_NOT_END);
    fails(
        "2024-13-01",
        0..10,
        "invalid date `2024-13-01`: there is no month 13",
    );
    fails(
        "d > 2023-02-29",
        4..14,
        "invalid date `2023-02-29`: month 2 of 2023 has no day 29",
    );
    fails(
        "2024-04-00",
        0..10,
        "invalid date `2024-04-00`: month 4 of 2024 has no day 0",
    );
    // Bytes, not characters: the lone `=` is at byte 12 (character 8).
    fails(
        r#""法治" == = 1"#,
        12..13,
        "expected an expression, found `=`",
    );
    fails(
        "x == 出庭率 + 1",
        5..14,
        "expected an expression, found `出庭率`",
    );
    let long = format!("a {}", "b".repeat(1000));
    fails(
        &long,
        2..3,
        &format!("{OP_OR_END}, found `{}…`", "b".repeat(24)),
    );
    helps("x == 出庭率", "text must be quoted, like `\"出庭率\"`");
    fails("a.b（c）", 3..6, &format!("{OP_OR_END}, found `（`"));
    helps(
        "f(a，b)",
        "`，` is a full-width character; use the ASCII `,`",
    );
    fails(
        "a.",
        2..2,
        "expected a name, found the end of the expression",
    );
    fails("x < %5", 4..5, "expected an expression, found `%`");
    helps("x < 100 %", "`100%`");
    fails("a AND b", 2..5, &format!("{OP_OR_END}, found `AND`"));
    helps("a AND b", "keywords are lower-case: write `and`");
    fails("a // note", 2..4, "`//` does not start a comment");
    helps("a // note", "comments start with `#`");
    fails(r#""a\qb""#, 2..4, "unknown escape `\\q` in string");
    fails(
        r#"'中\u{D800}'"#,
        4..12,
        "invalid unicode escape `\\u{D800}`",
    );
    fails(
        r#""\u12""#,
        1..3,
        "invalid unicode escape: write `\\u{…}` with 1 to 6 hex digits",
    );
    fails("99999999999999999999", 0..20, "integer too large");
    fails(
        "any(s in xs s.t)",
        12..13,
        "expected `)`, `,`, `:` or an operator, found `s`",
    );
    fails("a <> b", 2..4, "`<>` is not an operator");
    fails("f(a))", 4..5, "unmatched `)`");
    fails("[a] ]", 4..5, "unmatched `]`");
    fails("[a)", 2..3, "expected `]`, `,` or an operator, found `)`");
    fails("a => b", 2..4, &format!("{OP_OR_END}, found `=>`"));
    helps("a => b", "use `>=`");
    helps(".5", "`0.5`");
}

#[test]
fn errors_display_their_message() {
    let err = parse_expr("1 +").unwrap_err();
    assert_eq!(err.to_string(), err.message);
    let _: &dyn std::error::Error = &err;
}

// ---- for clauses ------------------------------------------------------------------------

#[test]
fn for_clause() {
    let f = parse_for("m in figures(/率/)").unwrap();
    assert_eq!(
        (f.var.as_str(), f.var_span.clone(), f.list.span.clone()),
        ("m", 0..1, 5..19)
    );
    assert!(matches!(f.list.kind, ExprKind::Call { .. }));
    assert_eq!(
        parse_for("\n  s in sections  # all of them\n")
            .unwrap()
            .var_span,
        3..4
    );
    for_fails("m figures", "expected `in`, found `figures`");
    for_fails("in xs", "expected a name, found `in`");
    for_fails(
        "m in",
        "expected an expression, found the end of the `for` clause",
    );
    for_fails(
        "m in xs ys",
        "expected an operator or the end of the `for` clause, found `ys`",
    );
}

// ---- templates --------------------------------------------------------------------------

#[test]
fn templates() {
    let src = "{m.label}为 {m.text}，超过 100%";
    parts(src, &["{m.label}", "为 ", "{m.text}", "，超过 100%"]);
    let h = holes(src);
    assert_eq!((h[0].span.clone(), h[1].span.clone()), (1..8, 14..20));
    assert_eq!(&src[h[1].span.clone()], "m.text");
    let ExprKind::Member {
        object, name_span, ..
    } = &h[1].kind
    else {
        panic!()
    };
    assert_eq!((object.span.clone(), name_span.clone()), (14..15, 16..20));
    parts("{{literal}} {x}}}", &["{literal} ", "{x}", "}"]);
    parts("纯文本", &["纯文本"]);
    parts("", &[]);
    parts("{format(x)}", &["{format(x)}"]);
    parts(r#"{"}" + x}！"#, &[r#"{"}" + x}"#, "！"]);
    parts(r"{x ~ /\d{4}年/}", &[r"{x ~ /\d{4}年/}"]);
    parts("{ a ?? 'n/a' }", &[r#"{a ?? "n/a"}"#]);
    let src = "值 {f(a, b) + 1}";
    let ExprKind::Binary { lhs, op_span, .. } = &holes(src)[0].kind else {
        panic!()
    };
    assert_eq!(&src[op_span.clone()], "+");
    let ExprKind::Call {
        func_span, args, ..
    } = &lhs.kind
    else {
        panic!()
    };
    assert_eq!(
        (&src[func_span.clone()], &src[args[1].span.clone()]),
        ("f", "b")
    );
}

#[test]
fn template_errors() {
    template_fails("a } b", 2..3, "unmatched `}` in template");
    template_fails("超过 {m.value", 7..8, "unclosed `{` in template");
    template_fails("x {} y", 2..4, "empty `{}` in template");
    template_fails(
        "值为 {m.value +}",
        17..18,
        "expected an expression, found `}`",
    );
    template_fails(
        "值为 {m.value = 1}",
        16..17,
        "expected an operator or `}`, found `=`",
    );
    template_fails("值 {f(x}", 6..7, "unclosed `(`");
    template_fails(r#"值 {"abc}"#, 5..6, "unterminated string");
    template_fails(
        "值 {2024-13-01}",
        5..15,
        "invalid date `2024-13-01`: there is no month 13",
    );
}

// ---- guards -----------------------------------------------------------------------------

fn nested(n: usize, open: &str, close: &str) -> String {
    format!("{}1{}", open.repeat(n), close.repeat(n))
}

fn chain(n: usize, op: &str) -> String {
    vec!["1"; n].join(op)
}

#[test]
fn guard_source_length() {
    let src = nested(100_000, "(", ")");
    fails(
        &src,
        200_001..200_001,
        "expression too long (200001 bytes; at most 65536 are accepted)",
    );
    assert!(message(&("not ".repeat(100_000) + "x")).starts_with("expression too long"));
    assert!(message(&chain(50_000, "+")).starts_with("expression too long"));
    let long_hole = format!("{{{}}}", "x".repeat(70_000));
    assert!(
        parse_template(&long_hole)
            .unwrap_err()
            .message
            .starts_with("template too long")
    );
}

#[test]
fn guard_nesting() {
    is(&nested(64, "(", ")"), ExprKind::Int(1));
    assert!(parse_expr(&nested(64, "[", "]")).is_ok());
    assert!(parse_expr(&nested(64, "f(", ")")).is_ok());
    fails(&nested(65, "(", ")"), 64..65, DEEP);
    fails(&nested(30_000, "(", ")"), 64..65, DEEP);
    fails(&nested(30_000, "[", "]"), 64..65, DEEP);
    fails(&format!("a + {}", nested(30_000, "(", ")")), 68..69, DEEP);
    // Brackets inside strings, regexes and comments do not count.
    let quoted = format!(
        "'{}' + /{}/ # {}\n",
        "(".repeat(100),
        "\\(".repeat(100),
        "[".repeat(100)
    );
    assert!(parse_expr(&quoted).is_ok());
    assert!(parse_template(&format!("{{{}}}", nested(64, "(", ")"))).is_ok());
    template_fails(&format!("x{{{}}}", nested(65, "(", ")")), 66..67, DEEP);
}

#[test]
fn guard_prefix_runs() {
    assert!(parse_expr(&("not ".repeat(64) + "x")).is_ok());
    assert!(parse_expr(&("-".repeat(64) + "x")).is_ok());
    fails(&("not ".repeat(65) + "x"), 256..259, PREFIXES);
    fails(&("not ".repeat(10_000) + "x"), 256..259, PREFIXES);
    fails(&("- ".repeat(10_000) + "x"), 128..129, PREFIXES);
    fails(&("not -".repeat(10_000) + "x"), 160..163, PREFIXES);
    // Separate runs are fine; prefixes in literals do not count.
    assert!(parse_expr(&vec!["not not x"; 100].join(" and ")).is_ok());
    let quoted = format!("\"{}\" ~ /{}/", "not (".repeat(200), "-[".repeat(200));
    assert!(parse_expr(&quoted).is_ok());
}

#[test]
fn guard_tree_depth() {
    // 256 levels are accepted, 257 are not: the error points at the operator where the
    // tree became too deep.
    assert!(parse_expr(&chain(256, "+")).is_ok());
    assert!(parse_expr(&chain(256, "??")).is_ok());
    fails(&chain(257, "+"), 511..512, DEEPER);
    fails(&chain(257, " ?? "), 1277..1279, DEEPER);
    // Long flat chains fail cleanly, left- or right-associative.
    assert_eq!(message(&chain(30_000, "+")), DEEPER);
    assert_eq!(message(&chain(30_000, "*")), DEEPER);
    assert_eq!(message(&chain(20_000, "??")), DEEPER);
    assert_eq!(message(&chain(10_000, " or ")), DEEPER);
    // Alternating prefix and infix operators nest in the Pratt parser too.
    assert_eq!(message(&vec!["not a"; 6_000].join(" == ")), DEEPER);
    assert_eq!(message(&vec!["-a"; 15_000].join("??")), DEEPER);
    // Members and nested brackets count.
    assert_eq!(message(&format!("x{}", ".y".repeat(30_000))), DEEPER);
    assert_eq!(message(&vec![nested(60, "(", ")"); 300].join("??")), DEEPER);
    let deep = format!("{}{}{}", "f(".repeat(60), chain(200, "??"), ")".repeat(60));
    assert_eq!(message(&deep), DEEPER);
    // A template hole is guarded as well.
    let hole = format!("{{{}}}", chain(20_000, "??"));
    assert_eq!(parse_template(&hole).unwrap_err().message, DEEPER);
}

#[test]
fn deepest_accepted_trees_are_usable() {
    // Parse, clone, compare, print, re-parse and drop the deepest accepted trees on the
    // test thread's stack (2 MiB; debug build).
    let mut deepest = vec![
        vec!["a"; 256].join(" ?? "),
        vec!["a"; 256].join(" - "),
        format!("{}x", "not -".repeat(32)),
        format!("x{}", ".y".repeat(255)),
    ];
    let mut mixed = String::from("1");
    for i in 0..64 {
        mixed = match i % 4 {
            0 => format!("f({mixed}, 2)"),
            1 => format!("[{mixed}]"),
            2 => format!("any(v in xs: {mixed} ?? a ?? b)"),
            _ => format!("not ({mixed} == c)"),
        };
    }
    deepest.push(mixed);
    for src in deepest {
        let ast = ok(&src);
        let copy = ast.clone();
        assert_eq!(copy, ast);
        let printed = pretty(&ast);
        assert_eq!(without_spans(&ok(&printed)), without_spans(&ast));
    }
}

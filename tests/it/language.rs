//! The rule language evaluated on the seed reports: three outcomes, evidence, templates.

use crate::{parse_file, seed_path};
use reportlint::check::{Outcome, evaluate};
use reportlint::expr::compile::{Scope, compile};
use reportlint::expr::eval::eval;
use reportlint::expr::library::Ctx;
use reportlint::expr::parse::parse_expr;
use reportlint::expr::value::Value;
use reportlint::report::Report;
use reportlint::rulebook::{SourceFile, load};

fn seed(name: &str) -> Report {
    parse_file(&seed_path(name))
}

/// Evaluates an expression on a report: `Some(bool)` or `None` for unknown, with the reason.
fn truth(report: &Report, src: &str) -> Result<bool, String> {
    let ast = parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    let compiled = compile(src, &ast, &mut Scope::new()).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    let v = eval(&compiled, &Ctx::new(report), &mut Vec::new());
    match v.value {
        Value::Bool(b) => Ok(b),
        Value::Unknown(why) | Value::Null(why) => Err(why.to_string()),
        other => panic!("{src} is not a condition: {other:?}"),
    }
}

#[test]
fn court_rate_is_full_where_reported_and_unknown_where_not() {
    let src = "figure(/负责人出庭(应诉)?率/).value == 100%";
    assert_eq!(truth(&seed("xinzhuang-2023"), src), Ok(true));
    assert_eq!(truth(&seed("wangbao-2023"), src), Ok(true));
    let why = truth(&seed("yangshe-2023-traditional"), src).unwrap_err();
    assert!(why.contains("no figure is labelled"), "{why}");
}

#[test]
fn next_year_heading() {
    let src = "has_section(/下一年度/)";
    assert_eq!(truth(&seed("xinkou-2023"), src), Ok(true));
    assert_eq!(truth(&seed("xinzhuang-2023"), src), Ok(false));
}

#[test]
fn kleene_logic_and_defaults() {
    let r = seed("xinkou-2023"); // no signature, no date
    assert_eq!(truth(&r, "report.date == null"), Ok(true));
    let why = truth(&r, "report.date <= date(2024, 3, 1)").unwrap_err();
    assert!(
        why.contains("`report.date` is missing") && why.contains("no date"),
        "{why}"
    );
    // An undecidable part decides nothing when the other side already does.
    assert_eq!(truth(&r, "false and report.date <= 2024-03-01"), Ok(false));
    assert_eq!(truth(&r, "true or report.date <= 2024-03-01"), Ok(true));
    assert!(truth(&r, "true and report.date <= 2024-03-01").is_err());
    assert!(truth(&r, "not (report.date <= 2024-03-01)").is_err());
    // `??` supplies a default for the missing.
    assert_eq!(
        truth(&r, "(report.date ?? 2024-02-01) <= 2024-03-01"),
        Ok(true)
    );
    assert_eq!(
        truth(
            &seed("yangshe-2023-traditional"),
            "(figure(/出庭/).value ?? 0) == 0"
        ),
        Ok(true)
    );
}

#[test]
fn patterns_and_literals_match_traditional_text() {
    let r = seed("yangshe-2023-traditional");
    assert_eq!(truth(&r, "mentions(/调处纠纷/)"), Ok(true));
    assert_eq!(truth(&r, "mentions(/調處糾紛/)"), Ok(true));
    assert_eq!(
        truth(&r, "report.addressee == \"張家港市人民政府\""),
        Ok(true)
    );
    assert_eq!(
        truth(&r, "any(s in sections: s.title ~ /（?突发事件/)"),
        Ok(true)
    );
}

#[test]
fn quantifiers_members_and_lists() {
    let r = seed("xinkou-2023");
    assert_eq!(
        truth(&r, "count(s in sections: s.level == 1) == 4"),
        Ok(true)
    );
    assert_eq!(truth(&r, "len(section(/第一责任人/).items) == 3"), Ok(true));
    assert_eq!(
        truth(&r, "all(m in figures(/率/): m.unit == \"%\")"),
        Ok(true)
    );
    assert_eq!(truth(&r, "18 in [1, 18]"), Ok(true));
    assert_eq!(truth(&r, "\"法治\" in report.title"), Ok(true));
    assert_eq!(
        truth(&r, "len(matches(/work/) + doublings()) == 1"),
        Ok(true)
    );
    assert_eq!(
        truth(
            &r,
            "report.year + 1 == 2024 and year(date(2024, 2, 29)) == 2024"
        ),
        Ok(true)
    );
}

/// A `for` over the rates gives one verdict per rate, labelled at its figure.
#[test]
fn for_yields_one_verdict_per_item_with_its_span() {
    let yaml = r#"
rulebook: rates
rules:
  - id: RT001
    name: rate-full
    title: 比率应达到100%
    severity: warning
    for: m in figures(/率/)
    assert: m.value >= 100%
    message: "{m.label}为{m.text}"
"#;
    let book = load(SourceFile::new("rates.yaml", yaml), None, &mut Vec::new()).unwrap();
    let r = seed("xinkou-2023");
    let verdicts = evaluate(&book.rules[0], &Ctx::new(&r));
    let rates: Vec<_> = r
        .figures
        .iter()
        .filter(|f| f.label.contains('率'))
        .collect();
    assert_eq!(verdicts.len(), rates.len());
    assert_eq!(rates.len(), 2, "按时接单率 100%, 办结率 95.6%");
    for (v, f) in verdicts.iter().zip(&rates) {
        assert_eq!(v.evidence[0], f.span, "labelled at the figure");
    }
    assert_eq!(verdicts[0].outcome, Outcome::Pass);
    assert_eq!(verdicts[1].outcome, Outcome::Fail);
    assert_eq!(verdicts[1].message.as_deref(), Some("办结率为95.6%"));
    assert_eq!(r.original_text(verdicts[1].evidence[0]), "95.6%");
}

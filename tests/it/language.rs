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
    let book = load(SourceFile::new("rates.yaml", yaml), None).unwrap();
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

/// Compiles an expression and returns its errors' messages and help, joined.
fn compile_errors(src: &str) -> String {
    let ast = parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    match compile(src, &ast, &mut Scope::new()) {
        Ok(_) => panic!("{src} compiled"),
        Err(errors) => errors
            .iter()
            .map(|e| format!("{} | {}", e.message, e.help.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn text_report(text: &str) -> Report {
    reportlint::report::parse(text.to_string(), &[])
}

/// A percentage is a ratio: 4 lost of 8 is 50 %, which is not at most 10 %. Before, `10%`
/// was the number 10 and the county's loss-rate rule passed with half its cases lost.
#[test]
fn four_lost_of_eight_is_not_within_ten_percent() {
    let r = text_report("全年共办理行政诉讼案件8件，败诉4件。");
    assert_eq!(truth(&r, "4 / 8 <= 10%"), Ok(false));
    assert_eq!(truth(&r, "4 / 8 == 50%"), Ok(true));
    assert_eq!(
        truth(&r, "figure(/败诉/).value / figure(/行政诉讼/).value <= 10%"),
        Ok(false)
    );
    assert_eq!(
        truth(&r, "figure(/败诉/).value / figure(/行政诉讼/).value <= 50%"),
        Ok(true)
    );
}

/// A figure `出庭率100%` is the percentage 100 %, and keeps its unit.
#[test]
fn a_rate_figure_is_a_percentage_with_its_unit() {
    let r = seed("xinzhuang-2023");
    assert_eq!(truth(&r, "figure(/出庭率/).value == 100%"), Ok(true));
    assert_eq!(truth(&r, "figure(/出庭率/).value >= 99.5%"), Ok(true));
    assert_eq!(truth(&r, "figure(/出庭率/).unit == \"%\""), Ok(true));
    // Compared with a bare number, the rate is undecidable, with the fix in the reason.
    let why = truth(&r, "figure(/出庭率/).value >= 95").unwrap_err();
    assert!(
        why.contains("`figure(/出庭率/).value` is 100 %") && why.contains("write `95%`"),
        "{why}"
    );
    // A count is never silently equal to (or different from) a percentage.
    let y = seed("yangshe-2023-traditional");
    assert_eq!(truth(&y, "figure(/调处纠纷/).value >= 10000"), Ok(true));
    let why = truth(&y, "figure(/调处纠纷/).value != 100%").unwrap_err();
    assert!(why.contains("12910 起"), "{why}");
}

/// When both types are known, comparing a percentage with a bare number is a load-time error.
#[test]
fn a_percentage_against_a_bare_number_is_refused_when_loading() {
    let e = compile_errors("len(sections) / 2 <= 10");
    assert!(
        e.contains("a percentage cannot be compared with an int")
            && e.contains("`a / b` of two numbers is a ratio: write `10%`"),
        "{e}"
    );
    let e = compile_errors("10% == 10");
    assert!(e.contains("write `10%`"), "{e}");
    let e = compile_errors("95% + 1");
    assert!(e.contains("has no meaning"), "{e}");
}

/// Figures belong to their paragraph and section: "a figure in the part about X" is one line.
#[test]
fn figures_belong_to_their_paragraph_and_section() {
    let r = seed("xinkou-2023");
    // The paragraph about legal advisers states 办结率 95.6 %; the one about penalties does not.
    assert_eq!(
        truth(
            &r,
            "any(m in figures_near(/法律顾问/): m.unit == \"%\" and m.value < 100%)"
        ),
        Ok(true)
    );
    assert_eq!(
        truth(&r, "any(m in figures_near(/行政处罚/): m.unit == \"%\")"),
        Ok(false)
    );
    assert_eq!(
        truth(
            &r,
            "len(figures_near(/一村\\(社区\\)一法律顾问/)) == len(mention(/一村\\(社区\\)一法律顾问/).paragraph.figures)"
        ),
        Ok(true)
    );
    assert_eq!(
        truth(&r, "len(figures_near(/一村\\(社区\\)一法律顾问/)) == 5"),
        Ok(true)
    );
    // Each figure knows its paragraph and section, and is among their figures.
    assert_eq!(
        truth(
            &r,
            "all(m in figures: m in m.paragraph.figures and m.paragraph.section == m.section)"
        ),
        Ok(true)
    );
    assert_eq!(
        truth(
            &r,
            "all(m in figures: m.section == null or m in m.section.figures)"
        ),
        Ok(true)
    );
    assert_eq!(
        truth(&r, "count(p in paragraphs: len(p.figures) > 0) >= 5"),
        Ok(true)
    );
    assert_eq!(
        truth(&r, "figure(/办结率/).paragraph.text ~ /法律顾问/"),
        Ok(true)
    );
}

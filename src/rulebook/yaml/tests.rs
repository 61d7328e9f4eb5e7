//! Tests of the YAML stage: every class of structural mistake, spans after Chinese text,
//! budgets, and value maps.

use super::super::raw::{RawExamples, RawRule};
use super::shape::*;
use super::value_map::*;
use super::*;

fn fixture(path: &str) -> SourceFile {
    let full = format!("{}/fixtures/rulebooks/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    SourceFile::new(format!("fixtures/rulebooks/{path}"), text)
}

fn render(e: &RulebookError) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, e)
        .unwrap();
    out
}

/// All structural errors of a file: parse errors, else the structure check's.
fn all_errors(file: &SourceFile) -> Vec<RulebookError> {
    match parse_raw(file) {
        Ok(raw) => check_structure(file, &raw),
        Err(errors) => errors,
    }
}

/// The only error of a fixture.
fn only_error(path: &str) -> (SourceFile, RulebookError) {
    let file = fixture(path);
    let mut errors = all_errors(&file);
    assert_eq!(errors.len(), 1, "{path}: {errors:#?}");
    (file, errors.remove(0))
}

fn inline(text: &str) -> SourceFile {
    SourceFile::new("inline.yaml", text)
}

// --- fixtures, one per error class --------------------------------------------------------

#[test]
fn unknown_key() {
    let (file, e) = only_error("invalid/unknown-key.yaml");
    assert_eq!(e.code(), codes::UNKNOWN_KEY);
    let at = file.text.find("asert").unwrap();
    assert_eq!(e.span(), at..at + "asert".len());
    insta::assert_snapshot!(render(&e), @r"
    rulebook::unknown_key

      × unknown key `asert` in rule `FZ001`
       ╭─[fixtures/rulebooks/invalid/unknown-key.yaml:8:5]
     7 │     severity: error
     8 │     asert: has_section(/下一年度/)
       ·     ──┬──
       ·       ╰── unknown key
       ╰────
      help: did you mean `assert`?
    ");
}

#[test]
fn unknown_key_after_chinese_on_the_same_line() {
    let (file, e) = only_error("invalid/unknown-key-after-chinese.yaml");
    assert_eq!(e.code(), codes::UNKNOWN_KEY);
    // A byte span: the Chinese title before the key is 18 bytes but 6 characters.
    let at = file.text.find("severty").unwrap();
    assert_eq!(e.span(), at..at + "severty".len());
    insta::assert_snapshot!(render(&e), @r#"
    rulebook::unknown_key

      × unknown key `severty` in rule `FZ001`
       ╭─[fixtures/rulebooks/invalid/unknown-key-after-chinese.yaml:4:52]
     3 │ rules:
     4 │   - {id: FZ001, name: report-title, title: 法治政府建设, severty: error, assert: "has_section(/法治政府建设/)"}
       ·                                                          ───┬───
       ·                                                             ╰── unknown key
       ╰────
      help: did you mean `severity`?
    "#);
}

#[test]
fn wrong_type() {
    let (file, e) = only_error("invalid/wrong-type.yaml");
    assert_eq!(e.code(), codes::WRONG_TYPE);
    let at = file.text.find("structure").unwrap();
    assert_eq!(e.span(), at..at + "structure".len());
    insta::assert_snapshot!(render(&e), @r"
    rulebook::wrong_type

      × `tags` must be a list of strings, not a string
       ╭─[fixtures/rulebooks/invalid/wrong-type.yaml:8:11]
     7 │     severity: error
     8 │     tags: structure
       ·           ────┬────
       ·               ╰── expected a list of strings
     9 │     assert: has_section(/下一年度/)
       ╰────
      help: write a list: `tags: [structure]`, or one `- item` per line under `tags:`
    ");
}

#[test]
fn missing_key() {
    let (file, e) = only_error("invalid/missing-key.yaml");
    assert_eq!(e.code(), codes::MISSING_KEY);
    let at = file.text.find("id: FZ001").unwrap();
    assert_eq!(e.span(), at..at + "id: FZ001".len());
    insta::assert_snapshot!(render(&e), @r"
    rulebook::missing_key

      × rule `FZ001` is missing the required key `severity`
       ╭─[fixtures/rulebooks/invalid/missing-key.yaml:4:5]
     3 │ rules:
     4 │   - id: FZ001
       ·     ────┬────
       ·         ╰── this rule has no `severity`
     5 │     name: next-year-plan
       ╰────
      help: every rule needs `id`, `name`, `title`, `severity` and `assert`
    ");
}

#[test]
fn duplicate_key() {
    let (file, e) = only_error("invalid/duplicate-key.yaml");
    assert_eq!(e.code(), codes::DUPLICATE_KEY);
    let at = file.text.rfind("title: 须写明").unwrap();
    assert_eq!(e.span(), at..at + "title".len());
    insta::assert_snapshot!(render(&e), @r"
    rulebook::duplicate_key

      × duplicate key `title` in rule `FZ001`
       ╭─[fixtures/rulebooks/invalid/duplicate-key.yaml:8:5]
     7 │     severity: error
     8 │     title: 须写明下一年度工作安排
       ·     ──┬──
       ·       ╰── `title` is already set on line 6
     9 │     assert: has_section(/下一年度/)
       ╰────
      help: a key may appear only once in a mapping; remove one of them
    ");
}

#[test]
fn duplicate_id() {
    let (file, e) = only_error("invalid/duplicate-id.yaml");
    assert_eq!(e.code(), codes::DUPLICATE_ID);
    let at = file.text.rfind("FZ001").unwrap();
    assert_eq!(e.span(), at..at + "FZ001".len());
    insta::assert_snapshot!(render(&e), @r"
    rulebook::duplicate_id

      × duplicate rule id `FZ001`
        ╭─[fixtures/rulebooks/invalid/duplicate-id.yaml:9:9]
      8 │     assert: has_section(/下一年度/)
      9 │   - id: FZ001
        ·         ──┬──
        ·           ╰── `FZ001` is already the id of the rule on line 4
     10 │     name: main-leader-duty
        ╰────
      help: every rule needs its own id; renumber one of them
    ");
}

#[test]
fn bad_severity() {
    let (_, e) = only_error("invalid/bad-severity.yaml");
    assert_eq!(e.code(), codes::BAD_SEVERITY);
    insta::assert_snapshot!(render(&e), @r"
    rulebook::bad_severity

      × unknown severity `warn`
       ╭─[fixtures/rulebooks/invalid/bad-severity.yaml:7:15]
     6 │     title: 须列明下一年度工作安排
     7 │     severity: warn
       ·               ──┬─
       ·                 ╰── expected `error`, `warning` or `info`
     8 │     assert: has_section(/下一年度/)
       ╰────
      help: did you mean `warning`?
    ");
}

#[test]
fn bad_id() {
    let (_, e) = only_error("invalid/bad-id.yaml");
    assert_eq!(e.code(), codes::BAD_ID);
    insta::assert_snapshot!(render(&e), @r"
    rulebook::bad_id

      × rule id `fz-001` is not of the form `FZ005`
       ╭─[fixtures/rulebooks/invalid/bad-id.yaml:4:9]
     3 │ rules:
     4 │   - id: fz-001
       ·         ───┬──
       ·            ╰── expected capital letters then digits
     5 │     name: next-year-plan
       ╰────
      help: did you mean `FZ001`?
    ");
}

#[test]
fn bad_name() {
    let (_, e) = only_error("invalid/bad-name.yaml");
    assert_eq!(e.code(), codes::BAD_NAME);
    insta::assert_snapshot!(render(&e), @r"
    rulebook::bad_name

      × rule name `nextYearPlan` is not kebab-case
       ╭─[fixtures/rulebooks/invalid/bad-name.yaml:5:11]
     4 │   - id: FZ001
     5 │     name: nextYearPlan
       ·           ──────┬─────
       ·                 ╰── expected lowercase words joined by `-`
     6 │     title: 须列明下一年度工作安排
       ╰────
      help: try `next-year-plan`
    ");
}

#[test]
fn yaml_syntax_error_after_chinese_text() {
    let (file, e) = only_error("invalid/yaml-syntax.yaml");
    assert_eq!(e.code(), codes::YAML_SYNTAX);
    // serde-saphyr has no byte offset for parser errors: the character offset is converted.
    let at = file.text.find("安排: ").unwrap() + "安排".len();
    assert_eq!(e.span(), at..at + 1);
    insta::assert_snapshot!(render(&e), @r#"
    rulebook::yaml_syntax

      × invalid YAML: mapping values are not allowed in this context
       ╭─[fixtures/rulebooks/invalid/yaml-syntax.yaml:6:21]
     5 │     name: next-year-plan
     6 │     title: 须列明下一年度安排: 含时间表
       ·                              ┬
       ·                              ╰── here
     7 │     severity: error
       ╰────
      help: a value containing `: ` must be quoted (`title: "a: b"`) or written as a block scalar (`|`
            and the text on the following lines)
    "#);
}

#[test]
fn errors_in_different_rules_are_all_reported() {
    let file = fixture("invalid/multiple-errors.yaml");
    let errors = parse_raw(&file).unwrap_err();
    let got: Vec<(&str, usize)> = errors
        .iter()
        .map(|e| (e.code(), file.line_of(e.span().start)))
        .collect();
    assert_eq!(
        got,
        [
            (codes::UNKNOWN_KEY, 8),    // FZ001: `asert`
            (codes::WRONG_TYPE, 13),    // FZ002: `tags: duty`
            (codes::MISSING_KEY, 15),   // FZ003: no `severity`
            (codes::DUPLICATE_KEY, 23)  // FZ004: `severity` twice
        ]
    );
    assert_eq!(
        errors[2].message(),
        "rule `FZ003` is missing the required key `severity`"
    );
}

#[test]
fn structure_errors_in_different_rules_are_all_reported() {
    let file = inline(
        "rulebook: Fazhi_Demo\nextends: [builtin:base, /etc/x.yaml, base.json]\nrules:\n\
         - {id: FZ1, name: a-b, title: 甲, severity: Error, assert: x}\n\
         - {id: FZ1, name: a-b, title: 乙, severity: err, assert: ''}\n",
    );
    let raw = parse_raw(&file).unwrap();
    let got: Vec<&str> = check_structure(&file, &raw)
        .iter()
        .map(|e| e.code())
        .collect();
    assert_eq!(
        got,
        [
            codes::BAD_RULEBOOK_ID,
            codes::BAD_EXTENDS,
            codes::BAD_EXTENDS,
            codes::BAD_SEVERITY,
            codes::DUPLICATE_ID,
            codes::DUPLICATE_NAME,
            codes::BAD_SEVERITY,
            codes::EMPTY_ASSERT,
        ]
    );
    let errors = check_structure(&file, &raw);
    let helps: Vec<Option<&str>> = errors.iter().map(|e| e.help_text()).collect();
    assert_eq!(helps[0], Some("try `fazhi-demo`"));
    assert_eq!(helps[3], Some("did you mean `error`?"));
    assert_eq!(helps[6], Some("did you mean `error`?"));
}

// --- more parse errors --------------------------------------------------------------------

fn single_parse_error(text: &str) -> RulebookError {
    let mut errors = parse_raw(&inline(text)).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.remove(0)
}

#[test]
fn rules_must_be_a_list() {
    let e = single_parse_error("rulebook: demo\nrules: 5\n");
    assert_eq!(e.code(), codes::WRONG_TYPE);
    assert_eq!(e.message(), "`rules` must be a list of rules, not a number");
    assert_eq!(e.span(), 22..23);
}

#[test]
fn a_mapping_where_a_string_belongs() {
    let text = "rulebook: demo\nrules:\n  - id: FZ001\n    name: a\n    title: {zh: 标题}\n    severity: info\n    assert: x\n";
    let e = single_parse_error(text);
    assert_eq!(e.code(), codes::WRONG_TYPE);
    assert_eq!(e.message(), "`title` must be a string, not a mapping");
    assert_eq!(&text[e.span()], "{zh: 标题}");
}

#[test]
fn unknown_top_level_key_lists_the_allowed_keys_or_explains() {
    let e = single_parse_error("rulebook: demo\nrules: []\nauthor: 张三\n");
    assert_eq!(
        e.help_text(),
        Some(
            "the keys of a rulebook are `rulebook`, `title`, `version`, `description`, \
             `extends`, `let`, `rules`, `indicators` and `arrangements`"
        )
    );
    let e = single_parse_error("rulebook: demo\nrules: []\nseverity: error\n");
    assert_eq!(
        e.help_text(),
        Some("`severity` is a key of a rule: is the rule's indentation or `- ` missing?")
    );
}

#[test]
fn missing_keys_are_named_together() {
    let text = "rulebook: demo\nrules:\n  - id: FZ001\n    name: a\n";
    let e = single_parse_error(text);
    assert_eq!(
        e.message(),
        "rule `FZ001` is missing the required keys `title`, `severity`, `assert`"
    );
    assert_eq!(
        e.label(),
        "this rule has no `title`, `severity` or `assert`"
    );
    assert_eq!(&text[e.span()], "id: FZ001");
}

#[test]
fn required_key_without_value() {
    let text = "rulebook: demo\nrules:\n  - id: FZ001\n    name: a\n    title: t\n    severity: info\n    assert:\n";
    let e = single_parse_error(text);
    assert_eq!(e.code(), codes::WRONG_TYPE);
    assert_eq!(e.message(), "`assert` has no value");
    assert_eq!(&text[e.span()], "assert");
}

#[test]
fn duplicate_let_names_mention_the_first_line() {
    let text = "rulebook: demo\nlet:\n  a: x\n  b: y\n  a: z\nrules: []\n";
    let e = single_parse_error(text);
    assert_eq!(e.code(), codes::DUPLICATE_KEY);
    assert_eq!(e.label(), "`a` is already set on line 3");
    assert_eq!(
        e.span(),
        text.rfind("a: z").unwrap()..text.rfind("a: z").unwrap() + 1
    );
}

#[test]
fn empty_file_and_wrong_top_level() {
    assert_eq!(single_parse_error("").code(), codes::EMPTY);
    assert_eq!(single_parse_error("# 只有注释\n").code(), codes::EMPTY);
    let e = single_parse_error("- a\n- b\n");
    assert_eq!(e.code(), codes::WRONG_TYPE);
    assert_eq!(e.span(), 0..3);
}

#[test]
fn tab_indentation_points_at_the_tab() {
    let text = "rulebook: demo\nrules:\n  - id: FZ001\n\tname: x\n";
    let e = single_parse_error(text);
    assert_eq!(e.code(), codes::YAML_SYNTAX);
    let at = text.find('\t').unwrap();
    assert_eq!(e.span(), at..at + 1);
    assert_eq!(e.help_text(), Some("YAML indents with spaces, not tabs"));
}

#[test]
fn backslash_in_double_quotes_explains_escapes() {
    let text = "rulebook: demo\nrules:\n  - {id: FZ001, name: court-rate, title: 出庭率, severity: error, assert: \"figure(/出庭\\d+%/)\"}\n";
    let e = single_parse_error(text);
    assert_eq!(e.code(), codes::YAML_SYNTAX);
    let at = text.find('\\').unwrap();
    assert_eq!(e.span(), at..at + 2);
    insta::assert_snapshot!(render(&e), @r#"
    rulebook::yaml_syntax

      × invalid YAML: while parsing a quoted scalar, found unknown escape character
       ╭─[inline.yaml:3:83]
     2 │ rules:
     3 │   - {id: FZ001, name: court-rate, title: 出庭率, severity: error, assert: "figure(/出庭\d+%/)"}
       ·                                                                                        ─┬
       ·                                                                                         ╰── `\d` is not an escape
       ╰────
      help: inside "…" a backslash starts an escape: for regexes such as /\d+/ use '…' or a block
            scalar (`|`), or write the backslash twice
    "#);
}

#[test]
fn empty_file_renders() {
    let mut errors = parse_raw(&inline("# 只有注释\n")).unwrap_err();
    let e = errors.remove(0);
    insta::assert_snapshot!(render(&e), @r"
    rulebook::empty

      × the rulebook file is empty
       ╭─[inline.yaml:1:1]
     1 │ # 只有注释
       · ─────┬────
       ·      ╰── nothing but comments and blank lines
       ╰────
      help: a rulebook needs at least `rulebook: <id>` and `rules:` with a list of rules
    ");
}

#[test]
fn io_errors_render_without_a_snippet() {
    let e = RulebookError::io(std::path::Path::new("rules/缺失.yaml"), "No such file");
    assert_eq!(e.code(), codes::IO);
    insta::assert_snapshot!(render(&e), @r"
    rulebook::io

      × cannot read rulebook rules/缺失.yaml: No such file
    ");
}

#[test]
fn multiple_documents_are_refused() {
    let e = single_parse_error("rulebook: a\nrules: []\n---\nrulebook: b\nrules: []\n");
    assert_eq!(e.code(), codes::YAML_SYNTAX);
    assert_eq!(e.message(), "a rulebook file holds a single YAML document");
}

#[test]
fn unclosed_quote_after_chinese_points_at_the_quote() {
    let text = "rulebook: demo\nextends: [法治政府, \"建设]\nrules: []\n";
    let e = single_parse_error(text);
    assert_eq!(e.code(), codes::YAML_SYNTAX);
    let at = text.find('"').unwrap();
    assert_eq!(e.span(), at..at + 1, "{e:?}");
    assert!(text.is_char_boundary(e.span().start) && text.is_char_boundary(e.span().end));
}

#[test]
fn byte_order_mark_does_not_shift_spans() {
    let text = "\u{feff}rulebook: demo\nrules:\n  - {id: FZ001, name: 法治, title: 标题, severity: error, asert: x}\n";
    let errors = parse_raw(&inline(text)).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let at = text.find("asert").unwrap();
    assert_eq!(errors[0].span(), at..at + 5);
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text = String::from(
        "rulebook: lol\nrules: []\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    let started = std::time::Instant::now();
    let errors = parse_raw(&inline(&text)).unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code(), codes::TOO_COMPLEX, "{errors:#?}");
    insta::assert_snapshot!(render(&errors[0]), @r"
    rulebook::too_complex

      × the rulebook is too large or too complex to load safely
       ╭─[inline.yaml:8:10]
     7 │ l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]
     8 │ l5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]
       ·          ─┬─
       ·           ╰── limit reached here
     9 │ l6: &l6 [*l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5]
       ╰────
      help: this looks like an alias bomb (`&a` / `*a` expanding exponentially) (YAML document too
            large or too complex: limits breached: RecordedAnchorEvents { recorded_anchor_events:
            100001 })
    ");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!(
        "rulebook: deep\nrules: []\nx: {}{}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    let errors = parse_raw(&inline(&text)).unwrap_err();
    assert_eq!(errors[0].code(), codes::TOO_COMPLEX, "{errors:#?}");
}

#[test]
fn merge_keys_share_fields_without_duplicate_errors() {
    let text = "rulebook: demo\n\
                defaults: &d {severity: warning, tags: [structure]}\n\
                rules: []\n";
    // `defaults` is not a rulebook key: reported, and nothing else.
    let e = single_parse_error(text);
    assert_eq!(e.code(), codes::UNKNOWN_KEY);

    let text = "rulebook: demo\nrules:\n\
                - &base {id: FZ001, name: a, title: 甲, severity: warning, assert: x}\n\
                - <<: *base\n  id: FZ002\n  name: b\n  severity: error\n";
    let file = inline(text);
    let raw = parse_raw(&file).unwrap_or_else(|e| panic!("{e:#?}"));
    let second = &raw.rules.value[1];
    assert_eq!(second.id.value, "FZ002");
    assert_eq!(second.severity.value, "error");
    assert_eq!(second.title.as_ref().unwrap().value, "甲");
    assert!(check_structure(&file, &raw).is_empty());
}

#[test]
fn typed_pass_errors_are_converted_too() {
    // Normally pass 1 finds these first; the conversion is the safety net.
    let text = "id: FZ001\nname: a\ntitle: 法治政府建设\nseverty: error\nassert: x\n";
    let file = inline(text);
    let err =
        serde_saphyr::from_str_with_options::<RawRule>(text, options(DuplicateKeyPolicy::Error))
            .unwrap_err();
    let e = saphyr_error(&file, &err);
    assert_eq!(e.code(), codes::UNKNOWN_KEY);
    let at = text.find("severty").unwrap();
    assert_eq!(e.span(), at..at + 7);
    assert_eq!(e.help_text(), Some("did you mean `severity`?"));

    let text = "id: FZ001\nid: FZ002\n";
    let err =
        serde_saphyr::from_str_with_options::<RawRule>(text, options(DuplicateKeyPolicy::Error))
            .unwrap_err();
    let e = saphyr_error(&inline(text), &err);
    assert_eq!(e.code(), codes::DUPLICATE_KEY);
    assert_eq!(e.span(), 10..12);

    let text = "id: FZ001\nname: a\ntitle: 标题\nassert: \"true\"\n";
    let err =
        serde_saphyr::from_str_with_options::<RawRule>(text, options(DuplicateKeyPolicy::Error))
            .unwrap_err();
    let e = saphyr_error(&inline(text), &err);
    assert_eq!(e.code(), codes::MISSING_KEY);
    assert_eq!(e.message(), "missing required key `severity`");
}

// --- the valid fixture ----------------------------------------------------------------------

#[test]
fn valid_minimal_parses_and_keeps_let_order() {
    let file = fixture("valid-minimal.yaml");
    let raw = parse_raw(&file).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(check_structure(&file, &raw).is_empty());
    assert!(load_raw(&file).is_ok());

    assert_eq!(raw.rulebook.value, "fazhi-minimal");
    assert_eq!(raw.version.as_ref().unwrap().value, "1.0");
    let names: Vec<&str> = raw.lets().map(|(k, _)| k.value.as_str()).collect();
    assert_eq!(names, ["has_next_year", "main_leader", "court_rate_figure"]);
    let lets = &raw.let_.as_ref().unwrap().value;
    assert_eq!(
        lets.get("court_rate_figure").unwrap().value,
        "figure(/出庭率/)"
    );
    let (name, value) = raw.lets().nth(1).unwrap();
    assert_eq!(&file.text[key_range(&file, name)], "main_leader");
    assert_eq!(
        &file.text[value_range(&file, value)],
        "mentions(/主要负责人/)"
    );

    let rules = &raw.rules.value;
    assert_eq!(rules.len(), 2);
    let r0 = &rules[0];
    let assert = r0.assert.as_ref().unwrap();
    assert_eq!(
        assert.value,
        "has_section(/下一年度/)\nor mentions(/明年/)\n"
    );
    assert_eq!(r0.tags.as_ref().unwrap().value.len(), 2);
    let examples = r0.examples.as_ref().unwrap();
    assert_eq!(
        examples.value.fail.as_ref().unwrap().value[0].value.text(),
        "一、主要举措"
    );
    let r1 = &rules[1];
    assert_eq!(
        r1.for_each.as_ref().unwrap().value,
        "m in figures(/出庭率/)"
    );
    assert_eq!(
        r1.message.as_ref().unwrap().value,
        "{m.label}为 {m.text}，超过 100%"
    );
    // Spans are byte ranges of the file.
    let id = value_range(&file, &r1.id);
    assert_eq!(&file.text[id], "FZ002");
    // The expression compiler's ranges map back into the file.
    let map = value_map(&file, assert);
    let v = assert.value.find("mentions").unwrap();
    let f = file.text.find("mentions(/明年/)").unwrap();
    assert_eq!(
        map.file_range(v..v + "mentions(/明年/)".len()),
        f..f + "mentions(/明年/)".len()
    );
    let message = r1.message.as_ref().unwrap();
    let map = value_map(&file, message);
    let v = message.value.find("m.text").unwrap();
    let f = file.text.find("m.text").unwrap();
    assert_eq!(map.file_range(v..v + 6), f..f + 6);
}

#[test]
fn schema_table_matches_the_serde_types() {
    /// The field names serde derives for `T`, captured from `deserialize_struct`.
    fn serde_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
        struct Capture<'a>(&'a mut &'static [&'static str]);
        impl<'de> Deserializer<'de> for Capture<'_> {
            type Error = de::value::Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
                Err(de::Error::custom("not a struct"))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Self::Error> {
                *self.0 = fields;
                Err(de::Error::custom("captured"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
                enum identifier ignored_any
            }
        }
        let mut fields: &'static [&'static str] = &[];
        let _ = T::deserialize(Capture(&mut fields));
        fields
    }
    let keys = |fields: &[Field]| fields.iter().map(|f| f.key).collect::<Vec<_>>();
    assert_eq!(serde_fields::<RawRulebook>(), keys(RULEBOOK_FIELDS));
    assert_eq!(serde_fields::<RawRule>(), keys(RULE_FIELDS));
    assert_eq!(serde_fields::<RawExamples>(), keys(EXAMPLES_FIELDS));
    assert_eq!(
        serde_fields::<super::super::raw::RawIndicator>(),
        keys(INDICATOR_FIELDS)
    );
    assert_eq!(
        serde_fields::<super::super::raw::RawIndicatorExample>(),
        keys(INDICATOR_EXAMPLE_FIELDS)
    );

    // Required in the table ⇔ required by serde: drop each key from a complete rule.
    let complete = [
        ("id", "FZ001"),
        ("name", "a"),
        ("title", "t"),
        ("why", "y"),
        ("severity", "info"),
        ("basis", "b"),
        ("help", "h"),
        ("link", "l"),
        ("tags", "[x]"),
        ("when", "w"),
        ("for", "f"),
        ("assert", "a"),
        ("message", "m"),
        ("examples", "{pass: [p], fail: [f]}"),
    ];
    assert_eq!(complete.map(|(k, _)| k).as_slice(), keys(RULE_FIELDS));
    for field in RULE_FIELDS {
        let yaml: String = complete
            .iter()
            .filter(|(k, _)| *k != field.key)
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect();
        let parsed = serde_saphyr::from_str::<RawRule>(&yaml);
        // Keys a rule defined here needs (`name`, `title`, `assert`) are optional to serde: an
        // entry without them sets the severity of an inherited rule; the checker asks for them.
        assert_eq!(parsed.is_err(), field.required, "{}: {parsed:?}", field.key);
        if field.defines {
            assert!(!field.required, "{}", field.key);
        }
    }
    let defines: Vec<&str> = RULE_FIELDS
        .iter()
        .filter(|f| f.defines)
        .map(|f| f.key)
        .collect();
    assert_eq!(defines, ["name", "title", "assert"]);
}

// --- value maps -----------------------------------------------------------------------------

/// Parses `text` (a mapping) and returns the spanned string under `key`.
fn value_of(text: &str, key: &str) -> (SourceFile, Spanned<String>) {
    let map: HashMap<String, Spanned<String>> = serde_saphyr::from_str(text).unwrap();
    (inline(text), map[key].clone())
}

/// Every value character not in `except` maps to the same character in the file.
fn assert_chars_map_to_themselves(file: &SourceFile, value: &str, map: &ValueMap, except: &str) {
    for (i, c) in value.char_indices() {
        if except.contains(c) {
            continue;
        }
        let r = map.file_range(i..i + c.len_utf8());
        assert_eq!(
            &file.text[r.clone()],
            c.to_string(),
            "value byte {i} ({c:?}) → {r:?}"
        );
    }
}

#[test]
fn value_map_literal_block() {
    let text = "assert: |\n  has_section(/下一年度/)\n  or mentions(/明年/)\n";
    let (file, value) = value_of(text, "assert");
    assert_eq!(
        value.value,
        "has_section(/下一年度/)\nor mentions(/明年/)\n"
    );
    let map = value_map(&file, &value);
    let v = value.value.find("mentions").unwrap();
    let f = text.find("mentions").unwrap();
    assert_eq!(map.file_range(v..v + 8), f..f + 8);
    assert_eq!(
        &text[map.file_range(v..value.value.len() - 1)],
        "mentions(/明年/)"
    );
    // The whole first line, the line break, and the second line's start.
    let first = "has_section(/下一年度/)";
    assert_eq!(&text[map.file_range(0..first.len())], first);
    assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
}

#[test]
fn value_map_literal_block_with_indicators_blank_lines_and_crlf() {
    let text =
        "a: 1\nassert: |- # 注释\n\n    has_section(/下一年度/)\n\n      and x\n    or y\nb: 2\n";
    let (file, value) = value_of(text, "assert");
    assert_eq!(value.value, "\nhas_section(/下一年度/)\n\n  and x\nor y");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
    let v = value.value.find("and").unwrap();
    assert_eq!(map.file_range(v..v + 3).start, text.find("and").unwrap());

    let crlf = "assert: |\r\n  甲 and\r\n  乙\r\n";
    let (file, value) = value_of(crlf, "assert");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
}

#[test]
fn value_map_plain_scalars() {
    let text = "assert: has_section(/下一年度/) and not mentions(/明年/)\n";
    let (file, value) = value_of(text, "assert");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "");
    let v = value.value.find("mentions").unwrap();
    assert_eq!(
        map.file_range(v..v + 8),
        text.find("mentions").map(|f| f..f + 8).unwrap()
    );

    // Multi-line plain scalar: the line break and indentation fold to one space.
    let text = "assert: has_section(/下一年度/)   \n    or mentions(/明年/)\n";
    let (file, value) = value_of(text, "assert");
    assert_eq!(value.value, "has_section(/下一年度/) or mentions(/明年/)");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "");
    let v = value.value.find("or").unwrap();
    assert_eq!(map.file_offset(v), text.find("or").unwrap());

    // Starting on the line after the key.
    let text = "assert:\n  has_section(/下一年度/)\n\n  or mentions(/明年/)\n";
    let (file, value) = value_of(text, "assert");
    assert_eq!(value.value, "has_section(/下一年度/)\nor mentions(/明年/)");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
    let v = value.value.find("mentions").unwrap();
    assert_eq!(map.file_offset(v), text.find("mentions").unwrap());
}

#[test]
fn value_map_double_quoted_with_escapes() {
    let text = "message: \"第一行\\n第二行 \\\"引号\\\" \\u4e2d\\\n   尾\"\n";
    let (file, value) = value_of(text, "message");
    assert_eq!(value.value, "第一行\n第二行 \"引号\" 中尾");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "\n\"中");
    let nl = value.value.find('\n').unwrap();
    assert_eq!(&text[map.file_range(nl..nl + 1)], "\\n");
    let q = value.value.find('"').unwrap();
    assert_eq!(&text[map.file_range(q..q + 1)], "\\\"");
    let zhong = value.value.find('中').unwrap();
    assert_eq!(&text[map.file_range(zhong..zhong + 3)], "\\u4e2d");
    let v = value.value.find("第二行").unwrap();
    assert_eq!(map.file_offset(v), text.find("第二行").unwrap());

    assert_eq!(
        &text[map.file_range(q..value.value.len())],
        "\\\"引号\\\" \\u4e2d\\\n   尾"
    );

    // A line break inside double quotes folds to a space.
    let text = "message: \"第一行\n    第二行\"\n";
    let (file, value) = value_of(text, "message");
    assert_eq!(value.value, "第一行 第二行");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, " ");
    assert_eq!(
        map.file_offset("第一行 ".len()),
        text.find("第二行").unwrap()
    );
}

#[test]
fn value_map_single_quoted_with_doubled_quote() {
    let text = "assert: 'mentions(''明年'') or has_section(/下一年度/)'\n";
    let (file, value) = value_of(text, "assert");
    assert_eq!(value.value, "mentions('明年') or has_section(/下一年度/)");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "'");
    let q = value.value.find('\'').unwrap();
    assert_eq!(&text[map.file_range(q..q + 1)], "''");
    let v = value.value.find("has_section").unwrap();
    assert_eq!(map.file_offset(v), text.find("has_section").unwrap());
    let all = map.file_range(0..value.value.len());
    assert_eq!(&text[all], "mentions(''明年'') or has_section(/下一年度/)");
}

#[test]
fn value_map_folded_block() {
    let text = "assert: >\n  has_section(/下一年度/)\n  or mentions(/明年/)\n\n  and 乙\n";
    let (file, value) = value_of(text, "assert");
    assert_eq!(
        value.value,
        "has_section(/下一年度/) or mentions(/明年/)\nand 乙\n"
    );
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "\n ");
    let v = value.value.find("mentions").unwrap();
    let f = text.find("mentions").unwrap();
    assert_eq!(map.file_range(v..v + 8), f..f + 8);
    let v = value.value.find("and").unwrap();
    assert_eq!(map.file_offset(v), text.find("and").unwrap());

    // More-indented lines keep their line breaks and extra indentation.
    let text = "assert: >-\n  甲\n    乙 and\n  丙\n";
    let (file, value) = value_of(text, "assert");
    assert_eq!(value.value, "甲\n  乙 and\n丙");
    let map = value_map(&file, &value);
    assert_chars_map_to_themselves(&file, &value.value, &map, "\n");
    let v = value.value.find("丙").unwrap();
    assert_eq!(map.file_offset(v), text.find("丙").unwrap());
}

#[test]
fn value_map_alias_points_at_the_definition() {
    let text = "a: &expr mentions(/明年/)\nassert: *expr\n";
    let (file, value) = value_of(text, "assert");
    let map = value_map(&file, &value);
    let f = text.find("mentions").unwrap();
    assert_eq!(map.file_range(0..8), f..f + 8);
}

#[test]
fn value_map_never_leaves_the_file_or_splits_characters() {
    let text = "assert: |\n  下一年度\n";
    let (file, value) = value_of(text, "assert");
    let map = value_map(&file, &value);
    // Inside `下` (bytes 0..3): widened to the whole character.
    let r = map.file_range(1..2);
    assert_eq!(&text[r], "下");
    let r = map.file_range(100..200);
    assert!(r.start <= text.len() && r.end <= text.len());
    let r = map.file_range(Range { start: 5, end: 2 });
    assert!(r.start <= r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    // A value that does not match its spelling at all still maps inside the file.
    let wrong = Spanned::new(
        "完全不同的内容 and more".to_owned(),
        value.referenced,
        value.defined,
    );
    let map = value_map(&file, &wrong);
    for i in 0..=wrong.value.len() {
        for j in i..=wrong.value.len() {
            let r = map.file_range(i..j);
            assert!(r.start <= r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}

// --- helpers ----------------------------------------------------------------------------------

#[test]
fn suggestions() {
    let keys = RULE_FIELDS.iter().map(|f| f.key);
    assert_eq!(suggest("asert", keys.clone()), Some("assert"));
    assert_eq!(suggest("severty", keys.clone()), Some("severity"));
    assert_eq!(suggest("Title", keys.clone()), Some("title"));
    assert_eq!(suggest("exemples", keys.clone()), Some("examples"));
    assert_eq!(suggest("author", keys.clone()), None);
    assert_eq!(
        suggest("has_sectoin", ["has_section", "mentions"]),
        Some("has_section")
    );
    assert_eq!(severity_suggestion("warn"), Some("warning"));
    assert_eq!(severity_suggestion("err"), Some("error"));
    assert_eq!(severity_suggestion("Error"), Some("error"));
    assert_eq!(severity_suggestion("infos"), Some("info"));
    assert_eq!(severity_suggestion("警告"), Some("warning"));
    assert_eq!(severity_suggestion("blocker"), None);
}

#[test]
fn ids_names_and_extends() {
    assert!(is_rule_id("FZ005") && is_rule_id("A1") && is_rule_id("ABCDEFGH1234"));
    assert!(!is_rule_id("fz005") && !is_rule_id("FZ") && !is_rule_id("FZ12345"));
    assert!(!is_rule_id("ABCDEFGHI1") && !is_rule_id("005") && !is_rule_id("FZ-005"));
    assert!(is_kebab("next-year-plan") && is_kebab("a1-b2") && is_kebab("x"));
    assert!(!is_kebab("Next") && !is_kebab("a--b") && !is_kebab("a-") && !is_kebab("1a"));
    assert!(!is_kebab("") && !is_kebab("下一年度"));
    assert_eq!(to_kebab("nextYearPlan").as_deref(), Some("next-year-plan"));
    assert_eq!(
        to_kebab("Next_Year Plan").as_deref(),
        Some("next-year-plan")
    );
    assert_eq!(to_kebab("下一年度"), None);
    assert_eq!(extends_problem("builtin:fazhi-base"), None);
    assert_eq!(extends_problem("common/base.yaml"), None);
    assert_eq!(extends_problem("../shared/base.yml"), None);
    assert!(extends_problem("builtin:").is_some());
    assert!(extends_problem("/etc/base.yaml").is_some());
    assert!(extends_problem("C:/base.yaml").is_some());
    assert!(extends_problem("https://example.com/a.yaml").is_some());
    assert!(extends_problem("base.json").is_some());
}

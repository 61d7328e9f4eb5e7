//! Tests of the configuration: discovery, every key, every class of mistake, globs, settings.

use super::loader::{OVERRIDE_KEYS, TOP_KEYS};
use super::*;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Loads a fixture under `fixtures/config/`, named in diagnostics relative to the crate.
fn load_fixture(path: &str) -> (SourceFile, Result<Config, Vec<RulebookError>>) {
    let shown = format!("fixtures/config/{path}");
    let full = manifest().join(&shown);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{shown}: {e}"));
    let file = SourceFile::new(shown, text);
    (file.clone(), Config::from_source(file, &full))
}

fn errors_of(path: &str) -> (SourceFile, Vec<RulebookError>) {
    match load_fixture(path) {
        (file, Err(errors)) => (file, errors),
        (_, Ok(c)) => panic!("{path} loaded: {c:#?}"),
    }
}

fn render(e: &RulebookError) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, e)
        .unwrap();
    out
}

/// Validates `text` as if it were `fixtures/config/inline.yaml` (so relative paths resolve
/// in `fixtures/config/`).
fn inline(text: &str) -> Result<Config, Vec<RulebookError>> {
    let file = SourceFile::new("inline.yaml", text);
    Config::from_source(file, &manifest().join("fixtures/config/inline.yaml"))
}

fn inline_errors(text: &str) -> Vec<RulebookError> {
    inline(text).expect_err("expected errors")
}

/// The byte range of the `n`th (0-based) occurrence of `needle` in `text`.
fn nth(text: &str, needle: &str, n: usize) -> Range<usize> {
    let (at, _) = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("no `{needle}` #{n}"));
    at..at + needle.len()
}

fn find(text: &str, needle: &str) -> Range<usize> {
    nth(text, needle, 0)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

// --- discovery ----------------------------------------------------------------------------

#[test]
fn discover_walks_up_from_a_nested_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let nested = root.join("county/2023/reports");
    std::fs::create_dir_all(&nested).unwrap();
    write(&root.join("county/reportlint.yaml"), "rules: {}\n");
    assert_eq!(
        Config::discover(&nested),
        Some(root.join("county/reportlint.yaml"))
    );
    // From a report file: its directory, then upwards.
    write(&nested.join("年度报告.txt"), "报告");
    assert_eq!(
        Config::discover(&nested.join("年度报告.txt")),
        Some(root.join("county/reportlint.yaml"))
    );
    // The nearest file wins.
    write(&root.join("county/2023/.reportlint.yaml"), "rules: {}\n");
    assert_eq!(
        Config::discover(&nested),
        Some(root.join("county/2023/.reportlint.yaml"))
    );
}

#[test]
fn discover_finds_the_hidden_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b");
    std::fs::create_dir_all(&dir).unwrap();
    write(&tmp.path().join("a/.reportlint.yaml"), "");
    assert_eq!(
        Config::discover(&dir),
        Some(tmp.path().join("a/.reportlint.yaml"))
    );
}

#[test]
fn discover_prefers_reportlint_yaml_when_both_exist() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join(".reportlint.yaml"), "");
    write(&tmp.path().join("reportlint.yaml"), "");
    assert_eq!(
        Config::discover(tmp.path()),
        Some(tmp.path().join("reportlint.yaml"))
    );
}

#[test]
fn discover_finds_nothing_in_an_unconfigured_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x/y");
    std::fs::create_dir_all(&dir).unwrap();
    // A directory named like a configuration file is not one.
    std::fs::create_dir_all(tmp.path().join("x/reportlint.yaml")).unwrap();
    // (Some directory above the temporary one might hold a configuration of its own.)
    let found = Config::discover(&dir);
    assert!(
        found.as_ref().is_none_or(|p| !p.starts_with(tmp.path())),
        "{found:?}"
    );
}

// --- loading and resolution ---------------------------------------------------------------

/// The keys the loader reads are those of the shape table the JSON Schema is made from.
#[test]
fn the_loader_reads_the_keys_of_the_shape_table() {
    use crate::rulebook::yaml::shape::{CONFIG_FIELDS, Field, OVERRIDE_FIELDS};
    let keys = |fields: &[Field]| fields.iter().map(|f| f.key).collect::<Vec<_>>();
    assert_eq!(TOP_KEYS, keys(CONFIG_FIELDS));
    assert_eq!(OVERRIDE_KEYS, keys(OVERRIDE_FIELDS));
    // And it handles each of them: a file with every key loads.
    let all = "rulebooks: [builtin:fzzf-annual]\ninclude: [\"**/*.txt\"]\nexclude: [drafts]\n\
               rules: {FZ015: off}\noverrides:\n  - {paths: [a], rules: {FZ010: info}}\n";
    inline(all).unwrap();
}

#[test]
fn default_config() {
    let c = Config::default();
    assert_eq!(c.path, None);
    assert_eq!(
        c.rulebooks,
        [RulebookRef::Builtin("fzzf-annual".to_owned())]
    );
    assert!(c.source().is_none());
    assert!(c.named_rules().is_empty());
    assert!(c.includes(Path::new("anything/at/all.docx")));
    let p = Path::new("a.txt");
    assert_eq!(
        c.setting(p, "FZ001", Some(Severity::Error)),
        Some(Severity::Error)
    );
}

#[test]
fn loads_a_full_valid_config() {
    let (file, loaded) = load_fixture("valid/reportlint.yaml");
    let c = loaded.unwrap();
    let dir = manifest().join("fixtures/config/valid");
    assert_eq!(c.path, Some(dir.join("reportlint.yaml")));
    assert_eq!(
        c.rulebooks,
        [
            RulebookRef::Builtin("fzzf-annual".to_owned()),
            RulebookRef::File(dir.join("rules/local.yaml")),
        ]
    );
    assert_eq!(c.rulebooks[0].to_string(), "builtin:fzzf-annual");
    assert_eq!(c.include, ["**/*.txt", "**/*.html"]);
    assert_eq!(c.exclude, ["drafts/**"]);
    assert_eq!(c.source(), Some(&file));
    let text: &str = &file.text;
    assert_eq!(
        c.named_rules(),
        [
            ("FZ015".to_owned(), find(text, "FZ015")),
            ("FZ013".to_owned(), nth(text, "FZ013", 0)),
            ("FZ010".to_owned(), nth(text, "FZ010", 0)),
            ("FZ013".to_owned(), nth(text, "FZ013", 1)),
            ("FZ010".to_owned(), nth(text, "FZ010", 1)),
        ]
    );
}

#[test]
fn the_rulebooks_of_the_valid_fixture_load() {
    let c = load_fixture("valid/reportlint.yaml").1.unwrap();
    for book in &c.rulebooks {
        let loaded = match book {
            RulebookRef::Builtin(name) => crate::rulebook::load_builtin(name).unwrap(),
            RulebookRef::File(path) => crate::rulebook::load_file(path),
        };
        if let Err(errors) = loaded {
            panic!("{book}: {errors:#?}");
        }
    }
}

#[test]
fn load_reads_the_file_and_names_it_by_its_path() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("reportlint.yaml");
    write(
        &tmp.path().join("本地/规则.yaml"),
        "rulebook: x\nrules: []\n",
    );
    write(&path, "rulebooks: [本地/规则.yaml]\n");
    let c = Config::load(&path).unwrap();
    assert_eq!(
        c.rulebooks,
        [RulebookRef::File(tmp.path().join("本地/规则.yaml"))]
    );
    assert_eq!(c.source().unwrap().name, path.display().to_string());
}

#[test]
fn an_empty_file_is_the_default_configuration() {
    let c = inline("# 只有注释\n\n").unwrap();
    assert_eq!(c.rulebooks, Config::default().rulebooks);
    assert!(c.path.is_some());
    assert!(c.includes(Path::new("x.txt")));
}

#[test]
fn off_is_read_whether_yaml_takes_it_for_a_boolean_or_not() {
    let c = inline("rules:\n  FZ001: off\n  FZ002: \"off\"\n  FZ003: 'info'\n").unwrap();
    let p = Path::new("a.txt");
    assert_eq!(c.setting(p, "FZ001", Some(Severity::Error)), None);
    assert_eq!(c.setting(p, "FZ002", Some(Severity::Error)), None);
    assert_eq!(
        c.setting(p, "FZ003", Some(Severity::Error)),
        Some(Severity::Info)
    );
}

#[test]
fn setting_applies_rules_then_matching_overrides_in_order() {
    let c = load_fixture("valid/reportlint.yaml").1.unwrap();
    let dir = manifest().join("fixtures/config/valid");
    let plain = dir.join("reports/2023.txt");
    let archived = dir.join("archive/2020/报告.txt");
    let old = dir.join("archive/2019/报告.txt");
    let (w, e) = (Severity::Warning, Severity::Error);

    // Not named anywhere: the rulebook's severity.
    assert_eq!(c.setting(&plain, "FZ001", Some(e)), Some(e));
    assert_eq!(c.setting(&old, "FZ001", Some(e)), Some(e));
    // `rules:` applies everywhere: off is None.
    assert_eq!(c.setting(&plain, "FZ015", Some(Severity::Info)), None);
    assert_eq!(c.setting(&old, "FZ015", Some(Severity::Info)), None);
    // `rules:` then an override.
    assert_eq!(c.setting(&plain, "FZ013", Some(w)), Some(Severity::Info));
    assert_eq!(c.setting(&archived, "FZ013", Some(w)), Some(e));
    // Both overrides match archive/2019: the later one wins.
    assert_eq!(c.setting(&plain, "FZ010", Some(e)), Some(e));
    assert_eq!(c.setting(&archived, "FZ010", Some(e)), None);
    assert_eq!(c.setting(&old, "FZ010", Some(e)), Some(w));

    // The same overrides the other way round: `archive/**` comes last and wins.
    let reversed = inline(
        "overrides:\n  - paths: [\"valid/archive/2019/**\"]\n    rules: { FZ010: warning }\n  \
         - paths: [\"valid/archive/**\"]\n    rules: { FZ010: off }\n",
    )
    .unwrap();
    assert_eq!(reversed.setting(&old, "FZ010", Some(e)), None);
    assert_eq!(reversed.setting(&archived, "FZ010", Some(e)), None);
    assert_eq!(reversed.setting(&plain, "FZ010", Some(e)), Some(e));
}

#[test]
fn includes_matches_globs_relative_to_the_config_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    let path = proj.join("reportlint.yaml");
    write(
        &path,
        "include: [\"**/*.txt\", \"**/*.html\"]\nexclude: [\"drafts/**\", \"old/\", \"./*.bak.txt\"]\n",
    );
    let c = Config::load(&path).unwrap();
    let yes = |p: &str| c.includes(&proj.join(p));
    assert!(yes("a.txt"));
    assert!(yes("县/2023/年度报告.html"));
    assert!(!yes("a.docx"), "not included");
    assert!(!yes("drafts/a.txt"), "excluded");
    assert!(!yes("drafts/deep/er/a.txt"), "excluded");
    assert!(
        !yes("old/2019/a.txt"),
        "a directory glob excludes what is under it"
    );
    assert!(!yes("x.bak.txt"), "`./` anchors at the config directory");
    assert!(yes("sub/x.bak.txt"), "`*` does not cross `/`");
    assert!(
        yes("sub/drafts/a.txt"),
        "globs are anchored at the config directory"
    );
    assert!(!yes("sub/../drafts/a.txt"), "`..` is resolved");
    // Outside the configuration's directory: matched as given.
    let outside = tmp.path().join("other/drafts/a.txt");
    assert!(c.includes(&outside));
    assert!(!c.includes(Path::new("drafts/a.txt")));
    assert!(c.includes(Path::new("reports/a.txt")));
}

#[cfg(unix)]
#[test]
fn includes_sees_through_symbolic_links() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    write(&proj.join("reportlint.yaml"), "exclude: [drafts]\n");
    write(&proj.join("drafts/a.txt"), "草稿");
    std::os::unix::fs::symlink(&proj, tmp.path().join("link")).unwrap();
    let c = Config::load(&proj.join("reportlint.yaml")).unwrap();
    assert!(!c.includes(&tmp.path().join("link/drafts/a.txt")));
}

// --- errors, one fixture per class --------------------------------------------------------

#[test]
fn yaml_syntax_error() {
    let (file, errors) = errors_of("invalid/yaml-syntax.yaml");
    let [e] = errors.as_slice() else {
        panic!("{errors:#?}")
    };
    assert_eq!(e.code(), codes::YAML_SYNTAX);
    let at = file.text.find("\"off").unwrap();
    assert_eq!(e.span(), at..at + 1);
    insta::assert_snapshot!(render(e), @r#"
    config::yaml_syntax

      × invalid YAML: unclosed quote
       ╭─[fixtures/config/invalid/yaml-syntax.yaml:3:10]
     2 │ rules:
     3 │   FZ015: "off
       ·          ┬
       ·          ╰── here
     4 │   FZ013: info
       ╰────
      help: close the quote; inside '…' write '' for a single quote
    "#);
}

#[test]
fn unknown_keys_with_did_you_mean() {
    let (file, errors) = errors_of("invalid/unknown-key.yaml");
    let text: &str = &file.text;
    let spans: Vec<_> = errors.iter().map(|e| (e.code(), e.span())).collect();
    assert_eq!(
        spans,
        [
            (codes::UNKNOWN_KEY, find(text, "rulebook")),
            (codes::UNKNOWN_KEY, find(text, "exclude_paths")),
            (codes::UNKNOWN_KEY, find(text, "FZ015")),
        ]
    );
    let helps: Vec<_> = errors.iter().map(|e| e.help_text().unwrap()).collect();
    assert_eq!(
        helps,
        [
            "did you mean `rulebooks`?",
            "did you mean `exclude`?",
            "rule settings go under `rules:`, e.g. `rules: { FZ015: off }`",
        ]
    );
    insta::assert_snapshot!(render(&errors[1]), @r#"
    config::unknown_key

      × unknown key `exclude_paths` in the configuration
       ╭─[fixtures/config/invalid/unknown-key.yaml:2:1]
     1 │ rulebook: [builtin:fzzf-annual]
     2 │ exclude_paths: ["drafts/**"]
       · ──────┬──────
       ·       ╰── unknown key
     3 │ FZ015: off
       ╰────
      help: did you mean `exclude`?
    "#);
}

#[test]
fn wrong_types() {
    let (file, errors) = errors_of("invalid/wrong-type.yaml");
    let text: &str = &file.text;
    let spans: Vec<_> = errors.iter().map(|e| (e.code(), e.span())).collect();
    assert_eq!(
        spans,
        [
            (codes::WRONG_TYPE, find(text, "\"**/*.txt\"")),
            (codes::WRONG_TYPE, find(text, "[FZ015]")),
            (codes::WRONG_TYPE, find(text, "paths: [\"archive/**\"]")),
        ]
    );
    insta::assert_snapshot!(render(&errors[0]), @r#"
    config::wrong_type

      × `include` must be a list of globs, not a string
       ╭─[fixtures/config/invalid/wrong-type.yaml:1:10]
     1 │ include: "**/*.txt"
       ·          ─────┬────
       ·               ╰── expected a list of globs
     2 │ rules: [FZ015]
       ╰────
      help: write a list: `include: ["**/*.txt"]`, or one `- item` per line under `include:`
    "#);
}

#[test]
fn invalid_glob_after_chinese_text() {
    let (file, errors) = errors_of("invalid/bad-glob.yaml");
    let [e] = errors.as_slice() else {
        panic!("{errors:#?}")
    };
    assert_eq!(e.code(), codes::BAD_GLOB);
    assert_eq!(e.span(), find(&file.text, "\"旧稿/[abc\""));
    assert!(e.message().contains("unclosed character class"));
    // The header counts characters; the caret sits under the opening quote.
    insta::assert_snapshot!(render(e), @r#"
    config::bad_glob

      × invalid glob `旧稿/[abc`: unclosed character class; missing ']'
       ╭─[fixtures/config/invalid/bad-glob.yaml:2:20]
     1 │ # 排除草稿和旧稿
     2 │ exclude: ["草稿/**", "旧稿/[abc"]
       ·                      ─────┬─────
       ·                           ╰── unclosed character class; missing ']'
       ╰────
      help: globs: `*` and `?` within a name, `**` across directories, `[abc]` a character class,
            `{a,b}` alternatives; write `[[]` for a literal `[`
    "#);
}

#[test]
fn invalid_severities_with_did_you_mean() {
    let (file, errors) = errors_of("invalid/bad-severity.yaml");
    let text: &str = &file.text;
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.code(), e.span(), e.help_text().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                codes::BAD_SEVERITY,
                find(text, "warn"),
                "did you mean `warning`?"
            ),
            (
                codes::BAD_SEVERITY,
                find(text, "警告"),
                "did you mean `warning`?"
            ),
            (
                codes::BAD_SEVERITY,
                find(text, "disabled"),
                "did you mean `off`?"
            ),
        ]
    );
    insta::assert_snapshot!(render(&errors[0]), @r"
    config::bad_severity

      × unknown severity `warn` for rule `FZ013`
       ╭─[fixtures/config/invalid/bad-severity.yaml:2:10]
     1 │ rules:
     2 │   FZ013: warn
       ·          ──┬─
       ·            ╰── expected `error`, `warning`, `info` or `off`
     3 │   FZ014: 警告   # 中文写法
       ╰────
      help: did you mean `warning`?
    ");
    insta::assert_snapshot!(render(&errors[1]), @r"
    config::bad_severity

      × unknown severity `警告` for rule `FZ014`
       ╭─[fixtures/config/invalid/bad-severity.yaml:3:10]
     2 │   FZ013: warn
     3 │   FZ014: 警告   # 中文写法
       ·          ──┬─
       ·            ╰── expected `error`, `warning`, `info` or `off`
     4 │ overrides:
       ╰────
      help: did you mean `warning`?
    ");
}

#[test]
fn override_without_paths() {
    let (file, errors) = errors_of("invalid/override-without-paths.yaml");
    let [e] = errors.as_slice() else {
        panic!("{errors:#?}")
    };
    assert_eq!(e.code(), codes::MISSING_KEY);
    assert_eq!(e.span(), nth(&file.text, "rules:", 1));
    insta::assert_snapshot!(render(e), @r#"
    config::missing_key

      × override #2 has no `paths`
       ╭─[fixtures/config/invalid/override-without-paths.yaml:5:5]
     4 │       FZ010: off
     5 │   - rules:
       ·     ───┬──
       ·        ╰── this override has no `paths`
     6 │       FZ013: info
       ╰────
      help: say which files it is for: `paths: ["archive/**"]` (globs relative to the configuration
            file's directory)
    "#);
}

#[test]
fn unknown_builtin_rulebook() {
    let (file, errors) = errors_of("invalid/unknown-builtin.yaml");
    let text: &str = &file.text;
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.code(), e.span(), e.help_text().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                codes::UNKNOWN_BUILTIN,
                find(text, "builtin:xyz"),
                "built-in rulebooks: `builtin:fzzf-annual`"
            ),
            (
                codes::UNKNOWN_BUILTIN,
                find(text, "builtin:fzzf-anual"),
                "did you mean `builtin:fzzf-annual`? (built-in rulebooks: `builtin:fzzf-annual`)"
            ),
        ]
    );
    insta::assert_snapshot!(render(&errors[0]), @r"
    config::unknown_builtin

      × there is no built-in rulebook `xyz`
       ╭─[fixtures/config/invalid/unknown-builtin.yaml:2:5]
     1 │ rulebooks:
     2 │   - builtin:xyz
       ·     ─────┬─────
       ·          ╰── unknown built-in rulebook
     3 │   - builtin:fzzf-anual
       ╰────
      help: built-in rulebooks: `builtin:fzzf-annual`
    ");
}

#[test]
fn missing_rulebook_file_after_chinese_text() {
    let (file, errors) = errors_of("invalid/missing-rulebook.yaml");
    let text: &str = &file.text;
    let spans: Vec<_> = errors.iter().map(|e| (e.code(), e.span())).collect();
    assert_eq!(
        spans,
        [
            (codes::MISSING_RULEBOOK, find(text, "规则/通用.yaml")),
            (codes::MISSING_RULEBOOK, find(text, "规则/本地.yaml")),
        ]
    );
    // Chinese characters are two columns wide: the caret must still be under `规`.
    insta::assert_snapshot!(render(&errors[1]), @r"
    config::missing_rulebook

      × rulebook file `规则/本地.yaml` not found
       ╭─[fixtures/config/invalid/missing-rulebook.yaml:2:46]
     1 │ # 本地规则放在“规则”目录下
     2 │ rulebooks: [builtin:fzzf-annual, 规则/通用.yaml, 规则/本地.yaml]
       ·                                                  ───────┬──────
       ·                                                         ╰── no such file
       ╰────
      help: rulebook paths are relative to the directory of the configuration file: looked for
            `fixtures/config/invalid/规则/本地.yaml`
    ");
}

#[test]
fn rulebook_path_that_is_a_directory_or_a_bare_builtin_name() {
    let text = "rulebooks:\n  - valid/rules\n  - fzzf-annual\n";
    let errors = inline_errors(text);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.code(), e.span(), e.label().to_owned()))
        .collect();
    assert_eq!(
        got,
        [
            (
                codes::MISSING_RULEBOOK,
                find(text, "valid/rules"),
                "a directory, not a rulebook file".to_owned()
            ),
            (
                codes::MISSING_RULEBOOK,
                find(text, "fzzf-annual"),
                "no such file".to_owned()
            ),
        ]
    );
    assert_eq!(
        errors[1].help_text(),
        Some("did you mean `builtin:fzzf-annual`?")
    );
}

#[test]
fn duplicate_keys() {
    let text = "rules:\n  FZ013: info\n  FZ013: off\nexclude: []\nexclude: [\"a\"]\n";
    let errors = inline_errors(text);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.code(), e.span(), e.label().to_owned()))
        .collect();
    assert_eq!(
        got,
        [
            (
                codes::DUPLICATE_KEY,
                nth(text, "FZ013", 1),
                "`FZ013` is already set on line 2".to_owned()
            ),
            (
                codes::DUPLICATE_KEY,
                nth(text, "exclude", 1),
                "`exclude` is already set on line 4".to_owned()
            ),
        ]
    );
}

#[test]
fn empty_lists_and_empty_entries() {
    let text = "rulebooks: []\noverrides:\n  - paths: []\n    rules: { FZ001: off }\n  - paths: [\"\", ~]\n";
    let errors = inline_errors(text);
    let got: Vec<_> = errors.iter().map(|e| (e.code(), e.span())).collect();
    assert_eq!(
        got,
        [
            (codes::EMPTY, find(text, "rulebooks")),
            (codes::EMPTY, find(text, "paths")),
            (codes::BAD_GLOB, find(text, "\"\"")),
            (codes::WRONG_TYPE, find(text, "~")),
        ]
    );
}

#[test]
fn other_wrong_values() {
    let text = "rules:\n  FZ001:\n  FZ002: [error]\n  FZ003: false\n  FZ004: 2\n\
                overrides:\n  - archive/**\n  - files: [\"a/**\"]\n";
    let errors = inline_errors(text);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.code(), e.span(), e.help_text().map(str::to_owned)))
        .collect();
    assert_eq!(
        got,
        [
            (
                codes::WRONG_TYPE,
                find(text, "FZ001"),
                Some("write `FZ001: warning`, or `FZ001: off` to turn it off".to_owned())
            ),
            (
                codes::WRONG_TYPE,
                find(text, "[error]"),
                Some("write `FZ002: warning`, or `FZ002: off` to turn it off".to_owned())
            ),
            (
                codes::BAD_SEVERITY,
                find(text, "false"),
                Some("did you mean `off`?".to_owned())
            ),
            (
                codes::BAD_SEVERITY,
                find(text, "2\n").start..find(text, "2\n").start + 1,
                Some("a rule setting is one of `error`, `warning`, `info`, `off`".to_owned())
            ),
            (codes::WRONG_TYPE, find(text, "archive/**"), None),
            (
                codes::UNKNOWN_KEY,
                find(text, "files"),
                Some("did you mean `paths`?".to_owned())
            ),
        ]
    );
}

#[test]
fn a_config_that_is_not_a_mapping() {
    let text = "- builtin:fzzf-annual\n";
    let [e] = inline_errors(text).try_into().unwrap();
    assert_eq!(e.code(), codes::WRONG_TYPE);
    assert_eq!(e.span(), find(text, "- builtin:fzzf-annual"));
}

#[test]
fn multiple_documents_and_budget_errors_are_config_errors() {
    let [e] = inline_errors("rules: {}\n---\nrules: {}\n")
        .try_into()
        .unwrap();
    assert_eq!(e.code(), codes::YAML_SYNTAX);
    assert_eq!(
        e.message(),
        "a configuration file holds a single YAML document"
    );

    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..8 {
        let prev = if i == 0 {
            "a".to_owned()
        } else {
            format!("b{}", i - 1)
        };
        bomb += &format!(
            "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        );
    }
    let [e] = inline_errors(&bomb).try_into().unwrap();
    assert_eq!(e.code(), codes::TOO_COMPLEX);
}

#[test]
fn an_unreadable_file_is_an_io_error_without_a_snippet() {
    let path = manifest().join("fixtures/config/no-such-config.yaml");
    let [e] = Config::load(&path).unwrap_err().try_into().unwrap();
    assert_eq!(e.code(), codes::IO);
    assert!(e.message().starts_with("cannot read configuration file "));
    assert!(!render(&e).contains('╭'), "{}", render(&e));
}

#[test]
fn unknown_rule_ids_are_reported_where_the_config_names_them() {
    let text = "# 规则设置\nrules:\n  fz013: off   # 小写\n  FZ999: info\n";
    let c = inline(text).unwrap();
    let named = c.named_rules();
    assert_eq!(
        named,
        [
            ("fz013".to_owned(), find(text, "fz013")),
            ("FZ999".to_owned(), find(text, "FZ999")),
        ]
    );
    let known: Vec<String> = (1..=15).map(|i| format!("FZ{i:03}")).collect();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let e = unknown_rule_error(&c, &named[0].0, named[0].1.clone(), &known);
    assert_eq!(e.code(), codes::UNKNOWN_RULE);
    assert_eq!(e.span(), find(text, "fz013"));
    insta::assert_snapshot!(render(&e), @r"
    config::unknown_rule

      × unknown rule `fz013`
       ╭─[inline.yaml:3:3]
     2 │ rules:
     3 │   fz013: off   # 小写
       ·   ──┬──
       ·     ╰── no loaded rulebook has this rule
     4 │   FZ999: info
       ╰────
      help: did you mean `FZ013`?
    ");
    let e = unknown_rule_error(&c, &named[1].0, named[1].1.clone(), &known);
    assert_eq!(
        e.help_text(),
        Some("run `reportlint rules list` to see the loaded rules")
    );
    let e = unknown_rule_error(&c, "FZ999", named[1].1.clone(), &known[..3]);
    assert_eq!(
        e.help_text(),
        Some("the loaded rules are `FZ001`, `FZ002`, `FZ003`")
    );
}

#[test]
fn glob_patterns_are_anchored_at_the_config_directory() {
    assert_eq!(glob_pattern("./drafts/"), "drafts");
    assert_eq!(glob_pattern("/archive/**"), "archive/**");
    assert_eq!(glob_pattern("**/*.txt"), "**/*.txt");
    assert_eq!(glob_pattern("/"), "");
    assert_eq!(
        normalize(Path::new("/a/b/../../../c/./d")),
        Path::new("/c/d")
    );
    assert_eq!(normalize(Path::new("../a/../../b")), Path::new("../../b"));
}

#[test]
fn a_waiver_without_until_is_incomplete() {
    let (file, errors) = errors_of("invalid/incomplete-waiver.yaml");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e.code(), codes::MISSING_KEY);
    assert_eq!(e.message(), "waiver #1 lacks `until`");
    assert!(
        file.text[e.span()].starts_with("rule: FZ010"),
        "{:?}",
        &file.text[e.span()]
    );
}

#[test]
fn waivers_match_their_rule_and_glob() {
    let c = inline(
        "waivers:\n  - {rule: FZ010, path: \"archive/**\", reason: r, until: 2099-12-31, by: b}\n",
    )
    .unwrap();
    assert_eq!(
        c.waiver_for(Path::new("archive/2019/a.txt"), "FZ010"),
        Some(0)
    );
    assert_eq!(c.waiver_for(Path::new("archive/2019/a.txt"), "FZ009"), None);
    assert_eq!(c.waiver_for(Path::new("current/a.txt"), "FZ010"), None);
    assert!(
        c.expired_waivers(crate::report::Date::new(2099, 12, 31).unwrap())
            .is_empty()
    );
    let expired = c.expired_waivers(crate::report::Date::new(2100, 1, 1).unwrap());
    assert_eq!(expired.len(), 1);
    assert_eq!(
        expired[0].message(),
        "the waiver of FZ010 on `archive/**` expired on 2099-12-31"
    );
}

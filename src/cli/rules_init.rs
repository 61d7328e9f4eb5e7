//! `reportlint rules init NAME`: a new rulebook that extends the built-in one, with one example
//! rule (its examples pass at once), a fixture folder and the JSON Schema editors complete
//! against. Nothing is ever overwritten.

use crate::{EXIT_ERROR, EXIT_OK};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The rule id prefix for a rulebook name: the initials of its words (`my-county` → `MC`).
fn prefix(name: &str) -> String {
    let initials: String = name
        .split('-')
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .take(8)
        .collect();
    if initials.is_empty() {
        "LOCAL".to_string()
    } else {
        initials
    }
}

fn rulebook_text(name: &str, id: &str) -> String {
    format!(
        r#"# yaml-language-server: $schema=rulebook.schema.json
# Rules of `{name}` on top of the built-in rulebook. `reportlint rules test {name}.yaml` runs the
# examples below and the reports in {name}.tests/; docs/rule-language.md describes the language.
rulebook: {name}
title: {name} 法治政府建设年度报告补充规则
version: "1"
extends: [builtin:fzzf-annual]

# Named expressions, usable in every rule (and able to replace an inherited one of the same name).
let:
  lost_cases: figure(/败诉/)
  litigation: figure(/行政(诉讼|应诉)/)

rules:
  # An inherited rule can be switched off or given another severity by its id alone:
  # - {{id: FZ015, severity: off}}
  - id: {id}
    name: loss-rate-within-limit
    title: 行政诉讼败诉率不得超过10%
    severity: warning
    why: 败诉率偏高说明行政行为的合法性存在问题，需要分析原因。
    help: 分析败诉原因，提出改进行政执法和行政决策的措施
    # Applies when the report states both figures; a percentage is a ratio, so 4 of 8 is 50%.
    when: lost_cases != null and litigation != null
    assert: lost_cases.value / litigation.value <= 10%
    message: "行政诉讼败诉{{lost_cases.text}}，占{{litigation.text}}的比例超过10%"
    examples:
      pass:
        - 全年共办理行政诉讼案件20件，败诉1件。
      fail:
        - text: 全年共办理行政诉讼案件8件，败诉4件。
          message: 超过10%
      not_applicable:
        - 全年未发生行政诉讼案件。
"#
    )
}

const EXAMPLE_REPORT: &str = "某县2024年度法治政府建设情况报告

一、主要举措和成效
（一）化解行政争议。全年共办理行政诉讼案件10件，败诉2件，行政机关负责人出庭应诉率100%。

二、存在的不足和原因
行政执法规范化水平不高，主要原因是执法人员培训不足。

三、下一年度主要安排
（一）加强行政应诉工作。
（二）提升执法人员能力。
";

fn expected_text(id: &str) -> String {
    format!(
        "# The findings `reportlint rules test` expects on example.txt: for each rule named here,\n\
         # exactly these failures and unknowns (`pass` and `not_applicable` name its outcome).\n\
         findings:\n  - {{rule: {id}, outcome: fail, line: 4, message: 超过10%}}\n  - {{rule: FZ005, outcome: pass}}\n"
    )
}

/// `rules init NAME`: writes `NAME.yaml`, `NAME.tests/` and (unless there is one)
/// `rulebook.schema.json` next to it.
pub(super) fn init(target: &str, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let target = target.strip_suffix(".yaml").unwrap_or(target);
    let path = PathBuf::from(target);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if !crate::rulebook::yaml::is_kebab(name) {
        writeln!(
            err,
            "reportlint: `{name}` is not a rulebook name: use lowercase words joined by `-`, e.g. `my-county`"
        )?;
        return Ok(EXIT_ERROR);
    }
    if !dir.as_os_str().is_empty() && !dir.is_dir() {
        writeln!(err, "reportlint: there is no directory {}", dir.display())?;
        return Ok(EXIT_ERROR);
    }
    let book = dir.join(format!("{name}.yaml"));
    let tests = dir.join(format!("{name}.tests"));
    for existing in [&book, &tests] {
        if existing.exists() {
            writeln!(
                err,
                "reportlint: {} already exists; `rules init` never overwrites (choose another name or remove it)",
                existing.display()
            )?;
            return Ok(EXIT_ERROR);
        }
    }
    let id = format!("{}001", prefix(name));
    let schema = dir.join("rulebook.schema.json");
    let mut created = vec![
        book.clone(),
        tests.join("example.txt"),
        tests.join("example.expected.yaml"),
    ];
    std::fs::write(&book, rulebook_text(name, &id))?;
    std::fs::create_dir(&tests)?;
    std::fs::write(tests.join("example.txt"), EXAMPLE_REPORT)?;
    std::fs::write(tests.join("example.expected.yaml"), expected_text(&id))?;
    if !schema.exists() {
        std::fs::write(
            &schema,
            crate::rulebook::schema::schema_text(crate::rulebook::schema::SchemaKind::Rulebook),
        )?;
        created.push(schema);
    }
    for c in &created {
        writeln!(out, "created {}", c.display())?;
    }
    writeln!(
        out,
        "next: edit {}, then `reportlint rules test {}`",
        book.display(),
        book.display()
    )?;
    Ok(EXIT_OK)
}

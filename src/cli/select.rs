//! `check --select` and `--ignore`: which rules run, on top of the configuration (ruff's names
//! and meaning). A selector is a rule id (`FZ003`), a rule name (`shortcoming-causes`), an id
//! prefix (`FZ01` = FZ010 to FZ019) or `ALL`; ids are matched without regard to case.

use crate::rulebook::Rule;

fn matches(selector: &str, rule: &Rule) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || rule.name == selector
        || rule
            .id
            .get(..selector.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(selector))
}

/// Keeps the selected rules (all when `select` is empty) less the ignored ones. A selector that
/// names no rule is an error (`Err` holds the message, with the nearest id or name).
pub(super) fn apply(
    rules: &mut Vec<Rule>,
    select: &[String],
    ignore: &[String],
) -> Result<(), String> {
    for (option, selectors) in [("--select", select), ("--ignore", ignore)] {
        for s in selectors {
            if !rules.iter().any(|r| matches(s, r)) {
                let names = rules.iter().flat_map(|r| [r.id.as_str(), r.name.as_str()]);
                let near = names
                    .map(|n| {
                        (
                            strsim::jaro_winkler(&n.to_ascii_lowercase(), &s.to_ascii_lowercase()),
                            n,
                        )
                    })
                    .filter(|(score, _)| *score > 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, n)| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "{option} {s}: no rule has this id, name or id prefix{near} (`reportlint rules list` lists them)"
                ));
            }
        }
    }
    rules.retain(|r| {
        (select.is_empty() || select.iter().any(|s| matches(s, r)))
            && !ignore.iter().any(|s| matches(s, r))
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<Rule> {
        crate::rulebook::load_builtin("fzzf-annual")
            .unwrap()
            .unwrap()
            .rules
    }

    fn ids(select: &[&str], ignore: &[&str]) -> Result<Vec<String>, String> {
        let mut r = rules();
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        apply(&mut r, &owned(select), &owned(ignore))?;
        Ok(r.into_iter().map(|r| r.id).collect())
    }

    #[test]
    fn ids_names_prefixes_and_all() {
        assert_eq!(ids(&["FZ003"], &[]).unwrap(), ["FZ003"]);
        assert_eq!(
            ids(&["fz003", "signed-and-dated"], &[]).unwrap(),
            ["FZ003", "FZ009"]
        );
        assert_eq!(
            ids(&["FZ01"], &["FZ013", "outline-coverage"]).unwrap(),
            ["FZ010", "FZ011", "FZ012", "FZ014"]
        );
        assert_eq!(ids(&[], &["ALL"]).unwrap(), Vec::<String>::new());
        assert_eq!(ids(&[], &[]).unwrap().len(), 15);
    }

    #[test]
    fn a_selector_that_names_no_rule_is_an_error_with_a_suggestion() {
        let e = ids(&["FZ099"], &[]).unwrap_err();
        assert!(e.starts_with("--select FZ099: no rule has this id"), "{e}");
        let e = ids(&[], &["signed-and-date"]).unwrap_err();
        assert!(e.contains("did you mean `signed-and-dated`?"), "{e}");
    }
}

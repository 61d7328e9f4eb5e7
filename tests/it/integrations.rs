//! The integrations people copy into their repositories, tried here as they run there: the
//! GitHub Action (`action.yml`: valid, its inputs documented, its commands run) and the pre-commit
//! hooks (`.pre-commit-hooks.yaml`, run by pre-commit from PyPI against this repository).
//!
//! Both build reportlint in release mode as a user's machine would (`cargo install --path`), into
//! `<target>/integrations`, so only the first run pays for the build.

use crate::{root, seed_text};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

/// Where `cargo install` builds for these tests (kept between runs).
fn build_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("integrations")
}

fn action() -> Value {
    serde_saphyr::from_str(&read("action.yml")).expect("action.yml is YAML")
}

/// `${{ inputs.NAME }}` and `${{ steps.check.outputs.exit-code }}` replaced; any other
/// expression is a test failure (the commands must not depend on what cannot be tried here).
fn expand(
    text: &str,
    inputs: &BTreeMap<String, String>,
    outputs: &BTreeMap<String, String>,
) -> String {
    let expr = regex::Regex::new(r"\$\{\{\s*([^}]*?)\s*\}\}").unwrap();
    expr.replace_all(text, |c: &regex::Captures| {
        let e = &c[1];
        if let Some(name) = e.strip_prefix("inputs.") {
            inputs
                .get(name)
                .unwrap_or_else(|| panic!("no input {name}"))
                .clone()
        } else if let Some(name) = e.strip_prefix("steps.check.outputs.") {
            outputs
                .get(name)
                .unwrap_or_else(|| panic!("no output {name}"))
                .clone()
        } else {
            panic!("unexpected expression `{e}` in a command")
        }
    })
    .into_owned()
}

#[test]
fn action_yml_is_valid_and_names_the_inputs_it_documents() {
    let a = action();
    assert_eq!(a["runs"]["using"], "composite");
    let inputs = a["inputs"].as_object().expect("inputs");
    let docs = read("docs/github-action.md");
    for (name, spec) in inputs {
        let description = spec["description"].as_str().unwrap_or_default();
        assert!(description.len() > 10, "{name} is described");
        assert!(spec.get("default").is_some(), "{name} has a default");
        assert!(
            docs.contains(&format!("| `{name}` |")),
            "{name} in docs/github-action.md"
        );
    }
    // Every input the action uses is declared, and every input documented exists.
    let text = read("action.yml");
    let used = regex::Regex::new(r"inputs\.([a-z][a-z-]*)").unwrap();
    for c in used.captures_iter(&text) {
        assert!(inputs.contains_key(&c[1]), "inputs.{} is declared", &c[1]);
    }
    let table = docs.split("| input | default | meaning |").nth(1).unwrap();
    let row = regex::Regex::new(r"(?m)^\| `([a-z-]+)` \|").unwrap();
    let mut documented: Vec<&str> = row
        .captures_iter(table.split("\n\n").next().unwrap())
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    documented.sort_unstable();
    assert_eq!(
        documented,
        inputs.keys().map(String::as_str).collect::<Vec<_>>()
    );
    // The upload step hands the log written by the check to code scanning.
    let steps = a["runs"]["steps"].as_array().unwrap();
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    assert_eq!(upload["with"]["sarif_file"], "${{ inputs.sarif-file }}");
    let check = steps.iter().find(|s| s["id"] == "check").unwrap();
    assert!(
        check["run"]
            .as_str()
            .unwrap()
            .contains("check --format sarif -o \"$REPORTLINT_SARIF\"")
    );
    // The documented workflow is YAML, gives the permission the upload needs and only inputs
    // that exist.
    let workflow = docs
        .split("```yaml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let w: Value = serde_saphyr::from_str(workflow).expect("the example workflow is YAML");
    assert_eq!(w["permissions"]["security-events"], "write");
    let uses = w["jobs"]["reports"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("reportlint/reportlint@"))
        })
        .expect("the workflow uses the action");
    for key in uses["with"].as_object().unwrap().keys() {
        assert!(
            inputs.contains_key(key),
            "the example's `{key}` is an input"
        );
    }
}

/// Runs the action's `run:` steps as the runner would (bash -eo pipefail, its environment files),
/// on a workspace with a report that fails and a file that cannot be read.
#[test]
fn action_commands_run_here() {
    let a = action();
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path().join("workspace");
    let runner_temp = tmp.path().join("runner");
    std::fs::create_dir_all(workspace.join("reports")).unwrap();
    std::fs::create_dir_all(&runner_temp).unwrap();
    std::fs::write(
        workspace.join("reports/nanfeng.txt"),
        seed_text("nanfeng-2020"),
    )
    .unwrap();
    std::fs::write(workspace.join("reports/broken.txt"), b"\x00\x01binary\x00").unwrap();
    let github_path = tmp.path().join("github_path");
    let github_output = tmp.path().join("github_output");
    let mut inputs: BTreeMap<String, String> = a["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v["default"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    inputs.insert("paths".into(), "reports".into());
    inputs.insert("args".into(), "--fail-on error --lang en".into());
    let mut outputs = BTreeMap::new();
    let mut codes = Vec::new();
    for step in a["runs"]["steps"].as_array().unwrap() {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        assert_eq!(step["shell"], "bash");
        let script_file = tmp.path().join("step.sh");
        std::fs::write(&script_file, expand(script, &inputs, &outputs)).unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .current_dir(&workspace)
            .env("GITHUB_ACTION_PATH", root())
            .env("RUNNER_TEMP", &runner_temp)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_OUTPUT", &github_output)
            .env("CARGO_TARGET_DIR", build_dir())
            .env_remove("CLICOLOR_FORCE");
        if let Some(env) = step["env"].as_object() {
            for (k, v) in env {
                cmd.env(k, expand(v.as_str().unwrap(), &inputs, &outputs));
            }
        }
        let out = cmd.output().unwrap();
        codes.push(out.status.code());
        // Outputs written so far, for the steps after.
        if let Ok(text) = std::fs::read_to_string(&github_output) {
            for line in text.lines() {
                if let Some((k, v)) = line.split_once('=') {
                    outputs.insert(k.to_string(), v.to_string());
                }
            }
        }
        if step["id"] == "check" || step["name"] == "Install reportlint" {
            assert!(
                out.status.success(),
                "{}: {}",
                step["name"],
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    // Installed and put on PATH for later steps.
    let path_line = std::fs::read_to_string(&github_path).unwrap();
    let bin = Path::new(path_line.trim()).join("reportlint");
    assert!(bin.is_file(), "{}", bin.display());
    // The check's status is an output, and the last step fails the job with it.
    assert_eq!(
        outputs.get("exit-code").map(String::as_str),
        Some("2"),
        "an unreadable input"
    );
    assert_eq!(codes.last().copied().flatten(), Some(2));
    // The log the upload step would send: the failure is in it, and the findings.
    let sarif = workspace.join(&inputs["sarif-file"]);
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert!(
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "FZ006")
    );
}

fn pre_commit() -> Option<PathBuf> {
    let out = Command::new("pre-commit").arg("--version").output().ok()?;
    out.status.success().then(|| PathBuf::from("pre-commit"))
}

fn git(dir: &Path, args: &[&str]) {
    let s = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(s.success(), "git {args:?}");
}

/// pre-commit (from PyPI) runs both hooks of this repository, tried as a local repository
/// (`pre-commit try-repo`), on a repository of reports: a clean commit passes, a report with an
/// error fails naming the finding, the README is not a report.
#[test]
fn pre_commit_runs_the_hooks_of_this_repository() {
    let Some(pre_commit) = pre_commit() else {
        eprintln!(
            "SKIPPED pre_commit_runs_the_hooks_of_this_repository: pre-commit is not installed (pip install pre-commit)"
        );
        return;
    };
    let manifest = Command::new(&pre_commit)
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        manifest.status.success(),
        "{}",
        String::from_utf8_lossy(&manifest.stdout)
    );
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("reports-repo");
    std::fs::create_dir_all(repo.join("2023")).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("2023/xinzhuang.txt"), seed_text("xinzhuang-2023")).unwrap();
    std::fs::write(repo.join("README.md"), "# 年度报告\n").unwrap();
    git(&repo, &["add", "."]);
    // The system hook uses the reportlint on PATH: this build's.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_reportlint"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let try_hook = |hook: &str| {
        let out = Command::new(&pre_commit)
            .args([
                "try-repo",
                root().to_str().unwrap(),
                hook,
                "--all-files",
                "--color",
                "never",
            ])
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", tmp.path().join("cache"))
            .env("CARGO_TARGET_DIR", build_dir())
            .env("PATH", &path)
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap();
        (
            out.status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    // The system hook, on a clean commit.
    let (code, text) = try_hook("reportlint-system");
    assert_eq!(code, Some(0), "warnings only:\n{text}");
    assert!(text.contains("Passed"), "{text}");
    std::fs::write(repo.join("2023/nanfeng.txt"), seed_text("nanfeng-2020")).unwrap();
    git(&repo, &["add", "."]);
    // Both hooks on a report with an error (each try-repo builds the `rust` hook in a new clone,
    // so it runs once).
    for hook in ["reportlint-system", "reportlint"] {
        let (code, text) = try_hook(hook);
        assert_eq!(code, Some(1), "{hook}: an error fails:\n{text}");
        assert!(text.contains("Failed"), "{text}");
        assert!(
            text.contains("2023/nanfeng.txt:39:1: FZ006 [error]"),
            "{text}"
        );
        assert!(!text.contains("README.md"), "{text}");
    }
}

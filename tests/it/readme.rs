//! The README's option tables are generated from the clap definition, so they cannot drift:
//! this test compares them, and `UPDATE_README=1 cargo test --test it readme` rewrites them.

use crate::root;

#[test]
fn readme_option_tables_match_the_command_line() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let mut updated = readme.clone();
    let mut stale = Vec::new();
    for (marker, subcommand) in [
        ("check", "check"),
        ("(global)", ""),
        ("audit", "audit"),
        ("inspect", "inspect"),
    ] {
        let open = format!("<!-- options: {marker} -->\n");
        let start = updated
            .find(&open)
            .unwrap_or_else(|| panic!("README has {open}"))
            + open.len();
        let end = start
            + updated[start..]
                .find("<!-- /options -->")
                .expect("closing marker");
        let want = reportlint::cli::options_markdown(subcommand).unwrap();
        if updated[start..end] != want {
            stale.push(marker);
            updated.replace_range(start..end, &want);
        }
    }
    if !stale.is_empty() && std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&path, &updated).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "README option tables {stale:?} differ from the command line; run \
         `UPDATE_README=1 cargo test --test it readme` and review the diff"
    );
    // Every format of `check` is in the README, and every option.
    let check = reportlint::cli::options_markdown("check").unwrap();
    for format in [
        "human", "concise", "json", "jsonl", "sarif", "junit", "github", "gitlab",
    ] {
        assert!(check.contains(&format!("`--format {format}`")), "{format}");
    }
    for option in [
        "--quiet",
        "--statistics",
        "--output-file",
        "--select",
        "--ignore",
        "--min-severity",
        "--threads",
        "--fail-on-unknown",
        "--show-files",
        "--show-settings",
        "--no-ignore",
        "--hidden",
        "--stdin-filename",
        "--force-exclude",
        "--lang",
    ] {
        assert!(check.contains(option), "{option}");
    }
}

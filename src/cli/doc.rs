//! The command line documented from its own definition: the option tables of the README are
//! [`options_markdown`]'s output (a test keeps them equal), as completions and the man page are
//! generated from the same clap definition.

/// One argument's help on one line.
fn help(arg: &clap::Arg) -> String {
    arg.get_help()
        .map(|h| h.to_string())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The options of `subcommand` (or, for `""`, the options of every command) as a Markdown table:
/// one row per option, and one per value of an option whose values are documented (`--format`).
pub fn options_markdown(subcommand: &str) -> Option<String> {
    let mut root = super::command();
    root.build();
    let globals: Vec<String> = root
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().to_string())
        .collect();
    let cmd = if subcommand.is_empty() {
        &root
    } else {
        root.find_subcommand(subcommand)?
    };
    let mut out = String::from("| option | meaning |\n|---|---|\n");
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        let inherited = !subcommand.is_empty() && globals.iter().any(|g| g == id);
        if arg.is_positional() || arg.is_hide_set() || inherited || id == "help" || id == "version"
        {
            continue;
        }
        let Some(long) = arg.get_long() else { continue };
        let mut names = Vec::new();
        if let Some(short) = arg.get_short() {
            names.push(format!("`-{short}`"));
        }
        let values = arg.get_possible_values();
        let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !values.is_empty() && values.iter().all(|v| v.get_help().is_some()) {
            // The option, then one row per value, each with its own help.
            let name = arg
                .get_value_names()
                .and_then(|n| n.first())
                .map_or_else(|| id.to_ascii_uppercase(), ToString::to_string);
            out.push_str(&format!("| `--{long} {name}` | {} |\n", escape(&help(arg))));
            for v in &values {
                let default = if defaults.iter().any(|d| d == v.get_name()) {
                    " (default)"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "| `--{long} {}`{default} | {} |\n",
                    v.get_name(),
                    escape(&v.get_help().map(ToString::to_string).unwrap_or_default())
                ));
            }
            continue;
        }
        let value = if !values.is_empty() {
            format!(
                " {}",
                values
                    .iter()
                    .map(|v| v.get_name())
                    .collect::<Vec<_>>()
                    .join("\\|")
            )
        } else if takes_value {
            let name = arg
                .get_value_names()
                .and_then(|n| n.first())
                .map_or_else(|| id.to_ascii_uppercase(), ToString::to_string);
            format!(" {name}")
        } else {
            String::new()
        };
        names.push(format!("`--{long}{value}`"));
        for alias in arg.get_visible_aliases().unwrap_or_default() {
            names.push(format!("`--{alias}`"));
        }
        let mut meaning = escape(&help(arg));
        if takes_value && !defaults.is_empty() {
            meaning.push_str(&format!(" (default: `{}`)", defaults.join(",")));
        }
        out.push_str(&format!("| {} | {meaning} |\n", names.join(", ")));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_per_option_and_per_documented_value() {
        let t = options_markdown("check").unwrap();
        assert!(t.starts_with("| option | meaning |\n|---|---|\n"));
        assert!(t.contains("| `--format human` (default) | Diagnostics for people"));
        assert!(t.contains("| `--format gitlab` | GitLab code-quality report"));
        assert!(t.contains("| `-o`, `--output-file FILE`, `--output` | Write the output"));
        assert!(t.contains("| `--fail-on error\\|warning\\|info\\|never` | The lowest severity"));
        assert!(t.contains("(default: `error`)"));
        assert!(t.contains("| `-q`, `--quiet` | Findings only"));
        assert!(
            !t.contains("| `--color"),
            "global options have their own table"
        );
        assert!(!t.contains("--help"));
        assert!(
            options_markdown("")
                .unwrap()
                .contains("`--color auto\\|always\\|never`")
        );
        assert_eq!(options_markdown("no-such-command"), None);
    }
}

//! Validation of a configuration file: the spanned node tree walked key by key, every mistake
//! collected and labelled at the exact key or value.

use super::*;
use crate::rulebook::BUILTIN;
use crate::rulebook::error::codes as rulebook_codes;
use crate::rulebook::yaml::shape::SETTINGS;
use crate::rulebook::yaml::{
    Kind, backticked, found, node_range, node_text, severity_suggestion, value_range,
};
use globset::{GlobBuilder, GlobSetBuilder};

/// The keys of the configuration file (the shape table says what each holds; a test keeps the
/// two in step).
pub(super) const TOP_KEYS: &[&str] = &[
    "rulebooks",
    "include",
    "exclude",
    "rules",
    "overrides",
    "waivers",
];

/// The keys of an `overrides` entry.
pub(super) const OVERRIDE_KEYS: &[&str] = &["paths", "rules"];

/// Walks the node tree, collecting the configuration and every mistake in it.
pub(super) struct Loader<'a> {
    pub(super) file: &'a SourceFile,
    /// The configuration file's directory (relative rulebook paths are resolved from it).
    pub(super) dir: &'a Path,
    /// The same directory as diagnostics show it.
    pub(super) shown_dir: PathBuf,
    pub(super) errors: Vec<RulebookError>,
}

impl<'a> Loader<'a> {
    pub(super) fn push(
        &mut self,
        code: &'static str,
        message: String,
        span: Range<usize>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        let err = RulebookError::new(code, message, self.file, span, label);
        self.errors.push(err.with_help_opt(help));
    }

    pub(super) fn range(&self, node: &Node) -> Range<usize> {
        node_range(self.file, node)
    }

    pub(super) fn scalar_text(&self, node: &Node) -> Option<String> {
        node_text(self.file, node)
    }

    /// The entries of a mapping with plain keys, in order; keys that are not names and
    /// repeated keys are reported and left out.
    pub(super) fn entries<'n>(
        &mut self,
        node: &'n Node,
        owner: &str,
    ) -> Vec<(String, &'n Node, &'n Node)> {
        let Kind::Map(map) = &node.value else {
            return Vec::new();
        };
        let mut out: Vec<(String, &'n Node, &'n Node)> = Vec::new();
        for (key, value) in map {
            let Some(name) = self.scalar_text(key) else {
                self.push(
                    codes::WRONG_TYPE,
                    format!("keys must be plain names, not {}", found(key)),
                    self.range(key),
                    "expected a name",
                    None,
                );
                continue;
            };
            if let Some((_, first, _)) = out.iter().find(|(n, _, _)| *n == name) {
                let line = self.file.line_of(value_range(self.file, first).start);
                self.push(
                    codes::DUPLICATE_KEY,
                    format!("duplicate key `{name}` in {owner}"),
                    self.range(key),
                    format!("`{name}` is already set on line {line}"),
                    Some("a key may appear only once in a mapping; remove one of them".to_owned()),
                );
                continue;
            }
            out.push((name, key, value));
        }
        out
    }

    pub(super) fn unknown_key(&mut self, name: &str, key: &Node, allowed: &[&str], owner: &str) {
        let help = match alias(name, allowed).or_else(|| suggest(name, allowed.iter().copied())) {
            Some(s) => format!("did you mean `{s}`?"),
            None if looks_like_rule_id(name) => {
                format!("rule settings go under `rules:`, e.g. `rules: {{ {name}: off }}`")
            }
            None => format!("the keys of {owner} are {}", backticked(allowed)),
        };
        self.push(
            codes::UNKNOWN_KEY,
            format!("unknown key `{name}` in {owner}"),
            self.range(key),
            "unknown key",
            Some(help),
        );
    }

    pub(super) fn wrong_type(
        &mut self,
        key: &str,
        expected: &str,
        value: &Node,
        help: Option<String>,
    ) {
        self.push(
            codes::WRONG_TYPE,
            format!("`{key}` must be {expected}, not {}", found(value)),
            self.range(value),
            format!("expected {expected}"),
            help,
        );
    }

    pub(super) fn root(&mut self, root: &Node, config: &mut Config) {
        match &root.value {
            Kind::Map(_) => {}
            // Empty, or only comments: all defaults.
            Kind::Null => return,
            _ => {
                self.push(
                    codes::WRONG_TYPE,
                    format!(
                        "a configuration file must be a mapping of keys such as `rulebooks:` and \
                         `rules:`, not {}",
                        found(root)
                    ),
                    self.range(root),
                    "expected a mapping",
                    Some(format!(
                        "the keys of a configuration are {}",
                        backticked(TOP_KEYS)
                    )),
                );
                return;
            }
        }
        for (name, key, value) in self.entries(root, "the configuration") {
            match name.as_str() {
                "rulebooks" => {
                    if let Some(books) = self.rulebooks(key, value) {
                        config.rulebooks = books;
                    }
                }
                "include" => {
                    if let Some((written, set)) = self.globs("include", key, value, false) {
                        config.include = written;
                        config.include_set = Some(set);
                    }
                }
                "exclude" => {
                    if let Some((written, set)) = self.globs("exclude", key, value, false) {
                        config.exclude = written;
                        config.exclude_set = set;
                    }
                }
                "rules" => config.rules = self.rules("rules", value),
                "overrides" => config.overrides = self.overrides(value),
                "waivers" => config.waivers = self.waivers(value),
                _ => self.unknown_key(&name, key, TOP_KEYS, "the configuration"),
            }
        }
    }

    /// The scalar entries of a list value (`None` if the value is not a list; entries that
    /// are not scalars are reported and left out).
    fn string_list<'n>(
        &mut self,
        key: &str,
        value: &'n Node,
        what: &str,
        example: &str,
    ) -> Option<Vec<(String, &'n Node)>> {
        let items = match &value.value {
            Kind::Seq(items) => items,
            Kind::Null => {
                self.push(
                    codes::WRONG_TYPE,
                    format!("`{key}` has no value"),
                    self.range(value),
                    format!("expected a list of {what} after `{key}:`"),
                    Some(format!(
                        "write `{key}: [{example}]`, or one `- {example}` per line under `{key}:`"
                    )),
                );
                return None;
            }
            Kind::Scalar { .. } => {
                let written = &self.file.text[self.range(value)];
                let help = format!(
                    "write a list: `{key}: [{written}]`, or one `- item` per line under `{key}:`"
                );
                self.wrong_type(key, &format!("a list of {what}"), value, Some(help));
                return None;
            }
            Kind::Map(_) => {
                self.wrong_type(key, &format!("a list of {what}"), value, None);
                return None;
            }
        };
        let mut out = Vec::new();
        for item in items {
            match self.scalar_text(item) {
                Some(text) => out.push((text, item)),
                None => {
                    let (message, help) = match item.value {
                        Kind::Null => (
                            format!("`{key}` has an empty entry"),
                            Some("remove the empty entry or write its text".to_owned()),
                        ),
                        _ => (
                            format!(
                                "each entry of `{key}` must be a string, not {}",
                                found(item)
                            ),
                            None,
                        ),
                    };
                    self.push(
                        codes::WRONG_TYPE,
                        message,
                        self.range(item),
                        "expected a string",
                        help,
                    );
                }
            }
        }
        Some(out)
    }

    fn rulebooks(&mut self, key: &Node, value: &Node) -> Option<Vec<RulebookRef>> {
        let example = format!("builtin:{DEFAULT_RULEBOOK}");
        let entries = self.string_list("rulebooks", value, "rulebooks", &example)?;
        if entries.is_empty() && matches!(value.value, Kind::Seq(_)) {
            self.push(
                codes::EMPTY,
                "`rulebooks` is empty: there would be nothing to check against".to_owned(),
                self.range(key),
                "no rulebooks",
                Some(format!(
                    "name at least one rulebook, or remove `rulebooks:` to use `{example}`"
                )),
            );
            return None;
        }
        let builtins = || {
            BUILTIN
                .iter()
                .map(|(n, _)| format!("`builtin:{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut books = Vec::new();
        for (entry, node) in entries {
            let span = self.range(node);
            if let Some(name) = entry.strip_prefix("builtin:") {
                if BUILTIN.iter().any(|(n, _)| *n == name) {
                    books.push(RulebookRef::Builtin(name.to_owned()));
                    continue;
                }
                let help = match suggest(name, BUILTIN.iter().map(|(n, _)| *n)) {
                    Some(s) => format!(
                        "did you mean `builtin:{s}`? (built-in rulebooks: {})",
                        builtins()
                    ),
                    None => format!("built-in rulebooks: {}", builtins()),
                };
                self.push(
                    codes::UNKNOWN_BUILTIN,
                    format!("there is no built-in rulebook `{name}`"),
                    span,
                    "unknown built-in rulebook",
                    Some(help),
                );
                continue;
            }
            if entry.trim().is_empty() {
                self.push(
                    codes::WRONG_TYPE,
                    "`rulebooks` has an empty entry".to_owned(),
                    span,
                    "expected `builtin:NAME` or a path",
                    None,
                );
                continue;
            }
            let path = self.dir.join(&entry);
            if path.is_file() {
                books.push(RulebookRef::File(path));
                continue;
            }
            let shown = self.shown_dir.join(&entry);
            let (message, label) = if path.is_dir() {
                (
                    format!("rulebook `{entry}` is a directory"),
                    "a directory, not a rulebook file",
                )
            } else {
                (format!("rulebook file `{entry}` not found"), "no such file")
            };
            let help = if BUILTIN.iter().any(|(n, _)| *n == entry) {
                format!("did you mean `builtin:{entry}`?")
            } else {
                format!(
                    "rulebook paths are relative to the directory of the configuration file: \
                     looked for `{}`",
                    shown.display()
                )
            };
            self.push(codes::MISSING_RULEBOOK, message, span, label, Some(help));
        }
        Some(books)
    }

    /// A list of globs, compiled into one set (`None` if any entry is wrong); also the globs
    /// as written. `required`: an empty list is an error (an override's `paths`).
    fn globs(
        &mut self,
        name: &str,
        key: &Node,
        value: &Node,
        required: bool,
    ) -> Option<(Vec<String>, GlobSet)> {
        let entries = self.string_list(name, value, "globs", "\"drafts/**\"")?;
        if required && entries.is_empty() {
            self.push(
                codes::EMPTY,
                format!("`{name}` is empty: this override would apply to no file"),
                self.range(key),
                "no globs",
                Some(format!(
                    "write the paths it is for, e.g. `{name}: [\"archive/**\"]`"
                )),
            );
            return None;
        }
        let mut ok = true;
        let mut builder = GlobSetBuilder::new();
        let mut written = Vec::new();
        for (glob, node) in entries {
            let pattern = glob_pattern(&glob);
            if pattern.is_empty() {
                self.push(
                    codes::BAD_GLOB,
                    format!("empty glob in `{name}`"),
                    self.range(node),
                    "matches nothing",
                    Some("write a glob such as `**/*.txt`, or remove the entry".to_owned()),
                );
                ok = false;
                continue;
            }
            match GlobBuilder::new(pattern)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
            {
                Ok(g) => {
                    builder.add(g);
                    written.push(glob);
                }
                Err(e) => {
                    let reason = e.kind().to_string();
                    self.push(
                        codes::BAD_GLOB,
                        format!("invalid glob `{glob}`: {reason}"),
                        self.range(node),
                        reason,
                        Some(
                            "globs: `*` and `?` within a name, `**` across directories, \
                             `[abc]` a character class, `{a,b}` alternatives; write `[[]` for a \
                             literal `[`"
                                .to_owned(),
                        ),
                    );
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        match builder.build() {
            Ok(set) => Some((written, set)),
            Err(e) => {
                self.push(
                    codes::BAD_GLOB,
                    format!("the globs of `{name}` cannot be compiled: {}", e.kind()),
                    self.range(key),
                    "here",
                    Some("use fewer or simpler globs".to_owned()),
                );
                None
            }
        }
    }

    /// A mapping of rule ids to settings.
    fn rules(&mut self, key: &str, value: &Node) -> Vec<RuleEntry> {
        match &value.value {
            Kind::Map(_) => {}
            Kind::Null => return Vec::new(),
            _ => {
                self.wrong_type(
                    key,
                    "a mapping of rule ids to severities",
                    value,
                    Some(format!(
                        "write one `ID: severity` per line under `{key}:`, e.g. `FZ015: off`"
                    )),
                );
                return Vec::new();
            }
        }
        let mut out = Vec::new();
        for (id, key_node, setting) in self.entries(value, &format!("`{key}`")) {
            let span = value_range(self.file, key_node);
            let Some(written) = self.scalar_text(setting) else {
                let (message, label) = match setting.value {
                    Kind::Null => (format!("rule `{id}` has no setting"), "expected a severity"),
                    _ => (
                        format!(
                            "the setting of rule `{id}` must be `error`, `warning`, `info` or \
                             `off`, not {}",
                            found(setting)
                        ),
                        "expected a severity",
                    ),
                };
                let at = match setting.value {
                    Kind::Null => self.range(key_node),
                    _ => self.range(setting),
                };
                self.push(
                    codes::WRONG_TYPE,
                    message,
                    at,
                    label,
                    Some(format!(
                        "write `{id}: warning`, or `{id}: off` to turn it off"
                    )),
                );
                continue;
            };
            match RuleSetting::parse(&written) {
                Some(setting) => out.push(RuleEntry { id, setting, span }),
                None => {
                    let help = match setting_suggestion(&written) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => {
                            "a rule setting is one of `error`, `warning`, `info`, `off`".to_owned()
                        }
                    };
                    self.push(
                        codes::BAD_SEVERITY,
                        format!("unknown severity `{written}` for rule `{id}`"),
                        self.range(setting),
                        "expected `error`, `warning`, `info` or `off`",
                        Some(help),
                    );
                }
            }
        }
        out
    }

    fn overrides(&mut self, value: &Node) -> Vec<Override> {
        let items = match &value.value {
            Kind::Seq(items) => items,
            Kind::Null => return Vec::new(),
            _ => {
                self.wrong_type(
                    "overrides",
                    "a list of `paths:` / `rules:` entries",
                    value,
                    Some(
                        "start each entry with `- paths: [\"archive/**\"]` on its own line under \
                         `overrides:`, then its `rules:`"
                            .to_owned(),
                    ),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let owner = format!("override #{}", i + 1);
            if !matches!(item.value, Kind::Map(_)) {
                self.push(
                    codes::WRONG_TYPE,
                    format!(
                        "{owner} must be a mapping with `paths:` and `rules:`, not {}",
                        found(item)
                    ),
                    self.range(item),
                    "expected `paths:` and `rules:`",
                    None,
                );
                continue;
            }
            let mut paths = None;
            let mut has_paths = false;
            let mut rules = Vec::new();
            let mut suggested_paths = false;
            for (name, key, value) in self.entries(item, &owner) {
                match name.as_str() {
                    "paths" => {
                        has_paths = true;
                        paths = self.globs("paths", key, value, true).map(|(_, set)| set);
                    }
                    "rules" => rules = self.rules("rules", value),
                    _ => {
                        suggested_paths |= alias(&name, OVERRIDE_KEYS)
                            .or_else(|| suggest(&name, OVERRIDE_KEYS.iter().copied()))
                            == Some("paths");
                        self.unknown_key(&name, key, OVERRIDE_KEYS, &owner);
                    }
                }
            }
            if !has_paths && !suggested_paths {
                self.push(
                    codes::MISSING_KEY,
                    format!("{owner} has no `paths`"),
                    self.range(item),
                    "this override has no `paths`",
                    Some(
                        "say which files it is for: `paths: [\"archive/**\"]` (globs relative to \
                         the configuration file's directory)"
                            .to_owned(),
                    ),
                );
            }
            if let Some(paths) = paths {
                out.push(Override { paths, rules });
            }
        }
        out
    }
}

/// A rulebook-stage error from the shared YAML reader (syntax, budget), recoded for a
/// configuration file.
pub(super) fn config_error(file: &SourceFile, e: &RulebookError) -> RulebookError {
    let (code, message, help) = match e.code() {
        rulebook_codes::TOO_COMPLEX => (
            codes::TOO_COMPLEX,
            "the configuration file is too large or too complex to load safely".to_owned(),
            Some(
                "configuration files are small; this looks like an alias bomb (`&a` / `*a` \
                 expanding exponentially) or runaway nesting"
                    .to_owned(),
            ),
        ),
        rulebook_codes::YAML_SYNTAX if !e.message().starts_with("invalid YAML") => (
            codes::YAML_SYNTAX,
            "a configuration file holds a single YAML document".to_owned(),
            Some("remove the `---`".to_owned()),
        ),
        rulebook_codes::WRONG_TYPE => (
            codes::WRONG_TYPE,
            e.message().to_owned(),
            e.help_text().map(str::to_owned),
        ),
        rulebook_codes::DUPLICATE_KEY => (
            codes::DUPLICATE_KEY,
            e.message().to_owned(),
            e.help_text().map(str::to_owned),
        ),
        _ => (
            codes::YAML_SYNTAX,
            e.message().to_owned(),
            e.help_text().map(str::to_owned),
        ),
    };
    let err = RulebookError::new(code, message, file, e.span(), e.label());
    err.with_help_opt(help)
}

/// The pattern globset compiles for a glob as written: relative to the configuration's
/// directory, so a leading `./` or `/` is dropped, and a trailing `/` (a directory: what is
/// under it matches through its parent directories).
pub(super) fn alias(name: &str, allowed: &[&str]) -> Option<&'static str> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    let target = match key.as_str() {
        "rulebook" | "rulebooks" | "rulesets" | "ruleset" | "extends" | "extend" | "plugins"
        | "books" => "rulebooks",
        "includes" | "includepaths" | "includepatterns" | "files" | "only" | "glob" | "globs" => {
            "include"
        }
        "excludes" | "excludepaths" | "excludepatterns" | "excluded" | "ignore" | "ignores"
        | "ignored" | "ignorepaths" | "ignorepatterns" | "skip" | "extendexclude" => "exclude",
        "rule" | "severity" | "severities" | "settings" | "select" => "rules",
        "override" | "perpath" | "perfile" | "perfileignores" | "perfilerules" => "overrides",
        "path" | "pattern" | "patterns" => "paths",
        _ => return None,
    };
    // Outside an override, a file list is `include`; inside, `paths`.
    let target = match target {
        "include" | "paths" if allowed.contains(&"paths") => "paths",
        "paths" => "include",
        t => t,
    };
    allowed.contains(&target).then_some(target)
}

/// `FZ015`-like (capital letters then digits): a rule id written where a key belongs.
pub(super) fn looks_like_rule_id(name: &str) -> bool {
    let letters = name.bytes().take_while(u8::is_ascii_uppercase).count();
    letters > 0 && letters < name.len() && name[letters..].bytes().all(|b| b.is_ascii_digit())
}

/// What to suggest for a misspelt rule setting.
pub(super) fn setting_suggestion(s: &str) -> Option<&'static str> {
    let lower = s.trim().to_lowercase();
    match lower.as_str() {
        "off" | "none" | "disable" | "disabled" | "ignore" | "ignored" | "false" | "no" | "0"
        | "skip" | "silent" | "allow" | "关闭" | "忽略" | "关" => Some("off"),
        _ => severity_suggestion(&lower).or_else(|| suggest(&lower, SETTINGS.iter().copied())),
    }
}

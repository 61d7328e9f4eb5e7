//! Configuration: `reportlint.yaml` (or `.reportlint.yaml`), found in the directory of the
//! reports or one of its ancestors.
//!
//! Reads which rulebooks to check against (`builtin:NAME` or paths relative to the file), which
//! report files to take (`include` / `exclude` globs, relative to the file's directory), rule
//! severity overrides (`rules:`, `error | warning | info | off`) and per-path overrides
//! (`overrides:`, later entries win). Every key is optional; without a file, [`Config::default`]
//! checks against `builtin:fzzf-annual` alone.
//!
//! Hands `check` a resolved [`Config`]: the rulebooks to load ([`RulebookRef`]), whether a
//! report is taken ([`Config::includes`]), the severity of each rule for each report
//! ([`Config::setting`]), and the rule ids the file names with their spans
//! ([`Config::named_rules`]) so that, once the rulebooks are loaded, an id that none of them
//! defines can be reported at the right bytes ([`unknown_rule_error`]).
//!
//! The file is read like a rulebook (`rulebook::yaml`: serde-saphyr, the same budget, a spanned
//! node tree) and every mistake of the file is reported at once, each a [`RulebookError`] with a
//! `config::…` code labelled at the exact key or value.
//!
//! Globs are globset globs in which `*` and `?` do not cross `/` (`**` does): `*.txt` is a file at
//! the top of the config's directory, `**/*.txt` one anywhere below it. A leading `./` or `/`
//! anchors at the config's directory (it always is) and a trailing `/` is dropped. A path is
//! matched when it, or one of its parent directories, matches: `exclude: [drafts]` leaves out
//! everything under `drafts/`.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_saphyr::DuplicateKeyPolicy;

use crate::rulebook::error::codes as rulebook_codes;
use crate::rulebook::yaml::shape::SETTINGS;
use crate::rulebook::yaml::{
    Kind, Node, backticked, found, node_range, node_text, options, saphyr_error,
    severity_suggestion, suggest, value_range,
};
use crate::rulebook::{BUILTIN, RulebookError, Severity, SourceFile};

/// The names a configuration file may have, in order of preference within one directory.
pub const FILE_NAMES: &[&str] = &["reportlint.yaml", ".reportlint.yaml"];

/// The rulebook used when the configuration names none.
pub const DEFAULT_RULEBOOK: &str = "fzzf-annual";

/// Diagnostic codes of configuration errors, one per class of mistake.
pub mod codes {
    /// The configuration file could not be read.
    pub const IO: &str = "config::io";
    /// Not YAML at all (bad indentation, unclosed quote or bracket, tabs, …).
    pub const YAML_SYNTAX: &str = "config::yaml_syntax";
    /// The file exceeds a parsing budget (alias bomb, absurd nesting or size).
    pub const TOO_COMPLEX: &str = "config::too_complex";
    /// A key that the configuration format does not know.
    pub const UNKNOWN_KEY: &str = "config::unknown_key";
    /// A value of the wrong kind (a string where a list belongs, …).
    pub const WRONG_TYPE: &str = "config::wrong_type";
    /// A key repeated in one mapping.
    pub const DUPLICATE_KEY: &str = "config::duplicate_key";
    /// A required key is absent (`paths` of an `overrides` entry).
    pub const MISSING_KEY: &str = "config::missing_key";
    /// A list that must not be empty is (`rulebooks: []`, `paths: []`).
    pub const EMPTY: &str = "config::empty";
    /// A glob that globset cannot compile.
    pub const BAD_GLOB: &str = "config::bad_glob";
    /// A rule setting other than `error`, `warning`, `info` or `off`.
    pub const BAD_SEVERITY: &str = "config::bad_severity";
    /// `builtin:NAME` naming no built-in rulebook.
    pub const UNKNOWN_BUILTIN: &str = "config::unknown_builtin";
    /// A rulebook path that does not exist (or is not a file).
    pub const MISSING_RULEBOOK: &str = "config::missing_rulebook";
    /// A rule id that none of the loaded rulebooks defines (see [`super::unknown_rule_error`]).
    pub const UNKNOWN_RULE: &str = "config::unknown_rule";
}

/// A rulebook to check against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RulebookRef {
    /// `builtin:NAME`: the name (without `builtin:`), one of [`BUILTIN`].
    Builtin(String),
    /// A rulebook file; relative paths in the configuration are joined to its directory (as the
    /// configuration's path was given, so this path is relative when that one was).
    File(PathBuf),
}

impl RulebookRef {
    /// `builtin:NAME` or a path, as written on the command line.
    pub fn parse(written: &str) -> RulebookRef {
        match written.strip_prefix("builtin:") {
            Some(name) => RulebookRef::Builtin(name.to_owned()),
            None => RulebookRef::File(PathBuf::from(written)),
        }
    }
}

impl std::fmt::Display for RulebookRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RulebookRef::Builtin(name) => write!(f, "builtin:{name}"),
            RulebookRef::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// What the configuration says about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleSetting {
    Severity(Severity),
    Off,
}

impl RuleSetting {
    /// `error`, `warning`, `info` or `off`.
    pub fn parse(s: &str) -> Option<RuleSetting> {
        match s {
            "off" => Some(RuleSetting::Off),
            _ => Severity::parse(s).map(RuleSetting::Severity),
        }
    }

    /// The severity, `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Severity(s) => Some(s),
            RuleSetting::Off => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RuleSetting::Severity(s) => s.name(),
            RuleSetting::Off => "off",
        }
    }
}

/// One `ID: setting` line.
#[derive(Debug, Clone)]
struct RuleEntry {
    id: String,
    setting: RuleSetting,
    /// Where the id is written.
    span: Range<usize>,
}

/// One entry of `overrides:`.
#[derive(Debug, Clone)]
struct Override {
    paths: GlobSet,
    rules: Vec<RuleEntry>,
}

/// The directory that globs are relative to, in the two forms a report path is compared with.
#[derive(Debug, Clone)]
struct Base {
    /// Absolute, `.` and `..` resolved without touching the file system.
    lexical: PathBuf,
    /// Symbolic links resolved, if the directory exists.
    canonical: Option<PathBuf>,
}

/// A resolved configuration: what `check` needs, every name checked and every glob compiled.
#[derive(Debug, Clone)]
pub struct Config {
    /// The configuration file, as given to [`Config::load`]; `None` for the default.
    pub path: Option<PathBuf>,
    /// The rulebooks to check against, in order (default: `builtin:fzzf-annual`).
    pub rulebooks: Vec<RulebookRef>,
    /// The `include` globs as written (empty: every report the input stage accepts).
    pub include: Vec<String>,
    /// The `exclude` globs as written.
    pub exclude: Vec<String>,
    source: Option<SourceFile>,
    base: Option<Base>,
    include_set: Option<GlobSet>,
    exclude_set: GlobSet,
    rules: Vec<RuleEntry>,
    overrides: Vec<Override>,
}

impl Default for Config {
    /// `builtin:fzzf-annual`, no globs, no overrides.
    fn default() -> Config {
        Config {
            path: None,
            rulebooks: vec![RulebookRef::Builtin(DEFAULT_RULEBOOK.to_owned())],
            include: Vec::new(),
            exclude: Vec::new(),
            source: None,
            base: None,
            include_set: None,
            exclude_set: GlobSet::empty(),
            rules: Vec::new(),
            overrides: Vec::new(),
        }
    }
}

impl Config {
    /// Finds `reportlint.yaml` or `.reportlint.yaml` in `start` (a directory, or a file: then
    /// its directory) or its ancestors, nearest first; `reportlint.yaml` wins when both exist in
    /// one directory. `None` if there is none.
    ///
    /// A relative `start` is taken from the current directory; the path returned is then
    /// relative to the current directory when the file is under it (as diagnostics show it).
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let cwd = std::env::current_dir().ok();
        let absolute = match &cwd {
            Some(cwd) => normalize(&cwd.join(start)),
            None => normalize(start),
        };
        let first = if absolute.is_file() {
            absolute.parent()?
        } else {
            absolute.as_path()
        };
        let found = first.ancestors().find_map(|dir| {
            FILE_NAMES
                .iter()
                .map(|name| dir.join(name))
                .find(|candidate| candidate.is_file())
        })?;
        if start.is_relative()
            && let Some(cwd) = &cwd
            && let Ok(rel) = found.strip_prefix(cwd)
        {
            return Some(rel.to_path_buf());
        }
        Some(found)
    }

    /// Reads and validates the configuration file at `path`: every error of the file, each
    /// labelled at the exact bytes responsible.
    pub fn load(path: &Path) -> Result<Config, Vec<RulebookError>> {
        let name = path.display().to_string();
        let text =
            crate::limits::read_text(path, crate::limits::MAX_CONFIG_BYTES).map_err(|e| {
                vec![RulebookError::new(
                    codes::IO,
                    format!("cannot read configuration file {name}: {e}"),
                    &SourceFile::new(name.clone(), ""),
                    0..0,
                    "",
                )]
            })?;
        Config::from_source(SourceFile::new(name, text), path)
    }

    /// Validates configuration text already read: `file` is what diagnostics show, `path`
    /// where the file is (relative rulebook paths and globs are resolved from its directory).
    pub fn from_source(file: SourceFile, path: &Path) -> Result<Config, Vec<RulebookError>> {
        let dir = path.parent().unwrap_or(Path::new(""));
        let shown_dir = Path::new(&file.name)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let root: Node = serde_saphyr::from_str_with_options(
            &file.text,
            options(DuplicateKeyPolicy::PassThrough),
        )
        .map_err(|e| vec![config_error(&file, &saphyr_error(&file, &e))])?;

        let mut loader = Loader {
            file: &file,
            dir,
            shown_dir,
            errors: Vec::new(),
        };
        let mut config = Config::default();
        loader.root(&root, &mut config);
        if !loader.errors.is_empty() {
            let mut errors = loader.errors;
            errors.sort_by_key(|e| e.span().start);
            return Err(errors);
        }
        let absolute_dir = match std::env::current_dir() {
            Ok(cwd) => normalize(&cwd.join(dir)),
            Err(_) => normalize(dir),
        };
        let canonical_dir = if dir.as_os_str().is_empty() {
            std::fs::canonicalize(".")
        } else {
            std::fs::canonicalize(dir)
        };
        config.base = Some(Base {
            lexical: absolute_dir,
            canonical: canonical_dir.ok(),
        });
        config.path = Some(path.to_path_buf());
        config.source = Some(file);
        Ok(config)
    }

    /// Whether `report_path` is to be checked: it matches an `include` glob (or there is none)
    /// and no `exclude` glob. Paths under the configuration's directory are matched relative to
    /// it; other paths as given.
    pub fn includes(&self, report_path: &Path) -> bool {
        if self.include_set.is_none() && self.exclude_set.is_empty() {
            return true;
        }
        let candidates = self.candidates(report_path);
        let included = self
            .include_set
            .as_ref()
            .is_none_or(|set| candidates.iter().any(|c| set.is_match(c)));
        included && !candidates.iter().any(|c| self.exclude_set.is_match(c))
    }

    /// The severity of rule `rule_id` for `report_path`, starting from the rulebook's
    /// `default` (`None`: switched off there): the `rules:` setting, then each `overrides`
    /// entry whose `paths` match, in order (the last one that sets the rule wins). `None`: the
    /// rule is off.
    pub fn setting(
        &self,
        report_path: &Path,
        rule_id: &str,
        default: Option<Severity>,
    ) -> Option<Severity> {
        let find =
            |entries: &[RuleEntry]| entries.iter().find(|e| e.id == rule_id).map(|e| e.setting);
        let default = default.map_or(RuleSetting::Off, RuleSetting::Severity);
        let mut setting = find(&self.rules).unwrap_or(default);
        if self
            .overrides
            .iter()
            .any(|o| o.rules.iter().any(|e| e.id == rule_id))
        {
            let candidates = self.candidates(report_path);
            for o in &self.overrides {
                if let Some(s) = find(&o.rules)
                    && candidates.iter().any(|c| o.paths.is_match(c))
                {
                    setting = s;
                }
            }
        }
        setting.severity()
    }

    /// Every rule id named in the configuration (`rules:` and the `overrides`), in file order,
    /// with the byte range of the id in [`Config::source`].
    pub fn named_rules(&self) -> Vec<(String, Range<usize>)> {
        let mut named: Vec<(String, Range<usize>)> = self
            .rules
            .iter()
            .chain(self.overrides.iter().flat_map(|o| o.rules.iter()))
            .map(|e| (e.id.clone(), e.span.clone()))
            .collect();
        named.sort_by_key(|(_, span)| span.start);
        named
    }

    /// The configuration file's text (`None` for the default configuration).
    pub fn source(&self) -> Option<&SourceFile> {
        self.source.as_ref()
    }

    /// The strings `report_path` is matched as: its path relative to the configuration's
    /// directory (or as given, when it is not under it), `/`-separated, then each of its parent
    /// directories.
    fn candidates(&self, report_path: &Path) -> Vec<String> {
        let relative = self.relative(report_path);
        let mut out = Vec::new();
        let mut joined = String::new();
        for component in relative.components() {
            let part = match component {
                Component::RootDir => {
                    joined.push('/');
                    continue;
                }
                Component::Prefix(p) => {
                    joined.push_str(&p.as_os_str().to_string_lossy());
                    continue;
                }
                Component::CurDir => continue,
                Component::ParentDir => "..".into(),
                Component::Normal(s) => s.to_string_lossy(),
            };
            if !(joined.is_empty() || joined.ends_with('/')) {
                joined.push('/');
            }
            joined.push_str(&part);
            out.push(joined.clone());
        }
        // The file itself first: it is the likeliest to match.
        out.reverse();
        out
    }

    fn relative(&self, report_path: &Path) -> PathBuf {
        let Some(base) = &self.base else {
            return report_path.to_path_buf();
        };
        let absolute = match std::env::current_dir() {
            Ok(cwd) => normalize(&cwd.join(report_path)),
            Err(_) => normalize(report_path),
        };
        if let Ok(rel) = absolute.strip_prefix(&base.lexical) {
            return rel.to_path_buf();
        }
        if let Some(canonical_base) = &base.canonical
            && let Ok(canonical) = std::fs::canonicalize(report_path)
            && let Ok(rel) = canonical.strip_prefix(canonical_base)
        {
            return rel.to_path_buf();
        }
        normalize(report_path)
    }
}

/// A rule id that no loaded rulebook defines, labelled where the configuration names it (`span`,
/// from [`Config::named_rules`]); `known` are the ids of the loaded rules, for "did you mean".
pub fn unknown_rule_error(
    config: &Config,
    rule: &str,
    span: Range<usize>,
    known: &[&str],
) -> RulebookError {
    let empty;
    let (file, label) = match config.source() {
        Some(file) => (file, "no loaded rulebook has this rule"),
        None => {
            empty = SourceFile::new("reportlint.yaml", "");
            (&empty, "")
        }
    };
    let help = match suggest(rule, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if known.is_empty() => "the loaded rulebooks have no rules".to_owned(),
        None if known.len() <= 12 => format!("the loaded rules are {}", backticked(known)),
        None => "run `reportlint rules list` to see the loaded rules".to_owned(),
    };
    RulebookError::new(
        codes::UNKNOWN_RULE,
        format!("unknown rule `{rule}`"),
        file,
        span,
        label,
    )
    .with_help(help)
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/// The keys of the configuration file (the shape table says what each holds; a test keeps the
/// two in step).
const TOP_KEYS: &[&str] = &["rulebooks", "include", "exclude", "rules", "overrides"];

/// The keys of an `overrides` entry.
const OVERRIDE_KEYS: &[&str] = &["paths", "rules"];

/// Walks the node tree, collecting the configuration and every mistake in it.
struct Loader<'a> {
    file: &'a SourceFile,
    /// The configuration file's directory (relative rulebook paths are resolved from it).
    dir: &'a Path,
    /// The same directory as diagnostics show it.
    shown_dir: PathBuf,
    errors: Vec<RulebookError>,
}

impl<'a> Loader<'a> {
    fn push(
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

    fn range(&self, node: &Node) -> Range<usize> {
        node_range(self.file, node)
    }

    fn scalar_text(&self, node: &Node) -> Option<String> {
        node_text(self.file, node)
    }

    /// The entries of a mapping with plain keys, in order; keys that are not names and
    /// repeated keys are reported and left out.
    fn entries<'n>(&mut self, node: &'n Node, owner: &str) -> Vec<(String, &'n Node, &'n Node)> {
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

    fn unknown_key(&mut self, name: &str, key: &Node, allowed: &[&str], owner: &str) {
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

    fn wrong_type(&mut self, key: &str, expected: &str, value: &Node, help: Option<String>) {
        self.push(
            codes::WRONG_TYPE,
            format!("`{key}` must be {expected}, not {}", found(value)),
            self.range(value),
            format!("expected {expected}"),
            help,
        );
    }

    fn root(&mut self, root: &Node, config: &mut Config) {
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
fn config_error(file: &SourceFile, e: &RulebookError) -> RulebookError {
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
fn glob_pattern(glob: &str) -> &str {
    let mut pattern = glob.trim();
    while let Some(rest) = pattern.strip_prefix("./") {
        pattern = rest;
    }
    let pattern = pattern.trim_start_matches('/');
    let trimmed = pattern.trim_end_matches('/');
    if trimmed.is_empty() { pattern } else { trimmed }
}

/// Keys of other tools' configurations (and near spellings) → ours.
fn alias(name: &str, allowed: &[&str]) -> Option<&'static str> {
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
fn looks_like_rule_id(name: &str) -> bool {
    let letters = name.bytes().take_while(u8::is_ascii_uppercase).count();
    letters > 0 && letters < name.len() && name[letters..].bytes().all(|b| b.is_ascii_digit())
}

/// What to suggest for a misspelt rule setting.
fn setting_suggestion(s: &str) -> Option<&'static str> {
    let lower = s.trim().to_lowercase();
    match lower.as_str() {
        "off" | "none" | "disable" | "disabled" | "ignore" | "ignored" | "false" | "no" | "0"
        | "skip" | "silent" | "allow" | "关闭" | "忽略" | "关" => Some("off"),
        _ => severity_suggestion(&lower).or_else(|| suggest(&lower, SETTINGS.iter().copied())),
    }
}

/// `path` with `.` dropped and `..` applied, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
}

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

use globset::GlobSet;
use serde_saphyr::DuplicateKeyPolicy;

use crate::rulebook::yaml::{Node, backticked, options, saphyr_error, suggest};
use crate::rulebook::{RulebookError, Severity, SourceFile};

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
    /// A waiver past its `until` date.
    pub const EXPIRED_WAIVER: &str = "config::expired_waiver";
    /// A waiver that matched no failure in a run (a warning).
    pub const UNUSED_WAIVER: &str = "config::unused_waiver";
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
    /// Known exceptions (`waivers:`), in file order.
    pub waivers: Vec<Waiver>,
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
            waivers: Vec::new(),
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
            .chain(
                self.waivers
                    .iter()
                    .map(|w| (w.rule.clone(), w.span.clone())),
            )
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

pub(super) fn glob_pattern(glob: &str) -> &str {
    let mut pattern = glob.trim();
    while let Some(rest) = pattern.strip_prefix("./") {
        pattern = rest;
    }
    let pattern = pattern.trim_start_matches('/');
    let trimmed = pattern.trim_end_matches('/');
    if trimmed.is_empty() { pattern } else { trimmed }
}

/// Keys of other tools' configurations (and near spellings) → ours.
/// `path` with `.` dropped and `..` applied, without touching the file system.
pub(super) fn normalize(path: &Path) -> PathBuf {
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

mod loader;
#[cfg(test)]
mod tests;
mod waiver;

pub use waiver::{Waiver, today};

use loader::{Loader, config_error};

//! Rulebook stage: a rulebook file and every rulebook it extends, read into **layers**.
//!
//! Takes the root file; hands on its layers in the order they apply — each extended rulebook
//! before the one that extends it, each read once however often it is extended — with every
//! structural mistake of every file, labelled in that file. `compile.rs` then compiles the
//! layers together, so that a child's `let` reaches the rules of its parents.

use super::raw::RawRulebook;
use super::{BUILTIN, RulebookError, SourceFile, yaml};
use serde_saphyr::Spanned;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One rulebook file, read and structurally checked.
pub(super) struct Layer {
    pub file: Arc<SourceFile>,
    pub raw: RawRulebook,
    /// How the file stands in `extends` chains: its canonical path, or `builtin:NAME`.
    pub name: Arc<str>,
    /// The names of the layers it extends, directly or not.
    pub ancestors: Vec<Arc<str>>,
}

/// Reads `file` and what it extends; `dir` resolves relative `extends` paths. The root is the
/// last layer. Structural errors of every file are returned together with the layers that
/// could be read, so that the compiler reports its own errors as well.
pub(super) fn collect(file: SourceFile, dir: Option<&Path>) -> (Vec<Layer>, Vec<RulebookError>) {
    let mut walk = Walk {
        layers: Vec::new(),
        errors: Vec::new(),
        chain: Vec::new(),
    };
    walk.visit(file, dir);
    (walk.layers, walk.errors)
}

struct Walk {
    layers: Vec<Layer>,
    errors: Vec<RulebookError>,
    /// The files being read, outermost first, to refuse cycles.
    chain: Vec<String>,
}

impl Walk {
    /// Reads one file and (first) what it extends; returns its name and its ancestors' names,
    /// or `None` when it could not be read at all.
    fn visit(&mut self, file: SourceFile, dir: Option<&Path>) -> Option<Vec<Arc<str>>> {
        let file = Arc::new(file);
        let raw = match yaml::parse_raw(&file) {
            Ok(raw) => raw,
            Err(mut e) => {
                self.errors.append(&mut e);
                return None;
            }
        };
        self.errors.extend(yaml::check_structure(&file, &raw));
        let name: Arc<str> = chain_name(&file.name).into();
        self.chain.push(name.to_string());
        let mut ancestors: Vec<Arc<str>> = Vec::new();
        for ext in raw.extends.iter().flat_map(|e| e.value.iter()) {
            let lineage = match self.resolve(&file, ext, dir) {
                Err(e) => {
                    self.errors.push(*e);
                    continue;
                }
                Ok(Resolved::Seen(lineage)) => lineage,
                Ok(Resolved::New(sub, sub_dir)) => match self.visit(sub, sub_dir.as_deref()) {
                    Some(l) => l,
                    None => continue,
                },
            };
            for n in lineage {
                if !ancestors.contains(&n) {
                    ancestors.push(n);
                }
            }
        }
        self.chain.pop();
        let mut lineage = ancestors.clone();
        lineage.push(name.clone());
        self.layers.push(Layer {
            file,
            raw,
            name,
            ancestors,
        });
        Some(lineage)
    }

    /// An `extends` entry: a file to read, or one already read (its lineage), or an error.
    fn resolve(
        &self,
        file: &SourceFile,
        ext: &Spanned<String>,
        dir: Option<&Path>,
    ) -> Result<Resolved, Box<RulebookError>> {
        let at = yaml::value_range(file, ext);
        let plain = |msg: String, label: &str| {
            RulebookError::new("rulebook::extends", msg, file, at.clone(), label)
        };
        let err = |msg: String, label: &str| Box::new(plain(msg, label));
        let (sub, name, sub_dir) = if let Some(builtin) = ext.value.strip_prefix("builtin:") {
            let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == builtin) else {
                let names: Vec<String> = BUILTIN
                    .iter()
                    .map(|(n, _)| format!("builtin:{n}"))
                    .collect();
                return Err(Box::new(
                    plain(
                        format!("there is no built-in rulebook `{builtin}`"),
                        "unknown",
                    )
                    .with_help(format!("built-in rulebooks: {}", names.join(", "))),
                ));
            };
            let sub = SourceFile {
                name: ext.value.clone(),
                text: (*text).into(),
            };
            (sub, ext.value.clone(), None)
        } else {
            let path: PathBuf =
                dir.map_or_else(|| PathBuf::from(&ext.value), |d| d.join(&ext.value));
            let name = path.display().to_string();
            // Cycles are found on canonical paths: `s/../c.yaml` is `c.yaml` however it is spelt.
            if self.chain.contains(&chain_name(&name)) {
                return Err(err(
                    format!(
                        "`{}` extends itself (through {})",
                        ext.value,
                        self.chain.join(" → ")
                    ),
                    "cycle",
                ));
            }
            if self.chain.len() >= crate::limits::MAX_EXTENDS_DEPTH {
                return Err(Box::new(
                    plain(
                        format!(
                            "`extends` nested deeper than {} rulebooks (through {})",
                            crate::limits::MAX_EXTENDS_DEPTH,
                            self.chain.join(" → ")
                        ),
                        "too deep",
                    )
                    .with_help(
                        "the limit is fixed; extend the rulebooks side by side instead of in a chain",
                    ),
                ));
            }
            let text = crate::limits::read_text(&path, crate::limits::MAX_RULEBOOK_BYTES)
                .map_err(|e| err(format!("cannot read `{}`: {e}", path.display()), "here"))?;
            let sub_dir = Path::new(&name).parent().map(Path::to_path_buf);
            let sub = SourceFile {
                name: name.clone(),
                text: text.into(),
            };
            (sub, name, sub_dir)
        };
        let chain = chain_name(&name);
        if self.chain.contains(&chain) {
            return Err(err(format!("`{}` extends itself", ext.value), "cycle"));
        }
        if let Some(seen) = self.layers.iter().find(|l| *l.name == *chain) {
            let mut lineage = seen.ancestors.clone();
            lineage.push(seen.name.clone());
            return Ok(Resolved::Seen(lineage));
        }
        Ok(Resolved::New(sub, sub_dir))
    }
}

enum Resolved {
    /// Read already (a rulebook extended twice): its lineage.
    Seen(Vec<Arc<str>>),
    /// To read, with the directory its own `extends` are relative to.
    New(SourceFile, Option<PathBuf>),
}

/// How a rulebook stands in `extends` chains: its canonical path when it is a file that exists,
/// else its name (`builtin:NAME`).
pub(super) fn chain_name(name: &str) -> String {
    if name.starts_with("builtin:") {
        return name.to_string();
    }
    std::fs::canonicalize(name).map_or_else(|_| name.to_string(), |p| p.display().to_string())
}

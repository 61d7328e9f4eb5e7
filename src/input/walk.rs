//! Input stage: from the paths on the command line to the report files to read.
//!
//! A file named on the command line is always read, whatever its extension (as text unless the
//! extension names another format). A directory is walked with ripgrep's walker (`ignore`):
//! `.gitignore` (inside a Git repository), `.ignore`, `.git/info/exclude` and the global Git
//! excludes are respected, hidden files and folders are left out, and so are `node_modules/`
//! and a repository's own documents (`README.md`, `CHANGELOG.md`, `LICENSE.md`…);
//! `--no-ignore` and `--hidden` turn that off. Files found in a walk are taken by extension.
//! The walk may run on several threads; its result is sorted, so a run is deterministic.
//!
//! Nothing that is not a regular file is ever opened: a FIFO, device or socket found in a walk is
//! named in a warning, named on the command line it is an error (it would block or never end).
//! Symbolic links to files are read; links to directories are not followed, loops and broken
//! links are named. A file reached twice (named twice, or named and found in a walk) is read once.
//! Hands on: [`Collected`] — the files, and what was passed over and why.

use super::{Format, InputError};
use miette::Diagnostic;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use thiserror::Error;

/// How directories are walked.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Read ignored files too: no `.gitignore`, `.ignore`, `node_modules` or repository documents
    /// left out.
    pub no_ignore: bool,
    /// Walk hidden files and folders (names starting with `.`).
    pub hidden: bool,
    /// Threads for the walk; 0 lets the walker choose.
    pub threads: usize,
    /// Files named on the command line go through `keep` too (for hooks that name every changed
    /// file, such as pre-commit's): an excluded one is passed over, not read.
    pub force_exclude: bool,
}

/// Something in a walked directory that was not read, and why; the run goes on.
#[derive(Debug, Error, Diagnostic)]
#[diagnostic(severity(Warning))]
pub enum InputWarning {
    #[error("{}: {kind}, not a regular file: not read", super::shown(path))]
    #[diagnostic(code(input::not_regular))]
    NotRegular { path: PathBuf, kind: &'static str },

    #[error("{}: symbolic link loop: not followed", super::shown(path))]
    #[diagnostic(code(input::symlink_loop))]
    SymlinkLoop { path: PathBuf },

    #[error("{}: symbolic link to a directory: not followed", super::shown(path))]
    #[diagnostic(
        code(input::symlink_dir),
        help("name the directory on the command line to check it")
    )]
    SymlinkDir { path: PathBuf },

    #[error(
        "{}: broken symbolic link: its target does not exist",
        super::shown(path)
    )]
    #[diagnostic(code(input::broken_symlink))]
    BrokenSymlink { path: PathBuf },

    #[error("{message}")]
    #[diagnostic(code(input::ignore_file))]
    IgnoreFile { message: String },
}

/// The files a run will read, and what it passed over.
#[derive(Debug, Default)]
pub struct Collected {
    pub files: Vec<(PathBuf, Format)>,
    /// Files in walked directories that are not reports (by extension), or a repository's own
    /// documents.
    pub skipped: usize,
    /// Inputs that cannot be read at all: missing, not regular, a directory that cannot be listed.
    pub errors: Vec<InputError>,
    pub warnings: Vec<InputWarning>,
    /// Files named on the command line and passed over by `force_exclude`.
    pub excluded: usize,
}

/// What a file that is not regular is, in words.
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = t;
    "not a regular file"
}

fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// A repository's own documents, never reports: left out of walks (they are Markdown).
fn is_repository_document(path: &Path) -> bool {
    const NAMES: [&str; 10] = [
        "README",
        "CHANGELOG",
        "CHANGES",
        "CONTRIBUTING",
        "LICENSE",
        "LICENCE",
        "CODE_OF_CONDUCT",
        "SECURITY",
        "AUTHORS",
        "HISTORY",
    ];
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| NAMES.iter().any(|n| s.eq_ignore_ascii_case(n)))
}

/// What one walked entry comes to.
enum Item {
    File(PathBuf, Format),
    Skipped,
    Warning(InputWarning),
    Error(InputError),
}

/// A walked entry that is a symbolic link: what it points at decides.
fn symlink_item(path: PathBuf) -> Option<Item> {
    Some(match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => match Format::from_path(&path) {
            Some(f) => Item::File(path, f),
            None => Item::Skipped,
        },
        Ok(m) if m.is_dir() => Item::Warning(InputWarning::SymlinkDir { path }),
        Ok(m) => Item::Warning(InputWarning::NotRegular {
            path,
            kind: kind_of(m.file_type()),
        }),
        Err(e) if is_loop(&e) => Item::Warning(InputWarning::SymlinkLoop { path }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Item::Warning(InputWarning::BrokenSymlink { path })
        }
        Err(e) => Item::Error(InputError::Io {
            path,
            message: e.to_string(),
        }),
    })
}

fn walk_error(root: &Path, e: ignore::Error) -> Item {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    let path = path_of(&e).unwrap_or(root).to_path_buf();
    let message = match e.io_error() {
        Some(io) => io.to_string(),
        None => e.to_string(),
    };
    Item::Error(InputError::Io { path, message })
}

/// One entry of a walk (the root itself is handled by [`collect`]).
fn entry_item(root: &Path, entry: Result<ignore::DirEntry, ignore::Error>) -> Option<Item> {
    let entry = match entry {
        Ok(e) => e,
        Err(e) => return Some(walk_error(root, e)),
    };
    if let Some(e) = entry.error() {
        // A malformed ignore file: the walk goes on without its bad lines.
        return Some(Item::Warning(InputWarning::IgnoreFile {
            message: e.to_string(),
        }));
    }
    if entry.depth() == 0 {
        return None;
    }
    let t = entry.file_type()?;
    if t.is_dir() {
        return None;
    }
    let path = entry.into_path();
    if t.is_symlink() {
        return symlink_item(path);
    }
    if !t.is_file() {
        return Some(Item::Warning(InputWarning::NotRegular {
            path,
            kind: kind_of(t),
        }));
    }
    Some(match Format::from_path(&path) {
        Some(f) => Item::File(path, f),
        None => Item::Skipped,
    })
}

/// Walks one directory, in parallel, and returns its items sorted by path: the order of a
/// depth-first walk with entries sorted by name.
fn walk(root: &Path, opts: &WalkOptions) -> Vec<(PathBuf, Item)> {
    let honour = !opts.no_ignore;
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(!opts.hidden)
        .ignore(honour)
        .git_ignore(honour)
        .git_global(honour)
        .git_exclude(honour)
        .parents(honour)
        .follow_links(false)
        .threads(opts.threads);
    if honour {
        builder.filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name() == "node_modules")
        });
    }
    let found: Mutex<Vec<(PathBuf, Item)>> = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            let key = match &entry {
                Ok(e) => e.path().to_path_buf(),
                Err(_) => root.to_path_buf(),
            };
            let item = match entry_item(root, entry) {
                Some(Item::File(path, _)) if honour && is_repository_document(&path) => {
                    Some(Item::Skipped)
                }
                other => other,
            };
            if let Some(item) = item {
                found
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((key, item));
            }
            ignore::WalkState::Continue
        })
    });
    let mut found = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The identity of a file for de-duplication: its canonical path when it has one.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Expands paths into report files (see the module documentation); `keep` decides on each file
/// found in a walk (the configuration's include and exclude globs). A directory that yields no
/// report is an error naming it. `-` (standard input) is passed on as it is, as text.
pub fn collect(paths: &[PathBuf], opts: &WalkOptions, keep: &dyn Fn(&Path) -> bool) -> Collected {
    let mut out = Collected::default();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut take = |out: &mut Collected, path: PathBuf, format: Format| {
        if seen.insert(identity(&path)) {
            out.files.push((path, format));
        }
    };
    for path in paths {
        if path.as_os_str() == super::STDIN {
            take(&mut out, path.clone(), Format::Text);
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(if is_loop(&e) {
                    InputError::SymlinkLoop { path: path.clone() }
                } else if e.kind() == std::io::ErrorKind::NotFound {
                    InputError::NotFound { path: path.clone() }
                } else {
                    InputError::Io {
                        path: path.clone(),
                        message: e.to_string(),
                    }
                });
                continue;
            }
        };
        if meta.is_file() {
            if opts.force_exclude && !keep(path) {
                out.excluded += 1;
                continue;
            }
            take(
                &mut out,
                path.clone(),
                Format::from_path(path).unwrap_or(Format::Text),
            );
            continue;
        }
        if !meta.is_dir() {
            out.errors.push(InputError::NotRegular {
                path: path.clone(),
                kind: kind_of(meta.file_type()),
            });
            continue;
        }
        let mut reports = 0;
        for (_, item) in walk(path, opts) {
            match item {
                Item::File(p, f) if keep(&p) => {
                    reports += 1;
                    take(&mut out, p, f);
                }
                Item::File(..) | Item::Skipped => out.skipped += 1,
                Item::Warning(w) => out.warnings.push(w),
                Item::Error(e) => out.errors.push(e),
            }
        }
        if reports == 0 {
            out.errors
                .push(InputError::NoReports { path: path.clone() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(c: &Collected, root: &Path) -> Vec<String> {
        c.files
            .iter()
            .map(|(p, _)| p.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn order_is_depth_first_by_name_whatever_the_threads() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for f in [
            "b.txt",
            "a/z.txt",
            "a/b/c.txt",
            "a.txt",
            "ab.txt",
            "a/b.txt",
        ] {
            fs::create_dir_all(p.join(f).parent().unwrap()).unwrap();
            fs::write(p.join(f), "x").unwrap();
        }
        let want = [
            "a/b/c.txt",
            "a/b.txt",
            "a/z.txt",
            "a.txt",
            "ab.txt",
            "b.txt",
        ];
        for threads in [1, 4] {
            let opts = WalkOptions {
                threads,
                ..WalkOptions::default()
            };
            let c = collect(&[p.to_path_buf()], &opts, &|_| true);
            assert_eq!(names(&c, p), want, "{threads} threads");
        }
    }

    #[test]
    fn repository_documents_and_node_modules_are_left_out_unless_no_ignore() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs::create_dir_all(p.join("node_modules/x")).unwrap();
        fs::write(p.join("node_modules/x/readme.md"), "x").unwrap();
        fs::write(p.join("README.md"), "x").unwrap();
        fs::write(p.join("r.md"), "x").unwrap();
        let c = collect(&[p.to_path_buf()], &WalkOptions::default(), &|_| true);
        assert_eq!(names(&c, p), ["r.md"]);
        assert_eq!(c.skipped, 1, "the README is counted as passed over");
        let all = WalkOptions {
            no_ignore: true,
            ..WalkOptions::default()
        };
        let c = collect(&[p.to_path_buf()], &all, &|_| true);
        assert_eq!(
            names(&c, p),
            ["README.md", "node_modules/x/readme.md", "r.md"]
        );
    }

    #[test]
    fn a_file_reached_twice_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs::write(p.join("a.txt"), "x").unwrap();
        let a = p.join("a.txt");
        let dotted = p.join(".").join("a.txt");
        let c = collect(
            &[a.clone(), p.to_path_buf(), dotted],
            &WalkOptions::default(),
            &|_| true,
        );
        assert_eq!(c.files.len(), 1);
        assert_eq!(c.files[0].0, a, "the first mention is kept");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_loops_and_fifos() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs::write(p.join("a.txt"), "x").unwrap();
        symlink(p.join("a.txt"), p.join("link.txt")).unwrap();
        symlink(p.join("loop1"), p.join("loop2")).unwrap();
        symlink(p.join("loop2"), p.join("loop1")).unwrap();
        symlink(p.join("gone.txt"), p.join("broken.txt")).unwrap();
        symlink("/dev/zero", p.join("zero.txt")).unwrap();
        fs::create_dir(p.join("sub")).unwrap();
        symlink(p.join("sub"), p.join("subdir")).unwrap();
        let fifo = p.join("pipe.txt");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let c = collect(&[p.to_path_buf()], &WalkOptions::default(), &|_| true);
        // The link to a.txt is the same file: read once, under its first name.
        assert_eq!(names(&c, p), ["a.txt"]);
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let warnings: Vec<String> = c
            .warnings
            .iter()
            .map(|w| w.to_string().replace(&format!("{}/", p.display()), ""))
            .collect();
        assert_eq!(
            warnings,
            [
                "broken.txt: broken symbolic link: its target does not exist",
                "loop1: symbolic link loop: not followed",
                "loop2: symbolic link loop: not followed",
                "pipe.txt: a FIFO (named pipe), not a regular file: not read",
                "subdir: symbolic link to a directory: not followed",
                "zero.txt: a character device, not a regular file: not read",
            ]
        );
        // Named on the command line, each is an error.
        let named = [p.join("pipe.txt"), p.join("loop1"), p.join("zero.txt")];
        let c = collect(&named, &WalkOptions::default(), &|_| true);
        assert!(c.files.is_empty());
        let errors: Vec<String> = c
            .errors
            .iter()
            .map(|e| e.to_string().replace(&format!("{}/", p.display()), ""))
            .collect();
        assert_eq!(
            errors,
            [
                "pipe.txt: a FIFO (named pipe), not a regular file",
                "loop1: symbolic link loop",
                "zero.txt: a character device, not a regular file",
            ]
        );
    }
}

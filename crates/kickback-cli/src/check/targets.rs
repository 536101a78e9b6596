//! What to check: the command line's files, folders and globs expanded
//! into recordings.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One recording to check, or an input that yielded none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The path as shown in reports.
    pub source: String,
    /// The recording (`None`: `error` says why there is none).
    pub path: Option<PathBuf>,
    /// Why this input could not be used.
    pub error: Option<String>,
}

impl Target {
    fn ok(path: PathBuf) -> Target {
        Target {
            source: path.display().to_string(),
            path: Some(path),
            error: None,
        }
    }
    fn err(source: &str, error: String) -> Target {
        Target {
            source: source.to_string(),
            path: None,
            error: Some(error),
        }
    }
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expands the command-line inputs into recordings, in argument order
/// (each folder's recordings sorted), without duplicates. Inputs that
/// yield no recording become error targets.
pub fn expand(args: &[String]) -> Vec<Target> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |out: &mut Vec<Target>, p: PathBuf| {
        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.insert(key) {
            out.push(Target::ok(p));
        }
    };
    let folder =
        |out: &mut Vec<Target>, push: &mut dyn FnMut(&mut Vec<Target>, PathBuf), dir: &Path| {
            let scan = kickback_formats::scan(dir);
            for s in &scan.skipped {
                out.push(Target::err(&s.path.display().to_string(), s.reason.clone()));
            }
            if scan.recordings.is_empty() && scan.skipped.is_empty() {
                out.push(Target::err(
                    &dir.display().to_string(),
                    format!("{}: no recordings found in this folder", dir.display()),
                ));
            }
            for f in scan.recordings {
                push(out, f);
            }
        };
    for arg in args {
        let p = Path::new(arg);
        if p.is_dir() {
            folder(&mut out, &mut push, p);
        } else if p.exists() {
            push(&mut out, p.to_path_buf());
        } else if has_glob_chars(arg) {
            match glob::glob(arg) {
                Err(e) => out.push(Target::err(
                    arg,
                    format!("{arg}: invalid glob pattern: {e}"),
                )),
                Ok(paths) => {
                    let mut any = false;
                    let mut used = false;
                    for entry in paths {
                        any = true;
                        match entry {
                            Ok(m) if m.is_dir() => {
                                used = true;
                                folder(&mut out, &mut push, &m)
                            }
                            // A file of an export counts as its export;
                            // metadata and truth files are no recording.
                            Ok(m) => match kickback_formats::recording_for(&m) {
                                Ok(Some(r)) => {
                                    used = true;
                                    push(&mut out, r)
                                }
                                Ok(None) => {}
                                Err(e) => {
                                    used = true;
                                    out.push(Target::err(&m.display().to_string(), e))
                                }
                            },
                            Err(e) => {
                                let src = e.path().display().to_string();
                                out.push(Target::err(&src, format!("{src}: {}", e.error())));
                            }
                        }
                    }
                    if !any {
                        out.push(Target::err(
                            arg,
                            format!("{arg}: no files match this pattern"),
                        ));
                    } else if !used {
                        out.push(Target::err(
                            arg,
                            format!("{arg}: the files this pattern matches are no recordings (metadata, annotations, truth files, non-CSV files)"),
                        ));
                    }
                }
            }
        } else {
            out.push(Target::err(arg, format!("{arg}: no such file or folder")));
        }
    }
    out
}

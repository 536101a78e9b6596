//! Opening what a user names (a file, a folder, a zip, standard input),
//! and finding the recordings in a folder tree; what each app's files are
//! is asked of [`crate::apps`].

use crate::apps::{self, dir_is_export, is_metadata, names_are_export, part_of_export};
use crate::container::{
    self, file_name_lower, is_csv, is_zip, label, parent_of, regular_files, Container,
};
use crate::error::{short_list, FormatError};
use crate::single::Table;
use crate::{ReadOptions, Recording};
use std::collections::HashSet;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

pub(crate) fn open(path: &Path, opts: &ReadOptions) -> Result<Recording, FormatError> {
    if path.as_os_str() == "-" {
        return apps::read_single("standard input", Box::new(io::stdin()), opts);
    }
    let label = label(path);
    let meta = std::fs::metadata(path).map_err(|e| FormatError::io(&label, e))?;
    if meta.is_dir() {
        return open_dir(path, opts);
    }
    if meta.is_file() && is_zip(path) {
        return apps::open_export(Container::zip(path)?, opts);
    }
    // metadata of an export is no recording
    if let Some(app) = apps::metadata_of(&file_name_lower(path)) {
        let parent = parent_of(path);
        if dir_is_export(parent) || parent.ends_with("meta") {
            let folder = if parent.ends_with("meta") {
                parent_of(parent)
            } else {
                parent
            };
            return Err(part_of_export(&label, app.app_name(), "metadata", folder));
        }
    }
    // a single file (or a pipe / device the user named: read as a stream)
    let f = File::open(path).map_err(|e| FormatError::io(&label, e))?;
    let table = Table::open(&label, Box::new(f))?;
    apps::open_file(path, table, opts)
}

/// A folder: an export, a folder with one recording, or an error that
/// points to `kickback check` when it holds several.
fn open_dir(path: &Path, opts: &ReadOptions) -> Result<Recording, FormatError> {
    let c = Container::dir(path)?;
    if opts.format.is_none() && !dir_is_export(path) {
        let found = scan(path).recordings;
        if found.len() > 1 {
            let names = found
                .iter()
                .map(|p| p.strip_prefix(path).unwrap_or(p).display().to_string());
            return Err(FormatError::invalid(
                &c.label,
                format!(
                    "this folder holds {} recordings ({}); analyze reads one recording: name one of them, or check them all at once with `kickback check {}`",
                    found.len(),
                    short_list(names),
                    c.label
                ),
            ));
        }
    }
    apps::open_export(c, opts)
}

/// Finds recordings in a folder tree: single CSV files, app export folders
/// (Sensor Logger, phyphox: counted as ONE recording, returned as the
/// folder), zips, and MetaWear recordings (returned as the accelerometer
/// file; its gyroscope partner is found when opened). Skips `*.truth.json`,
/// non-CSV files and metadata CSVs. The result is sorted. See [`scan`] for
/// what was skipped and why.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.csv"), "t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n").unwrap();
/// std::fs::write(dir.path().join("a.truth.json"), "{}").unwrap();
/// let found = kickback_formats::find_recordings(dir.path());
/// assert_eq!(found.len(), 1);
/// ```
pub fn find_recordings(dir: &Path) -> Vec<PathBuf> {
    scan(dir).recordings
}

/// What [`scan`] found in a folder tree.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Scan {
    /// The recordings, sorted (as [`find_recordings`] gives them).
    pub recordings: Vec<PathBuf>,
    /// Paths that were not read, with the reason: folders that cannot be
    /// read, FIFOs, sockets and devices, broken links and symlink loops.
    pub skipped: Vec<Skipped>,
}

/// A path [`scan`] did not read.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Skipped {
    /// The path.
    pub path: PathBuf,
    /// Why it was skipped, for a user (starts with the path).
    pub reason: String,
}

/// Most folder levels [`scan`] descends.
const MAX_DEPTH: usize = 32;

/// [`find_recordings`], with what was skipped: only regular files (and
/// links to them) are read; each folder is visited once, so symlink loops
/// end.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.csv"), "t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n").unwrap();
/// let s = kickback_formats::scan(dir.path());
/// assert_eq!(s.recordings.len(), 1);
/// assert!(s.skipped.is_empty());
/// ```
pub fn scan(dir: &Path) -> Scan {
    let mut s = Scan::default();
    let mut seen = HashSet::new();
    walk(dir, 0, &mut s, &mut seen);
    s.recordings.sort();
    s
}

fn skip(s: &mut Scan, path: &Path, why: impl std::fmt::Display) {
    s.skipped.push(Skipped {
        path: path.to_path_buf(),
        reason: format!("{}: {why}", label(path)),
    });
}

/// Files that belong to a recording but are none: metadata, annotations,
/// truth files, notes.
fn is_not_recording(lower: &str) -> bool {
    is_metadata(lower)
        || lower.ends_with(".txt")
        || lower.ends_with(".json")
        || !(is_csv(lower) || lower.ends_with(".zip"))
}

/// The recording a file found by a glob belongs to: the file itself, its
/// export folder (so that a glob over an export counts it once), its
/// MetaWear accelerometer partner, or `None` for files that are no
/// recording (metadata, annotations, truth files, non-CSV files). Paths
/// that are no regular file (a FIFO, a device) give an error to report.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.csv");
/// std::fs::write(&p, "t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n").unwrap();
/// assert_eq!(kickback_formats::recording_for(&p).unwrap(), Some(p.clone()));
/// let t = dir.path().join("a.truth.json");
/// std::fs::write(&t, "{}").unwrap();
/// assert_eq!(kickback_formats::recording_for(&t).unwrap(), None);
/// ```
pub fn recording_for(path: &Path) -> Result<Option<PathBuf>, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("{}: cannot read it: {e}", label(path)))?;
    if meta.is_dir() {
        return Ok(Some(path.to_path_buf()));
    }
    if !meta.is_file() {
        return Err(format!(
            "{}: not a regular file (a FIFO, socket or device); skipped",
            label(path)
        ));
    }
    let lower = file_name_lower(path);
    let parent = parent_of(path);
    let names = regular_files(parent);
    if names_are_export(&container::lower(&names)) && is_csv(&lower) {
        return Ok(Some(parent.to_path_buf()));
    }
    if is_not_recording(&lower) {
        return Ok(None);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(other) = apps::partner(&name, &names) {
        return Ok(Some(parent.join(other)));
    }
    Ok(Some(path.to_path_buf()))
}

fn walk(dir: &Path, depth: usize, s: &mut Scan, seen: &mut HashSet<PathBuf>) {
    if depth > MAX_DEPTH {
        skip(
            s,
            dir,
            format!("nested deeper than {MAX_DEPTH} folders; not searched"),
        );
        return;
    }
    match std::fs::canonicalize(dir) {
        Ok(c) => {
            if !seen.insert(c) {
                skip(
                    s,
                    dir,
                    "a link to a folder already searched (a symlink loop?); not searched again",
                );
                return;
            }
        }
        Err(e) => {
            skip(s, dir, format!("cannot read this folder: {e}"));
            return;
        }
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            skip(s, dir, format!("cannot read this folder: {e}"));
            return;
        }
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for e in rd {
        let p = match e {
            Ok(e) => e.path(),
            Err(err) => {
                skip(s, dir, format!("cannot list this folder: {err}"));
                continue;
            }
        };
        let lower = file_name_lower(&p);
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                if lower != "meta" && !lower.starts_with('.') {
                    dirs.push(p);
                }
            }
            Ok(m) if m.is_file() => files.push(p),
            Ok(_) => skip(
                s,
                &p,
                "not a regular file (a FIFO, socket or device); skipped",
            ),
            Err(err) => skip(
                s,
                &p,
                format!("cannot read it ({err}); a broken link or a symlink loop?"),
            ),
        }
    }
    files.sort();
    dirs.sort();
    let names: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    if names_are_export(&container::lower(&names)) {
        s.recordings.push(dir.to_path_buf());
        return;
    }
    for (p, name) in files.iter().zip(&names) {
        let l = name.to_ascii_lowercase();
        // a file opened through its partner is found as its partner
        if is_not_recording(&l) || apps::partner(name, &names).is_some() {
            continue;
        }
        s.recordings.push(p.clone());
    }
    for d in &dirs {
        walk(d, depth + 1, s, seen);
    }
}

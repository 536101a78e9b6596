//! The one way the `kickback` command writes a file: never over one of its
//! inputs, atomically, with the user's umask.
//!
//! * [`Inputs`] holds every file and folder a command reads, by device and
//!   inode, so an output that *is* an input is refused whatever path names
//!   it: the same path, a symlink to it, a hard link, `./x` or `../d/x`.
//! * [`write_atomic`] writes a temporary file beside the destination, syncs
//!   it and renames it into place: a reader sees the old file or the new
//!   one, never half of one. The file is created with mode 0666 less the
//!   umask (0644 with the usual umask 022), like any file a shell writes.
//! * Temporary files are named `.<name>.kickback-<pid>-<n>.tmp`. A run that
//!   is killed leaves its own behind; [`remove_stale_temps`] (called by every
//!   writing command on its output folder) recognises those whose process is
//!   gone and removes them.

use anyhow::{anyhow, bail, Result};
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What identifies a file whatever its path: device and inode on Unix, the
/// canonical path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

/// The identity of the file or folder at `path` (following symlinks), if it exists.
fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let m = std::fs::metadata(path).ok()?;
        Some(FileId::Inode(m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileId::Path)
    }
}

/// The files and folders a command reads: never written over.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    ids: HashMap<FileId, PathBuf>,
}

impl Inputs {
    /// No inputs yet.
    pub fn new() -> Inputs {
        Inputs::default()
    }

    /// Adds the file or folder at `path` (a path that does not exist is
    /// ignored: it cannot be written over).
    pub fn add(&mut self, path: &Path) {
        if let Some(id) = file_id(path) {
            self.ids.entry(id).or_insert_with(|| path.to_path_buf());
        }
    }

    /// The input that `path` is (the same file or folder), if any.
    pub fn find(&self, path: &Path) -> Option<&Path> {
        file_id(path).and_then(|id| self.ids.get(&id).map(PathBuf::as_path))
    }

    /// Fails when `path` is one of the inputs, naming both.
    pub fn refuse(&self, path: &Path) -> Result<()> {
        let same_path = |input: &Path| {
            input == path
                || matches!(
                    (std::fs::canonicalize(input), std::fs::canonicalize(path)),
                    (Ok(a), Ok(b)) if a == b
                ) && std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_symlink())
        };
        match self.find(path) {
            Some(input) if same_path(input) => bail!(
                "refusing to write {}: it is an input of this command; choose another output name",
                path.display()
            ),
            Some(input) => bail!(
                "refusing to write {}: it is the input {} (the same file through a link); choose another output name",
                path.display(),
                input.display()
            ),
            None => Ok(()),
        }
    }
}

/// What marks a temporary file of ours: `.<name>` + this + `<pid>-<n>.tmp`.
const TEMP_MARK: &str = ".kickback-";
const TEMP_END: &str = ".tmp";

fn temp_name(name: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(".{name}{TEMP_MARK}{}-{n}{TEMP_END}", std::process::id())
}

/// The process id in one of our temporary file names.
fn temp_pid(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_suffix(TEMP_END)?;
    let (_, tail) = rest.rsplit_once(TEMP_MARK)?;
    let (pid, n) = tail.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// Whether process `pid` may still be running (and writing its temporary file).
fn may_be_running(pid: u32, modified: Option<std::time::SystemTime>) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    // No /proc: only files older than an hour are taken as stale.
    modified
        .and_then(|m| m.elapsed().ok())
        .map_or(true, |age| age.as_secs() < 3600)
}

/// Removes the temporary files that killed `kickback` runs left in `dir`;
/// returns how many. Files of running processes and any other file are left
/// alone.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        let Ok(meta) = e.metadata() else { continue };
        if !meta.is_file() || may_be_running(pid, meta.modified().ok()) {
            continue;
        }
        if std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The folder `path` is in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path` atomically, unless `path` is one of `inputs`.
pub fn write_atomic(path: &Path, bytes: &[u8], inputs: &Inputs) -> Result<()> {
    inputs.refuse(path)?;
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?
        .to_string_lossy();
    let tmp = dir.join(temp_name(&name));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // The umask applies, as for any file a shell or editor creates.
        opts.mode(0o666);
    }
    let mut file = opts
        .open(&tmp)
        .map_err(|e| anyhow!("{}: cannot create a temporary file: {e}", dir.display()))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(anyhow!("{}: {e}", path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognised() {
        let n = temp_name("a.b.json");
        assert!(n.starts_with(".a.b.json.kickback-"), "{n}");
        assert_eq!(temp_pid(&n), Some(std::process::id()));
        for other in [
            "a.json",
            ".a.json.tmp",
            ".a.kickback-x-1.tmp",
            ".a.kickback-12-.tmp",
            ".a.kickback-12-3.tmpx",
        ] {
            assert_eq!(temp_pid(other), None, "{other}");
        }
    }

    #[test]
    fn same_file_through_links_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let rec = d.join("rec.csv");
        std::fs::write(&rec, "x").unwrap();
        let mut inputs = Inputs::new();
        inputs.add(&rec);
        inputs.add(&d.join("missing.csv"));
        assert!(inputs.refuse(&rec).is_err());
        assert!(inputs.refuse(&d.join("other.csv")).is_ok());
        assert!(inputs.refuse(&d.join(".").join("rec.csv")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&rec, d.join("sym.svg")).unwrap();
            std::fs::hard_link(&rec, d.join("hard.svg")).unwrap();
            for p in ["sym.svg", "hard.svg"] {
                let e = write_atomic(&d.join(p), b"svg", &inputs).unwrap_err();
                assert!(
                    e.to_string().contains("(the same file through a link)"),
                    "{e}"
                );
            }
        }
        assert_eq!(std::fs::read(&rec).unwrap(), b"x");
    }
}

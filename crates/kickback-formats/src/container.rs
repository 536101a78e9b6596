//! Files, folders and zips as the readers see them: a folder or zip of CSVs
//! ([`Container`]), zip entries inflated as a stream, and the names of paths.

use crate::error::{escape, short_list, shorten, FormatError};
use crate::single::Table;
use crate::MAX_ZIP_BYTES;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Most entries read from a zip's central directory.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Largest compression ratio accepted for a zip entry of more than
/// [`ZIP_RATIO_FROM_BYTES`]: sensor CSVs deflate about 3–10 to 1, a zip
/// bomb 1,000 to 1.
pub const MAX_ZIP_RATIO: u64 = 100;
/// Entries smaller than this (declared) are not held to [`MAX_ZIP_RATIO`].
pub const ZIP_RATIO_FROM_BYTES: u64 = 1 << 20;

/// A path as shown in messages (control characters escaped).
pub(crate) fn label(p: &Path) -> String {
    escape(&p.display().to_string()).into_owned()
}

/// A folder or zip holding several CSVs.
pub(crate) struct Container {
    pub(crate) label: String,
    kind: CKind,
    /// Relative names (zip entry names or paths relative to the folder).
    pub(crate) files: Vec<String>,
}

enum CKind {
    Dir(PathBuf),
    Zip { path: PathBuf },
}

pub(crate) fn is_csv(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".csv") || l.ends_with(".txt") || l.ends_with(".tsv")
}

pub(crate) fn base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

impl Container {
    pub(crate) fn dir(p: &Path) -> Result<Container, FormatError> {
        let label = label(p);
        let mut files = Vec::new();
        let rd = std::fs::read_dir(p).map_err(|e| FormatError::io(&label, e))?;
        for e in rd.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() && name.eq_ignore_ascii_case("meta") {
                if let Ok(rd2) = std::fs::read_dir(&path) {
                    for e2 in rd2.flatten() {
                        if e2.path().is_file() {
                            files.push(format!("{name}/{}", e2.file_name().to_string_lossy()));
                        }
                    }
                }
            } else if path.is_file() {
                // regular files (and links to them) only: a FIFO would hang
                files.push(name);
            }
        }
        files.sort();
        Ok(Container {
            label,
            kind: CKind::Dir(p.to_path_buf()),
            files,
        })
    }

    /// Lists a zip's entries and refuses it, before inflating anything,
    /// when its declared sizes or compression ratios make it a zip bomb.
    /// Each CSV entry's declared size is counted once against
    /// [`MAX_ZIP_BYTES`]; reading an entry stops where it inflates beyond
    /// its declared size.
    pub(crate) fn zip(p: &Path) -> Result<Container, FormatError> {
        let label = label(p);
        let f = File::open(p).map_err(|e| FormatError::io(&label, e))?;
        let mut z = zip::ZipArchive::new(f)
            .map_err(|e| FormatError::invalid(&label, format!("not a readable zip file: {e}")))?;
        if z.len() > MAX_ZIP_ENTRIES {
            return Err(FormatError::invalid(&label, format!("the zip holds {} entries, more than the {MAX_ZIP_ENTRIES} a recording's export has; refusing to read it", z.len())));
        }
        let mut files = Vec::new();
        let mut declared = 0u64;
        for i in 0..z.len() {
            let e = z.by_index_raw(i).map_err(|e| {
                FormatError::invalid(&label, format!("cannot read the zip's directory: {e}"))
            })?;
            let name = e.name().to_string();
            if name.ends_with('/') {
                continue;
            }
            if is_csv(&name) {
                let (size, packed) = (e.size(), e.compressed_size());
                if size > ZIP_RATIO_FROM_BYTES && size / packed.max(1) > MAX_ZIP_RATIO {
                    return Err(FormatError::invalid(&label, format!(
                        "zip entry \"{}\" declares {size} bytes packed into {packed} (more than {MAX_ZIP_RATIO} to 1): this looks like a zip bomb, refusing to inflate it; unzip it yourself if you trust it",
                        shorten(&name)
                    )));
                }
                declared = declared.saturating_add(size);
            }
            files.push(name);
        }
        if declared > MAX_ZIP_BYTES {
            return Err(FormatError::invalid(&label, format!("the zip's CSV entries declare {declared} bytes in all, more than the {MAX_ZIP_BYTES} accepted; refusing to inflate it")));
        }
        files.sort();
        Ok(Container {
            label,
            kind: CKind::Zip {
                path: p.to_path_buf(),
            },
            files,
        })
    }

    pub(crate) fn display(&self, rel: &str) -> String {
        match &self.kind {
            CKind::Dir(d) => label(&d.join(rel)),
            CKind::Zip { .. } => format!("{}!{}", self.label, escape(rel)),
        }
    }

    pub(crate) fn open(&self, rel: &str) -> Result<(String, Box<dyn Read>), FormatError> {
        let name = self.display(rel);
        match &self.kind {
            CKind::Dir(d) => {
                let f = File::open(d.join(rel)).map_err(|e| FormatError::io(&name, e))?;
                Ok((name, Box::new(f)))
            }
            CKind::Zip { path } => {
                let r = ZipEntry::start(path.clone(), rel.to_string())
                    .map_err(|e| FormatError::io(&name, e))?;
                Ok((name, Box::new(r)))
            }
        }
    }

    /// Case-insensitive file lookup by base name (top level preferred).
    pub(crate) fn find(&self, want: &str) -> Option<String> {
        let mut best: Option<&String> = None;
        for f in &self.files {
            if base(f).eq_ignore_ascii_case(want) && best.map(|b| f.len() < b.len()).unwrap_or(true)
            {
                best = Some(f);
            }
        }
        best.cloned()
    }

    pub(crate) fn table(&self, rel: &str) -> Result<Table, FormatError> {
        let (name, r) = self.open(rel)?;
        Table::open(&name, r)
    }

    pub(crate) fn csvs(&self) -> Vec<&String> {
        self.files
            .iter()
            .filter(|f| is_csv(f) && !f.to_ascii_lowercase().starts_with("meta/"))
            .collect()
    }

    pub(crate) fn listing(&self) -> String {
        short_list(self.files.iter())
    }
}

/// A zip entry inflated on a thread of its own and handed over in chunks
/// through a bounded channel: memory stays at a few chunks whatever the
/// entry's size, and the entry stops where it inflates beyond its declared
/// size.
struct ZipEntry {
    rx: mpsc::Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
}

/// Bytes per chunk of [`ZipEntry`].
const ZIP_CHUNK: usize = 64 * 1024;

impl ZipEntry {
    fn start(path: PathBuf, rel: String) -> io::Result<ZipEntry> {
        let (tx, rx) = mpsc::sync_channel(2);
        std::thread::Builder::new()
            .name("kickback-unzip".into())
            .spawn(move || {
                if let Err(e) = inflate(&path, &rel, &tx) {
                    let _ = tx.send(Err(e));
                }
            })?;
        Ok(ZipEntry {
            rx,
            chunk: Vec::new(),
            pos: 0,
        })
    }
}

/// Sends the inflated bytes of entry `rel` in chunks; stops when the
/// reader hangs up.
fn inflate(path: &Path, rel: &str, tx: &mpsc::SyncSender<io::Result<Vec<u8>>>) -> io::Result<()> {
    let mut z = zip::ZipArchive::new(File::open(path)?).map_err(io::Error::other)?;
    let mut e = z.by_name(rel).map_err(io::Error::other)?;
    let declared = e.size();
    let mut total = 0u64;
    loop {
        let mut buf = vec![0u8; ZIP_CHUNK];
        let n = match e.read(&mut buf) {
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if n == 0 {
            return Ok(());
        }
        total += n as u64;
        if total > declared {
            return Err(io::Error::other(format!(
                "the zip entry inflates beyond the {declared} bytes its header declares: a zip bomb or a damaged zip; refusing to read on"
            )));
        }
        buf.truncate(n);
        if tx.send(Ok(buf)).is_err() {
            return Ok(());
        }
    }
}

impl Read for ZipEntry {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.chunk.len() {
            match self.rx.recv() {
                Ok(Ok(c)) => {
                    self.chunk = c;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

pub(crate) fn is_zip(path: &Path) -> bool {
    if path
        .extension()
        .map(|e| e.eq_ignore_ascii_case("zip"))
        .unwrap_or(false)
    {
        return true;
    }
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

/// The folder a file lies in (`.` for a bare name).
pub(crate) fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

pub(crate) fn file_name_lower(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Names of the regular files in a folder, as written.
pub(crate) fn regular_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Lower-case names of the regular files in a folder.
pub(crate) fn file_names(dir: &Path) -> Vec<String> {
    lower(&regular_files(dir))
}

/// The names in lower case.
pub(crate) fn lower(names: &[String]) -> Vec<String> {
    names.iter().map(|n| n.to_ascii_lowercase()).collect()
}

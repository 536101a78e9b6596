//! Where `check --output DIR` writes: the folder (refused when it is an
//! input or inside one), each recording's file name, and the writing itself
//! (atomic, never over an input).

use super::targets::Target;
use crate::atomic_write::{self, Inputs};
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where `--output` writes: the folder and each recording's file stem.
#[derive(Debug, Clone)]
pub struct OutputPlan {
    /// The output folder (canonical).
    pub dir: PathBuf,
    /// The output folder as given (for messages and reports).
    pub shown: PathBuf,
    /// File stem per target index (unique within the batch).
    pub names: Vec<String>,
    /// Every input recording, file or folder (never written over).
    pub inputs: Inputs,
}

/// FNV-1a, 64 bits: a stable short hash for output names.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn stem_of(path: &Path) -> String {
    let raw = if path.is_dir() {
        path.file_name()
    } else {
        path.file_stem()
    }
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_default();
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = clean.trim_matches('.').to_string();
    if clean.is_empty() {
        "recording".to_string()
    } else {
        clean
    }
}

/// Plans `--output DIR`: creates it, refuses a folder given as input or
/// inside a recording (an app export folder), and names each recording's
/// outputs by its stem, adding a hash of its path when two stems collide.
pub fn plan_output(dir: &Path, args: &[String], targets: &[Target]) -> Result<OutputPlan> {
    // Decide on the canonical path before creating anything.
    let canon_dir = canonical_to_be(dir).with_context(|| format!("--output {}", dir.display()))?;
    let mut inputs = Inputs::new();
    for arg in args {
        inputs.add(Path::new(arg));
    }
    if inputs.find(&canon_dir).is_some() {
        bail!(
            "--output {}: this folder is an input; choose a folder outside the recordings",
            dir.display()
        );
    }
    for t in targets {
        let Some(p) = &t.path else { continue };
        inputs.add(p);
        let Ok(c) = std::fs::canonicalize(p) else {
            continue;
        };
        if c.is_dir() && canon_dir.starts_with(&c) {
            bail!(
                "--output {}: this folder is inside the recording {}; choose a folder outside the recordings",
                dir.display(),
                p.display()
            );
        }
    }
    std::fs::create_dir_all(&canon_dir)
        .with_context(|| format!("--output {}: cannot create the folder", dir.display()))?;
    // What a killed run left behind.
    atomic_write::remove_stale_temps(&canon_dir);
    let stems: Vec<String> = targets
        .iter()
        .map(|t| t.path.as_deref().map(stem_of).unwrap_or_default())
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in &stems {
        *count.entry(s.as_str()).or_default() += 1;
    }
    let names = targets
        .iter()
        .zip(&stems)
        .map(|(t, s)| match &t.path {
            Some(p) if count[s.as_str()] > 1 => {
                let key = std::fs::canonicalize(p)
                    .unwrap_or_else(|_| p.clone())
                    .display()
                    .to_string();
                format!("{s}-{:08x}", fnv1a(&key) as u32)
            }
            _ => s.clone(),
        })
        .collect();
    Ok(OutputPlan {
        dir: canon_dir,
        shown: dir.to_path_buf(),
        names,
        inputs,
    })
}

/// The canonical form `path` will have once created: its deepest existing
/// ancestor canonicalized, then the remaining components.
fn canonical_to_be(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing)?;
    for part in rest.iter().rev() {
        out.push(part);
    }
    Ok(out)
}

impl OutputPlan {
    /// Writes `bytes` to `name` in the output folder, atomically, unless that
    /// would overwrite an input (a recording, or a file `files` the reader
    /// used); returns the path as shown to the user.
    pub fn write(&self, name: &str, bytes: &[u8], files: &[String]) -> Result<PathBuf> {
        let path = self.dir.join(name);
        let mut used = Inputs::new();
        for f in files {
            used.add(Path::new(f));
        }
        used.refuse(&path)?;
        atomic_write::write_atomic(&path, bytes, &self.inputs)?;
        Ok(self.shown.join(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_clean_and_collisions_hashed() {
        assert_eq!(stem_of(Path::new("a/b c.csv")), "b_c");
        assert_eq!(stem_of(Path::new("..csv")), "recording");
        assert_ne!(fnv1a("a/data.csv"), fnv1a("b/data.csv"));
    }
}

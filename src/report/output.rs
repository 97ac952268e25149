//! Writing a run's files so that nothing is ever half-written: every file goes to a
//! temporary folder beside `--out`, and only when all of them are complete does that
//! folder take the place of `--out`, in one atomic exchange of the two folders
//! (Linux `renameat2(RENAME_EXCHANGE)`). Files already in `--out` that this run does
//! not rewrite (another command's results) are linked into the new folder first, so
//! nothing else is lost. A run that fails or is killed at any moment leaves either
//! the previous results whole or the new ones whole, never a mix.
//!
//! Where the exchange is not available, or `--out` holds sub-folders (it is not a
//! folder of ours alone), each file is renamed into place instead: each file is
//! still atomic, the set is not.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::OutputError;

/// Files being prepared for one output folder.
pub struct Staging {
    out: PathBuf,
    tmp: tempfile::TempDir,
    files: Vec<String>,
}

fn fail(path: &Path, e: impl std::fmt::Display) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

impl Staging {
    /// Creates the output folder if needed and a temporary folder beside it.
    pub fn new(out: &Path) -> Result<Staging, OutputError> {
        if out.exists() && !out.is_dir() {
            return Err(fail(out, "exists and is not a folder"));
        }
        fs::create_dir_all(out).map_err(|e| fail(out, e))?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let stem = out
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{stem}.partial-"))
            .tempdir_in(&parent)
            .map_err(|e| fail(&parent, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            files: Vec::new(),
        })
    }

    /// The folder results will land in.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Writes one file into the staging folder through a buffered writer.
    pub fn write<F, E>(&mut self, name: &str, body: F) -> Result<(), OutputError>
    where
        F: FnOnce(&mut BufWriter<fs::File>) -> Result<(), E>,
        E: std::fmt::Display,
    {
        let path = self.tmp.path().join(name);
        let file = fs::File::create(&path).map_err(|e| fail(&self.out.join(name), e))?;
        let mut w = BufWriter::new(file);
        body(&mut w).map_err(|e| fail(&self.out.join(name), e))?;
        // Flushed, not fsynced: a killed process leaves the page cache intact, and
        // the rename is what makes the set appear at once. An fsync per file would
        // cost more than the whole simulation and guards only against power loss.
        w.flush().map_err(|e| fail(&self.out.join(name), e))?;
        self.files.push(name.to_string());
        Ok(())
    }

    /// Writes bytes already in memory (a rendered chart).
    pub fn write_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write(name, |w| w.write_all(bytes))
    }

    /// Puts the staged files in place; returns their final paths.
    pub fn commit(self) -> Result<Vec<PathBuf>, OutputError> {
        let landed: Vec<PathBuf> = self.files.iter().map(|n| self.out.join(n)).collect();
        let entries: Vec<fs::DirEntry> = fs::read_dir(&self.out)
            .map_err(|e| fail(&self.out, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| fail(&self.out, e))?;
        let only_files = entries
            .iter()
            .all(|e| e.file_type().is_ok_and(|t| t.is_file()));
        if only_files && exchange_supported() {
            // Keep what this run does not rewrite: link it into the new folder.
            for e in &entries {
                let name = e.file_name().to_string_lossy().into_owned();
                if !self.files.contains(&name) {
                    let to = self.tmp.path().join(&name);
                    fs::hard_link(e.path(), &to)
                        .or_else(|_| fs::copy(e.path(), &to).map(|_| ()))
                        .map_err(|err| fail(&e.path(), err))?;
                }
            }
            // The old folder now sits at the temporary path and is removed with it.
            // A filesystem without the exchange falls through to per-file renames.
            if exchange(self.tmp.path(), &self.out).is_ok() {
                return Ok(landed);
            }
        }
        for (name, to) in self.files.iter().zip(&landed) {
            fs::rename(self.tmp.path().join(name), to).map_err(|e| fail(to, e))?;
        }
        Ok(landed)
    }
}

#[cfg(target_os = "linux")]
fn exchange_supported() -> bool {
    true
}

#[cfg(not(target_os = "linux"))]
fn exchange_supported() -> bool {
    false
}

/// Atomically exchanges two paths (both must exist).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call;
    // renameat2 reads them and touches no other memory of ours.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::other("atomic folder exchange is not available"))
}

/// An `io::Error` as text for `Staging::write` bodies.
pub fn io_text(e: io::Error) -> String {
    e.to_string()
}

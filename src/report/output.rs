//! Writing a run's files so that nothing is ever half-written: every file goes to a
//! temporary folder beside `--out`, and only when all of them are complete are they
//! renamed into place (a rename within one filesystem is atomic). A run that fails
//! or is killed before that leaves the previous results whole.

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
        w.flush().map_err(|e| fail(&self.out.join(name), e))?;
        w.get_ref()
            .sync_all()
            .map_err(|e| fail(&self.out.join(name), e))?;
        self.files.push(name.to_string());
        Ok(())
    }

    /// Writes bytes already in memory (a rendered chart).
    pub fn write_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write(name, |w| w.write_all(bytes))
    }

    /// Moves every staged file into the output folder.
    pub fn commit(self) -> Result<Vec<PathBuf>, OutputError> {
        let mut landed = Vec::with_capacity(self.files.len());
        for name in &self.files {
            let to = self.out.join(name);
            fs::rename(self.tmp.path().join(name), &to).map_err(|e| fail(&to, e))?;
            landed.push(to);
        }
        Ok(landed)
    }
}

/// An `io::Error` as text for `Staging::write` bodies.
pub fn io_text(e: io::Error) -> String {
    e.to_string()
}

//! The program's errors, one enum per boundary, and the exit codes they map to:
//! 2 for bad input or usage, 1 for a model error (MODEL.md: a shortfall with
//! `on_shortfall = "error"`, a share count that overflows).

use std::path::PathBuf;

use chrono::NaiveDate;

/// Something wrong with what the user gave us: a file, a key, a cell, an argument.
/// Every variant names the file and the place in it.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Toml { path: PathBuf, message: String },
    #[error("{path}: key `{key}`: {message}")]
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
    #[error("{path}: line {line}{column}: {message}", column = column.as_ref().map(|c| format!(", column `{c}`")).unwrap_or_default())]
    Csv {
        path: PathBuf,
        line: u64,
        column: Option<String>,
        message: String,
    },
    #[error("{0}")]
    Usage(String),
    /// Several problems found at once (`check` reports them all).
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<InputError>),
}

/// The model cannot go on: the terms say stop (a shortfall with `on_shortfall =
/// "error"`) or a number left its range. Names the date and the note.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "shortfall on {date}: the conversion wanted {wanted} shares but the authorized headroom is {headroom} (on_shortfall = \"error\")"
    )]
    Shortfall {
        date: NaiveDate,
        wanted: u64,
        headroom: i128,
    },
    #[error("{what} on {date}{note}: the number leaves the exact range", note = note.as_ref().map(|n| format!(" for note {n}")).unwrap_or_default())]
    Overflow {
        date: NaiveDate,
        note: Option<String>,
        what: String,
    },
}

/// A failure writing results; the previous results stay in place.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write: {message}")]
pub struct OutputError {
    pub path: PathBuf,
    pub message: String,
}

/// Everything `app` can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl Error {
    /// The process exit code: 1 for a model error, 2 for bad input, usage or an
    /// output folder that cannot be written.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Model(_) => 1,
            Error::Input(_) | Error::Output(_) => 2,
        }
    }
}

//! The one error type of this crate.

use std::io;

/// Everything that can go wrong while reading a recording.
///
/// Every variant names the file (and, where it applies, the 1-based line and
/// column) and says what was expected, so the message can be shown to a user
/// as is, e.g. `data.csv:17:3: expected a number for column "ay", found "abc"`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The operating system failed to read a file.
    #[error("{file}: {source}")]
    Io {
        /// File (or folder / zip) being read.
        file: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The file holds no data at all.
    #[error("{file}: the file is empty; expected a header row and at least 2 data rows")]
    Empty {
        /// File name.
        file: String,
    },
    /// A line exceeds the line-length limit.
    #[error(
        "{file}:{line}: line is longer than {limit} bytes; this does not look like a sensor CSV"
    )]
    LineTooLong {
        /// File name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// A line has more fields than the column limit.
    #[error("{file}:{line}: more than {limit} columns; this does not look like a sensor CSV")]
    TooManyColumns {
        /// File name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// The limit.
        limit: usize,
    },
    /// A cell that must hold a number holds something else.
    #[error("{file}:{line}:{column}: expected a number for column \"{name}\", found \"{found}\"")]
    BadNumber {
        /// File name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        column: usize,
        /// Column name from the header.
        name: String,
        /// The offending text (shortened).
        found: String,
    },
    /// A cell that must hold a time holds something else.
    #[error(
        "{file}:{line}:{column}: expected {expected} for column \"{name}\", found \"{found}\""
    )]
    BadTime {
        /// File name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        column: usize,
        /// Column name.
        name: String,
        /// What was expected.
        expected: String,
        /// The offending text (shortened).
        found: String,
    },
    /// A data row has fewer fields than the columns the reader needs.
    #[error("{file}:{line}: expected at least {expected} fields (up to column \"{name}\"), found {found}")]
    ColumnCount {
        /// File name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Fields needed.
        expected: usize,
        /// Fields found.
        found: usize,
        /// Name of the last needed column.
        name: String,
    },
    /// The header does not name the columns the reader needs.
    #[error("{file}: no {what} columns found; expected {expected}; found: {found}")]
    MissingColumns {
        /// File name.
        file: String,
        /// What is missing ("accelerometer", "time", ...).
        what: String,
        /// What the reader looks for.
        expected: String,
        /// The header names that were found.
        found: String,
    },
    /// Fewer than two usable samples.
    #[error("{file}: needs at least 2 samples, found {found}{detail}")]
    TooFewSamples {
        /// File name.
        file: String,
        /// Usable samples found.
        found: usize,
        /// Extra explanation (may be empty).
        detail: String,
    },
    /// Time jumps backwards by more than the tolerated jitter.
    #[error("{file}:{line}: time goes backwards by {by_s:.3} s (from {from_s} to {to_s}); small backwards steps (jitter, up to 1 s) are dropped, larger ones suggest several recordings in one file")]
    TimeBackwards {
        /// File name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Size of the step in seconds.
        by_s: f64,
        /// Previous time (s).
        from_s: f64,
        /// New time (s).
        to_s: f64,
    },
    /// A container (folder or zip) lacks the files a format needs.
    #[error("{file}: {message}; expected {expected}; found: {found}")]
    MissingFiles {
        /// Folder or zip.
        file: String,
        /// What is wrong.
        message: String,
        /// Files the reader looks for.
        expected: String,
        /// Files that are there.
        found: String,
    },
    /// A recognised but unsupported format, or an unrecognised file.
    #[error("{file}: {message}")]
    Unsupported {
        /// File name.
        file: String,
        /// Explanation.
        message: String,
    },
    /// Anything else that makes the input unusable (explained in `message`).
    #[error("{file}: {message}")]
    Invalid {
        /// File name.
        file: String,
        /// Explanation.
        message: String,
    },
    /// A bad option value (unit, format name, rate).
    #[error("unknown {what} \"{value}\"; expected one of: {expected}")]
    BadOption {
        /// Which option.
        what: String,
        /// The value given.
        value: String,
        /// Accepted values.
        expected: String,
    },
}

impl FormatError {
    pub(crate) fn invalid(file: &str, message: impl Into<String>) -> Self {
        FormatError::Invalid {
            file: file.to_string(),
            message: message.into(),
        }
    }
    pub(crate) fn io(file: &str, source: io::Error) -> Self {
        FormatError::Io {
            file: file.to_string(),
            source,
        }
    }
}

/// Shortens untrusted text for an error message.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let t: String = s.chars().take(MAX).collect();
        format!("{t}…")
    }
}

//! The one error type of this crate.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// An error while reading a recording, in the style of the `csv` crate:
/// small to pass around (one pointer), its [`ErrorKind`] and the file it is
/// about boxed, with the file, line and column at hand.
///
/// ```
/// use std::io::Cursor;
/// use kickback_formats::{open_reader, ErrorKind, ReadOptions};
/// let text = "t,ax,ay,az\n0,0,0,1\n0.01,0,abc,1\n";
/// let e = open_reader("d.csv", Cursor::new(text), &ReadOptions::default())
///     .and_then(|r| r.read_all())
///     .unwrap_err();
/// assert_eq!((e.file(), e.line(), e.column()), (Some("d.csv"), Some(3), Some(3)));
/// assert!(matches!(e.kind(), ErrorKind::BadNumber { .. }));
/// assert_eq!(e.to_string(), "d.csv:3:3: expected a number for column \"ay\", found \"abc\"");
/// assert_eq!(std::mem::size_of_val(&e), std::mem::size_of::<usize>());
/// ```
#[derive(Debug)]
pub struct FormatError(Box<Located>);

/// An [`ErrorKind`] and the file it is about.
#[derive(Debug)]
struct Located {
    file: Option<String>,
    kind: ErrorKind,
}

impl FormatError {
    /// An error about `file` (a file, folder, zip or `zip!entry`).
    pub(crate) fn new(file: &str, kind: ErrorKind) -> Self {
        FormatError(Box::new(Located {
            file: Some(file.to_string()),
            kind,
        }))
    }
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }
    /// What went wrong, to add to its message.
    pub(crate) fn kind_mut(&mut self) -> &mut ErrorKind {
        &mut self.0.kind
    }
    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }
    /// The file (folder, zip or `zip!entry`) the error is about; `None` for
    /// a bad option value.
    pub fn file(&self) -> Option<&str> {
        self.0.file.as_deref()
    }
    /// The 1-based line, when the error is about one.
    pub fn line(&self) -> Option<u64> {
        use ErrorKind::*;
        match self.0.kind {
            LineTooLong { line, .. }
            | TooManyColumns { line, .. }
            | BadNumber { line, .. }
            | BadTime { line, .. }
            | ColumnCount { line, .. }
            | TooManyFields { line, .. }
            | TimeBackwards { line, .. } => Some(line),
            _ => None,
        }
    }
    /// The 1-based column, when the error is about one cell.
    pub fn column(&self) -> Option<usize> {
        match self.0.kind {
            ErrorKind::BadNumber { column, .. } | ErrorKind::BadTime { column, .. } => Some(column),
            _ => None,
        }
    }
}

/// An error about no file (a bad option value).
impl From<ErrorKind> for FormatError {
    fn from(kind: ErrorKind) -> Self {
        FormatError(Box::new(Located { file: None, kind }))
    }
}

/// `file:line:column: message`, as much of the place as is known, then
/// what went wrong.
impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(file) = &self.0.file {
            f.write_str(file)?;
            if let Some(line) = self.line() {
                write!(f, ":{line}")?;
                if let Some(column) = self.column() {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        self.0.kind.fmt(f)
    }
}

impl std::error::Error for FormatError {}

/// Everything that can go wrong while reading a recording.
///
/// Each variant says what went wrong and what was expected; the
/// [`FormatError`] that holds it adds the file (and, where the variant has
/// them, the 1-based line and column), so that its message can be shown to
/// a user as is, e.g. `data.csv:17:3: expected a number for column "ay",
/// found "abc"`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The operating system failed to read a file.
    #[error("cannot read it: {error}")]
    Io {
        /// The underlying error (shown in the message once, not as a
        /// separate cause).
        error: io::Error,
    },
    /// The file holds no data at all.
    #[error("the file is empty; expected a header row and at least 2 data rows")]
    Empty,
    /// A line exceeds the line-length limit.
    #[error("line is longer than {limit} bytes; this does not look like a sensor CSV")]
    LineTooLong {
        /// 1-based line number.
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// A line has more fields than the column limit.
    #[error("more than {limit} columns; this does not look like a sensor CSV")]
    TooManyColumns {
        /// 1-based line number.
        line: u64,
        /// The limit.
        limit: usize,
    },
    /// A cell that must hold a number holds something else.
    #[error("expected a number for column \"{name}\", found \"{found}\"")]
    BadNumber {
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
    #[error("expected {expected} for column \"{name}\", found \"{found}\"")]
    BadTime {
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
    #[error("expected at least {expected} fields (up to column \"{name}\"), found {found}")]
    ColumnCount {
        /// 1-based line number.
        line: u64,
        /// Fields needed.
        expected: usize,
        /// Fields found.
        found: usize,
        /// Name of the last needed column.
        name: String,
    },
    /// Most data rows have more fields than the header has columns.
    #[error("this row has {found} fields but the header names {columns} columns (delimiter {delimiter}, decimal mark {decimal}); {advice}")]
    TooManyFields {
        /// 1-based line number of the first such row.
        line: u64,
        /// Fields in that row.
        found: usize,
        /// Columns in the header.
        columns: usize,
        /// The delimiter found, quoted (`','`, `tab`).
        delimiter: String,
        /// The decimal mark found, quoted.
        decimal: String,
        /// What to do.
        advice: String,
    },
    /// The header does not name the columns the reader needs.
    #[error("no {what} columns found; expected {expected}; found: {found}")]
    MissingColumns {
        /// What is missing ("accelerometer", "time", ...).
        what: String,
        /// What the reader looks for.
        expected: String,
        /// The header names that were found.
        found: String,
    },
    /// Fewer than two usable samples.
    #[error("needs at least 2 samples, found {found}{detail}")]
    TooFewSamples {
        /// Usable samples found.
        found: usize,
        /// Extra explanation (may be empty).
        detail: String,
    },
    /// Time jumps backwards by more than the tolerated jitter.
    #[error("time goes backwards by {} s (from {} to {}) and goes on from there; a lone sample whose time jumps and returns is dropped, and so are steps back of up to 1 s (jitter), but a clock that really runs backwards suggests several recordings in one file: split it", num(*.by_s), num(*.from_s), num(*.to_s))]
    TimeBackwards {
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
    #[error("{message}; expected {expected}; found: {found}")]
    MissingFiles {
        /// What is wrong.
        message: String,
        /// Files the reader looks for.
        expected: String,
        /// Files that are there.
        found: String,
    },
    /// A recognised but unsupported format, or an unrecognised file.
    #[error("{message}")]
    Unsupported {
        /// Explanation.
        message: String,
    },
    /// The file was read, but its data cannot be analysed as it is: too slow
    /// a sample rate, or values that contradict their unit (`message` says
    /// what was found and what to do).
    #[error("{message}")]
    Unusable {
        /// What makes it unusable.
        reason: UnusableReason,
        /// What was found and what to do.
        message: String,
    },
    /// Anything else that makes the input unusable (explained in `message`).
    #[error("{message}")]
    Invalid {
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

/// Why a file that was read cannot be analysed ([`ErrorKind::Unusable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnusableReason {
    /// The median sample rate is below the 12.5 Hz the analysis needs.
    SampleRate,
    /// The accelerometer's values contradict its unit (gravity removed, g
    /// read as m/s², raw counts).
    AccelerometerUnit,
    /// The gyroscope turns faster than a leg can in its unit (deg/s read as
    /// rad/s).
    GyroscopeUnit,
}

impl FormatError {
    pub(crate) fn unusable(file: &str, reason: UnusableReason, message: impl Into<String>) -> Self {
        let message = message.into();
        FormatError::new(file, ErrorKind::Unusable { reason, message })
    }
    pub(crate) fn invalid(file: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        FormatError::new(file, ErrorKind::Invalid { message })
    }
    pub(crate) fn io(file: &str, error: io::Error) -> Self {
        FormatError::new(file, ErrorKind::Io { error })
    }
}

/// A number for a message: 3 decimals in the everyday range, scientific
/// notation outside it, so that no value (1e300, 5e-9) prints as a wall of
/// digits.
///
/// ```ignore
/// assert_eq!(num(1.5), "1.500");
/// assert_eq!(num(1e300), "1.000e300");
/// ```
pub(crate) fn num(x: f64) -> String {
    let a = x.abs();
    if !x.is_finite() || a == 0.0 || (1e-3..1e9).contains(&a) {
        format!("{x:.3}")
    } else {
        format!("{x:.3e}")
    }
}

/// Text from a file or the file system (a name, a cell, a header) made safe
/// to print: every control character (ESC, BEL, CR, tab, newline, DEL, C1)
/// escaped as `\x1b` below 0x80 and `\u{9b}` above, so that text from a
/// file never drives a terminal. Every message of this crate quotes file
/// content through it, and so does everything the `kickback` command prints.
///
/// ```
/// use std::borrow::Cow;
/// use kickback_formats::escape;
/// assert_eq!(escape("a\x1b[2Jb\x07\r\u{9b}"), "a\\x1b[2Jb\\x07\\x0d\\u{9b}");
/// assert!(matches!(escape("plain ° text"), Cow::Borrowed(_)));
/// ```
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        let n = c as u32;
        match c {
            _ if c.is_control() && n < 0x80 => {
                let _ = write!(out, "\\x{n:02x}");
            }
            _ if c.is_control() => {
                let _ = write!(out, "\\u{{{n:x}}}");
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Shortens untrusted text for an error message.
/// At most [`QUOTE_CHARS`] characters, control characters escaped.
pub(crate) fn shorten(s: &str) -> String {
    let n = s.chars().count();
    if n <= QUOTE_CHARS {
        escape(s).into_owned()
    } else {
        let t: String = s.chars().take(QUOTE_CHARS).collect();
        format!("{}… ({n} characters)", escape(&t))
    }
}

/// Names joined with ", ", each shortened, the whole at most about
/// [`QUOTE_CHARS`] characters, then how many there are.
pub(crate) fn short_list<S: AsRef<str>>(names: impl Iterator<Item = S>) -> String {
    let mut out = String::new();
    let mut total = 0usize;
    let mut shown = 0usize;
    for n in names {
        total += 1;
        if out.chars().count() < QUOTE_CHARS {
            let n = n.as_ref();
            let s = if n.chars().count() > 30 {
                let t: String = n.chars().take(30).collect();
                format!("{}…", escape(&t))
            } else {
                escape(n).into_owned()
            };
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&s);
            shown += 1;
        }
    }
    if total > shown {
        out.push_str(&format!(", … ({total} in all)"));
    }
    if out.is_empty() {
        out.push_str("(nothing)");
    }
    out
}

/// Most characters of file content quoted in a message.
pub(crate) const QUOTE_CHARS: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_quotes_stay_short() {
        for (x, want) in [
            (1.5, "1.500"),
            (0.0, "0.000"),
            (-2.25, "-2.250"),
            (1e300, "1.000e300"),
            (5e-9, "5.000e-9"),
            (f64::MAX, "1.798e308"),
        ] {
            assert_eq!(num(x), want);
        }
        let long = "x".repeat(500_000);
        assert!(shorten(&long).len() < 130);
        assert_eq!(shorten("a\u{1b}[2Jb"), "a\\x1b[2Jb");
        assert_eq!(shorten("a\nb"), "a\\x0ab");
    }
}

//! Bounded line reading from large chunks of raw bytes.

use super::*;

/// Bytes requested from the input at a time (the line buffer's first size).
pub(crate) const CHUNK_BYTES: usize = 128 * 1024;

/// Reads lines with a hard length cap, `\r` and BOM stripped, from large
/// chunks of raw bytes.
///
/// Lines are handed out as byte slices of one reused buffer ([`Self::line`]),
/// so the data rows of a big file are read without allocating;
/// [`Self::next_line_string`] gives the same line as lossy UTF-8 text. The
/// buffer holds the current line, the looked-ahead one and a chunk: it grows
/// only for lines longer than a chunk and never beyond about twice the line
/// cap, whatever the file size.
pub(crate) struct LineReader {
    name: String,
    inner: Box<dyn Read>,
    /// Bytes read; valid up to `end`.
    buf: Vec<u8>,
    /// First byte not yet handed out as part of a line.
    pos: usize,
    end: usize,
    line_no: u64,
    /// Byte range of the line last returned by [`Self::next_line`].
    cur: (usize, usize),
    /// The line after it when [`Self::at_end`] looked ahead: (number, range),
    /// or `None` at the end of the input.
    peeked: Option<Option<(u64, usize, usize)>>,
}

impl LineReader {
    pub fn new(name: &str, r: Box<dyn Read>) -> Self {
        Self::with_chunk(name, r, CHUNK_BYTES)
    }

    /// A reader whose buffer starts at `chunk` bytes (tests use tiny ones).
    pub fn with_chunk(name: &str, r: Box<dyn Read>, chunk: usize) -> Self {
        LineReader {
            name: name.to_string(),
            inner: r,
            buf: vec![0; chunk.max(1)],
            pos: 0,
            end: 0,
            line_no: 0,
            cur: (0, 0),
            peeked: None,
        }
    }

    /// Moves the bytes still needed (from the current line on) to the front
    /// of the buffer, grows it when it is full, and reads once more. Returns
    /// how far the bytes moved and how many bytes were read (0: end of input).
    fn fill(&mut self) -> Result<(usize, usize), FormatError> {
        let keep = self.cur.0.min(self.pos);
        if keep > 0 {
            self.buf.copy_within(keep..self.end, 0);
            self.end -= keep;
            self.pos -= keep;
            self.cur.0 -= keep;
            self.cur.1 -= keep;
        }
        if self.end == self.buf.len() {
            // only for lines longer than the buffer; bounded by the line cap
            let n = self.buf.len() * 2;
            self.buf.resize(n, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(n) => {
                    self.end += n;
                    return Ok((keep, n));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(FormatError::io(&self.name, e)),
            }
        }
    }

    fn too_long(&self) -> FormatError {
        FormatError::new(
            &self.name,
            ErrorKind::LineTooLong {
                line: self.line_no + 1,
                limit: MAX_LINE_BYTES,
            },
        )
    }

    /// Finds the next line: (number, byte range in `buf`), or `None` at the end.
    fn read_raw(&mut self) -> Result<Option<(u64, usize, usize)>, FormatError> {
        let mut scan = self.pos;
        let line_end = loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[scan..self.end]) {
                let nl = scan + i;
                // the line with its '\n' may be MAX_LINE_BYTES + 1 bytes long
                if nl - self.pos > MAX_LINE_BYTES {
                    return Err(self.too_long());
                }
                break nl;
            }
            if self.end - self.pos > MAX_LINE_BYTES + 1 {
                return Err(self.too_long());
            }
            let searched = self.end;
            let (moved, n) = self.fill()?;
            if n == 0 {
                if self.end == self.pos {
                    return Ok(None);
                }
                break self.end;
            }
            scan = searched - moved;
        };
        let mut start = self.pos;
        self.pos = (line_end + 1).min(self.end);
        let mut e = line_end;
        while e > start && self.buf[e - 1] == b'\r' {
            e -= 1;
        }
        self.line_no += 1;
        if self.line_no == 1 && self.buf[start..e].starts_with(b"\xEF\xBB\xBF") {
            start += 3;
        }
        Ok(Some((self.line_no, start, e)))
    }

    /// Advances to the next line and returns its 1-based number (the bytes
    /// are in [`Self::line`]), or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<u64>, FormatError> {
        let l = match self.peeked.take() {
            Some(p) => p,
            None => {
                // the previous line is no longer needed
                self.cur = (self.pos, self.pos);
                self.read_raw()?
            }
        };
        Ok(l.map(|(n, s, e)| {
            self.cur = (s, e);
            n
        }))
    }

    /// The bytes of the line last returned by [`Self::next_line`] (without
    /// `\n`, trailing `\r` or BOM); valid until the next `next_line`.
    pub fn line(&self) -> &[u8] {
        &self.buf[self.cur.0..self.cur.1]
    }

    /// The buffered bytes after the current line, for callers that parse
    /// whole lines in place ([`parse_plain_line`]) and then [`Self::consume`]
    /// them. Empty while a line is looked ahead ([`Self::at_end`]) and
    /// before the first line (whose BOM [`Self::next_line`] strips).
    #[inline]
    pub fn rest(&self) -> &[u8] {
        if self.peeked.is_some() || self.line_no == 0 {
            return &[];
        }
        &self.buf[self.pos..self.end]
    }

    /// Marks the first `bytes` bytes of [`Self::rest`] as read: `lines`
    /// whole lines, each with its `\n` (at least one: with nothing to
    /// consume there may be a looked-ahead line). The current line is then
    /// empty.
    #[inline]
    pub fn consume(&mut self, bytes: usize, lines: u64) {
        debug_assert!(self.peeked.is_none() && lines > 0 && bytes <= self.end - self.pos);
        self.pos += bytes;
        self.line_no += lines;
        self.cur = (self.pos, self.pos);
    }

    /// Number of the last line handed out (or consumed).
    #[inline]
    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    /// Next line as (lossy UTF-8) text with its 1-based number, or `None`.
    pub fn next_line_string(&mut self) -> Result<Option<(u64, String)>, FormatError> {
        Ok(self
            .next_line()?
            .map(|n| (n, String::from_utf8_lossy(self.line()).into_owned())))
    }

    /// True when no line follows (the current line stays valid).
    pub fn at_end(&mut self) -> Result<bool, FormatError> {
        if self.peeked.is_none() {
            let l = self.read_raw()?;
            self.peeked = Some(l);
        }
        Ok(matches!(self.peeked, Some(None)))
    }
}

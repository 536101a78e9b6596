//! Bounded line reading, field splitting and number / date parsing.

use crate::error::{shorten, FormatError};
use std::io::Read;

/// Longest accepted line in bytes (1 MiB).
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Most columns accepted in one row.
pub const MAX_COLUMNS: usize = 4096;

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
        FormatError::LineTooLong {
            file: self.name.clone(),
            line: self.line_no + 1,
            limit: MAX_LINE_BYTES,
        }
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

/// Splits a line into trimmed fields; double quotes group, `""` escapes.
pub(crate) fn split_fields(
    line: &str,
    delim: char,
    file: &str,
    line_no: u64,
) -> Result<Vec<String>, FormatError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_q = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if in_q {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    in_q = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' {
            in_q = true;
        } else if c == delim {
            out.push(std::mem::take(&mut cur).trim().to_string());
            if out.len() >= MAX_COLUMNS {
                return Err(FormatError::TooManyColumns {
                    file: file.to_string(),
                    line: line_no,
                    limit: MAX_COLUMNS,
                });
            }
        } else {
            cur.push(c);
        }
    }
    out.push(cur.trim().to_string());
    Ok(out)
}

/// Counts a delimiter outside quotes.
fn count_outside_quotes(line: &str, d: char) -> usize {
    let mut in_q = false;
    let mut n = 0;
    for c in line.chars() {
        if c == '"' {
            in_q = !in_q;
        } else if c == d && !in_q {
            n += 1;
        }
    }
    n
}

/// Picks `,` `;` or tab: the candidate that occurs most often in the header
/// line (ties broken by tab, then `;`, then `,`, and by consistency over the
/// following sample lines).
pub(crate) fn sniff_delimiter(header: &str, data: &[String]) -> char {
    let mut best = (',', 0usize, 0usize);
    for d in [',', ';', '\t'] {
        let n = count_outside_quotes(header, d);
        let consistent = data
            .iter()
            .filter(|l| !l.trim().is_empty())
            .filter(|l| count_outside_quotes(l, d) >= n.max(1).saturating_sub(1))
            .count();
        if n > best.1 || (n == best.1 && n > 0 && consistent >= best.2) {
            best = (d, n, consistent);
        }
    }
    best.0
}

/// True when data lines use a decimal comma (only with `;` or tab).
pub(crate) fn sniff_decimal_comma(delim: char, data: &[String]) -> bool {
    if delim == ',' {
        return false;
    }
    let mut comma = 0;
    let mut dot = 0;
    for l in data {
        for f in l.split(delim) {
            let f = f.trim();
            if looks_decimal_comma(f) {
                comma += 1;
            } else if f.contains('.') && parse_f64(f).is_some() {
                dot += 1;
            }
        }
    }
    comma > dot
}

fn looks_decimal_comma(f: &str) -> bool {
    let f = f.strip_prefix('-').unwrap_or(f);
    let mut parts = f.splitn(2, ',');
    let a = parts.next().unwrap_or("");
    let b = match parts.next() {
        Some(b) => b,
        None => return false,
    };
    !a.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && {
        let mant = b.split(['E', 'e']).next().unwrap_or("");
        !mant.is_empty() && mant.bytes().all(|c| c.is_ascii_digit())
    }
}

/// Parses a float (scientific notation allowed); `None` when it is not one.
pub(crate) fn parse_f64(s: &str) -> Option<f64> {
    parse_f64_bytes(s.trim().as_bytes())
}

/// [`parse_f64`] of a trimmed field: at most 64 bytes, one optional leading
/// `+`, then only digits, `.`, `+`, `-`, `e`, `E` in Rust's float syntax
/// (`1.5E-3`, `-0`, `.5`, `1.`, `1e5`; not `inf`/`nan`, which the caller
/// treats as missing values). Correctly rounded, like `str::parse`.
#[inline]
pub(crate) fn parse_f64_bytes(s: &[u8]) -> Option<f64> {
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let s = s.strip_prefix(b"+").unwrap_or(s);
    if !s
        .iter()
        .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    fast_float2::parse::<f64, _>(s).ok()
}

/// Whitespace that `str::trim` removes, among ASCII bytes.
#[inline]
fn is_trim_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// `str::trim` of an ASCII field.
#[inline]
pub(crate) fn trim_ascii_field(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if is_trim_ws(*first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if is_trim_ws(*last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// `String::from_utf8_lossy(line).trim().is_empty()`, without converting
/// ASCII lines.
pub(crate) fn is_blank_line(line: &[u8]) -> bool {
    match line.iter().position(|&b| !is_trim_ws(b)) {
        None => true,
        Some(i) if line[i] < 0x80 => false,
        Some(_) => String::from_utf8_lossy(line).trim().is_empty(),
    }
}

/// How [`split_ascii`] split a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    /// Field ranges index the line itself.
    Plain,
    /// The line had quotes: field ranges index the unquoted copy in `scratch`.
    Quoted,
    /// The line is not ASCII: nothing was split; use [`split_fields`].
    NonAscii,
}

/// [`split_fields`] of an ASCII line without allocating: pushes the byte
/// range of each (untrimmed) field to `ranges`. Lines with quotes are copied
/// unquoted into `scratch` (same rules: quotes group, `""` escapes). Non-ASCII
/// lines are left to [`split_fields`], which trims Unicode whitespace.
pub(crate) fn split_ascii(
    line: &[u8],
    delim: u8,
    scratch: &mut Vec<u8>,
    ranges: &mut Vec<(usize, usize)>,
    file: &str,
    line_no: u64,
) -> Result<Split, FormatError> {
    debug_assert!(delim.is_ascii() && delim != b'"');
    ranges.clear();
    let mut high = 0u8;
    let mut quotes = false;
    for &b in line {
        high |= b;
        quotes |= b == b'"';
    }
    if high >= 0x80 {
        return Ok(Split::NonAscii);
    }
    let too_many = || FormatError::TooManyColumns {
        file: file.to_string(),
        line: line_no,
        limit: MAX_COLUMNS,
    };
    if !quotes {
        let mut start = 0;
        for i in memchr::memchr_iter(delim, line) {
            ranges.push((start, i));
            if ranges.len() >= MAX_COLUMNS {
                return Err(too_many());
            }
            start = i + 1;
        }
        ranges.push((start, line.len()));
        return Ok(Split::Plain);
    }
    scratch.clear();
    let mut in_q = false;
    let mut start = 0;
    let mut i = 0;
    while i < line.len() {
        let c = line[i];
        if in_q {
            if c == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    scratch.push(b'"');
                    i += 1;
                } else {
                    in_q = false;
                }
            } else {
                scratch.push(c);
            }
        } else if c == b'"' {
            in_q = true;
        } else if c == delim {
            ranges.push((start, scratch.len()));
            if ranges.len() >= MAX_COLUMNS {
                return Err(too_many());
            }
            start = scratch.len();
        } else {
            scratch.push(c);
        }
        i += 1;
    }
    ranges.push((start, scratch.len()));
    Ok(Split::Quoted)
}

/// Missing-value spellings (compared ignoring ASCII case).
const MISSING: [&str; 11] = [
    "nan",
    "-nan",
    "null",
    "none",
    "na",
    "n/a",
    "inf",
    "-inf",
    "infinity",
    "-infinity",
    "-",
];

/// A cell value.
pub(crate) enum Cell {
    Num(f64),
    Missing,
    Bad,
}

/// Parses a numeric cell: numbers, or missing markers (`""`, `NaN`, `null`,
/// `inf`...); anything else is `Bad`.
pub(crate) fn parse_cell(s: &str, decimal_comma: bool) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        return Cell::Missing;
    }
    let owned;
    let t = if decimal_comma && t.contains(',') {
        owned = t.replacen(',', ".", 1);
        owned.as_str()
    } else {
        t
    };
    match parse_f64(t) {
        Some(v) if v.is_finite() => Cell::Num(v),
        Some(_) => Cell::Missing,
        None => {
            let l = t.to_ascii_lowercase();
            if MISSING.contains(&l.as_str()) {
                Cell::Missing
            } else {
                Cell::Bad
            }
        }
    }
}

/// [`parse_cell`] of an ASCII field (untrimmed), without allocating.
#[inline]
pub(crate) fn parse_cell_bytes(s: &[u8], decimal_comma: bool) -> Cell {
    let t = trim_ascii_field(s);
    if t.is_empty() {
        return Cell::Missing;
    }
    let mut tmp = [0u8; 64];
    let t = if decimal_comma {
        match memchr::memchr(b',', t) {
            // longer than any number or missing marker
            Some(_) if t.len() > tmp.len() => return Cell::Bad,
            Some(i) => {
                tmp[..t.len()].copy_from_slice(t);
                tmp[i] = b'.';
                &tmp[..t.len()]
            }
            None => t,
        }
    } else {
        t
    };
    match parse_f64_bytes(t) {
        Some(v) if v.is_finite() => Cell::Num(v),
        Some(_) => Cell::Missing,
        None => {
            if t.len() <= 9 && MISSING.iter().any(|m| t.eq_ignore_ascii_case(m.as_bytes())) {
                Cell::Missing
            } else {
                Cell::Bad
            }
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Parses `YYYY-MM-DD hh:mm:ss(.fff)` / `YYYY-MM-DDThh:mm:ss.fff` /
/// `YYYY-MM-DDThh.mm.ss.fff` (MetaWear) as seconds since 1970 of that wall
/// clock (no zone).
pub(crate) fn parse_datetime(s: &str) -> Option<f64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b' ' || b[10] == b'T') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    if !matches!(b[13], b':' | b'.') || !matches!(b[16], b':' | b'.') {
        return None;
    }
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut frac = 0.0;
    if b.len() > 19 {
        if !matches!(b[19], b'.' | b',' | b':') {
            return None;
        }
        let f = &s[20..];
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        frac = f.parse::<f64>().ok()? / 10f64.powi(f.len() as i32);
    }
    Some((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) as f64 + frac)
}

/// A header name split into a unit (from `(...)` or `[...]`) and lower-case
/// alphanumeric tokens (camelCase, `_`, `.`, `-`, space all split).
#[derive(Debug, Clone)]
pub(crate) struct HeaderName {
    pub raw: String,
    pub unit: Option<String>,
    pub tokens: Vec<String>,
}

impl HeaderName {
    pub fn parse(raw: &str) -> HeaderName {
        let raw_t = raw.trim().trim_start_matches('\'').to_string();
        let mut unit = None;
        let mut base = String::new();
        let mut depth = 0;
        let mut cur_unit = String::new();
        for c in raw_t.chars() {
            match c {
                '(' | '[' => {
                    depth += 1;
                    cur_unit.clear();
                }
                ')' | ']' => {
                    if depth > 0 {
                        depth -= 1;
                        unit = Some(cur_unit.trim().to_string());
                    }
                    base.push(' ');
                }
                _ if depth > 0 => cur_unit.push(c),
                _ => base.push(c),
            }
        }
        let mut tokens = Vec::new();
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in base.chars() {
            if c.is_ascii_alphanumeric() {
                if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                cur.push(c.to_ascii_lowercase());
            } else {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                prev_lower = false;
            }
        }
        if !cur.is_empty() {
            tokens.push(cur);
        }
        HeaderName {
            raw: raw_t,
            unit,
            tokens,
        }
    }

    /// Tokens joined without separators.
    pub fn joined(&self) -> String {
        self.tokens.concat()
    }
}

/// Shortened found-text for errors.
pub(crate) fn found(s: &str) -> String {
    shorten(s.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime() {
        assert_eq!(parse_datetime("1970-01-01 00:00:01.500"), Some(1.5));
        assert_eq!(
            parse_datetime("2019-01-15T20:04:09.161").map(|v| (v * 1000.0).round()),
            Some(1547582649161.0)
        );
        assert!(parse_datetime("2022-08-05T15.26.13.153").is_some());
        assert!(parse_datetime("2022-13-05 15:26:13").is_none());
        assert!(parse_datetime("abc").is_none());
    }

    #[test]
    fn header_names() {
        let h = HeaderName::parse("accX");
        assert_eq!(h.tokens, vec!["acc", "x"]);
        let h = HeaderName::parse("gyro_x[deg/s]");
        assert_eq!(h.unit.as_deref(), Some("deg/s"));
        assert_eq!(h.tokens, vec!["gyro", "x"]);
        let h = HeaderName::parse("accelerometerAccelerationX(G)");
        assert_eq!(h.joined(), "accelerometeraccelerationx");
        assert_eq!(h.unit.as_deref(), Some("G"));
        let h = HeaderName::parse("Shimmer_40AC_Accel_LN_X_CAL");
        assert_eq!(
            h.tokens,
            vec!["shimmer", "40", "ac", "accel", "ln", "x", "cal"]
        );
    }

    #[test]
    fn cells() {
        assert!(matches!(parse_cell("9.783166664E-3", false), Cell::Num(_)));
        assert!(matches!(parse_cell("0,5", true), Cell::Num(v) if v == 0.5));
        assert!(matches!(parse_cell("NaN", false), Cell::Missing));
        assert!(matches!(parse_cell("abc", false), Cell::Bad));
        assert!(matches!(parse_cell("inf", false), Cell::Missing));
    }

    #[test]
    fn delimiters() {
        assert_eq!(
            sniff_delimiter("time;gFx;gFy;", &["0,1;0,2;0,3;".into()]),
            ';'
        );
        assert_eq!(sniff_delimiter("t,ax,ay,az", &[]), ',');
        assert_eq!(sniff_delimiter("t\tax\tay\taz", &[]), '\t');
        assert!(sniff_decimal_comma(';', &["0,1;0,2;0,3;".into()]));
    }
}

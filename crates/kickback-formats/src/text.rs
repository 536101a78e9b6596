//! Bounded line reading, field splitting and number / date parsing.

use crate::error::{shorten, ErrorKind, FormatError};
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
        FormatError::from(ErrorKind::LineTooLong {
            file: self.name.clone(),
            line: self.line_no + 1,
            limit: MAX_LINE_BYTES,
        })
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
                return Err(FormatError::from(ErrorKind::TooManyColumns {
                    file: file.to_string(),
                    line: line_no,
                    limit: MAX_COLUMNS,
                }));
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
#[inline(always)]
pub(crate) fn parse_f64_bytes(s: &[u8]) -> Option<f64> {
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let s = s.strip_prefix(b"+").unwrap_or(s);
    match parse_plain_decimal(s) {
        Some(v) => Some(v),
        None => parse_general(s),
    }
}

/// Everything [`parse_plain_decimal`] leaves: exponents, long mantissas,
/// and text that is not a number.
#[inline(never)]
fn parse_general(s: &[u8]) -> Option<f64> {
    if !s
        .iter()
        .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    fast_float2::parse::<f64, _>(s).ok()
}

/// Powers of ten up to one 8-digit step, for the integer digit runs.
const POW10_U64: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// Powers of ten that are exact in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The common case of sensor exports, `-?\d*(\.\d*)?` with 1 to 19 digits,
/// when it is exact by Clinger's fast path: the digits as an integer
/// `m ≤ 2^53` and at most 22 decimals, so `m / 10^k` is one correctly rounded
/// IEEE division of two exact values — the same `f64` as `str::parse`.
/// `None` for anything else (other syntax is left to the full parser).
#[inline(always)]
fn parse_plain_decimal(s: &[u8]) -> Option<f64> {
    let (neg, s) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    let mut m: u64 = 0;
    let mut i = 0;
    while i < s.len() {
        let d = s[i].wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        m = m.wrapping_mul(10).wrapping_add(d as u64);
        i += 1;
    }
    let int_digits = i;
    let mut decimals = 0;
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let f0 = i;
        while i < s.len() {
            let d = s[i].wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            m = m.wrapping_mul(10).wrapping_add(d as u64);
            i += 1;
        }
        decimals = i - f0;
    }
    let digits = int_digits + decimals;
    // ≤ 19 digits cannot overflow the u64
    if i != s.len() || digits == 0 || digits > 19 || m > (1 << 53) || decimals >= POW10.len() {
        return None;
    }
    let v = if decimals == 0 {
        m as f64
    } else {
        m as f64 / POW10[decimals]
    };
    Some(if neg { -v } else { v })
}

/// Most columns a row may need for [`parse_plain_row`].
pub(crate) const PLAIN_ROW_COLUMNS: usize = 16;

/// The whole-row fast path: parses the first `needed` fields of an
/// unquoted line in one pass, storing the columns flagged in `want` (bit
/// `i` for column `i`) into `vals`. Every wanted field must be a plain
/// decimal exactly between delimiters (no spaces, exponent or missing
/// value), and the line must have at least `needed` fields and be shorter
/// than [`MAX_COLUMNS`] bytes (so it cannot have too many columns). Then
/// the values are those [`split_fields`] + [`parse_cell`] give, and `true`
/// is returned; otherwise `false` and the caller takes the general path.
///
/// Fields after the `needed` ones are not looked at: they cannot change the
/// earlier fields (a quote only groups what follows it) nor make the row
/// shorter.
#[inline]
pub(crate) fn parse_plain_row(
    line: &[u8],
    delim: u8,
    needed: usize,
    want: u32,
    vals: &mut [f64; PLAIN_ROW_COLUMNS],
) -> bool {
    debug_assert!(needed <= PLAIN_ROW_COLUMNS && delim != b'"');
    if line.len() >= MAX_COLUMNS || needed == 0 {
        return false;
    }
    let n = line.len();
    let mut i = 0;
    for (col, val) in vals.iter_mut().enumerate().take(needed) {
        if want & (1 << col) != 0 {
            match plain_number(line, i) {
                Some((v, end)) => {
                    *val = v;
                    i = end;
                }
                None => return false,
            }
        } else {
            while i < n && line[i] != delim {
                if line[i] == b'"' {
                    return false;
                }
                i += 1;
            }
        }
        if i < n {
            if line[i] != delim {
                return false;
            }
            i += 1;
        } else if col + 1 < needed {
            // fewer fields than needed
            return false;
        }
    }
    true
}

/// [`parse_plain_row`] of the line at the start of `buf`, found and parsed
/// in one pass: `buf` holds the line, its `\n` and possibly more lines.
///
/// Returns the length of the line with its `\n` when the line, without its
/// trailing `\r`s, is one [`parse_plain_row`] accepts (then `vals` holds the
/// same values), and `None` otherwise, also when `buf` holds no `\n` or the
/// line is [`MAX_COLUMNS`] bytes or longer: the caller then reads the line
/// the general way.
#[inline]
pub(crate) fn parse_plain_line(
    buf: &[u8],
    delim: u8,
    needed: usize,
    want: u32,
    vals: &mut [f64; PLAIN_ROW_COLUMNS],
) -> Option<usize> {
    debug_assert!(needed <= PLAIN_ROW_COLUMNS && !matches!(delim, b'"' | b'\r' | b'\n'));
    if needed == 0 {
        return None;
    }
    let n = buf.len();
    let mut i = 0;
    for (col, val) in vals.iter_mut().enumerate().take(needed) {
        if want & (1 << col) != 0 {
            let (v, end) = plain_number(buf, i)?;
            *val = v;
            i = end;
        } else {
            // a field that is not read (its '\r's are field text unless
            // they end the line, which the '\n' check below settles)
            while i < n && buf[i] != delim && buf[i] != b'\n' {
                if buf[i] == b'"' {
                    return None;
                }
                i += 1;
            }
        }
        if i >= n {
            return None;
        }
        if buf[i] == delim {
            i += 1;
            if col + 1 == needed {
                // the fields after the needed ones are not looked at
                let lim = n.min(MAX_COLUMNS);
                i += memchr::memchr(b'\n', buf.get(i..lim)?)?;
                break;
            }
            continue;
        }
        // otherwise only the end of the line may follow: `\r`s, then '\n'
        while i < n && buf[i] == b'\r' {
            i += 1;
        }
        if i >= n || buf[i] != b'\n' || col + 1 < needed {
            return None;
        }
        break;
    }
    // `i` is at the '\n'; the line with its '\r's is at most this long
    if i >= MAX_COLUMNS {
        return None;
    }
    Some(i + 1)
}

/// The plain decimal `-?\d*(\.\d*)?` that starts at `buf[i]` and ends at
/// the first byte that cannot continue it: its value and that byte's index.
/// `None` when it is not one [`parse_plain_decimal`] accepts (no digits,
/// more than 19, or not exact by Clinger's fast path); then the value is
/// the same as that function's for the same bytes.
///
/// Eight bytes at a time where `buf` allows; the chunk holding the decimal
/// point is read with the point squeezed out, so that `d.dddddd` takes one
/// 8-digit step instead of two.
#[inline(always)]
fn plain_number(buf: &[u8], mut i: usize) -> Option<(f64, usize)> {
    let n = buf.len();
    let neg = i < n && buf[i] == b'-';
    i += neg as usize;
    let s0 = i;
    let mut m: u64 = 0;
    let int_digits;
    let mut decimals = 0;
    loop {
        let Some(x) = load8(buf, i) else {
            // near the end of `buf`: byte by byte
            i = digit_run(buf, i, &mut m);
            int_digits = i - s0;
            if i < n && buf[i] == b'.' {
                i += 1;
                let f0 = i;
                i = digit_run(buf, i, &mut m);
                decimals = i - f0;
            }
            break;
        };
        let k = leading_digits(x);
        if k == 8 {
            m = m
                .wrapping_mul(POW10_U64[8])
                .wrapping_add(parse_digits_swar(x, 8));
            i += 8;
            continue;
        }
        int_digits = i + k - s0;
        if (x >> (8 * k)) as u8 == b'.' {
            if let Some(y) = load8(buf, i + 1) {
                // the k integer digits, then the bytes after the point
                let low = (1u64 << (8 * k)) - 1;
                let z = (x & low) | (y & !low);
                let k2 = leading_digits(z);
                if k2 > 0 {
                    m = m
                        .wrapping_mul(POW10_U64[k2])
                        .wrapping_add(parse_digits_swar(z, k2));
                }
                i += 1 + k2;
                decimals = k2 - k;
                if k2 == 8 {
                    let f0 = i;
                    i = digit_run(buf, i, &mut m);
                    decimals += i - f0;
                }
                break;
            }
        }
        if k > 0 {
            m = m
                .wrapping_mul(POW10_U64[k])
                .wrapping_add(parse_digits_swar(x, k));
        }
        i += k;
        if i < n && buf[i] == b'.' {
            i += 1;
            let f0 = i;
            i = digit_run(buf, i, &mut m);
            decimals = i - f0;
        }
        break;
    }
    let digits = int_digits + decimals;
    // 1 to 19 digits (so no overflow of the u64; see parse_plain_decimal),
    // and then fewer than 23 decimals
    if digits.wrapping_sub(1) >= 19 || m > (1 << 53) {
        return None;
    }
    // m / 10^0 is m exactly
    let v = m as f64 / *POW10.get(decimals)?;
    Some((if neg { -v } else { v }, i))
}

/// The 8 bytes at `buf[i..]` as a little-endian word, if there are 8.
#[inline(always)]
fn load8(buf: &[u8], i: usize) -> Option<u64> {
    let c = buf.get(i..i.checked_add(8)?)?;
    Some(u64::from_le_bytes(c.try_into().ok()?))
}

/// Reads the digits from `line[i..]` into `m` (`m = m·10^k + digits`,
/// wrapping; callers reject more than 19 digits) and returns the index of
/// the first non-digit. Eight bytes at a time where the line allows.
#[inline(always)]
fn digit_run(line: &[u8], mut i: usize, m: &mut u64) -> usize {
    while let Some(c) = line.get(i..i + 8) {
        let x = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        let k = leading_digits(x);
        if k > 0 {
            *m = m
                .wrapping_mul(POW10_U64[k])
                .wrapping_add(parse_digits_swar(x, k));
            i += k;
        }
        if k < 8 {
            return i;
        }
    }
    while i < line.len() {
        let d = line[i].wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *m = m.wrapping_mul(10).wrapping_add(d as u64);
        i += 1;
    }
    i
}

/// How many of the 8 bytes of `x` (first byte lowest) are ASCII digits
/// before the first that is not.
#[inline(always)]
fn leading_digits(x: u64) -> usize {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    // a byte b is a digit iff b & 0xF0 == 0x30 and (b + 6) & 0xF0 == 0x30; a
    // carry out of a byte ≥ 0xFA only disturbs the bytes after it, and that
    // byte already counts as a non-digit
    let not_digit = ((x & HIGH_NIBBLES) ^ ZEROS)
        | ((x.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES) ^ ZEROS);
    (not_digit.trailing_zeros() / 8) as usize
}

/// The value of the first `k` (1..=8) bytes of `x`, all ASCII digits, the
/// first byte the most significant.
#[inline(always)]
fn parse_digits_swar(x: u64, k: usize) -> u64 {
    debug_assert!((1..=8).contains(&k));
    // digit values of the first k bytes, moved up so that the leading bytes
    // are zero digits
    let keep = u64::MAX >> (64 - 8 * k);
    let v = (x.wrapping_sub(0x3030_3030_3030_3030) & keep) << (64 - 8 * k);
    // pairs, then quadruples, then all eight (each step fits its lanes)
    let v = v.wrapping_mul(10).wrapping_add(v >> 8) & 0x00FF_00FF_00FF_00FF;
    let v = v.wrapping_mul(100).wrapping_add(v >> 16) & 0x0000_FFFF_0000_FFFF;
    v.wrapping_mul(10_000).wrapping_add(v >> 32) & 0xFFFF_FFFF
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
    // One pass, 8 bytes at a time: delimiter positions, and whether the line
    // has quotes or non-ASCII bytes (then the work is redone below).
    let mut high = 0u64;
    let mut quotes = 0u64;
    let mut start = 0;
    let mut chunks = line.chunks_exact(8);
    let mut off = 0;
    for c in chunks.by_ref() {
        let x = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        high |= x;
        quotes |= byte_eq_mask(x, b'"');
        let mut m = byte_eq_mask(x, delim);
        while m != 0 {
            let k = off + (m.trailing_zeros() / 8) as usize;
            ranges.push((start, k));
            start = k + 1;
            m &= m - 1;
        }
        if ranges.len() >= MAX_COLUMNS {
            break;
        }
        off += 8;
    }
    if ranges.len() < MAX_COLUMNS {
        for (j, &b) in chunks.remainder().iter().enumerate() {
            high |= b as u64;
            quotes |= (b == b'"') as u64;
            if b == delim {
                ranges.push((start, off + j));
                start = off + j + 1;
            }
        }
    } else {
        // cut short: look at the rest only for quotes and non-ASCII bytes
        for &b in line {
            high |= b as u64;
            quotes |= (b == b'"') as u64;
        }
    }
    if high & 0x8080_8080_8080_8080 != 0 {
        return Ok(Split::NonAscii);
    }
    let too_many = || {
        FormatError::from(ErrorKind::TooManyColumns {
            file: file.to_string(),
            line: line_no,
            limit: MAX_COLUMNS,
        })
    };
    if quotes == 0 {
        if ranges.len() >= MAX_COLUMNS {
            return Err(too_many());
        }
        ranges.push((start, line.len()));
        return Ok(Split::Plain);
    }
    ranges.clear();
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

/// `0x80` in each byte of `x` that equals `b`, `0` elsewhere (exact: no
/// carries between bytes).
#[inline(always)]
fn byte_eq_mask(x: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let y = x ^ (0x0101_0101_0101_0101 * b as u64);
    !(((y & LOW7) + LOW7) | y | LOW7)
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
#[inline(always)]
pub(crate) fn parse_cell_bytes(s: &[u8], decimal_comma: bool) -> Cell {
    let t = trim_ascii_field(s);
    if t.is_empty() {
        return Cell::Missing;
    }
    if decimal_comma {
        if let Some(i) = memchr::memchr(b',', t) {
            return parse_cell_comma(t, i);
        }
    }
    match parse_f64_bytes(t) {
        Some(v) if v.is_finite() => Cell::Num(v),
        Some(_) => Cell::Missing,
        None => missing_or_bad(t),
    }
}

/// [`parse_cell_bytes`] of a trimmed field with a decimal comma at `i`.
#[inline(never)]
fn parse_cell_comma(t: &[u8], i: usize) -> Cell {
    let mut tmp = [0u8; 64];
    if t.len() > tmp.len() {
        // longer than any number or missing marker
        return Cell::Bad;
    }
    tmp[..t.len()].copy_from_slice(t);
    tmp[i] = b'.';
    let t = &tmp[..t.len()];
    match parse_f64_bytes(t) {
        Some(v) if v.is_finite() => Cell::Num(v),
        Some(_) => Cell::Missing,
        None => missing_or_bad(t),
    }
}

/// A trimmed ASCII field that is not a number: a missing marker or bad.
#[inline(never)]
fn missing_or_bad(t: &[u8]) -> Cell {
    if MISSING.iter().any(|m| t.eq_ignore_ascii_case(m.as_bytes())) {
        Cell::Missing
    } else {
        Cell::Bad
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
    /// The parser before the byte-level rewrite (std `str::parse`).
    fn reference_parse_f64(s: &str) -> Option<f64> {
        let s = s.trim();
        if s.is_empty() || s.len() > 64 {
            return None;
        }
        let s = s.strip_prefix('+').unwrap_or(s);
        if !s
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
        {
            return None;
        }
        s.parse::<f64>().ok()
    }

    /// Every string of up to `max_len` bytes over `alphabet`, the empty one
    /// included.
    fn all_strings(alphabet: &[u8], max_len: usize) -> Vec<Vec<u8>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max_len {
            let mut next = Vec::new();
            for s in &last {
                for &c in alphabet {
                    let mut t = s.clone();
                    t.push(c);
                    next.push(t);
                }
            }
            all.extend(next.iter().cloned());
            last = next;
        }
        all
    }

    fn same(a: Option<f64>, b: Option<f64>) -> bool {
        a.map(f64::to_bits) == b.map(f64::to_bits)
    }

    #[test]
    fn float_syntax_matches_std_exhaustively() {
        // every string of up to 5 characters over the number alphabet
        let strings = all_strings(b"019.+-eE", 5);
        for s in strings {
            let text = std::str::from_utf8(&s).unwrap();
            assert!(
                same(parse_f64_bytes(&s), reference_parse_f64(text)),
                "{text:?}: {:?} vs {:?}",
                parse_f64_bytes(&s),
                reference_parse_f64(text)
            );
        }
    }

    #[test]
    fn float_values_match_std() {
        for s in [
            "1.5E-3",
            "-0",
            "-0.000",
            "0.",
            ".5",
            "-.5",
            "1.0E1",
            "1e+308",
            "1e309",
            "4.9e-324",
            "2.2250738585072011e-308",
            "9007199254740993",
            "9007199254740992.5",
            "0.1000000000000000055511151231257827",
            "1721919217.626975",
            "-0.013848",
            "123456789012345678901234567890",
            "00000000000000000000001.5",
            "0.0000000000000000000000001",
            "+1.5",
            "++1",
            "+-1",
            "1e",
            "1e+",
            "-",
            ".",
            "e5",
            "nan",
            "NaN",
            "inf",
            "infinity",
            "1_000",
            "0x10",
            " 1.5 ",
            "\u{a0}1.5",
        ] {
            assert!(
                same(parse_f64(s), reference_parse_f64(s)),
                "{s:?}: {:?} vs {:?}",
                parse_f64(s),
                reference_parse_f64(s)
            );
        }
        assert_eq!(parse_f64("-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert!(matches!(parse_cell_bytes(b"nan", false), Cell::Missing));
        assert!(matches!(parse_cell_bytes(b"NaN", false), Cell::Missing));
        assert!(matches!(parse_cell_bytes(b"1e400", false), Cell::Missing));
        assert!(matches!(parse_cell_bytes(b" 0,5 ", true), Cell::Num(v) if v == 0.5));
        assert!(matches!(parse_cell_bytes(b"1.0E1", false), Cell::Num(v) if v == 10.0));
    }

    #[test]
    fn swar_digits() {
        for k in 1..=8 {
            let digits = &b"12345678"[..k];
            let mut bytes = [b'x'; 8];
            bytes[..k].copy_from_slice(digits);
            let x = u64::from_le_bytes(bytes);
            assert_eq!(leading_digits(x), k);
            let want: u64 = std::str::from_utf8(digits).unwrap().parse().unwrap();
            assert_eq!(parse_digits_swar(x, k), want);
        }
        for b in 0..=255u8 {
            let x = u64::from_le_bytes([b, b'1', b'2', b'3', b'4', b'5', b'6', b'7']);
            assert_eq!(leading_digits(x) > 0, b.is_ascii_digit(), "{b}");
        }
        // a byte ≥ 0xFA does not hide the digits before it
        let x = u64::from_le_bytes([b'9', b'9', 0xFF, b'1', b'1', b'1', b'1', b'1']);
        assert_eq!(leading_digits(x), 2);
    }

    #[test]
    fn plain_numbers_match_the_plain_decimal_parser_exhaustively() {
        // every field of up to 6 characters over digits, point and minus,
        // and longer digit runs around a point, each followed by nothing,
        // a delimiter, a line end or more bytes (the 8-byte steps need 8)
        let mut fields = all_strings(b"019.-", 6);
        for a in 0..=20 {
            for b in 0..=20 {
                for neg in [false, true] {
                    let mut f = if neg { b"-".to_vec() } else { Vec::new() };
                    f.extend((0..a).map(|k| b'1' + (k % 9) as u8));
                    f.push(b'.');
                    f.extend((0..b).map(|k| b'9' - (k % 9) as u8));
                    fields.push(f);
                }
            }
        }
        for field in &fields {
            let want = parse_plain_decimal(field).map(f64::to_bits);
            for tail in [
                &b""[..],
                b",",
                b"\r\n",
                b",123456789.123456789",
                b"x1234567",
            ] {
                let mut buf = field.clone();
                buf.extend_from_slice(tail);
                // the number ends where the field ends, or it is not one
                let got = plain_number(&buf, 0)
                    .filter(|&(_, end)| end == field.len())
                    .map(|(v, _)| v.to_bits());
                let text = String::from_utf8_lossy(&buf);
                assert_eq!(got, want, "{text:?}");
                // and at an offset into a buffer
                let mut off = b"9,".to_vec();
                off.extend_from_slice(&buf);
                let got = plain_number(&off, 2)
                    .filter(|&(_, end)| end == field.len() + 2)
                    .map(|(v, _)| v.to_bits());
                assert_eq!(got, want, "{text:?} at 2");
            }
        }
    }

    /// Lines as the reader before the rewrite gave them.
    fn reference_lines(data: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = data;
        while !rest.is_empty() {
            let (mut line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            while let [l @ .., b'\r'] = line {
                line = l;
            }
            let mut s = String::from_utf8_lossy(line).into_owned();
            if out.is_empty() && s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            out.push(s);
            rest = next;
        }
        out
    }

    /// A reader handing out at most `step` bytes per call.
    struct Trickle(std::io::Cursor<Vec<u8>>, usize);
    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.1);
            self.0.read(&mut buf[..n])
        }
    }

    fn lines_of(data: &[u8], chunk: usize, step: usize) -> Vec<String> {
        let mut r = LineReader::with_chunk(
            "t.csv",
            Box::new(Trickle(std::io::Cursor::new(data.to_vec()), step)),
            chunk,
        );
        let mut out = Vec::new();
        let mut expect_no = 1;
        loop {
            // look ahead like Table::next_row does, then read
            let end = r.at_end().unwrap();
            match r.next_line_string().unwrap() {
                Some((n, l)) => {
                    assert!(!end);
                    assert_eq!(n, expect_no);
                    expect_no += 1;
                    // the current line survives a look-ahead that refills
                    let before = r.line().to_vec();
                    let _ = r.at_end().unwrap();
                    assert_eq!(r.line(), &before[..]);
                    out.push(l);
                }
                None => {
                    assert!(end);
                    return out;
                }
            }
        }
    }

    #[test]
    fn line_reader_chunk_boundaries_crlf_bom_last_line() {
        let long = format!("{},1,2,3", "7".repeat(5000));
        let inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\n".to_vec(),
            b"a".to_vec(),
            b"t,ax\r\n0,1\r\n0.01,2\r\n".to_vec(),
            b"t,ax\n0,1\n0.01,2".to_vec(),
            b"t,ax\r\n0,1\r\r\n\r\n\n0.01,2\r".to_vec(),
            b"\xEF\xBB\xBFtime,ax\n1,2\n".to_vec(),
            b"\xEF\xBB\xBF\r\n".to_vec(),
            b"caf\xC3\xA9,\xFF\xFE\n1,2\n".to_vec(),
            format!("h\n{long}\n{long}\n\n{long}").into_bytes(),
        ];
        for data in &inputs {
            let want = reference_lines(data);
            for (chunk, step) in [
                (1, 1),
                (2, 3),
                (3, 1),
                (7, 5),
                (16, 64),
                (CHUNK_BYTES, 1 << 20),
            ] {
                assert_eq!(
                    lines_of(data, chunk, step),
                    want,
                    "chunk {chunk}, step {step}: {:?}",
                    String::from_utf8_lossy(data)
                );
            }
        }
    }

    #[test]
    fn line_reader_cap_with_small_chunks() {
        for (len, newline, ok) in [
            (MAX_LINE_BYTES, true, true),
            (MAX_LINE_BYTES + 1, true, false),
            (MAX_LINE_BYTES + 1, false, true),
            (MAX_LINE_BYTES + 2, false, false),
        ] {
            let mut data = b"h\n".to_vec();
            data.extend(vec![b'1'; len]);
            if newline {
                data.push(b'\n');
            }
            let mut r = LineReader::with_chunk("t.csv", Box::new(std::io::Cursor::new(data)), 4096);
            assert_eq!(r.next_line().unwrap(), Some(1));
            match r.next_line() {
                Ok(Some(2)) => assert!(ok, "{len} {newline}"),
                Err(e) if matches!(e.kind(), ErrorKind::LineTooLong { line: 2, .. }) => {
                    assert!(!ok, "{len} {newline}")
                }
                other => panic!("{len} {newline}: {other:?}"),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_numbers_match_std(
            bits in proptest::prelude::any::<u64>(),
            digits in "[0-9]{0,22}",
            frac in "[0-9]{0,22}",
            exp in proptest::option::of(-330i32..330),
            neg in proptest::prelude::any::<bool>(),
        ) {
            let v = f64::from_bits(bits);
            for s in [format!("{v}"), format!("{v:e}"), format!("{v:.6}"), format!("{v:E}")] {
                proptest::prop_assert!(same(parse_f64(&s), reference_parse_f64(&s)), "{}", s);
            }
            let mut s = String::new();
            if neg {
                s.push('-');
            }
            s.push_str(&digits);
            if !frac.is_empty() {
                s.push('.');
                s.push_str(&frac);
            }
            if let Some(e) = exp {
                s.push_str(&format!("e{e}"));
            }
            proptest::prop_assert!(same(parse_f64(&s), reference_parse_f64(&s)), "{}", s);
        }

        #[test]
        fn plain_rows_match_the_general_path(
            fields in proptest::collection::vec(
                proptest::sample::select(vec![
                    "0", "-0", "1.5", "-0.013848", "1721919217.626975", "9.80665", "1e3",
                    " 2", "", "NaN", "abc", "\"1\"", "+1", "1.", ".5", "-", "12345678901234567890",
                    "0.000000000000000000000001", "caf\u{e9}",
                ]),
                0..10,
            ),
            needed in 1usize..10,
            want in proptest::prelude::any::<u32>(),
        ) {
            let line = fields.join(",");
            let want = want & ((1u32 << needed) - 1);
            let mut vals = [f64::NAN; PLAIN_ROW_COLUMNS];
            if parse_plain_row(line.as_bytes(), b',', needed, want, &mut vals) {
                let f = split_fields(&line, ',', "p.csv", 1).unwrap();
                proptest::prop_assert!(f.len() >= needed);
                for (i, v) in vals.iter().enumerate().take(needed) {
                    if want & (1 << i) != 0 {
                        match parse_cell(&f[i], false) {
                            Cell::Num(x) => proptest::prop_assert_eq!(x.to_bits(), v.to_bits()),
                            _ => proptest::prop_assert!(false, "{} col {}", line, i),
                        }
                    }
                }
            }
            // the one-pass line parser agrees with the row parser on the
            // line, whatever ends it and follows it
            for eol in ["\n", "\r\n", "\r\r\n", "\rx\n", ""] {
                for next in ["", "1,2,3\n", "9999999999999999"] {
                    if eol.is_empty() && !next.is_empty() {
                        continue;
                    }
                    let buf = format!("{line}{eol}{next}");
                    let mut got = [f64::NAN; PLAIN_ROW_COLUMNS];
                    let r = parse_plain_line(buf.as_bytes(), b',', needed, want, &mut got);
                    let mut stripped = format!("{line}{eol}");
                    if let Some(l) = stripped.strip_suffix('\n') {
                        stripped = l.trim_end_matches('\r').to_string();
                    }
                    let mut vals = [f64::NAN; PLAIN_ROW_COLUMNS];
                    let row_ok = !stripped.contains('\n')
                        && eol.ends_with('\n')
                        && parse_plain_row(stripped.as_bytes(), b',', needed, want, &mut vals);
                    match r {
                        Some(len) => {
                            proptest::prop_assert!(row_ok, "{:?}", buf);
                            proptest::prop_assert_eq!(len, line.len() + eol.len());
                            for i in 0..needed {
                                if want & (1 << i) != 0 {
                                    proptest::prop_assert_eq!(got[i].to_bits(), vals[i].to_bits());
                                }
                            }
                        }
                        // only the ways out it documents: no '\n', a long line
                        None => proptest::prop_assert!(
                            !row_ok || line.len() + eol.len() >= MAX_COLUMNS,
                            "{:?}",
                            buf
                        ),
                    }
                }
            }
            // the in-place splitter agrees with split_fields
            let mut scratch = Vec::new();
            let mut ranges = Vec::new();
            match split_ascii(line.as_bytes(), b',', &mut scratch, &mut ranges, "p.csv", 1).unwrap() {
                Split::NonAscii => proptest::prop_assert!(!line.is_ascii()),
                k => {
                    let base: &[u8] = if k == Split::Plain { line.as_bytes() } else { &scratch };
                    let f = split_fields(&line, ',', "p.csv", 1).unwrap();
                    proptest::prop_assert_eq!(f.len(), ranges.len());
                    for (s, &(a, b)) in f.iter().zip(&ranges) {
                        let t = trim_ascii_field(&base[a..b]);
                        proptest::prop_assert_eq!(s.as_bytes(), t);
                        let same_cell = match (parse_cell(s, false), parse_cell_bytes(&base[a..b], false)) {
                            (Cell::Num(x), Cell::Num(y)) => x.to_bits() == y.to_bits(),
                            (Cell::Missing, Cell::Missing) | (Cell::Bad, Cell::Bad) => true,
                            _ => false,
                        };
                        proptest::prop_assert!(same_cell, "{}", s);
                    }
                }
            }
        }
    }
}

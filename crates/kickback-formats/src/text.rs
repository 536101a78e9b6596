//! Bounded line reading, field splitting and number / date parsing.

use crate::error::{shorten, FormatError};
use std::io::{BufRead, BufReader, Read};

/// Longest accepted line in bytes (1 MiB).
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Most columns accepted in one row.
pub const MAX_COLUMNS: usize = 4096;

/// Reads lines with a hard length cap, lossy UTF-8, `\r` and BOM stripped.
pub(crate) struct LineReader {
    name: String,
    inner: BufReader<Box<dyn Read>>,
    line_no: u64,
    buf: Vec<u8>,
    peeked: Option<Option<(u64, String)>>,
}

impl LineReader {
    pub fn new(name: &str, r: Box<dyn Read>) -> Self {
        LineReader {
            name: name.to_string(),
            inner: BufReader::with_capacity(64 * 1024, r),
            line_no: 0,
            buf: Vec::new(),
            peeked: None,
        }
    }

    fn read_raw(&mut self) -> Result<Option<(u64, String)>, FormatError> {
        self.buf.clear();
        let mut any = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(FormatError::io(&self.name, e)),
            };
            if avail.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            if self.buf.len() + take > MAX_LINE_BYTES + 1 {
                return Err(FormatError::LineTooLong {
                    file: self.name.clone(),
                    line: self.line_no + 1,
                    limit: MAX_LINE_BYTES,
                });
            }
            self.buf.extend_from_slice(&avail[..take]);
            self.inner.consume(take);
            if done {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.line_no += 1;
        while matches!(self.buf.last(), Some(b'\n') | Some(b'\r')) {
            self.buf.pop();
        }
        let mut s = String::from_utf8_lossy(&self.buf).into_owned();
        if self.line_no == 1 && s.starts_with('\u{feff}') {
            s.drain(..3);
        }
        Ok(Some((self.line_no, s)))
    }

    /// Next line with its 1-based number, or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<(u64, String)>, FormatError> {
        if let Some(p) = self.peeked.take() {
            return Ok(p);
        }
        self.read_raw()
    }

    /// True when no line follows.
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
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    // Reject Rust-only spellings like "inf", "infinity" and "nan" here; they
    // are handled as missing values by the caller.
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

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
            if matches!(
                l.as_str(),
                "nan"
                    | "-nan"
                    | "null"
                    | "none"
                    | "na"
                    | "n/a"
                    | "inf"
                    | "-inf"
                    | "infinity"
                    | "-infinity"
                    | "-"
            ) {
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

//! Splitting lines into fields; sniffing the delimiter and the decimal mark.

use super::*;

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
                return Err(FormatError::new(
                    file,
                    ErrorKind::TooManyColumns {
                        line: line_no,
                        limit: MAX_COLUMNS,
                    },
                ));
            }
        } else {
            cur.push(c);
        }
    }
    out.push(cur.trim().to_string());
    Ok(out)
}

/// Counts a delimiter outside quotes.
pub(crate) fn count_outside_quotes(line: &str, d: char) -> usize {
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

pub(crate) fn looks_decimal_comma(f: &str) -> bool {
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

/// Whitespace that `str::trim` removes, among ASCII bytes.
#[inline]
pub(crate) fn is_trim_ws(b: u8) -> bool {
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
        FormatError::new(
            file,
            ErrorKind::TooManyColumns {
                line: line_no,
                limit: MAX_COLUMNS,
            },
        )
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
pub(crate) fn byte_eq_mask(x: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let y = x ^ (0x0101_0101_0101_0101 * b as u64);
    !(((y & LOW7) + LOW7) | y | LOW7)
}

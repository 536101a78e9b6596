//! Number parsing: the plain-decimal fast paths and the general parser.

use super::*;

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
pub(crate) fn parse_general(s: &[u8]) -> Option<f64> {
    if !s
        .iter()
        .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    fast_float2::parse::<f64, _>(s).ok()
}

/// Powers of ten up to one 8-digit step, for the integer digit runs.
pub(crate) const POW10_U64: [u64; 9] = [
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
pub(crate) const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The common case of sensor exports, `-?\d*(\.\d*)?` with 1 to 19 digits,
/// when it is exact by Clinger's fast path: the digits as an integer
/// `m ≤ 2^53` and at most 22 decimals, so `m / 10^k` is one correctly rounded
/// IEEE division of two exact values — the same `f64` as `str::parse`.
/// `None` for anything else (other syntax is left to the full parser).
#[inline(always)]
pub(crate) fn parse_plain_decimal(s: &[u8]) -> Option<f64> {
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
pub(crate) fn plain_number(buf: &[u8], mut i: usize) -> Option<(f64, usize)> {
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
pub(crate) fn load8(buf: &[u8], i: usize) -> Option<u64> {
    let c = buf.get(i..i.checked_add(8)?)?;
    Some(u64::from_le_bytes(c.try_into().ok()?))
}

/// Reads the digits from `line[i..]` into `m` (`m = m·10^k + digits`,
/// wrapping; callers reject more than 19 digits) and returns the index of
/// the first non-digit. Eight bytes at a time where the line allows.
#[inline(always)]
pub(crate) fn digit_run(line: &[u8], mut i: usize, m: &mut u64) -> usize {
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
pub(crate) fn leading_digits(x: u64) -> usize {
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
pub(crate) fn parse_digits_swar(x: u64, k: usize) -> u64 {
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

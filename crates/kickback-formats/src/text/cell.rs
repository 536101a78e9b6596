//! Cells: numbers or missing-value markers.

use super::*;

/// Missing-value spellings (compared ignoring ASCII case).
pub(crate) const MISSING: [&str; 11] = [
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
pub(crate) fn parse_cell_comma(t: &[u8], i: usize) -> Cell {
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
pub(crate) fn missing_or_bad(t: &[u8]) -> Cell {
    if MISSING.iter().any(|m| t.eq_ignore_ascii_case(m.as_bytes())) {
        Cell::Missing
    } else {
        Cell::Bad
    }
}

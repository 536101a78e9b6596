//! Text: bounded line reading (`lines`), field splitting and sniffing
//! (`fields`), numbers (`number`), cells (`cell`), date-times
//! (`date`) and header names (`header`).

use crate::error::{shorten, ErrorKind, FormatError};
use std::io::Read;

mod cell;
mod date;
mod fields;
mod header;
mod lines;
mod number;

pub(crate) use cell::*;
pub(crate) use date::*;
pub(crate) use fields::*;
pub(crate) use header::*;
pub(crate) use lines::*;
pub(crate) use number::*;

/// Longest accepted line in bytes (1 MiB).
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Most columns accepted in one row.
pub const MAX_COLUMNS: usize = 4096;

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

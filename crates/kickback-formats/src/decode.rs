//! Text encodings and line endings other than UTF-8 with `\n` / `\r\n`:
//! UTF-16 with a byte-order mark is decoded to UTF-8, old Mac files with
//! `\r` alone are read as lines, and binary files are refused.

use crate::error::FormatError;
use std::io::{self, Cursor, Read};

/// Bytes looked at to recognise the encoding and line endings.
const HEAD_BYTES: usize = 64 * 1024;

/// Wraps `r` so that it yields UTF-8 (or ASCII-compatible) text with `\n`
/// line ends, or fails on input that is no text.
pub(crate) fn text_input(name: &str, r: Box<dyn Read>) -> Result<Box<dyn Read>, FormatError> {
    let (head, r) = peek(name, r)?;
    let r: Box<dyn Read> = if head.starts_with(&[0xFF, 0xFE]) {
        Box::new(Utf16 {
            inner: r,
            little: true,
            pending: Vec::new(),
            out: Vec::new(),
            pos: 0,
            skip: 2,
        })
    } else if head.starts_with(&[0xFE, 0xFF]) {
        Box::new(Utf16 {
            inner: r,
            little: false,
            pending: Vec::new(),
            out: Vec::new(),
            pos: 0,
            skip: 2,
        })
    } else if memchr::memchr(0, &head).is_some() {
        let utf16 =
            head.len() >= 4 && (head[1] == 0 && head[3] == 0 || head[0] == 0 && head[2] == 0);
        let message = if utf16 {
            "the file holds NUL bytes in every other position: it looks like UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM) and try again"
        } else {
            "the file holds NUL bytes: it is a binary file, not CSV text; export the recording as CSV"
        };
        return Err(FormatError::invalid(name, message));
    } else {
        r
    };
    // line ends: judged on the (decoded) text
    let (head, r) = peek(name, r)?;
    if memchr::memchr(b'\n', &head).is_none() && memchr::memchr(b'\r', &head).is_some() {
        return Ok(Box::new(CrLines(r)));
    }
    Ok(r)
}

/// Reads up to [`HEAD_BYTES`] and returns them with a reader that yields
/// them again, then the rest.
fn peek(name: &str, mut r: Box<dyn Read>) -> Result<(Vec<u8>, Box<dyn Read>), FormatError> {
    let mut head = Vec::with_capacity(4096);
    (&mut r)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| FormatError::io(name, e))?;
    let again: Box<dyn Read> = Box::new(Cursor::new(head.clone()).chain(r));
    Ok((head, again))
}

/// Old Mac line ends: every `\r` is a line end.
struct CrLines(Box<dyn Read>);

impl Read for CrLines {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf)?;
        for b in &mut buf[..n] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        Ok(n)
    }
}

/// UTF-16 (after its byte-order mark) decoded to UTF-8; unpaired
/// surrogates become U+FFFD.
struct Utf16 {
    inner: Box<dyn Read>,
    little: bool,
    /// Undecoded bytes (an odd byte or a high surrogate at a chunk's end).
    pending: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    /// Bytes of the byte-order mark still to skip.
    skip: usize,
}

impl Utf16 {
    fn fill(&mut self) -> io::Result<bool> {
        let mut chunk = [0u8; 16 * 1024];
        let n = loop {
            match self.inner.read(&mut chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        let mut bytes = &chunk[..n];
        while self.skip > 0 && !bytes.is_empty() {
            bytes = &bytes[1..];
            self.skip -= 1;
        }
        self.pending.extend_from_slice(bytes);
        self.out.clear();
        self.pos = 0;
        let at_end = n == 0;
        let mut units: Vec<u16> = self
            .pending
            .chunks_exact(2)
            .map(|p| {
                if self.little {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            })
            .collect();
        let mut used = units.len() * 2;
        // keep a high surrogate at the end for the next chunk
        if !at_end && matches!(units.last(), Some(u) if (0xD800..0xDC00).contains(u)) {
            units.pop();
            used -= 2;
        }
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            let mut b = [0u8; 4];
            self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
        self.pending.drain(..used);
        if at_end && !self.pending.is_empty() {
            // an odd last byte
            self.pending.clear();
            self.out.extend_from_slice("\u{FFFD}".as_bytes());
        }
        Ok(!at_end || !self.out.is_empty())
    }
}

impl Read for Utf16 {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if !self.fill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: Vec<u8>) -> Result<String, FormatError> {
        let mut r = text_input("f.csv", Box::new(Cursor::new(bytes)))?;
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        Ok(s)
    }

    fn utf16(s: &str, little: bool) -> Vec<u8> {
        let mut v = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            v.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        v
    }

    #[test]
    fn encodings_and_line_ends() {
        let text = "t,ax,ay,az\r\n0,0,0,1\r\n0.01,0,0,1 µ😀\r\n".repeat(2000);
        assert_eq!(decode(utf16(&text, true)).unwrap(), text);
        assert_eq!(decode(utf16(&text, false)).unwrap(), text);
        assert_eq!(decode(text.clone().into_bytes()).unwrap(), text);
        assert_eq!(decode(b"a\rb\rc".to_vec()).unwrap(), "a\nb\nc");
        assert_eq!(decode(b"a\r\nb".to_vec()).unwrap(), "a\r\nb");
        let no_bom: Vec<u8> = utf16("t,ax\n", true)[2..].to_vec();
        assert!(decode(no_bom).unwrap_err().to_string().contains("UTF-16"));
        assert!(decode(b"\x00\x01\x02garbage".to_vec())
            .unwrap_err()
            .to_string()
            .contains("binary"));
    }
}

//! Header names: units and tokens.

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

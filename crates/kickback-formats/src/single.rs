//! Tables (preamble, header, delimiter) and the streaming single-clock reader.

use crate::batched::{Batched, Fill};
use crate::clean::{too_few, Cleaner};
use crate::error::{ErrorKind, FormatError};
use crate::text::{
    self, parse_cell, parse_cell_bytes, parse_datetime, split_ascii, split_fields, Cell,
    LineReader, Split,
};
use crate::units::{self, Hint};
use crate::{
    AccelUnit, GyroUnit, Inner, ReadOptions, Recording, Sample, SourceInfo, TimeUnit, DETECT_ROWS,
};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::Read;

/// A delimited text table: preamble skipped, delimiter sniffed, header split.
pub(crate) struct Table {
    pub name: String,
    lines: LineReader,
    pub delim: char,
    pub decimal_comma: bool,
    /// Header fields, or `None` for a headerless file.
    pub header: Option<Vec<String>>,
    /// Line number of the header.
    pub header_line: u64,
    pending: VecDeque<(u64, String)>,
    /// Reused buffers of the allocation-free row path ([`read_raw_row`]).
    scratch: Vec<u8>,
    ranges: Vec<(usize, usize)>,
}

const SNIFF_LINES: usize = 20;

impl Table {
    /// Opens a table. `allow_headerless`: a first line that starts with a
    /// number or a date is taken as data.
    pub fn open(name: &str, r: Box<dyn Read>) -> Result<Table, FormatError> {
        let r = crate::decode::text_input(name, r)?;
        Self::from_lines(name, LineReader::new(name, r))
    }

    /// [`Table::open`] over a given line reader.
    pub fn from_lines(name: &str, mut lines: LineReader) -> Result<Table, FormatError> {
        let mut sep: Option<char> = None;
        let mut any = false;
        let (hl, header_text) = loop {
            match lines.next_line_string()? {
                None => {
                    return Err(if any {
                        FormatError::invalid(name, "no header row found (only blank, comment or \"sep=\" lines); expected a header naming the time and accelerometer columns")
                    } else {
                        FormatError::new(name, ErrorKind::Empty)
                    })
                }
                Some((n, l)) => {
                    any = true;
                    let t = l.trim();
                    let unq = t.trim_matches('"');
                    if t.is_empty()
                        || t.starts_with('#')
                        || t.chars().all(|c| matches!(c, ',' | ';' | '\t' | ' '))
                    {
                        continue;
                    }
                    if let Some(rest) = unq.strip_prefix("sep=") {
                        sep = match rest {
                            ";" => Some(';'),
                            "," => Some(','),
                            "\t" | "\\t" => Some('\t'),
                            _ => sep,
                        };
                        continue;
                    }
                    break (n, l);
                }
            }
        };
        let mut pending = VecDeque::new();
        while pending.len() < SNIFF_LINES {
            match lines.next_line_string()? {
                None => break,
                Some((n, l)) => pending.push_back((n, l)),
            }
        }
        let sample: Vec<String> = pending.iter().map(|(_, l)| l.clone()).collect();
        let delim = sep.unwrap_or_else(|| text::sniff_delimiter(&header_text, &sample));
        let mut all = vec![header_text.clone()];
        all.extend(sample.iter().cloned());
        let decimal_comma = text::sniff_decimal_comma(delim, &all);
        let fields = split_fields(&header_text, delim, name, hl)?;
        let first = fields.first().map(|s| s.as_str()).unwrap_or("");
        let headerless = parse_datetime(first).is_some()
            || matches!(parse_cell(first, decimal_comma), Cell::Num(_));
        let header = if headerless {
            pending.push_front((hl, header_text));
            None
        } else {
            check_field_counts(name, &fields, &pending, delim, decimal_comma)?;
            Some(fields)
        };
        Ok(Table {
            name: name.to_string(),
            lines,
            delim,
            decimal_comma,
            header,
            header_line: hl,
            pending,
            scratch: Vec::new(),
            ranges: Vec::new(),
        })
    }

    /// The first buffered data lines (for content detection).
    pub fn peek_lines(&self) -> impl Iterator<Item = &str> {
        self.pending.iter().map(|(_, l)| l.as_str())
    }

    /// Splits a line with this table's delimiter.
    pub fn split(&self, line: &str, n: u64) -> Result<Vec<String>, FormatError> {
        split_fields(line, self.delim, &self.name, n)
    }

    /// Next non-blank data row: (line number, fields, is last line).
    pub fn next_row(&mut self) -> Result<Option<(u64, Vec<String>, bool)>, FormatError> {
        loop {
            let (n, l) = match self.pending.pop_front() {
                Some(x) => x,
                None => match self.lines.next_line_string()? {
                    Some(x) => x,
                    None => return Ok(None),
                },
            };
            if l.trim().is_empty() {
                continue;
            }
            let last = self.pending.is_empty() && self.lines.at_end()?;
            let f = split_fields(&l, self.delim, &self.name, n)?;
            return Ok(Some((n, f, last)));
        }
    }

    /// Header names (or `col1..colN` for headerless tables, using `n` columns).
    pub fn names(&self, n: usize) -> Vec<String> {
        match &self.header {
            Some(h) => h.clone(),
            None => (1..=n).map(|i| format!("column {i}")).collect(),
        }
    }
}

/// Fails when most of the first data rows have more (non-empty) fields than
/// the header has columns: a wrong delimiter, or decimal commas with `,` as
/// the delimiter, which would split every number in two.
fn check_field_counts(
    name: &str,
    header: &[String],
    rows: &VecDeque<(u64, String)>,
    delim: char,
    decimal_comma: bool,
) -> Result<(), FormatError> {
    let n = header.len();
    let (mut seen, mut over) = (0usize, 0usize);
    let mut first = None;
    for (ln, l) in rows {
        if l.trim().is_empty() {
            continue;
        }
        seen += 1;
        let f = split_fields(l, delim, name, *ln)?;
        if f.len() > n && f[n..].iter().any(|x| !x.is_empty()) {
            over += 1;
            first.get_or_insert((*ln, f.len()));
        }
    }
    let Some((line, found)) = first else {
        return Ok(());
    };
    if over * 2 <= seen {
        return Ok(());
    }
    let delimiter = match delim {
        '\t' => "tab".to_string(),
        c => format!("'{c}'"),
    };
    let advice = if delim == ',' && found > n && found <= 2 * n {
        "the numbers seem to use a decimal comma while ',' also separates the columns, so each number is split in two; export again with ';' or tab as the delimiter, or with a decimal point".to_string()
    } else {
        "check the delimiter: every row needs the header's columns; add the missing column names to the header, or pass a file whose rows match it".to_string()
    };
    Err(FormatError::new(
        name,
        ErrorKind::TooManyFields {
            line,
            found,
            columns: n,
            delimiter,
            decimal: if decimal_comma {
                "','".into()
            } else {
                "'.'".into()
            },
            advice,
        },
    ))
}

/// Where the time of a row comes from.
#[derive(Debug, Clone)]
pub(crate) enum TimeCol {
    Numeric(usize),
    DateTime(usize),
    /// No time column: t = row index / rate.
    Rate(f64),
}

/// Which columns make a sample.
#[derive(Debug, Clone)]
pub(crate) struct RowSpec {
    pub time: TimeCol,
    /// Accelerometer triples, summed (e.g. gravity + user acceleration).
    pub acc: Vec<[usize; 3]>,
    pub gyro: Option<[usize; 3]>,
    /// Short rows anywhere are skipped (counted) instead of an error.
    pub ragged_ok: bool,
    pub names: Vec<String>,
}

impl RowSpec {
    fn needed(&self) -> usize {
        let mut m = match self.time {
            TimeCol::Numeric(i) | TimeCol::DateTime(i) => i,
            TimeCol::Rate(_) => 0,
        };
        for t in &self.acc {
            m = m.max(*t.iter().max().unwrap_or(&0));
        }
        if let Some(g) = self.gyro {
            m = m.max(*g.iter().max().unwrap_or(&0));
        }
        m + 1
    }
    fn name(&self, i: usize) -> String {
        self.names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    }
}

/// A parsed row before unit conversion.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawRow {
    pub line: u64,
    pub t: f64,
    pub acc: [f64; 3],
    pub gyro: Option<[f64; 3]>,
}

pub(crate) enum RowOutcome {
    Row(RawRow),
    Missing,
    Short,
}

/// The fields of one row, as the row parser sees them.
trait Fields {
    fn count(&self) -> usize;
    /// Parses field `i` as a number cell.
    fn cell(&self, i: usize, decimal_comma: bool) -> Cell;
    /// Field `i`, trimmed, as text (for dates and error messages).
    fn text(&self, i: usize) -> Cow<'_, str>;
}

/// Fields split by [`split_fields`] (the general, allocating path).
impl Fields for [String] {
    fn count(&self) -> usize {
        self.len()
    }
    fn cell(&self, i: usize, decimal_comma: bool) -> Cell {
        parse_cell(&self[i], decimal_comma)
    }
    fn text(&self, i: usize) -> Cow<'_, str> {
        Cow::Borrowed(self[i].trim())
    }
}

/// Fields of an ASCII line split in place by [`split_ascii`].
struct ByteFields<'a> {
    base: &'a [u8],
    ranges: &'a [(usize, usize)],
}

impl Fields for ByteFields<'_> {
    #[inline]
    fn count(&self) -> usize {
        self.ranges.len()
    }
    #[inline]
    fn cell(&self, i: usize, decimal_comma: bool) -> Cell {
        let (a, b) = self.ranges[i];
        parse_cell_bytes(&self.base[a..b], decimal_comma)
    }
    fn text(&self, i: usize) -> Cow<'_, str> {
        let (a, b) = self.ranges[i];
        String::from_utf8_lossy(text::trim_ascii_field(&self.base[a..b]))
    }
}

/// Reads and parses the next row.
///
/// Lines come from the table's buffered sniffing lines or straight from its
/// line reader's buffer; ASCII lines (all data rows of the supported
/// exports) are split and parsed in place without allocating.
pub(crate) fn read_raw_row(
    table: &mut Table,
    spec: &RowSpec,
    plan: &RowPlan,
    row_index: &mut u64,
) -> Result<Option<RowOutcome>, FormatError> {
    let RowPlan { plain, rate } = *plan;
    loop {
        let (line, held) = match table.pending.pop_front() {
            Some((n, l)) => {
                if l.trim().is_empty() {
                    continue;
                }
                (n, Some(l))
            }
            None => match table.lines.next_line()? {
                None => return Ok(None),
                Some(n) => {
                    if text::is_blank_line(table.lines.line()) {
                        continue;
                    }
                    (n, None)
                }
            },
        };
        let bytes = match &held {
            Some(l) => l.as_bytes(),
            None => table.lines.line(),
        };
        let idx = *row_index;
        *row_index += 1;
        let ctx = RowCtx {
            name: &table.name,
            spec,
            line,
            idx,
            decimal_comma: table.decimal_comma,
        };
        let delim = table.delim as u8;
        if let Some((needed, want)) = plain {
            let mut vals = [0.0; text::PLAIN_ROW_COLUMNS];
            if text::parse_plain_row(bytes, delim, needed, want, &mut vals) {
                return Ok(Some(plain_outcome(spec, rate, &vals, line, idx)));
            }
        }
        let split = split_ascii(
            bytes,
            delim,
            &mut table.scratch,
            &mut table.ranges,
            &table.name,
            line,
        )?;
        let ranges = &table.ranges;
        let parsed = match split {
            Split::Plain => ctx.parse(&ByteFields {
                base: bytes,
                ranges,
            }),
            Split::Quoted => ctx.parse(&ByteFields {
                base: &table.scratch,
                ranges,
            }),
            Split::NonAscii => {
                let l = String::from_utf8_lossy(bytes);
                let f = split_fields(&l, table.delim, &table.name, line)?;
                ctx.parse(f.as_slice())
            }
        }?;
        return match parsed {
            Parsed::Row(o) => Ok(Some(o)),
            Parsed::Short { found } => {
                // A short row is skipped when it is the last line (a
                // truncated file) or the format allows ragged rows. Only
                // now is the next line looked at: the row just read stays
                // in order before any error of the lines after it.
                let last = spec.ragged_ok || (table.pending.is_empty() && table.lines.at_end()?);
                if last {
                    Ok(Some(RowOutcome::Short))
                } else {
                    let needed = spec.needed();
                    Err(FormatError::new(
                        &table.name,
                        ErrorKind::ColumnCount {
                            line,
                            expected: needed,
                            found,
                            name: spec.name(needed - 1),
                        },
                    ))
                }
            }
        };
    }
}

/// The outcome of a row that [`text::parse_plain_row`] or
/// [`text::parse_plain_line`] parsed into `vals`.
#[inline(always)]
fn plain_outcome(
    spec: &RowSpec,
    rate: f64,
    vals: &[f64; text::PLAIN_ROW_COLUMNS],
    line: u64,
    idx: u64,
) -> RowOutcome {
    let t = match spec.time {
        TimeCol::Numeric(i) => vals[i],
        _ => idx as f64 / rate,
    };
    let mut acc = [0.0; 3];
    for tr in &spec.acc {
        for k in 0..3 {
            acc[k] += vals[tr[k]];
        }
    }
    let gyro = spec.gyro.map(|g| [vals[g[0]], vals[g[1]], vals[g[2]]]);
    if !t.is_finite() {
        return RowOutcome::Missing;
    }
    RowOutcome::Row(RawRow { line, t, acc, gyro })
}

/// A parsed row, or one with too few fields (whether that is an error
/// depends on what follows it).
enum Parsed {
    Row(RowOutcome),
    Short { found: usize },
}

/// What [`read_raw_row`] works out once per table and row layout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowPlan {
    /// `Some((needed, want))` when rows may take [`text::parse_plain_row`]:
    /// numeric (or rate) time, no decimal comma and at most
    /// [`text::PLAIN_ROW_COLUMNS`] needed columns.
    plain: Option<(usize, u32)>,
    /// The rate for rate time (1 otherwise).
    rate: f64,
}

impl RowPlan {
    pub fn new(spec: &RowSpec, table: &Table) -> RowPlan {
        let mut want = 0u32;
        let rate = match spec.time {
            TimeCol::Numeric(i) => {
                want |= 1u32.checked_shl(i as u32).unwrap_or(0);
                1.0
            }
            TimeCol::Rate(hz) => hz,
            TimeCol::DateTime(_) => {
                return RowPlan {
                    plain: None,
                    rate: 1.0,
                }
            }
        };
        let needed = spec.needed();
        if table.decimal_comma || needed > text::PLAIN_ROW_COLUMNS {
            return RowPlan { plain: None, rate };
        }
        for &i in spec.acc.iter().flatten().chain(spec.gyro.iter().flatten()) {
            want |= 1 << i;
        }
        RowPlan {
            plain: Some((needed, want)),
            rate,
        }
    }
}

/// A table's rows as a [`RowSpec`] reads them: the first rows buffered in
/// `prefix` (they decide the units), then the rest as they are asked for.
/// Rows with a missing value or too few fields are counted in the report.
pub(crate) struct Rows {
    pub table: Table,
    pub spec: RowSpec,
    pub plan: RowPlan,
    /// Rows read so far (for rate time).
    pub row_index: u64,
    pub prefix: VecDeque<RawRow>,
}

impl Rows {
    pub fn new(table: Table, spec: RowSpec) -> Rows {
        let plan = RowPlan::new(&spec, &table);
        Rows {
            table,
            spec,
            plan,
            row_index: 0,
            prefix: VecDeque::new(),
        }
    }

    /// The next row read from the table (not from `prefix`).
    fn read(&mut self, info: &mut SourceInfo) -> Result<Option<RawRow>, FormatError> {
        loop {
            match read_raw_row(&mut self.table, &self.spec, &self.plan, &mut self.row_index)? {
                None => return Ok(None),
                Some(RowOutcome::Row(r)) => return Ok(Some(r)),
                Some(RowOutcome::Missing) => info.missing_value_rows += 1,
                Some(RowOutcome::Short) => info.short_rows += 1,
            }
        }
    }

    /// Buffers the first [`DETECT_ROWS`] rows in `prefix`; `Ok(true)` when
    /// that is the whole table.
    pub fn read_prefix(&mut self, info: &mut SourceInfo) -> Result<bool, FormatError> {
        while self.prefix.len() < DETECT_ROWS {
            match self.read(info)? {
                Some(r) => self.prefix.push_back(r),
                None => return Ok(true),
            }
        }
        Ok(false)
    }

    /// The next row: `prefix` first, then the table.
    pub fn next(&mut self, info: &mut SourceInfo) -> Result<Option<RawRow>, FormatError> {
        match self.prefix.pop_front() {
            Some(r) => Ok(Some(r)),
            None => self.read(info),
        }
    }
}

/// What a row parser needs besides the fields.
struct RowCtx<'a> {
    name: &'a str,
    spec: &'a RowSpec,
    line: u64,
    idx: u64,
    decimal_comma: bool,
}

impl RowCtx<'_> {
    #[inline]
    fn parse<F: Fields + ?Sized>(&self, f: &F) -> Result<Parsed, FormatError> {
        let line = self.line;
        if f.count() < self.spec.needed() {
            return Ok(Parsed::Short { found: f.count() });
        }
        let dc = self.decimal_comma;
        let mut missing = false;
        match self.values(f, dc, &mut missing) {
            Ok((t, acc, gyro)) => {
                if missing || !t.is_finite() {
                    return Ok(Parsed::Row(RowOutcome::Missing));
                }
                Ok(Parsed::Row(RowOutcome::Row(RawRow { line, t, acc, gyro })))
            }
            Err(e) => Err(self.row_error(f, e)),
        }
    }

    /// The row's time, accelerometer and gyroscope values, in the order the
    /// cells are checked (time, accelerometer triples, gyroscope); a bad
    /// cell stops at once.
    #[inline(always)]
    #[allow(clippy::type_complexity)]
    fn values<F: Fields + ?Sized>(
        &self,
        f: &F,
        dc: bool,
        missing: &mut bool,
    ) -> Result<(f64, [f64; 3], Option<[f64; 3]>), RowError> {
        let spec = self.spec;
        let mut num = |i: usize| -> Result<f64, RowError> {
            match f.cell(i, dc) {
                Cell::Num(v) => Ok(v),
                Cell::Missing => {
                    *missing = true;
                    Ok(f64::NAN)
                }
                Cell::Bad => Err(RowError::Number(i)),
            }
        };
        let t = match spec.time {
            TimeCol::Numeric(i) => num(i)?,
            TimeCol::Rate(hz) => self.idx as f64 / hz,
            TimeCol::DateTime(i) => {
                let s = f.text(i);
                if s.is_empty() {
                    f64::NAN
                } else {
                    match parse_datetime(&s) {
                        Some(v) => v,
                        None => return Err(RowError::Time(i)),
                    }
                }
            }
        };
        let mut acc = [0.0; 3];
        for tr in &spec.acc {
            for k in 0..3 {
                acc[k] += num(tr[k])?;
            }
        }
        let gyro = match spec.gyro {
            Some(g) => Some([num(g[0])?, num(g[1])?, num(g[2])?]),
            None => None,
        };
        Ok((t, acc, gyro))
    }

    #[cold]
    #[inline(never)]
    fn row_error<F: Fields + ?Sized>(&self, f: &F, e: RowError) -> FormatError {
        match e {
            RowError::Number(i) => FormatError::new(
                self.name,
                ErrorKind::BadNumber {
                    line: self.line,
                    column: i + 1,
                    name: self.spec.name(i),
                    found: text::found(&f.text(i)),
                },
            ),
            RowError::Time(i) => FormatError::new(
                self.name,
                ErrorKind::BadTime {
                    line: self.line,
                    column: i + 1,
                    name: self.spec.name(i),
                    expected: "a date-time like 2024-01-31 12:00:00.000".into(),
                    found: text::found(&f.text(i)),
                },
            ),
        }
    }
}

/// Which cell of a row is bad.
#[derive(Debug, Clone, Copy)]
enum RowError {
    Number(usize),
    Time(usize),
}

/// Converts raw values to SI.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Conv {
    pub time_scale: f64,
    pub acc_scale: f64,
    pub gyro_scale: f64,
}

impl Conv {
    pub fn apply(&self, r: &RawRow) -> Sample {
        Sample::new(
            r.t * self.time_scale,
            r.acc.map(|v| v * self.acc_scale),
            r.gyro.map(|g| g.map(|v| v * self.gyro_scale)),
        )
    }
}

/// Per-format knowledge for a single-clock file.
pub(crate) struct Setup {
    pub spec: RowSpec,
    pub accel: Hint<AccelUnit>,
    pub gyro: Hint<GyroUnit>,
    pub time: Hint<TimeUnit>,
    /// Extra factor on the accelerometer (−1 for iOS sign).
    pub acc_sign: f64,
    pub info: SourceInfo,
}

/// Adds end-of-read notes on skipped rows.
pub(crate) fn finish_notes(info: &mut SourceInfo, gap_report_s: f64) {
    if info.missing_value_rows > 0 {
        info.notes.push(format!(
            "skipped {} rows with a missing (NaN/empty/null) required value",
            info.missing_value_rows
        ));
    }
    if info.short_rows > 0 {
        info.notes.push(format!(
            "skipped {} rows with too few fields (truncated or ragged rows)",
            info.short_rows
        ));
    }
    if info.duplicates_dropped > 0 {
        info.notes.push(format!(
            "dropped {} samples with a duplicate timestamp",
            info.duplicates_dropped
        ));
    }
    if info.backwards_dropped > 0 {
        info.notes.push(format!(
            "dropped {} samples whose time stepped backwards (jitter)",
            info.backwards_dropped
        ));
    }
    if info.time_outliers_dropped > 0 {
        info.notes.push(format!(
            "dropped {} lone samples whose time jumped away and back (first at line {}); the recording goes on around them",
            info.time_outliers_dropped,
            info.first_time_outlier_line.unwrap_or(0)
        ));
    }
    if info.implausible_rows > 0 {
        info.notes.push(format!(
            "skipped {} rows with values beyond any sensor's range (corrupt cells such as 1e308)",
            info.implausible_rows
        ));
    }
    if info.gap_count > 0 {
        let longest = info.gaps.iter().map(|g| g.length_s).fold(0.0, f64::max);
        info.notes.push(format!(
            "{} gaps longer than {gap_report_s} s (longest listed: {longest:.3} s)",
            info.gap_count
        ));
    }
}

/// The streaming reader behind [`Inner::Stream`].
pub(crate) struct SingleStream {
    rows: Rows,
    conv: Conv,
    cleaner: Cleaner,
    /// The input is read to its end or an error.
    done: bool,
    /// A sample beyond the count asked for (see [`Fill::fill`]).
    spill: Option<Sample>,
}

impl Fill for SingleStream {
    /// Reads rows until `out` holds `max` more samples or the input ends
    /// (`Ok(false)`, with the end-of-read notes added to `info`).
    fn fill(
        &mut self,
        out: &mut Vec<Sample>,
        max: usize,
        info: &mut SourceInfo,
    ) -> Result<bool, FormatError> {
        let stop = out.len().saturating_add(max);
        if let Some(s) = self.spill.take() {
            out.push(s);
            if out.len() >= stop {
                return Ok(true);
            }
        }
        if self.done {
            return Ok(false);
        }
        let r = self.fill_rows(out, stop, info);
        if !matches!(r, Ok(true)) {
            self.done = true;
        }
        // the cleaner hands out a held sample with the next one: keep one
        // over the count for the next call
        if r.is_ok() && out.len() > stop {
            self.spill = out.pop();
            return Ok(true);
        }
        r
    }
}

impl SingleStream {
    fn fill_rows(
        &mut self,
        out: &mut Vec<Sample>,
        stop: usize,
        info: &mut SourceInfo,
    ) -> Result<bool, FormatError> {
        while out.len() < stop {
            if self.rows.prefix.is_empty() && self.plain_rows(out, stop, info)? {
                continue;
            }
            match self.rows.next(info)? {
                None => {
                    self.cleaner.finish(info, out)?;
                    if info.samples < 2 {
                        return Err(too_few(&self.rows.table.name, info.samples, info));
                    }
                    finish_notes(info, self.cleaner.gap_report_s());
                    return Ok(false);
                }
                Some(r) => keep(&self.conv, &mut self.cleaner, &r, out, info)?,
            }
        }
        Ok(true)
    }

    /// The hot path: rows parsed straight from the line reader's buffer
    /// ([`text::parse_plain_line`]), until a row needs the general path
    /// ([`read_raw_row`], which gives the same result for the rows taken
    /// here), the buffer holds no more whole lines, or `out` holds `stop`
    /// samples. Returns whether any row was read.
    fn plain_rows(
        &mut self,
        out: &mut Vec<Sample>,
        stop: usize,
        info: &mut SourceInfo,
    ) -> Result<bool, FormatError> {
        let RowPlan { plain, rate } = self.rows.plan;
        let Some((needed, want)) = plain else {
            return Ok(false);
        };
        if !self.rows.table.pending.is_empty() {
            return Ok(false);
        }
        let delim = self.rows.table.delim as u8;
        let lines = &mut self.rows.table.lines;
        let first = lines.line_no() + 1;
        let rest = lines.rest();
        let mut used = 0;
        let mut rows = 0;
        let mut vals = [0.0; text::PLAIN_ROW_COLUMNS];
        let mut result = Ok(());
        while out.len() < stop {
            let Some(len) = text::parse_plain_line(&rest[used..], delim, needed, want, &mut vals)
            else {
                break;
            };
            used += len;
            let idx = self.rows.row_index;
            self.rows.row_index += 1;
            let line = first + rows;
            rows += 1;
            match plain_outcome(&self.rows.spec, rate, &vals, line, idx) {
                RowOutcome::Row(r) => {
                    if let Err(e) = keep(&self.conv, &mut self.cleaner, &r, out, info) {
                        result = Err(e);
                        break;
                    }
                }
                _ => info.missing_value_rows += 1,
            }
        }
        if rows > 0 {
            lines.consume(used, rows);
        }
        result.map(|()| rows > 0)
    }
}

/// Converts a row and appends it to `out` unless the cleaner drops it.
#[inline(always)]
fn keep(
    conv: &Conv,
    cleaner: &mut Cleaner,
    raw: &RawRow,
    out: &mut Vec<Sample>,
    info: &mut SourceInfo,
) -> Result<(), FormatError> {
    cleaner.push(&conv.apply(raw), raw.line, info, out)
}

/// Decides units from the first rows and returns a (streamed or, for short
/// files, in-memory) recording.
pub(crate) fn start(
    table: Table,
    setup: Setup,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    let Setup {
        spec,
        accel,
        gyro,
        time,
        acc_sign,
        mut info,
    } = setup;
    let has_gyro = spec.gyro.is_some();
    let time_col = spec.time.clone();
    let mut rows = Rows::new(table, spec);
    let eof = rows.read_prefix(&mut info)?;
    let (prefix, table) = (&rows.prefix, &rows.table);
    let accs: Vec<[f64; 3]> = prefix.iter().map(|r| r.acc).collect();
    let (au, arep) = units::decide_accel(opts.accel_unit, &accel, &accs);
    info.accel = arep;
    units::check_accel_level(&table.name, &accs, au)?;
    let mut conv = Conv {
        time_scale: 1.0,
        acc_scale: au.to_si() * acc_sign,
        gyro_scale: 1.0,
    };
    if has_gyro {
        let gs: Vec<[f64; 3]> = prefix.iter().filter_map(|r| r.gyro).collect();
        let (gu, grep) = units::decide_gyro(opts.gyro_unit, &gyro, &gs);
        units::check_gyro_level(&table.name, &gs, gu)?;
        conv.gyro_scale = gu.to_si();
        info.gyro = Some(grep);
    }
    match time_col {
        TimeCol::Numeric(_) => {
            let ts: Vec<f64> = prefix.iter().map(|r| r.t).collect();
            let (tu, trep) = units::decide_time(opts.time_unit, &time, &ts);
            conv.time_scale = tu.to_si();
            info.time = trep;
        }
        TimeCol::DateTime(_) => {
            info.time = crate::UnitReport {
                unit: "date-time".into(),
                reason: "time column holds date-time text (device wall clock, no zone); read as seconds since 1970 of that clock".into(),
            };
        }
        TimeCol::Rate(hz) => {
            info.time = crate::UnitReport {
                unit: "rate".into(),
                reason: format!("no time column; t = row number / {hz} Hz (from --rate)"),
            };
        }
    }
    // implausible times (rows skipped later) do not make a rate
    let ts: Vec<f64> = prefix
        .iter()
        .map(|r| r.t * conv.time_scale)
        .filter(|t| t.abs() <= crate::clean::MAX_ABS_T)
        .collect();
    info.accel_rate_hz = units::rate_hz(&ts);
    units::check_rate(&table.name, info.accel_rate_hz, &info.time)?;
    if has_gyro {
        info.gyro_rate_hz = info.accel_rate_hz;
        info.clock_merge =
            "one clock: accelerometer and gyroscope share each row's timestamp".into();
    } else {
        info.clock_merge = "one clock (no gyroscope)".into();
    }
    let mut cleaner = Cleaner::new(&table.name, opts.gap_report_s());
    if eof {
        let mut out = Vec::with_capacity(prefix.len());
        for r in prefix {
            cleaner.push(&conv.apply(r), r.line, &mut info, &mut out)?;
        }
        cleaner.finish(&mut info, &mut out)?;
        if out.len() < 2 {
            return Err(too_few(&table.name, out.len(), &info));
        }
        finish_notes(&mut info, opts.gap_report_s());
        return Ok(Recording {
            info,
            inner: Inner::Memory(out.into_iter()),
        });
    }
    Ok(Recording {
        info,
        inner: Inner::Stream(Box::new(Batched::new(SingleStream {
            rows,
            conv,
            cleaner,
            done: false,
            spill: None,
        }))),
    })
}

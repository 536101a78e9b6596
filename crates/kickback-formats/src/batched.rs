//! Samples handed out one by one or in batches from a source that reads
//! ahead in batches: the one iterator behind every streamed recording.

use crate::error::FormatError;
use crate::{Sample, SourceInfo};

/// Samples [`Batched::next_sample`] reads ahead at a time.
const BATCH: usize = 512;

/// A source of samples read in batches.
pub(crate) trait Fill {
    /// Appends up to `max` samples to `out`: exactly `max` with `Ok(true)`;
    /// `Ok(false)` at the end of the input (the report in `info` is then
    /// final); an error after the samples before it were appended.
    fn fill(
        &mut self,
        out: &mut Vec<Sample>,
        max: usize,
        info: &mut SourceInfo,
    ) -> Result<bool, FormatError>;
}

/// Hands out the samples of a [`Fill`] source one by one (read ahead in
/// batches, so the report runs ahead of the samples handed out by up to
/// [`BATCH`] rows) or in batches.
pub(crate) struct Batched<F> {
    src: F,
    /// Samples read ahead for [`Self::next_sample`], from `pos` on, and the
    /// error that ended the input after them.
    batch: Vec<Sample>,
    pos: usize,
    error: Option<FormatError>,
}

impl<F: Fill> Batched<F> {
    pub fn new(src: F) -> Self {
        Batched {
            src,
            batch: Vec::new(),
            pos: 0,
            error: None,
        }
    }

    /// The next sample.
    #[inline]
    pub fn next_sample(&mut self, info: &mut SourceInfo) -> Option<Result<Sample, FormatError>> {
        if self.pos == self.batch.len() {
            if let Some(e) = self.error.take() {
                return Some(Err(e));
            }
            let mut batch = std::mem::take(&mut self.batch);
            batch.clear();
            self.pos = 0;
            let r = self.src.fill(&mut batch, BATCH, info);
            self.batch = batch;
            if let Err(e) = r {
                if self.batch.is_empty() {
                    return Some(Err(e));
                }
                self.error = Some(e);
            }
            if self.batch.is_empty() {
                return None;
            }
        }
        let s = self.batch[self.pos];
        self.pos += 1;
        Some(Ok(s))
    }

    /// Appends up to `max` samples to `out`: the items [`Self::next_sample`]
    /// would give (those it read ahead first). `Ok(false)` at the end of the
    /// input; an error comes after the samples before it were appended.
    pub fn next_batch(
        &mut self,
        out: &mut Vec<Sample>,
        max: usize,
        info: &mut SourceInfo,
    ) -> Result<bool, FormatError> {
        let ahead = &self.batch[self.pos..];
        let k = ahead.len().min(max);
        out.extend_from_slice(&ahead[..k]);
        self.pos += k;
        if k == max {
            return Ok(true);
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.src.fill(out, max - k, info)
    }
}

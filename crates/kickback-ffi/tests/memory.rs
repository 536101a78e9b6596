//! Memory is flat with recording length: the heap an analyzer holds while
//! streaming three hours is no larger than while streaming one, and stays
//! under 2 MiB (the release figures for 1 minute vs 10 hours come from
//! `examples/peak_memory.rs`).
//!
//! A counting global allocator measures the live heap; this file holds a
//! single test so no other test allocates meanwhile.

#[path = "../support/long_stream.rs"]
mod long_stream;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Peak heap above the baseline while streaming `seconds` of data, and the
/// number of reps seen.
fn peak_while_streaming(pool: &[Vec<kickback::Sample>], seconds: f64) -> (usize, usize) {
    let stream = long_stream::LongStream::new(pool, seconds);
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let reps = long_stream::live_rep_count(stream);
    (PEAK.load(Relaxed) - base, reps)
}

#[test]
fn heap_does_not_grow_with_recording_length() {
    let pool = long_stream::pool(1, 3);
    let (minute, reps_minute) = peak_while_streaming(&pool, 60.0);
    let (hour, reps_hour) = peak_while_streaming(&pool, 3600.0);
    let (three, reps_three) = peak_while_streaming(&pool, 3.0 * 3600.0);
    eprintln!(
        "peak heap: 1 min {minute} B ({reps_minute} reps), 1 h {hour} B ({reps_hour} reps), 3 h {three} B ({reps_three} reps)"
    );
    assert!(reps_hour >= 200, "the hour has reps: {reps_hour}");
    assert!(reps_three >= 2 * reps_hour, "3 h: {reps_three} reps");
    // Bounded buffers (the history of the rep in progress, bounded by the
    // longest rep; event queues) reach their largest size within the first
    // hour's variety of reps and rests; after that nothing grows.
    assert!(three <= hour + 16 * 1024, "1 h: {hour} B, 3 h: {three} B");
    assert!(minute <= hour, "1 min: {minute} B, 1 h: {hour} B");
    assert!(three < 2 * 1024 * 1024, "3 h: {three} B");
}

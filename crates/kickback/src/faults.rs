//! faults (in progress)

//! orientation (in progress)

//! kickback-formats

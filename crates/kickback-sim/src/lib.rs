//! kickback-sim

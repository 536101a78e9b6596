//! Writers (see below).

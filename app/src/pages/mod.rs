//! One module per page.

pub mod videos;

//! One module per page.

pub mod profiles;
pub mod video;
pub mod videos;

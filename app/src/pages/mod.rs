//! One module per page.

pub mod login;
pub mod profiles;
pub mod video;
pub mod videos;

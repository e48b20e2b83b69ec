//! One module per page.

pub mod login;
pub mod people;
pub mod profile;
pub mod profiles;
pub mod rest;
pub mod search;
pub mod video;
pub mod videos;

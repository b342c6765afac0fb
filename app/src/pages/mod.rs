//! Public pages that belong to no single domain: home, the participation policy and the
//! accessibility statement.

pub mod document;
pub mod home;
mod outlines;
pub mod overview;
pub mod staff_home;

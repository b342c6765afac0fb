//! The app crate's integration tests, in one binary: the translation catalogue, and properties
//! of survey rules and imports over generated inputs.

mod catalogue;
mod survey_properties;

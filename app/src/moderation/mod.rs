//! Moderation (issue 15, MISSION.md §3): the automatic screening of comments and feedback
//! into the policy's nine categories and personal data, pure and in-process (`screen`).

#[path = "screen.rs"]
pub mod screen;

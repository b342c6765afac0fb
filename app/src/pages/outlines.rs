//! The outlines of the catalogue-driven document pages: which sections each has,
//! in order, and how many paragraphs and list items each section holds in the catalogue.
use super::document::Section;

/// `policy.*` in `locales/policy.{ar,en}.yml`: the Digital Participation Policy (MISSION.md §1–§8).
#[rustfmt::skip] // one row per section reads as a table
pub const POLICY: &[Section] = &[
    Section { id: "goals", paragraphs: 1, items: 0, ordered: false, after: 0 },
    Section { id: "commitments", paragraphs: 0, items: 7, ordered: false, after: 0 },
    // Ordered so that a moderation decision can cite its category by number (MISSION.md §3).
    Section { id: "moderation", paragraphs: 1, items: 9, ordered: true, after: 1 },
    Section { id: "scope", paragraphs: 2, items: 0, ordered: false, after: 0 },
    Section { id: "stakeholders", paragraphs: 1, items: 4, ordered: true, after: 0 },
    Section { id: "principles", paragraphs: 1, items: 4, ordered: true, after: 0 },
    Section { id: "response", paragraphs: 1, items: 4, ordered: true, after: 0 },
    Section { id: "opportunities", paragraphs: 1, items: 0, ordered: false, after: 0 },
];

/// `accessibility.*` in `locales/accessibility.{ar,en}.yml`: the accessibility statement.
#[rustfmt::skip]
pub const ACCESSIBILITY: &[Section] = &[
    Section { id: "commitment", paragraphs: 2, items: 0, ordered: false, after: 0 },
    Section { id: "standard", paragraphs: 3, items: 0, ordered: false, after: 0 },
    Section { id: "what_you_can_do", paragraphs: 1, items: 6, ordered: false, after: 0 },
    Section { id: "limitations", paragraphs: 3, items: 0, ordered: false, after: 0 },
    Section { id: "feedback", paragraphs: 1, items: 2, ordered: false, after: 1 },
    Section { id: "preparation", paragraphs: 2, items: 0, ordered: false, after: 0 },
];

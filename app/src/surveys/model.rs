//! A survey's definition: its texts, sections, questions and conditions. It is one serde
//! document, stored as JSON, exported and imported as the same versioned JSON
//! ([`FORMAT`]), and shared by the editor, the preview, the response form and validation.
//!
//! Every text is bilingual ([`Text`]); a survey may be marked single-language
//! ([`Languages`]), and then only that language must be filled in. Keys (of sections,
//! questions and choices) are stable identifiers: answers and conditions refer to them, so
//! they never change once given, whatever happens to the wording.

use serde::{Deserialize, Serialize};

use crate::Locale;
pub use crate::text::Text;

/// The name and version of the JSON format, written into every export.
pub const FORMAT: &str = "sharek-survey/1";

/// Which languages a survey is written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Languages {
    #[default]
    Both,
    ArabicOnly,
    EnglishOnly,
}

impl Languages {
    pub const ALL: [Languages; 3] = [
        Languages::Both,
        Languages::ArabicOnly,
        Languages::EnglishOnly,
    ];

    /// The languages every text must be written in.
    pub fn required(self) -> &'static [Locale] {
        match self {
            Languages::Both => &[Locale::Ar, Locale::En],
            Languages::ArabicOnly => &[Locale::Ar],
            Languages::EnglishOnly => &[Locale::En],
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Languages::Both => "both",
            Languages::ArabicOnly => "arabic_only",
            Languages::EnglishOnly => "english_only",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// The whole definition of a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Always [`FORMAT`].
    pub format: String,
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    #[serde(default)]
    pub languages: Languages,
    pub sections: Vec<Section>,
}

impl Default for Definition {
    fn default() -> Self {
        Self {
            format: FORMAT.to_owned(),
            title: Text::default(),
            description: Text::default(),
            languages: Languages::Both,
            sections: vec![Section::new("s1")],
        }
    }
}

/// A page of the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub key: String,
    #[serde(default)]
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    /// Shown only when this holds (of answers on earlier sections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<super::conditions::Condition>,
    pub questions: Vec<Question>,
}

impl Section {
    pub fn new(key: &str) -> Self {
        Self {
            key: key.to_owned(),
            title: Text::default(),
            description: Text::default(),
            show_if: None,
            questions: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub key: String,
    pub text: Text,
    #[serde(default)]
    pub help: Text,
    #[serde(default)]
    pub required: bool,
    /// Shown only when this holds (of answers to earlier questions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<super::conditions::Condition>,
    pub kind: Kind,
}

/// A choice of a choice question, a matrix row or a matrix scale point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub key: String,
    pub label: Text,
}

impl Choice {
    pub fn new(key: &str, ar: &str, en: &str) -> Self {
        Self {
            key: key.to_owned(),
            label: Text::new(ar, en),
        }
    }
}

/// The choice key that stands for "other, please specify".
pub const OTHER: &str = "other";

/// What kind of question, with its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Kind {
    SingleChoice {
        choices: Vec<Choice>,
        #[serde(default)]
        other: bool,
    },
    MultipleChoice {
        choices: Vec<Choice>,
        #[serde(default)]
        other: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    Dropdown {
        choices: Vec<Choice>,
        #[serde(default)]
        other: bool,
    },
    YesNo,
    /// A scale from `min` to `max` (e.g. a 1–5 Likert scale) with labels at both ends.
    Rating {
        min: i32,
        max: i32,
        #[serde(default)]
        min_label: Text,
        #[serde(default)]
        max_label: Text,
    },
    /// Net Promoter Score: 0 to 10.
    Nps,
    /// Several rows answered on one shared scale.
    Matrix {
        rows: Vec<Choice>,
        scale: Vec<Choice>,
    },
    /// Put the choices in order.
    Ranking {
        choices: Vec<Choice>,
    },
    ShortText {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
    LongText {
        max_length: u32,
    },
    Number {
        #[serde(default)]
        decimal: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    Date,
    Email,
    Phone,
}

/// The question types, by code, in the order the editor offers them.
pub const KIND_CODES: [&str; 14] = [
    "single_choice",
    "multiple_choice",
    "dropdown",
    "yes_no",
    "rating",
    "nps",
    "matrix",
    "ranking",
    "short_text",
    "long_text",
    "number",
    "date",
    "email",
    "phone",
];

impl Kind {
    pub fn code(&self) -> &'static str {
        match self {
            Kind::SingleChoice { .. } => "single_choice",
            Kind::MultipleChoice { .. } => "multiple_choice",
            Kind::Dropdown { .. } => "dropdown",
            Kind::YesNo => "yes_no",
            Kind::Rating { .. } => "rating",
            Kind::Nps => "nps",
            Kind::Matrix { .. } => "matrix",
            Kind::Ranking { .. } => "ranking",
            Kind::ShortText { .. } => "short_text",
            Kind::LongText { .. } => "long_text",
            Kind::Number { .. } => "number",
            Kind::Date => "date",
            Kind::Email => "email",
            Kind::Phone => "phone",
        }
    }

    /// A new question's settings for a type code: the shape the author then fills in. Choices
    /// and labels start empty (the editor shows examples as placeholders, never as values), so
    /// nothing an author has not written reaches participants: publishing needs every label.
    pub fn new_of(code: &str) -> Option<Kind> {
        let blank = |keys: &[&str]| -> Vec<Choice> {
            keys.iter().map(|key| Choice::new(key, "", "")).collect()
        };
        let two = || blank(&["c1", "c2"]);
        Some(match code {
            "single_choice" => Kind::SingleChoice {
                choices: two(),
                other: false,
            },
            "multiple_choice" => Kind::MultipleChoice {
                choices: two(),
                other: false,
                min: None,
                max: None,
            },
            "dropdown" => Kind::Dropdown {
                choices: two(),
                other: false,
            },
            "yes_no" => Kind::YesNo,
            "rating" => Kind::Rating {
                min: 1,
                max: 5,
                min_label: Text::default(),
                max_label: Text::default(),
            },
            "nps" => Kind::Nps,
            "matrix" => Kind::Matrix {
                rows: blank(&["r1"]),
                scale: blank(&["1", "2", "3"]),
            },
            "ranking" => Kind::Ranking { choices: two() },
            "short_text" => Kind::ShortText {
                max_length: Some(200),
            },
            "long_text" => Kind::LongText { max_length: 2000 },
            "number" => Kind::Number {
                decimal: false,
                min: None,
                max: None,
            },
            "date" => Kind::Date,
            "email" => Kind::Email,
            "phone" => Kind::Phone,
            _ => return None,
        })
    }

    /// The choices of a choice question (single, multiple, dropdown, ranking).
    pub fn choices(&self) -> Option<&[Choice]> {
        match self {
            Kind::SingleChoice { choices, .. }
            | Kind::MultipleChoice { choices, .. }
            | Kind::Dropdown { choices, .. }
            | Kind::Ranking { choices } => Some(choices),
            _ => None,
        }
    }

    /// Whether the question offers "other, please specify".
    pub fn has_other(&self) -> bool {
        matches!(
            self,
            Kind::SingleChoice { other: true, .. }
                | Kind::MultipleChoice { other: true, .. }
                | Kind::Dropdown { other: true, .. }
        )
    }

    /// The keys an answer to this question can name (choices, plus "other" where offered).
    pub fn answer_keys(&self) -> Vec<&str> {
        match self {
            Kind::YesNo => vec!["yes", "no"],
            kind => {
                let mut keys: Vec<&str> = kind
                    .choices()
                    .unwrap_or_default()
                    .iter()
                    .map(|c| c.key.as_str())
                    .collect();
                if kind.has_other() {
                    keys.push(OTHER);
                }
                keys
            }
        }
    }

    /// The numeric range of a scale question, if it is one.
    pub fn numeric_range(&self) -> Option<(f64, f64)> {
        match self {
            Kind::Rating { min, max, .. } => Some((f64::from(*min), f64::from(*max))),
            Kind::Nps => Some((0.0, 10.0)),
            Kind::Number { min, max, .. } => {
                Some((min.unwrap_or(f64::MIN), max.unwrap_or(f64::MAX)))
            }
            _ => None,
        }
    }
}

impl Definition {
    /// Moves question `key` one place up or down, across into the neighbouring section at a
    /// section's edge; `false` when it is already first (or last), or missing.
    pub fn move_question(&mut self, key: &str, up: bool) -> bool {
        let Some((s, q)) = self.sections.iter().enumerate().find_map(|(s, section)| {
            section
                .questions
                .iter()
                .position(|q| q.key == key)
                .map(|q| (s, q))
        }) else {
            return false;
        };
        let count = self.sections[s].questions.len();
        match (up, q) {
            (true, 0) if s > 0 => {
                let question = self.sections[s].questions.remove(0);
                self.sections[s - 1].questions.push(question);
            }
            (true, 0) => return false,
            (true, q) => self.sections[s].questions.swap(q, q - 1),
            (false, q) if q + 1 == count && s + 1 < self.sections.len() => {
                let question = self.sections[s].questions.remove(q);
                self.sections[s + 1].questions.insert(0, question);
            }
            (false, q) if q + 1 == count => return false,
            (false, q) => self.sections[s].questions.swap(q, q + 1),
        }
        true
    }

    /// Every question in order, with the index of its section.
    pub fn questions(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.questions.iter().map(move |q| (i, q)))
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.key == key)
    }

    pub fn question_mut(&mut self, key: &str) -> Option<&mut Question> {
        self.sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
            .find(|q| q.key == key)
    }

    /// A key not yet used by any section or question, like `q7`.
    pub fn fresh_key(&self, prefix: &str) -> String {
        let used = |k: &str| {
            self.sections.iter().any(|s| s.key == k) || self.questions().any(|(_, q)| q.key == k)
        };
        (1..)
            .map(|n| format!("{prefix}{n}"))
            .find(|k| !used(k))
            .unwrap_or_else(|| format!("{prefix}{}", uuid::Uuid::new_v4().simple()))
    }

    /// What the survey asks that identifies a person: email and phone questions, and short
    /// text questions asking for a name (“name”, «اسم» in either language's wording), in the
    /// survey's order, each kind once.
    pub fn identifying(&self) -> Vec<Identifying> {
        let mut found = Vec::new();
        for (_, q) in self.questions() {
            let kind = match &q.kind {
                Kind::Email => Identifying::Email,
                Kind::Phone => Identifying::Phone,
                Kind::ShortText { .. } if asks_name(&q.text) => Identifying::Name,
                _ => continue,
            };
            if !found.contains(&kind) {
                found.push(kind);
            }
        }
        found
    }

    /// Exports as pretty JSON (the import format).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Examples the editor shows as placeholders in a new question's empty labels, by table
/// (`choice`, `row`, `point`) and position; and for a rating's ends (`min`, `max`).
pub fn example_label(table: &str, index: usize) -> Option<Text> {
    let (ar, en) = match (table, index) {
        ("choice", 0) => ("الخيار الأول", "First choice"),
        ("choice", 1) => ("الخيار الثاني", "Second choice"),
        ("row", 0) => ("البند الأول", "First item"),
        ("point", 0) => ("ضعيف", "Poor"),
        ("point", 1) => ("مقبول", "Fair"),
        ("point", 2) => ("جيد", "Good"),
        ("min", _) => ("غير راضٍ إطلاقاً", "Very dissatisfied"),
        ("max", _) => ("راضٍ جداً", "Very satisfied"),
        _ => return None,
    };
    Some(Text::new(ar, en))
}

/// The NPS scale's end labels (0 and 10), as the form shows them and the results label them.
pub fn nps_ends() -> (Text, Text) {
    (
        Text::new("غير محتمل إطلاقاً", "Not at all likely"),
        Text::new("محتمل جداً", "Extremely likely"),
    )
}

/// Something a survey asks that identifies whoever answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identifying {
    Email,
    Phone,
    Name,
}

impl Identifying {
    fn code(self) -> &'static str {
        match self {
            Identifying::Email => "email",
            Identifying::Phone => "phone",
            Identifying::Name => "name",
        }
    }

    /// As the participant reads it (“your name”).
    pub fn label_key(self) -> String {
        format!("responses.identifying.{}", self.code())
    }

    /// As the author reads it (“their name”).
    pub fn staff_label_key(self) -> String {
        format!("surveys.identifying.{}", self.code())
    }
}

/// Whether a question's wording asks for the person's name: “your name”, “full name”,
/// “surname”… or just “Name”; «اسمك», «الاسم الكامل», «اسم العائلة»… or just «الاسم». The
/// name of something else (“the name of your school”, «اسم المدرسة») is not a person's name.
fn asks_name(text: &Text) -> bool {
    let bare = |t: &str| {
        t.trim()
            .trim_end_matches(|c: char| c.is_ascii_punctuation() || "؟:".contains(c))
            .trim()
            .to_lowercase()
    };
    let en = bare(&text.en);
    let ar = bare(&text.ar);
    const EN: [&str; 6] = [
        "your name",
        "full name",
        "first name",
        "last name",
        "family name",
        "surname",
    ];
    const AR: [&str; 5] = ["اسمك", "اسمكم", "الاسم الكامل", "اسم العائلة", "الاسم الثلاثي"];
    en == "name"
        || EN.iter().any(|phrase| en.contains(phrase))
        || ar == "الاسم"
        || ar == "اسم"
        || AR.iter().any(|phrase| ar.contains(phrase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_questions_are_recognised_in_both_languages() {
        let asks = |ar: &str, en: &str| asks_name(&Text::new(ar, en));
        assert!(asks("", "Your name"));
        assert!(asks("", "Full name (optional)"));
        assert!(asks("ما اسمك؟", ""));
        assert!(asks("الاسم الكامل", ""));
        assert!(asks("الاسم:", "Name:"));
        assert!(!asks("اسم المدرسة", "The name of your school"));
        assert!(!asks("", "Which service did you rename?"));
        assert!(!asks("", "What did you think of the named programme?"));
        assert!(!asks(
            "ما رأيك في الخدمة؟",
            "What do you think of the service?"
        ));
    }

    fn definition() -> Definition {
        let question = |key: &str| Question {
            key: key.into(),
            text: Text::new("س", "Q"),
            help: Text::default(),
            required: false,
            show_if: None,
            kind: Kind::YesNo,
        };
        Definition {
            sections: vec![
                Section {
                    questions: vec![question("a"), question("b")],
                    ..Section::new("s1")
                },
                Section {
                    questions: vec![question("c")],
                    ..Section::new("s2")
                },
            ],
            ..Definition::default()
        }
    }

    fn order(d: &Definition) -> Vec<Vec<String>> {
        d.sections
            .iter()
            .map(|s| s.questions.iter().map(|q| q.key.clone()).collect())
            .collect()
    }

    #[test]
    fn questions_move_within_and_across_sections() {
        let mut d = definition();
        assert!(!d.move_question("a", true), "already first");
        assert!(d.move_question("a", false));
        assert_eq!(order(&d), vec![vec!["b", "a"], vec!["c"]]);
        assert!(d.move_question("a", false), "into the next section");
        assert_eq!(order(&d), vec![vec!["b"], vec!["a", "c"]]);
        assert!(d.move_question("a", true), "back up across the edge");
        assert_eq!(order(&d), vec![vec!["b", "a"], vec!["c"]]);
        assert!(!d.move_question("c", false), "already last");
        assert!(!d.move_question("missing", true));
    }
}

//! The demo's quarterly pulse: its definition, and the deterministic dice that answer it, each
//! wave a little happier than the one before.

use crate::surveys::StakeholderGroup;
use crate::surveys::conditions::{Answer, Answers};
use crate::surveys::model::{Definition, Kind, Section, Text};

use super::{choices, question};

/// The quarterly pulse: a short questionnaire repeated every quarter.
pub fn pulse_survey() -> Definition {
    Definition {
        title: Text::new("نبض الرأي العام الربعي", "Quarterly public opinion pulse"),
        description: Text::new(
            "استبيان قصير يتكرر كل ثلاثة أشهر لقياس الرأي العام باستمرار ومقارنته عبر الزمن.",
            "A short survey repeated every quarter to measure public opinion continuously and compare it over time.",
        ),
        sections: vec![Section {
            questions: vec![
                question(
                    "trust",
                    "ما مدى ثقتك بجودة الخدمات الحكومية؟",
                    "How much do you trust the quality of government services?",
                    true,
                    Kind::new_of("rating").unwrap_or(Kind::Nps),
                ),
                question(
                    "improved",
                    "هل تحسّنت الخدمات خلال الأشهر الثلاثة الماضية؟",
                    "Have services improved in the past three months?",
                    true,
                    Kind::YesNo,
                ),
                question(
                    "focus",
                    "ما المجال الذي يحتاج إلى أكبر قدر من التحسين؟",
                    "Which area needs the most improvement?",
                    true,
                    Kind::SingleChoice {
                        choices: choices(&[
                            ("health", "الصحة", "Health"),
                            ("education", "التعليم", "Education"),
                            ("transport", "النقل", "Transport"),
                            ("digital", "الخدمات الرقمية", "Digital services"),
                        ]),
                        other: false,
                    },
                ),
                question(
                    "recommend",
                    "ما مدى احتمال أن توصي بخدماتنا؟",
                    "How likely are you to recommend our services?",
                    false,
                    Kind::Nps,
                ),
                question(
                    "change",
                    "ما الشيء الواحد الذي تودّ أن نغيّره؟",
                    "What one thing would you like us to change?",
                    false,
                    Kind::LongText { max_length: 1000 },
                ),
            ],
            ..Section::new("pulse")
        }],
        ..Definition::default()
    }
}

/// A small deterministic generator (so the demo is the same on every machine).
pub(super) struct Dice(pub(super) u64);

impl Dice {
    pub(super) fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides.max(1)
    }

    /// An index into `weights`, chosen in proportion to them.
    pub(super) fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut pick = self.roll(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if pick < *w {
                return i;
            }
            pick -= w;
        }
        0
    }
}

/// Responses to one wave of the pulse; `mood` shifts answers upwards wave by wave.
pub(super) fn pulse_answers(dice: &mut Dice, mood: u64) -> (StakeholderGroup, Answers) {
    let groups = StakeholderGroup::ALL;
    let group = groups[dice.weighted(&[40, 25, 6, 6, 8, 7, 8])];
    let mut answers = Answers::new();
    let trust = 1 + dice.weighted(&[8, 14, 30, 30 + 6 * mood, 18 + 8 * mood]);
    answers.insert("trust".into(), Answer::Number(trust as f64));
    let improved = if dice.roll(100) < 40 + 12 * mood {
        "yes"
    } else {
        "no"
    };
    answers.insert("improved".into(), Answer::choice(improved));
    let focus = ["health", "education", "transport", "digital"]
        [dice.weighted(&[30, 25, 25, 20 - 4 * mood.min(4)])];
    answers.insert("focus".into(), Answer::choice(focus));
    if dice.roll(10) < 7 {
        let score = dice.weighted(&[
            2,
            2,
            3,
            3,
            4,
            6,
            8,
            12 + mood * 2,
            14 + mood * 3,
            10 + mood * 3,
            8 + mood * 2,
        ]);
        answers.insert("recommend".into(), Answer::Number(score as f64));
    }
    if dice.roll(4) == 0 {
        let said = CHANGES[dice.roll(CHANGES.len() as u64) as usize];
        answers.insert("change".into(), Answer::Text(said.to_owned()));
    }
    (group, answers)
}

/// What some participants wrote, in both languages and with and without diacritics, so the
/// search that ignores them has something to find.
const CHANGES: [&str; 6] = [
    "تقليل وقت الانتظار في المراكز الصحية",
    "الخِدْمَات الإلكترونية تحتاج إلى تطبيق أسهل",
    "مواعيد أكثر مرونة لكبار السن",
    "More evening appointments at service centres",
    "إستجابة أسرع على الهاتف",
    "Clearer information about school transport",
];

pub(super) const CHANNELS: [&str; 3] = ["web", "mobile", "assisted"];

//! Demo surveys for the quick start (on an empty database): an open survey that uses every
//! question type and a show-if rule, a quarterly periodic survey with three closed waves and a
//! few hundred generated responses each, and a closed consultation survey.

use chrono::{DateTime, Duration, Months, Utc};
use uuid::Uuid;

mod pulse;

pub use pulse::pulse_survey;
use pulse::{CHANNELS, Dice, pulse_answers};

use crate::store::{Db, StoreError};
use crate::surveys::StakeholderGroup;
use crate::surveys::conditions::{Answers, Condition};
use crate::surveys::db::{self, NewResponse, Settings};
use crate::surveys::lifecycle::{Recurrence, Status};
use crate::surveys::model::{Choice, Definition, Kind, Question, Section, Text};

fn question(key: &str, ar: &str, en: &str, required: bool, kind: Kind) -> Question {
    Question {
        key: key.to_owned(),
        text: Text::new(ar, en),
        help: Text::default(),
        required,
        show_if: None,
        kind,
    }
}

fn choices(list: &[(&str, &str, &str)]) -> Vec<Choice> {
    list.iter()
        .map(|(k, ar, en)| Choice::new(k, ar, en))
        .collect()
}

/// Every question type, in two sections, with a rule.
pub fn every_type_survey() -> Definition {
    let channels = choices(&[
        ("web", "الموقع الإلكتروني", "The website"),
        ("app", "تطبيق الجوال", "The mobile app"),
        ("centre", "مركز الخدمة", "A service centre"),
        ("phone", "مركز الاتصال", "The call centre"),
    ]);
    let mut uses = question(
        "uses_services",
        "هل استخدمت خدماتنا الرقمية خلال الأشهر الستة الماضية؟",
        "Have you used our digital services in the past six months?",
        true,
        Kind::YesNo,
    );
    uses.help = Text::new(
        "مثل حجز المواعيد أو تقديم الطلبات عبر الإنترنت.",
        "Such as booking appointments or applying online.",
    );
    let mut rate = question(
        "satisfaction",
        "ما مدى رضاك عن الخدمات الرقمية؟",
        "How satisfied are you with the digital services?",
        true,
        Kind::new_of("rating").unwrap_or(Kind::Nps),
    );
    rate.show_if = Some(Condition::Equals {
        question: "uses_services".into(),
        value: "yes".into(),
    });
    let mut why = question(
        "why_not",
        "ما الذي منعك من استخدامها؟",
        "What kept you from using them?",
        false,
        Kind::MultipleChoice {
            choices: choices(&[
                (
                    "unaware",
                    "لم أكن أعلم بوجودها",
                    "I did not know about them",
                ),
                ("hard", "صعبة الاستخدام", "Hard to use"),
                (
                    "access",
                    "لا يتوفر لي اتصال أو جهاز مناسب",
                    "No suitable connection or device",
                ),
                (
                    "trust",
                    "لا أثق بحماية بياناتي",
                    "I do not trust how my data is protected",
                ),
            ]),
            other: true,
            min: None,
            max: Some(3),
        },
    );
    why.show_if = Some(Condition::Equals {
        question: "uses_services".into(),
        value: "no".into(),
    });
    let first = Section {
        title: Text::new("تجربتك", "Your experience"),
        questions: vec![
            uses,
            rate,
            why,
            question(
                "channel",
                "ما القناة التي تفضّلها للتواصل معنا؟",
                "Which channel do you prefer for contacting us?",
                true,
                Kind::SingleChoice {
                    choices: channels.clone(),
                    other: true,
                },
            ),
            question(
                "region",
                "في أي إمارة تقيم؟",
                "Which emirate do you live in?",
                false,
                Kind::Dropdown {
                    choices: choices(&[
                        ("abu_dhabi", "أبوظبي", "Abu Dhabi"),
                        ("dubai", "دبي", "Dubai"),
                        ("sharjah", "الشارقة", "Sharjah"),
                        ("ajman", "عجمان", "Ajman"),
                        ("umm_al_quwain", "أم القيوين", "Umm Al Quwain"),
                        ("ras_al_khaimah", "رأس الخيمة", "Ras Al Khaimah"),
                        ("fujairah", "الفجيرة", "Fujairah"),
                    ]),
                    other: false,
                },
            ),
            question(
                "recommend",
                "ما مدى احتمال أن توصي بخدماتنا لصديق؟",
                "How likely are you to recommend our services to a friend?",
                false,
                Kind::Nps,
            ),
            question(
                "aspects",
                "قيّم الجوانب التالية:",
                "Rate the following:",
                false,
                Kind::Matrix {
                    rows: choices(&[
                        ("speed", "سرعة الإنجاز", "Speed"),
                        ("clarity", "وضوح المعلومات", "Clarity of information"),
                        ("courtesy", "لباقة الموظفين", "Courtesy of staff"),
                    ]),
                    scale: choices(&[
                        ("1", "ضعيف", "Poor"),
                        ("2", "مقبول", "Fair"),
                        ("3", "جيد", "Good"),
                        ("4", "ممتاز", "Excellent"),
                    ]),
                },
            ),
            question(
                "priorities",
                "رتّب أولويات التحسين:",
                "Rank what to improve first:",
                false,
                Kind::Ranking {
                    choices: choices(&[
                        ("wait", "أوقات الانتظار", "Waiting times"),
                        (
                            "online",
                            "المزيد من الخدمات الإلكترونية",
                            "More services online",
                        ),
                        ("info", "معلومات أوضح", "Clearer information"),
                    ]),
                },
            ),
        ],
        ..Section::new("experience")
    };
    let second = Section {
        title: Text::new("عنك وأفكارك", "About you and your ideas"),
        questions: vec![
            question(
                "idea",
                "ما فكرة واحدة تحسّن خدماتنا؟",
                "What one idea would improve our services?",
                false,
                Kind::ShortText {
                    max_length: Some(200),
                },
            ),
            question(
                "details",
                "أخبرنا بالمزيد إن رغبت.",
                "Tell us more if you wish.",
                false,
                Kind::LongText { max_length: 2000 },
            ),
            question(
                "visits",
                "كم مرة راجعت مراكز الخدمة هذا العام؟",
                "How many times did you visit a service centre this year?",
                false,
                Kind::Number {
                    decimal: false,
                    min: Some(0.0),
                    max: Some(100.0),
                },
            ),
            question(
                "last_visit",
                "متى كانت آخر مراجعة؟",
                "When was your last visit?",
                false,
                Kind::Date,
            ),
            question(
                "email",
                "بريدك الإلكتروني إن أردت أن نبلغك بما تغيّر",
                "Your email, if you want to hear what changed",
                false,
                Kind::Email,
            ),
            question(
                "phone",
                "رقم هاتفك (اختياري)",
                "Your phone number (optional)",
                false,
                Kind::Phone,
            ),
        ],
        ..Section::new("about")
    };
    Definition {
        title: Text::new(
            "استبيان رضا المستفيدين عن الخدمات الرقمية",
            "Digital services satisfaction survey",
        ),
        description: Text::new(
            "ساعدنا على تحسين خدماتنا الرقمية. يستغرق الاستبيان نحو خمس دقائق، وتُستخدم إجاباتك لتطوير الخدمات.",
            "Help us improve our digital services. It takes about five minutes; your answers shape the next improvements.",
        ),
        sections: vec![first, second],
        ..Definition::default()
    }
}

/// The public address of the demo's open survey (`/{lang}/s/digital-services`).
pub const DEMO_SLUG: &str = "digital-services";
/// The public address of the demo's quarterly pulse.
pub const PULSE_SLUG: &str = "quarterly-pulse";

/// Seeds the demo surveys (see the module comment).
pub async fn seed(db: &Db, now: DateTime<Utc>, author: Option<Uuid>) -> Result<(), StoreError> {
    // An open survey with every question type.
    let open = db::create(db, &every_type_survey(), author, now).await?;
    let settings = Settings {
        opens_at: Some(now - Duration::days(3)),
        closes_at: Some(now + Duration::days(45)),
        recurrence: None,
        wave_days: None,
        topic: "digital_services".into(),
        groups: Vec::new(),
    };
    db::save_settings(db, open, &settings, now).await?;
    db::set_status(db, open, Status::Draft, Status::Open, now).await?;
    // Its public address: /{lang}/s/digital-services.
    crate::responses::db::save_collection_settings(
        db,
        open,
        Some(DEMO_SLUG),
        crate::responses::IdentityMode::Anonymous,
        now,
    )
    .await?;

    // The quarterly pulse: three closed waves with responses; the fourth opens in ten days.
    let pulse = db::create(db, &pulse_survey(), author, now).await?;
    // Rounds open at midnight UAE time, as an author would set them.
    let first = crate::surveys::lifecycle::start_of(
        crate::dates::in_uae(
            now.checked_sub_months(Months::new(9)).unwrap_or(now) + Duration::days(10),
        )
        .date_naive(),
    );
    let settings = Settings {
        opens_at: Some(first),
        closes_at: None,
        recurrence: Some(Recurrence::Quarterly),
        wave_days: Some(21),
        topic: "social_services".into(),
        groups: Vec::new(),
    };
    db::save_settings(db, pulse, &settings, now).await?;
    db::set_status(db, pulse, Status::Draft, Status::Open, now).await?;
    // Its public address: /{lang}/s/quarterly-pulse (between rounds, it says when the next
    // opens and takes addresses to tell).
    crate::responses::db::save_collection_settings(
        db,
        pulse,
        Some(PULSE_SLUG),
        crate::responses::IdentityMode::Anonymous,
        now,
    )
    .await?;
    db::tick(db, now).await?;
    let mut dice = Dice(2026);
    for (mood, wave) in db::waves(db, pulse).await?.into_iter().enumerate() {
        let generated: Vec<(StakeholderGroup, Answers, DateTime<Utc>, &str)> = (0..180
            + dice.roll(80))
            .map(|_| {
                let (group, answers) = pulse_answers(&mut dice, mood as u64);
                let at = wave.opens_at + Duration::minutes(dice.roll(20 * 24 * 60) as i64);
                (group, answers, at, CHANNELS[dice.weighted(&[70, 22, 8])])
            })
            .collect();
        // Completion times of two to twelve minutes.
        let durations: Vec<i64> = generated
            .iter()
            .map(|_| 120 + dice.roll(600) as i64)
            .collect();
        let rows: Vec<NewResponse> = generated
            .iter()
            .zip(&durations)
            .map(|((group, answers, at, channel), duration)| NewResponse {
                survey: pulse,
                wave: Some(wave.id),
                survey_version: 1,
                stakeholder_group: group.code(),
                channel,
                answers,
                submitted_at: *at,
                duration: Some(*duration),
            })
            .collect();
        db::insert_responses(db, &rows).await?;
        // Some people began and did not finish: they count against the completion rate.
        for _ in 0..(20 + dice.roll(40)) {
            let (group, _) = pulse_answers(&mut dice, mood as u64);
            let at = wave.opens_at + Duration::minutes(dice.roll(20 * 24 * 60) as i64);
            let number = i32::try_from(wave.number).unwrap_or(0);
            crate::results::db::count_start(db, pulse, number, at, group.code(), "web").await?;
        }
    }

    // The pulse's results are public, so the way from a voice to what is published can be seen.
    crate::results::db::save_settings(db, pulse, true, &std::collections::BTreeMap::new()).await?;

    // A consultation survey that has closed.
    let mut closed = every_type_survey();
    closed.title = Text::new(
        "استشارة حول مسودة سياسة البيانات المفتوحة",
        "Consultation on the draft open data policy",
    );
    closed.description = Text::new(
        "انتهت الاستشارة. شكراً لكل من شارك؛ ستُنشر خلاصة الملاحظات وما تغيّر بسببها.",
        "This consultation has ended. Thank you to everyone who took part; a summary and what changed will be published.",
    );
    let consultation = db::create(db, &closed, author, now).await?;
    let settings = Settings {
        opens_at: Some(now - Duration::days(60)),
        closes_at: Some(now - Duration::days(14)),
        recurrence: None,
        wave_days: None,
        topic: "digital_services".into(),
        groups: vec!["expert".into(), "academic".into(), "ngo".into()],
    };
    db::save_settings(db, consultation, &settings, now).await?;
    db::set_status(db, consultation, Status::Draft, Status::Closed, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_definitions_are_publishable_and_use_every_type() {
        for definition in [every_type_survey(), pulse_survey()] {
            assert_eq!(
                crate::surveys::validate::for_publishing(&definition),
                vec![]
            );
        }
        let every = every_type_survey();
        let used: std::collections::BTreeSet<&str> =
            every.questions().map(|(_, q)| q.kind.code()).collect();
        assert_eq!(used.len(), crate::surveys::model::KIND_CODES.len());
        assert!(every.questions().any(|(_, q)| q.show_if.is_some()));
    }
}

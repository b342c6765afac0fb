//! The results bench's data: a deterministic generator, a survey of 20 questions of mixed
//! types, and the generated responses stored through the real write path.

use std::time::Instant;

use anyhow::{Result, bail};
use app::responses::{Channel, Submission};
use app::store::Db;
use app::surveys::StakeholderGroup;
use app::surveys::conditions::{Answer, Answers};
use app::surveys::model::{Choice, Definition, Kind, Question, Section, Text};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A small deterministic generator (xorshift), so every run measures the same data.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides.max(1)
    }

    fn weighted(&mut self, weights: &[u64]) -> usize {
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

fn choices(n: usize) -> Vec<Choice> {
    (1..=n)
        .map(|i| {
            Choice::new(
                &format!("c{i}"),
                &format!("الخيار {i}"),
                &format!("Option {i}"),
            )
        })
        .collect()
}

fn question(key: &str, kind: Kind) -> Question {
    Question {
        key: key.to_owned(),
        text: Text::new(format!("السؤال {key}"), format!("Question {key}")),
        help: Text::default(),
        required: false,
        show_if: None,
        kind,
    }
}

/// Twenty questions: choices of every sort, scales, a matrix, a ranking, numbers, texts, a date.
fn definition() -> Definition {
    let kinds = vec![
        Kind::SingleChoice {
            choices: choices(5),
            other: true,
        },
        Kind::SingleChoice {
            choices: choices(3),
            other: false,
        },
        Kind::MultipleChoice {
            choices: choices(6),
            other: false,
            min: None,
            max: None,
        },
        Kind::Dropdown {
            choices: choices(12),
            other: false,
        },
        Kind::YesNo,
        Kind::Rating {
            min: 1,
            max: 5,
            min_label: Text::default(),
            max_label: Text::default(),
        },
        Kind::Rating {
            min: 1,
            max: 7,
            min_label: Text::default(),
            max_label: Text::default(),
        },
        Kind::Nps,
        Kind::Matrix {
            rows: choices(4),
            scale: (1..=5)
                .map(|i| Choice::new(&i.to_string(), &i.to_string(), &i.to_string()))
                .collect(),
        },
        Kind::Ranking {
            choices: choices(4),
        },
        Kind::Number {
            decimal: false,
            min: Some(0.0),
            max: Some(120.0),
        },
        Kind::Number {
            decimal: true,
            min: Some(0.0),
            max: Some(100.0),
        },
        Kind::ShortText {
            max_length: Some(200),
        },
        Kind::LongText { max_length: 2000 },
        Kind::Date,
        Kind::YesNo,
        Kind::SingleChoice {
            choices: choices(4),
            other: false,
        },
        Kind::MultipleChoice {
            choices: choices(8),
            other: true,
            min: None,
            max: None,
        },
        Kind::Rating {
            min: 1,
            max: 10,
            min_label: Text::default(),
            max_label: Text::default(),
        },
        Kind::Email,
    ];
    let mut section = Section::new("s1");
    section.questions = kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| question(&format!("q{}", i + 1), kind))
        .collect();
    Definition {
        title: Text::new("استبيان قياس النتائج", "Results benchmark survey"),
        sections: vec![section],
        ..Definition::default()
    }
}

fn key(dice: &mut Dice, n: u64) -> String {
    format!("c{}", 1 + dice.roll(n))
}

/// One random response to the twenty questions (some left unanswered).
fn answers(dice: &mut Dice) -> Answers {
    let mut a = Answers::new();
    let mut put = |k: &str, answer: Answer| {
        a.insert(k.to_owned(), answer);
    };
    put("q1", Answer::choice(&key(dice, 5)));
    put("q2", Answer::choice(&key(dice, 3)));
    let picked: Vec<String> = (1..=6)
        .filter(|_| dice.roll(3) == 0)
        .map(|i| format!("c{i}"))
        .collect();
    put(
        "q3",
        Answer::Choices {
            keys: picked,
            other: None,
        },
    );
    put("q4", Answer::choice(&key(dice, 12)));
    put(
        "q5",
        Answer::choice(if dice.roll(2) == 0 { "yes" } else { "no" }),
    );
    put("q6", Answer::Number((1 + dice.roll(5)) as f64));
    put("q7", Answer::Number((1 + dice.roll(7)) as f64));
    put("q8", Answer::Number(dice.roll(11) as f64));
    let rows = (1..=4)
        .map(|r| (format!("c{r}"), (1 + dice.roll(5)).to_string()))
        .collect();
    put("q9", Answer::Matrix(rows));
    let mut order: Vec<String> = (1..=4).map(|i| format!("c{i}")).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, dice.roll(i as u64 + 1) as usize);
    }
    put("q10", Answer::Ranking(order));
    put("q11", Answer::Number((16 + dice.roll(70)) as f64));
    put("q12", Answer::Number(dice.roll(1000) as f64 / 10.0));
    if dice.roll(3) == 0 {
        put("q13", Answer::Text("الخدمات الرقمية سهلة".into()));
    }
    if dice.roll(5) == 0 {
        put(
            "q14",
            Answer::Text("Faster appointments, please. =SUM(A1) is not a formula here.".into()),
        );
    }
    let day =
        chrono::NaiveDate::from_ymd_opt(2026, 1 + dice.roll(12) as u32, 1 + dice.roll(28) as u32);
    if let Some(day) = day {
        put("q15", Answer::Date(day));
    }
    put(
        "q16",
        Answer::choice(if dice.roll(4) == 0 { "yes" } else { "no" }),
    );
    put("q17", Answer::choice(&key(dice, 4)));
    let picked: Vec<String> = (1..=8)
        .filter(|_| dice.roll(4) == 0)
        .map(|i| format!("c{i}"))
        .collect();
    put(
        "q18",
        Answer::Choices {
            keys: picked,
            other: None,
        },
    );
    put("q19", Answer::Number((1 + dice.roll(10)) as f64));
    if dice.roll(10) == 0 {
        put("q20", Answer::Text("someone@example.org".into()));
    }
    a
}

/// Creates and opens the survey, then stores `n` responses spread evenly over `span` from
/// `start` through the real write path, 2,000 per transaction; answers the survey id and the
/// load rate.
pub async fn fill(
    db: &Db,
    n: u64,
    start: DateTime<Utc>,
    span: chrono::Duration,
) -> Result<(Uuid, f64)> {
    let definition = definition();
    let problems = app::surveys::validate::for_publishing(&definition);
    if !problems.is_empty() {
        bail!("the bench survey is not publishable: {problems:?}");
    }
    let now = Utc::now();
    let id = app::surveys::db::create(db, &definition, None, now).await?;
    if !app::surveys::db::set_status(
        db,
        id,
        app::surveys::Status::Draft,
        app::surveys::Status::Open,
        now,
    )
    .await?
    {
        bail!("could not open the bench survey");
    }
    let mut dice = Dice(0x5eed_1234_abcd_ef01);
    let span_s = u64::try_from(span.num_seconds()).unwrap_or(0);
    let began = Instant::now();
    let mut done = 0u64;
    while done < n {
        let size = (n - done).min(2000);
        let batch: Vec<Submission> = (0..size)
            .map(|i| {
                let offset = (done + i) * span_s / n.max(1);
                Submission {
                    id: Uuid::new_v4(),
                    survey: id,
                    wave: None,
                    survey_version: 1,
                    stakeholder_group: StakeholderGroup::ALL
                        [dice.weighted(&[40, 25, 8, 7, 8, 6, 6])]
                    .code()
                    .to_owned(),
                    channel: Channel::ALL[dice.weighted(&[55, 20, 10, 5, 4, 3, 3])],
                    source: None,
                    answers: answers(&mut dice),
                    entered_by: None,
                    invitation: None,
                    submitted_at: start + chrono::Duration::seconds(offset as i64),
                    duration: Some(60 + dice.roll(900) as i64),
                }
            })
            .collect();
        app::responses::db::store(db, &batch).await?;
        done += size;
        if done.is_multiple_of(100_000) || done == n {
            eprintln!(
                "  stored {done} responses ({:.0}/s)",
                done as f64 / began.elapsed().as_secs_f64()
            );
        }
    }
    Ok((id, n as f64 / began.elapsed().as_secs_f64()))
}

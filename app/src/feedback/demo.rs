//! The quick start's feedback desk: a specialist team that answers social-services topics, the
//! UAE's fixed public holidays around now (Islamic holidays move each year: staff add them once
//! confirmed), and a few cases in different states, one answered and rated, so the whole loop
//! can be seen.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::actions::{self, Desk, Intake};
use super::clock::{Counting, ServiceLevel};
use super::rules::{CaseInput, check};
use super::{Channel, Holiday, TopicRoute, db};
use crate::Locale;
use crate::accounts::CurrentUser;
use crate::audit::Actor;
use crate::on_db;
use crate::store::{Db, StoreError};

/// The demo team's names.
const TEAM: (&str, &str) = ("فريق الخدمات المجتمعية", "Community services team");

struct Sample {
    topic: &'static str,
    channel: Channel,
    language: Locale,
    message: &'static str,
    reply: Option<&'static str>,
    hours_ago: i64,
}

const SAMPLES: &[Sample] = &[
    Sample {
        topic: "social_services",
        channel: Channel::Web,
        language: Locale::Ar,
        message: "أرجو توضيح شروط الاستفادة من برنامج دعم الأسر الجديدة، فالمعلومات في الموقع غير كافية.",
        reply: Some(
            "شكراً لتواصلك. يشمل البرنامج الأسر المواطنة التي مضى على زواجها أقل من خمس سنوات، ويمكن التقديم عبر مراكز التنمية الأسرية. أضفنا الشروط كاملة إلى صفحة البرنامج.",
        ),
        hours_ago: 50,
    },
    Sample {
        topic: "digital_services",
        channel: Channel::Phone,
        language: Locale::En,
        message: "The appointment booking page times out on my phone before I can choose a centre.",
        reply: None,
        hours_ago: 60,
    },
    Sample {
        topic: "social_services",
        channel: Channel::Web,
        language: Locale::Ar,
        message: "أقترح تمديد ساعات عمل مركز الإرشاد الأسري إلى المساء ليتمكن الموظفون من الحضور.",
        reply: None,
        hours_ago: 5,
    },
];

/// Seeds the demo desk; `staff` is the demo administrator, who answers the first case.
pub async fn seed(
    db: &Db,
    desk: &Desk,
    staff: Option<CurrentUser>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let team = Uuid::now_v7();
    on_db!(db, |pool| {
        sqlx::query("INSERT INTO teams (id, name_ar, name_en, created_at) VALUES ($1, $2, $3, $4)")
            .bind(team)
            .bind(TEAM.0)
            .bind(TEAM.1)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    if let Some(staff) = &staff {
        on_db!(db, |pool| {
            sqlx::query("INSERT INTO team_members (team_id, user_id, lead) VALUES ($1, $2, TRUE)")
                .bind(team)
                .bind(staff.id)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
    }
    for (topic, level) in [
        ("social_services", ServiceLevel::default()),
        (
            "digital_services",
            ServiceLevel {
                amount: 16,
                counting: Counting::WorkingHours,
            },
        ),
    ] {
        let route = TopicRoute {
            topic: topic.to_owned(),
            team: Some(team),
            level,
        };
        db::set_route(db, &route, now).await?;
    }
    let year = crate::dates::in_uae(now).year();
    for (month, day, ar, en) in [
        (1, 1, "رأس السنة الميلادية", "New Year's Day"),
        (12, 2, "عيد الاتحاد", "National Day"),
        (12, 3, "عيد الاتحاد", "National Day"),
    ] {
        if let Some(day) = NaiveDate::from_ymd_opt(year, month, day) {
            let holiday = Holiday {
                day,
                name_ar: ar.to_owned(),
                name_en: en.to_owned(),
            };
            db::put_holiday(db, &holiday).await?;
        }
    }
    let actor = staff.map(|user| Actor {
        user,
        address: None,
    });
    for sample in SAMPLES {
        let input = CaseInput {
            topic: sample.topic.to_owned(),
            message: sample.message.to_owned(),
            reply_by: if sample.channel == Channel::Phone {
                "phone"
            } else {
                "web"
            }
            .to_owned(),
            phone: if sample.channel == Channel::Phone {
                "+971 50 123 4567".to_owned()
            } else {
                String::new()
            },
            group: "citizen".to_owned(),
            ..CaseInput::default()
        };
        let Ok(fields) = check(&input, sample.channel) else {
            continue;
        };
        let at = now - Duration::hours(sample.hours_ago);
        let intake = Intake {
            fields,
            language: sample.language,
            recorded_by: None,
            token_id: None,
            client_id: None,
            webhook_url: None,
            participant: None,
        };
        let received = match actions::submit(db, desk, intake, at).await {
            Ok(received) => received,
            Err(actions::FeedbackError::Store(error)) => return Err(error),
            Err(_) => continue,
        };
        if let (Some(reply), Some(actor)) = (sample.reply, &actor) {
            let answered = at + Duration::hours(20);
            let done = actions::assign(
                db,
                actor,
                received.id,
                actor.user.id,
                at + Duration::hours(2),
            )
            .await
            .and(actions::reply(db, desk, actor, received.id, reply, false, answered).await);
            if let Err(actions::FeedbackError::Store(error)) = done {
                return Err(error);
            }
            // The participant was satisfied: the figures have a rating to show.
            let entries = db::entries(db, received.id).await?;
            if let Some(reply) = entries.iter().find(|e| e.kind == super::EntryKind::Reply) {
                let rating = super::Rating {
                    score: 4,
                    comment: "شكراً، الرد واضح.".to_owned(),
                    not_answered: false,
                    rated_at: answered + Duration::hours(3),
                };
                db::rate(db, received.id, reply.id, &rating, rating.rated_at).await?;
            }
        }
    }
    Ok(())
}

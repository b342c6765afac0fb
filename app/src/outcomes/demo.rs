//! The quick start's "you said, we did": an outcome of the quarterly pulse survey, published
//! with its before/after indicator (trust, wave by wave) and in progress, and one answering
//! feedback on digital services, done. Nobody is written to: the demo has no addresses.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::rules::{Link, OutcomeFields};
use super::{OutcomeStatus, db};
use crate::on_db;
use crate::store::{Db, StoreError};
use crate::text::Text;

/// The survey opportunity whose results are public (the pulse), if the demo has it.
async fn pulse(db: &Db) -> Result<Option<Uuid>, StoreError> {
    let row: Option<(Uuid,)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT o.id FROM opportunities o JOIN surveys s ON s.id = o.survey_id
             WHERE s.results_public ORDER BY o.created_at LIMIT 1",
        )
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(id,)| id))
}

fn day(now: DateTime<Utc>, days: i64) -> Option<NaiveDate> {
    Some(crate::dates::in_uae(now + Duration::days(days)).date_naive())
}

/// Adds and publishes one outcome, with its progress after publication.
async fn publish(
    db: &Db,
    fields: OutcomeFields,
    topic: &str,
    progress: &[(OutcomeStatus, &str, &str)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let at = now - Duration::days(40);
    let id = db::create(db, &fields, topic, at).await?;
    let Some(outcome) = db::find(db, id).await? else {
        return Ok(());
    };
    let snapshot = super::actions::snapshot(db, &outcome, at).await?;
    let json = serde_json::to_string(&snapshot)
        .map_err(|e| StoreError::Corrupt(format!("demo snapshot: {e}")))?;
    let note = Text::new(
        crate::Locale::Ar.t("outcomes.published_note"),
        crate::Locale::En.t("outcomes.published_note"),
    );
    db::publish(db, id, 0, &json, &note, None, at).await?;
    for (version, (status, ar, en)) in (1..).zip(progress.iter()) {
        let when = at + Duration::days(12 * i64::from(version));
        db::add_update(db, id, version, *status, &Text::new(*ar, *en), None, when).await?;
    }
    Ok(())
}

pub async fn seed(db: &Db, now: DateTime<Utc>) -> Result<(), StoreError> {
    if let Some(opportunity) = pulse(db).await? {
        let fields = OutcomeFields {
            link: Link::Opportunity(opportunity),
            title: Text::new(
                "مواعيد أوضح وردود أسرع في مراكز الخدمة",
                "Clearer appointments and faster answers at service centres",
            ),
            said: Text::new(
                "قال كثير من المشاركين في نبض الخدمات الفصلي إن الانتظار في مراكز الخدمة طويل وإن المواعيد غير واضحة، وكانت الثقة بجودة الخدمات في الدورة الأولى دون المأمول.",
                "Many people in the quarterly services pulse said waiting at service centres was long and appointments unclear, and trust in the quality of services was lower than hoped in the first wave.",
            ),
            did: Text::new(
                "أطلقنا حجز المواعيد برسالة نصية تؤكد الموعد وتذكّر به، ووضعنا هدفاً للرد على كل استفسار خلال 72 ساعة.",
                "We launched appointment booking with a text message that confirms and reminds, and set a target to answer every enquiry within 72 hours.",
            ),
            responsible: Text::new("إدارة تجربة المتعاملين", "Customer Experience Department"),
            status: OutcomeStatus::Planned,
            reason: Text::default(),
            due_on: day(now, 60),
            indicator: Some("trust".to_owned()),
        };
        publish(
            db,
            fields,
            "social_services",
            &[(
                OutcomeStatus::InProgress,
                "بدأ الحجز برسالة نصية في مركزين من خمسة.",
                "Text-message booking has started at two centres out of five.",
            )],
            now,
        )
        .await?;
    }
    let fields = OutcomeFields {
        link: Link::Topic("digital_services".to_owned()),
        title: Text::new(
            "نموذج ملاحظات يعمل على الهاتف",
            "A feedback form that works on phones",
        ),
        said: Text::new(
            "وصلتنا ملاحظات عديدة بأن النموذج صعب الاستخدام على الهواتف الصغيرة ومع قارئات الشاشة.",
            "We received many messages saying the form was hard to use on small phones and with screen readers.",
        ),
        did: Text::new(
            "أعدنا تصميم النموذج ليعمل على أي شاشة وبلوحة المفاتيح وقارئات الشاشة، دون حاجة إلى تثبيت أي برنامج.",
            "We redesigned the form to work on any screen, with the keyboard and with screen readers, with nothing to install.",
        ),
        responsible: Text::new("إدارة الخدمات الرقمية", "Digital Services Department"),
        status: OutcomeStatus::Planned,
        reason: Text::default(),
        due_on: day(now, -5),
        indicator: None,
    };
    publish(
        db,
        fields,
        "digital_services",
        &[
            (
                OutcomeStatus::InProgress,
                "اختبرنا النموذج الجديد مع مستخدمين من ذوي الإعاقة.",
                "We tested the new form with users with disabilities.",
            ),
            (
                OutcomeStatus::Done,
                "النموذج الجديد متاح للجميع.",
                "The new form is live for everyone.",
            ),
        ],
        now,
    )
    .await
}

//! Demo opportunities for the quick start: consultations (the first with a document in
//! sections), workshops and events around `now`, some open, some upcoming, some closed, in both
//! languages.

use chrono::{DateTime, Duration, Utc};

use super::db;
use super::rules::OpportunityFields;
use super::{OpportunityKind, StakeholderGroup};
use crate::store::{Db, StoreError};

/// One demo opportunity: its texts, and its dates as days from now (and an hour of the day).
struct Sample {
    kind: OpportunityKind,
    title: (&'static str, &'static str),
    summary: (&'static str, &'static str),
    body: (&'static str, &'static str),
    topic: &'static str,
    groups: &'static [StakeholderGroup],
    starts: Option<i64>,
    ends: Option<i64>,
    location: &'static str,
    link: &'static str,
}

use OpportunityKind::{Consultation, Event, Workshop};
use StakeholderGroup::{
    Academic, Citizen, Expert, GovernmentEntity, Ngo, PrivateCompany, Resident,
};

const SAMPLES: &[Sample] = &[
    Sample {
        kind: Consultation,
        title: (
            "استشارة عامة حول مسودة استراتيجية التطوع الوطنية",
            "Public consultation on the draft national volunteering strategy",
        ),
        summary: (
            "نرغب في معرفة آرائكم في الأهداف والمبادرات المقترحة لتشجيع العمل التطوعي.",
            "Tell us what you think of the proposed goals and initiatives to encourage volunteering.",
        ),
        body: (
            "أعدّت الوزارة مسودة استراتيجية وطنية للتطوع للسنوات الخمس المقبلة.\n\nنرحّب بملاحظاتكم على الأهداف المقترحة، وعلى سبل تسهيل التطوع للشباب وكبار السن والأشخاص ذوي الإعاقة.",
            "The ministry has drafted a national volunteering strategy for the next five years.\n\nWe welcome your comments on the proposed goals, and on ways to make volunteering easier for young people, older people and people with disabilities.",
        ),
        topic: "social_services",
        groups: &[],
        starts: Some(-10),
        ends: Some(20),
        location: "",
        link: "",
    },
    Sample {
        kind: Consultation,
        title: (
            "استشارة حول تبسيط إجراءات تسجيل الجمعيات الأهلية",
            "Consultation on simpler registration for community associations",
        ),
        summary: (
            "اقتراحات لتقليص المستندات والمدة اللازمة لتسجيل الجمعيات الأهلية إلكترونياً.",
            "Proposals to cut the documents and time needed to register a community association online.",
        ),
        body: (
            "نقترح دمج خطوات التسجيل في خدمة إلكترونية واحدة.\n\nشاركونا تجاربكم مع الإجراءات الحالية وما ترونه ضرورياً للتغيير.",
            "We propose to bring the registration steps together in one online service.\n\nShare your experience of the current process and what you think must change.",
        ),
        topic: "digital_services",
        groups: &[GovernmentEntity, Ngo, Expert],
        starts: Some(-3),
        ends: Some(6),
        location: "",
        link: "",
    },
    Sample {
        kind: Workshop,
        title: (
            "ورشة عمل: تصميم خدمات الدعم الأسري معاً",
            "Workshop: designing family support services together",
        ),
        summary: (
            "جلسة تفاعلية مع الأسر والمختصين لتصميم خدمات دعم أقرب إلى احتياجاتهم.",
            "A hands-on session with families and specialists to design support services that fit their needs.",
        ),
        body: (
            "تُعقد الورشة حضورياً ويتوفر فيها مترجم للغة الإشارة.\n\nالمقاعد محدودة؛ يُرجى التسجيل عبر الرابط.",
            "The workshop is held in person, with sign-language interpretation.\n\nPlaces are limited; please register through the link.",
        ),
        topic: "social_services",
        groups: &[Citizen, Resident, Expert],
        starts: Some(12),
        ends: Some(12),
        location: "قاعة المؤتمرات، مبنى الوزارة الرئيسي",
        link: "https://events.ministry.example/family-support-workshop",
    },
    Sample {
        kind: Workshop,
        title: (
            "ورشة بحثية حول قياس الأثر الاجتماعي",
            "Research workshop on measuring social impact",
        ),
        summary: (
            "لقاء مع الجامعات ومراكز البحث لاتفاق على مؤشرات قياس أثر المبادرات المجتمعية.",
            "A meeting with universities and research centres to agree indicators for the impact of community initiatives.",
        ),
        body: (
            "نعرض مقترحاً لمؤشرات الأثر ونناقشه مع الباحثين.",
            "We present draft impact indicators and discuss them with researchers.",
        ),
        topic: "education",
        groups: &[Expert, Academic],
        starts: Some(25),
        ends: Some(25),
        location: "",
        link: "https://meet.ministry.example/impact-research",
    },
    Sample {
        kind: Event,
        title: (
            "ملتقى الشباب للمشاركة المجتمعية",
            "Youth forum on community participation",
        ),
        summary: (
            "يوم مفتوح للحوار مع الشباب حول أولويات مجتمعهم.",
            "An open day of dialogue with young people about their community's priorities.",
        ),
        body: (
            "يتضمن الملتقى جلسات نقاش وعروضاً لمبادرات شبابية ناجحة.",
            "The forum includes discussion sessions and showcases of successful youth initiatives.",
        ),
        topic: "culture",
        groups: &[],
        starts: Some(2),
        ends: Some(2),
        location: "المركز الثقافي، القاعة الكبرى",
        link: "",
    },
    Sample {
        kind: Event,
        title: (
            "لقاء مفتوح مع القطاع الخاص حول المسؤولية المجتمعية",
            "Open meeting with the private sector on social responsibility",
        ),
        summary: (
            "نناقش مع الشركات سبل الشراكة في برامج التمكين المجتمعي.",
            "We discuss with companies how to partner in community empowerment programmes.",
        ),
        body: (
            "اللقاء مفتوح لممثلي الشركات والغرف التجارية.",
            "The meeting is open to representatives of companies and chambers of commerce.",
        ),
        topic: "economy",
        groups: &[PrivateCompany],
        starts: Some(-40),
        ends: Some(-40),
        location: "غرفة التجارة والصناعة",
        link: "",
    },
    Sample {
        kind: Consultation,
        title: (
            "استشارة حول برنامج الأحياء الخضراء",
            "Consultation on the green neighbourhoods programme",
        ),
        summary: (
            "جمعنا آراءكم في مقترحات تشجير الأحياء وتحسين المساحات العامة.",
            "We gathered your views on proposals to plant trees and improve public spaces in neighbourhoods.",
        ),
        body: (
            "انتهت فترة الاستشارة. سننشر ملخص الآراء وما قررناه بناءً عليها.",
            "The consultation has closed. We will publish a summary of the views and what we decided because of them.",
        ),
        topic: "environment",
        groups: &[Citizen, Resident],
        starts: Some(-60),
        ends: Some(-15),
        location: "",
        link: "",
    },
    Sample {
        kind: Consultation,
        title: (
            "استشارة حول خدمات الرعاية الصحية المنزلية",
            "Consultation on home healthcare services",
        ),
        summary: (
            "نستطلع آراءكم في توسيع خدمات الرعاية الصحية المنزلية لكبار السن.",
            "We would like your views on extending home healthcare services for older people.",
        ),
        body: (
            "تبدأ الاستشارة قريباً وتستمر أربعة أسابيع.",
            "The consultation starts soon and runs for four weeks.",
        ),
        topic: "health",
        groups: &[],
        starts: Some(7),
        ends: Some(35),
        location: "",
        link: "",
    },
];

/// A day `days` from `now`, at `hour` o'clock UTC.
fn day(now: DateTime<Utc>, days: i64, hour: u32) -> Option<DateTime<Utc>> {
    let date = (now + Duration::days(days)).date_naive();
    Some(date.and_hms_opt(hour, 0, 0)?.and_utc())
}

fn fields(sample: &Sample, now: DateTime<Utc>) -> OpportunityFields {
    // Consultations run from morning to late evening; workshops and events last a morning.
    let (start_hour, end_hour) = if sample.kind == Consultation {
        (8, 23)
    } else {
        (9, 13)
    };
    OpportunityFields {
        kind: sample.kind,
        title_ar: sample.title.0.to_owned(),
        title_en: sample.title.1.to_owned(),
        summary_ar: sample.summary.0.to_owned(),
        summary_en: sample.summary.1.to_owned(),
        body_ar: sample.body.0.to_owned(),
        body_en: sample.body.1.to_owned(),
        topic: sample.topic.to_owned(),
        groups: sample.groups.to_vec(),
        starts_at: sample.starts.and_then(|d| day(now, d, start_hour)),
        ends_at: sample.ends.and_then(|d| day(now, d, end_hour)),
        location: sample.location.to_owned(),
        link: sample.link.to_owned(),
        published: true,
    }
}

/// Inserts the demo opportunities, dated around `now`.
pub async fn seed(db: &Db, now: DateTime<Utc>) -> Result<(), StoreError> {
    for (n, sample) in SAMPLES.iter().enumerate() {
        let id = db::create(db, &fields(sample, now), now).await?;
        // The first consultation carries a document in sections to comment on.
        if n == 0 {
            crate::consultations::demo::seed(db, id, now).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opportunities::rules::{OpportunityInput, check};
    use crate::opportunities::{Status, status};

    #[test]
    fn the_demo_set_is_valid_and_has_every_status() {
        let now = Utc::now();
        let mut seen = Vec::new();
        for sample in SAMPLES {
            let f = fields(sample, now);
            let input = OpportunityInput {
                kind: f.kind.code().to_owned(),
                title_ar: f.title_ar.clone(),
                title_en: f.title_en.clone(),
                summary_ar: f.summary_ar.clone(),
                summary_en: f.summary_en.clone(),
                body_ar: f.body_ar.clone(),
                body_en: f.body_en.clone(),
                topic: f.topic.clone(),
                groups: f.groups.iter().map(|g| g.code().to_owned()).collect(),
                starts_at: f.starts_at,
                ends_at: f.ends_at,
                location: f.location.clone(),
                link: f.link.clone(),
                published: true,
            };
            assert_eq!(check(&input), Ok(f.clone()), "{}", f.title_en);
            seen.push(status(f.starts_at, f.ends_at, now));
        }
        for wanted in Status::ALL {
            assert!(seen.contains(&wanted), "{wanted:?}");
        }
    }
}

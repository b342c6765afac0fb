//! The demo consultation's document for the quick start: the draft volunteering strategy in
//! three sections, in both languages.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::db;
use super::rules::SectionInput;
use crate::store::{Db, StoreError};

const SECTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "الهدف الأول: تطوع متاح للجميع",
        "Goal 1: Volunteering open to everyone",
        "نقترح منصة وطنية واحدة تعرض فرص التطوع في كل إمارة، بلغات متعددة، مع فرص مهيأة للأشخاص ذوي الإعاقة وكبار السن.\n\nما الذي يمنعك اليوم من التطوع؟",
        "We propose one national platform listing volunteering opportunities in every emirate, in several languages, with opportunities adapted for people with disabilities and older people.\n\nWhat stops you from volunteering today?",
    ),
    (
        "الهدف الثاني: الاعتراف بساعات التطوع",
        "Goal 2: Recognising volunteering hours",
        "نقترح سجلاً موثقاً لساعات التطوع يمكن للطلاب والموظفين إضافته إلى سيرهم الذاتية، وشهادات تصدرها الجهات المنظمة.",
        "We propose a verified record of volunteering hours that students and employees can add to their CVs, with certificates issued by the organising bodies.",
    ),
    (
        "الهدف الثالث: شراكات مع القطاع الخاص والجامعات",
        "Goal 3: Partnerships with companies and universities",
        "نقترح أن تخصص الشركات يوم عمل سنوياً للتطوع، وأن تحتسب الجامعات ساعات التطوع ضمن متطلبات التخرج.",
        "We propose that companies give staff one working day a year for volunteering, and that universities count volunteering hours towards graduation.",
    ),
];

/// Writes the demo document into the consultation `opportunity`.
pub async fn seed(db: &Db, opportunity: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
    for (heading_ar, heading_en, body_ar, body_en) in SECTIONS {
        let input = SectionInput {
            heading_ar: (*heading_ar).to_owned(),
            heading_en: (*heading_en).to_owned(),
            body_ar: (*body_ar).to_owned(),
            body_en: (*body_en).to_owned(),
        };
        db::insert_section(db, opportunity, &input, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultations::rules::check_section;

    #[test]
    fn the_demo_sections_pass_the_rules() {
        for (heading_ar, heading_en, body_ar, body_en) in SECTIONS {
            let input = SectionInput {
                heading_ar: (*heading_ar).to_owned(),
                heading_en: (*heading_en).to_owned(),
                body_ar: (*body_ar).to_owned(),
                body_en: (*body_en).to_owned(),
            };
            assert!(check_section(&input).is_ok(), "{heading_en}");
        }
    }
}

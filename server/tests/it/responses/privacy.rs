//! The note under the form tells the truth: an anonymous survey that asks for a name, a phone
//! number or an email address says which and that it keeps them; one that does not says
//! nothing identifying is kept.

use super::*;

async fn the_privacy_note_says_when_contact_details_are_asked(db: Db) {
    make_survey(&db, one_page(), "plain").await;
    let mut asks = one_page();
    asks.sections[0]
        .questions
        .push(question("phone", "Your phone number", false, Kind::Phone));
    make_survey(&db, asks.clone(), "asks-phone").await;
    asks.sections[0].questions.insert(
        0,
        question(
            "name",
            "Your full name",
            false,
            Kind::ShortText { max_length: None },
        ),
    );
    make_survey(&db, asks, "asks-name").await;
    let mut visitor = Client::new(&db);
    for (lang, anonymous, contact) in [
        (
            "en",
            "identifies you",
            "This survey asks for a phone number.",
        ),
        ("ar", "أي معلومة تدل عليك", "يطلب هذا الاستبيان رقم هاتف."),
    ] {
        let plain = visitor.get(&format!("/{lang}/s/plain")).await;
        assert_eq!(plain.status, StatusCode::OK);
        assert!(plain.body.contains(anonymous) && !plain.body.contains(contact));
        let phone = visitor.get(&format!("/{lang}/s/asks-phone")).await;
        assert_eq!(phone.status, StatusCode::OK);
        assert!(phone.body.contains(contact) && !phone.body.contains(anonymous));
        let name = visitor.get(&format!("/{lang}/s/asks-name")).await;
        let both = if lang == "en" {
            "This survey asks for your name and a phone number."
        } else {
            "يطلب هذا الاستبيان اسمك ورقم هاتف."
        };
        assert!(name.body.contains(both), "{}", name.body);
    }
}

server::on_both_backends!(the_privacy_note_says_when_contact_details_are_asked);

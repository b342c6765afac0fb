//! The Atom and iCalendar feeds, in both languages.

use super::*;

/// Every content line of an iCalendar text: CRLF-terminated and at most 75 octets.
fn assert_well_formed_ics(text: &str) {
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
    }
    assert_eq!(
        text.matches("BEGIN:VEVENT\r\n").count(),
        text.matches("END:VEVENT\r\n").count()
    );
}

async fn the_feeds_list_published_opportunities_in_each_language(db: Db) {
    let [open, upcoming, _, _, draft] = a_catalogue(&db).await;
    let long = "نرغب في معرفة آرائكم في الأهداف والمبادرات المقترحة لتشجيع العمل التطوعي في جميع أنحاء البلاد، وفي سبل تسهيله للشباب وكبار السن.";
    add(&db, OpportunityFields { summary_ar: long.to_owned(), summary_en: "x, y; z\\ and a very long English summary that needs folding more than once when written".to_owned(), ..consultation("Long text, with commas") }).await;
    let mut visitor = Client::new(&db);
    for (lang, title) in [
        ("en", "Open health consultation"),
        ("ar", "استشارة Open health consultation"),
    ] {
        let reply = visitor
            .get(&format!("/{lang}/opportunities/feed.atom"))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply
                .header(header::CONTENT_TYPE)
                .starts_with("application/atom+xml")
        );
        let feed =
            atom_syndication::Feed::read_from(reply.body.as_bytes()).expect("a valid Atom feed");
        assert_eq!(feed.lang.as_deref(), Some(lang));
        assert_eq!(feed.entries.len(), 5);
        let entry = feed
            .entries
            .iter()
            .find(|e| e.id == format!("urn:uuid:{open}"))
            .expect("the open one");
        assert_eq!(entry.title.value, title);
        assert_eq!(
            entry.links[0].href,
            format!("http://127.0.0.1:3000/{lang}/opportunities/{open}")
        );
        assert!(
            feed.entries
                .iter()
                .all(|e| e.id != format!("urn:uuid:{draft}"))
        );

        let reply = visitor
            .get(&format!("/{lang}/opportunities/calendar.ics"))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply
                .header(header::CONTENT_TYPE)
                .starts_with("text/calendar")
        );
        assert_well_formed_ics(&reply.body);
        let calendar: icalendar::Calendar = reply.body.parse().expect("a valid iCalendar text");
        let events: Vec<_> = calendar.events().collect();
        // Five with a start, plus the deadlines of the three consultations.
        assert_eq!(events.len(), 8);
        for event in &events {
            assert!(
                event
                    .get_uid()
                    .is_some_and(|uid| uid.starts_with("opportunity-"))
            );
            assert!(event.get_start().is_some());
        }
        let period = events
            .iter()
            .find(|e| e.get_uid() == Some(&format!("opportunity-{open}@127.0.0.1")))
            .expect("the open one");
        assert_eq!(period.get_summary(), Some(title));
        assert!(
            period
                .get_description()
                .is_some_and(|d| d.contains(&format!("/{lang}/opportunities/{open}")))
        );
        assert!(
            events
                .iter()
                .any(|e| e.get_uid() == Some(&format!("opportunity-{open}-deadline@127.0.0.1")))
        );
        assert!(!events.iter().any(|e| e.get_uid() == Some(&format!("opportunity-{upcoming}-deadline@127.0.0.1"))), "a workshop's end is no deadline");
        let long_title = if lang == "ar" {
            "استشارة Long text, with commas"
        } else {
            "Long text, with commas"
        };
        let long_one = events
            .iter()
            .find(|e| e.get_summary() == Some(long_title))
            .expect("commas survive");
        let expected = if lang == "ar" {
            long
        } else {
            "x, y; z\\ and a very long"
        };
        assert!(
            long_one
                .get_description()
                .is_some_and(|d| d.contains(expected)),
            "{:?}",
            long_one.get_description()
        );
    }
    assert_eq!(
        visitor.get("/xx/opportunities/feed.atom").await.status,
        StatusCode::NOT_FOUND
    );
}

server::on_both_backends!(the_feeds_list_published_opportunities_in_each_language);

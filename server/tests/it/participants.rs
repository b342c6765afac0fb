//! Participants (issue 15 §1) over HTTP: signing in by email with a link or a code (the email
//! through a real SMTP server), once each, within their time, with few code attempts; where a
//! sign-in leads; the profile and its mistakes in both languages; feedback sent while signed in
//! listed in the account, read and answered there and by no one else; signing out; deleting
//! the account erases the address from the feedback. Both databases.

use std::time::Duration as Wait;

use app::store::Db;
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use server::testing::{Client, participant_session};
use uuid::Uuid;

use crate::support::smtp::MailCatcher;

/// The last sign-in email to `to` in the outbox: (subject, body).
async fn last_mail(db: &Db, to: &str) -> (String, String) {
    app::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT subject, body FROM outbox WHERE to_address = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(to)
        .fetch_one(pool)
        .await
    })
    .expect("a mail")
}

/// What follows `marker` in `text` up to a space, a newline or a quote.
fn after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '?')
        .collect()
}

/// The six-digit code in a sign-in email's subject.
fn code_in(subject: &str) -> String {
    subject.chars().filter(char::is_ascii_digit).collect()
}

/// Asks for a sign-in as `client`; answers the code page's path.
async fn ask(client: &mut Client, lang: &str, email: &str, next: &str) -> String {
    let reply = client
        .post(
            &format!("/{lang}/account/sign-in"),
            &[("email", email), ("next", next)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(
        reply.location.contains("/account/sign-in/code/"),
        "{}",
        reply.location
    );
    reply.location
}

async fn signing_in_by_link_and_by_code(db: Db) {
    // The email goes through a real SMTP server.
    let catcher = MailCatcher::start().await;
    let mailer = server::mail::Mailer::new(&catcher.url(), "Sharek <no-reply@sharek.example>")
        .expect("mailer");
    let mut browser = Client::new(&db);
    let code_page = ask(&mut browser, "ar", "Mona@Example.AE", "").await;
    let page = browser.get(&code_page).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("تحقّق من بريدك الإلكتروني"));
    assert_eq!(
        server::mail::deliver(&db, &mailer, std::time::Duration::from_secs(60))
            .await
            .expect("deliver"),
        1
    );
    let received = catcher.wait_for(1, Wait::from_secs(20)).await;
    let mail = &received[0];
    assert!(
        mail.to.contains("mona@example.ae"),
        "lower-cased: {}",
        mail.to
    );
    assert!(
        mail.subject.contains("رمز دخولك إلى شارك"),
        "{}",
        mail.subject
    );
    assert!(
        !mail.body.to_lowercase().contains("list-unsubscribe"),
        "transactional"
    );
    let token = after(&mail.body, "/ar/account/sign-in/link/");
    assert_eq!(token.len(), 64);

    // A mail scanner following the link signs no one in.
    let mut scanner = Client::new(&db);
    let opened = scanner
        .get(&format!("/ar/account/sign-in/link/{token}"))
        .await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(!scanner.cookies.contains_key("sharek_participant"));
    // The person presses the button: a new account, asked for a display name.
    let signed = browser
        .post(&format!("/ar/account/sign-in/link/{token}"), &[])
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    assert_eq!(signed.location, "/ar/account?welcome=1");
    assert!(
        signed
            .set_cookies
            .iter()
            .any(|c| c.starts_with("sharek_participant=") && c.contains("HttpOnly")),
        "{:?}",
        signed.set_cookies
    );
    let account = browser.get("/ar/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("mona@example.ae"));
    assert!(account.body.contains("اختر الاسم الذي سيراه الآخرون") || account.body.contains("حسابك"));
    // The link works once.
    let mut other = Client::new(&db);
    let again = other
        .post(&format!("/ar/account/sign-in/link/{token}"), &[])
        .await;
    assert_eq!(again.location, "/ar/account/sign-in?expired=1");

    // The code: mistakes are explained; the right code signs in once.
    let mut phone = Client::new(&db);
    let code_page = ask(&mut phone, "en", "mona@example.ae", "/en/opportunities").await;
    let (subject, _) = last_mail(&db, "mona@example.ae").await;
    let code = code_in(&subject);
    assert_eq!(code.len(), 6);
    let empty = phone.post(&code_page, &[("code", "")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("Enter the six-digit code from the email")
    );
    let letters = phone.post(&code_page, &[("code", "12ab56")]).await;
    assert!(letters.body.contains("Enter the code as six digits"));
    assert!(
        letters.body.contains(r#"value="12ab56""#),
        "what was typed is kept"
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = phone.post(&code_page, &[("code", wrong)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("That code is not right"));
    // Typed with Arabic-Indic digits and a space, the right code works; the account has no
    // display name yet, so it still asks for one before going on.
    let arabic: String = code
        .chars()
        .map(|c| char::from_u32('٠' as u32 + c.to_digit(10).expect("digit")).expect("digit"))
        .collect();
    let typed = format!("{} {}", &arabic[..6], &arabic[6..]);
    let signed = phone.post(&code_page, &[("code", &typed)]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    // A new account chooses its name first, then goes on where it was going.
    assert_eq!(
        signed.location,
        "/en/account?welcome=1&next=%2Fen%2Fopportunities"
    );
    let used = phone.post(&code_page, &[("code", &code)]).await;
    assert_eq!(used.location, "/en/account/sign-in?expired=1");

    // Five wrong codes spend a sign-in.
    let mut guesser = Client::new(&db);
    let code_page = ask(&mut guesser, "en", "mona@example.ae", "").await;
    let (subject, _) = last_mail(&db, "mona@example.ae").await;
    let code = code_in(&subject);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        let reply = guesser.post(&code_page, &[("code", wrong)]).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let fifth = guesser.post(&code_page, &[("code", wrong)]).await;
    assert_eq!(fifth.location, "/en/account/sign-in?expired=1");
    let late = guesser.post(&code_page, &[("code", &code)]).await;
    assert_eq!(late.location, "/en/account/sign-in?expired=1", "spent");
}

async fn sign_ins_are_limited_and_expire(db: Db) {
    let mut client = Client::new(&db);
    // Mistakes in the address, in both languages, with what was typed kept.
    let bad = client
        .post("/en/account/sign-in", &[("email", "mona at example")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Enter an email address like name@example.ae")
    );
    assert!(bad.body.contains(r#"value="mona at example""#));
    let empty = client.post("/ar/account/sign-in", &[("email", "")]).await;
    assert!(empty.body.contains("أدخل بريدك الإلكتروني"));
    // Five an hour to one address; the sixth is refused with the address kept.
    for _ in 0..5 {
        ask(&mut client, "en", "busy@example.ae", "").await;
    }
    let sixth = client
        .post("/en/account/sign-in", &[("email", "busy@example.ae")])
        .await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(sixth.body.contains("Too many sign-in emails"));
    assert!(sixth.body.contains(r#"value="busy@example.ae""#));

    // A sign-in expires after 15 minutes.
    let code_page = ask(&mut client, "en", "late@example.ae", "").await;
    let (subject, body) = last_mail(&db, "late@example.ae").await;
    assert!(body.contains("15 minutes"));
    app::on_db!(&db, |pool| {
        sqlx::query("UPDATE participant_sign_ins SET expires_at = $1 WHERE email = $2")
            .bind(Utc::now() - Duration::minutes(1))
            .bind("late@example.ae")
            .execute(pool)
            .await
            .map(|_| ())
    })
    .expect("age");
    let late = client
        .post(&code_page, &[("code", &code_in(&subject))])
        .await;
    assert_eq!(late.location, "/en/account/sign-in?expired=1");
    let token = after(&body, "/en/account/sign-in/link/");
    let late = client
        .post(&format!("/en/account/sign-in/link/{token}"), &[])
        .await;
    assert_eq!(late.location, "/en/account/sign-in?expired=1");
    let page = client.get(&late.location).await;
    assert!(page.body.contains("has expired or has been used"));
}

async fn a_returning_participant_goes_where_they_were_going(db: Db) {
    let (_, _) = participant_session(&db, "back@example.ae").await;
    for (next, expected) in [
        ("/en/opportunities", "/en/opportunities"),
        ("//evil.example/x", "/en/account"),
        ("https://evil.example", "/en/account"),
    ] {
        let mut client = Client::new(&db);
        let code_page = ask(&mut client, "en", "back@example.ae", next).await;
        let (subject, _) = last_mail(&db, "back@example.ae").await;
        let signed = client
            .post(&code_page, &[("code", &code_in(&subject))])
            .await;
        assert_eq!(signed.location, expected, "next={next}");
    }
}

async fn the_profile_refuses_contact_details_and_saves(db: Db) {
    let (_, token) = participant_session(&db, "profile@example.ae").await;
    let mut client = Client::as_participant(&db, &token);
    let bad = client
        .post(
            "/ar/account",
            &[
                ("display_name", "profile@example.ae"),
                ("language", "ar"),
                ("group", "citizen"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("لا تستخدم بريدًا إلكترونيًا أو رقم هاتف"));
    let forged = client
        .post(
            "/en/account",
            &[
                ("display_name", "Mona"),
                ("language", "fr"),
                ("group", "martians"),
            ],
        )
        .await;
    assert!(forged.body.contains("Choose Arabic or English"));
    assert!(forged.body.contains("Choose a group from the list"));
    let saved = client
        .post(
            "/en/account",
            &[
                ("display_name", "  Mona   S. "),
                ("language", "ar"),
                ("group", "resident"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location, "/en/account?saved=1");
    let page = client.get(&saved.location).await;
    assert!(page.body.contains("Your details have been saved."));
    assert!(page.body.contains(r#"value="Mona S.""#));
    // The header links to the account; a signed-out visitor sees "Sign in".
    assert!(page.body.contains(r#"href="/en/account""#));
    let anonymous = Client::new(&db).get("/en").await;
    assert!(anonymous.body.contains(r#"href="/en/account/sign-in""#));
}

/// A feedback case sent by the signed-in participant; answers its id.
async fn send_feedback(client: &mut Client, message: &str) -> Uuid {
    let sent = client
        .send(
            Method::POST,
            "/en/feedback",
            &[
                ("topic", "social_services"),
                ("message", message),
                ("reply_by", "email"),
                ("name", "Mona"),
                ("email", "mine@example.ae"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let account = client.get("/en/account").await;
    let link = after(&account.body, "/en/account/feedback/");
    link.parse().expect("a case id")
}

async fn feedback_sent_while_signed_in_is_in_the_account(db: Db) {
    let (_, token) = participant_session(&db, "mine@example.ae").await;
    let mut client = Client::as_participant(&db, &token);
    // The form offers the account's address.
    let form = client.get("/en/feedback").await;
    assert!(form.body.contains(r#"value="mine@example.ae""#));
    assert!(
        form.body
            .contains("this message will be listed in your account")
    );
    let empty = client.get("/en/account").await;
    assert!(
        empty
            .body
            .contains("You have not sent feedback while signed in yet.")
    );
    let id = send_feedback(
        &mut client,
        "The community centre should open on Saturdays.",
    )
    .await;
    let account = client.get("/en/account").await;
    assert!(account.body.contains("SHK-"));
    let page = client.get(&format!("/en/account/feedback/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("The community centre should open on Saturdays.")
    );
    // They add information from the account (a form with the CSRF token).
    let added = client
        .post(
            &format!("/en/account/feedback/{id}"),
            &[("message", "I mean the centre in Ajman.")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(added.location, format!("/en/account/feedback/{id}?sent=1"));
    let page = client.get(&added.location).await;
    assert!(page.body.contains("I mean the centre in Ajman."));
    // Without the CSRF token it is refused.
    let forged = client
        .send(
            Method::POST,
            &format!("/en/account/feedback/{id}"),
            &[("message", "forged")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Another participant neither sees nor answers it.
    let (_, other) = participant_session(&db, "other@example.ae").await;
    let mut other = Client::as_participant(&db, &other);
    let page = other.get(&format!("/en/account/feedback/{id}")).await;
    assert!(!page.body.contains("Saturdays"));
    let posted = other
        .post(
            &format!("/en/account/feedback/{id}"),
            &[("message", "not mine")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    // Signed out, the account's pages ask to sign in again.
    let out = client.post("/en/account/sign-out", &[]).await;
    assert_eq!(out.location, "/en/account/sign-in?signed_out=1");
    let again = client.get("/en/account").await;
    assert!(again.location.starts_with("/en/account/sign-in?next="));
}

async fn deleting_the_account_erases_the_address(db: Db) {
    let (participant, token) = participant_session(&db, "mine@example.ae").await;
    let mut client = Client::as_participant(&db, &token);
    let id = send_feedback(&mut client, "Please add a ramp at the Fujairah centre.").await;
    let confirm = client.get("/en/account/delete").await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm
            .body
            .contains("feedback you sent stays with the ministry")
    );
    let deleted = client.post("/en/account/delete", &[]).await;
    assert_eq!(deleted.location, "/en/account/sign-in?deleted=1");
    assert!(!client.cookies.contains_key("sharek_participant"));
    assert!(
        app::participants::db::find(&db, participant)
            .await
            .expect("find")
            .is_none()
    );
    let case = app::feedback::db::find(&db, id)
        .await
        .expect("find")
        .expect("the case stays");
    assert_eq!(case.email, None);
    assert_eq!(case.name, "");
    assert_eq!(case.reply_by, "web");
    let (sessions,): (i64,) = app::on_db!(&db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM participant_sessions")
            .fetch_one(pool)
            .await
    })
    .expect("count");
    assert_eq!(sessions, 0);
}

server::on_both_backends!(
    signing_in_by_link_and_by_code,
    sign_ins_are_limited_and_expire,
    a_returning_participant_goes_where_they_were_going,
    the_profile_refuses_contact_details_and_saves,
    feedback_sent_while_signed_in_is_in_the_account,
    deleting_the_account_erases_the_address
);

//! Staged edits (issue 21 §1): on a survey participants can see, changes wait in a draft of the
//! next version — invisible on the public form — until an author publishes them, checked by the
//! rules of first publishing; or discards them.

use super::*;

/// Publishes or discards the staged changes, from what `seen` says.
async fn changes(client: &mut Client, id: Uuid, seen: impl ToString, action: &str) -> Reply {
    let form = Form::default().with("version", seen).with("do", action);
    post(client, &format!("{}/changes", page(id)), &form).await
}

async fn audited(db: &Db, id: Uuid) -> Vec<String> {
    app::on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'survey.%'
             ORDER BY at, id",
        )
        .bind(id.to_string())
        .fetch_all(pool)
        .await
    })
    .expect("audit")
}

async fn changes_to_a_live_survey_wait_until_published(db: Db) {
    let mut client = author(&db).await;
    let id = ready_survey(&mut client, &db, "Staged").await;
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let live = stored(&db, id).await;
    assert_eq!(live.status, Status::Open);
    assert!(
        client
            .get(&page(id))
            .await
            .body
            .contains("Changes you make below are staged")
    );
    let mut visitor = Client::new(&db);
    let questions = |body: &str| body.matches("id=\"question-").count();
    let shown = questions(&visitor.get(&format!("/en/s/{id}")).await.body);

    // A new question (no text yet) is staged: the public form does not show it.
    let form = Form::default()
        .with("section", "s1")
        .with("type", "short_text");
    let reply = change(&mut client, &db, id, "/questions", form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let staged = stored(&db, id).await;
    assert_eq!(staged.version, live.version, "nothing published");
    assert_eq!(staged.definition, live.definition);
    let draft = staged.draft.clone().expect("a staged draft");
    assert_eq!(draft.questions().count(), 2);
    let public = visitor.get(&format!("/en/s/{id}")).await;
    assert!(public.body.contains("Have you used the service?"));
    assert_eq!(questions(&public.body), shown, "{}", public.body);

    // The editor shows the draft and says participants still see the published version.
    let editor = client.get(&page(id)).await;
    assert!(
        editor.body.contains("Unpublished changes"),
        "{}",
        editor.body
    );
    assert!(
        editor
            .body
            .contains(&format!("Participants still see version {}", live.version))
    );

    // Publishing is checked like first publishing: a question without its text is refused.
    let refused = changes(&mut client, id, staged.seen(), "publish").await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    assert!(
        refused.body.contains("Missing text in the language"),
        "{} {}",
        refused.status,
        refused.body
    );
    assert!(
        refused
            .body
            .contains("Part 1, question 2 (“Untitled question”): Missing text"),
        "the problem is placed in words: {}",
        refused.body
    );
    assert_eq!(stored(&db, id).await, staged, "nothing changed");

    // Written in both languages, it publishes as the next version in one step.
    let form = Form::default()
        .with("text_ar", "ما اقتراحك؟")
        .with("text_en", "What do you suggest?");
    let key = draft
        .questions()
        .last()
        .map(|(_, q)| q.key.clone())
        .expect("the new question");
    let reply = change(&mut client, &db, id, &format!("/questions/{key}"), form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let ready = stored(&db, id).await;
    assert!(
        !visitor
            .get(&format!("/en/s/{id}"))
            .await
            .body
            .contains("What do you suggest?")
    );
    // From a page read before the last change: someone else changed it.
    let stale = changes(&mut client, id, staged.seen(), "publish").await;
    assert!(
        stale.body.contains("Someone else changed this survey"),
        "{}",
        stale.body
    );
    let published = changes(&mut client, id, ready.seen(), "publish").await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert!(
        published.location.ends_with("?changes=published"),
        "{}",
        published.location
    );
    let after = stored(&db, id).await;
    assert_eq!(after.version, live.version + 1);
    assert!(after.draft.is_none());
    assert_eq!(
        version_saved(&db, id, after.version).await,
        after.definition
    );
    assert!(
        visitor
            .get(&format!("/en/s/{id}"))
            .await
            .body
            .contains("What do you suggest?")
    );

    // Another change, discarded: the editor is back to what participants see.
    let form = Form::default().with("section", "s1").with("type", "yes_no");
    let reply = change(&mut client, &db, id, "/questions", form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let staged = stored(&db, id).await;
    assert!(staged.draft.is_some());
    let discarded = changes(&mut client, id, staged.seen(), "discard").await;
    assert!(
        discarded.location.ends_with("?changes=discarded"),
        "{}",
        discarded.location
    );
    let end = stored(&db, id).await;
    assert!(end.draft.is_none());
    assert_eq!(
        (end.version, &end.definition),
        (after.version, &after.definition)
    );

    assert_eq!(
        audited(&db, id).await,
        [
            "survey.create",
            "survey.update",
            "survey.update",
            "survey.publish",
            "survey.stage",
            "survey.stage",
            "survey.publish_changes",
            "survey.stage",
            "survey.discard_changes",
        ]
    );
}

async fn an_analyst_cannot_publish_or_discard_changes(db: Db) {
    let mut author_client = author(&db).await;
    let id = ready_survey(&mut author_client, &db, "Not yours").await;
    set_move(&mut author_client, id, "publish").await;
    let form = Form::default().with("section", "s1").with("type", "yes_no");
    change(&mut author_client, &db, id, "/questions", form).await;
    let staged = stored(&db, id).await;
    let mut analyst = staff(&db, "analyst@example.ae", &[Role::Analyst]).await;
    for action in ["publish", "discard"] {
        let reply = changes(&mut analyst, id, staged.seen(), action).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{action}");
    }
    assert_eq!(stored(&db, id).await, staged);
}

server::on_both_backends!(
    changes_to_a_live_survey_wait_until_published,
    an_analyst_cannot_publish_or_discard_changes,
);

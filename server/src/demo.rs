//! Demo content for the quick start: on an empty database, an administrator with a generated
//! password (printed once, never a fixed default) so a newcomer can sign in, and a realistic
//! bilingual set of surveys and participation opportunities (seeded once: a marker in
//! `instance_meta` records it, so deleting the demo content does not bring it back).

use anyhow::Context;
use app::accounts::{
    Role,
    db::{self as accounts_db, NewUser},
    secrets,
};

use crate::AppState;

pub const DEMO_ADMIN_EMAIL: &str = "admin@sharek.example";

pub async fn ensure_demo_admin(state: &AppState) -> anyhow::Result<()> {
    if accounts_db::count_users(&state.db).await? > 0 {
        return Ok(());
    }
    // 20 characters from a 244-bit random token: far past the 12-character minimum.
    let password: String = secrets::new_token().chars().take(20).collect();
    let hash =
        secrets::hash_password(&password).map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    let new = NewUser {
        email: DEMO_ADMIN_EMAIL,
        display_name: "Demo administrator",
        password_hash: &hash,
        roles: &[Role::Admin],
    };
    accounts_db::create_user(&state.db, new)
        .await
        .context("creating the demo administrator")?;
    let login = state
        .settings
        .base_url
        .join("/en/login")
        .map(|u| u.to_string())
        .unwrap_or_default();
    println!(
        "\n  Demo administrator created (this database had no users).\n  \
         Sign in at {login}\n  email:    {DEMO_ADMIN_EMAIL}\n  password: {password}\n  \
         (shown once; change it under Staff area → Change your password)\n"
    );
    Ok(())
}

/// The `instance_meta` marker set once the demo content is in.
const DEMO_MARKER: &str = "demo_content_seeded";

/// Seeds the demo surveys and opportunities, once, into a database that has no surveys.
pub async fn ensure_demo_content(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    if app::store::get_meta(db, DEMO_MARKER).await?.is_some()
        || !app::surveys::db::list(db).await?.is_empty()
    {
        return Ok(());
    }
    let now = chrono::Utc::now();
    let author = accounts_db::find_login(db, DEMO_ADMIN_EMAIL)
        .await?
        .map(|l| l.id);
    app::surveys::demo::seed(db, now, author)
        .await
        .context("seeding the demo surveys")?;
    app::opportunities::demo::seed(db, now)
        .await
        .context("seeding the demo opportunities")?;
    let staff = match author {
        Some(id) => accounts_db::load_active_user(db, id).await?,
        None => None,
    };
    app::feedback::demo::seed(db, &state.settings.desk, staff, now)
        .await
        .context("seeding the demo feedback desk")?;
    app::outcomes::demo::seed(db, now)
        .await
        .context("seeding the demo outcomes")?;
    // A quarterly report to the concerned bodies, scheduled at the start of the last quarter:
    // the server makes that quarter's report soon after it starts, so the archive has one.
    let last_quarter = app::reports::Preset::Quarter.before(app::dates::in_uae(now).date_naive());
    let scheduled =
        app::dates::from_uae(last_quarter.from.and_hms_opt(9, 0, 0).unwrap_or_default());
    app::reports::periodic::db::add(
        db,
        app::reports::Preset::Quarter,
        app::Locale::Ar,
        &["impact-reports@ministry.example".to_owned()],
        author,
        scheduled,
    )
    .await
    .context("scheduling the demo report")?;
    app::store::set_meta(db, DEMO_MARKER, &now.to_rfc3339()).await?;
    println!(
        "  Demo content added: surveys (one periodic, with three waves of responses), participation opportunities, a feedback desk with a team and a few cases, two “you said, we did” outcomes, and a quarterly impact report to the concerned bodies.\n"
    );
    Ok(())
}

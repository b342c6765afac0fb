//! Demo content for the quick start: on an empty database, an administrator with a generated
//! password (printed once, never a fixed default) so a newcomer can sign in.

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

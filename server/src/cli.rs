//! The command line's subcommands: `sharek user …` (staff accounts), `sharek results verify`,
//! `sharek moderation screen`.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use app::accounts::{
    db::{self as accounts_db, NewUser},
    rules::{check_new_password, normalize_email},
    secrets,
};
use app::audit::{AuditEntry, db as audit_db};
use app::i18n::Locale;
use app::store::StoreError;

use crate::config::{ModerationCommand, ReportCommand, ResultsCommand, UserCommand};

/// `sharek report impact --from DAY --to DAY [--lang ar|en] [--format pdf|html] [--out FILE]`.
pub async fn report(command: ReportCommand) -> anyhow::Result<()> {
    let ReportCommand::Impact {
        from,
        to,
        lang,
        format,
        out,
        base_url,
        chromium,
        db,
    } = command;
    let period = app::reports::Period::parse(&from, &to).map_err(|problems| {
        let messages: Vec<String> = problems
            .iter()
            .map(|(_, key)| Locale::En.t(key).replace(['\u{2066}', '\u{2069}'], ""))
            .collect();
        anyhow::anyhow!("{}", messages.join(" "))
    })?;
    let locale = Locale::from_code(&lang).unwrap_or_default();
    let db = crate::connect(&db.database_url).await?;
    let bytes = crate::reports::render(
        &db,
        period,
        locale,
        format,
        &base_url,
        &chromium,
        chrono::Utc::now(),
    )
    .await?;
    match out {
        Some(path) => std::fs::write(&path, bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes)?,
    }
    Ok(())
}

/// `sharek results verify [--survey ID] [--repair]`.
pub async fn results(command: ResultsCommand) -> anyhow::Result<()> {
    let ResultsCommand::Verify { survey, repair, db } = command;
    let db = crate::connect(&db.database_url).await?;
    let surveys = match survey {
        Some(id) => vec![id],
        None => app::results::db::surveys_with_results(&db).await?,
    };
    let mut failed = false;
    for id in surveys {
        let report = app::results::verify::verify(&db, id).await?;
        if report.ok() {
            println!("{id}: ok, {} responses", report.responses);
            continue;
        }
        println!(
            "{id}: {} counts differ, {} coded rows differ ({} responses)",
            report.counts.len(),
            report.codes,
            report.responses
        );
        for (dims, item, value, stored, recomputed) in report.counts.iter().take(20) {
            println!("  {dims} {item} {value}: stored {stored}, recomputed {recomputed}");
        }
        if repair {
            let n = app::results::db::rebuild(&db, id).await?;
            println!("{id}: repaired from {n} responses");
        } else {
            failed = true;
        }
    }
    if failed {
        bail!("the results differ from the responses; run again with --repair to rebuild them");
    }
    Ok(())
}

pub async fn run(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            email,
            name,
            roles,
            db,
        } => {
            let email = normalize_email(&email)
                .with_context(|| format!("{email:?} is not an email address"))?;
            let password = read_password()?;
            if let Err(problem) = check_new_password(&password) {
                bail!("{}", Locale::En.t(problem.message_key()));
            }
            let db = crate::connect(&db.database_url).await?;
            let hash = secrets::hash_password(&password)
                .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
            let display_name = name.unwrap_or_else(|| email.clone());
            let new = NewUser {
                email: &email,
                display_name: &display_name,
                password_hash: &hash,
                roles: &roles,
            };
            let id = match accounts_db::create_user(&db, new).await {
                Err(StoreError::Conflict) => bail!("a user with the email {email} already exists"),
                other => other?,
            };
            audit_from_cli(&db, "user.create", id).await?;
            println!(
                "added {email} ({})",
                roles
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        UserCommand::List { db } => {
            let db = crate::connect(&db.database_url).await?;
            for user in accounts_db::list_users(&db).await? {
                let roles = user
                    .roles
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(",");
                let status = if user.active { "active" } else { "deactivated" };
                println!("{}\t{}\t{roles}\t{status}", user.email, user.display_name);
            }
        }
        UserCommand::Deactivate { email, db } => {
            let email = normalize_email(&email)
                .with_context(|| format!("{email:?} is not an email address"))?;
            let db = crate::connect(&db.database_url).await?;
            let Some(id) = accounts_db::deactivate_user(&db, &email).await? else {
                bail!("there is no user with the email {email}");
            };
            audit_from_cli(&db, "user.deactivate", id).await?;
            println!("deactivated {email}; their sessions have ended");
        }
    }
    Ok(())
}

async fn audit_from_cli(db: &app::store::Db, action: &str, id: uuid::Uuid) -> anyhow::Result<()> {
    let entry = AuditEntry {
        actor: None,
        action: action.to_owned(),
        entity: "user".to_owned(),
        entity_id: id.to_string(),
        address: None,
        details: Some("command line".to_owned()),
    };
    Ok(audit_db::append(db, &entry).await?)
}

/// The new user's password: prompted (hidden, twice) on a terminal, else the first line of stdin.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first != second {
            bail!("the two passwords are not the same");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// `sharek moderation screen`: JSON lines in, one JSON line out per line (blank lines are
/// skipped), flushed per line so it can be driven line by line.
pub fn moderation(command: ModerationCommand) -> anyhow::Result<()> {
    use std::io::Write;
    match command {
        ModerationCommand::Screen => {
            let stdin = std::io::stdin();
            let mut out = std::io::stdout().lock();
            for line in stdin.lock().lines() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                let answer = match serde_json::from_str::<ScreenInput>(&line) {
                    Ok(input) => serde_json::to_string(&app::moderation::screen_text(
                        &input.text,
                        input.lang.as_deref(),
                    ))?,
                    Err(error) => serde_json::json!({ "error": error.to_string() }).to_string(),
                };
                writeln!(out, "{answer}")?;
                out.flush()?;
            }
            Ok(())
        }
    }
}

/// One line of `sharek moderation screen`'s input.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenInput {
    pub text: String,
    /// `ar` or `en`; absent: detected.
    #[serde(default)]
    pub lang: Option<String>,
}

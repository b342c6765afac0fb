//! Configuration from flags and environment. Bad values stop start-up with a clear message
//! and a non-zero exit (clap prints the error and exits with status 2).

use std::{net::SocketAddr, path::PathBuf};

use app::store::Backend;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "sharek",
    version,
    about = "Sharek (شارك): the ministry's digital participation platform"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

// Parsed once at start-up: the size of the serve variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DbArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check (and repair) the running counts behind results.
    #[command(subcommand)]
    Results(ResultsCommand),
    /// Moderation tools.
    #[command(subcommand)]
    Moderation(ModerationCommand),
    /// Impact-review reports.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The impact-review report for a period of UAE calendar days, as PDF or HTML, written to
    /// `--out` or to standard output.
    Impact {
        /// The first day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// The last day, YYYY-MM-DD (included).
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "ar", value_parser = ["ar", "en"])]
        lang: String,
        #[arg(long, value_enum, default_value = "pdf")]
        format: crate::reports::Format,
        /// The file to write; standard output when absent.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// The site's public address, for the report's links to outcome pages.
        #[arg(long, env = "SHAREK_BASE_URL", default_value = "http://127.0.0.1:3000")]
        base_url: String,
        /// The Chromium (or Chrome) program that prints the PDF.
        #[arg(long, env = "SHAREK_CHROMIUM", default_value = "chromium")]
        chromium: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ModerationCommand {
    /// Screen texts as comments are screened: reads JSON lines `{"text": "...", "lang": "ar"}`
    /// (`lang` optional: detected) on standard input and writes one JSON line per input:
    /// `{"decision": "publish"|"hold", "categories": [...], "personal_data": [...],
    /// "reasons": [...], "lang": "ar"|"en"}`. A line that is not such JSON gets
    /// `{"error": "..."}`. Needs no database.
    Screen,
}

#[derive(Debug, Subcommand)]
pub enum ResultsCommand {
    /// Recompute every survey's counts and coded rows from the raw answers and report any
    /// difference; exits with status 1 when one is found (and not repaired).
    Verify {
        /// Only this survey (its id).
        #[arg(long)]
        survey: Option<uuid::Uuid>,
        /// Replace the counts of a survey that differs with the recomputed ones.
        #[arg(long)]
        repair: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff user. The password is read from standard input when it is not a terminal,
    /// and asked for (twice, hidden) when it is.
    Add {
        #[arg(long)]
        email: String,
        /// The person's name as staff pages show it (default: the email address).
        #[arg(long)]
        name: Option<String>,
        /// A role: admin, author, responder, moderator or analyst. Repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<app::accounts::Role>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List staff users.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Deactivate a user; their sessions end at once.
    Deactivate {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn parse_role(value: &str) -> Result<app::accounts::Role, String> {
    app::accounts::Role::from_code(value)
        .ok_or_else(|| "expected one of: admin, author, responder, moderator, analyst".to_owned())
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database URL: sqlite://path (embedded, the default) or postgres://user@host/db.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/sharek.db", value_parser = parse_database_url)]
    pub database_url: String,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "SHAREK_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The public base URL people reach Sharek at (used in links, feeds and cookies).
    #[arg(long, env = "SHAREK_BASE_URL", default_value = "http://127.0.0.1:3000", value_parser = parse_base_url)]
    pub base_url: url::Url,
    /// Folder holding the built site (`pkg/<build-id>/…`, `favicon.svg`).
    #[arg(long, env = "SHAREK_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Minutes without a request after which a staff session ends.
    #[arg(long, env = "SHAREK_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub session_idle_minutes: u32,
    /// Hours after sign-in at which a staff session ends, however active.
    #[arg(long, env = "SHAREK_SESSION_ABSOLUTE_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=168))]
    pub session_absolute_hours: u32,
    /// Reverse proxies or load balancers whose `X-Forwarded-For` is believed, as addresses or
    /// networks (`10.0.0.0/8`), comma-separated. Without one, the connection's address is used.
    #[arg(long = "trusted-proxy", env = "SHAREK_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_net)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// On an empty database, create a demo administrator with a generated password and print
    /// how to sign in (the quick start does this; never a fixed password).
    #[arg(long, env = "SHAREK_DEMO")]
    pub demo: bool,
    /// Submissions (responses and contact addresses) one client address may send in ten
    /// minutes; 0 turns the limit off. Generous by default: a school or office shares one
    /// address.
    #[arg(long, env = "SHAREK_SUBMIT_LIMIT", default_value_t = 120)]
    pub submit_limit: u32,
    /// The working week feedback service levels count in (UAE time, +04:00), as days and
    /// spans: the UAE federal government's week by default.
    #[arg(long, env = "SHAREK_WORKING_WEEK", default_value = "mon-thu 07:30-15:30; fri 07:30-12:00", value_parser = parse_week)]
    pub working_week: app::feedback::clock::WorkingWeek,
    /// The share of a feedback case's service level, in per cent, at which its assignee is
    /// reminded.
    #[arg(long, env = "SHAREK_REMINDER_SHARE", default_value_t = 75, value_parser = clap::value_parser!(u32).range(1..=99))]
    pub reminder_share: u32,
    /// The shared secret replies to integrations are signed with (HMAC-SHA256, header
    /// `X-Sharek-Signature`). Without one, integrations cannot ask for webhook replies.
    #[arg(long, env = "SHAREK_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,
    /// An SMTP relay for outgoing email (invitations): `smtp://[user:password@]host[:port]`.
    /// Plain SMTP to a relay you run, which handles TLS onwards. Without one, staff send the
    /// invitation links themselves.
    #[arg(long, env = "SHAREK_SMTP_URL")]
    pub smtp_url: Option<url::Url>,
    /// The sender of outgoing email.
    #[arg(
        long,
        env = "SHAREK_MAIL_FROM",
        default_value = "Sharek <no-reply@localhost>"
    )]
    pub mail_from: String,
    /// How long a server holds a batch of email it claimed, in seconds: if it dies, another
    /// server sends the rest once the claim runs out.
    #[arg(long, env = "SHAREK_MAIL_LEASE_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(10..=3600))]
    pub mail_lease_seconds: u64,
    /// The Chromium (or Chrome) program that prints impact reports to PDF.
    #[arg(long, env = "SHAREK_CHROMIUM", default_value = "chromium")]
    pub chromium: String,
    /// Flags from different participants that hold a published comment for a moderator again.
    #[arg(long, env = "SHAREK_FLAG_THRESHOLD", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub flag_threshold: u32,
    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "SHAREK_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
}

fn parse_database_url(value: &str) -> Result<String, String> {
    match Backend::from_url(value) {
        Some(_) => Ok(value.to_owned()),
        None => Err("expected sqlite://… or postgres://…".to_owned()),
    }
}

fn parse_base_url(value: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(value).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("expected an http:// or https:// URL with a host".to_owned());
    }
    Ok(url)
}

/// An address (`10.0.0.1`) or a network (`10.0.0.0/8`).
fn parse_net(value: &str) -> Result<ipnet::IpNet, String> {
    let value = value.trim();
    value
        .parse::<ipnet::IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{value:?} is neither an IP address nor a network like 10.0.0.0/8"))
}

/// A working week as `--working-week` takes it, in UAE time.
fn parse_week(text: &str) -> Result<app::feedback::clock::WorkingWeek, String> {
    app::feedback::clock::WorkingWeek::parse(text, app::dates::uae()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("sharek").chain(args.iter().copied()))
    }

    #[test]
    fn serve_is_the_default_with_sensible_defaults() {
        let cli = parse(&[]).expect("defaults parse");
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(cli.serve.db.database_url, "sqlite://data/sharek.db");
    }

    #[test]
    fn bad_configuration_is_refused_with_a_message() {
        let err = parse(&["--addr", "nowhere"]).expect_err("bad address");
        assert!(err.to_string().contains("--addr"), "{err}");
        let err = parse(&["--database-url", "mysql://x"]).expect_err("bad scheme");
        assert!(err.to_string().contains("sqlite://"), "{err}");
        let err = parse(&["--base-url", "ftp://x"]).expect_err("bad base URL");
        assert!(err.to_string().contains("http"), "{err}");
        assert!(parse(&["migrate", "--database-url", "postgres://u@h/db"]).is_ok());
    }
}

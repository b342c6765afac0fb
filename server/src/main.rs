//! The `sharek` binary: configuration → tracing → connect and migrate → serve.

use clap::Parser;
use server::{Cli, Command};
use tracing_subscriber::EnvFilter;

/// Rendering a large page nests deeply (Leptos views are nested types); debug builds in
/// particular need more than the default 2 MiB per worker thread.
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let log_format = match &cli.command {
        Some(Command::Serve(args)) => args.log_format.clone(),
        _ => cli.serve.log_format.clone(),
    };
    init_tracing(&log_format);
    match cli.command {
        None => server::serve(cli.serve).await,
        Some(Command::Serve(args)) => server::serve(args).await,
        Some(Command::User(command)) => server::cli::run(command).await,
        Some(Command::Results(command)) => server::cli::results(command).await,
        Some(Command::Moderation(command)) => server::cli::moderation(command),
        Some(Command::Migrate(args)) => {
            server::connect(&args.database_url).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
    }
}

fn init_tracing(format: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

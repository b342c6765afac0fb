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
    // A report written to standard output must not have log lines in it.
    let to_stderr = matches!(cli.command, Some(Command::Report(_)));
    init_tracing(&log_format, to_stderr);
    match cli.command {
        None => server::serve(cli.serve).await,
        Some(Command::Serve(args)) => server::serve(args).await,
        Some(Command::User(command)) => server::cli::run(command).await,
        Some(Command::Results(command)) => server::cli::results(command).await,
        Some(Command::Moderation(command)) => server::cli::moderation(command),
        Some(Command::Report(command)) => server::cli::report(command).await,
        Some(Command::Migrate(args)) => {
            server::connect(&args.database_url).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
    }
}

fn init_tracing(format: &str, to_stderr: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(move || -> Box<dyn std::io::Write> {
            if to_stderr {
                Box::new(std::io::stderr())
            } else {
                Box::new(std::io::stdout())
            }
        });
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

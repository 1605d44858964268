//! `hubbub`: the command line.

use clap::{Parser, Subcommand};
use hubbub_server::settings::RawSettings;
use hubbub_server::{Listeners, launch, open_store};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// Hubbub: internal microblogging with a help desk that measures the support time it saves.
#[derive(Parser)]
#[command(name = "hubbub", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs migrations, then serves the API, the web client and the streaming gateway.
    Serve {
        #[command(flatten)]
        settings: RawSettings,
    },
    /// Runs pending database migrations and exits.
    Migrate {
        #[command(flatten)]
        settings: RawSettings,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(message) = init_logging() {
        eprintln!("hubbub: {message}");
        return ExitCode::from(2);
    }
    let (settings, serve) = match cli.command {
        Command::Serve { settings } => (settings, true),
        Command::Migrate { settings } => (settings, false),
    };
    let settings = match settings.check() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("hubbub: {err}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("hubbub: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        if !serve {
            open_store(&settings).await.map(|_| ())
        } else {
            let listeners = Listeners::bind(settings.listen, settings.streaming_listen)?;
            launch(settings, listeners, shutdown_signal()).await
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hubbub: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr, filtered by `HUBBUB_LOG` (default `info`).
fn init_logging() -> Result<(), String> {
    let filter = match std::env::var("HUBBUB_LOG") {
        Ok(directives) => EnvFilter::try_new(&directives).map_err(|err| {
            format!(
                "HUBBUB_LOG: '{directives}' is not a log filter ({err}); e.g. info or hubbub=debug"
            )
        })?,
        Err(_) => EnvFilter::new("info"),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

//! `hubbub`: the command line.

use clap::{Parser, Subcommand};
use hubbub_server::admin::AdminCommand;
use hubbub_server::settings::RawSettings;
use hubbub_server::{Listeners, bench, launch, open_store, seed};
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
    /// Administers accounts and exports data (works on the database directly).
    Admin {
        #[command(flatten)]
        settings: RawSettings,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Fills an empty instance with demo data (people, communities, posts, reactions, help-desk tickets).
    Seed {
        #[command(flatten)]
        settings: RawSettings,
        /// Makes the data reproducible.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many people.
        #[arg(long, default_value_t = 300)]
        people: usize,
        /// Months of posts back from now.
        #[arg(long, default_value_t = 6)]
        months: u32,
        /// Seed even if the instance already has accounts.
        #[arg(long)]
        force: bool,
    },
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Home timeline latency and post throughput through the store, on a
    /// generated network (loaded into an empty database first).
    Api {
        #[command(flatten)]
        settings: RawSettings,
        /// People.
        #[arg(long, default_value_t = 10_000)]
        people: usize,
        /// Follows per person.
        #[arg(long, default_value_t = 100)]
        follows: usize,
        /// Communities.
        #[arg(long, default_value_t = 200)]
        communities: usize,
        /// Posts.
        #[arg(long, default_value_t = 1_000_000)]
        posts: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Timed reads per page.
        #[arg(long, default_value_t = 300)]
        samples: usize,
        /// Posts created in the write test.
        #[arg(long, default_value_t = 20_000)]
        writes: usize,
        /// Concurrent writers.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
}

/// What to do once settings are checked.
enum Job {
    Serve,
    Migrate,
    Admin(AdminCommand),
    Seed(seed::SeedOptions),
    Bench(bench::BenchOptions),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(message) = init_logging() {
        eprintln!("hubbub: {message}");
        return ExitCode::from(2);
    }
    let (settings, job) = match cli.command {
        Command::Serve { settings } => (settings, Job::Serve),
        Command::Migrate { settings } => (settings, Job::Migrate),
        Command::Admin { settings, command } => (settings, Job::Admin(command)),
        Command::Seed {
            settings,
            seed,
            people,
            months,
            force,
        } => (
            settings,
            Job::Seed(seed::SeedOptions {
                seed,
                people,
                months,
                force,
                now: chrono::Utc::now(),
            }),
        ),
        Command::Bench {
            command:
                BenchCommand::Api {
                    settings,
                    people,
                    follows,
                    communities,
                    posts,
                    seed,
                    samples,
                    writes,
                    concurrency,
                },
        } => (
            settings,
            Job::Bench(bench::BenchOptions {
                people,
                follows,
                communities,
                posts,
                seed,
                samples,
                writes,
                concurrency,
            }),
        ),
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
        match job {
            Job::Migrate => open_store(&settings).await.map(|_| ()),
            Job::Serve => {
                let listeners =
                    Listeners::for_role(settings.role, settings.listen, settings.streaming_listen)?;
                launch(settings, listeners, shutdown_signal()).await
            }
            Job::Admin(command) => {
                let store = open_store(&settings).await?;
                hubbub_server::admin::run(&store, command, &mut std::io::stdout().lock()).await
            }
            Job::Seed(options) => {
                let store = open_store(&settings).await?;
                seed::seed(&store, &options, &mut std::io::stderr()).await
            }
            Job::Bench(options) => {
                let store = open_store(&settings).await?;
                bench::run(&store, &options, &mut std::io::stdout()).await
            }
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

/// Logs to stderr, filtered by `HUBBUB_LOG` (default `info`); human-readable,
/// or one JSON object per line with `HUBBUB_LOG_FORMAT=json` (with the
/// request's span, so every line of a request carries its `request_id`).
fn init_logging() -> Result<(), String> {
    let filter = match std::env::var("HUBBUB_LOG") {
        Ok(directives) => EnvFilter::try_new(&directives).map_err(|err| {
            format!(
                "HUBBUB_LOG: '{directives}' is not a log filter ({err}); e.g. info or hubbub=debug"
            )
        })?,
        Err(_) => EnvFilter::new("info"),
    };
    match std::env::var("HUBBUB_LOG_FORMAT").as_deref() {
        Ok("json") => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .with_target(false)
            .with_writer(std::io::stderr)
            .init(),
        Ok("text") | Ok("") | Err(_) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_target(false)
            .with_writer(std::io::stderr)
            .init(),
        Ok(other) => {
            return Err(format!(
                "HUBBUB_LOG_FORMAT: '{other}' is not a log format; use text or json"
            ));
        }
    }
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

//! Configuration: environment variables, each overridable by a flag (`verdict serve --help`).

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::db::{DatabaseUrl, UnsupportedScheme};
use crate::web::session::Role;

#[derive(Debug, Parser)]
#[command(
    name = "verdict",
    version,
    about = "Verdict: an evidence-based technology decision hub for backend teams",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Without a subcommand Verdict serves, taking `serve`'s options.
    #[command(flatten)]
    pub serve: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site and the JSON API (the default): migrates first, and loads the demo
    /// dataset into a new database.
    Serve(ServeArgs),
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Load the demo dataset. Idempotent: rows that exist already are left as they are.
    Seed(SeedArgs),
    /// Manage accounts. The password is read from a prompt, or from standard input when it
    /// is not a terminal; never from the command line.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// Then add N synthetic technologies shaped like a real catalog (1 % languages, the rest
    /// their frameworks and libraries, with facts, sources and benchmark runs), to measure
    /// Verdict at scale. The same N makes the same data; what exists already (by slug) is
    /// left as it is, so a larger N adds only what the smaller did not.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_SYNTHETIC))]
    pub synthetic: Option<u64>,
    /// Add synthetic data to a database that holds more than the demo dataset.
    #[arg(long, requires = "synthetic")]
    pub force: bool,
}

/// Ten million technologies make thirty million facts: ids stay far below 2³¹.
const MAX_SYNTHETIC: u64 = 10_000_000;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account, e.g. the first admin.
    Create {
        #[arg(long)]
        email: String,
        /// `admin` (everything, including accounts and API tokens) or `editor` (content).
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Set a new password for an account; its sessions end everywhere.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value)
}

#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Database to use: `postgres://user:password@host/db` for PostgreSQL, or a SQLite file
    /// path (`sqlite://` optional). Unset: `verdict.db` in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Directory for Verdict's own files (the default SQLite database).
    #[arg(long, env = "VERDICT_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Log filter in env_logger syntax, e.g. `info` or `verdict=debug,actix_web=warn`.
    #[arg(long, env = "RUST_LOG", default_value = "info", global = true)]
    pub log_level: String,
}

impl CommonArgs {
    pub fn database_url(&self) -> Result<DatabaseUrl, UnsupportedScheme> {
        match self.database_url.as_deref().filter(|url| !url.is_empty()) {
            Some(url) => DatabaseUrl::parse(url),
            None => Ok(DatabaseUrl::default_sqlite(&self.data_dir)),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// Database connections kept in the pool (also the number of blocking threads).
    #[arg(long, env = "VERDICT_POOL_SIZE", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub pool_size: u32,
    /// HTTP worker threads; unset: one per available core.
    #[arg(long, env = "VERDICT_WORKERS", value_parser = clap::value_parser!(u16).range(1..))]
    pub workers: Option<u16>,
    /// Memory for cached responses, in MiB; 0 switches caching off.
    #[arg(long, env = "VERDICT_CACHE_MB", default_value_t = 8, value_parser = clap::value_parser!(u64).range(0..=4096))]
    pub cache_mb: u64,
    /// The largest benchmark file an import takes, in MiB.
    #[arg(long, env = "VERDICT_UPLOAD_LIMIT_MB", default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub upload_limit_mb: u64,
    /// Load the demo dataset when the database is created.
    #[arg(long, env = "VERDICT_DEMO", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub demo: bool,
    /// Key that signs and encrypts session cookies: at least 64 characters, the same on every
    /// instance. Unset: one is generated once and kept in `secret_key` in the data directory.
    #[arg(long, env = "VERDICT_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Verdict is reached over HTTPS (e.g. behind a TLS proxy): session cookies are marked
    /// Secure.
    #[arg(long, env = "VERDICT_HTTPS", default_value_t = false, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub https: bool,
    /// Minutes a signed-in session may go unused before it ends.
    #[arg(long, env = "VERDICT_SESSION_IDLE_MINUTES", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=525_600))]
    pub session_idle_minutes: u32,
    /// Hours a signed-in session lasts at most, however busy.
    #[arg(long, env = "VERDICT_SESSION_LIFETIME_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=8_760))]
    pub session_lifetime_hours: u32,
    /// Directory of the static assets served under /static.
    #[arg(long, env = "VERDICT_STATIC_DIR", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/static"))]
    pub static_dir: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_is_the_default_and_flags_reach_it() {
        let cli = Cli::try_parse_from(["verdict", "--port", "9000"]).expect("parses");
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.port, 9000);
        let cli = Cli::try_parse_from(["verdict", "serve", "--pool-size", "3", "--demo", "false"])
            .expect("parses");
        match cli.command {
            Some(Command::Serve(args)) => {
                assert_eq!(args.pool_size, 3);
                assert!(!args.demo);
            }
            other => panic!("expected serve, got {other:?}"),
        }
    }

    #[test]
    fn sessions_end_after_two_idle_hours_or_twelve_in_all_unless_told_otherwise() {
        let cli = Cli::try_parse_from(["verdict"]).expect("parses");
        assert_eq!(
            (
                cli.serve.session_idle_minutes,
                cli.serve.session_lifetime_hours
            ),
            (120, 12)
        );
        let cli = Cli::try_parse_from([
            "verdict",
            "serve",
            "--session-idle-minutes",
            "30",
            "--session-lifetime-hours",
            "2",
        ])
        .expect("parses");
        match cli.command {
            Some(Command::Serve(args)) => {
                assert_eq!(
                    (args.session_idle_minutes, args.session_lifetime_hours),
                    (30, 2)
                );
            }
            other => panic!("expected serve, got {other:?}"),
        }
        assert!(Cli::try_parse_from(["verdict", "--session-idle-minutes", "0"]).is_err());
        assert!(Cli::try_parse_from(["verdict", "--session-lifetime-hours", "0"]).is_err());
    }

    #[test]
    fn seed_takes_a_number_of_synthetic_technologies_and_force_only_with_it() {
        let seed = |args: &[&str]| {
            Cli::try_parse_from([&["verdict", "seed"], args].concat()).map(|cli| {
                match cli.command {
                    Some(Command::Seed(args)) => (args.synthetic, args.force),
                    other => panic!("expected seed, got {other:?}"),
                }
            })
        };
        assert_eq!(seed(&[]).expect("parses"), (None, false));
        assert_eq!(
            seed(&["--synthetic", "100000"]).expect("parses"),
            (Some(100_000), false)
        );
        assert_eq!(
            seed(&["--synthetic", "5", "--force"]).expect("parses"),
            (Some(5), true)
        );
        assert!(seed(&["--force"]).is_err(), "--force needs --synthetic");
        assert!(seed(&["--synthetic", "0"]).is_err());
        assert!(seed(&["--synthetic", "10000001"]).is_err());
    }

    #[test]
    fn a_zero_pool_is_refused() {
        assert!(Cli::try_parse_from(["verdict", "serve", "--pool-size", "0"]).is_err());
    }
}

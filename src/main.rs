use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use verdict::config::{Cli, Command, SeedArgs, UserCommand};
use verdict::seed::Loaded;
use verdict::startup::{self, Application};

fn main() -> ExitCode {
    few_malloc_arenas();
    let cli = Cli::parse();
    env_logger::Builder::new()
        .parse_filters(&cli.common.log_level)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("verdict: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// glibc gives each thread that allocates an arena of its own, up to eight per core, and an
/// arena keeps what was freed in it: with the worker, the blocking threads and the pool's
/// threads each holding one, a quarter of the server's anonymous memory after a load was
/// freed memory kept in arenas. Two are enough for a server whose threads mostly wait.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn few_malloc_arenas() {
    // SAFETY: mallopt only changes the allocator's settings; it is called before any other
    // thread exists, and its only failure is to leave the setting as it was.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn few_malloc_arenas() {}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Migrate) => {
            let (url, migrated) = startup::migrate(&cli.common)?;
            println!(
                "{url:?}: {} migration(s) applied, schema up to date",
                migrated.applied
            );
        }
        Some(Command::Seed(SeedArgs {
            synthetic: None, ..
        })) => {
            let loaded = startup::seed(&cli.common)?;
            println!("demo dataset: {loaded}");
        }
        Some(Command::Seed(SeedArgs {
            synthetic: Some(n),
            force,
        })) => {
            let started = Instant::now();
            let (loaded, added) = startup::seed_synthetic(&cli.common, n, force)?;
            let demo = if loaded == Loaded::default() {
                "the demo dataset was there already".to_owned()
            } else {
                format!("demo dataset: {loaded}")
            };
            println!(
                "synthetic data: {added} in {:.1} s ({demo})",
                started.elapsed().as_secs_f64()
            );
        }
        Some(Command::User(UserCommand::Create { email, role })) => {
            let password = read_password()?;
            let email = startup::create_user(&cli.common, &email, role, &password)?;
            println!("created {role} {email}");
        }
        Some(Command::User(UserCommand::ResetPassword { email })) => {
            let password = read_password()?;
            let email = startup::reset_password(&cli.common, &email, &password)?;
            println!("new password set for {email}; their sessions have ended");
        }
        Some(Command::Serve(serve)) => serve_until_stopped(&cli.common, &serve)?,
        None => serve_until_stopped(&cli.common, &cli.serve)?,
    }
    Ok(())
}

/// A new password: typed twice at a prompt that does not echo, or one line of standard input.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ")?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn serve_until_stopped(
    common: &verdict::config::CommonArgs,
    serve: &verdict::config::ServeArgs,
) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async {
        let app = Application::build(common, serve)?;
        println!(
            "Verdict is serving http://{}/ ({})",
            app.addr(),
            app.backend()
        );
        app.run().await?;
        Ok(())
    })
}

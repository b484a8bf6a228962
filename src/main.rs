use std::process::ExitCode;

use clap::Parser;
use verdict::config::{Cli, Command};
use verdict::startup::{self, Application};

fn main() -> ExitCode {
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

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Migrate) => {
            let (url, migrated) = startup::migrate(&cli.common)?;
            println!(
                "{url:?}: {} migration(s) applied, schema up to date",
                migrated.applied
            );
        }
        Some(Command::Seed) => {
            let loaded = startup::seed(&cli.common)?;
            println!("demo dataset: {loaded}");
        }
        Some(Command::Serve(serve)) => serve_until_stopped(&cli.common, &serve)?,
        None => serve_until_stopped(&cli.common, &cli.serve)?,
    }
    Ok(())
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

//! The `dilution` binary: parse arguments, call `app::run`, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use dilution::{app, cli::Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match app::run(cli) {
        Ok(out) => {
            print!("{}", out.stdout);
            for line in out.stderr {
                eprintln!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

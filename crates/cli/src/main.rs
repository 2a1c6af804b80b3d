//! `clipbook`: the command-line face of Clipbook, a thin layer over the core crates.
//!
//! Every failure prints one plain line on stderr (`error: …`) and exits with status 1; usage
//! errors exit with status 2 (clap). Output to a closed pipe (`clipbook list | head`) ends the
//! program quietly.

mod add;
mod cli;
mod commands;
mod extract;
mod import;
mod output;

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {}", output::one_line(&err));
            ExitCode::FAILURE
        }
    }
}

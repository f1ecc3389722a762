//! The `refnotes` binary: parses arguments, starts logging and dispatches.

fn main() {
    std::process::exit(refnotes::cli::main());
}

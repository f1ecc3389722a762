//! The `refnotes` binary: everything lives in the library's [`refnotes::cli`],
//! so it can be tested in process; this only hands over the exit status.

fn main() {
    std::process::exit(refnotes::cli::main());
}

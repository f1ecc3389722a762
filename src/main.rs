//! The `refnotes` binary: everything lives in the library's [`refnotes::cli`],
//! so it can be tested in process; this only hands over the exit status.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `serve` is wired here until the CLI dispatches it; editors append `--stdio`.
    if args.first().map(String::as_str) == Some("serve")
        && args[1..].iter().all(|arg| arg == "--stdio")
    {
        if let Err(error) = refnotes::server::run_stdio() {
            eprintln!("refnotes: {error:#}");
            std::process::exit(1);
        }
        std::process::exit(0);
    }
    std::process::exit(refnotes::cli::main());
}

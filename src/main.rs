//! The `dossier` binary: all behaviour lives in the library; this only hands over.

fn main() {
    std::process::exit(dossier::cli::main());
}

fn main() {
    std::process::exit(guanhuai::cli::main());
}

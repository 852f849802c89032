//! The sample skill's binary (shipped to Lambda as `bootstrap`): the toolkit's entry point with
//! the sample's handlers. `skill --help` lists the modes.

fn main() -> std::process::ExitCode {
    linked_skill::run(|| skill::skill().build())
}

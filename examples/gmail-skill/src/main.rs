//! The Gmail example's binary (shipped to Lambda as `bootstrap`): the toolkit's entry point with
//! this skill's handlers. `gmail-skill --help` lists the modes.

fn main() -> std::process::ExitCode {
    linked_skill::run(|| gmail_skill::skill().build())
}

//! The Tasks example's binary (shipped to Lambda as `bootstrap`): the toolkit's entry point with
//! this skill's handlers. `tasks-skill --help` lists the modes.

fn main() -> std::process::ExitCode {
    linked_skill::run(|| tasks_skill::skill().build())
}

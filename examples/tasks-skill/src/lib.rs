//! The Tasks example: "what's on my to-do list" and "add milk to my to-do list", built on the
//! public API of `linked-skill` only, for an API the toolkit has no code for (Google Tasks).
//!
//! The Tasks scope is not in the toolkit's scope table, so the skill declares it twice, with the
//! same facts: here as [`TASKS_SCOPE`] for the handlers (and the missing-scope answer), and in
//! `skill.example.toml` under `[[google.declared_scopes]]` for `provision` and `cargo xtask`,
//! which do not link this crate. A test holds the two equal. The twin plays the Tasks API from
//! the routes in `tests/dialogs/dialogs.toml`. Its words are in `texts.rs`, one table per
//! language (English only for now).

mod add_task;
mod list_tasks;
mod tasks;
mod texts;

use linked_skill::google_api::scopes::{Scope, Sensitivity};
use linked_skill::{Skill, SkillBuilder};

pub use add_task::AddTask;
pub use list_tasks::ListTasks;

/// `https://www.googleapis.com/auth/tasks`: read and change the user's tasks. Google classifies
/// it as sensitive (docs/google-apis.md, Declared APIs: Google Tasks).
pub const TASKS_SCOPE: Scope = Scope::new(
    "https://www.googleapis.com/auth/tasks",
    "create, edit, organize and delete all tasks",
    Sensitivity::Sensitive,
)
.with_apis(&[("Google Tasks API", "tasks.googleapis.com")])
.with_permission(&[("en", "see and change your Google Tasks")]);

/// The skill's handlers and texts; the binary adds the settings from its environment.
pub fn skill() -> SkillBuilder {
    Skill::builder()
        .intent(ListTasks)
        .intent(AddTask)
        .texts(&texts::EN)
}

//! "Add buy milk to my to-do list": a new task on the default Google Tasks list.

use linked_skill::google_api::scopes::Scope;
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput};

use crate::{TASKS_SCOPE, tasks};

/// The slot that holds what to add (AMAZON.SearchQuery).
const TASK_SLOT: &str = "task";

#[derive(Debug)]
pub struct AddTask;

impl IntentHandler for AddTask {
    const NAME: &'static str = "AddTaskIntent";
    const SCOPES: &'static [&'static Scope] = &[&TASKS_SCOPE];
    const SLOTS: &'static [&'static str] = &[TASK_SLOT];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let Some(task) = input
            .slot(TASK_SLOT)
            .map(str::trim)
            .filter(|task| !task.is_empty())
        else {
            return Ok(Answer::elicit_slot(TASK_SLOT, input.texts.get("add.ask")));
        };
        tasks::add_task(&input.google, task).await?;
        Ok(Answer::say(
            input.texts.format("add.added", &[("task", task)]),
        ))
    }
}

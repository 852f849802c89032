//! "What's on my to-do list?": the open tasks of the default Google Tasks list.

use linked_skill::google_api::{self, scopes::Scope};
use linked_skill::{Answer, IntentHandler, IntentInput};

use crate::{TASKS_SCOPE, tasks};

#[derive(Debug)]
pub struct ListTasks;

impl IntentHandler for ListTasks {
    const NAME: &'static str = "ListTasksIntent";
    const SCOPES: &'static [&'static Scope] = &[&TASKS_SCOPE];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, google_api::Error> {
        let titles = tasks::open_tasks(&input.google).await?;
        Ok(Answer::say(said(&titles)))
    }
}

fn said(titles: &[String]) -> String {
    match titles.len() {
        0 => "Your to-do list is empty.".to_owned(),
        1 => format!("You have one thing on your to-do list: {}.", titles[0]),
        count => format!(
            "You have {count} things on your to-do list: {}.",
            tasks::spoken_list(titles)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_one_and_many_tasks_are_spoken() {
        let titles = |titles: &[&str]| -> Vec<String> {
            titles.iter().map(|title| (*title).to_owned()).collect()
        };
        assert_eq!(said(&[]), "Your to-do list is empty.");
        assert_eq!(
            said(&titles(&["buy milk"])),
            "You have one thing on your to-do list: buy milk."
        );
        assert_eq!(
            said(&titles(&["buy milk", "call Charles", "water the plants"])),
            "You have 3 things on your to-do list: buy milk, call Charles and water the plants."
        );
    }
}

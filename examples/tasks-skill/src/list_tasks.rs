//! "What's on my to-do list?": the open tasks of the default Google Tasks list.

use linked_skill::google_api::scopes::Scope;
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, LocalTexts};

use crate::{TASKS_SCOPE, tasks};

#[derive(Debug)]
pub struct ListTasks;

impl IntentHandler for ListTasks {
    const NAME: &'static str = "ListTasksIntent";
    const SCOPES: &'static [&'static Scope] = &[&TASKS_SCOPE];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let titles = tasks::open_tasks(&input.google).await?;
        Ok(Answer::say(said(input.texts, &titles)))
    }
}

fn said(texts: LocalTexts<'_>, titles: &[String]) -> String {
    let count = u64::try_from(titles.len()).unwrap_or(u64::MAX);
    texts.count("list", count, &[("tasks", &texts.list(titles))])
}

#[cfg(test)]
mod tests {
    use linked_skill::Locale;

    use super::*;

    #[test]
    fn none_one_and_many_tasks_are_spoken() {
        let skill = crate::skill().build();
        let texts = skill.texts().for_locale(Locale::new("en-US").unwrap());
        let titles = |titles: &[&str]| -> Vec<String> {
            titles.iter().map(|title| (*title).to_owned()).collect()
        };
        assert_eq!(said(texts, &[]), "Your to-do list is empty.");
        assert_eq!(
            said(texts, &titles(&["buy milk"])),
            "You have one thing on your to-do list: buy milk."
        );
        assert_eq!(
            said(
                texts,
                &titles(&["buy milk", "call Charles", "water the plants"])
            ),
            "You have 3 things on your to-do list: buy milk, call Charles and water the plants."
        );
    }
}

//! The two Google Tasks calls this skill makes, through `UserClient::get_json` and `post_json`,
//! and how a list of tasks is spoken. Shapes: `docs/google-apis.md`, Declared APIs.

use linked_skill::google_api::{self, Idempotency, UserClient};
use serde::Deserialize;

/// The Tasks API's host; the skill's only Google host.
const HOST: &str = "tasks.googleapis.com";
/// The user's default task list, which Tasks names `@default` in every path.
const DEFAULT_LIST_TASKS: &str = "tasks/v1/lists/@default/tasks";
/// How many open tasks are read out at most.
const MOST_SPOKEN: &str = "10";

/// `tasks.list`: `items` is left out when the list is empty.
#[derive(Debug, Deserialize)]
struct TaskList {
    #[serde(default)]
    items: Vec<Task>,
}

#[derive(Debug, Deserialize)]
struct Task {
    #[serde(default)]
    title: String,
}

/// The titles of the open tasks on the default list, oldest first, empty titles left out.
pub(crate) async fn open_tasks(google: &UserClient<'_>) -> Result<Vec<String>, google_api::Error> {
    let list: TaskList = google
        .get_json(
            HOST,
            DEFAULT_LIST_TASKS,
            &[("showCompleted", "false"), ("maxResults", MOST_SPOKEN)],
        )
        .await?;
    Ok(list
        .items
        .into_iter()
        .map(|task| task.title.trim().to_owned())
        .filter(|title| !title.is_empty())
        .collect())
}

/// Adds a task titled `title` to the default list. Not idempotent: a retry after Google may have
/// acted would add it twice.
pub(crate) async fn add_task(
    google: &UserClient<'_>,
    title: &str,
) -> Result<(), google_api::Error> {
    let _created: serde_json::Value = google
        .post_json(
            HOST,
            DEFAULT_LIST_TASKS,
            &[],
            serde_json::json!({ "title": title }),
            Idempotency::NotIdempotent,
        )
        .await?;
    Ok(())
}

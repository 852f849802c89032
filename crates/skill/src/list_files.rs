//! "List my files": the names of the most recently changed Drive files.

use linked_skill::google_api::scopes;
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, LocalTexts};

/// How many recent files the skill reads out.
pub const FILES_TO_LIST: u32 = 5;

#[derive(Debug)]
pub struct ListFiles;

impl IntentHandler for ListFiles {
    const NAME: &'static str = "ListFilesIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::DRIVE_METADATA_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let files = input.google.recent_files(FILES_TO_LIST).await?;
        let names: Vec<String> = files.into_iter().map(|file| file.name).collect();
        Ok(Answer::say(said(input.texts, &names)))
    }
}

fn said(texts: LocalTexts<'_>, names: &[String]) -> String {
    if names.is_empty() {
        return texts.get("list_files.none").to_owned();
    }
    let count = u64::try_from(names.len()).unwrap_or(u64::MAX);
    texts.count("list_files.recent", count, &[("names", &texts.list(names))])
}

//! "List my files": the names of the most recently changed Drive files.

use linked_skill::google_api::{self, scopes};
use linked_skill::{Answer, IntentHandler, IntentInput, Language};

/// How many recent files the skill reads out.
pub const FILES_TO_LIST: u32 = 5;

#[derive(Debug)]
pub struct ListFiles;

impl IntentHandler for ListFiles {
    const NAME: &'static str = "ListFilesIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::DRIVE_METADATA_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, google_api::Error> {
        let files = input.google.recent_files(FILES_TO_LIST).await?;
        let names: Vec<String> = files.into_iter().map(|file| file.name).collect();
        Ok(Answer::say(said(input.language, &names)))
    }
}

fn said(language: Language, names: &[String]) -> String {
    let count = names.len();
    match language {
        Language::English if count == 0 => "Your Google Drive has no files yet.".to_owned(),
        Language::English => {
            let noun = if count == 1 { "file" } else { "files" };
            format!("Your {count} most recent {noun}: {}.", language.list(names))
        }
        Language::German if count == 0 => "Dein Google Drive hat noch keine Dateien.".to_owned(),
        Language::German => {
            let noun = if count == 1 { "Datei" } else { "Dateien" };
            let latest = if count == 1 { "letzte" } else { "letzten" };
            format!("Deine {count} {latest} {noun}: {}.", language.list(names))
        }
    }
}

//! "Add a note buy oat milk": a row in the user's notes spreadsheet, created on first use and
//! remembered in the user's state, so Drive is searched once per user, not per note.

use linked_skill::alexa_model::RequestEnvelope;
use linked_skill::google_api::{self, SpreadsheetId, UserClient, scopes};
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput};

use crate::SkillState;

/// The title of the spreadsheet notes go to, created in the user's Drive on first use.
pub const NOTES_SPREADSHEET_TITLE: &str = "Alexa Notes";

/// Columns A and B of the first sheet: whatever Google named it in the user's language.
pub const NOTES_RANGE: &str = "A:B";

/// The slot that holds the note (AMAZON.SearchQuery).
const NOTE_SLOT: &str = "note";

#[derive(Debug)]
pub struct AddNote;

impl IntentHandler for AddNote {
    const NAME: &'static str = "AddNoteIntent";
    /// `drive.file` covers the Drive search for the spreadsheet the skill created and the Sheets
    /// calls on it.
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::DRIVE_FILE];
    const SLOTS: &'static [&'static str] = &[NOTE_SLOT];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let Some(note) = input.slot(NOTE_SLOT) else {
            return Ok(Answer::elicit_slot(
                NOTE_SLOT,
                input.texts.get("add_note.ask"),
            ));
        };
        let row = vec![note_timestamp(input.request), note.to_owned()];
        let added = Answer::say(input.texts.format("add_note.added", &[("note", note)]));
        let remembered = input.state.get::<SkillState>().await.notes_spreadsheet_id;
        if let Some(id) = remembered {
            let spreadsheet = SpreadsheetId::new(id);
            match input
                .google
                .append_row(&spreadsheet, NOTES_RANGE, row.clone())
                .await
            {
                Ok(_) => return Ok(added),
                // The user deleted it: find or make one again, as on first use.
                Err(google_api::Error::Api { status: 404, .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        let spreadsheet = notes_spreadsheet(&input.google).await?;
        input
            .google
            .append_row(&spreadsheet, NOTES_RANGE, row)
            .await?;
        let id = spreadsheet.as_str().to_owned();
        input
            .state
            .update(move |state: &mut SkillState| {
                state.notes_spreadsheet_id = Some(id.clone());
            })
            .await;
        Ok(added)
    }
}

/// The notes spreadsheet, created on first use.
///
/// Two first uses at the same moment can both create one (Drive has no create-if-absent); later
/// calls then consistently find one of them.
async fn notes_spreadsheet(google: &UserClient<'_>) -> Result<SpreadsheetId, google_api::Error> {
    match google
        .find_spreadsheet_by_name(NOTES_SPREADSHEET_TITLE)
        .await?
    {
        Some(existing) => Ok(existing),
        None => google.create_spreadsheet(NOTES_SPREADSHEET_TITLE).await,
    }
}

/// The time written next to a note: when the user said it, to the second, in UTC.
fn note_timestamp(request: &RequestEnvelope) -> String {
    let said = request
        .request
        .parse_timestamp()
        .unwrap_or_else(|_| jiff::Timestamp::now());
    said.round(jiff::Unit::Second).unwrap_or(said).to_string()
}

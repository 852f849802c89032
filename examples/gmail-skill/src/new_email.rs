//! "Anything new since I last asked?": how many inbox messages arrived after the newest one the
//! user has heard about (remembered in the user's state, [`MailState`]), and the newest of them.
//!
//! The first time there is nothing to compare with: the answer says so and tells the newest
//! email, which from then on is the one the user has heard about. "What's my latest email?"
//! counts as hearing about the newest email too.

use linked_skill::google_api::{self, UserClient, scopes};
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, LocalTexts};

use crate::gmail::{self, InboxMessage};
use crate::latest_email;
use crate::state::{Heard, MailState};

/// How many of the newest inbox messages are looked at: more new ones than this are "at least
/// this many". It also bounds the Google calls of one answer (one list, at most this many gets).
pub const NEW_EMAILS_LOOKED_AT: u32 = 10;

#[derive(Debug)]
pub struct NewEmail;

impl IntentHandler for NewEmail {
    const NAME: &'static str = "NewEmailIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::GMAIL_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let state: MailState = input.state.get().await;
        let news = news_since(&input.google, state.heard.as_ref()).await?;
        if let Some(heard) = news.now_heard() {
            input
                .state
                .update(move |state: &mut MailState| state.heard = Some(heard.clone()))
                .await;
        }
        Ok(Answer::say(said(input.texts, &news)))
    }
}

/// What changed in the inbox since the user last heard about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum News {
    /// The user never asked: nothing to compare with. `newest` is `None` for an empty inbox.
    FirstTime { newest: Option<InboxMessage> },
    /// No message arrived after the one the user heard about.
    Nothing,
    /// `count` messages arrived (`at_least`: there may be more than the page looked at).
    New {
        count: u32,
        at_least: bool,
        newest: InboxMessage,
    },
}

impl News {
    /// What the user has heard about after this answer, when it changes.
    fn now_heard(&self) -> Option<Heard> {
        match self {
            News::FirstTime { newest } => Some(Heard::of(newest.as_ref())),
            News::Nothing => None,
            News::New { newest, .. } => Some(Heard::of(Some(newest))),
        }
    }
}

/// Compares the inbox with what the user heard about: the remembered message's place among the
/// newest messages when it is still there (one list call, and one get when something is new),
/// else the arrival times of the newest messages (one get each, newest first, until one is not
/// newer).
pub(crate) async fn news_since(
    google: &UserClient<'_>,
    heard: Option<&Heard>,
) -> Result<News, google_api::Error> {
    let ids = gmail::inbox_message_ids(google, NEW_EMAILS_LOOKED_AT).await?;
    let Some(heard) = heard else {
        let newest = match ids.into_iter().next() {
            Some(id) => Some(gmail::inbox_message(google, id).await?),
            None => None,
        };
        return Ok(News::FirstTime { newest });
    };
    let Some(newest_id) = ids.first() else {
        // An empty inbox has nothing new; what the user heard about stays the reference.
        return Ok(News::Nothing);
    };
    let remembered_at = heard
        .newest_id
        .as_ref()
        .and_then(|remembered| ids.iter().position(|id| id == remembered));
    if let Some(count) = remembered_at {
        if count == 0 {
            return Ok(News::Nothing);
        }
        let newest = gmail::inbox_message(google, newest_id.clone()).await?;
        return Ok(News::New {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            at_least: false,
            newest,
        });
    }
    // The remembered message is not among the newest: it left the inbox, or more arrived than
    // the page holds, or the inbox was empty then. Arrival times decide.
    let is_newer =
        |message: &InboxMessage| match (message.received_millis, heard.newest_received_millis) {
            (Some(received), Some(heard)) => received > heard,
            // Without a time to compare, a message the user has not heard about counts as new.
            _ => true,
        };
    let page_full = ids.len() >= NEW_EMAILS_LOOKED_AT as usize;
    let mut ids = ids.into_iter();
    let newest = gmail::inbox_message(google, ids.next().expect("checked above")).await?;
    if !is_newer(&newest) {
        return Ok(News::Nothing);
    }
    let mut count = 1;
    let mut all_newer = true;
    for id in ids {
        if heard.newest_received_millis.is_none() {
            // Nothing to compare with (the inbox was empty when the user asked): every message
            // in the inbox is new, and no get is needed to count them.
            count += 1;
            continue;
        }
        if is_newer(&gmail::inbox_message(google, id).await?) {
            count += 1;
        } else {
            all_newer = false;
            break;
        }
    }
    Ok(News::New {
        count,
        at_least: all_newer && page_full,
        newest,
    })
}

pub(crate) fn said(texts: LocalTexts<'_>, news: &News) -> String {
    match news {
        News::FirstTime { newest } => format!(
            "{} {}",
            texts.get("new_email.first_time"),
            latest_email::said(texts, newest.as_ref().map(|message| &message.headers))
        ),
        News::Nothing => texts.get("new_email.none").to_owned(),
        News::New {
            count,
            at_least,
            newest,
        } => {
            let how_many = if *at_least {
                texts.format("new_email.at_least", &[("count", &count.to_string())])
            } else {
                texts.count("new_email.count", u64::from(*count), &[])
            };
            format!(
                "{how_many} {}",
                latest_email::said(texts, Some(&newest.headers))
            )
        }
    }
}

#[cfg(test)]
mod tests;

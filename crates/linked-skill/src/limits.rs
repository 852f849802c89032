//! The numbers the toolkit keeps to: Alexa's answer window and size limits, and the caps on the
//! calls it makes while answering.
//!
//! Alexa's size limits on what a response says and shows are applied once to every response.
//! Alexa rejects a response whose `outputSpeech` (or `reprompt`) is longer than 8000 characters
//! or whose card holds more than 8000 characters of text in all (docs/alexa-requests.md,
//! "Responses and their limits"); the user then hears an error instead of the answer. A handler
//! that speaks data from Google (file names, event titles) cannot know how long it is, so the
//! toolkit cuts every text at a word boundary to fit, with "…" at the cut.

use alexa_model::{Card, OutputSpeech, ResponseEnvelope};

pub use crate::alexa_api::{
    ALEXA_API_TIMEOUT, PROGRESSIVE_RESPONSES_PER_REQUEST, TIME_ZONE_CACHE_FOR,
};
pub use crate::skill::{ANSWER_WITHIN, AUTOMATIC_PROGRESS_AFTER, RESPONSE_MARGIN};
pub use crate::state::{STORE_CALL_LIMIT, WRITE_ATTEMPTS};

/// Most characters in `outputSpeech` or `reprompt` text, and in all of a card's text.
pub const ALEXA_TEXT_LIMIT: usize = 8000;

const ELLIPSIS: char = '…';

/// Cuts the response's plain-text speech, reprompt and card text to Alexa's limits.
///
/// SSML is left alone: cutting it could break its markup, and the toolkit never builds SSML from
/// Google's data (a handler that does must bound it itself).
pub(crate) fn fit_to_alexa_limits(response: &mut ResponseEnvelope) {
    let response = &mut response.response;
    if let Some(OutputSpeech::PlainText { text, .. }) = &mut response.output_speech {
        cut_at_word_boundary(text, ALEXA_TEXT_LIMIT);
    }
    if let Some(reprompt) = &mut response.reprompt
        && let OutputSpeech::PlainText { text, .. } = &mut reprompt.output_speech
    {
        cut_at_word_boundary(text, ALEXA_TEXT_LIMIT);
    }
    match &mut response.card {
        Some(Card::Simple {
            title,
            content: body,
        })
        | Some(Card::Standard {
            title, text: body, ..
        }) => {
            // The title is short by nature; give it at most half, the body what is left.
            cut_at_word_boundary(title, ALEXA_TEXT_LIMIT / 2);
            let room = ALEXA_TEXT_LIMIT - title.chars().count();
            cut_at_word_boundary(body, room);
        }
        // LinkAccount, AskForPermissionsConsent and cards Amazon adds later carry no text.
        _ => {}
    }
}

/// Cuts `text` to at most `limit` characters, ellipsis included, at the last whitespace that
/// fits (inside a word only when one word alone is longer than the limit).
pub(crate) fn cut_at_word_boundary(text: &mut String, limit: usize) {
    if text.chars().count() <= limit {
        return;
    }
    let Some(keep) = limit.checked_sub(1) else {
        text.clear();
        return;
    };
    // The byte index just past the first `keep` characters.
    let hard_end = text
        .char_indices()
        .nth(keep)
        .map_or(text.len(), |(index, _)| index);
    let head = &text[..hard_end];
    let word_ends_at_the_cut = text[hard_end..].starts_with(char::is_whitespace);
    let end = if word_ends_at_the_cut {
        Some(hard_end)
    } else {
        head.rfind(char::is_whitespace)
    }
    .map(|space| head[..space].trim_end().len())
    .filter(|&end| end > 0)
    .unwrap_or(hard_end);
    text.truncate(end);
    let trimmed = text.trim_end_matches([',', ';', ':']).len();
    text.truncate(trimmed);
    text.push(ELLIPSIS);
}

#[cfg(test)]
mod tests {
    use super::cut_at_word_boundary;

    #[test]
    fn text_is_cut_at_a_word_boundary_under_the_limit() {
        let cases = [
            ("short text", 20, "short text"),
            ("one two three four", 12, "one two…"),
            ("one two, three", 10, "one two…"),
            ("abcdefghijklmnop", 6, "abcde…"),
            ("ä ö ü ß é", 4, "ä ö…"),
            ("anything", 0, ""),
        ];
        for (input, limit, expected) in cases {
            let mut text = input.to_owned();
            cut_at_word_boundary(&mut text, limit);
            assert_eq!(text, expected, "{input:?} at {limit}");
            assert!(text.chars().count() <= limit);
        }
    }
}

//! SSML helpers: escape user-provided text before it goes into `<speak>`.
//!
//! Alexa rejects a response with malformed SSML (the user hears an error), so every piece of
//! text that did not come from the skill's own constants (file names, event titles, notes) must
//! be escaped.

/// Escapes `&`, `<`, `>`, `"` and `'` so `text` is safe as SSML character data or attribute value.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Wraps SSML content (already escaped where needed) in `<speak>…</speak>`.
pub fn speak(inner_ssml: &str) -> String {
    format!("<speak>{inner_ssml}</speak>")
}

/// Escapes plain `text` and wraps it in `<speak>`.
pub fn speak_text(text: &str) -> String {
    speak(&escape(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_xml_special_characters() {
        assert_eq!(
            escape(r#"Tom & Jerry's <notes> "draft""#),
            "Tom &amp; Jerry&apos;s &lt;notes&gt; &quot;draft&quot;"
        );
    }

    #[test]
    fn leaves_other_text_alone_including_non_ascii() {
        assert_eq!(escape("Grüße, 10 % mehr; ok?"), "Grüße, 10 % mehr; ok?");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn escaping_twice_escapes_the_ampersands_again() {
        // Documented so nobody escapes already-escaped text by accident.
        assert_eq!(escape(&escape("a&b")), "a&amp;amp;b");
    }

    #[test]
    fn speak_wraps_and_speak_text_escapes() {
        assert_eq!(
            speak("<break time=\"1s\"/>"),
            "<speak><break time=\"1s\"/></speak>"
        );
        assert_eq!(speak_text("1 < 2"), "<speak>1 &lt; 2</speak>");
    }
}

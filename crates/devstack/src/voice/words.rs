//! Utterances and samples as tokens to match, in any script Alexa speaks.
//!
//! Most languages separate words with spaces; Japanese (and Chinese) do not, so their characters
//! are tokens of their own: a sample then matches character for character, and a `{slot}` takes
//! one or more characters. That needs no dictionary and no segmenter, and it is exact enough for
//! a twin whose samples are the model's own. Combining marks stay inside their word (a Hindi
//! virama or vowel sign, Arabic vowel marks), so a token is never cut in the middle of a letter.
//!
//! Two readings of every text are kept. The exact one lowercases and drops punctuation; the
//! folded one also removes the accents of Latin letters and the vowel marks of Arabic, and splits
//! at apostrophes and hyphens, so "quest ce que" typed on a keyboard without accents still finds
//! "qu'est-ce que". The matcher tries the exact reading first, so an accent the user did type
//! still tells two samples apart.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// One unit of a sample: a word (or, in an unspaced script, a character) or a `{slot}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    Word(String),
    Slot(String),
}

/// The two readings of a text.
#[derive(Debug, Clone)]
pub(super) struct Tokens {
    pub(super) exact: Vec<Token>,
    pub(super) folded: Vec<Token>,
}

impl Tokens {
    pub(super) fn new(text: &str) -> Tokens {
        Tokens {
            exact: tokenize(text, Reading::Exact),
            folded: tokenize(text, Reading::Folded),
        }
    }

    pub(super) fn get(&self, reading: Reading) -> &[Token] {
        match reading {
            Reading::Exact => &self.exact,
            Reading::Folded => &self.folded,
        }
    }
}

/// Which reading of a text to match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    Exact,
    Folded,
}

impl Reading {
    /// Exact first: the folded reading is only the keyboard's fallback.
    pub(super) const IN_ORDER: [Reading; 2] = [Reading::Exact, Reading::Folded];
}

/// The words of an utterance (no slots: braces are just punctuation there).
pub(super) fn words(text: &str, reading: Reading) -> Vec<String> {
    tokenize(&text.replace(['{', '}'], " "), reading)
        .into_iter()
        .filter_map(|token| match token {
            Token::Word(word) => Some(word),
            Token::Slot(_) => None,
        })
        .collect()
}

/// Joins tokens back into text: with spaces, except between two characters of a script written
/// without them ("メモ" + "して" → "メモして").
pub(super) fn join(words: &[String]) -> String {
    let mut text = String::new();
    let mut previous_unspaced = false;
    for word in words {
        let unspaced = word.chars().next().is_some_and(is_unspaced);
        if !text.is_empty() && (!previous_unspaced || !unspaced) {
            text.push(' ');
        }
        text.push_str(word);
        previous_unspaced = word.chars().last().is_some_and(is_unspaced);
    }
    text
}

fn tokenize(text: &str, reading: Reading) -> Vec<Token> {
    let text = match reading {
        Reading::Exact => text.replace(['\u{2019}', '\u{02bc}', '`'], "'"),
        Reading::Folded => fold(text),
    };
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' {
            let mut name = String::new();
            for next in chars.by_ref() {
                if next == '}' {
                    break;
                }
                name.push(next);
            }
            push_word(&mut tokens, &mut word);
            tokens.push(Token::Slot(name.trim().to_owned()));
        } else if is_unspaced(c) {
            push_word(&mut tokens, &mut word);
            tokens.push(Token::Word(c.to_string()));
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            word.extend(c.to_lowercase());
        } else if (c == '\'' || c == '-') && !word.is_empty() {
            // Inside a word ("what's", "e-mail", "qu'est-ce"); trimmed below when it ends one.
            word.push(c);
        } else {
            push_word(&mut tokens, &mut word);
        }
    }
    push_word(&mut tokens, &mut word);
    tokens
}

fn push_word(tokens: &mut Vec<Token>, word: &mut String) {
    let trimmed = word.trim_end_matches(['\'', '-']);
    if !trimmed.is_empty() {
        tokens.push(Token::Word(trimmed.to_owned()));
    }
    word.clear();
}

/// Lowercase, accents of Latin letters and Arabic vowel marks removed, apostrophes and hyphens
/// made spaces. Other scripts' marks stay: without them a Hindi or Japanese word is another word.
fn fold(text: &str) -> String {
    let mut folded = String::new();
    let mut base = ' ';
    for c in text.nfd() {
        if is_combining_mark(c) {
            if is_latin(base) || is_arabic(base) {
                continue;
            }
        } else {
            base = c;
        }
        match c {
            '\'' | '\u{2019}' | '\u{02bc}' | '`' | '-' => folded.push(' '),
            'ß' => folded.push_str("ss"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'æ' | 'Æ' => folded.push_str("ae"),
            _ => folded.push(c),
        }
    }
    folded.nfc().collect()
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{00c0}'..='\u{024f}').contains(&c)
}

fn is_arabic(c: char) -> bool {
    ('\u{0600}'..='\u{06ff}').contains(&c)
}

/// Scripts written without spaces between words: each character is a token.
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3005}'                  // 々, the kanji repetition mark
        | '\u{3040}'..='\u{309f}'   // Hiragana
        | '\u{30a0}'..='\u{30ff}'   // Katakana, with the long-vowel mark ー
        | '\u{3400}'..='\u{4dbf}'   // CJK Extension A
        | '\u{4e00}'..='\u{9fff}'   // CJK Unified Ideographs
        | '\u{f900}'..='\u{faff}'   // CJK Compatibility Ideographs
        | '\u{ff66}'..='\u{ff9f}'   // half-width Katakana
        | '\u{0e00}'..='\u{0e7f}'   // Thai
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> Vec<String> {
        words(text, Reading::Exact)
    }

    fn folded(text: &str) -> Vec<String> {
        words(text, Reading::Folded)
    }

    #[test]
    fn spaced_scripts_split_at_spaces_and_punctuation() {
        assert_eq!(exact("What's next, Alexa?"), ["what's", "next", "alexa"]);
        assert_eq!(exact("¿Qué tengo hoy?"), ["qué", "tengo", "hoy"]);
        assert_eq!(exact("Qu’est-ce que j'ai"), ["qu'est-ce", "que", "j'ai"]);
        assert_eq!(exact("meine E-Mail-Adresse"), ["meine", "e-mail-adresse"]);
        assert_eq!(exact("'quoted' -dash-"), ["quoted", "dash"]);
    }

    #[test]
    fn japanese_is_one_token_per_character() {
        assert_eq!(
            exact("予定を教えて。"),
            ["予", "定", "を", "教", "え", "て"]
        );
        assert_eq!(exact("グーグル ドライブ"), exact("グーグルドライブ"));
        assert_eq!(
            exact("googleのファイル"),
            ["google", "の", "フ", "ァ", "イ", "ル"]
        );
    }

    #[test]
    fn combining_marks_stay_inside_their_word() {
        // क् + ष: the virama (U+094D) is a combining mark, not a word break.
        assert_eq!(
            exact("मेरी अगली मीटिंग क्या है"),
            ["मेरी", "अगली", "मीटिंग", "क्या", "है"]
        );
        assert_eq!(exact("مَنْ أنا؟"), ["مَنْ", "أنا"]);
    }

    #[test]
    fn folding_forgets_latin_accents_and_arabic_vowel_marks_only() {
        assert_eq!(
            folded("Qu'est-ce que c'est ?"),
            ["qu", "est", "ce", "que", "c", "est"]
        );
        assert_eq!(folded("Ñandú à l'été"), ["nandu", "a", "l", "ete"]);
        assert_eq!(folded("Straße"), ["strasse"]);
        assert_eq!(folded("مَنْ"), ["من"]);
        assert_eq!(folded("क्या"), exact("क्या"));
        assert_eq!(folded("が"), ["が"]);
    }

    #[test]
    fn slots_are_tokens_even_without_spaces_around_them() {
        assert_eq!(
            tokenize("{note}とメモして", Reading::Exact),
            [
                Token::Slot("note".to_owned()),
                Token::Word("と".to_owned()),
                Token::Word("メ".to_owned()),
                Token::Word("モ".to_owned()),
                Token::Word("し".to_owned()),
                Token::Word("て".to_owned()),
            ]
        );
        assert_eq!(words("{note}", Reading::Exact), ["note"]);
    }

    #[test]
    fn joining_puts_spaces_back_only_where_the_script_has_them() {
        let join_text = |text| join(&exact(text));
        assert_eq!(join_text("牛乳を買う"), "牛乳を買う");
        assert_eq!(join_text("buy  oat milk"), "buy oat milk");
        assert_eq!(join_text("google ドライブ"), "google ドライブ");
    }
}

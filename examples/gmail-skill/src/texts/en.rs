//! The example's texts in English.

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("en", {
    "welcome_not_linked" => "Welcome to Mail Companion. To hear your email, link your Google \
        account in the Alexa app. I've sent a card there to help you.",
    "help" => "You can ask me for your latest email, or how many unread emails you have. What \
        would you like?",
    "fallback" => "Sorry, I can't help with that. You can ask for your latest email, or how many \
        unread emails you have.",
    "latest_email.empty" => "Your inbox is empty.",
    "latest_email.from_and_subject" => "Your latest email is from {sender}: {subject}.",
    "latest_email.from" => "Your latest email is from {sender}, without a subject.",
    "latest_email.subject" => "Your latest email has no sender: {subject}.",
    "latest_email.nothing" => "Your latest email has neither a sender nor a subject.",
    "unread.zero" => "You have no unread emails in your inbox.",
    "unread.one" => "You have one unread email in your inbox.",
    "unread.other" => "You have {count} unread emails in your inbox.",
    "new_email.first_time" => "From now on, I'll tell you what's new since you last asked.",
    "new_email.none" => "Nothing new since you last asked.",
    "new_email.count.one" => "You have one new email since you last asked.",
    "new_email.count.other" => "You have {count} new emails since you last asked.",
    "new_email.at_least" => "You have at least {count} new emails since you last asked.",
});

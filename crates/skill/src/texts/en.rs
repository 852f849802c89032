//! The sample's texts in English (every English locale).

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("en", {
    "welcome_not_linked" => "Welcome to Cloud Companion. To get started, link your Google account \
        in the Alexa app. I've sent a card there to help you.",
    "help" => "You can ask me who you are, to list your recent files, what's next on your \
        calendar, or to add a note. What would you like?",
    "fallback" => "Sorry, I can't help with that. You can ask who you are, list your files, hear \
        your next event, or add a note.",
    "launch.hello" => "Hi!",
    "launch.hello_name" => "Hi {name}!",
    "launch.welcome" => "{hello} You can ask who you are, list your files, hear your next event, \
        or add a note. What would you like?",
    "who_am_i.name_and_email" => "You are {name}, signed in as {email}.",
    "who_am_i.name" => "You are {name}.",
    "who_am_i.email" => "You are signed in as {email}.",
    "who_am_i.nothing" => "Your Google account didn't tell me your name or email address.",
    "list_files.none" => "Your Google Drive has no files yet.",
    "list_files.recent.one" => "Your most recent file: {names}.",
    "list_files.recent.other" => "Your {count} most recent files: {names}.",
    "next_event.nothing" => "Your calendar has nothing coming up.",
    "next_event.untitled" => "An event without a title",
    "next_event.at" => "{title}, {when}.",
    "next_event.all_day" => "{title}, all day {day}.",
    "add_note.ask" => "What should the note say?",
    "add_note.added" => "I've added your note: {note}.",
    "create_event.day" => "{weekday} {month} {day}",
    "create_event.relative_day" => "{relative}, {date}",
    "create_event.at" => "at {time}",
    "create_event.at_one" => "at {time}",
    "create_event.confirm" => "Shall I add {title}, {day}, {at}?",
    "create_event.confirm_again" => "Please say yes or no. {question}",
    "create_event.added" => "OK, I've added {title} to your calendar.",
    "create_event.already_added" => "{title} is already on your calendar.",
    "create_event.not_added" => "OK, I won't add it.",
    "create_event.which_day" => "Which day exactly? For example, tomorrow or next Friday.",
    "create_event.which_time" => "What time exactly? For example, 3 PM.",
    "create_event.past_day" => "That day has already passed. Which day is it on?",
    "create_event.past_time" => "That time has already passed today. What time does it start?",
});

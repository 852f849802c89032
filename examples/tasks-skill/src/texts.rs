//! The example's words in English: its own texts by key, and the toolkit texts it words its own
//! way (they name the skill and what it can do). A language is one more table like this one.

use linked_skill::TextTable;

pub(crate) static EN: TextTable = linked_skill::text_table!("en", {
    "welcome_not_linked" => "Welcome to Task Helper. To hear your to-do list, link your Google \
        account in the Alexa app. I've sent a card there to help you.",
    "help" => "You can ask me what's on your to-do list, or tell me to add something to it. What \
        would you like?",
    "fallback" => "Sorry, I can't help with that. You can ask what's on your to-do list, or add \
        something to it.",
    "list.zero" => "Your to-do list is empty.",
    "list.one" => "You have one thing on your to-do list: {tasks}.",
    "list.other" => "You have {count} things on your to-do list: {tasks}.",
    "add.ask" => "What should I add to your to-do list?",
    "add.added" => "Okay, I added {task} to your to-do list.",
});

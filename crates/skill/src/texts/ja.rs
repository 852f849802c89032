//! The sample's texts in Japanese: polite です/ます, as Alexa speaks Japanese.

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("ja", {
    "welcome_not_linked" => "クラウドコンパニオンへようこそ。はじめに、AlexaアプリでGoogle\
        アカウントをリンクしてください。手順を説明するカードをAlexaアプリに送りました。",
    "help" => "あなたが誰か、最近のファイル、次の予定を聞いたり、メモを追加したりできます。\
        何をしますか?",
    "fallback" => "すみません、それはお手伝いできません。あなたが誰か、ファイルの一覧、次の予定を\
        聞いたり、メモを追加したりできます。",
    "launch.hello" => "こんにちは。",
    "launch.hello_name" => "こんにちは、{name}さん。",
    "launch.welcome" => "{hello}あなたが誰か、ファイルの一覧、次の予定を聞いたり、メモを追加\
        したりできます。何をしますか?",
    "who_am_i.name_and_email" => "あなたは{name}さんで、{email}でログインしています。",
    "who_am_i.name" => "あなたは{name}さんです。",
    "who_am_i.email" => "{email}でログインしています。",
    "who_am_i.nothing" => "Googleアカウントから、名前もメールアドレスも教えてもらえませんでした。",
    "list_files.none" => "Googleドライブにはまだファイルがありません。",
    "list_files.recent.other" => "最近のファイルは{count}件です。{names}。",
    "next_event.nothing" => "カレンダーに今後の予定はありません。",
    "next_event.untitled" => "タイトルのない予定",
    "next_event.at" => "{when}から、{title}があります。",
    "next_event.all_day" => "{day}は終日、{title}があります。",
    "add_note.ask" => "メモの内容を教えてください。",
    "add_note.added" => "メモを追加しました。{note}。",
    "create_event.day" => "{month}{day}日{weekday}",
    "create_event.relative_day" => "{relative}、{date}",
    "create_event.at" => "の{time}",
    "create_event.at_one" => "の{time}",
    "create_event.confirm" => "{day}{at}に、{title}の予定を追加しますか？",
    "create_event.confirm_again" => "「はい」か「いいえ」でお答えください。{question}",
    "create_event.added" => "{title}の予定をカレンダーに追加しました。",
    "create_event.already_added" => "{title}の予定は、もうカレンダーに入っています。",
    "create_event.not_added" => "わかりました。追加しません。",
    "create_event.which_day" => "何日ですか？たとえば、明日や来週の金曜日のように言ってください。",
    "create_event.which_time" => "何時からですか？たとえば、午後3時のように言ってください。",
    "create_event.past_day" => "その日はもう過ぎています。予定は何日ですか？",
    "create_event.past_time" => "今日のその時刻はもう過ぎています。予定は何時からですか？",
});

//! Japanese: the toolkit's texts and speech words, polite です/ます form as Alexa speaks; the app
//! is "Alexaアプリ", linking is "アカウントをリンク". Times with 午前/午後 ("午後3時30分").

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "ようこそ。はじめに、AlexaアプリでGoogleアカウントをリンクしてください。\
                         手順を説明するカードをAlexaアプリに送りました。",
    link_needed: "その操作には、Googleアカウントへのアクセスが必要です。Alexaアプリで\
                  Googleアカウントをリンクしてください。手順を説明するカードをAlexaアプリに\
                  送りました。",
    relink: "Googleアカウントのリンクの有効期限が切れたか、リンクが解除されました。Alexaアプリで\
             もう一度アカウントをリンクしてください。手順を説明するカードをAlexaアプリに\
             送りました。",
    missing_permission: "その操作には、{permission}権限が必要です。AlexaアプリでGoogle\
                         アカウントをもう一度リンクして、この権限を許可してください。手順を\
                         説明するカードをAlexaアプリに送りました。",
    unnamed_permission: "Googleアカウントを使う",
    google_unavailable: "すみません、今はGoogleに接続できませんでした。少ししてから、もう一度\
                         お試しください。",
    something_went_wrong: "すみません、うまくいきませんでした。もう一度お試しください。",
    one_moment: "少々お待ちください。",
    help: "知りたいことを聞いてください。何をしますか?",
    goodbye: "さようなら。",
    fallback: "すみません、それはお手伝いできません。",
    anything_else: "ほかに何かありますか?",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: "と",
    list_separator: "、",
    list_last: "、",
    plural: rules::other_only,
    today: "今日",
    tomorrow: "明日",
    weekdays: [
        "月曜日",
        "火曜日",
        "水曜日",
        "木曜日",
        "金曜日",
        "土曜日",
        "日曜日",
    ],
    months: [
        "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
    ],
    first_day: "1",
    date: "{month}{day}日{weekday}",
    date_at_time: "{date}の{time}",
    date_at_one: "{date}の{time}",
    clock: Clock {
        twelve_hour: true,
        on_the_hour: "{period}{hour}時",
        with_minutes: "{period}{hour}時{minute}分",
        pad_minutes: false,
        periods: &[(0, "午前"), (12, "午後")],
    },
};

//! Arabic: the toolkit's texts and speech words, in Modern Standard Arabic addressing the user in
//! the conventional masculine singular; the app is "تطبيق Alexa", linking is "ربط". Times on
//! the 12-hour clock ("الساعة 3 مساءً"), Gregorian month names as used in Saudi Arabia.

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "أهلًا بك. للبدء، اربط حسابك على Google في تطبيق Alexa. أرسلت إليك بطاقة \
                         هناك لمساعدتك.",
    link_needed: "لذلك أحتاج إلى الوصول إلى حسابك على Google. يُرجى ربط حسابك في تطبيق Alexa. \
                  أرسلت إليك بطاقة هناك لمساعدتك.",
    relink: "انتهت صلاحية ربط حسابك على Google أو تمت إزالته. يُرجى ربط حسابك مرة أخرى في تطبيق \
             Alexa. أرسلت إليك بطاقة هناك لمساعدتك.",
    missing_permission: "لذلك أحتاج إلى إذنك {permission}. يُرجى ربط حسابك على Google مرة أخرى في \
                         تطبيق Alexa ومنح هذا الإذن. أرسلت إليك بطاقة هناك لمساعدتك.",
    unnamed_permission: "باستخدام حسابك على Google",
    google_unavailable: "عذرًا، لم أتمكن من الوصول إلى Google الآن. يُرجى المحاولة مرة أخرى بعد \
                         قليل.",
    something_went_wrong: "عذرًا، حدث خطأ ما. يُرجى المحاولة مرة أخرى.",
    one_moment: "لحظة من فضلك…",
    help: "اسألني عمّا تريد معرفته. ماذا تريد أن تفعل؟",
    goodbye: "مع السلامة!",
    fallback: "عذرًا، لا أستطيع المساعدة في ذلك.",
    anything_else: "هل تحتاج إلى شيء آخر؟",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " و",
    list_separator: "، ",
    list_last: " و",
    plural: rules::arabic,
    today: "اليوم",
    tomorrow: "غدًا",
    weekdays: [
        "الاثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
        "الأحد",
    ],
    months: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    first_day: "1",
    date: "يوم {weekday} {day} {month}",
    date_at_time: "{date} الساعة {time}",
    date_at_one: "{date} الساعة {time}",
    clock: Clock {
        twelve_hour: true,
        on_the_hour: "{hour} {period}",
        with_minutes: "{hour}:{minute} {period}",
        pad_minutes: true,
        periods: &[(0, "صباحًا"), (12, "مساءً")],
    },
};

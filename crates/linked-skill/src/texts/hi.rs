//! Hindi: the toolkit's texts and speech words. Alexa says "आप" and speaks of herself in the
//! feminine ("कर सकती"); the app is "Alexa ऐप", an account is "खाता", linking is "लिंक करना".
//! Times on the 12-hour clock with the part of the day ("दोपहर 3 बजे").

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "स्वागत है। शुरू करने के लिए, Alexa ऐप में अपना Google खाता लिंक करें। आपकी \
                         मदद के लिए मैंने वहाँ एक कार्ड भेजा है।",
    link_needed: "इसके लिए मुझे आपके Google खाते का ऐक्सेस चाहिए। कृपया Alexa ऐप में अपना खाता लिंक \
                  करें। आपकी मदद के लिए मैंने वहाँ एक कार्ड भेजा है।",
    relink: "आपके Google खाते का लिंक खत्म हो गया है या हटा दिया गया है। कृपया Alexa ऐप में अपना \
             खाता फिर से लिंक करें। आपकी मदद के लिए मैंने वहाँ एक कार्ड भेजा है।",
    missing_permission: "इसके लिए मुझे {permission} की अनुमति चाहिए। कृपया Alexa ऐप में अपना \
                         Google खाता फिर से लिंक करें और यह अनुमति दें। आपकी मदद के लिए मैंने वहाँ \
                         एक कार्ड भेजा है।",
    unnamed_permission: "आपका Google खाता इस्तेमाल करने",
    google_unavailable: "माफ़ कीजिए, अभी Google से संपर्क नहीं हो पाया। कृपया थोड़ी देर में फिर से \
                         कोशिश करें।",
    something_went_wrong: "माफ़ कीजिए, कुछ गड़बड़ हो गई। कृपया फिर से कोशिश करें।",
    one_moment: "एक पल रुकिए…",
    help: "आप जो जानना चाहते हैं, मुझसे पूछिए। आप क्या करना चाहेंगे?",
    goodbye: "फिर मिलेंगे!",
    fallback: "माफ़ कीजिए, मैं इसमें मदद नहीं कर सकती।",
    anything_else: "क्या मैं और कुछ कर सकती हूँ?",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " और ",
    list_separator: ", ",
    list_last: " और ",
    plural: rules::one_for_zero_and_one,
    today: "आज",
    tomorrow: "कल",
    weekdays: [
        "सोमवार",
        "मंगलवार",
        "बुधवार",
        "गुरुवार",
        "शुक्रवार",
        "शनिवार",
        "रविवार",
    ],
    months: [
        "जनवरी",
        "फ़रवरी",
        "मार्च",
        "अप्रैल",
        "मई",
        "जून",
        "जुलाई",
        "अगस्त",
        "सितंबर",
        "अक्टूबर",
        "नवंबर",
        "दिसंबर",
    ],
    first_day: "1",
    date: "{weekday}, {day} {month} को",
    date_at_time: "{date} {time}",
    date_at_one: "{date} {time}",
    clock: Clock {
        twelve_hour: true,
        on_the_hour: "{period} {hour} बजे",
        with_minutes: "{period} {hour}:{minute} बजे",
        pad_minutes: true,
        periods: &[
            (0, "रात"),
            (4, "सुबह"),
            (12, "दोपहर"),
            (16, "शाम"),
            (20, "रात"),
        ],
    },
};

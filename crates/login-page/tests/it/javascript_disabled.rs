//! Without JavaScript the page explains that linking needs it, and forwards nothing.

use expect_test::expect;

use crate::stand_in::{PageSetup, StandIn, wait_for};
use crate::webdriver::{Browser, BrowserOptions};

#[tokio::test]
async fn without_javascript_the_noscript_message_is_shown() {
    let browser = Browser::start(BrowserOptions {
        javascript_enabled: false,
        ..BrowserOptions::default()
    })
    .await;
    let stand_in = StandIn::start(PageSetup::default()).await;
    let valid_query = "client_id=c&response_type=code&scope=email&state=s&redirect_uri=\
                       https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ";
    browser.navigate(&stand_in.page_url(valid_query)).await;

    let message = wait_for("the noscript message", async || {
        let message = browser.find("#javascript-required").await?;
        browser.is_displayed(&message).await.then_some(message)
    })
    .await;
    expect!["Linking your Google account needs JavaScript, which is turned off in this browser. Turn JavaScript on, then start account linking again in the Alexa app."]
        .assert_eq(&browser.text(&message).await);
    let error_section = browser
        .find("#error")
        .await
        .expect("the error section exists");
    assert!(!browser.is_displayed(&error_section).await);
    assert_eq!(
        stand_in.take_received(),
        Vec::<String>::new(),
        "nothing forwarded"
    );
}

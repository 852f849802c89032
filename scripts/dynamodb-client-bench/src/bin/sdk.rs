//! One GetItem through aws-sdk-dynamodb (trimmed features, rustls with ring), then exit.

use aws_sdk_dynamodb::types::AttributeValue;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let table = std::env::var("TABLE").expect("TABLE");
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .load()
        .await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let item = client
        .get_item()
        .table_name(table)
        .key("id", AttributeValue::S("amzn1.ask.account.BENCH".into()))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem");
    println!("{}", item.item().is_some());
}

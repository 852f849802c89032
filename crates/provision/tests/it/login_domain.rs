//! `[login_page] domain`: the config, the stack's CloudFront, ACM and origin-access-control
//! resources (cfn-lint, the template read as CloudFormation reads it, and moto as far as it
//! goes), and the account-linking body that points Alexa at the domain.

use provision::config::{ClientSecret, Config, LoginPageDomain, Overrides};
use serde_json::json;

use crate::stack::{Moto, cfn_lint, deploy, deployment, template, template_json};

const DOMAIN: &str = "login.cloud-companion.test";
const ZONE: &str = "Z0123456789ABCDEFGHIJ";

fn example_config() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../skill.example.toml");
    std::fs::read_to_string(path).expect("read skill.example.toml")
}

/// `skill.example.toml` with `lines` added under `[login_page]`.
fn config_with(lines: &str) -> Result<Config, provision::ConfigError> {
    let text = example_config().replacen("[login_page]\n", &format!("[login_page]\n{lines}\n"), 1);
    Config::parse(
        &text,
        std::path::Path::new("skill.toml"),
        &Overrides::default(),
    )
}

fn problems(lines: &str) -> String {
    config_with(lines)
        .expect_err("the config is refused")
        .findings()
        .join("\n")
}

#[test]
fn the_domain_is_validated_with_its_fix() {
    let config = config_with(&format!(
        "domain = \"{DOMAIN}\"\nhosted_zone_id = \"{ZONE}\""
    ))
    .expect("a valid domain");
    assert_eq!(
        config.login_page.domain,
        Some(LoginPageDomain {
            name: DOMAIN.to_owned(),
            hosted_zone_id: Some(ZONE.to_owned()),
        })
    );
    assert!(
        problems("domain = \"https://login.example.com/\"")
            .contains("login_page.domain is invalid")
    );
    assert!(
        problems("domain = \"login.example.com\"\nurl = \"https://login.example.com/index.html\"")
            .contains("remove url")
    );
    assert!(problems("hosted_zone_id = \"Z123\"").contains("without login_page.domain"));
    assert!(
        problems(&format!(
            "domain = \"{DOMAIN}\"\nhosted_zone_id = \"zone-1\""
        ))
        .contains("not a Route 53 hosted zone ID")
    );
    let other_region = example_config()
        .replacen(
            "[login_page]\n",
            &format!("[login_page]\ndomain = \"{DOMAIN}\"\n"),
            1,
        )
        .replacen("region = \"us-east-1\"", "region = \"eu-west-1\"", 1);
    let error = Config::parse(&other_region, "skill.toml".as_ref(), &Overrides::default())
        .expect_err("CloudFront needs us-east-1");
    assert!(
        error
            .to_string()
            .contains("needs the main AWS region us-east-1"),
        "{error}"
    );
}

#[test]
fn the_account_linking_body_uses_the_domain_and_only_with_one() {
    let secret = ClientSecret::new("test-client-secret".to_owned());
    let config = config_with(&format!("domain = \"{DOMAIN}\"")).expect("valid");
    let body = provision::deploy::account_linking_body(&config, &secret);
    let body = serde_json::to_value(&body).expect("json");
    let request = &body["accountLinkingRequest"];
    assert_eq!(
        request["authorizationUrl"],
        format!("https://{DOMAIN}/index.html")
    );
    assert_eq!(
        request["domains"],
        json!([
            "accounts.google.com",
            "google.com",
            "googleapis.com",
            DOMAIN
        ])
    );

    let config = config_with("").expect("valid");
    let body = serde_json::to_value(provision::deploy::account_linking_body(&config, &secret))
        .expect("json");
    assert_eq!(
        body["accountLinkingRequest"]["authorizationUrl"],
        "https://my-skill-login-page-123456789012.s3.us-east-1.amazonaws.com/index.html"
    );
    assert_eq!(
        body["accountLinkingRequest"]["domains"],
        json!(["accounts.google.com", "google.com", "googleapis.com"])
    );
}

/// What the deploy sends: the template unchanged and the domain as two parameters; cfn-lint
/// checks the parameters' patterns against these values when they are the defaults.
#[test]
fn cfn_lint_accepts_the_template_with_a_domain_and_a_hosted_zone() {
    let template = template();
    let with_domain = template
        .replacen(
            "  LoginPageDomain:\n    Type: String\n    Default: ''",
            &format!("  LoginPageDomain:\n    Type: String\n    Default: '{DOMAIN}'"),
            1,
        )
        .replacen(
            "  LoginPageHostedZoneId:\n    Type: String\n    Default: ''",
            &format!("  LoginPageHostedZoneId:\n    Type: String\n    Default: '{ZONE}'"),
            1,
        );
    assert_ne!(with_domain, template);
    assert_eq!(
        cfn_lint(&with_domain, "template-with-domain.yaml"),
        (0, json!([]))
    );

    let parameters = provision::stack::StackParameters {
        login_page_domain: Some(LoginPageDomain {
            name: DOMAIN.to_owned(),
            hosted_zone_id: Some(ZONE.to_owned()),
        }),
        ..parameters_without_domain()
    }
    .to_pairs();
    assert_eq!(parameters["LoginPageDomain"], DOMAIN);
    assert_eq!(parameters["LoginPageHostedZoneId"], ZONE);
    let parameters = parameters_without_domain().to_pairs();
    assert_eq!(
        (
            &parameters["LoginPageDomain"][..],
            &parameters["LoginPageHostedZoneId"][..]
        ),
        ("", "")
    );
}

fn parameters_without_domain() -> provision::stack::StackParameters {
    provision::stack::StackParameters {
        skill_id: "amzn1.ask.skill.00000000-0000-0000-0000-000000000000".to_owned(),
        code_bucket: "artifacts".to_owned(),
        code_key: "skill/0.zip".to_owned(),
        memory_size_megabytes: 256,
        timeout_seconds: 10,
        login_page_bucket_name: "login".to_owned(),
        login_page_key: "index.html".to_owned(),
        reserved_concurrent_executions: None,
        log_retention_days: 14,
        login_page_domain: None,
    }
}

/// moto's CloudFormation has no ACM certificate, CloudFront distribution or origin access
/// control, so what they promise is read from the template as CloudFormation reads it.
#[test]
fn the_domain_resources_are_https_only_in_front_of_a_private_bucket() {
    let template = template_json();
    let resources = &template["Resources"];
    for name in [
        "LoginPageCertificate",
        "LoginPageOriginAccessControl",
        "LoginPageDistribution",
    ] {
        assert_eq!(resources[name]["Condition"], "HasLoginPageDomain", "{name}");
    }
    assert_eq!(
        resources["LoginPageAliasRecord"]["Condition"],
        "HasLoginPageHostedZone"
    );
    let certificate = &resources["LoginPageCertificate"]["Properties"];
    assert_eq!(certificate["ValidationMethod"], "DNS");
    assert_eq!(certificate["DomainName"], json!({"Ref": "LoginPageDomain"}));

    let distribution = &resources["LoginPageDistribution"]["Properties"]["DistributionConfig"];
    assert_eq!(distribution["Aliases"], json!([{"Ref": "LoginPageDomain"}]));
    assert_eq!(
        distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"],
        "https-only"
    );
    assert_eq!(
        distribution["DefaultCacheBehavior"]["AllowedMethods"],
        json!(["GET", "HEAD"])
    );
    assert_eq!(
        distribution["ViewerCertificate"],
        json!({
            "AcmCertificateArn": {"Ref": "LoginPageCertificate"},
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021"
        })
    );
    let origin = &distribution["Origins"][0];
    assert_eq!(
        origin["OriginAccessControlId"],
        json!({"Fn::GetAtt": ["LoginPageOriginAccessControl", "Id"]})
    );
    assert_eq!(
        resources["LoginPageOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]["SigningBehavior"],
        "always"
    );

    // With a domain the bucket is private: public policies blocked, and the one read
    // statement names CloudFront with this distribution's ARN instead of everyone.
    let bucket = &resources["LoginPageBucket"]["Properties"]["PublicAccessBlockConfiguration"];
    assert_eq!(
        bucket["BlockPublicPolicy"],
        json!({"Fn::If": ["HasLoginPageDomain", true, false]})
    );
    assert_eq!(
        bucket["RestrictPublicBuckets"],
        json!({"Fn::If": ["HasLoginPageDomain", true, false]})
    );
    let read = &resources["LoginPageBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
        ["Fn::If"];
    assert_eq!(read[0], "HasLoginPageDomain");
    assert_eq!(
        read[1]["Principal"],
        json!({"Service": "cloudfront.amazonaws.com"})
    );
    assert!(
        read[1]["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
            .as_str()
            .is_some_and(|arn| arn.ends_with(":distribution/${LoginPageDistribution}")),
        "{read:#}"
    );
    assert_eq!(read[2]["Principal"], "*");

    let url = &template["Outputs"]["LoginPageUrl"]["Value"]["Fn::If"];
    assert_eq!(url[0], "HasLoginPageDomain");
    assert_eq!(
        url[1],
        json!({"Fn::Sub": "https://${LoginPageDomain}/${LoginPageKey}"})
    );
}

/// Without a domain moto deploys the stack as before: none of the conditional resources exist
/// and the login page URL is the S3 one. (With a domain moto cannot create the stack: it has
/// no CloudFront or ACM in CloudFormation; see the test above.)
#[tokio::test]
async fn without_a_domain_moto_deploys_no_cloudfront_and_the_s3_url() {
    let moto = Moto::start().await;
    let clients = moto.clients().await;
    let template = template();
    let (report, _) = deploy(&clients, &deployment(&template, b"PK stand-in")).await;
    let report = report.expect("deploys");
    assert_eq!(
        report.stack.outputs.login_page_url,
        "https://skill-login-page.s3.us-east-1.amazonaws.com/index.html"
    );
    assert_eq!(report.stack.outputs.login_page_distribution_domain, None);
    let resources = clients
        .cloudformation
        .list_stack_resources()
        .stack_name("alexa-skill")
        .send()
        .await
        .expect("list resources");
    let types: Vec<&str> = resources
        .stack_resource_summaries()
        .iter()
        .filter_map(|resource| resource.resource_type())
        .collect();
    assert!(
        types.iter().all(|kind| !kind.contains("CloudFront")
            && !kind.contains("CertificateManager")
            && !kind.contains("Route53")),
        "{types:?}"
    );
}

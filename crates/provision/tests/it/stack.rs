//! `provision::stack` deploys `infra/template.yaml` to moto (the venv's `moto_server`, the offline
//! AWS) over loopback, and the template itself is checked with cfn-lint and by reading it.
//!
//! moto accepts more than AWS does: it drops the permission's `EventSourceToken` and ignores
//! `AWS::S3::BucketPolicy` and `PublicAccessBlockConfiguration`, and it neither runs the Lambda
//! nor reads the zip's contents (so the zips here are stand-in bytes). Those properties are
//! asserted on the template and on the template body CloudFormation received instead.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use expect_test::expect;
use provision::s3::{SecretAccessKey, StaticCredentials};
use provision::stack::{
    AwsClients, AwsTarget, DEFAULT_LOG_RETENTION_DAYS, DEFAULT_MEMORY_SIZE_MEGABYTES,
    DEFAULT_TIMEOUT_SECONDS, DeployReport, Deployment, StackChange, StackError, StackEvent,
};
use serde_json::{Value, json};

const REGION: &str = "us-east-1";
const STACK: &str = "alexa-skill";
const SKILL_ID: &str = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555";
const ARTIFACTS_BUCKET: &str = "skill-artifacts";
const LOGIN_PAGE_BUCKET: &str = "skill-login-page";
const LOGIN_PAGE: &str = "<!doctype html><title>Link your Google account</title>";
/// The account moto's STS answers for any credentials.
const MOTO_ACCOUNT: &str = "123456789012";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn venv_binary(name: &str) -> PathBuf {
    devstack::venv::require(name)
}

pub(crate) fn template() -> String {
    std::fs::read_to_string(workspace_root().join(provision::stack::TEMPLATE_PATH)).unwrap()
}

/// A `moto_server` on a free loopback port, killed on drop, with Lambda in its no-Docker mode.
pub(crate) struct Moto {
    child: Child,
    pub(crate) endpoint_url: String,
}

impl Moto {
    pub(crate) async fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(venv_binary("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Moto {
            child,
            endpoint_url: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        // moto takes a second or two to import its services; wait for it to answer.
        let mut answered = false;
        for _ in 0..300 {
            if http
                .get(format!("{}/moto-api/", moto.endpoint_url))
                .send()
                .await
                .is_ok()
            {
                answered = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            answered,
            "moto_server did not answer on {}",
            moto.endpoint_url
        );
        // Must precede the first function: without it moto wants Docker to create functions.
        let configured = http
            .post(format!("{}/moto-api/config", moto.endpoint_url))
            .json(&json!({"lambda": {"use_docker": false}}))
            .send()
            .await
            .unwrap();
        assert!(configured.status().is_success());
        moto
    }

    pub(crate) async fn clients(&self) -> AwsClients {
        provision::stack::clients(&self.target()).await
    }

    /// Where deploy and destroy find this moto, as `--endpoint-url` tells them.
    pub(crate) fn target(&self) -> AwsTarget {
        AwsTarget {
            region: REGION.to_owned(),
            endpoint_url: Some(self.endpoint_url.clone()),
            profile: None,
            credentials: Some(StaticCredentials::new(
                "testing",
                SecretAccessKey::new("testing".to_owned()),
            )),
        }
    }

    /// A Lambda API call; moto picks the service from the credential scope and checks no signature.
    pub(crate) async fn lambda_get(&self, path: &str) -> Value {
        reqwest::Client::new()
            .get(format!("{}/2015-03-31/functions/{path}", self.endpoint_url))
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/lambda/aws4_request, \
                 SignedHeaders=host, Signature=0",
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn deployment<'a>(template_body: &'a str, lambda_zip: &'a [u8]) -> Deployment<'a> {
    Deployment {
        stack_name: STACK,
        template_body,
        artifacts_bucket: ARTIFACTS_BUCKET,
        lambda_zip,
        skill_id: SKILL_ID,
        memory_size_megabytes: DEFAULT_MEMORY_SIZE_MEGABYTES,
        timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
        log_retention_days: DEFAULT_LOG_RETENTION_DAYS,
        login_page_bucket: LOGIN_PAGE_BUCKET,
        login_page_key: "index.html",
        login_page_html: LOGIN_PAGE,
        reserved_concurrent_executions: None,
        expected_bucket_owner: MOTO_ACCOUNT,
        login_page_domain: None,
    }
}

pub(crate) async fn deploy(
    clients: &AwsClients,
    deployment: &Deployment<'_>,
) -> (Result<DeployReport, StackError>, Vec<StackEvent>) {
    let mut events = Vec::new();
    let result = provision::stack::deploy(
        &clients.s3,
        &clients.cloudformation,
        deployment,
        &mut |event| events.push(event.clone()),
    )
    .await;
    (result, events)
}

/// What a reviewer wants to see of a deploy: the change, the upload decisions, the outputs.
fn summary(report: &DeployReport) -> String {
    format!(
        "change={:?}\ncode=s3://{}/{} uploaded={}\nfunction_arn={}\nlogin_page_url(output)={}\nlogin_page(published)={} uploaded={}",
        report.stack.change,
        report.artifact.bucket,
        report.artifact.key.split_at(6).0.to_owned() + "<sha256>.zip",
        report.artifact.uploaded,
        report.stack.outputs.function_arn,
        report.stack.outputs.login_page_url,
        report.login_page.url.path(),
        report.login_page.uploaded,
    )
}

#[tokio::test]
async fn deploys_then_finds_nothing_to_change_then_updates_the_code() {
    let moto = Moto::start().await;
    let clients = moto.clients().await;
    let template = template();
    let first_zip = b"PK stand-in for the first build".to_vec();

    let (first, events) = deploy(&clients, &deployment(&template, &first_zip)).await;
    let first = first.unwrap();
    expect![[r#"
        change=Created
        code=s3://skill-artifacts/skill/<sha256>.zip uploaded=true
        function_arn=arn:aws:lambda:us-east-1:123456789012:function:alexa-skill
        login_page_url(output)=https://skill-login-page.s3.us-east-1.amazonaws.com/index.html
        login_page(published)=/skill-login-page/index.html uploaded=true"#]]
    .assert_eq(&summary(&first));
    assert!(
        !events.is_empty(),
        "stack events are reported as they arrive"
    );
    assert_eq!(events.last().unwrap().status, "CREATE_COMPLETE");
    assert_eq!(
        first.artifact.key,
        provision::stack::artifact_key(&first_zip)
    );

    // The function as moto's Lambda API has it.
    let function = moto.lambda_get("alexa-skill").await;
    let configuration = &function["Configuration"];
    // The state table's name is made by CloudFormation: the table itself is checked below.
    let mut environment = configuration["Environment"].clone();
    let state_table = environment["Variables"]
        .as_object_mut()
        .unwrap()
        .remove("SKILL_STATE_TABLE")
        .expect("the function is told its state table");
    expect![[r#"
        {
          "Architectures": [
            "x86_64"
          ],
          "Environment": {
            "Variables": {
              "SKILL_ID": "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
            }
          },
          "Handler": "bootstrap",
          "MemorySize": 256,
          "PackageType": "Zip",
          "Runtime": "provided.al2023",
          "Timeout": 10
        }"#]]
    .assert_eq(
        &serde_json::to_string_pretty(&json!({
            "Architectures": configuration["Architectures"],
            "Environment": environment,
            "Handler": configuration["Handler"],
            "MemorySize": configuration["MemorySize"],
            "PackageType": configuration["PackageType"],
            "Runtime": configuration["Runtime"],
            "Timeout": configuration["Timeout"],
        }))
        .unwrap(),
    );
    assert_eq!(configuration["CodeSize"], json!(first_zip.len()));
    let first_code_sha256 = configuration["CodeSha256"].clone();
    crate::state_table::assert_table_exists(&moto.endpoint_url, state_table.as_str().unwrap());

    // The Alexa permission. moto keeps the principal but drops EventSourceToken (see the template
    // test below for that property).
    let policy: Value = serde_json::from_str(
        moto.lambda_get("alexa-skill/policy").await["Policy"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let statements = policy["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["Principal"], "alexa-appkit.amazon.com");
    assert_eq!(statements[0]["Action"], "lambda:InvokeFunction");

    // Both buckets exist: the artifacts bucket made by deploy, the login page bucket by the stack.
    let buckets = clients.s3.list_buckets().send().await.unwrap();
    let mut names: Vec<&str> = buckets
        .buckets()
        .iter()
        .filter_map(|bucket| bucket.name())
        .collect();
    names.sort_unstable();
    assert_eq!(names, [ARTIFACTS_BUCKET, LOGIN_PAGE_BUCKET]);

    // The template CloudFormation received carries what moto drops, and every parameter was sent.
    let received = clients
        .cloudformation
        .get_template()
        .stack_name(STACK)
        .send()
        .await
        .unwrap();
    assert_eq!(received.template_body(), Some(template.as_str()));
    assert!(template.contains("EventSourceToken: !Ref SkillId"));
    let stack = clients
        .cloudformation
        .describe_stacks()
        .stack_name(STACK)
        .send()
        .await
        .unwrap();
    let mut sent: Vec<String> = stack.stacks()[0]
        .parameters()
        .iter()
        .map(|parameter| {
            format!(
                "{}={}",
                parameter.parameter_key().unwrap(),
                parameter.parameter_value().unwrap()
            )
        })
        .collect();
    sent.sort();
    assert_eq!(sent.len(), 11, "{sent:?}");
    assert!(sent.contains(&format!("SkillId={SKILL_ID}")));

    // Same build again: nothing uploaded, nothing sent to CloudFormation, no events.
    let (second, events) = deploy(&clients, &deployment(&template, &first_zip)).await;
    expect![[r#"
        change=Unchanged
        code=s3://skill-artifacts/skill/<sha256>.zip uploaded=false
        function_arn=arn:aws:lambda:us-east-1:123456789012:function:alexa-skill
        login_page_url(output)=https://skill-login-page.s3.us-east-1.amazonaws.com/index.html
        login_page(published)=/skill-login-page/index.html uploaded=false"#]]
    .assert_eq(&summary(&second.unwrap()));
    assert!(events.is_empty(), "{events:?}");

    // A new build: new key, stack update, new function code.
    let second_zip = b"PK stand-in for a changed build, longer".to_vec();
    let (third, events) = deploy(&clients, &deployment(&template, &second_zip)).await;
    let third = third.unwrap();
    assert_eq!(third.stack.change, StackChange::Updated);
    assert!(third.artifact.uploaded);
    assert_ne!(third.artifact.key, first.artifact.key);
    assert_eq!(events.last().unwrap().status, "UPDATE_COMPLETE");
    let configuration = moto.lambda_get("alexa-skill").await["Configuration"].clone();
    assert_eq!(configuration["CodeSize"], json!(second_zip.len()));
    assert_ne!(configuration["CodeSha256"], first_code_sha256);

    // destroy: the stack goes, the buckets and the state table stay; a second destroy finds
    // nothing.
    let table = provision::state_table::find(&clients.cloudformation, STACK)
        .await
        .unwrap()
        .expect("the stack names its state table");
    assert_eq!(json!(table), state_table);
    let mut events = Vec::new();
    let deleted = provision::stack::delete_stack(&clients.cloudformation, STACK, &mut |event| {
        events.push(event.clone())
    })
    .await
    .unwrap();
    assert!(deleted);
    assert_eq!(events.last().unwrap().status, "DELETE_COMPLETE");
    let buckets = clients.s3.list_buckets().send().await.unwrap();
    assert_eq!(buckets.buckets().len(), 2);
    crate::state_table::destroy_keeps_the_table_until_asked(&moto.endpoint_url, &table).await;
    // destroy --delete-buckets: emptied and deleted; a second time finds nothing.
    for bucket in [ARTIFACTS_BUCKET, LOGIN_PAGE_BUCKET] {
        assert!(
            provision::stack::delete_bucket_with_contents(&clients.s3, bucket, MOTO_ACCOUNT)
                .await
                .unwrap()
        );
        assert!(
            !provision::stack::delete_bucket_with_contents(&clients.s3, bucket, MOTO_ACCOUNT)
                .await
                .unwrap()
        );
    }
    let buckets = clients.s3.list_buckets().send().await.unwrap();
    assert!(buckets.buckets().is_empty());
    assert!(
        !provision::stack::delete_stack(&clients.cloudformation, STACK, &mut |_| {})
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_template_error_is_reported_and_the_working_stack_stays() {
    let moto = Moto::start().await;
    let clients = moto.clients().await;
    let template = template();
    let zip = b"PK stand-in build".to_vec();
    deploy(&clients, &deployment(&template, &zip))
        .await
        .0
        .unwrap();

    // A parameter the deploy does not know and no default: CloudFormation refuses the update
    // before touching a resource.
    let needs_unknown_parameter = template.replacen(
        "Parameters:\n",
        "Parameters:\n  RenamedSetting:\n    Type: String\n",
        1,
    );
    let (result, _) = deploy(
        &clients,
        &deployment(&needs_unknown_parameter, b"PK another build"),
    )
    .await;
    expect![[r#"CloudFormation rejected UpdateStack of stack alexa-skill: Missing parameter RenamedSetting"#]]
    .assert_eq(&result.unwrap_err().to_string());
    // The function still runs the code of the deploy that worked.
    let function = moto.lambda_get("alexa-skill").await;
    assert_eq!(function["Configuration"]["CodeSize"], json!(zip.len()));

    // An attribute Lambda functions do not have, on a first deploy. (moto validates GetAtt on
    // create; it ignores unknown properties, which cfn-lint catches, see below.)
    let broken = template.replace(
        "Value: !GetAtt SkillFunction.Arn",
        "Value: !GetAtt SkillFunction.Nope",
    );
    assert_ne!(broken, template);
    let (result, _) = deploy(
        &clients,
        &Deployment {
            stack_name: "another-skill",
            login_page_bucket: "another-login-page",
            ..deployment(&broken, &zip)
        },
    )
    .await;
    expect![[r#"CloudFormation rejected CreateStack of stack another-skill: Template error: resource Function does not support attribute type Nope in Fn::GetAtt"#]]
    .assert_eq(&result.unwrap_err().to_string());
}

/// cfn-lint's exit code and JSON findings for a template text.
pub(crate) fn cfn_lint(template: &str, name: &str) -> (i32, Value) {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, template).unwrap();
    let output = Command::new(venv_binary("cfn-lint"))
        .args(["--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        serde_json::from_slice(&output.stdout).unwrap(),
    )
}

#[test]
fn cfn_lint_passes_the_template_and_catches_an_invalid_property() {
    let (code, findings) = cfn_lint(&template(), "template.yaml");
    assert_eq!((code, findings), (0, json!([])));

    let broken = template().replace(
        "      Handler: bootstrap\n",
        "      Handler: bootstrap\n      Handlr: bootstrap\n",
    );
    let (code, findings) = cfn_lint(&broken, "template-invalid-property.yaml");
    assert_ne!(code, 0);
    let rules: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["Rule"]["Id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["E3002"], "{findings:#}");
}

/// The template as CloudFormation reads it (short-form tags expanded), through cfn-lint's own YAML
/// loader in the venv, so no YAML crate is needed here.
pub(crate) fn template_json() -> Value {
    let output = Command::new(venv_binary("python"))
        .args([
            "-c",
            "import json, sys\nfrom cfnlint.decode import cfn_yaml\n\
             print(json.dumps(cfn_yaml.load(sys.argv[1])))",
        ])
        .arg(workspace_root().join(provision::stack::TEMPLATE_PATH))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// What moto does not enforce, read from the template: only this skill may invoke, and the bucket
/// serves the page object and nothing else, over HTTPS only.
#[test]
fn the_template_limits_invocation_and_public_reads() {
    let template = template_json();
    let resources = &template["Resources"];
    expect![[r#"
        {
          "Action": "lambda:InvokeFunction",
          "EventSourceToken": {
            "Ref": "SkillId"
          },
          "FunctionName": {
            "Fn::GetAtt": [
              "SkillFunction",
              "Arn"
            ]
          },
          "Principal": "alexa-appkit.amazon.com"
        }"#]]
    .assert_eq(
        &serde_json::to_string_pretty(&resources["AlexaSkillPermission"]["Properties"]).unwrap(),
    );
    expect![[r#"
        {
          "BlockPublicAcls": true,
          "BlockPublicPolicy": {
            "Fn::If": [
              "HasLoginPageDomain",
              true,
              false
            ]
          },
          "IgnorePublicAcls": true,
          "RestrictPublicBuckets": {
            "Fn::If": [
              "HasLoginPageDomain",
              true,
              false
            ]
          }
        }"#]]
    .assert_eq(
        &serde_json::to_string_pretty(
            &resources["LoginPageBucket"]["Properties"]["PublicAccessBlockConfiguration"],
        )
        .unwrap(),
    );
    expect![[r#"
        [
          {
            "Fn::If": [
              "HasLoginPageDomain",
              {
                "Action": "s3:GetObject",
                "Condition": {
                  "StringEquals": {
                    "AWS:SourceArn": {
                      "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${LoginPageDistribution}"
                    }
                  }
                },
                "Effect": "Allow",
                "Principal": {
                  "Service": "cloudfront.amazonaws.com"
                },
                "Resource": {
                  "Fn::Sub": "${LoginPageBucket.Arn}/${LoginPageKey}"
                },
                "Sid": "CloudFrontReadsTheLoginPageOnly"
              },
              {
                "Action": "s3:GetObject",
                "Effect": "Allow",
                "Principal": "*",
                "Resource": {
                  "Fn::Sub": "${LoginPageBucket.Arn}/${LoginPageKey}"
                },
                "Sid": "PublicReadOfTheLoginPageOnly"
              }
            ]
          },
          {
            "Action": "s3:*",
            "Condition": {
              "Bool": {
                "aws:SecureTransport": "false"
              }
            },
            "Effect": "Deny",
            "Principal": "*",
            "Resource": [
              {
                "Fn::GetAtt": [
                  "LoginPageBucket",
                  "Arn"
                ]
              },
              {
                "Fn::Sub": "${LoginPageBucket.Arn}/*"
              }
            ],
            "Sid": "HttpsOnly"
          }
        ]"#]]
    .assert_eq(
        &serde_json::to_string_pretty(
            &resources["LoginPageBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"],
        )
        .unwrap(),
    );
    // The role may write its own log group and nothing else.
    let statements = &resources["SkillExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"];
    assert_eq!(statements.as_array().unwrap().len(), 1);
    assert_eq!(
        statements[0]["Action"],
        json!(["logs:CreateLogStream", "logs:PutLogEvents"])
    );
    assert_eq!(
        statements[0]["Resource"],
        json!({"Fn::GetAtt": ["SkillLogGroup", "Arn"]})
    );
    assert_eq!(
        template["Outputs"]["LoginPageUrl"]["Value"]["Fn::If"][2],
        json!({"Fn::Sub": "https://${LoginPageBucket}.s3.${AWS::Region}.amazonaws.com/${LoginPageKey}"})
    );
    // The cost cap: a parameter that sets ReservedConcurrentExecutions only when given.
    assert_eq!(
        resources["SkillFunction"]["Properties"]["ReservedConcurrentExecutions"],
        json!({"Fn::If": ["HasConcurrencyCap", {"Ref": "ReservedConcurrentExecutions"}, {"Ref": "AWS::NoValue"}]})
    );
    assert_eq!(
        template["Conditions"]["HasConcurrencyCap"],
        json!({"Fn::Not": [{"Fn::Equals": [{"Ref": "ReservedConcurrentExecutions"}, -1]}]})
    );
    assert_eq!(
        template["Parameters"]["ReservedConcurrentExecutions"]["Default"],
        json!(-1)
    );
    assert_eq!(
        template["Parameters"]["LoginPageKey"]["Default"],
        json!("index.html")
    );
}

/// `[login_page] key` and the cost cap reach the stack: the page is published at that key, the
/// output URL names it, and the cap is a parameter (moto keeps parameters; the policy and the
/// function's concurrency it drops are asserted on the template above).
#[tokio::test]
async fn the_login_page_key_and_the_concurrency_cap_are_parameters() {
    let moto = Moto::start().await;
    let clients = moto.clients().await;
    let template = template();
    let (report, _) = deploy(
        &clients,
        &Deployment {
            login_page_key: "link/index.html",
            reserved_concurrent_executions: Some(5),
            ..deployment(&template, b"PK stand-in build")
        },
    )
    .await;
    let report = report.unwrap();
    assert_eq!(
        report.stack.outputs.login_page_url,
        "https://skill-login-page.s3.us-east-1.amazonaws.com/link/index.html"
    );
    assert_eq!(
        report.login_page.url.path(),
        "/skill-login-page/link/index.html"
    );
    let pairs = report.parameters.to_pairs();
    assert_eq!(pairs["LoginPageKey"], "link/index.html");
    assert_eq!(pairs["ReservedConcurrentExecutions"], "5");
    let page = clients
        .s3
        .get_object()
        .bucket(LOGIN_PAGE_BUCKET)
        .key("link/index.html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.content_type(), Some("text/html; charset=utf-8"));
}

/// Puts `key` into `bucket`, creating the bucket: what `destroy` leaves behind (the stack retains
/// the login page bucket with its page).
async fn leave_bucket(clients: &AwsClients, bucket: &str, key: &str) {
    clients
        .s3
        .create_bucket()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    clients
        .s3
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(aws_sdk_s3::primitives::ByteStream::from_static(
            b"<!doctype html>old page",
        ))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn deploy_after_destroy_takes_over_the_retained_login_page_bucket() {
    let moto = Moto::start().await;
    let clients = moto.clients().await;
    let template = template();
    let zip = b"PK stand-in build".to_vec();
    // destroy keeps the login page bucket (so nobody else can take the name the skill's account
    // linking points at), with the page in it; so does a failed first creation. Before the fix,
    // CloudFormation refused to create the stack ("BucketAlreadyExists") however often deploy
    // ran.
    leave_bucket(&clients, LOGIN_PAGE_BUCKET, "index.html").await;

    let (report, _) = deploy(&clients, &deployment(&template, &zip)).await;
    let report = report.unwrap();
    assert_eq!(report.stack.change, StackChange::Created);
    assert!(report.login_page.uploaded);
    let page = clients
        .s3
        .get_object()
        .bucket(LOGIN_PAGE_BUCKET)
        .key("index.html")
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes();
    assert_eq!(page.as_ref(), LOGIN_PAGE.as_bytes());
}

#[tokio::test]
async fn a_leftover_login_page_bucket_holding_anything_else_is_not_touched() {
    let moto = Moto::start().await;
    let clients = moto.clients().await;
    let template = template();
    let zip = b"PK stand-in build".to_vec();
    leave_bucket(&clients, LOGIN_PAGE_BUCKET, "index.html").await;
    leave_bucket(&clients, LOGIN_PAGE_BUCKET, "private/notes.txt").await;

    let (report, _) = deploy(&clients, &deployment(&template, &zip)).await;
    let message = report.unwrap_err().to_string();
    expect!["S3 bucket skill-login-page already exists and holds more than the login page index.html (private/notes.txt): the stack creates this bucket itself, so set [login_page] bucket to a new name, or move those objects and delete the bucket, then deploy again"]
        .assert_eq(&message);
    let kept = clients
        .s3
        .head_object()
        .bucket(LOGIN_PAGE_BUCKET)
        .key("private/notes.txt")
        .send()
        .await;
    assert!(kept.is_ok(), "nothing was deleted");
    let stacks = clients
        .cloudformation
        .describe_stacks()
        .send()
        .await
        .unwrap();
    assert!(stacks.stacks().is_empty(), "no stack was created");
}

//! `cargo xtask deploy` and `destroy`: the skill's AWS side from `skill.toml`, through
//! `provision::stack` (upload, CloudFormation, login page); this module only gathers settings,
//! builds the zip and prints.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use provision::stack::{
    AwsTarget, DEFAULT_LOG_RETENTION_DAYS, DEFAULT_MEMORY_SIZE_MEGABYTES, DEFAULT_TIMEOUT_SECONDS,
    Deployment, StackChange, StackEvent, StackParameters,
};

/// Settings shared by `deploy` and `destroy`.
#[derive(Debug, clap::Args)]
pub(crate) struct AwsArgs {
    /// The provisioning configuration (skill ID, region, stack name, buckets).
    #[arg(long, default_value = provision::config::DEFAULT_CONFIG_PATH)]
    config: PathBuf,
    /// AWS profile of ~/.aws/config; without it the standard chain (AWS_PROFILE, environment, …).
    #[arg(long)]
    profile: Option<String>,
    /// Overrides `[skill] skill_id`: the skill allowed to invoke the function.
    #[arg(long, env = "SKILL_ID")]
    skill_id: Option<String>,
    /// Overrides `[aws] region`.
    #[arg(long, env = "AWS_REGION")]
    region: Option<String>,
    /// Overrides `[aws] stack_name`.
    #[arg(long)]
    stack_name: Option<String>,
    /// Talk to an AWS twin (e.g. moto on http://127.0.0.1:5000) instead of AWS.
    #[arg(long)]
    endpoint_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DeployArgs {
    #[command(flatten)]
    aws: AwsArgs,
    /// Print what would be built, uploaded and deployed, and touch nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DestroyArgs {
    #[command(flatten)]
    aws: AwsArgs,
    /// Also empty and delete the artifacts and login page buckets.
    #[arg(long)]
    delete_buckets: bool,
}

pub(crate) fn deploy(root: &Path, args: DeployArgs) -> anyhow::Result<()> {
    let config = load_config(root, &args.aws)?;
    let skill_id = config.require_skill_id()?.as_str().to_owned();
    if config.login_page.key != login_page::OBJECT_KEY {
        bail!(
            "[login_page] key is {:?}, but infra/template.yaml makes only {:?} public: set key = \
             {:?}",
            config.login_page.key,
            login_page::OBJECT_KEY,
            login_page::OBJECT_KEY
        );
    }
    let template_path = root.join(provision::stack::TEMPLATE_PATH);
    let template_body = std::fs::read_to_string(&template_path)
        .with_context(|| format!("could not read {}", template_path.display()))?;
    let target = aws_target(&config, &args.aws);
    let stack_name = config.aws.stack_name.as_str();

    if args.dry_run {
        print_plan(&config, &target, &skill_id);
        return Ok(());
    }

    let built = crate::build::run(root, crate::build::SAMPLE_SKILL)?;
    let html = login_page::render(&config.login_page_config());
    let deployment = Deployment {
        stack_name,
        template_body: &template_body,
        artifacts_bucket: config.aws.artifacts_bucket.as_str(),
        lambda_zip: &built.zip_bytes,
        skill_id: &skill_id,
        memory_size_megabytes: DEFAULT_MEMORY_SIZE_MEGABYTES,
        timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
        log_retention_days: DEFAULT_LOG_RETENTION_DAYS,
        login_page_bucket: config.login_page.bucket.as_str(),
        login_page_html: &html,
    };
    let report = runtime()?.block_on(async {
        let clients = provision::stack::clients(&target).await;
        eprintln!(
            "xtask deploy: stack {stack_name} in {}{}",
            target.region,
            endpoint_note(&target)
        );
        provision::stack::deploy(
            &clients.s3,
            &clients.cloudformation,
            &deployment,
            &mut print_event,
        )
        .await
    });
    let report = report.with_context(|| format!("deploying stack {stack_name} failed"))?;

    let change = match report.stack.change {
        StackChange::Created => "created",
        StackChange::Updated => "updated",
        StackChange::Unchanged => "unchanged (template, code and parameters already deployed)",
    };
    println!("Stack {stack_name}: {change}");
    println!(
        "Code: {} -> s3://{}/{} ({})",
        built.zip_path.display(),
        report.artifact.bucket,
        report.artifact.key,
        if report.artifact.uploaded {
            "uploaded"
        } else {
            "already there"
        }
    );
    println!(
        "Login page: {} ({})",
        report.stack.outputs.login_page_url,
        if report.login_page.uploaded {
            "uploaded"
        } else {
            "unchanged"
        }
    );
    if target.endpoint_url.is_some() {
        println!("  served by the endpoint at {}", report.login_page.url);
    }
    println!();
    println!("Next:");
    println!(
        "  1. Skill endpoint (developer console > Build > Endpoint > AWS Lambda ARN):\n     {}",
        report.stack.outputs.function_arn
    );
    println!(
        "  2. Account linking (authorization URI = the login page above):\n     cargo run -p \
         provision -- account-linking apply --config {}",
        args.aws.config.display()
    );
    Ok(())
}

pub(crate) fn destroy(root: &Path, args: DestroyArgs) -> anyhow::Result<()> {
    let config = load_config(root, &args.aws)?;
    let target = aws_target(&config, &args.aws);
    let stack_name = config.aws.stack_name.as_str();
    let buckets = [
        config.aws.artifacts_bucket.as_str(),
        config.login_page.bucket.as_str(),
    ];
    runtime()?.block_on(async {
        let clients = provision::stack::clients(&target).await;
        eprintln!(
            "xtask destroy: stack {stack_name} in {}{}",
            target.region,
            endpoint_note(&target)
        );
        let deleted =
            provision::stack::delete_stack(&clients.cloudformation, stack_name, &mut print_event)
                .await
                .with_context(|| format!("deleting stack {stack_name} failed"))?;
        if deleted {
            println!("Stack {stack_name}: deleted");
        } else {
            println!("Stack {stack_name}: there was none");
        }
        if args.delete_buckets {
            for bucket in buckets {
                let existed = provision::stack::delete_bucket_with_contents(&clients.s3, bucket)
                    .await
                    .with_context(|| format!("deleting bucket {bucket} failed"))?;
                println!(
                    "Bucket {bucket}: {}",
                    if existed {
                        "emptied and deleted"
                    } else {
                        "there was none"
                    }
                );
            }
        } else {
            println!(
                "Kept the buckets {} and {} with their content (the login page bucket is retained \
                 by the stack): pass --delete-buckets to delete them too",
                buckets[0], buckets[1]
            );
        }
        anyhow::Ok(())
    })
}

fn load_config(root: &Path, args: &AwsArgs) -> anyhow::Result<provision::Config> {
    let overrides = provision::config::Overrides {
        skill_id: args.skill_id.clone(),
        region: args.region.clone(),
        stack_name: args.stack_name.clone(),
        ..Default::default()
    };
    let path = root.join(&args.config);
    Ok(provision::Config::load_with_overrides(&path, &overrides)?)
}

fn aws_target(config: &provision::Config, args: &AwsArgs) -> AwsTarget {
    AwsTarget {
        region: config.aws.region.as_str().to_owned(),
        endpoint_url: args.endpoint_url.clone(),
        profile: args.profile.clone(),
        credentials: None,
    }
}

fn print_plan(config: &provision::Config, target: &AwsTarget, skill_id: &str) {
    let parameters = StackParameters {
        skill_id: skill_id.to_owned(),
        code_bucket: config.aws.artifacts_bucket.as_str().to_owned(),
        code_key: format!(
            "{}<sha256 of the zip>.zip",
            provision::stack::ARTIFACT_KEY_PREFIX
        ),
        memory_size_megabytes: DEFAULT_MEMORY_SIZE_MEGABYTES,
        timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
        login_page_bucket_name: config.login_page.bucket.as_str().to_owned(),
        log_retention_days: DEFAULT_LOG_RETENTION_DAYS,
    };
    println!("Dry run: nothing is built, uploaded or changed.");
    println!(
        "1. Build <target directory>/lambda/{}/bootstrap.zip (release, provided.al2023 x86_64, glibc <= 2.34)",
        crate::build::SAMPLE_SKILL.binary
    );
    println!(
        "2. Upload it to s3://{}/{}<sha256>.zip unless that key exists (bucket created if \
         missing), region {}{}",
        parameters.code_bucket,
        provision::stack::ARTIFACT_KEY_PREFIX,
        target.region,
        endpoint_note(target)
    );
    println!(
        "3. Create or update stack {} from {} with CAPABILITY_IAM and:",
        config.aws.stack_name.as_str(),
        provision::stack::TEMPLATE_PATH
    );
    for (key, value) in parameters.to_pairs() {
        println!("     {key} = {value}");
    }
    println!(
        "4. Publish the login page to s3://{}/{} (text/html, no-cache) unless unchanged",
        config.login_page.bucket.as_str(),
        login_page::OBJECT_KEY
    );
    if let Some(profile) = &target.profile {
        println!("AWS profile: {profile}");
    }
}

fn endpoint_note(target: &AwsTarget) -> String {
    match &target.endpoint_url {
        Some(endpoint_url) => format!(" at {endpoint_url}"),
        None => String::new(),
    }
}

fn print_event(event: &StackEvent) {
    eprintln!("  {event}");
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")
}

//! `cargo xtask deploy` and `destroy`: the skill's AWS and Alexa sides from `skill.toml`, through
//! `provision::deploy` (skill creation, stack, login page, skill package, account linking); this
//! module only gathers settings, builds the zip and prints.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use provision::config::ConfigArgs;
use provision::deploy::{
    AccountLinkingPlan, AlexaSide, DeployPlan, DeployRequest, ExpectedPackageChange, PartChange,
    Polling, Progress, SkillPlan,
};
use provision::deploy_state::{DeployLock, DeployState, state_path};
use provision::destroy::StateTableFate;
use provision::lwa::LwaEnvironment;
use provision::skill_package::SkillPackage;
use provision::smapi::{SmapiArgs, SmapiClient};
use provision::stack::{AwsTarget, StackChange};

/// Settings shared by `deploy` and `destroy`: the config (every `provision` override flag) and
/// where AWS is.
#[derive(Debug, clap::Args)]
pub(crate) struct AwsArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// AWS profile of ~/.aws/config; without it the standard chain (AWS_PROFILE, environment, …).
    #[arg(long)]
    profile: Option<String>,
    /// Talk to an AWS twin (e.g. moto on http://127.0.0.1:5000) instead of AWS.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    #[command(flatten)]
    smapi: SmapiArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DeployArgs {
    #[command(flatten)]
    aws: AwsArgs,
    /// Read the Google client secret from this file instead of GOOGLE_CLIENT_SECRET.
    #[arg(long, env = "GOOGLE_CLIENT_SECRET_FILE", value_name = "PATH")]
    client_secret_file: Option<PathBuf>,
    /// Deploy the AWS side only (stack, code, login page); needs a skill ID.
    #[arg(long)]
    skip_alexa: bool,
    /// Print what would be built, uploaded and changed in each part, and touch nothing.
    #[arg(long)]
    dry_run: bool,
    /// Deploy even when `provision preflight` finds what certification would refuse.
    #[arg(long)]
    skip_preflight: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DestroyArgs {
    #[command(flatten)]
    aws: AwsArgs,
    /// Also empty and delete the artifacts and login page buckets.
    #[arg(long)]
    delete_buckets: bool,
    /// Also delete the Alexa skill (every stage) through SMAPI, and forget it in the state file.
    #[arg(long)]
    delete_skill: bool,
    /// Also delete the users' state table with all their data (kept otherwise: the stack retains
    /// it and protects it from deletion).
    #[arg(long)]
    delete_data: bool,
}

/// The Google scopes the skill's handlers declare, from its binary's `scopes` command (a dev
/// build): preflight holds them against the scopes account linking asks for. `None` when the
/// config does not load: preflight then reports that itself.
fn handler_scopes(root: &Path, config: &ConfigArgs) -> anyhow::Result<Option<Vec<String>>> {
    let Ok(config) = load_config(root, config) else {
        return Ok(None);
    };
    let binary = crate::chain::build_skill(
        root,
        config.skill.package.as_str(),
        config.skill.binary.as_str(),
    )?;
    let output = std::process::Command::new(&binary)
        .arg("scopes")
        .output()
        .with_context(|| format!("could not run {} scopes", binary.display()))?;
    if !output.status.success() {
        bail!(
            "{} scopes failed: {}",
            binary.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let scopes = String::from_utf8(output.stdout)
        .context("the skill's scopes are not UTF-8")?
        .lines()
        .map(str::to_owned)
        .collect();
    Ok(Some(scopes))
}

pub(crate) fn deploy(root: &Path, args: DeployArgs) -> anyhow::Result<()> {
    // First what Amazon's certification and Google's verification would refuse (offline).
    let needed_scopes = match args.skip_preflight {
        true => None,
        false => handler_scopes(root, &args.aws.config)?,
    };
    let preflight = provision::preflight::run(&provision::preflight::PreflightInput {
        config_path: root.join(&args.aws.config.config),
        overrides: args.aws.config.overrides(),
        needed_scopes,
    });
    eprint!("{}", preflight.to_text());
    if preflight.error_count() > 0 && !args.skip_preflight {
        bail!(
            "preflight found {} error(s): fix each as its line says, or pass --skip-preflight to \
             deploy anyway",
            preflight.error_count()
        );
    }
    let config = load_config(root, &args.aws.config)?;
    let state_file = state_path(&config.path);
    let state = DeployState::load(&state_file)?;
    let package = SkillPackage::read(&config.skill.skill_package)?;
    let template_path = root.join(provision::stack::TEMPLATE_PATH);
    let template_body = std::fs::read_to_string(&template_path)
        .with_context(|| format!("could not read {}", template_path.display()))?;
    let target = aws_target(&config, &args.aws);
    let runtime = runtime()?;
    if args.skip_alexa && config.skill.skill_id.is_none() && state.skill_id.is_none() {
        // The stack remembers its skill; without one there is nothing to deploy for.
        let stack_skill_id = runtime.block_on(async {
            let clients = provision::stack::clients(&target).await;
            provision::stack::deployed_skill_id(
                &clients.cloudformation,
                config.aws.stack_name.as_str(),
            )
            .await
        })?;
        if stack_skill_id.is_none() {
            bail!(
                "--skip-alexa needs a skill ID: set [skill] skill_id or SKILL_ID, or deploy once \
                 without --skip-alexa so that deploy creates the skill"
            );
        }
    }
    // Credentials first: a bad secret or token fails before anything is built or changed.
    let client_secret = if args.skip_alexa {
        None
    } else {
        Some(provision::config::load_client_secret(
            args.client_secret_file.as_deref(),
            std::env::var(provision::config::CLIENT_SECRET_ENV).ok(),
        )?)
    };

    // One plan: the dry run prints it, the deploy executes it.
    let plan = provision::deploy::plan(&config, state, &package, client_secret.as_ref())?;
    if args.dry_run {
        print_plan(&config, &target, &package, &plan);
        return Ok(());
    }

    let smapi = match args.skip_alexa {
        true => None,
        false => Some(runtime.block_on(smapi_client(&args.aws.smapi, &config))?),
    };
    let built = crate::build::run(
        root,
        crate::build::LambdaBinary {
            package: config.skill.package.as_str(),
            binary: config.skill.binary.as_str(),
        },
    )?;
    let request = DeployRequest {
        config: &config,
        state_path: state_file,
        template_body: &template_body,
        lambda_zip: &built.zip_bytes,
        skill_package: &package,
        alexa: match (&smapi, &client_secret) {
            (Some(smapi), Some(client_secret)) => Some(AlexaSide {
                smapi,
                client_secret,
            }),
            _ => None,
        },
        polling: Polling::default(),
    };
    let stack_name = config.aws.stack_name.as_str();
    let outcome = runtime.block_on(async {
        let clients = provision::stack::clients(&target).await;
        eprintln!(
            "xtask deploy: stack {stack_name} in {}{}",
            target.region,
            endpoint_note(&target)
        );
        provision::deploy::execute(&clients, &request, &plan, &mut |progress| match progress {
            Progress::Step(line) => eprintln!("{line}"),
            Progress::StackEvent(event) => {
                eprintln!("  {event}");
                if let Some((name, value)) = provision::stack::certificate::validation_record(event)
                {
                    eprintln!(
                        "  → create this DNS record for the login page's certificate: {name} \
                         CNAME {value}; CloudFormation waits (up to an hour) until ACM sees it"
                    );
                }
            }
        })
        .await
    });
    let outcome = outcome.context("deploy failed")?;
    let report = &outcome.aws;

    let change_text = |change: StackChange| match change {
        StackChange::Created => "created",
        StackChange::Updated => "updated",
        StackChange::Unchanged => "unchanged (template, code and parameters already deployed)",
    };
    let stack_change = change_text(report.stack.change);
    if outcome.other_regions.is_empty() {
        println!("Stack {stack_name}: {stack_change}");
    } else {
        println!("Stack {stack_name} in {}: {stack_change}", target.region);
        for (region, regional) in &outcome.other_regions {
            println!(
                "Stack {stack_name} in {}: {} (code in s3://{}/{})",
                region.as_str(),
                change_text(regional.stack.change),
                regional.artifact.bucket,
                regional.artifact.key
            );
        }
    }
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
    let part = |change: Option<PartChange>| match change {
        Some(PartChange::Created) => "created",
        Some(PartChange::Updated) => "updated",
        Some(PartChange::Unchanged) => "unchanged",
        None => "skipped (--skip-alexa)",
    };
    println!(
        "Skill {}: {}",
        outcome.skill_id.as_str(),
        if outcome.skill_created {
            "created"
        } else {
            "existing"
        }
    );
    println!("Skill package: {}", part(outcome.skill_package));
    println!("Account linking: {}", part(outcome.account_linking));
    println!();
    println!("Summary:");
    println!("  skill ID:       {}", outcome.skill_id.as_str());
    println!(
        "  console:        {}",
        provision::deploy::console_url(&outcome.skill_id)
    );
    println!("  function ARN:   {}", report.stack.outputs.function_arn);
    for (region, regional) in &outcome.other_regions {
        let alexa_region = provision::config::AlexaRegion::for_aws_region(region)
            .map_or("", provision::config::AlexaRegion::as_str);
        println!(
            "  {alexa_region} endpoint:    {}",
            regional.stack.outputs.function_arn
        );
    }
    println!("  login page:     {}", config.login_page_url(None));
    if let (Some(domain), Some(distribution)) = (
        &config.login_page.domain,
        &report.stack.outputs.login_page_distribution_domain,
    ) && domain.hosted_zone_id.is_none()
    {
        println!(
            "  DNS:            point {} at {distribution} (CNAME) so Alexa reaches the page",
            domain.name
        );
    }
    let locales = package.locales();
    let locale = locales
        .iter()
        .find(|locale| **locale == "en-US")
        .or(locales.first());
    if let Some(locale) = locale
        && let Some(invocation_name) = package.invocation_name(locale)
    {
        println!(
            "  try it:         enable the skill for testing in the console, link your Google \
             account in the Alexa app, then say \"Alexa, open {invocation_name}\" ({locale})"
        );
    }
    Ok(())
}

pub(crate) fn destroy(root: &Path, args: DestroyArgs) -> anyhow::Result<()> {
    let config = load_config(root, &args.aws.config)?;
    let state_file = state_path(&config.path);
    let target = aws_target(&config, &args.aws);
    let stack_name = config.aws.stack_name.as_str();
    runtime()?.block_on(async {
        let main_clients = provision::stack::clients(&target).await;
        if args.delete_skill {
            // Released before the stacks go: `provision::destroy` takes the lock itself.
            let lock = DeployLock::acquire(&state_file)?;
            let state = DeployState::load(&state_file)?;
            let from_stack =
                provision::stack::deployed_skill_id(&main_clients.cloudformation, stack_name)
                    .await?;
            let skill_id = config
                .skill
                .skill_id
                .clone()
                .or_else(|| {
                    state
                        .skill_id
                        .as_deref()
                        .and_then(|id| alexa_model::SkillId::parse(id).ok())
                })
                .or_else(|| {
                    from_stack
                        .as_deref()
                        .and_then(|id| alexa_model::SkillId::parse(id).ok())
                })
                .context(
                    "--delete-skill: no skill ID in the config, SKILL_ID, the deploy state or the \
                     stack",
                )?;
            let smapi = smapi_client(&args.aws.smapi, &config).await?;
            smapi
                .delete_skill(&skill_id)
                .await
                .with_context(|| format!("deleting skill {} failed", skill_id.as_str()))?;
            // Forgotten with the skill; retained tables stay remembered until their data goes.
            DeployState {
                retained_state_tables: state.retained_state_tables,
                ..DeployState::default()
            }
            .save(&state_file)?;
            drop(lock);
            println!("Skill {}: deleted", skill_id.as_str());
        }
        let regions = &config.aws.regions;
        let report = provision::destroy::destroy(
            &main_clients,
            &target,
            &config,
            &state_file,
            provision::destroy::DestroyOptions {
                delete_buckets: args.delete_buckets,
                delete_data: args.delete_data,
            },
            &mut |event| eprintln!("  {event}"),
        )
        .await
        .with_context(|| format!("destroying stack {stack_name} failed"))?;
        for region in report {
            let place = if regions.others().is_empty() {
                String::new()
            } else {
                format!(" in {}", region.region.as_str())
            };
            if region.stack_deleted {
                println!("Stack {stack_name}{place}: deleted");
            } else {
                println!("Stack {stack_name}{place}: there was none");
            }
            for table in &region.state_tables {
                match table {
                    StateTableFate::Deleted(table) => {
                        println!("State table {table}{place}: deleted with all users' data")
                    }
                    StateTableFate::Kept(table) => println!(
                        "State table {table}{place}: kept with users' data (remembered in {}; \
                         `cargo xtask destroy --delete-data` deletes it)",
                        state_file.display()
                    ),
                    StateTableFate::AlreadyGone(table) => {
                        println!("State table {table}{place}: already deleted")
                    }
                    other => println!("State table{place}: {other:?}"),
                }
            }
            let [artifacts, login_page] = &region.buckets;
            match region.buckets_deleted {
                Some(existed) => {
                    for (bucket, existed) in region.buckets.iter().zip(existed) {
                        println!(
                            "Bucket {bucket}: {}",
                            if existed {
                                "emptied and deleted"
                            } else {
                                "there was none"
                            }
                        );
                    }
                }
                None => println!(
                    "Kept the buckets {artifacts} and {login_page} with their content (the login \
                     page bucket is retained by the stack, so nobody else can take the name; a \
                     later deploy takes it over again): pass --delete-buckets to delete them too"
                ),
            }
        }
        anyhow::Ok(())
    })
}

/// The SMAPI client, after checking the credentials may act for the config's vendor.
async fn smapi_client(
    arguments: &SmapiArgs,
    config: &provision::Config,
) -> anyhow::Result<SmapiClient> {
    let (smapi, source) = arguments
        .client(provision::http::client(), &LwaEnvironment::from_process())
        .await?;
    eprintln!("xtask deploy: Amazon credentials from {source}");
    let vendor_id = config.skill.vendor_id.as_str();
    let known = smapi
        .has_vendor(vendor_id)
        .await
        .context("checking the Amazon (SMAPI) credentials failed")?;
    if !known {
        bail!(
            "the Amazon credentials do not belong to vendor {vendor_id}: set [skill] vendor_id \
             to yours (developer console, Settings, My IDs) or use that vendor's ASK profile"
        );
    }
    Ok(smapi)
}

fn load_config(root: &Path, args: &ConfigArgs) -> anyhow::Result<provision::Config> {
    let path = root.join(&args.config);
    Ok(provision::Config::load_with_overrides(
        &path,
        &args.overrides(),
    )?)
}

fn aws_target(config: &provision::Config, args: &AwsArgs) -> AwsTarget {
    AwsTarget {
        region: config.aws.region.as_str().to_owned(),
        endpoint_url: args.endpoint_url.clone(),
        profile: args.profile.clone(),
        credentials: None,
    }
}

/// Prints `plan`, the one a deploy would execute, part by part.
fn print_plan(
    config: &provision::Config,
    target: &AwsTarget,
    package: &SkillPackage,
    plan: &DeployPlan,
) {
    let stack_name = config.aws.stack_name.as_str();
    println!("Dry run: nothing is built, uploaded or changed.");
    match &plan.skill {
        SkillPlan::Known(skill_id) => println!("Skill: {skill_id} (exists)"),
        SkillPlan::FromStackOrNew => println!(
            "Skill: none in the config or the deploy state; the one stack {stack_name} serves \
             (its SkillId parameter) if the stack exists, else a new one created through SMAPI \
             for vendor {} from {} without an endpoint, its ID saved in the deploy state",
            config.skill.vendor_id.as_str(),
            config.skill.skill_package.display()
        ),
        SkillPlan::FromStack => {
            println!("Skill: the one stack {stack_name} serves (its SkillId parameter)")
        }
        other => println!("Skill: {other:?}"),
    }
    let parameters = &plan.stack_parameters;
    println!(
        "Build: <target directory>/lambda/{}/bootstrap.zip from package {} (release, \
         provided.al2023 x86_64, glibc <= 2.34)",
        config.skill.binary.as_str(),
        config.skill.package.as_str()
    );
    println!(
        "Code: upload to s3://{}/{}<sha256>.zip unless that key exists (bucket created if \
         missing), region {}{}",
        parameters.code_bucket,
        provision::stack::ARTIFACT_KEY_PREFIX,
        target.region,
        endpoint_note(target)
    );
    println!(
        "Stack: create or update {stack_name} from {} with CAPABILITY_IAM unless template and \
         parameters are deployed:",
        provision::stack::TEMPLATE_PATH
    );
    for (key, value) in parameters.to_pairs() {
        println!("     {key} = {value}");
    }
    for region in &plan.other_regions {
        println!(
            "Stack in {} as well (Alexa's {} endpoint): the same, with CodeBucket = {} and \
             LoginPageBucketName = {}",
            region.region.as_str(),
            region.alexa_region.as_str(),
            region.artifacts_bucket,
            region.login_page_bucket,
        );
    }
    println!(
        "Login page: publish to s3://{}/{} (text/html, no-cache) unless unchanged",
        parameters.login_page_bucket_name, parameters.login_page_key
    );
    let Some(alexa) = &plan.alexa else {
        println!("Skill package, account linking: skipped (--skip-alexa)");
        return;
    };
    let package_change = match &alexa.skill_package.expected {
        ExpectedPackageChange::Unchanged => {
            "unchanged (same package and endpoint as the last deploy)".to_owned()
        }
        ExpectedPackageChange::Import { function_arn } => {
            format!("would import (changed since the last deploy), endpoint {function_arn}")
        }
        ExpectedPackageChange::ImportWithNewEndpoint => {
            "would import with the endpoint set to the stack's function".to_owned()
        }
        ExpectedPackageChange::ImportUnlessUnchanged => "imported unless the package and every \
             region's function ARN are as last deployed (known once the stacks answer)"
            .to_owned(),
        other => format!("{other:?}"),
    };
    println!(
        "Skill package ({}): {package_change}; then wait for the builds of {}",
        config.skill.skill_package.display(),
        package.locales().join(", ")
    );
    let account_linking = match &alexa.account_linking {
        AccountLinkingPlan::Unchanged => {
            "unchanged (same settings and client secret as the last deploy)".to_owned()
        }
        AccountLinkingPlan::Set { body, .. } => format!(
            "would be set: authorization URL {}, client {}, scopes {}",
            body.account_linking_request.authorization_url,
            body.account_linking_request.client_id,
            config.scope_names().join(" ")
        ),
        other => format!("{other:?}"),
    };
    println!(
        "Account linking ({} stage): {account_linking}",
        config.skill.stage.as_str()
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

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")
}

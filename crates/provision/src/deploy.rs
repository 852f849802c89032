//! The whole deploy after the build, both sides, for `cargo xtask deploy`: the skill created
//! through SMAPI when there is no skill ID yet (without an endpoint), the AWS stack with that
//! skill ID, then the skill package with both endpoints set to the function, every locale's
//! interaction-model build, and account linking (docs/deploy.md).
//!
//! Each Alexa part is skipped when what would be sent is byte for byte what the deploy state
//! says was last accepted, so a rerun with nothing changed makes no SMAPI write. Those decisions
//! are made once, by [`plan`]: `cargo xtask deploy --dry-run` prints the [`DeployPlan`] and a
//! deploy executes it ([`execute`]), so what the dry run says is what the deploy does.

use std::path::PathBuf;
use std::time::Duration;

use alexa_model::SkillId;

use crate::config::{AlexaRegion, AwsRegion, ClientSecret, Config, regional_bucket_name};
use crate::deploy_state::{DeployLock, DeployState, StateError};
use crate::skill_package::{Endpoint, PackageError, SkillPackage, sha256_hex};
use crate::smapi::{self, ClientSecretField, ImportStatus, ImportTarget, SmapiClient, SmapiError};
use crate::stack::{
    ARTIFACT_KEY_PREFIX, AwsClients, DEFAULT_LOG_RETENTION_DAYS, DEFAULT_MEMORY_SIZE_MEGABYTES,
    DEFAULT_TIMEOUT_SECONDS, DeployReport, Deployment, StackError, StackEvent, StackParameters,
};

/// What a deploy of one config will do, part by part, decided before anything is built or
/// sent: what `cargo xtask deploy --dry-run` prints and what [`execute`] does.
#[derive(Debug)]
#[non_exhaustive]
pub struct DeployPlan {
    /// Which skill the stack and the package are for.
    pub skill: SkillPlan,
    /// The main region's stack parameters, with placeholders for what only the build and the
    /// skill creation know (the zip's hash, a new skill's ID).
    pub stack_parameters: StackParameters,
    /// The other regions' stacks, in `[aws] regions` order (docs/deploy.md, "Regions").
    pub other_regions: Vec<RegionPlan>,
    /// `None`: the Alexa side is skipped (`--skip-alexa`).
    pub alexa: Option<AlexaPlan>,
    /// The deploy state the decisions were made from: [`execute`] refuses the plan when the
    /// state changed since (another deploy ran meanwhile).
    basis: DeployState,
}

/// Which skill a deploy is for, as far as the config and the deploy state tell.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkillPlan {
    /// `[skill] skill_id` (or `SKILL_ID`), else the deploy state's; checked against the one the
    /// stack serves before anything is changed.
    Known(String),
    /// Neither names one: the one the stack serves (its `SkillId` parameter) if the stack
    /// exists, else a new skill created through SMAPI without an endpoint.
    FromStackOrNew,
    /// Neither names one and the Alexa side is skipped: the one the stack serves.
    FromStack,
}

/// A region other than the main one: its own stack and buckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPlan {
    pub region: AwsRegion,
    /// Alexa's endpoint region this function serves.
    pub alexa_region: AlexaRegion,
    pub artifacts_bucket: String,
    pub login_page_bucket: String,
}

/// The Alexa side's two parts.
#[derive(Debug)]
#[non_exhaustive]
pub struct AlexaPlan {
    pub skill_package: SkillPackagePlan,
    pub account_linking: AccountLinkingPlan,
}

/// Whether the skill package is imported. The endpoint is the stacks' function, known for sure
/// only once they answer: the package is imported unless its zip with that endpoint is the one
/// last imported ([`SkillPackagePlan::is_unchanged`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkillPackagePlan {
    /// What the dry run expects, from the function ARN of the last deploy.
    pub expected: ExpectedPackageChange,
    /// SHA-256 of the last imported zip, from the deploy state.
    last_imported_sha256: Option<String>,
}

/// A skill package import as expected before the stacks answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpectedPackageChange {
    /// Same package and endpoint as the last deploy.
    Unchanged,
    /// Changed since the last deploy; `function_arn` is the endpoint it was last imported with.
    Import { function_arn: String },
    /// Never imported by this config: imported with the stack's function as the endpoint.
    ImportWithNewEndpoint,
    /// Several regions: imported unless the package and every region's function ARN are as last
    /// deployed (known once the stacks answer).
    ImportUnlessUnchanged,
}

impl SkillPackagePlan {
    /// Whether `zip` (the package with the stacks' endpoints) is the one last imported, so that
    /// nothing is sent.
    pub fn is_unchanged(&self, zip: &[u8]) -> bool {
        self.last_imported_sha256.as_deref() == Some(sha256_hex(zip).as_str())
    }
}

/// Whether account linking is set, and with what.
#[derive(Debug)]
#[non_exhaustive]
pub enum AccountLinkingPlan {
    /// The same settings and client secret as the last deploy.
    Unchanged,
    /// Sent as is; `created` when no deploy has set it before.
    Set {
        /// Boxed: it is large, and most reruns leave account linking unchanged.
        body: Box<smapi::AccountLinkingBody>,
        fingerprint: String,
        created: bool,
    },
}

/// The plan for deploying `config` from `state` (the deploy state file's content) with
/// `skill_package`; `client_secret` is `None` with the Alexa side skipped. Offline: nothing is
/// read from AWS or SMAPI.
pub fn plan(
    config: &Config,
    state: DeployState,
    skill_package: &SkillPackage,
    client_secret: Option<&ClientSecret>,
) -> Result<DeployPlan, PackageError> {
    let skill_id = config
        .skill
        .skill_id
        .as_ref()
        .map(|skill_id| skill_id.as_str().to_owned())
        .or_else(|| state.skill_id.clone());
    let skill = match (skill_id, client_secret) {
        (Some(skill_id), _) => SkillPlan::Known(skill_id),
        (None, Some(_)) => SkillPlan::FromStackOrNew,
        (None, None) => SkillPlan::FromStack,
    };
    // What the state says was sent counts only for the skill it names: for another skill (or a
    // skill yet to be found or created) everything is sent, as `execute` starts that skill's
    // state afresh.
    let sent = match &skill {
        SkillPlan::Known(skill_id) if state.skill_id.as_deref() == Some(skill_id.as_str()) => {
            state.clone()
        }
        _ => DeployState::default(),
    };
    let regions = &config.aws.regions;
    let stack_parameters = StackParameters {
        skill_id: match &skill {
            SkillPlan::Known(skill_id) => skill_id.clone(),
            _ => "<the skill's ID>".to_owned(),
        },
        code_bucket: config.aws.artifacts_bucket.as_str().to_owned(),
        code_key: format!("{ARTIFACT_KEY_PREFIX}<sha256 of the zip>.zip"),
        memory_size_megabytes: DEFAULT_MEMORY_SIZE_MEGABYTES,
        timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
        login_page_bucket_name: config.login_page.bucket.as_str().to_owned(),
        login_page_key: config.login_page.key.as_str().to_owned(),
        reserved_concurrent_executions: config.aws.reserved_concurrent_executions,
        log_retention_days: DEFAULT_LOG_RETENTION_DAYS,
        login_page_domain: config.login_page.domain.clone(),
    };
    let other_regions = regions
        .others()
        .iter()
        .map(|(region, alexa_region)| RegionPlan {
            region: region.clone(),
            alexa_region: *alexa_region,
            artifacts_bucket: regional_bucket_name(&config.aws.artifacts_bucket, regions, region),
            login_page_bucket: regional_bucket_name(&config.login_page.bucket, regions, region),
        })
        .collect();
    let alexa = match client_secret {
        None => None,
        Some(client_secret) => {
            let expected = match &sent.function_arn {
                // The regional endpoints are only known once every region's stack answers.
                Some(_) if !regions.others().is_empty() => {
                    ExpectedPackageChange::ImportUnlessUnchanged
                }
                Some(function_arn) => {
                    let zip = skill_package.zip(&Endpoint::Lambda {
                        function_arn: function_arn.clone(),
                    })?;
                    if sent.skill_package_sha256.as_deref() == Some(sha256_hex(&zip).as_str()) {
                        ExpectedPackageChange::Unchanged
                    } else {
                        ExpectedPackageChange::Import {
                            function_arn: function_arn.clone(),
                        }
                    }
                }
                None => ExpectedPackageChange::ImportWithNewEndpoint,
            };
            let body = account_linking_body(config, client_secret);
            let fingerprint = account_linking_fingerprint(config, &body);
            let account_linking =
                if sent.account_linking_sha256.as_deref() == Some(fingerprint.as_str()) {
                    AccountLinkingPlan::Unchanged
                } else {
                    AccountLinkingPlan::Set {
                        body: Box::new(body),
                        fingerprint,
                        created: sent.account_linking_sha256.is_none(),
                    }
                };
            Some(AlexaPlan {
                skill_package: SkillPackagePlan {
                    expected,
                    last_imported_sha256: sent.skill_package_sha256.clone(),
                },
                account_linking,
            })
        }
    };
    Ok(DeployPlan {
        skill,
        stack_parameters,
        other_regions,
        alexa,
        basis: state,
    })
}

/// How often and how long to ask SMAPI about an import or a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polling {
    pub interval: Duration,
    pub max_polls: u32,
}

impl Default for Polling {
    /// Every two seconds for ten minutes: interaction-model builds take a minute or more.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(2),
            max_polls: 300,
        }
    }
}

/// The Alexa side's inputs; `None` in [`DeployRequest::alexa`] deploys the AWS side only.
#[derive(Debug)]
pub struct AlexaSide<'a> {
    pub smapi: &'a SmapiClient,
    pub client_secret: &'a ClientSecret,
}

/// Everything one deploy needs.
#[derive(Debug)]
pub struct DeployRequest<'a> {
    pub config: &'a Config,
    /// Where [`DeployState`] is kept ([`crate::deploy_state::state_path`] of the config).
    pub state_path: PathBuf,
    pub template_body: &'a str,
    pub lambda_zip: &'a [u8],
    pub skill_package: &'a SkillPackage,
    pub alexa: Option<AlexaSide<'a>>,
    pub polling: Polling,
}

/// What happened to one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartChange {
    Created,
    Updated,
    /// What would be sent is what was last accepted: nothing was sent.
    Unchanged,
}

/// What a deploy did, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployOutcome {
    pub skill_id: SkillId,
    /// The skill was created by this run.
    pub skill_created: bool,
    /// The main region's stack: the default endpoint and the login page.
    pub aws: DeployReport,
    /// The other regions' stacks, in `[aws] regions` order (docs/deploy.md, "Regions").
    pub other_regions: Vec<(AwsRegion, DeployReport)>,
    /// `None` with the Alexa side skipped.
    pub skill_package: Option<PartChange>,
    pub account_linking: Option<PartChange>,
}

/// A progress report, in the order things happen.
#[derive(Debug)]
pub enum Progress<'a> {
    /// One line for the person deploying.
    Step(String),
    /// A CloudFormation event as it arrives.
    StackEvent(&'a StackEvent),
}

/// Why the deploy stopped. Messages say what to do; none contains a token or secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeployError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Package(#[from] PackageError),
    #[error(transparent)]
    Stack(#[from] StackError),
    /// The message includes SMAPI's; the error is not a `source` so it is not printed twice.
    #[error("{operation} failed: {error}")]
    Smapi {
        operation: &'static str,
        error: SmapiError,
    },
    #[error(
        "SMAPI refused the skill package: {}; fix the package under {} and deploy again",
        errors.join("; "), package.display()
    )]
    ImportFailed {
        errors: Vec<String>,
        package: PathBuf,
    },
    #[error("the interaction model build failed for {}: fix the model and deploy again", failures.join("; "))]
    BuildFailed { failures: Vec<String> },
    #[error(
        "SMAPI still reported {what} as in progress after {seconds} s: look at the skill in the developer console"
    )]
    StillInProgress { what: String, seconds: u64 },
    #[error(
        "no skill ID: set [skill] skill_id or SKILL_ID, or deploy without --skip-alexa once so \
         that deploy creates the skill"
    )]
    NoSkillId,
    #[error("SMAPI's import created no skill ID")]
    NoSkillIdFromImport,
    /// [`execute`] was handed a plan made from another deploy state, or for the other side.
    #[error(
        "the deploy plan is out of date: the deploy state {} changed since it was made (another \
         deploy of this config ran meanwhile); deploy again",
        state_path.display()
    )]
    PlanOutdated { state_path: PathBuf },
    /// The state file and the stack disagree about the skill: deploying either way would cut
    /// the other skill off, so the person deploying says which one.
    #[error(
        "the deploy state {} names skill {state_skill_id}, but stack {stack} serves skill \
         {stack_skill_id}: set skill_id = \"{stack_skill_id}\" under [skill] in {} to keep the \
         stack's skill (or the other ID to move the stack to it), then deploy again",
        state_path.display(), config_path.display()
    )]
    SkillMismatch {
        state_path: PathBuf,
        config_path: PathBuf,
        stack: String,
        state_skill_id: String,
        stack_skill_id: String,
    },
    /// The stack's `SkillId` parameter is not a skill ID (the template's pattern allows a few).
    #[error(
        "stack {stack} has the SkillId parameter {value:?}, which is not a skill ID: set \
         skill_id = \"amzn1.ask.skill.…\" under [skill] in {} (the developer console shows it), \
         then deploy again",
        config_path.display()
    )]
    BadStackSkillId {
        stack: String,
        value: String,
        config_path: PathBuf,
    },
}

fn smapi_error(operation: &'static str) -> impl FnOnce(SmapiError) -> DeployError {
    move |error| DeployError::Smapi { operation, error }
}

/// Plans ([`plan`], from the state file as it is now) and executes ([`execute`]) the deploy.
pub async fn run(
    aws: &AwsClients,
    request: &DeployRequest<'_>,
    on_progress: &mut dyn FnMut(Progress<'_>),
) -> Result<DeployOutcome, DeployError> {
    let plan = plan(
        request.config,
        DeployState::load(&request.state_path)?,
        request.skill_package,
        request.alexa.as_ref().map(|alexa| alexa.client_secret),
    )?;
    execute(aws, request, &plan, on_progress).await
}

/// Executes `plan` (made by [`plan`] for this request's config, package and client secret); the
/// state file is updated after each part that SMAPI accepted. A plan made from another deploy
/// state than the file holds now (another deploy ran since) is refused, as is one made for the
/// other side than the request's (with or without `--skip-alexa`).
pub async fn execute(
    aws: &AwsClients,
    request: &DeployRequest<'_>,
    plan: &DeployPlan,
    on_progress: &mut dyn FnMut(Progress<'_>),
) -> Result<DeployOutcome, DeployError> {
    let config = request.config;
    // Held to the end: a second deploy of this config meanwhile would interleave state writes
    // and could create a second skill.
    let _lock = DeployLock::acquire(&request.state_path)?;
    let mut state = DeployState::load(&request.state_path)?;
    if state != plan.basis || request.alexa.is_some() != plan.alexa.is_some() {
        return Err(DeployError::PlanOutdated {
            state_path: request.state_path.clone(),
        });
    }
    let known_skill_id = known_skill_id(aws, request, &state, on_progress).await?;
    // 1. A new skill is created without endpoints: SMAPI refuses a Lambda endpoint whose
    //    function has no trigger for the skill, and the trigger needs the skill ID.
    let (skill_id, skill_created) = match (known_skill_id, &request.alexa) {
        (Some(skill_id), _) => (skill_id, false),
        (None, None) => return Err(DeployError::NoSkillId),
        (None, Some(alexa)) => {
            on_progress(Progress::Step(format!(
                "Skill: none yet, creating it for vendor {}",
                config.skill.vendor_id.as_str()
            )));
            let zip = request.skill_package.zip(&Endpoint::None)?;
            let target = ImportTarget::NewSkill {
                vendor_id: config.skill.vendor_id.as_str().to_owned(),
            };
            // The ID is saved as soon as SMAPI names it, before the import ends: an import
            // that is still running (or fails) has created the skill all the same, and a rerun
            // must update that skill rather than create another.
            let state_path = &request.state_path;
            let mut remember = |status: &ImportStatus| -> Result<(), StateError> {
                let Some(skill_id) = new_skill_id(status) else {
                    return Ok(());
                };
                if state.skill_id.as_deref() != Some(skill_id.as_str()) {
                    state = DeployState {
                        skill_id: Some(skill_id.as_str().to_owned()),
                        retained_state_tables: state.retained_state_tables.clone(),
                        ..DeployState::default()
                    };
                    state.save(state_path)?;
                }
                Ok(())
            };
            let status = import(
                alexa.smapi,
                &target,
                zip,
                request,
                &mut remember,
                on_progress,
            )
            .await?;
            let skill_id = new_skill_id(&status).ok_or(DeployError::NoSkillIdFromImport)?;
            remember(&status)?;
            on_progress(Progress::Step(format!(
                "Skill: created {} (remembered in {})",
                skill_id.as_str(),
                request.state_path.display()
            )));
            (skill_id, true)
        }
    };
    if state.skill_id.as_deref() != Some(skill_id.as_str()) {
        // Another skill than the state describes: nothing of it was sent for this one. Saved
        // now, so that even a deploy that fails below leaves the skill's ID behind.
        state = DeployState {
            skill_id: Some(skill_id.as_str().to_owned()),
            retained_state_tables: state.retained_state_tables.clone(),
            ..DeployState::default()
        };
        state.save(&request.state_path)?;
    }

    // 2. The AWS side, with the trigger for this skill: one stack per region, the main
    //    region first.
    let html = login_page::render(&config.login_page_config());
    let regions = &config.aws.regions;
    // One account for every region: each bucket must belong to it.
    let account = aws.account_id().await?;
    let aws_report = deploy_region(
        aws,
        request,
        &skill_id,
        regions.main(),
        &html,
        &account,
        on_progress,
    )
    .await?;
    let mut other_regions = Vec::new();
    for (region, _) in regions.others() {
        let clients = aws.in_region(region.as_str());
        let report = deploy_region(
            &clients,
            request,
            &skill_id,
            region,
            &html,
            &account,
            on_progress,
        )
        .await?;
        other_regions.push((region.clone(), report));
    }
    let function_arn = aws_report.stack.outputs.function_arn.clone();
    let endpoint = match AlexaRegion::for_aws_region(regions.main()) {
        Some(main_alexa_region) if !other_regions.is_empty() => Endpoint::Regional {
            function_arn: function_arn.clone(),
            regions: std::iter::once((main_alexa_region, function_arn.clone()))
                .chain(regions.others().iter().zip(&other_regions).map(
                    |((_, alexa_region), (_, report))| {
                        (*alexa_region, report.stack.outputs.function_arn.clone())
                    },
                ))
                .collect(),
        },
        // One region: its function is the default endpoint for every Alexa region.
        _ => Endpoint::Lambda {
            function_arn: function_arn.clone(),
        },
    };

    let (Some(alexa), Some(alexa_plan)) = (&request.alexa, &plan.alexa) else {
        return Ok(DeployOutcome {
            skill_id,
            skill_created,
            aws: aws_report,
            other_regions,
            skill_package: None,
            account_linking: None,
        });
    };

    // 3. The package with both endpoints on the function.
    let zip = request.skill_package.zip(&endpoint)?;
    let package_sha256 = sha256_hex(&zip);
    let skill_package = if alexa_plan.skill_package.is_unchanged(&zip) {
        on_progress(Progress::Step("Skill package: unchanged".to_owned()));
        PartChange::Unchanged
    } else {
        on_progress(Progress::Step(format!(
            "Skill package: importing with the endpoint {function_arn}"
        )));
        import(
            alexa.smapi,
            &ImportTarget::Skill(skill_id.clone()),
            zip,
            request,
            &mut |_| Ok(()),
            on_progress,
        )
        .await?;
        wait_for_builds(alexa.smapi, &skill_id, request, on_progress).await?;
        state.function_arn = Some(function_arn.clone());
        state.skill_package_sha256 = Some(package_sha256);
        state.save(&request.state_path)?;
        if skill_created {
            PartChange::Created
        } else {
            PartChange::Updated
        }
    };

    // 4. Account linking, with the login page as Alexa's authorization URL.
    let account_linking = match &alexa_plan.account_linking {
        AccountLinkingPlan::Unchanged => {
            on_progress(Progress::Step("Account linking: unchanged".to_owned()));
            PartChange::Unchanged
        }
        AccountLinkingPlan::Set {
            body,
            fingerprint,
            created,
        } => {
            alexa
                .smapi
                .put_account_linking(&skill_id, config.skill.stage, body)
                .await
                .map_err(smapi_error("configuring account linking"))?;
            state.account_linking_sha256 = Some(fingerprint.clone());
            state.save(&request.state_path)?;
            on_progress(Progress::Step(format!(
                "Account linking: set ({} stage, client {})",
                config.skill.stage.as_str(),
                config.google.client_id.as_str()
            )));
            if *created {
                PartChange::Created
            } else {
                PartChange::Updated
            }
        }
    };

    Ok(DeployOutcome {
        skill_id,
        skill_created,
        aws: aws_report,
        other_regions,
        skill_package: Some(skill_package),
        account_linking: Some(account_linking),
    })
}

/// One region's stack, code and login page; the buckets of a region other than the main one
/// carry its name.
async fn deploy_region(
    aws: &AwsClients,
    request: &DeployRequest<'_>,
    skill_id: &SkillId,
    region: &AwsRegion,
    html: &str,
    account: &str,
    on_progress: &mut dyn FnMut(Progress<'_>),
) -> Result<DeployReport, DeployError> {
    let config = request.config;
    let regions = &config.aws.regions;
    let artifacts_bucket = regional_bucket_name(&config.aws.artifacts_bucket, regions, region);
    let login_page_bucket = regional_bucket_name(&config.login_page.bucket, regions, region);
    let deployment = Deployment {
        stack_name: config.aws.stack_name.as_str(),
        template_body: request.template_body,
        artifacts_bucket: &artifacts_bucket,
        lambda_zip: request.lambda_zip,
        skill_id: skill_id.as_str(),
        memory_size_megabytes: DEFAULT_MEMORY_SIZE_MEGABYTES,
        timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
        log_retention_days: DEFAULT_LOG_RETENTION_DAYS,
        login_page_bucket: &login_page_bucket,
        login_page_key: config.login_page.key.as_str(),
        login_page_html: html,
        reserved_concurrent_executions: config.aws.reserved_concurrent_executions,
        expected_bucket_owner: account,
        // CloudFront and its certificate live in the main region's stack only (us-east-1).
        login_page_domain: config
            .login_page
            .domain
            .as_ref()
            .filter(|_| region == regions.main()),
    };
    let stack_name = config.aws.stack_name.as_str();
    on_progress(Progress::Step(if regions.others().is_empty() {
        format!(
            "Stack {stack_name}: deploying with skill {}",
            skill_id.as_str()
        )
    } else {
        format!(
            "Stack {stack_name} in {}: deploying with skill {}",
            region.as_str(),
            skill_id.as_str()
        )
    }));
    Ok(
        crate::stack::deploy(&aws.s3, &aws.cloudformation, &deployment, &mut |event| {
            on_progress(Progress::StackEvent(event))
        })
        .await?,
    )
}

/// Upload URL, upload, import, and polls until the import ends; a failed import is an error
/// with SMAPI's messages.
async fn import(
    smapi: &SmapiClient,
    target: &ImportTarget,
    zip: Vec<u8>,
    request: &DeployRequest<'_>,
    on_status: &mut dyn FnMut(&ImportStatus) -> Result<(), StateError>,
    on_progress: &mut dyn FnMut(Progress<'_>),
) -> Result<ImportStatus, DeployError> {
    let upload_url = smapi
        .create_upload()
        .await
        .map_err(smapi_error("creating an upload URL for the skill package"))?;
    smapi
        .upload_package(&upload_url, zip)
        .await
        .map_err(smapi_error("uploading the skill package"))?;
    let import_id = smapi
        .import_package(target, &upload_url)
        .await
        .map_err(smapi_error("importing the skill package"))?;
    on_progress(Progress::Step(format!("  import {import_id} started")));
    for _ in 0..request.polling.max_polls {
        let status = smapi
            .import_status(&import_id)
            .await
            .map_err(smapi_error("reading the import status"))?;
        on_status(&status)?;
        for warning in &status.warnings {
            on_progress(Progress::Step(format!("  warning: {}", warning.message)));
        }
        match status.status.as_str() {
            "IN_PROGRESS" | "ROLLBACK_IN_PROGRESS" => {
                tokio::time::sleep(request.polling.interval).await;
            }
            "SUCCEEDED" => return Ok(status),
            // Only interaction-model builds failed: the package was taken, and the build
            // status says per locale what Amazon found (reported by `wait_for_builds`).
            "FAILED" if only_builds_failed(&status) => return Ok(status),
            _ => {
                let mut errors: Vec<String> = status
                    .errors
                    .iter()
                    .map(|error| error.message.clone())
                    .collect();
                for resource in status.skill.iter().flat_map(|skill| &skill.resources) {
                    for error in &resource.errors {
                        let message = format!("{}: {}", resource.name, error.message);
                        if !errors.iter().any(|known| message.ends_with(known.as_str())) {
                            errors.push(message);
                        }
                    }
                }
                if errors.is_empty() {
                    errors.push(format!("the import ended {}", status.status));
                }
                return Err(DeployError::ImportFailed {
                    errors,
                    package: request.config.skill.skill_package.clone(),
                });
            }
        }
    }
    Err(still_in_progress(format!("import {import_id}"), request))
}

/// The skill an import names, once SMAPI has assigned it.
fn new_skill_id(status: &ImportStatus) -> Option<SkillId> {
    status
        .skill
        .as_ref()
        .and_then(|skill| skill.skill_id.as_deref())
        .and_then(|id| SkillId::parse(id).ok())
}

/// The skill this deploy is for: `[skill] skill_id` if set, else the state file's, else the
/// one the main region's stack serves (a fresh clone or a lost state file). `None` only when
/// there is neither state nor stack, and deploy may create the skill.
async fn known_skill_id(
    aws: &AwsClients,
    request: &DeployRequest<'_>,
    state: &DeployState,
    on_progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Option<SkillId>, DeployError> {
    let config = request.config;
    if let Some(skill_id) = &config.skill.skill_id {
        return Ok(Some(skill_id.clone()));
    }
    let stack = config.aws.stack_name.as_str();
    let state_skill_id = state
        .skill_id
        .as_deref()
        .and_then(|id| SkillId::parse(id).ok());
    let stack_skill_id = match crate::stack::deployed_skill_id(&aws.cloudformation, stack).await? {
        None => None,
        Some(value) => Some(
            SkillId::parse(&value).map_err(|_| DeployError::BadStackSkillId {
                stack: stack.to_owned(),
                value,
                config_path: config.path.clone(),
            })?,
        ),
    };
    match (state_skill_id, stack_skill_id) {
        (Some(state_skill_id), Some(stack_skill_id)) if state_skill_id != stack_skill_id => {
            Err(DeployError::SkillMismatch {
                state_path: request.state_path.clone(),
                config_path: config.path.clone(),
                stack: stack.to_owned(),
                state_skill_id: state_skill_id.as_str().to_owned(),
                stack_skill_id: stack_skill_id.as_str().to_owned(),
            })
        }
        (Some(skill_id), _) => Ok(Some(skill_id)),
        (None, Some(skill_id)) => {
            on_progress(Progress::Step(format!(
                "Skill: {} (no deploy state; stack {stack} serves it)",
                skill_id.as_str()
            )));
            Ok(Some(skill_id))
        }
        (None, None) => Ok(None),
    }
}

fn only_builds_failed(status: &ImportStatus) -> bool {
    let failed: Vec<_> = status
        .skill
        .iter()
        .flat_map(|skill| &skill.resources)
        .filter(|resource| resource.status.as_deref() == Some("FAILED"))
        .collect();
    status.errors.is_empty()
        && !failed.is_empty()
        && failed
            .iter()
            .all(|resource| resource.name.starts_with("InteractionModel."))
}

/// Polls the skill's status until no locale's interaction-model build is in progress; each
/// failed locale is reported with Amazon's messages.
async fn wait_for_builds(
    smapi: &SmapiClient,
    skill_id: &SkillId,
    request: &DeployRequest<'_>,
    on_progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), DeployError> {
    let locales = request.skill_package.locales();
    for _ in 0..request.polling.max_polls {
        let builds = smapi
            .interaction_model_status(skill_id)
            .await
            .map_err(smapi_error("reading the interaction model build status"))?;
        let pending: Vec<&str> = locales
            .iter()
            .copied()
            .filter(|locale| {
                builds
                    .get(*locale)
                    .is_none_or(|build| build.status == "IN_PROGRESS")
            })
            .collect();
        if !pending.is_empty() {
            tokio::time::sleep(request.polling.interval).await;
            continue;
        }
        let failures: Vec<String> = locales
            .iter()
            .filter_map(|locale| {
                let build = &builds[*locale];
                (build.status != "SUCCEEDED").then(|| {
                    let messages: Vec<&str> = build
                        .errors
                        .iter()
                        .map(|error| error.message.as_str())
                        .collect();
                    format!("{locale} ({}): {}", build.status, messages.join(", "))
                })
            })
            .collect();
        if !failures.is_empty() {
            return Err(DeployError::BuildFailed { failures });
        }
        on_progress(Progress::Step(format!(
            "  interaction models built: {}",
            locales.join(", ")
        )));
        return Ok(());
    }
    Err(still_in_progress(
        "the interaction model build".to_owned(),
        request,
    ))
}

fn still_in_progress(what: String, request: &DeployRequest<'_>) -> DeployError {
    DeployError::StillInProgress {
        what,
        seconds: (request.polling.interval * request.polling.max_polls).as_secs(),
    }
}

/// SHA-256 of the stage and the exact account-linking body (secret included), as kept in the
/// deploy state.
pub fn account_linking_fingerprint(config: &Config, body: &smapi::AccountLinkingBody) -> String {
    let body = serde_json::to_vec(body).expect("the account-linking body serializes");
    sha256_hex(&[config.skill.stage.as_str().as_bytes(), b"\n", &body].concat())
}

/// The body deploy sends for account linking: the login page as Alexa's authorization URL.
pub fn account_linking_body(
    config: &Config,
    client_secret: &ClientSecret,
) -> smapi::AccountLinkingBody {
    smapi::account_linking_body(
        config,
        &config.login_page_url(None),
        ClientSecretField::Secret(client_secret.clone()),
    )
}

/// The developer console page of the skill.
pub fn console_url(skill_id: &SkillId) -> String {
    format!(
        "https://developer.amazon.com/alexa/console/ask/build/custom/{}/development/en_US/dashboard",
        skill_id.as_str()
    )
}

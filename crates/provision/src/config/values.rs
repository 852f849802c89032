//! The checked value types of the configuration: each newtype holds only values that passed its
//! `parse`, so code that uses a [`super::Config`] never re-checks them.

use super::GOOGLE_CLIENT_ID_SUFFIX;

/// A cargo package or target name: letters, digits, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoName(String);

impl CargoName {
    pub fn parse(name: &str) -> Result<Self, String> {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if valid {
            Ok(Self(name.to_owned()))
        } else {
            Err(format!(
                "{name:?} is not a cargo package or binary name (letters, digits, - and _)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A skill stage SMAPI accepts for account linking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Development,
    Live,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Development => "development",
            Stage::Live => "live",
        }
    }
}

/// How Alexa sends the Google client credentials to the token URL; Google accepts both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessTokenScheme {
    HttpBasic,
    RequestBodyCredentials,
}

impl AccessTokenScheme {
    /// The SMAPI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessTokenScheme::HttpBasic => "HTTP_BASIC",
            AccessTokenScheme::RequestBodyCredentials => "REQUEST_BODY_CREDENTIALS",
        }
    }
}

/// A Google OAuth client ID: `<something>.apps.googleusercontent.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoogleClientId(String);

impl GoogleClientId {
    pub fn parse(client_id: &str) -> Result<Self, String> {
        let prefix = client_id
            .strip_suffix(GOOGLE_CLIENT_ID_SUFFIX)
            .ok_or_else(|| format!("{client_id:?} does not end with {GOOGLE_CLIENT_ID_SUFFIX}"))?;
        let valid_prefix = !prefix.is_empty()
            && prefix
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if valid_prefix {
            Ok(Self(client_id.to_owned()))
        } else {
            Err(format!(
                "{client_id:?} has characters other than letters, digits and hyphens before \
                 {GOOGLE_CLIENT_ID_SUFFIX}"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An S3 bucket name that follows S3's naming rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketName(String);

impl BucketName {
    pub fn parse(bucket: &str) -> Result<Self, String> {
        crate::login_page::validate_bucket_name(bucket)
            .map(|()| Self(bucket.to_owned()))
            .map_err(|error| error.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An AWS region code like `us-east-1` or `us-gov-west-1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRegion(String);

impl AwsRegion {
    pub fn parse(region: &str) -> Result<Self, String> {
        let parts: Vec<&str> = region.split('-').collect();
        let shaped = parts.len() >= 3
            && parts[..parts.len() - 1]
                .iter()
                .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_lowercase()))
            && parts[parts.len() - 1]
                .bytes()
                .all(|byte| byte.is_ascii_digit())
            && !parts[parts.len() - 1].is_empty();
        if shaped {
            Ok(Self(region.to_owned()))
        } else {
            Err(format!("{region:?} is not an AWS region code"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An Alexa endpoint region of the skill manifest (`apis.custom.regions`): Alexa sends a
/// request to the endpoint of the user's region, or to the default endpoint without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlexaRegion {
    /// North America.
    Na,
    /// Europe and India.
    Eu,
    /// Far East.
    Fe,
}

/// The AWS region Amazon advises for each Alexa region (docs/deploy.md, "Regions").
pub const ALEXA_AWS_REGIONS: [(AlexaRegion, &str); 3] = [
    (AlexaRegion::Na, "us-east-1"),
    (AlexaRegion::Eu, "eu-west-1"),
    (AlexaRegion::Fe, "us-west-2"),
];

impl AlexaRegion {
    /// The manifest's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AlexaRegion::Na => "NA",
            AlexaRegion::Eu => "EU",
            AlexaRegion::Fe => "FE",
        }
    }

    /// The Alexa region an AWS region serves, for the three regions Amazon advises.
    pub fn for_aws_region(region: &AwsRegion) -> Option<AlexaRegion> {
        ALEXA_AWS_REGIONS
            .iter()
            .find(|(_, aws)| *aws == region.as_str())
            .map(|(alexa, _)| *alexa)
    }
}

/// The regions with a stack: at least one, no repeats, and, when there are several, each one
/// of [`ALEXA_AWS_REGIONS`] so that it has an Alexa region to serve. The first is the main one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRegions {
    main: AwsRegion,
    others: Vec<(AwsRegion, AlexaRegion)>,
}

impl AwsRegions {
    /// The one region of a single-region deploy: any AWS region.
    pub fn single(region: AwsRegion) -> Self {
        Self {
            main: region,
            others: Vec::new(),
        }
    }

    /// Several regions, `regions[0]` the main one.
    pub fn parse(regions: &[String]) -> Result<Self, String> {
        let parsed = regions
            .iter()
            .map(|region| AwsRegion::parse(region))
            .collect::<Result<Vec<_>, _>>()?;
        let Some((main, others)) = parsed.split_first() else {
            return Err("the list is empty".to_owned());
        };
        if others.is_empty() {
            return Ok(Self::single(main.clone()));
        }
        let mut seen = Vec::new();
        for region in &parsed {
            let Some(alexa) = AlexaRegion::for_aws_region(region) else {
                return Err(format!(
                    "{:?} serves no Alexa region: with several regions, list only us-east-1 (NA), eu-west-1 (EU) and us-west-2 (FE)",
                    region.as_str()
                ));
            };
            if seen.contains(&alexa) {
                return Err(format!("{:?} is listed twice", region.as_str()));
            }
            seen.push(alexa);
        }
        Ok(Self {
            main: main.clone(),
            others: others
                .iter()
                .cloned()
                .zip(seen.into_iter().skip(1))
                .collect(),
        })
    }

    /// The first region: the login page's and the default endpoint's.
    pub fn main(&self) -> &AwsRegion {
        &self.main
    }

    /// The regions after the first, each with the Alexa region it serves.
    pub fn others(&self) -> &[(AwsRegion, AlexaRegion)] {
        &self.others
    }

    /// Every region, the main one first.
    pub fn all(&self) -> impl Iterator<Item = &AwsRegion> {
        std::iter::once(&self.main).chain(self.others.iter().map(|(region, _)| region))
    }

    /// The Alexa region of each region when there are several; empty for a single region,
    /// whose function is the default endpoint for every Alexa region.
    pub fn alexa_regions(&self) -> Vec<(AlexaRegion, &AwsRegion)> {
        if self.others.is_empty() {
            return Vec::new();
        }
        self.all()
            .filter_map(|region| AlexaRegion::for_aws_region(region).map(|alexa| (alexa, region)))
            .collect()
    }
}

/// The name of a per-region bucket: `bucket` in the main region, `<bucket>-<region>` elsewhere
/// (bucket names are global, and Lambda reads its code from a bucket of its own region).
pub fn regional_bucket_name(
    bucket: &BucketName,
    regions: &AwsRegions,
    region: &AwsRegion,
) -> String {
    if region == regions.main() {
        bucket.as_str().to_owned()
    } else {
        format!("{}-{}", bucket.as_str(), region.as_str())
    }
}

/// A CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackName(String);

impl StackName {
    pub fn parse(stack_name: &str) -> Result<Self, String> {
        let valid = (1..=128).contains(&stack_name.len())
            && stack_name.starts_with(|character: char| character.is_ascii_alphabetic())
            && stack_name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-');
        if valid {
            Ok(Self(stack_name.to_owned()))
        } else {
            Err(format!(
                "{stack_name:?} is not a CloudFormation stack name (a letter, then letters, \
                 digits and hyphens, at most 128)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

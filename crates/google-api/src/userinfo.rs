//! OpenID Connect userinfo: who linked the account.

use serde::Deserialize;

use crate::endpoints::hosts;
use crate::{ApiRequest, Error, UserClient};

/// The OpenID Connect userinfo claims this crate reads. Google leaves out
/// `email*` without the `email` scope and the names without `profile`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserInfo {
    /// Google's stable user id.
    pub sub: String,
    /// Full display name.
    #[serde(default)]
    pub name: Option<String>,
    /// First name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub family_name: Option<String>,
    /// Primary email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether Google verified `email`.
    #[serde(default)]
    pub email_verified: Option<bool>,
}

impl UserClient<'_> {
    /// `GET /v1/userinfo` on the OpenID Connect host.
    pub async fn userinfo(&self) -> Result<UserInfo, Error> {
        let request =
            ApiRequest::get(hosts::OPENID_CONNECT, "v1/userinfo").operation("oauth2.userinfo.get");
        self.send(&request).await
    }
}

//! OpenID Connect userinfo: who linked the account.

use serde::Deserialize;

use crate::client::Request;
use crate::endpoints::endpoint_url;
use crate::{AccessToken, Client, Deadline, Error};

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

impl Client {
    /// `GET /v1/userinfo` on the OpenID Connect host.
    pub async fn userinfo(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
    ) -> Result<UserInfo, Error> {
        let url = endpoint_url(self.endpoints().openid_connect(), "v1/userinfo");
        self.call(
            access_token,
            deadline,
            Request::get("oauth2.userinfo.get", url),
        )
        .await
    }
}

//! `FACETALLY_WEBHOOK_URLS` and `FACETALLY_WEBHOOK_SECRET`: where alerts are sent and the key
//! that signs them.

use clap::Args;

/// Webhook settings of `serve` and `worker`.
#[derive(Debug, Clone, Default, Args)]
pub struct WebhookArgs {
    /// Comma-separated `http(s)://` URLs every alert is POSTed to (signed, at least once).
    #[arg(long, env = "FACETALLY_WEBHOOK_URLS", value_delimiter = ',', value_parser = parse_url)]
    pub webhook_urls: Vec<String>,
    /// The HMAC-SHA256 key of the `X-Facetally-Signature` header (at least 16 characters);
    /// required when webhook URLs are set.
    #[arg(long, env = "FACETALLY_WEBHOOK_SECRET", value_parser = WebhookSecret::parse)]
    pub webhook_secret: Option<WebhookSecret>,
}

impl WebhookArgs {
    /// The URLs, checked to come with a secret.
    pub fn validated(&self) -> anyhow::Result<Option<(Vec<String>, WebhookSecret)>> {
        match (&self.webhook_secret, self.webhook_urls.is_empty()) {
            (_, true) => Ok(None),
            (Some(secret), false) => Ok(Some((self.webhook_urls.clone(), secret.clone()))),
            (None, false) => anyhow::bail!(
                "FACETALLY_WEBHOOK_SECRET must be set when FACETALLY_WEBHOOK_URLS is: \
                 receivers check every delivery's signature with it"
            ),
        }
    }
}

fn parse_url(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| format!("not a URL ({e}): {raw}"))?;
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Ok(url.to_string()),
        _ => Err(format!(
            "a webhook URL must be http:// or https:// with a host: {raw}"
        )),
    }
}

/// The webhook signing key; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// A key of at least 16 characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.chars().count() < 16 {
            return Err("the webhook secret needs at least 16 characters".into());
        }
        Ok(Self(raw.to_owned()))
    }

    /// The key's bytes, for signing.
    pub fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_http_with_a_host_and_need_a_secret() {
        assert!(parse_url("https://hooks.example.com/x").is_ok());
        assert!(parse_url("ftp://example.com").is_err());
        assert!(parse_url("not a url").is_err());
        assert!(WebhookSecret::parse("short").is_err());
        let args = WebhookArgs {
            webhook_urls: vec!["http://127.0.0.1:9/".into()],
            webhook_secret: None,
        };
        let error = args.validated().unwrap_err().to_string();
        assert!(error.contains("FACETALLY_WEBHOOK_SECRET"), "{error}");
        assert!(WebhookArgs::default().validated().unwrap().is_none());
    }
}

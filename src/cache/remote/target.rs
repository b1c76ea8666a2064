//! Where the remote cache is: a `redis://`, `rediss://` (TLS) or `redis+unix://` URL, with the
//! credentials from the URL or the environment, and a form of it that is safe to print.

use redis::IntoConnectionInfo;

/// The variable a password is read from when the URL has none.
pub const PASSWORD_ENV: &str = "ASTSCAN_CACHE_PASSWORD";
/// The variable a user name is read from when the URL has none.
pub const USERNAME_ENV: &str = "ASTSCAN_CACHE_USERNAME";

/// Why a cache URL cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// Not a URL, or one of another scheme.
    #[error("the remote cache URL {shown} is not a redis://, rediss:// or redis+unix:// URL")]
    Unsupported {
        /// The URL without credentials.
        shown: String,
    },
    /// The client library refused it.
    #[error("the remote cache URL {shown}: {why}")]
    Invalid {
        /// The URL without credentials.
        shown: String,
        /// Why.
        why: String,
    },
}

/// A remote cache server, ready to connect to.
#[derive(Clone)]
pub struct Target {
    /// The connection settings, credentials included.
    pub(super) info: redis::ConnectionInfo,
    /// The URL without user, password or query, for messages.
    shown: String,
    /// The password, so that it can be masked if a library message ever repeats it.
    secret: Option<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Target").field(&self.shown).finish()
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// `url` without credentials, query or fragment (`redis://cache.internal:6379/2`); what is
/// not a URL at all is shown as `<not a URL>`, since it might be a password pasted by mistake.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_password(None);
            let _ = u.set_username("");
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => "<not a URL>".into(),
    }
}

impl Target {
    /// Parses `url`; a user name and password missing from it are taken from
    /// [`USERNAME_ENV`] and [`PASSWORD_ENV`].
    pub fn parse(url: &str) -> Result<Target, TargetError> {
        Target::parse_with(url, |name| std::env::var(name).ok())
    }

    /// [`Target::parse`] with the environment given (tests).
    pub fn parse_with(
        url: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Target, TargetError> {
        let shown = redact(url);
        let Some(parsed) = redis::parse_redis_url(url) else {
            return Err(TargetError::Unsupported { shown });
        };
        if !matches!(parsed.scheme(), "redis" | "rediss" | "redis+unix" | "unix") {
            return Err(TargetError::Unsupported { shown });
        }
        let info = parsed
            .into_connection_info()
            .map_err(|e| TargetError::Invalid {
                shown: shown.clone(),
                why: e.to_string(),
            })?;
        let mut settings = info.redis_settings().clone();
        if settings.password().is_none()
            && let Some(password) = env(PASSWORD_ENV).filter(|p| !p.is_empty())
        {
            settings = settings.set_password(password);
        }
        if settings.username().is_none()
            && let Some(user) = env(USERNAME_ENV).filter(|u| !u.is_empty())
        {
            settings = settings.set_username(user);
        }
        let secret = settings.password().map(str::to_string);
        Ok(Target {
            info: info.set_redis_settings(settings),
            shown,
            secret,
        })
    }

    /// `message` with the password masked, should a library message ever contain it.
    pub fn mask(&self, message: &str) -> String {
        match &self.secret {
            Some(secret) if secret.len() >= 3 => message.replace(secret.as_str(), "***"),
            _ => message.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_never_shown() {
        let t = Target::parse_with("redis://bob:hunter22@cache.internal:6380/2", |_| None).unwrap();
        assert_eq!(t.to_string(), "redis://cache.internal:6380/2");
        assert_eq!(
            format!("{t:?}"),
            "Target(\"redis://cache.internal:6380/2\")"
        );
        assert_eq!(t.info.redis_settings().password(), Some("hunter22"));
        assert_eq!(t.info.redis_settings().username(), Some("bob"));
        assert_eq!(t.info.redis_settings().db(), 2);
        assert_eq!(t.mask("WRONGPASS hunter22"), "WRONGPASS ***");

        let unix =
            Target::parse_with("redis+unix:///run/redis.sock?pass=hunter22", |_| None).unwrap();
        assert_eq!(unix.to_string(), "redis+unix:///run/redis.sock");
        assert_eq!(unix.info.redis_settings().password(), Some("hunter22"));

        let err = Target::parse_with("http://u:hunter22@example.com", |_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("http://example.com/"), "{err}");
        assert!(!err.contains("hunter22"), "{err}");
        let err = Target::parse_with("hunter22", |_| None)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter22"), "{err}");
    }

    #[test]
    fn credentials_missing_from_the_url_come_from_the_environment() {
        let env = |name: &str| match name {
            PASSWORD_ENV => Some("s3cret".to_string()),
            USERNAME_ENV => Some("ci".to_string()),
            _ => None,
        };
        let t = Target::parse_with("rediss://cache.internal", env).unwrap();
        assert_eq!(t.info.redis_settings().password(), Some("s3cret"));
        assert_eq!(t.info.redis_settings().username(), Some("ci"));
        // The URL's own win.
        let t = Target::parse_with("redis://:fromurl@cache.internal", env).unwrap();
        assert_eq!(t.info.redis_settings().password(), Some("fromurl"));
    }
}

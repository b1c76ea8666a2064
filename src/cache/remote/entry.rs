//! The bytes of one remote entry: a version marker, an HMAC-SHA-256 tag under the team key,
//! and the body.
//!
//! ```text
//! "astscan" 0x01 | tag (32 bytes) | body
//! tag = HMAC(team key, "astscan remote entry v1\0" | cache key (32 bytes) | body)
//! ```
//!
//! The tag covers the cache key as well as the body, so a valid entry moved under another key
//! (the result of another file) is refused like a forged one.

use bytes::Bytes;

use crate::cache::Key;
use crate::cache::mac::{EntryMac, TAG_LEN};

/// What every entry of this format starts with; the last byte is the format version.
const MAGIC: &[u8; 8] = b"astscan\x01";
/// Separates tags of remote entries from tags of anything else made under the same key.
const DOMAIN: &[u8] = b"astscan remote entry v1\0";

/// Why an entry was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    /// Shorter than its header.
    #[error("truncated")]
    Truncated,
    /// Written by another format version, or not by astscan at all.
    #[error("of another format version")]
    Version,
    /// The tag does not match: written without the team key, altered, or moved.
    #[error("not authentic")]
    Forged,
}

/// The entry to store for `body` under `key`.
pub fn seal(mac: &EntryMac, key: &Key, body: &[u8]) -> Vec<u8> {
    let tag = mac.tag(&[DOMAIN, key, body]);
    let mut entry = Vec::with_capacity(MAGIC.len() + TAG_LEN + body.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(&tag);
    entry.extend_from_slice(body);
    entry
}

/// The body of `entry` stored under `key`, if it is an entry of this version whose tag checks
/// out under `mac`; `mac: None` (an unauthenticated cache, explicitly asked for) skips the
/// check.
pub fn open(mac: Option<&EntryMac>, key: &Key, entry: Bytes) -> Result<Bytes, Rejected> {
    if entry.len() < MAGIC.len() + TAG_LEN {
        return Err(
            if entry.starts_with(&MAGIC[..entry.len().min(MAGIC.len())]) {
                Rejected::Truncated
            } else {
                Rejected::Version
            },
        );
    }
    if &entry[..MAGIC.len()] != MAGIC {
        return Err(Rejected::Version);
    }
    let tag = &entry[MAGIC.len()..MAGIC.len() + TAG_LEN];
    let body = entry.slice(MAGIC.len() + TAG_LEN..);
    match mac {
        Some(mac) if !mac.verify(&[DOMAIN, key, &body], tag) => Err(Rejected::Forged),
        _ => Ok(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_opens_under_its_key_and_mac_only() {
        let mac = EntryMac::random();
        let entry = Bytes::from(seal(&mac, &[1; 32], b"{\"analyzed\":{}}"));
        assert_eq!(
            open(Some(&mac), &[1; 32], entry.clone()).unwrap(),
            &b"{\"analyzed\":{}}"[..]
        );
        // Another team's key, or the entry moved under another file's key.
        assert_eq!(
            open(Some(&EntryMac::random()), &[1; 32], entry.clone()),
            Err(Rejected::Forged)
        );
        assert_eq!(
            open(Some(&mac), &[2; 32], entry.clone()),
            Err(Rejected::Forged)
        );
        // One byte of the body changed.
        let mut altered = entry.to_vec();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(
            open(Some(&mac), &[1; 32], Bytes::from(altered)),
            Err(Rejected::Forged)
        );
        // Cut anywhere: in the body, in the tag, in the marker.
        for len in [entry.len() - 1, 20, 3, 0] {
            let cut = entry.slice(..len);
            let expected = if len >= MAGIC.len() + TAG_LEN {
                Rejected::Forged
            } else {
                Rejected::Truncated
            };
            assert_eq!(open(Some(&mac), &[1; 32], cut), Err(expected), "{len}");
        }
        // Another version, or not an entry at all.
        let mut v2 = entry.to_vec();
        v2[MAGIC.len() - 1] = 2;
        assert_eq!(
            open(Some(&mac), &[1; 32], Bytes::from(v2)),
            Err(Rejected::Version)
        );
        assert_eq!(
            open(Some(&mac), &[1; 32], Bytes::from(vec![b'x'; 100])),
            Err(Rejected::Version)
        );
        // Without a key only the format is checked.
        let forged = Bytes::from(seal(&EntryMac::random(), &[1; 32], b"forged"));
        assert_eq!(open(None, &[1; 32], forged).unwrap(), &b"forged"[..]);
    }
}

//! Sealed envelopes: authenticated encryption of source-file bytes passed
//! between astscan processes.
//!
//! This module owns the envelope format (version 1), the keys it uses, and
//! every check made before opened bytes are handed back. It works on byte
//! slices only: reading files, framing envelopes on pipes and naming files
//! in messages are the caller's business.
//!
//! # The one decision to know
//!
//! An envelope is AES-256-GCM in the STREAM construction (as in age and
//! Tink): the plaintext is cut into fixed 1 MiB chunks, each sealed on its
//! own with a nonce built from its position, and the key is derived per file:
//!
//! * **Per-file key.** `HKDF-SHA-256(salt = header salt, IKM = session key,
//!   info = "astscan envelope v1" || SHA-256(header))` gives a 32-byte AES
//!   key and a 7-byte nonce prefix. The salt and file id are fresh random
//!   values in every header, so no two files share a key, and any change to
//!   the header (length, hash, ids, ...) yields a different key.
//! * **Nonce** = prefix (7) || chunk index (u32 BE) || last-chunk flag (1).
//!   Nonces are never random and never reused: within a file the index makes
//!   them distinct, across files the key differs. The flag makes a chunk
//!   sealed as "not last" fail if presented as the last one, so a stream
//!   cannot be cut at a chunk boundary even apart from the length check.
//! * **AAD** of every chunk is SHA-256(header), so each chunk is bound to its
//!   header (and a chunk spliced in from another file fails).
//!
//! Opening releases nothing until the whole envelope has been verified; see
//! [`Opener::open`] for the full list of checks. `parsers/PROTOCOL.md`
//! specifies the byte layout and carries a known-answer vector.
//!
//! The header carries the plaintext length and its SHA-256 in the clear: an
//! observer of the envelope learns the file size and can confirm a guess of
//! the whole file's content. Only confidentiality of content that cannot be
//! guessed is provided.

use std::collections::HashSet;
use std::fmt;

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::inout::InOutBuf;
use aes_gcm::aead::{AeadInOut, Key, KeyInit, Nonce, Tag};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// First four bytes of every envelope.
pub const MAGIC: [u8; 4] = *b"ASEV";
/// The format version this module writes and the only one it reads.
pub const VERSION: u8 = 1;
/// Plaintext bytes per chunk; fixed by the version (every chunk but the last
/// holds exactly this many).
pub const CHUNK_LEN: usize = 1 << 20;
/// AES-GCM tag bytes following each chunk's ciphertext.
pub const TAG_LEN: usize = 16;
/// Size of the fixed header in bytes.
pub const HEADER_LEN: usize = 113;
/// Largest plaintext an envelope can carry: `u32::MAX` full chunks.
pub const MAX_PLAINTEXT_LEN: u64 = u32::MAX as u64 * CHUNK_LEN as u64;
/// Bytes of a [`SessionKey`].
pub const SESSION_KEY_LEN: usize = 32;
/// Bytes of the secret part of a [`FileKey`] (AES key and nonce prefix).
const FILE_SECRET_LEN: usize = AES_KEY_LEN + NONCE_PREFIX_LEN;
/// Bytes of a [`FileKey`]'s transport form: AES key (32) || nonce prefix (7)
/// || SHA-256 of the header it was derived for (32).
pub const FILE_KEY_LEN: usize = FILE_SECRET_LEN + DIGEST_LEN;
/// HKDF info label; the header digest follows it.
pub const HKDF_LABEL: &[u8] = b"astscan envelope v1";

const AES_KEY_LEN: usize = 32;
const NONCE_PREFIX_LEN: usize = 7;
const DIGEST_LEN: usize = 32;
const ID_LEN: usize = 16;
const SALT_LEN: usize = 32;

// Header field offsets (see parsers/PROTOCOL.md, "Sealed envelope").
const OFF_VERSION: usize = 4;
const OFF_SESSION_ID: usize = 5;
const OFF_FILE_ID: usize = 21;
const OFF_PLAINTEXT_LEN: usize = 37;
const OFF_CHUNK_COUNT: usize = 45;
const OFF_PLAINTEXT_SHA256: usize = 49;
const OFF_SALT: usize = 81;
const _: () = assert!(OFF_SALT + SALT_LEN == HEADER_LEN);

/// Number of chunks for a plaintext of `plaintext_len` bytes:
/// `max(1, ceil(plaintext_len / CHUNK_LEN))`. An empty plaintext is one
/// empty last chunk, so the last-chunk flag is always present.
pub const fn chunk_count(plaintext_len: u64) -> u64 {
    if plaintext_len == 0 {
        1
    } else {
        plaintext_len.div_ceil(CHUNK_LEN as u64)
    }
}

/// Exact envelope size for a plaintext of `plaintext_len` bytes: header plus
/// plaintext plus one tag per chunk. Lets a caller bound frame sizes before
/// reading. Saturates at `u64::MAX` far above [`MAX_PLAINTEXT_LEN`].
pub const fn sealed_len(plaintext_len: u64) -> u64 {
    (HEADER_LEN as u64)
        .saturating_add(plaintext_len)
        .saturating_add(TAG_LEN as u64 * chunk_count(plaintext_len))
}

/// Why sealing failed. Never contains key or plaintext bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// The operating system's random number generator failed.
    #[error("operating system random number generator failed: {0}")]
    Random(getrandom::Error),
    /// The plaintext is larger than one envelope can carry (or than this
    /// platform can address once sealed).
    #[error("plaintext too large to seal ({len} bytes, limit {max})")]
    TooLarge {
        /// Plaintext length in bytes.
        len: u64,
        /// The limit in bytes.
        max: u64,
    },
    /// AES-GCM refused a chunk. Chunks are far below its limits, so this
    /// indicates a bug rather than bad input.
    #[error("AES-GCM refused to encrypt a chunk (internal error)")]
    Cipher,
}

/// Why opening failed. Chunk numbers are 1-based (chunk 1 is the first).
/// Never contains key or plaintext bytes; callers add which file it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// Fewer than [`HEADER_LEN`] bytes.
    #[error("truncated envelope (header)")]
    TruncatedHeader,
    /// The first four bytes are not [`MAGIC`].
    #[error("bad magic")]
    BadMagic,
    /// The version byte is not [`VERSION`].
    #[error("unsupported envelope version {0}")]
    UnsupportedVersion(u8),
    /// The chunk count does not match the plaintext length.
    #[error(
        "inconsistent header (chunk count {chunk_count} for plaintext length {plaintext_len}, \
         expected {expected})"
    )]
    InconsistentHeader {
        /// Plaintext length claimed by the header.
        plaintext_len: u64,
        /// Chunk count claimed by the header.
        chunk_count: u32,
        /// Chunk count that length requires.
        expected: u64,
    },
    /// The header names a session other than the opener's.
    #[error("envelope is for another session")]
    WrongSession,
    /// This opener already opened an envelope with this file id.
    #[error("replayed file id")]
    Replayed,
    /// The opener has opened as many files as its replay set may hold.
    #[error("too many files opened in this session (limit {0})")]
    ReplayLimit(usize),
    /// The [`FileKey`] was derived for a different header.
    #[error("file key is for another envelope")]
    WrongFileKey,
    /// The envelope ends before chunk `chunk` (1-based) is complete.
    #[error("truncated envelope: chunk {chunk} of {count} missing or short (1-based)")]
    TruncatedChunk {
        /// 1-based number of the first incomplete chunk.
        chunk: u32,
        /// Chunk count from the header.
        count: u32,
    },
    /// Chunk `chunk` (1-based) failed authentication: its bytes, its
    /// position, the header or the key are not what was sealed.
    #[error("tampered chunk {chunk} of {count} (1-based)")]
    TamperedChunk {
        /// 1-based number of the chunk that failed.
        chunk: u32,
        /// Chunk count from the header.
        count: u32,
    },
    /// Bytes follow the last chunk.
    #[error("data after the last chunk")]
    TrailingData,
    /// The decrypted length differs from the header's. Chunk sizes are
    /// derived from the header, so this is a defence in depth that should
    /// never trigger.
    #[error("length mismatch (decrypted {actual} bytes, header says {expected})")]
    LengthMismatch {
        /// Bytes decrypted.
        actual: u64,
        /// Plaintext length from the header.
        expected: u64,
    },
    /// SHA-256 of the decrypted bytes differs from the header's.
    #[error("plaintext hash mismatch")]
    HashMismatch,
}

/// The 32-byte secret shared by the processes of one scan. Wiped on drop;
/// `Debug` prints `SessionKey(<redacted>)` and there is no `Display`.
///
/// Kept on the heap so that moving the value does not leave copies of the
/// key in old stack frames.
pub struct SessionKey(Box<[u8; SESSION_KEY_LEN]>);

impl SessionKey {
    /// A fresh key from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, SealError> {
        let mut key = Box::new([0u8; SESSION_KEY_LEN]);
        getrandom::fill(&mut key[..]).map_err(SealError::Random)?;
        Ok(Self(key))
    }

    /// Wraps key bytes received from elsewhere (e.g. a worker's stdin). The
    /// copy passed in by value is wiped; the caller's own copy is not.
    pub fn from_bytes(bytes: [u8; SESSION_KEY_LEN]) -> Self {
        let mut bytes = bytes;
        let key = Box::new(bytes);
        bytes.zeroize();
        Self(key)
    }

    /// The raw key, for handing it to a worker process. Do not log it.
    pub fn expose_secret(&self) -> &[u8; SESSION_KEY_LEN] {
        &self.0
    }
}

impl Clone for SessionKey {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(<redacted>)")
    }
}

impl Zeroize for SessionKey {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl Drop for SessionKey {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for SessionKey {}

/// Identifies one scan's session; written into every header so an envelope
/// is refused by the openers of other sessions. Not secret.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId([u8; ID_LEN]);

impl SessionId {
    /// A fresh random id.
    pub fn generate() -> Result<Self, SealError> {
        let mut id = [0u8; ID_LEN];
        getrandom::fill(&mut id).map_err(SealError::Random)?;
        Ok(Self(id))
    }

    /// Wraps id bytes received from elsewhere.
    pub const fn from_bytes(bytes: [u8; ID_LEN]) -> Self {
        Self(bytes)
    }

    /// The raw id bytes.
    pub const fn as_bytes(&self) -> &[u8; ID_LEN] {
        &self.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({self})")
    }
}

fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

/// A parsed, structurally valid header. Parsing does not authenticate it:
/// the header is only trusted once every chunk, whose key and AAD depend on
/// all of its bytes, has verified.
#[derive(Clone, PartialEq, Eq)]
pub struct Header {
    bytes: [u8; HEADER_LEN],
    digest: [u8; DIGEST_LEN],
    plaintext_len: u64,
    chunk_count: u32,
}

impl Header {
    /// Parses the header at the start of `envelope` (extra bytes after the
    /// header are ignored) and checks magic, version and that the chunk count
    /// matches the plaintext length.
    pub fn parse(envelope: &[u8]) -> Result<Self, OpenError> {
        let bytes: [u8; HEADER_LEN] = envelope
            .get(..HEADER_LEN)
            .and_then(|b| b.try_into().ok())
            .ok_or(OpenError::TruncatedHeader)?;
        if bytes[..OFF_VERSION] != MAGIC {
            return Err(OpenError::BadMagic);
        }
        if bytes[OFF_VERSION] != VERSION {
            return Err(OpenError::UnsupportedVersion(bytes[OFF_VERSION]));
        }
        let plaintext_len = u64::from_be_bytes(field(&bytes, OFF_PLAINTEXT_LEN));
        let chunk_count = u32::from_be_bytes(field(&bytes, OFF_CHUNK_COUNT));
        // Also rejects lengths above MAX_PLAINTEXT_LEN, whose chunk count
        // does not fit in a u32.
        let expected = self::chunk_count(plaintext_len);
        if u64::from(chunk_count) != expected {
            return Err(OpenError::InconsistentHeader {
                plaintext_len,
                chunk_count,
                expected,
            });
        }
        Ok(Self::from_valid_bytes(bytes, plaintext_len, chunk_count))
    }

    fn new(
        session_id: SessionId,
        file_id: [u8; ID_LEN],
        plaintext_len: u64,
        chunk_count: u32,
        plaintext_sha256: [u8; DIGEST_LEN],
        salt: [u8; SALT_LEN],
    ) -> Self {
        let mut bytes = [0u8; HEADER_LEN];
        bytes[..OFF_VERSION].copy_from_slice(&MAGIC);
        bytes[OFF_VERSION] = VERSION;
        bytes[OFF_SESSION_ID..OFF_FILE_ID].copy_from_slice(session_id.as_bytes());
        bytes[OFF_FILE_ID..OFF_PLAINTEXT_LEN].copy_from_slice(&file_id);
        bytes[OFF_PLAINTEXT_LEN..OFF_CHUNK_COUNT].copy_from_slice(&plaintext_len.to_be_bytes());
        bytes[OFF_CHUNK_COUNT..OFF_PLAINTEXT_SHA256].copy_from_slice(&chunk_count.to_be_bytes());
        bytes[OFF_PLAINTEXT_SHA256..OFF_SALT].copy_from_slice(&plaintext_sha256);
        bytes[OFF_SALT..].copy_from_slice(&salt);
        Self::from_valid_bytes(bytes, plaintext_len, chunk_count)
    }

    fn from_valid_bytes(bytes: [u8; HEADER_LEN], plaintext_len: u64, chunk_count: u32) -> Self {
        Self {
            digest: Sha256::digest(bytes).into(),
            bytes,
            plaintext_len,
            chunk_count,
        }
    }

    /// The header exactly as it appears at the start of the envelope.
    pub const fn as_bytes(&self) -> &[u8; HEADER_LEN] {
        &self.bytes
    }

    /// SHA-256 of the header bytes: the AAD of every chunk and part of the
    /// HKDF info.
    pub const fn digest(&self) -> &[u8; DIGEST_LEN] {
        &self.digest
    }

    /// The session the envelope was sealed for.
    pub fn session_id(&self) -> SessionId {
        SessionId(field(&self.bytes, OFF_SESSION_ID))
    }

    /// The random per-envelope id used for replay detection.
    pub fn file_id(&self) -> [u8; ID_LEN] {
        field(&self.bytes, OFF_FILE_ID)
    }

    /// Plaintext length in bytes.
    pub const fn plaintext_len(&self) -> u64 {
        self.plaintext_len
    }

    /// Number of chunks.
    pub const fn chunk_count(&self) -> u32 {
        self.chunk_count
    }

    /// SHA-256 of the plaintext, as claimed by the sealer.
    pub fn plaintext_sha256(&self) -> [u8; DIGEST_LEN] {
        field(&self.bytes, OFF_PLAINTEXT_SHA256)
    }

    /// The random HKDF salt.
    pub fn salt(&self) -> [u8; SALT_LEN] {
        field(&self.bytes, OFF_SALT)
    }

    /// Exact size of the envelope this header describes.
    pub const fn sealed_len(&self) -> u64 {
        sealed_len(self.plaintext_len)
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Hex<'a>(&'a [u8]);
        impl fmt::Debug for Hex<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_hex(f, self.0)
            }
        }
        f.debug_struct("Header")
            .field("session_id", &self.session_id())
            .field("file_id", &Hex(&self.file_id()))
            .field("plaintext_len", &self.plaintext_len)
            .field("chunk_count", &self.chunk_count)
            .field("plaintext_sha256", &Hex(&self.plaintext_sha256()))
            .field("salt", &Hex(&self.salt()))
            .finish()
    }
}

/// Copies the `N`-byte field at `offset` of a header.
fn field<const N: usize>(bytes: &[u8; HEADER_LEN], offset: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[offset..offset + N]);
    out
}

/// The key material for one envelope: AES-256 key and nonce prefix, plus the
/// digest of the header they were derived for. Lets a worker open exactly
/// that envelope without holding the session key. Wiped on drop; `Debug`
/// prints `FileKey(<redacted>)`.
pub struct FileKey(Box<[u8; FILE_KEY_LEN]>);

impl FileKey {
    /// Derives the key for `header` from the session key:
    /// `HKDF-SHA-256(salt = header.salt(), IKM = session key,
    /// info = HKDF_LABEL || header.digest())`, 39 bytes = AES key (32) ||
    /// nonce prefix (7).
    ///
    /// Does not check the header's session id: use [`Sealer::file_key`] for
    /// that.
    pub fn derive(session_key: &SessionKey, header: &Header) -> Self {
        let (mut prk, hkdf) =
            Hkdf::<Sha256>::extract(Some(&header.salt()), session_key.expose_secret());
        prk.as_mut_slice().zeroize();
        let mut key = Box::new([0u8; FILE_KEY_LEN]);
        hkdf.expand_multi_info(&[HKDF_LABEL, header.digest()], &mut key[..FILE_SECRET_LEN])
            .expect("39 bytes is within HKDF-SHA-256's output limit");
        key[FILE_SECRET_LEN..].copy_from_slice(header.digest());
        Self(key)
    }

    /// Rebuilds a key from its transport form (see [`FILE_KEY_LEN`]). The
    /// copy passed in by value is wiped; the caller's own copy is not.
    pub fn from_bytes(bytes: [u8; FILE_KEY_LEN]) -> Self {
        let mut bytes = bytes;
        let key = Box::new(bytes);
        bytes.zeroize();
        Self(key)
    }

    /// The transport form, for sending to a worker. Do not log it.
    pub fn expose_secret(&self) -> &[u8; FILE_KEY_LEN] {
        &self.0
    }

    /// SHA-256 of the header this key belongs to.
    pub fn header_digest(&self) -> [u8; DIGEST_LEN] {
        let mut out = [0u8; DIGEST_LEN];
        out.copy_from_slice(&self.0[FILE_SECRET_LEN..]);
        out
    }

    fn nonce_prefix(&self) -> &[u8] {
        &self.0[AES_KEY_LEN..FILE_SECRET_LEN]
    }

    fn cipher(&self) -> Aes256Gcm {
        // A borrowed view, so no unwiped copy of the key is made here.
        let key: &Key<Aes256Gcm> = self.0[..AES_KEY_LEN]
            .try_into()
            .expect("AES-256 key is 32 bytes");
        Aes256Gcm::new(key)
    }
}

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FileKey(<redacted>)")
    }
}

impl Zeroize for FileKey {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl Drop for FileKey {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for FileKey {}

/// Nonce of chunk `index` (0-based): prefix (7) || index (u32 BE) || flag,
/// flag 0x01 on the last chunk and 0x00 otherwise.
fn chunk_nonce(prefix: &[u8], index: u32, last: bool) -> Nonce<Aes256Gcm> {
    let mut nonce = [0u8; 12];
    nonce[..NONCE_PREFIX_LEN].copy_from_slice(prefix);
    nonce[NONCE_PREFIX_LEN..11].copy_from_slice(&index.to_be_bytes());
    nonce[11] = u8::from(last);
    nonce.into()
}

/// Plaintext byte range of chunk `index` (0-based) in a file of `len` bytes.
fn chunk_range(index: u32, len: usize) -> std::ops::Range<usize> {
    let start = (index as usize).saturating_mul(CHUNK_LEN).min(len);
    start..start.saturating_add(CHUNK_LEN).min(len)
}

/// Seals plaintexts for one session.
pub struct Sealer {
    session_id: SessionId,
    key: SessionKey,
}

impl Sealer {
    /// A sealer for the session `session_id` keyed with `key`.
    pub fn new(session_id: SessionId, key: SessionKey) -> Self {
        Self { session_id, key }
    }

    /// The session this sealer writes into headers.
    pub fn session_id(&self) -> SessionId {
        self.session_id
    }

    /// The session key, for handing to a worker over its private pipe. Do not log it.
    pub fn session_key(&self) -> &SessionKey {
        &self.key
    }

    /// Seals `plaintext` into a new envelope with a fresh random file id and
    /// salt.
    pub fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut file_id = [0u8; ID_LEN];
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut file_id).map_err(SealError::Random)?;
        getrandom::fill(&mut salt).map_err(SealError::Random)?;
        self.seal_with(plaintext, file_id, salt)
    }

    /// Seals `plaintext` whose SHA-256 the caller has already computed (the scan hashes
    /// every file for its report), saving a second pass over the bytes. A wrong digest is
    /// not a weakness: the opener recomputes it and refuses the envelope.
    pub fn seal_prehashed(&self, plaintext: &[u8], sha256: [u8; 32]) -> Result<Vec<u8>, SealError> {
        let mut file_id = [0u8; ID_LEN];
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut file_id).map_err(SealError::Random)?;
        getrandom::fill(&mut salt).map_err(SealError::Random)?;
        self.seal_parts(plaintext, file_id, salt, sha256)
    }

    /// Seals with a caller-chosen file id and salt. Only for known-answer
    /// tests: reusing a file id or salt defeats replay protection and the
    /// per-file key.
    #[doc(hidden)]
    pub fn seal_with(
        &self,
        plaintext: &[u8],
        file_id: [u8; ID_LEN],
        salt: [u8; SALT_LEN],
    ) -> Result<Vec<u8>, SealError> {
        self.seal_parts(plaintext, file_id, salt, Sha256::digest(plaintext).into())
    }

    /// The per-file key for an envelope of this session, for handing to a
    /// worker that should open that envelope only.
    pub fn file_key(&self, header: &Header) -> Result<FileKey, OpenError> {
        if header.session_id() != self.session_id {
            return Err(OpenError::WrongSession);
        }
        Ok(FileKey::derive(&self.key, header))
    }

    /// Seals with an explicit header hash; tests use it to build a correctly
    /// encrypted envelope whose hash field lies.
    fn seal_parts(
        &self,
        plaintext: &[u8],
        file_id: [u8; ID_LEN],
        salt: [u8; SALT_LEN],
        plaintext_sha256: [u8; DIGEST_LEN],
    ) -> Result<Vec<u8>, SealError> {
        let len = plaintext.len() as u64;
        let total = usize::try_from(sealed_len(len))
            .ok()
            .filter(|_| len <= MAX_PLAINTEXT_LEN)
            .ok_or(SealError::TooLarge {
                len,
                max: MAX_PLAINTEXT_LEN,
            })?;
        let count = u32::try_from(chunk_count(len)).expect("bounded by MAX_PLAINTEXT_LEN");
        let header = Header::new(self.session_id, file_id, len, count, plaintext_sha256, salt);
        let key = FileKey::derive(&self.key, &header);
        let cipher = key.cipher();

        // One zeroed allocation (fresh pages from the allocator for large
        // sizes); each chunk is encrypted straight from `plaintext` into it.
        let mut out = vec![0u8; total];
        out[..HEADER_LEN].copy_from_slice(header.as_bytes());
        let mut rest = &mut out[HEADER_LEN..];
        for index in 0..count {
            let input = &plaintext[chunk_range(index, plaintext.len())];
            let (ciphertext, tail) = rest.split_at_mut(input.len());
            let (tag_out, tail) = tail.split_at_mut(TAG_LEN);
            rest = tail;
            let nonce = chunk_nonce(key.nonce_prefix(), index, index + 1 == count);
            let buf = InOutBuf::new(input, ciphertext).expect("equal lengths by construction");
            let tag = cipher
                .encrypt_inout_detached(&nonce, header.digest(), buf)
                .map_err(|_| SealError::Cipher)?;
            tag_out.copy_from_slice(&tag);
        }
        debug_assert!(rest.is_empty());
        Ok(out)
    }
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("session_id", &self.session_id)
            .field("key", &self.key)
            .finish()
    }
}

/// Opens envelopes of one session and refuses any file id it has already
/// opened.
///
/// The replay set holds one 16-byte id per opened file (up to about 34 bytes
/// each with hash-table overhead) for the opener's lifetime, and is capped at
/// [`Opener::DEFAULT_MAX_FILES`] unless changed with
/// [`Opener::with_max_files`]; past the cap, opening fails closed with
/// [`OpenError::ReplayLimit`] instead of forgetting ids.
pub struct Opener {
    session_id: SessionId,
    key: SessionKey,
    seen: HashSet<[u8; ID_LEN]>,
    max_files: usize,
}

impl Opener {
    /// Default cap on files per opener: 4 Mi files, at most about 140 MiB of
    /// ids.
    pub const DEFAULT_MAX_FILES: usize = 1 << 22;

    /// An opener for the session `session_id` keyed with `key`.
    pub fn new(session_id: SessionId, key: SessionKey) -> Self {
        Self {
            session_id,
            key,
            seen: HashSet::new(),
            max_files: Self::DEFAULT_MAX_FILES,
        }
    }

    /// Sets how many distinct files this opener may open.
    pub fn with_max_files(mut self, max_files: usize) -> Self {
        self.max_files = max_files;
        self
    }

    /// The session this opener accepts.
    pub fn session_id(&self) -> SessionId {
        self.session_id
    }

    /// How many envelopes have been opened (and their ids remembered).
    pub fn opened_count(&self) -> usize {
        self.seen.len()
    }

    /// Verifies and decrypts `envelope`, returning the plaintext only if all
    /// of these hold, checked in this order:
    ///
    /// 1. the header is complete, has [`MAGIC`] and [`VERSION`], and its
    ///    chunk count matches its plaintext length;
    /// 2. its session id is this opener's;
    /// 3. its file id has not been opened by this opener (and the replay set
    ///    is not full);
    /// 4. the envelope is exactly [`sealed_len`] bytes: no chunk missing or
    ///    short, nothing after the last chunk;
    /// 5. every chunk authenticates, in index order, under the per-file key
    ///    with its own nonce and the header digest as AAD;
    /// 6. the decrypted length and SHA-256 equal the header's.
    ///
    /// The file id is remembered only after success, so a forged envelope
    /// cannot burn the id of a genuine one. On failure the partial plaintext
    /// is wiped.
    pub fn open(&mut self, envelope: &[u8]) -> Result<Vec<u8>, OpenError> {
        let header = Header::parse(envelope)?;
        if header.session_id() != self.session_id {
            return Err(OpenError::WrongSession);
        }
        let file_id = header.file_id();
        if self.seen.contains(&file_id) {
            return Err(OpenError::Replayed);
        }
        if self.seen.len() >= self.max_files {
            return Err(OpenError::ReplayLimit(self.max_files));
        }
        let key = FileKey::derive(&self.key, &header);
        let plaintext = open_verified(&key, &header, envelope)?;
        self.seen.insert(file_id);
        Ok(plaintext)
    }
}

impl fmt::Debug for Opener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opener")
            .field("session_id", &self.session_id)
            .field("key", &self.key)
            .field("opened", &self.seen.len())
            .field("max_files", &self.max_files)
            .finish()
    }
}

/// Opens one envelope with the [`FileKey`] derived for its header.
///
/// Makes the checks of [`Opener::open`] except the session and replay checks,
/// which belong to whoever holds the session key and hands out file keys (a
/// worker that must also refuse replays keeps its own set of
/// [`Header::file_id`]s). Fails with [`OpenError::WrongFileKey`] if the key
/// was derived for a different header.
pub fn open_with_file_key(key: &FileKey, envelope: &[u8]) -> Result<Vec<u8>, OpenError> {
    let header = Header::parse(envelope)?;
    // Header digests are public; a plain comparison leaks nothing.
    if key.header_digest() != *header.digest() {
        return Err(OpenError::WrongFileKey);
    }
    open_verified(key, &header, envelope)
}

/// Checks the envelope's size against `header`, then decrypts and verifies
/// every chunk and the plaintext hash. Releases nothing on failure.
fn open_verified(key: &FileKey, header: &Header, envelope: &[u8]) -> Result<Vec<u8>, OpenError> {
    let count = header.chunk_count();
    let expected_len = header.sealed_len();
    let actual_len = envelope.len() as u64;
    if actual_len < expected_len {
        // Every chunk before the first short one is complete.
        let body = actual_len - HEADER_LEN as u64;
        let complete = body / (CHUNK_LEN + TAG_LEN) as u64;
        let chunk = u32::try_from(complete + 1).unwrap_or(u32::MAX).min(count);
        return Err(OpenError::TruncatedChunk { chunk, count });
    }
    if actual_len > expected_len {
        return Err(OpenError::TrailingData);
    }
    // The envelope is in memory and has exactly the expected size, so the
    // plaintext length fits in usize and the allocation is bounded by it.
    let len = usize::try_from(header.plaintext_len()).expect("envelope is larger");

    let cipher = key.cipher();
    let mut plaintext = vec![0u8; len];
    let mut hasher = Sha256::new();
    let mut rest = &envelope[HEADER_LEN..];
    let mut written = 0usize;
    for index in 0..count {
        let out = &mut plaintext[chunk_range(index, len)];
        let (ciphertext, tail) = rest.split_at(out.len());
        let (tag, tail) = tail.split_at(TAG_LEN);
        rest = tail;
        let tag = Tag::<Aes256Gcm>::try_from(tag).expect("tag is 16 bytes");
        let nonce = chunk_nonce(key.nonce_prefix(), index, index + 1 == count);
        let buf = InOutBuf::new(ciphertext, out).expect("equal lengths by construction");
        if cipher
            .decrypt_inout_detached(&nonce, header.digest(), buf, &tag)
            .is_err()
        {
            plaintext.zeroize();
            return Err(OpenError::TamperedChunk {
                chunk: index + 1,
                count,
            });
        }
        // Hash while the chunk is still in cache.
        hasher.update(&*out);
        written += out.len();
    }
    if written as u64 != header.plaintext_len() || !rest.is_empty() {
        plaintext.zeroize();
        return Err(OpenError::LengthMismatch {
            actual: written as u64,
            expected: header.plaintext_len(),
        });
    }
    if <[u8; DIGEST_LEN]>::from(hasher.finalize()) != header.plaintext_sha256() {
        plaintext.zeroize();
        return Err(OpenError::HashMismatch);
    }
    Ok(plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SESSION: [u8; 16] = [0x5e; 16];

    fn test_key() -> SessionKey {
        let mut k = [0u8; 32];
        for (i, b) in k.iter_mut().enumerate() {
            *b = 0x80 | i as u8;
        }
        SessionKey::from_bytes(k)
    }

    fn sealer() -> Sealer {
        Sealer::new(SessionId::from_bytes(SESSION), test_key())
    }

    fn opener() -> Opener {
        Opener::new(SessionId::from_bytes(SESSION), test_key())
    }

    /// Deterministic, non-repeating filler so chunks differ from each other.
    fn data(len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    /// Byte range of chunk `index` (0-based, ciphertext and tag) in an
    /// envelope of a `len`-byte plaintext.
    fn chunk_span(index: u32, len: usize) -> std::ops::Range<usize> {
        let r = chunk_range(index, len);
        let start = HEADER_LEN + index as usize * (CHUNK_LEN + TAG_LEN);
        start..start + r.len() + TAG_LEN
    }

    fn open_fresh(envelope: &[u8]) -> Result<Vec<u8>, OpenError> {
        opener().open(envelope)
    }

    fn flip(envelope: &[u8], at: usize) -> Vec<u8> {
        let mut e = envelope.to_vec();
        e[at] ^= 0x01;
        e
    }

    #[test]
    fn round_trip_boundary_sizes() {
        let sealer = sealer();
        let mut opener = opener();
        for len in [
            0,
            1,
            CHUNK_LEN - 1,
            CHUNK_LEN,
            CHUNK_LEN + 1,
            2 * CHUNK_LEN + 3,
        ] {
            let plaintext = data(len, len as u64);
            let envelope = sealer.seal(&plaintext).unwrap();
            assert_eq!(envelope.len() as u64, sealed_len(len as u64), "len {len}");
            let header = Header::parse(&envelope).unwrap();
            assert_eq!(header.plaintext_len(), len as u64);
            assert_eq!(u64::from(header.chunk_count()), chunk_count(len as u64));
            // The plaintext is encrypted, not copied. (One byte of ciphertext equals its
            // plaintext by chance one time in 256: compare at least 16.)
            if len >= 16 {
                assert_ne!(
                    &envelope[HEADER_LEN..HEADER_LEN + len.min(64)],
                    &plaintext[..len.min(64)]
                );
            }
            assert_eq!(opener.open(&envelope).unwrap(), plaintext, "len {len}");
        }
        assert_eq!(opener.opened_count(), 6);
    }

    #[test]
    fn chunk_count_and_sealed_len() {
        assert_eq!(chunk_count(0), 1);
        assert_eq!(chunk_count(1), 1);
        assert_eq!(chunk_count(CHUNK_LEN as u64), 1);
        assert_eq!(chunk_count(CHUNK_LEN as u64 + 1), 2);
        assert_eq!(sealed_len(0), (HEADER_LEN + TAG_LEN) as u64);
        assert_eq!(
            sealed_len(2 * CHUNK_LEN as u64 + 3),
            (HEADER_LEN + 2 * CHUNK_LEN + 3 + 3 * TAG_LEN) as u64
        );
        assert_eq!(sealed_len(u64::MAX), u64::MAX);
        assert_eq!(chunk_count(MAX_PLAINTEXT_LEN), u64::from(u32::MAX));
    }

    #[test]
    fn header_field_flips_are_rejected() {
        let plaintext = data(CHUNK_LEN + 10, 1);
        let envelope = sealer().seal(&plaintext).unwrap();
        let tampered = OpenError::TamperedChunk { chunk: 1, count: 2 };
        let cases: [(&str, usize, OpenError); 9] = [
            ("magic", 0, OpenError::BadMagic),
            (
                "version",
                OFF_VERSION,
                OpenError::UnsupportedVersion(VERSION ^ 1),
            ),
            ("session id", OFF_SESSION_ID + 3, OpenError::WrongSession),
            ("file id", OFF_FILE_ID + 15, tampered.clone()),
            (
                "chunk count",
                OFF_CHUNK_COUNT + 3,
                OpenError::InconsistentHeader {
                    plaintext_len: CHUNK_LEN as u64 + 10,
                    chunk_count: 3,
                    expected: 2,
                },
            ),
            (
                "length (high byte)",
                OFF_PLAINTEXT_LEN,
                OpenError::InconsistentHeader {
                    plaintext_len: (CHUNK_LEN as u64 + 10) | 1 << 56,
                    chunk_count: 2,
                    expected: ((CHUNK_LEN as u64 + 10) | 1 << 56).div_ceil(CHUNK_LEN as u64),
                },
            ),
            ("plaintext hash", OFF_PLAINTEXT_SHA256 + 7, tampered.clone()),
            ("salt", OFF_SALT, tampered.clone()),
            ("salt (last byte)", HEADER_LEN - 1, tampered.clone()),
        ];
        for (name, at, expected) in cases {
            assert_eq!(open_fresh(&flip(&envelope, at)), Err(expected), "{name}");
        }
        assert_eq!(open_fresh(&envelope).unwrap(), plaintext);
    }

    #[test]
    fn ciphertext_and_tag_flips_are_rejected() {
        let len = 2 * CHUNK_LEN + 3;
        let envelope = sealer().seal(&data(len, 2)).unwrap();
        let second = chunk_span(1, len);
        assert_eq!(
            open_fresh(&flip(&envelope, second.start + 12345)),
            Err(OpenError::TamperedChunk { chunk: 2, count: 3 })
        );
        let first_tag_byte = chunk_span(0, len).end - 1;
        assert_eq!(
            open_fresh(&flip(&envelope, first_tag_byte)),
            Err(OpenError::TamperedChunk { chunk: 1, count: 3 })
        );
        let last_ct_byte = chunk_span(2, len).start;
        assert_eq!(
            open_fresh(&flip(&envelope, last_ct_byte)),
            Err(OpenError::TamperedChunk { chunk: 3, count: 3 })
        );
    }

    #[test]
    fn swapped_chunks_are_rejected() {
        let len = 2 * CHUNK_LEN + 3;
        let envelope = sealer().seal(&data(len, 3)).unwrap();
        let (a, b) = (chunk_span(0, len), chunk_span(1, len));
        let mut swapped = envelope.clone();
        swapped[a.clone()].copy_from_slice(&envelope[b.clone()]);
        swapped[b].copy_from_slice(&envelope[a]);
        assert_eq!(
            open_fresh(&swapped),
            Err(OpenError::TamperedChunk { chunk: 1, count: 3 })
        );
    }

    #[test]
    fn truncation_is_rejected() {
        let len = 2 * CHUNK_LEN + 3;
        let envelope = sealer().seal(&data(len, 4)).unwrap();
        let at_boundary = chunk_span(1, len).end; // last chunk missing
        assert_eq!(
            open_fresh(&envelope[..at_boundary]),
            Err(OpenError::TruncatedChunk { chunk: 3, count: 3 })
        );
        let mid_second = chunk_span(1, len).start + 100;
        assert_eq!(
            open_fresh(&envelope[..mid_second]),
            Err(OpenError::TruncatedChunk { chunk: 2, count: 3 })
        );
        assert_eq!(
            open_fresh(&envelope[..envelope.len() - 1]),
            Err(OpenError::TruncatedChunk { chunk: 3, count: 3 })
        );
        assert_eq!(
            open_fresh(&envelope[..HEADER_LEN]),
            Err(OpenError::TruncatedChunk { chunk: 1, count: 3 })
        );
        assert_eq!(
            open_fresh(&envelope[..HEADER_LEN - 1]),
            Err(OpenError::TruncatedHeader)
        );
        assert_eq!(open_fresh(&[]), Err(OpenError::TruncatedHeader));
    }

    #[test]
    fn truncation_with_rewritten_header_is_rejected() {
        // Cut at a chunk boundary and rewrite length and count so the sizes
        // agree: the header digest changes, so the key and AAD do too.
        let len = 2 * CHUNK_LEN + 3;
        let envelope = sealer().seal(&data(len, 5)).unwrap();
        let mut cut = envelope[..chunk_span(1, len).end].to_vec();
        cut[OFF_PLAINTEXT_LEN..OFF_CHUNK_COUNT]
            .copy_from_slice(&(2 * CHUNK_LEN as u64).to_be_bytes());
        cut[OFF_CHUNK_COUNT..OFF_PLAINTEXT_SHA256].copy_from_slice(&2u32.to_be_bytes());
        assert_eq!(
            open_fresh(&cut),
            Err(OpenError::TamperedChunk { chunk: 1, count: 2 })
        );
    }

    #[test]
    fn appended_data_is_rejected() {
        let len = CHUNK_LEN + 1;
        let envelope = sealer().seal(&data(len, 6)).unwrap();
        let mut one_byte = envelope.clone();
        one_byte.push(0);
        assert_eq!(open_fresh(&one_byte), Err(OpenError::TrailingData));
        let mut extra_chunk = envelope.clone();
        extra_chunk.extend_from_slice(&envelope[chunk_span(0, len)]);
        assert_eq!(open_fresh(&extra_chunk), Err(OpenError::TrailingData));
    }

    #[test]
    fn chunk_spliced_from_another_file_is_rejected() {
        let sealer = sealer();
        let len = CHUNK_LEN + 77;
        let a = sealer.seal(&data(len, 7)).unwrap();
        let b = sealer.seal(&data(len, 8)).unwrap();
        for index in 0..2 {
            let span = chunk_span(index, len);
            let mut spliced = a.clone();
            spliced[span.clone()].copy_from_slice(&b[span]);
            assert_eq!(
                open_fresh(&spliced),
                Err(OpenError::TamperedChunk {
                    chunk: index + 1,
                    count: 2
                })
            );
        }
        // Same plaintext, same index: still another file's key and AAD.
        let plaintext = data(len, 9);
        let c = sealer.seal(&plaintext).unwrap();
        let d = sealer.seal(&plaintext).unwrap();
        let mut spliced = c.clone();
        spliced[chunk_span(1, len)].copy_from_slice(&d[chunk_span(1, len)]);
        assert_eq!(
            open_fresh(&spliced),
            Err(OpenError::TamperedChunk { chunk: 2, count: 2 })
        );
    }

    #[test]
    fn replay_in_same_session_is_rejected() {
        let envelope = sealer().seal(b"fn main() {}").unwrap();
        let mut opener = opener();
        assert_eq!(opener.open(&envelope).unwrap(), b"fn main() {}");
        assert_eq!(opener.open(&envelope), Err(OpenError::Replayed));
        assert_eq!(opener.opened_count(), 1);
    }

    #[test]
    fn failed_open_does_not_burn_the_file_id() {
        let envelope = sealer().seal(&data(100, 10)).unwrap();
        let mut opener = opener();
        let forged = flip(&envelope, HEADER_LEN + 5);
        assert!(matches!(
            opener.open(&forged),
            Err(OpenError::TamperedChunk { .. })
        ));
        assert!(opener.open(&envelope).is_ok());
    }

    #[test]
    fn other_session_is_rejected() {
        let envelope = sealer().seal(b"secret").unwrap();
        let other_id = SessionId::generate().unwrap();
        let mut other = Opener::new(other_id, SessionKey::generate().unwrap());
        assert_eq!(other.open(&envelope), Err(OpenError::WrongSession));
        // Same session id but another key: authentication fails.
        let mut wrong_key = Opener::new(
            SessionId::from_bytes(SESSION),
            SessionKey::generate().unwrap(),
        );
        assert_eq!(
            wrong_key.open(&envelope),
            Err(OpenError::TamperedChunk { chunk: 1, count: 1 })
        );
    }

    #[test]
    fn replay_limit_fails_closed() {
        let sealer = sealer();
        let mut opener = opener().with_max_files(2);
        for _ in 0..2 {
            opener.open(&sealer.seal(b"x").unwrap()).unwrap();
        }
        assert_eq!(
            opener.open(&sealer.seal(b"x").unwrap()),
            Err(OpenError::ReplayLimit(2))
        );
    }

    #[test]
    fn changed_length_or_hash_field_is_rejected() {
        let plaintext = data(1000, 11);
        let envelope = sealer().seal(&plaintext).unwrap();

        // Length + 1 with one more body byte, so every size check passes.
        let mut longer = envelope.clone();
        longer[OFF_PLAINTEXT_LEN..OFF_CHUNK_COUNT].copy_from_slice(&1001u64.to_be_bytes());
        longer.insert(HEADER_LEN + 1000, 0);
        assert_eq!(
            open_fresh(&longer),
            Err(OpenError::TamperedChunk { chunk: 1, count: 1 })
        );
        // Length - 1 without changing the body.
        let mut shorter = envelope.clone();
        shorter[OFF_PLAINTEXT_LEN..OFF_CHUNK_COUNT].copy_from_slice(&999u64.to_be_bytes());
        assert_eq!(open_fresh(&shorter), Err(OpenError::TrailingData));
        // Length - 1 with the body shortened to match.
        shorter.remove(HEADER_LEN + 999);
        assert_eq!(
            open_fresh(&shorter),
            Err(OpenError::TamperedChunk { chunk: 1, count: 1 })
        );
        // Hash of another plaintext.
        let mut rehashed = envelope.clone();
        let other: [u8; 32] = Sha256::digest(b"other").into();
        rehashed[OFF_PLAINTEXT_SHA256..OFF_SALT].copy_from_slice(&other);
        assert_eq!(
            open_fresh(&rehashed),
            Err(OpenError::TamperedChunk { chunk: 1, count: 1 })
        );
    }

    #[test]
    fn hash_field_is_checked_after_decryption() {
        // Correctly encrypted under the session key, but the header's hash
        // is not the plaintext's: only the final hash check catches it.
        let plaintext = data(CHUNK_LEN + 5, 12);
        let wrong: [u8; 32] = Sha256::digest(b"not the plaintext").into();
        let envelope = sealer()
            .seal_parts(&plaintext, [1; 16], [2; 32], wrong)
            .unwrap();
        assert_eq!(open_fresh(&envelope), Err(OpenError::HashMismatch));
    }

    #[test]
    fn open_with_file_key_round_trip_and_binding() {
        let sealer = sealer();
        let plaintext = data(CHUNK_LEN + 9, 13);
        let envelope = sealer.seal(&plaintext).unwrap();
        let header = Header::parse(&envelope).unwrap();
        let key = sealer.file_key(&header).unwrap();
        // Travels as bytes to a worker.
        let received = FileKey::from_bytes(*key.expose_secret());
        assert_eq!(open_with_file_key(&received, &envelope).unwrap(), plaintext);
        assert_eq!(received.header_digest(), *header.digest());

        let other = sealer.seal(&plaintext).unwrap();
        assert_eq!(
            open_with_file_key(&key, &other),
            Err(OpenError::WrongFileKey)
        );

        // A key whose digest matches but whose secret is wrong still fails.
        let mut forged = *key.expose_secret();
        forged[0] ^= 1;
        assert_eq!(
            open_with_file_key(&FileKey::from_bytes(forged), &envelope),
            Err(OpenError::TamperedChunk { chunk: 1, count: 2 })
        );
        assert_eq!(
            open_with_file_key(&key, &flip(&envelope, HEADER_LEN + CHUNK_LEN + TAG_LEN)),
            Err(OpenError::TamperedChunk { chunk: 2, count: 2 })
        );

        let foreign = Sealer::new(SessionId::generate().unwrap(), test_key());
        assert_eq!(
            foreign.file_key(&header).err(),
            Some(OpenError::WrongSession)
        );
    }

    #[test]
    fn header_accessors() {
        let sealer = sealer();
        let envelope = sealer.seal_with(b"abc", [3; 16], [4; 32]).unwrap();
        let header = Header::parse(&envelope).unwrap();
        assert_eq!(&envelope[..HEADER_LEN], header.as_bytes());
        assert_eq!(header.session_id(), SessionId::from_bytes(SESSION));
        assert_eq!(header.file_id(), [3; 16]);
        assert_eq!(header.salt(), [4; 32]);
        assert_eq!(header.plaintext_len(), 3);
        assert_eq!(header.chunk_count(), 1);
        assert_eq!(
            header.plaintext_sha256(),
            <[u8; 32]>::from(Sha256::digest(b"abc"))
        );
        assert_eq!(
            *header.digest(),
            <[u8; 32]>::from(Sha256::digest(&envelope[..HEADER_LEN]))
        );
        assert_eq!(header.sealed_len(), envelope.len() as u64);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        #[test]
        fn prop_round_trip(len in 0usize..=3 * CHUNK_LEN + 17, seed: u64) {
            let plaintext = data(len, seed);
            let envelope = sealer().seal(&plaintext).unwrap();
            prop_assert_eq!(envelope.len() as u64, sealed_len(len as u64));
            prop_assert_eq!(open_fresh(&envelope).unwrap(), plaintext);
        }

        #[test]
        fn prop_any_bit_flip_is_rejected(len in 0usize..=2 * CHUNK_LEN + 5, pos: prop::sample::Index, bit in 0u8..8) {
            let envelope = sealer().seal(&data(len, len as u64)).unwrap();
            let mut tampered = envelope.clone();
            tampered[pos.index(envelope.len())] ^= 1 << bit;
            prop_assert!(open_fresh(&tampered).is_err());
        }
    }

    #[test]
    fn nonces_never_repeat_across_files_of_a_session() {
        // Nonce reuse means one (AES key, nonce) pair encrypting two
        // different chunks. Nonces restart at index 0 in every file, so the
        // per-file keys must all differ; within a file the index and flag
        // must make every nonce distinct.
        const FILES: usize = 10_000;
        let sealer = sealer();
        let plaintext = [0x42u8; 48];
        let mut keys = HashSet::new();
        let mut prefixes = HashSet::new();
        let mut pairs = HashSet::new();
        let mut first_blocks = HashSet::new();
        for _ in 0..FILES {
            let envelope = sealer.seal(&plaintext).unwrap();
            let header = Header::parse(&envelope).unwrap();
            let key = sealer.file_key(&header).unwrap();
            let secret = key.expose_secret();
            keys.insert(secret[..AES_KEY_LEN].to_vec());
            prefixes.insert(key.nonce_prefix().to_vec());
            for index in 0..header.chunk_count() {
                let last = index + 1 == header.chunk_count();
                let nonce = chunk_nonce(key.nonce_prefix(), index, last);
                pairs.insert((secret[..AES_KEY_LEN].to_vec(), nonce.to_vec()));
            }
            // Black box: same plaintext under a reused (key, nonce) would
            // give the same ciphertext.
            first_blocks.insert(envelope[HEADER_LEN..].to_vec());
        }
        assert_eq!(keys.len(), FILES);
        assert_eq!(prefixes.len(), FILES);
        assert_eq!(pairs.len(), FILES);
        assert_eq!(first_blocks.len(), FILES);
    }

    #[test]
    fn nonces_never_repeat_within_a_file() {
        let prefix = [9u8; NONCE_PREFIX_LEN];
        let count = 5000u32;
        let nonces: HashSet<_> = (0..count)
            .map(|i| chunk_nonce(&prefix, i, i + 1 == count).to_vec())
            .collect();
        assert_eq!(nonces.len(), count as usize);
        // The flag separates "chunk i, last" from "chunk i, not last".
        assert_ne!(
            chunk_nonce(&prefix, 7, true),
            chunk_nonce(&prefix, 7, false)
        );
        assert_eq!(
            chunk_nonce(&prefix, 0x0102_0304, true).as_slice(),
            &[9, 9, 9, 9, 9, 9, 9, 1, 2, 3, 4, 1]
        );

        // Black box: identical plaintext chunks of one file encrypt
        // differently.
        let envelope = sealer().seal(&vec![0u8; 3 * CHUNK_LEN]).unwrap();
        let len = 3 * CHUNK_LEN;
        let chunks: HashSet<_> = (0..3)
            .map(|i| envelope[chunk_span(i, len)].to_vec())
            .collect();
        assert_eq!(chunks.len(), 3);
    }

    // Known-answer vector; also in parsers/PROTOCOL.md.
    const KAT_SESSION_ID: [u8; 16] = [
        0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae,
        0xaf,
    ];
    const KAT_FILE_ID: [u8; 16] = [
        0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe,
        0xbf,
    ];
    const KAT_PLAINTEXT: &[u8] = b"astscan known-answer vector\n";
    const KAT_ENVELOPE: &str = concat!(
        "4153455601a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9ba",
        "bbbcbdbebf000000000000001c00000001aa30ad6411c32fb8371260b8f3729d",
        "5cffbff01707fba00d6cef933c6a209c23c0c1c2c3c4c5c6c7c8c9cacbcccdce",
        "cfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf4f1f400784b7c0160e8102ee867041",
        "4bb5981c2dee579d9aa9f0b761af7a5636602074aac0b4b4e3f359ce5c",
    );
    const KAT_AES_KEY: &str = "2690df4ff5c6f7912bbdad07c2ea5234769929eef16e4c2c658d3feaabe1be6d";
    const KAT_NONCE_PREFIX: &str = "c691acac61a46b";

    fn kat_session_key() -> [u8; 32] {
        core::array::from_fn(|i| i as u8)
    }

    fn kat_salt() -> [u8; 32] {
        core::array::from_fn(|i| 0xc0 + i as u8)
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn known_answer_vector() {
        let sealer = Sealer::new(
            SessionId::from_bytes(KAT_SESSION_ID),
            SessionKey::from_bytes(kat_session_key()),
        );
        let envelope = sealer
            .seal_with(KAT_PLAINTEXT, KAT_FILE_ID, kat_salt())
            .unwrap();
        assert_eq!(hex(&envelope), KAT_ENVELOPE);
        let mut opener = Opener::new(
            SessionId::from_bytes(KAT_SESSION_ID),
            SessionKey::from_bytes(kat_session_key()),
        );
        assert_eq!(opener.open(&unhex(KAT_ENVELOPE)).unwrap(), KAT_PLAINTEXT);
    }

    #[test]
    fn known_answer_vector_independent_check() {
        // Rebuild the header field by field, derive with the hkdf crate and
        // encrypt with a direct AES-GCM call; none of the module's code.
        let mut header = Vec::new();
        header.extend_from_slice(b"ASEV");
        header.push(1);
        header.extend_from_slice(&KAT_SESSION_ID);
        header.extend_from_slice(&KAT_FILE_ID);
        header.extend_from_slice(&(KAT_PLAINTEXT.len() as u64).to_be_bytes());
        header.extend_from_slice(&1u32.to_be_bytes());
        header.extend_from_slice(&Sha256::digest(KAT_PLAINTEXT));
        header.extend_from_slice(&kat_salt());
        assert_eq!(header.len(), 113);
        let header_digest = Sha256::digest(&header);

        let hk = Hkdf::<Sha256>::new(Some(&kat_salt()), &kat_session_key());
        let mut okm = [0u8; 39];
        let mut info = b"astscan envelope v1".to_vec();
        info.extend_from_slice(&header_digest);
        hk.expand(&info, &mut okm).unwrap();
        assert_eq!(hex(&okm[..32]), KAT_AES_KEY);
        assert_eq!(hex(&okm[32..]), KAT_NONCE_PREFIX);

        let mut nonce = [0u8; 12];
        nonce[..7].copy_from_slice(&okm[32..]);
        nonce[11] = 1; // chunk index 0, last chunk
        let cipher = Aes256Gcm::new_from_slice(&okm[..32]).unwrap();
        let mut body = KAT_PLAINTEXT.to_vec();
        let tag = cipher
            .encrypt_inout_detached(&nonce.into(), &header_digest, body.as_mut_slice().into())
            .unwrap();
        body.extend_from_slice(&tag);

        let expected = unhex(KAT_ENVELOPE);
        assert_eq!(&expected[..HEADER_LEN], header.as_slice());
        assert_eq!(&expected[HEADER_LEN..], body.as_slice());
    }

    #[test]
    fn known_answer_vector_multi_chunk() {
        // Same keys and ids; plaintext byte i = i mod 251, 2 MiB + 3 bytes,
        // so three chunks exercise the index and the last-chunk flag. The
        // expected values were computed by a separate implementation.
        let len = 2 * CHUNK_LEN + 3;
        let plaintext: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let sealer = Sealer::new(
            SessionId::from_bytes(KAT_SESSION_ID),
            SessionKey::from_bytes(kat_session_key()),
        );
        let envelope = sealer
            .seal_with(&plaintext, KAT_FILE_ID, kat_salt())
            .unwrap();
        assert_eq!(envelope.len(), 2_097_316);
        assert_eq!(
            hex(&Sha256::digest(&envelope)),
            "4b9af5a5ddeb4d1833d043ae2e60130eda806f9aff36af48b5048191734396fa"
        );
        let tags: Vec<_> = (0..3)
            .map(|i| hex(&envelope[chunk_span(i, len).end - TAG_LEN..chunk_span(i, len).end]))
            .collect();
        assert_eq!(
            tags,
            [
                "5fd1bc1520318e1eb944942635166c12",
                "6f71ae9e70170d2283910d18534d796e",
                "65742c2d065aa701c14f95aac7550b52"
            ]
        );
    }

    #[test]
    fn secrets_never_appear_in_debug_or_errors() {
        let key_bytes = kat_session_key();
        let key = SessionKey::from_bytes(key_bytes);
        assert_eq!(format!("{key:?}"), "SessionKey(<redacted>)");
        let kat_sealer = Sealer::new(SessionId::from_bytes(SESSION), key.clone());
        let plaintext = b"let password = \"hunter2\";";
        let envelope = kat_sealer.seal(plaintext).unwrap();
        let header = Header::parse(&envelope).unwrap();
        let file_key = kat_sealer.file_key(&header).unwrap();
        assert_eq!(format!("{file_key:?}"), "FileKey(<redacted>)");
        let mut opener = Opener::new(SessionId::from_bytes(SESSION), key);

        let mut errors: Vec<OpenError> = vec![
            opener.open(&flip(&envelope, HEADER_LEN)).unwrap_err(),
            opener.open(&envelope[..50]).unwrap_err(),
            opener.open(&flip(&envelope, 0)).unwrap_err(),
            opener
                .open(&flip(&envelope, OFF_CHUNK_COUNT + 3))
                .unwrap_err(),
            opener.open(&envelope[..envelope.len() - 1]).unwrap_err(),
            opener
                .open(&[envelope.as_slice(), b"x"].concat())
                .unwrap_err(),
            open_with_file_key(&file_key, &kat_sealer.seal(b"").unwrap()).unwrap_err(),
        ];
        opener.open(&envelope).unwrap();
        errors.push(opener.open(&envelope).unwrap_err());
        errors.push(
            sealer()
                .seal_parts(plaintext, [0; 16], [0; 32], [0; 32])
                .map(|e| open_fresh(&e).unwrap_err())
                .unwrap(),
        );

        let secrets = [
            hex(&key_bytes),
            hex(&key_bytes).to_uppercase(),
            format!("{key_bytes:?}"),
            hex(&file_key.expose_secret()[..FILE_SECRET_LEN]),
            format!("{:?}", &file_key.expose_secret()[..FILE_SECRET_LEN]),
            "hunter2".to_string(),
            hex(plaintext),
        ];
        let mut texts = vec![
            format!("{kat_sealer:?}"),
            format!("{opener:?}"),
            format!("{header:?}"),
        ];
        for e in &errors {
            texts.push(e.to_string());
            texts.push(format!("{e:?}"));
        }
        for text in &texts {
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "{text:?} leaks a secret");
            }
        }
        // The list covers distinct failure kinds.
        let kinds: HashSet<_> = errors.iter().map(std::mem::discriminant).collect();
        assert!(kinds.len() >= 8, "{errors:?}");
    }

    #[test]
    #[ignore = "throughput check; run with --release -- --ignored --nocapture"]
    fn throughput() {
        use std::time::Instant;
        let sealer = sealer();
        let mut opener = opener();
        // One large file, then many source-file-sized ones (where the fixed
        // per-file cost of HKDF and key setup shows).
        for (file_len, files, rounds) in
            [(256 << 20, 1, 3), (64 << 10, 4096, 2), (4 << 10, 32768, 2)]
        {
            let plaintext = data(file_len, 99);
            let gb = (file_len * files) as f64 / 1e9;
            for _ in 0..rounds {
                let t = Instant::now();
                let envelopes: Vec<_> = (0..files)
                    .map(|_| sealer.seal(&plaintext).unwrap())
                    .collect();
                let seal = t.elapsed().as_secs_f64();
                let t = Instant::now();
                for envelope in &envelopes {
                    assert_eq!(opener.open(envelope).unwrap().len(), file_len);
                }
                let open = t.elapsed().as_secs_f64();
                println!(
                    "{files} x {file_len} B: seal {:.2} GB/s, open {:.2} GB/s, seal+open {:.2} GB/s",
                    gb / seal,
                    gb / open,
                    gb / (seal + open)
                );
            }
        }
    }
}

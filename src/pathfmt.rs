//! How paths are written for people and in reports. File names are bytes: they may hold
//! invalid UTF-8, newlines, terminal escape sequences or bidi controls that reorder what a
//! reader sees. Everything that shows a path goes through [`escape`], so no name can forge a
//! report line, recolour a terminal or pass for another name.
//!
//! The escape is reversible ([`unescape`]), so two names never map to the same string:
//! - `\` is written `\\`;
//! - `\n`, `\r` and `\t` are written so;
//! - every other byte that is a C0 control or DEL, and every byte that is not part of valid
//!   UTF-8, is written `\xNN` (two lower-case hex digits: below `80` an ASCII control, from
//!   `80` a raw byte);
//! - C1 controls (U+0080–U+009F) and the characters that change text direction or break lines
//!   (U+061C, U+200E, U+200F, U+2028–U+202E, U+2066–U+2069) are written `\u{NNNN}` (lower-case
//!   hex);
//! - everything else is written as itself.

use std::fmt::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// `path` escaped for display (see the module documentation).
pub fn escape(path: &Path) -> String {
    escape_bytes(path.as_os_str().as_bytes())
}

/// `bytes` escaped for display (see the module documentation).
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(&mut out, c, true);
        }
        for b in chunk.invalid() {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// `text` (a message that may quote a name, such as a library's error) with control and bidi
/// characters escaped as [`escape`] does. Backslashes are kept: this is for reading, not for
/// identity.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_char(&mut out, c, false);
    }
    out
}

/// Does [`escape`] write `path` as something other than its bytes?
pub fn is_escaped(path: &Path) -> bool {
    let bytes = path.as_os_str().as_bytes();
    match std::str::from_utf8(bytes) {
        Ok(s) => s.chars().any(|c| c == '\\' || needs_escape(c)),
        Err(_) => true,
    }
}

/// The bytes [`escape`] was given, or `None` if `escaped` is not something it writes.
pub fn unescape(escaped: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(escaped.len());
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next()? {
            '\\' => out.push(b'\\'),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                if hex.len() != 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(&hex, 16).ok()?);
            }
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Characters that are never written as themselves (besides `\`).
fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_or_break(c)
}

/// Characters that reorder the text around them or break a line outside `\n`.
fn is_bidi_or_break(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

fn push_char(out: &mut String, c: char, backslash: bool) {
    // Writing to a String cannot fail.
    let _ = match c {
        '\\' if backslash => out.write_str("\\\\"),
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        c if c.is_ascii_control() => write!(out, "\\x{:02x}", c as u32),
        c if needs_escape(c) => write!(out, "\\u{{{:x}}}", c as u32),
        c => out.write_char(c),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::ffi::OsStr;

    fn esc(bytes: &[u8]) -> String {
        escape(Path::new(OsStr::from_bytes(bytes)))
    }

    #[test]
    fn plain_names_are_themselves() {
        for name in ["src/a.php", "ünï code.py", "日本/x.go", "a b/c-d_e.f"] {
            assert_eq!(esc(name.as_bytes()), name);
            assert!(!is_escaped(Path::new(name)));
        }
    }

    #[test]
    fn controls_bidi_and_invalid_bytes_are_escaped() {
        let cases: [(&[u8], &str); 9] = [
            (b"a\nb", "a\\nb"),
            (b"a\rb\tc", "a\\rb\\tc"),
            (b"\x1b[31mred", "\\x1b[31mred"),
            (b"del\x7f", "del\\x7f"),
            ("c1\u{85}".as_bytes(), "c1\\u{85}"),
            ("evil\u{202e}php.txt".as_bytes(), "evil\\u{202e}php.txt"),
            (
                "\u{2066}x\u{2069}\u{200f}\u{061c}".as_bytes(),
                "\\u{2066}x\\u{2069}\\u{200f}\\u{61c}",
            ),
            (b"\xff.php", "\\xff.php"),
            (b"a\\xff", "a\\\\xff"),
        ];
        for (bytes, want) in cases {
            assert_eq!(esc(bytes), want);
            assert!(is_escaped(Path::new(OsStr::from_bytes(bytes))));
        }
    }

    #[test]
    fn an_invalid_byte_and_its_replacement_character_stay_apart() {
        assert_ne!(esc(b"\xff.php"), esc("\u{fffd}.php".as_bytes()));
        assert_ne!(esc(b"\xff.php"), esc(b"\\xff.php"));
    }

    #[test]
    fn text_keeps_backslashes_and_escapes_controls() {
        assert_eq!(
            escape_text("C:\\x \x1b[0m\u{202e}"),
            "C:\\x \\x1b[0m\\u{202e}"
        );
    }

    #[test]
    fn unescape_refuses_what_escape_never_writes() {
        for bad in [
            "\\",
            "\\q",
            "\\x4",
            "\\xzz",
            "\\u{}",
            "\\u{110000}",
            "\\u202e",
        ] {
            assert_eq!(unescape(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn escape_is_reversible_and_printable(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let escaped = esc(&bytes);
            prop_assert_eq!(unescape(&escaped), Some(bytes.clone()));
            prop_assert!(!escaped.chars().any(needs_escape), "{:?}", escaped);
            prop_assert_eq!(is_escaped(Path::new(OsStr::from_bytes(&bytes))), escaped.as_bytes() != &bytes[..]);
        }

        #[test]
        fn escape_is_reversible_for_text(s in "\\PC*|[\\x00-\\x20\\\\\u{80}-\u{9f}\u{202a}-\u{202e}]*") {
            prop_assert_eq!(unescape(&esc(s.as_bytes())), Some(s.into_bytes()));
        }
    }
}

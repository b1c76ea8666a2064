//! JSON with comments and trailing commas, as `tsconfig.json` and `jsconfig.json` allow, made
//! plain JSON for `serde_json`. Comments become spaces and newlines stay where they were, so
//! the line and column of a parse error still point into the file as written.

/// `text` without `//` and `/* */` comments outside strings, and without commas that are
/// followed (after blanks and comments) by `}` or `]`.
pub fn to_json(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    // Where a comma was written, until the next significant byte says whether it stays.
    let mut pending_comma: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                pending_comma = None;
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    // An escape takes the next byte with it, so `\"` does not end the string.
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                out.extend_from_slice(&bytes[start..i]);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out.push(b' ');
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                for &c in &bytes[i..end] {
                    out.push(if c == b'\n' { b'\n' } else { b' ' });
                }
                i = end;
                continue;
            }
            b',' => pending_comma = Some(out.len()),
            b'}' | b']' => {
                if let Some(at) = pending_comma.take() {
                    out[at] = b' ';
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => pending_comma = None,
        }
        out.push(b);
        i += 1;
    }
    // Only ASCII bytes were replaced, by ASCII, at ASCII positions: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_go_strings_stay() {
        let text = r#"{
  // baseUrl for the aliases
  "compilerOptions": { /* inline */ "baseUrl": "./src", "paths": { "@/*": ["*",], }, },
  "a": "http://x/*not a comment*/", "b": "quote \" // still string",
}"#;
        let value: serde_json::Value = serde_json::from_str(&to_json(text)).expect("plain JSON");
        assert_eq!(value["compilerOptions"]["baseUrl"], "./src");
        assert_eq!(value["compilerOptions"]["paths"]["@/*"][0], "*");
        assert_eq!(value["a"], "http://x/*not a comment*/");
        assert_eq!(value["b"], "quote \" // still string");
        assert_eq!(to_json("[1,/*c*/\n]").lines().count(), 2);
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        for text in ["\"abc", "/* open", "{\"a\": \"\\", "//", ","] {
            let _ = to_json(text);
        }
    }
}

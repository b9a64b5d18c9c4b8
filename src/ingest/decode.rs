//! Bytes to text: byte-order marks, UTF-8, and detected legacy encodings.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Decodes bytes to text, never failing: a BOM decides first, then valid UTF-8, then a
/// detector guesses the legacy code page (Windows-1251, Windows-1252, ...). Text that is
/// UTF-8 but for a few stray bytes stays UTF-8 (the bytes become U+FFFD).
pub fn decode(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), encoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), UTF_8);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return (text.into_owned(), encoding);
    }
    if mostly_utf8(bytes) {
        return (String::from_utf8_lossy(bytes).into_owned(), UTF_8);
    }
    let encoding = guess_legacy_encoding(bytes);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), encoding)
}

/// The legacy code page of non-UTF-8 text. With only a few non-ASCII bytes the
/// detector has too little evidence and often picks a Central European page for a
/// lone "£" or "é": Windows-1252, the usual page of English-language news, is then
/// the better bet.
fn guess_legacy_encoding(bytes: &[u8]) -> &'static Encoding {
    let high = bytes.iter().filter(|b| !b.is_ascii()).count();
    if high <= FEW_NON_ASCII_BYTES || high * 100 < bytes.len() {
        return encoding_rs::WINDOWS_1252;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, false)
}

/// Up to this many non-ASCII bytes is too little evidence for the detector.
const FEW_NON_ASCII_BYTES: usize = 16;

/// Does this look like UTF-8 with a few damaged bytes? True when valid multi-byte
/// sequences outnumber invalid bytes four to one.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                valid_multibyte += text.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(error) => {
                let (good, bad) = rest.split_at(error.valid_up_to());
                valid_multibyte += std::str::from_utf8(good)
                    .map(|t| t.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                let skip = error.error_len().unwrap_or(bad.len()).max(1);
                invalid += skip;
                rest = &bad[skip.min(bad.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    valid_multibyte >= 4 * invalid.max(1)
}

/// UTF-16 without a BOM shows as NUL bytes in every other position of ASCII text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if odd_nuls * 10 >= pairs * 9 && even_nuls == 0 {
        Some(UTF_16LE)
    } else if even_nuls * 10 >= pairs * 9 && odd_nuls == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Does this data look binary (NUL bytes in the first few KB, outside UTF-16)?
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() || utf16_without_bom(bytes).is_some() {
        return false;
    }
    bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        assert_eq!(decode("Київ".as_bytes()).0, "Київ");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Kyiv talks".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).0, "Kyiv talks");
    }

    #[test]
    fn windows_1251_is_detected_not_mojibake() {
        let text = "Президент России заявил в понедельник, что переговоры в Минске продолжатся на этой неделе.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let (decoded, encoding) = decode(&bytes);
        assert_eq!(encoding.name(), "windows-1251");
        assert_eq!(decoded, text);
    }

    #[test]
    fn latin1_pound_sign_in_ascii_text() {
        let bytes = b"The deal was worth \xa35m to the club, officials said.";
        assert_eq!(
            decode(bytes).0,
            "The deal was worth £5m to the club, officials said."
        );
    }

    #[test]
    fn one_stray_byte_in_utf8_text_keeps_utf8() {
        let mut bytes = "Zelensky в Києві, Зеленський сказав, що переговори тривають."
            .as_bytes()
            .to_vec();
        bytes.push(0xFC);
        let (decoded, encoding) = decode(&bytes);
        assert_eq!(encoding, UTF_8);
        assert!(decoded.starts_with("Zelensky в Києві"));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(looks_binary(b"PK\x03\x04\x00\x00binary"));
        assert!(!looks_binary(b"plain text"));
    }
}

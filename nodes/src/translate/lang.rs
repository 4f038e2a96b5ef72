//! Language codes across engines.
//!
//! Whisper names languages with ISO 639-1 codes (`en`), Apertium with ISO 639-3 (`eng`,
//! variants as `eng_US`), DeepL with upper-case codes and regions (`EN-US`), LibreTranslate
//! with 639-1 and scripts (`zh-Hans`). Everything is compared on one key: the primary
//! subtag lower-cased and mapped to ISO 639-3, plus the rest (region/variant) lower-cased.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// ISO 639-1 → ISO 639-3 for the languages Whisper detects and Apertium's Debian pairs use.
/// Serbo-Croatian variants share Apertium's `hbs`; Malay is Apertium's `zlm`.
const ISO_639_1_TO_3: &[(&str, &str)] = &[
    ("af", "afr"),
    ("am", "amh"),
    ("an", "arg"),
    ("ar", "ara"),
    ("as", "asm"),
    ("az", "aze"),
    ("ba", "bak"),
    ("be", "bel"),
    ("bg", "bul"),
    ("bn", "ben"),
    ("bo", "bod"),
    ("br", "bre"),
    ("bs", "hbs"),
    ("ca", "cat"),
    ("cs", "ces"),
    ("cy", "cym"),
    ("da", "dan"),
    ("de", "deu"),
    ("el", "ell"),
    ("en", "eng"),
    ("eo", "epo"),
    ("es", "spa"),
    ("et", "est"),
    ("eu", "eus"),
    ("fa", "fas"),
    ("fi", "fin"),
    ("fo", "fao"),
    ("fr", "fra"),
    ("ga", "gle"),
    ("gl", "glg"),
    ("gu", "guj"),
    ("ha", "hau"),
    ("he", "heb"),
    ("hi", "hin"),
    ("hr", "hbs"),
    ("ht", "hat"),
    ("hu", "hun"),
    ("hy", "hye"),
    ("id", "ind"),
    ("is", "isl"),
    ("it", "ita"),
    ("ja", "jpn"),
    ("jv", "jav"),
    ("ka", "kat"),
    ("kk", "kaz"),
    ("km", "khm"),
    ("kn", "kan"),
    ("ko", "kor"),
    ("la", "lat"),
    ("lb", "ltz"),
    ("ln", "lin"),
    ("lo", "lao"),
    ("lt", "lit"),
    ("lv", "lav"),
    ("mg", "mlg"),
    ("mi", "mri"),
    ("mk", "mkd"),
    ("ml", "mal"),
    ("mn", "mon"),
    ("mr", "mar"),
    ("ms", "zlm"),
    ("mt", "mlt"),
    ("my", "mya"),
    ("nb", "nob"),
    ("ne", "nep"),
    ("nl", "nld"),
    ("nn", "nno"),
    ("no", "nor"),
    ("oc", "oci"),
    ("pa", "pan"),
    ("pl", "pol"),
    ("ps", "pus"),
    ("pt", "por"),
    ("ro", "ron"),
    ("ru", "rus"),
    ("sa", "san"),
    ("sc", "srd"),
    ("sd", "snd"),
    ("sh", "hbs"),
    ("si", "sin"),
    ("sk", "slk"),
    ("sl", "slv"),
    ("sn", "sna"),
    ("so", "som"),
    ("sq", "sqi"),
    ("sr", "hbs"),
    ("su", "sun"),
    ("sv", "swe"),
    ("sw", "swa"),
    ("ta", "tam"),
    ("te", "tel"),
    ("tg", "tgk"),
    ("th", "tha"),
    ("tk", "tuk"),
    ("tl", "tgl"),
    ("tr", "tur"),
    ("tt", "tat"),
    ("uk", "ukr"),
    ("ur", "urd"),
    ("uz", "uzb"),
    ("vi", "vie"),
    ("yi", "yid"),
    ("yo", "yor"),
    ("zh", "zho"),
];

/// Bibliographic / alternative 639 codes some engines use, mapped to the ones above.
const ALIASES: &[(&str, &str)] = &[
    ("cze", "ces"),
    ("fre", "fra"),
    ("ger", "deu"),
    ("dut", "nld"),
    ("gre", "ell"),
    ("rum", "ron"),
    ("slo", "slk"),
    ("baq", "eus"),
    ("per", "fas"),
    ("alb", "sqi"),
    ("arm", "hye"),
    ("chi", "zho"),
    ("ice", "isl"),
    ("mac", "mkd"),
    ("may", "zlm"),
    ("msa", "zlm"),
    ("srp", "hbs"),
    ("hrv", "hbs"),
    ("bos", "hbs"),
    ("cmn", "zho"),
];

/// A language code split into its comparable parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LangKey {
    /// ISO 639-3 (or whatever 3+ letter code was given), lower-case.
    pub base: String,
    /// Region, script or variant, lower-case with `-` separators (`us`, `hans`), if any.
    pub variant: Option<String>,
}

/// Parses `en`, `eng`, `en-US`, `EN_us`, `zh-Hans`, `eng_US` …; `None` for anything else.
pub fn key(code: &str) -> Option<LangKey> {
    let code = code.trim();
    let mut parts = code.split(['-', '_']);
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let rest: Vec<String> = parts.map(|p| p.to_ascii_lowercase()).collect();
    if rest
        .iter()
        .any(|p| p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return None;
    }
    let base = if primary.len() == 2 {
        ISO_639_1_TO_3
            .iter()
            .find(|(two, _)| *two == primary)
            .map(|(_, three)| three.to_string())
            .unwrap_or(primary)
    } else {
        ALIASES
            .iter()
            .find(|(alias, _)| *alias == primary)
            .map(|(_, three)| three.to_string())
            .unwrap_or(primary)
    };
    Some(LangKey {
        base,
        variant: (!rest.is_empty()).then(|| rest.join("-")),
    })
}

/// Is `code` a well-formed language code?
pub fn is_valid(code: &str) -> bool {
    key(code).is_some()
}

/// One translation direction, in the engine's own codes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LanguagePair {
    pub source: String,
    pub target: String,
}

impl LanguagePair {
    pub fn new(source: impl Into<String>, target: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            target: target.into(),
        }
    }
}

/// The engine's pair for `source` → `target` (any spelling), if it has one.
///
/// Bases must match. A requested variant (`en-US`) must match exactly; without one, a pair
/// whose target has no variant is preferred, then the first with any variant (DeepL only
/// offers `EN-GB`/`EN-US` as English targets). `source` may be `None` for "any source".
pub fn find_pair<'a>(
    pairs: &'a [LanguagePair],
    source: Option<&str>,
    target: &str,
) -> Option<&'a LanguagePair> {
    let want_src = match source {
        Some(s) => Some(key(s)?),
        None => None,
    };
    let want_tgt = key(target)?;
    let candidates: Vec<(&LanguagePair, LangKey)> = pairs
        .iter()
        .filter_map(|p| {
            let (s, t) = (key(&p.source)?, key(&p.target)?);
            let src_ok = want_src.as_ref().is_none_or(|w| {
                w.base == s.base && (w.variant.is_none() || w.variant == s.variant)
            });
            (src_ok && t.base == want_tgt.base).then_some((p, t))
        })
        .collect();
    match &want_tgt.variant {
        Some(v) => candidates
            .iter()
            .find(|(_, t)| t.variant.as_deref() == Some(v.as_str()))
            .map(|(p, _)| *p),
        None => candidates
            .iter()
            .find(|(_, t)| t.variant.is_none())
            .or_else(|| candidates.first())
            .map(|(p, _)| *p),
    }
}

/// Human-readable list of `pairs`, grouping sources that share the same targets:
/// `eng → spa; spa → eng, eng_US` or `BG, CS, DA → EN-GB, ES, …`.
pub fn describe(pairs: &[LanguagePair]) -> String {
    if pairs.is_empty() {
        return "none".into();
    }
    let mut by_source: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in pairs {
        by_source
            .entry(p.source.as_str())
            .or_default()
            .push(p.target.as_str());
    }
    let mut groups: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    for (source, mut targets) in by_source {
        targets.sort_unstable();
        targets.dedup();
        match groups.iter_mut().find(|(_, t)| *t == targets) {
            Some((sources, _)) => sources.push(source),
            None => groups.push((vec![source], targets)),
        }
    }
    groups
        .iter()
        .map(|(s, t)| format!("{} → {}", s.join(", "), t.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_every_spelling() {
        let en = key("en").unwrap();
        assert_eq!(en.base, "eng");
        assert_eq!(en.variant, None);
        assert_eq!(key("eng").unwrap(), en);
        assert_eq!(key("EN").unwrap(), en);
        let us = key("EN-US").unwrap();
        assert_eq!(
            (us.base.as_str(), us.variant.as_deref()),
            ("eng", Some("us"))
        );
        assert_eq!(key("eng_US").unwrap(), us);
        assert_eq!(key("zh-Hans").unwrap().variant.as_deref(), Some("hans"));
        assert_eq!(key("sr").unwrap().base, "hbs");
        for bad in ["", "e", "english", "en--us", "e1", "en-", "en US"] {
            assert!(key(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn pairs_match_across_code_systems() {
        let apertium = vec![
            LanguagePair::new("eng", "spa"),
            LanguagePair::new("spa", "eng"),
            LanguagePair::new("spa", "eng_US"),
        ];
        assert_eq!(find_pair(&apertium, Some("en"), "es"), Some(&apertium[0]));
        assert_eq!(find_pair(&apertium, Some("es"), "en"), Some(&apertium[1]));
        assert_eq!(
            find_pair(&apertium, Some("es"), "en-US"),
            Some(&apertium[2])
        );
        assert_eq!(find_pair(&apertium, Some("es"), "en-GB"), None);
        assert_eq!(find_pair(&apertium, Some("en"), "fr"), None);
        assert_eq!(find_pair(&apertium, None, "es"), Some(&apertium[0]));
        let deepl = vec![
            LanguagePair::new("EN", "EN-GB"),
            LanguagePair::new("ES", "EN-GB"),
            LanguagePair::new("ES", "EN-US"),
            LanguagePair::new("EN", "ES"),
        ];
        // No variant asked for and none without one: the first English target.
        assert_eq!(find_pair(&deepl, Some("es"), "en"), Some(&deepl[1]));
        assert_eq!(find_pair(&deepl, Some("es"), "en_us"), Some(&deepl[2]));
        assert_eq!(find_pair(&deepl, Some("en"), "es"), Some(&deepl[3]));
    }

    #[test]
    fn descriptions_group_sources_with_the_same_targets() {
        let pairs = vec![
            LanguagePair::new("eng", "spa"),
            LanguagePair::new("spa", "eng"),
            LanguagePair::new("spa", "eng_US"),
        ];
        assert_eq!(describe(&pairs), "eng → spa; spa → eng, eng_US");
        let any = vec![
            LanguagePair::new("DE", "EN-US"),
            LanguagePair::new("DE", "ES"),
            LanguagePair::new("FR", "ES"),
            LanguagePair::new("FR", "EN-US"),
        ];
        assert_eq!(describe(&any), "DE, FR → EN-US, ES");
        assert_eq!(describe(&[]), "none");
    }
}

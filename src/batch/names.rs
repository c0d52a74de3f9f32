//! File names for variants: safe on every common filesystem, the same on every machine, and
//! distinct for distinct variant names.
//!
//! A name made only of lower-case ASCII letters, digits and `-_.=` is used as it is (`base`,
//! `dry-season`). Any other name — a sweep point such as `land[parks.pannan.capacity.land=10]`, a
//! name with capitals (which case-insensitive filesystems would confuse), one that is too long, or a
//! device name Windows reserves — keeps its safe characters and gains a 64-bit FNV-1a hash of the
//! full name, so two names that clean up alike still get two files. The hash is spelled out here
//! rather than taken from the standard library, whose hasher may change between Rust releases.

/// Longest stem kept before the hash is added.
const MAX_STEM: usize = 80;

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The 64-bit FNV-1a hash of some bytes: small, fixed, and identical on every platform.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a fed piece by piece, for fingerprints of documents too large to copy into one buffer.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Feeds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Feeds a string with its length, so that no two sequences of strings feed the same bytes.
    pub fn write_str(&mut self, s: &str) {
        self.write(&(s.len() as u64).to_le_bytes());
        self.write(s.as_bytes());
    }

    /// Feeds a document in a canonical form: mapping keys sorted, numbers by their shortest
    /// decimal form, every node tagged with its kind. Two documents that parse alike (whatever
    /// their key order, spacing, comments or quoting) feed the same bytes.
    pub fn write_document(&mut self, v: &serde_yaml::Value) {
        use serde_yaml::Value;
        match v {
            Value::Null => self.write(b"n"),
            Value::Bool(b) => self.write(if *b { b"t" } else { b"f" }),
            Value::Number(n) => {
                self.write(b"#");
                self.write_str(&n.to_string());
            }
            Value::String(s) => {
                self.write(b"s");
                self.write_str(s);
            }
            Value::Sequence(items) => {
                self.write(b"[");
                self.write(&(items.len() as u64).to_le_bytes());
                for item in items {
                    self.write_document(item);
                }
            }
            Value::Mapping(m) => {
                // Keys in a fixed order: by the fingerprint of each key, then the key's own form.
                let mut entries: Vec<(u64, String, &Value, &Value)> = m
                    .iter()
                    .map(|(k, v)| {
                        let mut h = Fnv::default();
                        h.write_document(k);
                        (h.finish(), format!("{k:?}"), k, v)
                    })
                    .collect();
                entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
                self.write(b"{");
                self.write(&(entries.len() as u64).to_le_bytes());
                for (_, _, k, v) in entries {
                    self.write_document(k);
                    self.write_document(v);
                }
            }
            Value::Tagged(t) => {
                self.write(b"!");
                self.write_str(&t.tag.to_string());
                self.write_document(&t.value);
            }
        }
    }

    /// The hash so far.
    pub fn finish(&self) -> u64 {
        self.0
    }

    /// The hash so far as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// A fingerprint of a list of names, order included: 16 hex digits.
pub fn fingerprint<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut bytes = Vec::new();
    for n in names {
        bytes.extend_from_slice(n.as_bytes());
        // A separator, so that [`ab`] and [`a`, `b`] differ.
        bytes.push(0);
    }
    format!("{:016x}", fnv1a(&bytes))
}

/// The file stem (no extension) for a variant name.
pub fn file_stem(name: &str) -> String {
    let safe = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.=".contains(c);
    let starts_badly = name.starts_with(['.', '-']);
    let clean = !name.is_empty()
        && name.len() <= MAX_STEM
        && name.chars().all(safe)
        && !starts_badly
        && !RESERVED.contains(&name.split('.').next().unwrap_or(""));
    if clean {
        return name.to_string();
    }
    let mut stem = String::new();
    for c in name.chars() {
        let c = if safe(c) {
            c
        } else if c.is_ascii_uppercase() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        // Runs of replaced characters read better as one.
        if !(c == '_' && stem.ends_with('_')) {
            stem.push(c);
        }
        if stem.len() >= MAX_STEM {
            break;
        }
    }
    let stem = stem.trim_matches(['_', '.', '-']);
    let stem = if stem.is_empty() { "variant" } else { stem };
    format!("{stem}-{:016x}", fnv1a(name.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_kept() {
        assert_eq!(file_stem("base"), "base");
        assert_eq!(file_stem("dry-season"), "dry-season");
        assert_eq!(file_stem("v1.2_x=3"), "v1.2_x=3");
    }

    #[test]
    fn sweep_points_are_cleaned_and_hashed() {
        let s = file_stem("land[parks.pannan.capacity.land=10,resources.funds.pool=20]");
        assert!(
            s.starts_with("land_parks.pannan.capacity.land=10_resources.funds.pool=20-"),
            "{s}"
        );
        assert_eq!(
            s.len(),
            "land_parks.pannan.capacity.land=10_resources.funds.pool=20-".len() + 16
        );
        assert!(
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.=".contains(c))
        );
    }

    #[test]
    fn names_that_clean_up_alike_stay_apart() {
        let names = ["a/b", "a b", "a:b", "A_b", "a_b", "a?b", "a\\b", "a*b"];
        let stems: std::collections::HashSet<String> = names.iter().map(|n| file_stem(n)).collect();
        assert_eq!(stems.len(), names.len(), "{stems:?}");
    }

    #[test]
    fn awkward_names_are_defused() {
        for name in [
            "", ".", "..", "-rf", ".hidden", "con", "NUL", "aux.json", "  ",
        ] {
            let s = file_stem(name);
            assert!(!s.starts_with(['.', '-']), "{name:?} → {s}");
            assert!(s.contains('-') && s.len() > 16, "{name:?} → {s}");
        }
        let long = "x".repeat(300);
        assert!(file_stem(&long).len() <= MAX_STEM + 17);
        let unicode = file_stem("枯水期");
        assert!(unicode.starts_with("variant-"), "{unicode}");
    }

    #[test]
    fn stems_are_fixed_across_runs_and_machines() {
        // FNV-1a of "" and "a": the published test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fingerprint(["a", "b"]), fingerprint(["a", "b"]));
        assert_ne!(fingerprint(["a", "b"]), fingerprint(["b", "a"]));
        assert_ne!(fingerprint(["ab"]), fingerprint(["a", "b"]));
    }

    #[test]
    fn documents_that_parse_alike_hash_alike() {
        let hash = |text: &str| {
            let mut h = Fnv::default();
            h.write_document(&serde_yaml::from_str(text).unwrap());
            h.hex()
        };
        let a = hash("a: 1\nb: { c: [0.5, x] }\n");
        assert_eq!(a, hash("# a comment\nb: {c: [0.50, 'x']}\na: 1\n"));
        assert_ne!(a, hash("a: 1\nb: { c: [0.5, y] }\n"));
        assert_ne!(a, hash("a: 2\nb: { c: [0.5, x] }\n"));
        assert_ne!(hash("a: '1'"), hash("a: 1"));
        // Fixed across releases: a change here re-solves every plan of every resumed sweep.
        assert_eq!(hash("a: 1"), hash("a: 1"));
    }
}

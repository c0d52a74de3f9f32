//! Whole-number options (`--parks`, `--jobs`, `--count`, `--seed`, …) read with their sign.
//!
//! clap's own parser for an unsigned type meets `-3` with "invalid digit found in string", which
//! says nothing of what the option takes. [`whole`] reads any integer, so a negative value, text or
//! a number past the type's end is refused with the option's range instead: "--parks must be
//! between 1 and 100000, not -3", the words its run gives for 0 or 100001. The range checks inside
//! the range (0, the ceiling) stay where they were, beside the option's use; this parser only
//! guarantees the value is a whole number the type holds.

use std::ffi::OsStr;

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;

/// A parser of whole numbers for an option whose values are described by `range` (e.g. "between
/// 1 and 100000", "1 or more"), with `T` the type it fills.
#[derive(Debug, Clone, Copy)]
pub struct Whole<T> {
    range: &'static str,
    _type: std::marker::PhantomData<T>,
}

/// A parser of whole numbers of type `T`: anything else is refused with `range` in the message.
pub fn whole<T>(range: &'static str) -> Whole<T> {
    Whole {
        range,
        _type: std::marker::PhantomData,
    }
}

impl<T> TypedValueParser for Whole<T>
where
    T: TryFrom<i128> + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        let flag = arg.map_or_else(
            || "the value".to_string(),
            |a| match a.get_long() {
                Some(long) => format!("--{long}"),
                None => a.get_id().to_string(),
            },
        );
        let refuse = |what: String| {
            let mut e = clap::Error::raw(ErrorKind::ValueValidation, format!("{what}\n"));
            e = e.with_cmd(cmd);
            e
        };
        // i128 holds every value a usize or u64 may take and every negative number worth naming;
        // beyond it the text is no whole number the option could take either.
        match text.trim().parse::<i128>() {
            Ok(n) => T::try_from(n)
                .map_err(|_| refuse(format!("{flag} must be {}, not {n}", self.range))),
            Err(_) => Err(refuse(format!(
                "{flag} must be a whole number, {}, not `{text}`",
                self.range
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: TryFrom<i128> + Clone + Send + Sync + 'static>(
        range: &'static str,
        s: &str,
    ) -> Result<T, String> {
        let arg = clap::Arg::new("parks").long("parks");
        let cmd = clap::Command::new("parkplan");
        whole::<T>(range)
            .parse_ref(&cmd, Some(&arg), OsStr::new(s))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_whole_number_in_the_type_is_read() {
        assert_eq!(parse::<usize>("between 1 and 9", "7"), Ok(7));
        assert_eq!(parse::<usize>("between 1 and 9", "0"), Ok(0));
        assert_eq!(parse::<u64>("any", "18446744073709551615"), Ok(u64::MAX));
    }

    #[test]
    fn a_negative_number_is_refused_with_the_range() {
        let e = parse::<usize>("between 1 and 100000", "-3").unwrap_err();
        assert_eq!(e, "error: --parks must be between 1 and 100000, not -3\n");
    }

    #[test]
    fn text_and_numbers_past_the_type_are_refused_with_the_range() {
        let e = parse::<usize>("1 or more", "three").unwrap_err();
        assert_eq!(
            e,
            "error: --parks must be a whole number, 1 or more, not `three`\n"
        );
        let e = parse::<usize>("1 or more", "1.5").unwrap_err();
        assert!(e.contains("not `1.5`"), "{e}");
        let e = parse::<u64>("from 0 to 18446744073709551615", "18446744073709551616").unwrap_err();
        assert!(e.contains("not 18446744073709551616"), "{e}");
    }
}

//! How numbers are said in the sentences pages and messages write.

use std::fmt::Display;

/// `count` things named `noun`, in a sentence: "1 run", "3 runs", "0 facts".
pub fn counted<N: Display + PartialEq + From<u8>>(count: N, noun: &str) -> String {
    let plural = if count == N::from(1) { "" } else { "s" };
    format!("{count} {noun}{plural}")
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_any_other_count_plural() {
        assert_eq!(counted(1_i64, "run"), "1 run");
        assert_eq!(counted(0_i64, "fact"), "0 facts");
        assert_eq!(counted(3_usize, "result"), "3 results");
        assert_eq!(counted(-1_i32, "minute"), "-1 minutes");
    }
}

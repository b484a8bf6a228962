//! The raw material of the synthetic catalog: a small seeded generator, and made-up words
//! that read like product names ("Velunor", "Kibrathe"), a different one for every number.

/// splitmix64: a few lines, statistically sound for this, and the same on every machine.
/// Each item draws from its own generator, seeded by what it is and its number, so that an
/// item does not depend on how many others were made before it.
pub struct Rng(u64);

impl Rng {
    /// A generator for the item `index` of the kind `stream`.
    pub fn new(stream: u64, index: u64) -> Self {
        let mut seed = Rng(stream.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ index);
        seed.next();
        seed
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Syllables are an onset and a vowel; only a word's end may close on a consonant. Every
/// consonant cluster inside a word is therefore exactly one onset, so different choices of
/// syllables and ending never spell the same word.
const ONSETS: [&str; 20] = [
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "st",
    "th", "tr",
];
const VOWELS: [&str; 5] = ["a", "e", "i", "o", "u"];
const ENDINGS: [&str; 8] = ["", "n", "r", "x", "l", "s", "m", "th"];

const SYLLABLES: u64 = (ONSETS.len() * VOWELS.len()) as u64;
/// How many words of three syllables there are: the first numbers get those.
pub const SHORT_WORDS: u64 = SYLLABLES * SYLLABLES * SYLLABLES * ENDINGS.len() as u64;
/// The short words are handed out in a scrambled order (a bijection of the numbers below
/// `SHORT_WORDS`), so that neighbours in numbering do not look alike.
const SCRAMBLE_BITS: u32 = 23;
const _: () = assert!(SHORT_WORDS <= 1 << SCRAMBLE_BITS);

/// The word numbered `n`: lowercase ASCII letters, at least six of them, never the same for
/// two numbers.
pub fn word(n: u64) -> String {
    let mut rest = if n < SHORT_WORDS { scrambled(n) } else { n };
    // Longer words for numbers past the short ones: a fourth syllable, a fifth…
    let mut syllables = 3;
    let mut words_of_length = SHORT_WORDS;
    while rest >= words_of_length {
        rest -= words_of_length;
        syllables += 1;
        words_of_length = words_of_length.saturating_mul(SYLLABLES);
    }
    let mut word = String::with_capacity(2 * syllables + 2);
    let ending = ENDINGS[(rest % ENDINGS.len() as u64) as usize];
    rest /= ENDINGS.len() as u64;
    for _ in 0..syllables {
        let syllable = rest % SYLLABLES;
        rest /= SYLLABLES;
        word.push_str(ONSETS[(syllable / VOWELS.len() as u64) as usize]);
        word.push_str(VOWELS[(syllable % VOWELS.len() as u64) as usize]);
    }
    word.push_str(ending);
    word
}

/// A bijection of `0..SHORT_WORDS`: an invertible mix of `SCRAMBLE_BITS`-bit numbers,
/// applied again while it lands past the end (cycle walking).
fn scrambled(n: u64) -> u64 {
    const MASK: u64 = (1 << SCRAMBLE_BITS) - 1;
    let mut x = n;
    loop {
        // The offset keeps 0 from being its own image.
        x = (x + 0x5A_5A5A) & MASK;
        x ^= x >> 11;
        x = x.wrapping_mul(0x2C1B_3C6D) & MASK;
        x ^= x >> 12;
        x = x.wrapping_mul(0x297A_2D39) & MASK;
        x ^= x >> 9;
        if x < SHORT_WORDS {
            return x;
        }
    }
}

/// `word` with its first letter in capitals, as a name.
pub fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_number_has_its_own_word() {
        let mut seen = HashSet::new();
        for n in (0..200_000).chain(SHORT_WORDS - 1_000..SHORT_WORDS + 50_000) {
            let word = word(n);
            assert!(word.len() >= 6, "{word}");
            assert!(word.bytes().all(|b| b.is_ascii_lowercase()), "{word}");
            assert!(seen.insert(word.clone()), "{n}: {word} twice");
        }
    }

    #[test]
    fn the_scramble_is_a_bijection_of_the_short_words() {
        let mut hit = vec![false; SHORT_WORDS as usize];
        for n in 0..SHORT_WORDS {
            let m = scrambled(n) as usize;
            assert!(!hit[m], "{n} lands on a taken number");
            hit[m] = true;
        }
    }

    #[test]
    fn the_generator_is_fixed() {
        let mut rng = Rng::new(1, 2);
        let first: Vec<u64> = (0..3).map(|_| rng.next()).collect();
        let mut again = Rng::new(1, 2);
        assert_eq!(first, (0..3).map(|_| again.next()).collect::<Vec<_>>());
        assert_ne!(first[0], Rng::new(2, 1).next());
        for _ in 0..1_000 {
            assert!(rng.below(7) < 7);
            assert!((0.0..1.0).contains(&rng.unit()));
        }
        assert_eq!(capitalised("velunor"), "Velunor");
    }
}

import AnnotationModel

/// Decides a document's language from its letters: Arabic when Arabic-script letters outnumber
/// Latin ones, English otherwise. The two first-class languages differ in script, so counting
/// letters is both fast and exact enough; a client that knows better overrides it.
public enum LanguageDetector {
    /// Looks at no more than `sampleBytes` bytes from the start: a news text does not change script.
    public static func detect(_ utf8: [UInt8], sampleBytes: Int = 64 * 1024) -> Language {
        var arabic = 0
        var latin = 0
        var decoder = UTF8ScalarCursor(utf8, limit: min(utf8.count, sampleBytes))
        while let (scalar, _) = decoder.next() {
            let value = scalar.value
            if (0x0600...0x06FF).contains(value) {
                // The main Arabic block by ranges: asking Unicode's alphabetic property of every
                // scalar was the largest single cost of annotating an Arabic text. Letters only:
                // not the diacritics, digits, punctuation or Quranic marks.
                if (0x0620...0x064A).contains(value) || (0x066E...0x06D3).contains(value) || value == 0x06D5
                    || (0x06EE...0x06EF).contains(value) || (0x06FA...0x06FF).contains(value)
                {
                    arabic += 1
                }
            } else if (0x0750...0x077F).contains(value)
                || (0x08A0...0x08FF).contains(value) || (0xFB50...0xFDFF).contains(value)
                || (0xFE70...0xFEFF).contains(value)
            {
                if scalar.properties.isAlphabetic { arabic += 1 }
            } else if (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                || (0xC0...0x24F).contains(value)
            {
                latin += 1
            }
        }
        return arabic > latin ? .arabic : .english
    }

    public static func detect(_ text: String) -> Language { detect(Array(text.utf8)) }
}
